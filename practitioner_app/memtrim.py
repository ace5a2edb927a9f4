"""Giving memory back to the operating system after an import.

An import of a large bundle builds and frees a great deal: its JSON, its records, their rows and
the pages of a larger page cache (store/bulk_sqlite.py). glibc's allocator keeps what was freed
inside its heap for the process to reuse, so a process that imported the 400-child workload
stayed 290 MB larger than before it, for as long as it ran (issue 19). `malloc_trim` hands the
free pages back: 190 MB larger instead, with the import's larger page cache included.
"""

import ctypes
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where there is none (Windows, macOS, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    # The process's own symbols, glibc's among them: no search for the library file.
    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]  # ctypes functions are untyped


def give_back_freed_memory() -> bool:
    """Return the allocator's free memory to the operating system. True when glibc's
    malloc_trim ran; False where the allocator offers no such call (nothing to do)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
