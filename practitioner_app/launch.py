"""The `practitioner-app` command: with no verb it opens the desktop window, with one it is the CLI.

It sits above both, so the command line never imports Qt and the window never imports click or
the CLI's verbs: those are the whole of the services, about 0.6 s to import on a 2-core machine,
which the practitioner would wait through before the unlock window appeared (issue 19). The
window's own arguments are few enough to read here.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from practitioner_app.gcpause import without_cyclic_gc
from practitioner_app.interrupts import ctrl_c_held_back

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from practitioner_app.ui.main_window import MainWindow

VAULT_OPTION = "--vault"


def window_arguments(args: list[str]) -> tuple[Path | None] | None:
    """The vault folder, if `args` ask for the desktop window and nothing else: no arguments, or
    only `--vault DIR` / `--vault=DIR` (without it the window uses $PRACTITIONER_VAULT, then the
    user data folder; services/locations.py). None for anything else (a verb, `--help`, an
    unknown or incomplete option), which the CLI reads and, where it is wrong, explains."""
    if not args:
        return (None,)
    if len(args) == 2 and args[0] == VAULT_OPTION and args[1]:
        return (Path(args[1]),)
    if len(args) == 1 and args[0].startswith(VAULT_OPTION + "=") and args[0] != VAULT_OPTION + "=":
        return (Path(args[0].removeprefix(VAULT_OPTION + "=")),)
    return None


def start_window(args: list[str]) -> "tuple[QApplication, MainWindow] | None":
    """The desktop window, shown, if `args` ask for it (`window_arguments`); None if not."""
    chosen = window_arguments(args)
    if chosen is None:
        return None
    # Nothing made while the window is imported and built is garbage, and the collector's
    # passes over it took 2 ms of the 40 ms before the unlock window appears. Ctrl-C is held back
    # until the window is up: inside PySide6's import it is a fatal error of shiboken's (abort),
    # or an ImportError, never the KeyboardInterrupt `main` says one sentence for.
    with without_cyclic_gc(), ctrl_c_held_back():
        from practitioner_app.ui import app

        return app.start(*chosen)


STOPPED_WHILE_STARTING = (
    "practitioner-app: stopped while starting; no vault was opened and nothing was changed."
)


def main() -> None:
    try:
        started = start_window(sys.argv[1:])
        if started is None:
            from practitioner_app import desktop_verbs
    except KeyboardInterrupt:
        # Ctrl-C while the app is still loading (the CLI's verbs take about 0.6 s to import):
        # one sentence and the usual status, not a traceback through the import machinery. The
        # CLI says its own sentence once its commands run (cli/base.py).
        print(STOPPED_WHILE_STARTING, file=sys.stderr)
        raise SystemExit(130) from None
    if started is None:
        desktop_verbs.main()
    else:
        from practitioner_app.ui import app

        raise SystemExit(app.event_loop(*started))
