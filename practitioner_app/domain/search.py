"""Turning what a practitioner types into a safe full-text query."""

import re

from practitioner_app.domain.folding import fold, spellings

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


def fts_query(text: str) -> str | None:
    """Every word must match, each as a prefix ("boyf" finds "boyfriend").

    Only runs of letters and digits are kept, each quoted, so quotes, `*`, `-`, `NEAR`, `AND` and
    unbalanced parentheses are plain words, never FTS5 syntax. None when nothing searchable is left.

    Words are folded (domain/folding.py): the index's tokenizer (unicode61, remove_diacritics 2)
    already ignores case and the accents Unicode decomposes, in either NFC or NFD, so "Zoe" finds
    "Zoë". Letters it cannot fold (Ł, Ø, ß...) are matched by also asking for each spelling with
    them: "Lukasz" is `("lukasz"* OR "łukasz"*)`.
    """
    words = _WORD.findall(fold(text))[:MAX_WORDS]
    if not words:
        return None
    # FTS5 wants AND spelled out beside a bracketed group; between plain phrases it is implied.
    return " AND ".join(_any_spelling(word) for word in words)


def _any_spelling(word: str) -> str:
    spelled = spellings(word)
    if len(spelled) == 1:
        return f'"{word}"*'
    return "(" + " OR ".join(f'"{s}"*' for s in spelled) + ")"
