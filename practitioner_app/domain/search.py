"""Turning what a practitioner types into a safe full-text query."""

import re

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


def fts_query(text: str) -> str | None:
    """Every word must match, each as a prefix ("boyf" finds "boyfriend").

    Only runs of letters and digits are kept, each quoted, so quotes, `*`, `-`, `NEAR`, `AND` and
    unbalanced parentheses are plain words, never FTS5 syntax. None when nothing searchable is left.
    """
    words = _WORD.findall(text)[:MAX_WORDS]
    if not words:
        return None
    return " ".join(f'"{word}"*' for word in words)
