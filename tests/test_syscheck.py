"""The pre-launch check for Qt's system libraries on Linux (practitioner_app.syscheck)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from practitioner_app import syscheck

ROOT = Path(__file__).resolve().parents[1]

# Real `ldd .../PySide6/Qt/plugins/platforms/libqxcb.so` output on a Debian 12 machine without
# libxcb-icccm4 and libxcb-keysyms1 (trimmed; the repeats are ldd's own).
LDD_QXCB_MISSING = """\
\tlinux-vdso.so.1 (0x00007fc2c29a4000)
\tlibQt6XcbQpa.so.6 => /work/main/.venv/lib/python3.11/site-packages/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x00007fc2c28d6000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007fc2c2846000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007fc2c27f3000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007fc2c27ec000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007fc2c27e4000)
\tlibxcb-image.so.0 => /lib/x86_64-linux-gnu/libxcb-image.so.0 (0x00007fc2c27de000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-randr.so.0 => /lib/x86_64-linux-gnu/libxcb-randr.so.0 (0x00007fc2c27cb000)
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fc2c0a1e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibglib-2.0.so.0 => /lib/x86_64-linux-gnu/libglib-2.0.so.0 (0x00007fc2c08e6000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007fc2c29a6000)
"""

# Real output for a library whose dependencies all resolve.
LDD_ALL_FOUND = """\
\tlinux-vdso.so.1 (0x00007ffd4b5f2000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007fc2c27ec000)
\tlibEGL.so.1 => /lib/x86_64-linux-gnu/libEGL.so.1 (0x00007fc2c1bea000)
\tlibfontconfig.so.1 => /lib/x86_64-linux-gnu/libfontconfig.so.1 (0x00007fc2c1b80000)
\t/lib64/ld-linux-x86-64.so.2 (0x00007fc2c29a6000)
"""

# ldd with several files prints a "path:" header before each block.
LDD_SEVERAL_FILES = """\
/venv/PySide6/Qt/lib/libQt6Gui.so.6:
\tlibEGL.so.1 => not found
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007fc2c2846000)
/venv/PySide6/Qt/lib/libQt6XcbQpa.so.6:
\tlibxcb-icccm.so.4 => not found
\tlibEGL.so.1 => not found
"""


def test_missing_libraries_reads_real_ldd_output_once_each_in_order() -> None:
    assert syscheck.missing_libraries(LDD_QXCB_MISSING) == [
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
    ]


def test_missing_libraries_is_empty_when_everything_resolves() -> None:
    assert syscheck.missing_libraries(LDD_ALL_FOUND) == []
    assert syscheck.missing_libraries("") == []


def test_missing_libraries_across_several_files() -> None:
    assert syscheck.missing_libraries(LDD_SEVERAL_FILES) == ["libEGL.so.1", "libxcb-icccm.so.4"]


def test_install_hint_for_apt() -> None:
    hint = syscheck.install_hint(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"], "apt-get")
    assert hint.startswith(
        "The desktop app needs system libraries that are missing: "
        "libxcb-icccm.so.4, libxcb-keysyms.so.1."
    )
    assert hint.splitlines()[-1].strip() == (
        "sudo apt-get install -y libxcb-icccm4 libxcb-keysyms1"
    )


def test_install_hint_for_dnf() -> None:
    hint = syscheck.install_hint(["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libEGL.so.1"], "dnf")
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1, libEGL.so.1" in hint
    assert hint.splitlines()[-1].strip() == (
        "sudo dnf install -y xcb-util-wm xcb-util-keysyms mesa-libEGL"
    )


def test_install_hint_names_each_package_once_and_drops_sudo_for_root() -> None:
    hint = syscheck.install_hint(["libglib-2.0.so.0", "libgthread-2.0.so.0"], "apt-get", sudo=False)
    assert hint.splitlines()[-1].strip() == "apt-get install -y libglib2.0-0"


def test_install_hint_still_names_an_unknown_soname() -> None:
    apt = syscheck.install_hint(["libxcb-icccm.so.4", "libfrobnicate.so.7"], "apt-get")
    assert "libxcb-icccm.so.4, libfrobnicate.so.7" in apt
    assert "sudo apt-get install -y libxcb-icccm4\n" in apt
    assert "apt-file search libfrobnicate.so.7" in apt
    assert "libfrobnicate" not in apt.splitlines()[1]  # not passed to apt-get as a package

    dnf = syscheck.install_hint(["libfrobnicate.so.7"], "dnf")
    assert "libfrobnicate.so.7" in dnf
    assert "install -y" not in dnf
    assert "dnf provides '*/libfrobnicate.so.7'" in dnf


def test_install_hint_without_a_known_package_manager_lists_the_libraries() -> None:
    for manager in (None, "pacman"):
        hint = syscheck.install_hint(["libxcb-icccm.so.4", "libfrobnicate.so.7"], manager)
        assert "libxcb-icccm.so.4, libfrobnicate.so.7" in hint
        assert "install -y" not in hint


def test_install_hint_is_empty_when_nothing_is_missing() -> None:
    assert syscheck.install_hint([], "apt-get") == ""


def test_install_hint_sends_pyside6_own_libraries_to_a_reinstall() -> None:
    hint = syscheck.install_hint(["libQt6Gui.so.6", "libshiboken6.abi3.so.6.12"], "apt-get")
    assert "apt-get" not in hint
    assert "libQt6Gui.so.6, libshiboken6.abi3.so.6.12" in hint
    assert "pip install --force-reinstall PySide6-Essentials" in hint


def test_every_known_soname_has_a_debian_and_a_fedora_package() -> None:
    for soname, (debian, fedora) in syscheck.PACKAGES.items():
        assert ".so." in soname
        assert debian
        assert fedora
        assert " " not in debian + fedora


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ["xcb"]),
        ("", ["xcb"]),
        ("offscreen", ["offscreen"]),
        ("wayland;xcb", ["wayland", "xcb"]),
        ("xcb:dpi=96", ["xcb"]),
    ],
)
def test_qt_platforms(value: str | None, expected: list[str]) -> None:
    environ = {} if value is None else {"QT_QPA_PLATFORM": value}
    assert syscheck.qt_platforms(environ) == expected


def test_display_note_only_without_any_display() -> None:
    assert "QT_QPA_PLATFORM=offscreen" in syscheck.display_note({})
    assert "xvfb-run make run" in syscheck.display_note({"DISPLAY": ""})
    assert syscheck.display_note({"DISPLAY": ":0"}) == ""
    assert syscheck.display_note({"WAYLAND_DISPLAY": "wayland-0"}) == ""
    assert syscheck.display_note({"QT_QPA_PLATFORM": "offscreen"}) == ""


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_main_passes_at_once_off_linux(
    platform: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(syscheck, "pyside6_dir", lambda: pytest.fail("should not look"))
    assert syscheck.main() == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.skipif(sys.platform != "linux", reason="the check only runs on Linux")
def test_main_says_how_to_install_pyside6_when_it_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(syscheck, "pyside6_dir", lambda: None)
    assert syscheck.main() == 1
    err = capsys.readouterr().err
    assert "PySide6" in err
    assert "make run" in err
    assert ".venv/bin/pip install -e ." in err


def _pyside6_or_skip() -> Path:
    if sys.platform != "linux":
        pytest.skip("the check only runs on Linux")
    pyside = syscheck.pyside6_dir()
    if pyside is None:
        pytest.skip("PySide6 is not installed")
    return pyside


def _ldd_or_skip() -> str:
    ldd = shutil.which("ldd")
    if ldd is None:
        pytest.skip("no ldd on this machine")
    return ldd


def test_pyside6_dir_is_found_without_importing_pyside6() -> None:
    code = (
        "import sys; from practitioner_app import syscheck; d = syscheck.pyside6_dir(); "
        "print(d is not None and (d / 'Qt').is_dir(), 'PySide6' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    found, imported = result.stdout.split()
    assert imported == "False"
    if found != "True":
        pytest.skip("PySide6 is not installed")


def test_ctypes_fallback_agrees_with_ldd(monkeypatch: pytest.MonkeyPatch) -> None:
    pyside = _pyside6_or_skip()
    _ldd_or_skip()
    with_ldd = set(syscheck.find_missing(pyside, ["xcb"]))
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with_ctypes = set(syscheck.find_missing(pyside, ["xcb"]))
    # ldd also sees transitive dependencies that the fallback list does not try.
    assert with_ctypes <= with_ldd
    assert with_ctypes == with_ldd & (
        set(syscheck.CORE_SONAMES) | set(syscheck.PLATFORM_SONAMES["xcb"])
    )


@pytest.mark.parametrize(
    ("platform", "plugin"),
    [(None, "libqxcb.so"), ("offscreen", "libqoffscreen.so")],
)
def test_module_exit_status_agrees_with_ldd(platform: str | None, plugin: str) -> None:
    pyside = _pyside6_or_skip()
    ldd = _ldd_or_skip()
    qt_lib = pyside / "Qt" / "lib"
    files = [
        pyside / "Qt" / "plugins" / "platforms" / plugin,
        qt_lib / "libQt6Gui.so.6",
        qt_lib / "libQt6Widgets.so.6",
        *pyside.glob("QtWidgets*.so"),
    ]
    if platform is None:
        files.append(qt_lib / "libQt6XcbQpa.so.6")
    direct = subprocess.run(
        [ldd, *(str(f) for f in files if f.is_file())],
        capture_output=True,
        text=True,
        check=False,
    )
    not_found = sorted(
        {
            line.split("=>")[0].strip()
            for line in direct.stdout.splitlines()
            if line.strip().endswith("=> not found")
        }
    )

    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    if platform is not None:
        env["QT_QPA_PLATFORM"] = platform
    result = subprocess.run(
        [sys.executable, "-m", "practitioner_app.syscheck"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
        timeout=120,
    )

    assert result.returncode == (1 if not_found else 0), result.stderr
    if not_found:
        assert "The desktop app needs system libraries that are missing: " in result.stderr
        for soname in not_found:
            assert soname in result.stderr
