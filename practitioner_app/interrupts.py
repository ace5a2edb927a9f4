"""Holding Ctrl-C back while a change is being saved, so that it lands after the save is whole.

Python raises KeyboardInterrupt at the next bytecode after SIGINT arrives, wherever that is. Inside
a unit of work's COMMIT (in SQLAlchemy's bookkeeping around SQLite's), while its connection goes
back to the pool, or between the commit and the audit witness beside the key file, it would leave
the change saved but the witness a step behind the chain, and a traceback from the pool's reset.
Held back, the interrupt is raised as soon as all of that is done: the command line still stops
at once and says "whatever was saved stays saved" (cli/base.py). Exports hold it the same way from
writing their file until it is audited, so no copy of case data is left on disk unrecorded.
"""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


class Stopped(KeyboardInterrupt):
    """Ctrl-C raised when a hold ends, with what the work held through had to say (a copy made
    but not audited, for want of room on the vault's disk): the command line says `note` too."""

    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


@dataclass
class Hold:
    """A hold in progress. `note`: a sentence the block has for the practitioner, which a Ctrl-C
    raised at the end of the hold carries (`Stopped`) rather than loses."""

    note: str | None = None


@contextmanager
def ctrl_c_held_back() -> Iterator[Hold]:
    """Ctrl-C pressed inside the block raises KeyboardInterrupt when the block ends, not inside
    it. If the block raises, its own exception goes on and the Ctrl-C is dropped (the command
    stops either way).

    Only where Ctrl-C raises KeyboardInterrupt: Python's default handler, on the main thread (the
    only thread Python runs signal handlers on). Elsewhere, and inside an outer hold, the block
    runs as it is: the desktop app's workers, or a handler someone else installed, are left alone.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield Hold()
        return
    hold = Hold()
    pressed: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: pressed.append(signum))
    try:
        yield hold
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if pressed:
        raise Stopped(hold.note) if hold.note else KeyboardInterrupt
