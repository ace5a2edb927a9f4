"""Keeping Python's cyclic garbage collector from freezing the window.

A full pass of the collector traverses every object it watches while holding the interpreter
lock, so the window, whichever thread set it off, waits for it. Two habits keep those passes short:

- `without_cyclic_gc` pauses the collector while the worker builds a great many objects at once
  (the caseload's facts for the alert rules, a long PDF's layout): each allocation burst would set
  off full passes over everything alive, 100-500 ms each. Reference counting still frees
  everything; the collector resumes (process-wide) when the work ends.
- `freeze_survivors` moves what is alive once the worker falls idle (the caseload, the open child,
  the window's models) out of the collector's sight, so later full passes traverse only what came
  after. At 4,000 children the passes over the caseload held the window for 80-150 ms (issue 19).
  `collect_everything` brings it all back and collects it: at lock, and after half a minute with
  no input (ui/main_window.py), so garbage cycles among frozen objects never wait long.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_survivors() -> None:
    """Collect the garbage cycles among the objects the collector still watches, then freeze the
    rest (`gc.freeze`). Call it when no work is under way, so nothing half-built is frozen: a
    frozen object is still freed by reference counting, but a reference cycle that becomes garbage
    after it was frozen waits for `collect_everything` (an evicted SQLAlchemy statement, say:
    about 10,000 objects over unlocking, opening, searching and exporting at 400 children). Costs
    a full pass over what is new since the last call: 0-35 ms after each job at 4,000 children,
    which is why the worker waits until its answer is on screen (ui/worker.py)."""
    gc.collect()
    gc.freeze()


def collect_everything(*, freeze: bool = True) -> None:
    """Unfreeze everything, collect every garbage cycle, and freeze what survives (unless `freeze`
    is False: work is under way, and `freeze_survivors` freezes once it ends): so no cycle of
    objects holding case data outlives a lock. A full pass over all the app holds (the imported
    modules too): 150-180 ms at 4,000 children, paid while nobody waits on the window."""
    gc.unfreeze()
    gc.collect()
    if freeze:
        gc.freeze()
