#!/bin/sh
# Puts Practitioner Records in your applications menu and `practitioner-app` on your PATH,
# for you alone: no root needed. Run it again after moving this folder.
#
#   ./install-desktop-entry.sh            install
#   ./install-desktop-entry.sh --remove   take the menu entry, icons and command away again
#                                         (your vault is not touched)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"
entry="$data/applications/practitioner-app.desktop"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$bin/practitioner-app"
    if [ -d "$data/icons/hicolor" ]; then
        find "$data/icons/hicolor" \( -name practitioner-app.png -o -name practitioner-app.svg \) -delete
    fi
    echo "Removed the menu entry, icons and command. Your vault is where it was."
    exit 0
fi

mkdir -p "$data/applications" "$data/icons" "$bin"
cp -R "$here/share/icons/hicolor" "$data/icons/"
# The entry must name the executable by its full path; quoted in case the path has spaces.
sed -e "s|^Exec=.*|Exec=\"$here/practitioner-app\"|" \
    -e "s|^TryExec=.*|TryExec=$here/practitioner-app|" \
    "$here/share/applications/practitioner-app.desktop" > "$entry"
ln -sf "$here/practitioner-app" "$bin/practitioner-app"
# Desktops watch these folders, so no cache needs rebuilding (and a stale icon cache in
# ~/.local/share/icons would hide other apps' icons).

echo "Installed: 'Practitioner Records' is in your applications menu, and $bin/practitioner-app"
echo "runs it from a terminal (add $bin to your PATH if your shell does not have it)."
