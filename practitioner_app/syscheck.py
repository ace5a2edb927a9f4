"""Check, before the desktop app starts, that Qt's system libraries are installed.

``make run`` runs ``python -m practitioner_app.syscheck`` first. On Linux the Qt wheels rely on
system libraries (xcb, EGL, GL, fontconfig, xkbcommon...) that a fresh machine may lack, and
Qt's own error ("Could not load the Qt platform plugin xcb") does not say which. This check runs
``ldd`` on the Qt platform plugin and the main Qt libraries, names every library that is not
found, prints the command that installs them, and exits 1. With everything present it prints
nothing and exits 0. On Windows and macOS it exits 0 at once.

This module must not import PySide6 (an import-linter contract keeps Qt inside
``practitioner_app.ui``): it finds the PySide6 directory with ``importlib.util.find_spec``.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Final

#: soname -> (Debian/Ubuntu package, Fedora package) that provides it.
PACKAGES: Final[Mapping[str, tuple[str, str]]] = {
    # xcb-util family: the ones most often missing from a fresh install.
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    # libxcb and its extensions (one package on Fedora).
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    # X11.
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libXau.so.6": ("libxau6", "libXau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp"),
    "libXext.so.6": ("libxext6", "libXext"),
    "libXrender.so.1": ("libxrender1", "libXrender"),
    "libSM.so.6": ("libsm6", "libSM"),
    "libICE.so.6": ("libice6", "libICE"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    # OpenGL / EGL (glvnd).
    "libEGL.so.1": ("libegl1", "mesa-libEGL"),
    "libGL.so.1": ("libgl1", "mesa-libGL"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libGLdispatch.so.0": ("libglvnd0", "libglvnd"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libdrm.so.2": ("libdrm2", "libdrm"),
    # Wayland.
    "libwayland-client.so.0": ("libwayland-client0", "libwayland-client"),
    "libwayland-cursor.so.0": ("libwayland-cursor0", "libwayland-cursor"),
    "libwayland-egl.so.1": ("libwayland-egl1", "libwayland-egl"),
    # Fonts and images.
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libharfbuzz.so.0": ("libharfbuzz0b", "harfbuzz"),
    "libpng16.so.16": ("libpng16-16", "libpng"),
    "libexpat.so.1": ("libexpat1", "expat"),
    "libbrotlidec.so.1": ("libbrotli1", "libbrotli"),
    "libbrotlicommon.so.1": ("libbrotli1", "libbrotli"),
    # GLib, D-Bus and the rest of the usual dependency tree.
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgthread-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libgobject-2.0.so.0": ("libglib2.0-0", "glib2"),
    "libpcre2-8.so.0": ("libpcre2-8-0", "pcre2"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libsystemd.so.0": ("libsystemd0", "systemd-libs"),
    "libcups.so.2": ("libcups2", "cups-libs"),
    "libz.so.1": ("zlib1g", "zlib"),
    "libzstd.so.1": ("libzstd1", "libzstd"),
    "liblzma.so.5": ("liblzma5", "xz-libs"),
    "liblz4.so.1": ("liblz4-1", "lz4-libs"),
    "libbsd.so.0": ("libbsd0", "libbsd"),
    "libmd.so.0": ("libmd0", "libmd"),
    "libcap.so.2": ("libcap2", "libcap"),
    "libgcrypt.so.20": ("libgcrypt20", "libgcrypt"),
    "libgpg-error.so.0": ("libgpg-error0", "libgpg-error"),
    "libstdc++.so.6": ("libstdc++6", "libstdc++"),
    "libgcc_s.so.1": ("libgcc-s1", "libgcc"),
}

#: Libraries shipped inside the PySide6 wheels themselves: if one is missing, the wheel is broken.
BUNDLED_PREFIXES: Final[tuple[str, ...]] = ("libQt6", "libicu", "libpyside6", "libshiboken6")

#: What to try with ctypes when ``ldd`` is not available: the system libraries that the Qt core
#: libraries need, then those each platform plugin needs.
CORE_SONAMES: Final[tuple[str, ...]] = (
    "libglib-2.0.so.0",
    "libgthread-2.0.so.0",
    "libz.so.1",
    "libzstd.so.1",
    "libdbus-1.so.3",
    "libX11.so.6",
    "libxkbcommon.so.0",
    "libEGL.so.1",
    "libGL.so.1",
    "libfreetype.so.6",
    "libfontconfig.so.1",
)
PLATFORM_SONAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "xcb": (
        "libxcb.so.1",
        "libX11-xcb.so.1",
        "libxkbcommon-x11.so.0",
        "libxcb-cursor.so.0",
        "libxcb-icccm.so.4",
        "libxcb-util.so.1",
        "libxcb-image.so.0",
        "libxcb-keysyms.so.1",
        "libxcb-randr.so.0",
        "libxcb-render.so.0",
        "libxcb-render-util.so.0",
        "libxcb-shape.so.0",
        "libxcb-shm.so.0",
        "libxcb-sync.so.1",
        "libxcb-xfixes.so.0",
        "libxcb-xkb.so.1",
    ),
    "wayland": ("libwayland-client.so.0", "libwayland-cursor.so.0"),
}

_NOT_FOUND: Final = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


def _unique(items: Iterable[str]) -> list[str]:
    """The items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))


def missing_libraries(ldd_output: str) -> list[str]:
    """The sonames that ``ldd`` reports as ``=> not found``, in order, each once."""
    return _unique(_NOT_FOUND.findall(ldd_output))


def install_hint(sonames: list[str], package_manager: str | None, *, sudo: bool = True) -> str:
    """The message naming the missing libraries and the command that installs them.

    ``package_manager`` is ``"apt-get"`` (Debian/Ubuntu), ``"dnf"`` (Fedora) or ``None`` (or
    anything else), in which case only the library names are given. Returns ``""`` when nothing
    is missing.
    """
    sonames = _unique(sonames)
    bundled = [name for name in sonames if name.startswith(BUNDLED_PREFIXES)]
    system = [name for name in sonames if not name.startswith(BUNDLED_PREFIXES)]
    lines: list[str] = []
    if system:
        column = {"apt-get": 0, "dnf": 1}.get(package_manager or "")
        known = [name for name in system if name in PACKAGES]
        unknown = [name for name in system if name not in PACKAGES]
        sentence = (
            "The desktop app needs system libraries that are missing: " + ", ".join(system) + "."
        )
        if column is None:
            lines.append(
                sentence + " Install the packages that provide them with your distribution's "
                "package manager."
            )
        else:
            if known:
                packages = _unique(PACKAGES[name][column] for name in known)
                them = "them" if not unknown else "the known ones"
                lines.append(f"{sentence} Install {them} with:")
                prefix = "sudo " if sudo else ""
                lines.append(f"    {prefix}{package_manager} install -y {' '.join(packages)}")
            else:
                lines.append(sentence)
            for name in unknown:
                search = f"apt-file search {name}" if column == 0 else f"dnf provides '*/{name}'"
                lines.append(f"No package is known here for {name}; `{search}` finds it.")
    if bundled:
        lines.append(
            "Libraries that ship inside PySide6 itself are missing: " + ", ".join(bundled) + ". "
            "Reinstall it with `.venv/bin/pip install --force-reinstall PySide6-Essentials`."
        )
    return "\n".join(lines)


def package_manager() -> str | None:
    """``"apt-get"`` or ``"dnf"``, whichever is on PATH, else ``None``."""
    for candidate in ("apt-get", "dnf"):
        if shutil.which(candidate):
            return candidate
    return None


def pyside6_dir() -> Path | None:
    """The installed PySide6 package directory, found without importing PySide6."""
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    locations = [Path(location) for location in spec.submodule_search_locations]
    for location in locations:
        if (location / "Qt").is_dir():
            return location
    return locations[0]


def qt_platforms(environ: Mapping[str, str]) -> list[str]:
    """The Qt platform plugins the app will try, from ``QT_QPA_PLATFORM`` (default xcb).

    ``QT_QPA_PLATFORM`` may be a ``;``-separated fallback list, each with ``:options``.
    """
    value = environ.get("QT_QPA_PLATFORM", "")
    names = [part.split(":", 1)[0].strip() for part in value.split(";")]
    return _unique(name for name in names if name) or ["xcb"]


def _family(platform: str) -> str:
    """``wayland-egl`` and friends live in the ``wayland`` plugin."""
    return "wayland" if platform.startswith("wayland") else platform


def ldd_targets(pyside: Path, platforms: Sequence[str]) -> list[Path]:
    """The existing Qt files whose dependencies must all resolve for the app to start."""
    qt_lib = pyside / "Qt" / "lib"
    plugins = pyside / "Qt" / "plugins" / "platforms"
    candidates = [qt_lib / "libQt6Gui.so.6", qt_lib / "libQt6Widgets.so.6"]
    if "xcb" in platforms:
        candidates.append(qt_lib / "libQt6XcbQpa.so.6")
    for platform in platforms:
        candidates.append(plugins / f"libq{_family(platform)}.so")
    candidates.extend(sorted(pyside.glob("QtWidgets*.so")))
    return [path for path in _unique_paths(candidates) if path.is_file()]


def _unique_paths(paths: Iterable[Path]) -> list[Path]:
    return list(dict.fromkeys(paths))


def missing_with_ldd(targets: Sequence[Path], ldd: str) -> list[str] | None:
    """The sonames ``ldd`` cannot find for ``targets``; ``None`` if ``ldd`` itself failed."""
    try:
        result = subprocess.run(
            [ldd, *(str(path) for path in targets)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0 and "=>" not in result.stdout:
        return None
    return missing_libraries(result.stdout)


def missing_with_ctypes(sonames: Iterable[str]) -> list[str]:
    """The sonames the dynamic loader cannot open (the fallback when there is no ``ldd``)."""
    missing: list[str] = []
    for soname in _unique(sonames):
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(soname)
    return missing


def find_missing(pyside: Path, platforms: Sequence[str]) -> list[str]:
    """The missing sonames for PySide6 at ``pyside``: by ``ldd``, else by trying each with ctypes."""
    targets = ldd_targets(pyside, platforms)
    ldd = shutil.which("ldd")
    if ldd and targets:
        found = missing_with_ldd(targets, ldd)
        if found is not None:
            return found
    fallback = list(CORE_SONAMES)
    for platform in platforms:
        fallback.extend(PLATFORM_SONAMES.get(_family(platform), ()))
    return missing_with_ctypes(fallback)


def display_note(environ: Mapping[str, str]) -> str:
    """A one-line note when there is no display to open a window on, else ``""``."""
    if any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        return ""
    return (
        "Note: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window needs a "
        "desktop session; on a headless machine use `QT_QPA_PLATFORM=offscreen make run` or "
        "`xvfb-run make run`."
    )


def main() -> int:
    """Print what is missing and return 1, or return 0 when the app can start."""
    if sys.platform != "linux":
        return 0
    pyside = pyside6_dir()
    if pyside is None:
        print(
            "PySide6 (Qt for Python) is not installed in this environment, so the desktop app "
            "cannot start. `make run` reinstalls it, or run `.venv/bin/pip install -e .`.",
            file=sys.stderr,
        )
        return 1
    status = 0
    missing = find_missing(pyside, qt_platforms(os.environ))
    if missing:
        hint = install_hint(missing, package_manager(), sudo=os.geteuid() != 0)
        print(hint, file=sys.stderr)
        status = 1
    note = display_note(os.environ)
    if note:
        print(note, file=sys.stderr)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
