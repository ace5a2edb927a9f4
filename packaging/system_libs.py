"""Which system libraries a frozen Linux build still takes from the machine it runs on.

PyInstaller bundles most of what Qt links against, but by design leaves out the C library and the
graphics stack (libGL, libEGL, libdrm, libxcb...), which must match the machine's drivers. This
script asks `ldd` what the app's own files need, the way the app loads them (the bundle's folder
on LD_LIBRARY_PATH, as its launcher sets it), and names the Debian/Ubuntu packages:

    .venv/bin/python packaging/system_libs.py dist/practitioner-app            # report
    .venv/bin/python packaging/system_libs.py dist/practitioner-app --packages # just the names
    .venv/bin/python packaging/system_libs.py dist/practitioner-app --install  # apt-get if root

Exit status 1 when a library is missing (after trying to install it with --install).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from practitioner_app import syscheck

# The C library's own parts: every Linux has them (package libc6).
GLIBC = re.compile(r"^(libc|libm|libdl|libpthread|librt|libresolv|libutil|ld-linux[\w-]*)\.so")
# The platform plugins the app is started with: a desktop (X11 or XWayland), and `self-test`.
PLATFORMS = ("libqxcb.so", "libqoffscreen.so")
_RESOLVED = re.compile(r"^\s*(\S+)\s+=>\s+(\S+)", re.MULTILINE)


def plugins(app: Path) -> Path:
    return app / "_internal" / "PySide6" / "Qt" / "plugins"


def missing_plugins(app: Path) -> list[str]:
    """Platform plugins absent from the build. The frozen self-test runs offscreen on CI, so
    this is where a build without the X11 plugin is caught."""
    return [name for name in PLATFORMS if not (plugins(app) / "platforms" / name).is_file()]


def roots(app: Path) -> list[Path]:
    """The files the app itself loads; `ldd` follows their dependencies from there."""
    internal = app / "_internal"
    found = [app / app.name]
    found += sorted(internal.glob("libpython3*.so*"))
    found += sorted(internal.rglob("*.cpython-*.so"))  # Python extension modules
    found += sorted(internal.rglob("*.abi3.so"))  # PySide6, cryptography, argon2...
    found += [plugins(app) / "platforms" / name for name in PLATFORMS]
    for kind in ("xcbglintegrations", "imageformats", "iconengines", "platforminputcontexts"):
        found += sorted((plugins(app) / kind).glob("*.so"))
    return [path for path in found if path.is_file()]


def system_libraries(app: Path) -> tuple[list[str], list[str]]:
    """(found on the system, missing): sonames resolved outside the bundle, or not at all."""
    internal = (app / "_internal").resolve()
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal))
    ldd = shutil.which("ldd")
    if ldd is None:
        raise SystemExit("ldd is not installed (Debian package libc-bin); it is needed here.")
    result = subprocess.run(
        [ldd, *map(str, roots(app))], capture_output=True, text=True, env=env, check=False
    )
    missing = syscheck.missing_libraries(result.stdout)
    found = sorted(
        {
            soname
            for soname, target in _RESOLVED.findall(result.stdout)
            if target != "not"
            and not Path(target).resolve().is_relative_to(internal)
            and not GLIBC.match(soname)
        }
    )
    return found, missing


def debian_packages(sonames: list[str]) -> list[str]:
    known = [syscheck.PACKAGES[name][0] for name in sonames if name in syscheck.PACKAGES]
    return sorted(set(known)) + [name for name in sonames if name not in syscheck.PACKAGES]


def install(packages: list[str]) -> bool:
    """apt-get install, when this is a Debian/Ubuntu machine and we are root (as on CI)."""
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.geteuid() != 0:
        return False
    print(f"Installing the system packages the app needs: {' '.join(packages)}", flush=True)
    subprocess.run([apt_get, "update", "-qq"], check=False)
    done = subprocess.run([apt_get, "install", "-y", "-qq", *packages], check=False)
    return done.returncode == 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("app", type=Path, help="the one-folder build, e.g. dist/practitioner-app")
    parser.add_argument("--packages", action="store_true", help="print only the package names")
    parser.add_argument("--install", action="store_true", help="apt-get install what is missing")
    args = parser.parse_args(argv)
    absent = missing_plugins(args.app)
    if absent:
        print(
            f"The build lacks Qt platform plugins {', '.join(absent)}; check the spec.",
            file=sys.stderr,
        )
        return 1
    found, missing = system_libraries(args.app)
    if missing and args.install and install(debian_packages(missing)):
        found, missing = system_libraries(args.app)
    if args.packages:
        print(" ".join(debian_packages(found + missing)))
        return 1 if missing else 0
    print(f"From the system (not bundled): {' '.join(found) or 'only the C library'}")
    print(f"Debian/Ubuntu packages: libc6 {' '.join(debian_packages(found))}")
    if missing:
        print(
            f"Missing on this machine: {' '.join(missing)}; install them with: "
            f"sudo apt-get install -y {' '.join(debian_packages(missing))}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
