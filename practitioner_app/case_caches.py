"""Caches that hold case text (names laid out for a PDF's header, text runs shaped, authors'
signatures), emptied when the vault locks.

A cache keyed by case text keeps that text in memory after the lock, where SECURITY.md promises
none stays: each such cache is registered here with `forget_at_lock`, and `Workspace.lock`
calls `forget`. Caches of fonts, styles and SQL hold no case text and are left alone.
"""

from typing import Protocol, TypeVar


class _Cache(Protocol):
    def cache_clear(self) -> None: ...


C = TypeVar("C", bound=_Cache)

_REGISTERED: list[_Cache] = []


def forget_at_lock(cache: C) -> C:
    """Register a `functools.lru_cache` whose arguments or results are case text; returns it."""
    _REGISTERED.append(cache)
    return cache


def registered() -> tuple[_Cache, ...]:
    return tuple(_REGISTERED)


def forget() -> None:
    """Empty every registered cache."""
    for cache in _REGISTERED:
        cache.cache_clear()
