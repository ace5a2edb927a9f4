"""`make package` on Linux: the one-folder build in dist/practitioner-app/, with its desktop entry,
icons and INSTALL.txt, and the tarball dist/practitioner-app-VERSION-linux-x86_64.tar.gz.

    .venv/bin/python packaging/build_linux.py
"""

import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))  # system_libs beside this file

import system_libs  # noqa: E402

NAME = "practitioner-app"
DIST = ROOT / "dist"
APP = DIST / NAME
ICONS = ROOT / "resources" / "icons"


def version() -> str:
    text = (ROOT / "practitioner_app" / "__init__.py").read_text("utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    if found is None:
        raise SystemExit("no __version__ in practitioner_app/__init__.py")
    return found.group(1)


def build() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level=WARN",
            f"--distpath={DIST}",
            f"--workpath={ROOT / 'build'}",
            str(HERE / "practitioner-app.spec"),
        ],
        check=True,
    )


def add_desktop_files(packages: str) -> None:
    """The XDG layout (share/applications, share/icons/hicolor) so the install script, or a
    packager, can copy it straight into ~/.local/share or /usr/share."""
    share = APP / "share"
    (share / "applications").mkdir(parents=True, exist_ok=True)
    shutil.copy2(HERE / "linux" / f"{NAME}.desktop", share / "applications")
    for png in ICONS.glob(f"{NAME}-*.png"):
        size = png.stem.rsplit("-", 1)[1]
        folder = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, folder / f"{NAME}.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ICONS / f"{NAME}.svg", scalable)
    shutil.copy2(HERE / "linux" / "install-desktop-entry.sh", APP)
    install_text = (HERE / "linux" / "INSTALL.txt").read_text("utf-8")
    (APP / "INSTALL.txt").write_text(
        install_text.replace("@VERSION@", version()).replace("@PACKAGES@", packages), "utf-8"
    )


def _anonymous(member: tarfile.TarInfo) -> tarfile.TarInfo:
    """Files in the tarball belong to whoever unpacks it, not to the builder's account."""
    member.uid = member.gid = 0
    member.uname = member.gname = ""
    return member


def tarball() -> Path:
    machine = platform.machine() or "x86_64"
    path = DIST / f"{NAME}-{version()}-linux-{machine}.tar.gz"
    # Level 6: a four-times faster build than 9, for a tarball 1% larger.
    with tarfile.open(path, "w:gz", compresslevel=6) as archive:
        archive.add(APP, arcname=NAME, filter=_anonymous)
    return path


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    started = time.monotonic()
    build()
    built = time.monotonic() - started
    found, missing = system_libs.system_libraries(APP)
    packages = " ".join(system_libs.debian_packages(found + missing))
    add_desktop_files(packages)
    archive = tarball()
    mib = 1024 * 1024
    print(f"Built {APP.relative_to(ROOT)}/ in {built:.0f} s: {size_of(APP) / mib:.0f} MiB")
    print(f"Tarball {archive.relative_to(ROOT)}: {size_of(archive) / mib:.0f} MiB")
    print(f"Needs from the system (Debian/Ubuntu packages): {packages}")
    if missing:
        print(
            f"Missing on this machine, so the app will not start here: {' '.join(missing)}; "
            f"install with: sudo apt-get install -y {' '.join(system_libs.debian_packages(missing))}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
