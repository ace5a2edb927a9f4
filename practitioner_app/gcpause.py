"""Pausing Python's cyclic garbage collector while the worker builds a great many objects.

Reading the whole caseload for the alert rules, or laying out a long PDF, makes hundreds of
thousands of small objects. Each allocation burst can set off a full pass of the cyclic collector
over everything alive, and a full pass holds the interpreter lock for 100-500 ms: the window,
waiting for the lock, freezes. Reference counting still frees everything; the collector resumes
(process-wide) when the work ends.
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
