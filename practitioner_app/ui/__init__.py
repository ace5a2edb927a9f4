"""The desktop app (PySide6). The only package that imports Qt; it reaches the vault only through services."""

import sys
from collections.abc import Callable


def _skip_pyside_source_reading() -> None:
    """Spare PySide reading the source of the modules loaded before it.

    PySide's import hook reads the whole source of every module the first time an `import`
    statement names it after Qt is loaded, looking for `from __feature__ import` (snake_case
    and true_property, which this app never uses). Every `import typing` or `from pathlib
    import Path` in our modules names a standard module loaded long before, and reading those
    (typing, inspect, logging, os, ...) took 4.5 ms of the 40 ms before the unlock window
    appears (issue 19). Each module already loaded is recorded as not using features, as
    PySide itself records a module whose source does not name it (-1, "ignore this module",
    in PySide6/support/feature.py). Modules imported later are still read, as before.
    """
    try:
        from PySide6.support import feature  # type: ignore[attr-defined]
    except ImportError:  # a frozen build without it: it has no sources to read either
        return
    known = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(known, dict):
        return  # a PySide that keeps it elsewhere (or not at all): nothing to spare
    for name in list(sys.modules):
        if not name.startswith(("PySide6", "shiboken6", "__feature__")):
            known.setdefault(name, -1)
    # For the modules loaded later (ours, and the services' hundreds on the worker), the same
    # question PySide asks, answered from the file's bytes: its way, `inspect.getsource`,
    # tokenizes each source and keeps all its lines in `linecache` for the rest of the process.
    pysides_own = getattr(feature, "_mod_uses_pyside", None)
    if callable(pysides_own):
        feature._mod_uses_pyside = lambda module: _names_pyside(module, pysides_own)


def _names_pyside(module: object, pysides_own: Callable[[object], bool]) -> bool:
    """Whether a module's source names PySide6: PySide's own test (`_mod_uses_pyside` in
    PySide6/support/feature.py), read from the file's bytes for a module loaded from a .py file,
    and asked of PySide's own way for any other (one in a zip, a .pyw, one without a file)."""
    origin = getattr(getattr(module, "__spec__", None), "origin", None)
    if isinstance(origin, str) and origin.endswith(".py"):
        try:
            with open(origin, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            pass
    return bool(pysides_own(module))


_skip_pyside_source_reading()

APP_TITLE = "Practitioner Records"
