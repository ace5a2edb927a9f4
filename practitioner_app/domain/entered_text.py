"""Limits on what may be typed into a person's details (names, languages, addresses, phone
numbers): a name is one line of printable text of a sensible length, an address a few lines.

Entries' narratives have their own (much larger) limits; these are for the short fields that go
on every page header, caseload row and referral, where a pasted document or a stray control
character would break what a reader sees. Sources: the NHS Data Dictionary gives 35 characters per
name part and 5 lines of 35 for an address; the limits here are wider so that no real name or
address is ever refused.
"""

import unicodedata
from collections.abc import Iterable

from practitioner_app.domain.errors import InvalidInput

NAME_LIMIT = 200  # characters in one name (given, family, preferred, each other name)
LINE_LIMIT = 500  # characters in a one-line detail (language, GP, school, phone numbers)
ADDRESS_LIMIT = 1000  # characters in an address, over several lines
OTHER_NAMES_LIMIT = 20  # other names (aliases, previous names) on one child

# Line breaks and tabs are allowed in the fields that hold several lines (an address).
_LAYOUT = frozenset("\n\r\t")


def _control(text: str, allowed: frozenset[str]) -> bool:
    # Cc: C0/C1 controls (NUL, ESC, DEL...). Format characters (Cf) are left alone: zero-width
    # joiners are part of how some scripts write names.
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def check_line(value: str | None, label: str, field: str, limit: int = LINE_LIMIT) -> None:
    """InvalidInput (one sentence naming `label`) if `value` has a line break or another control
    character, or is longer than `limit` characters. None and blank pass."""
    if value is None:
        return
    if _control(value, frozenset()):
        raise InvalidInput(
            f"{label} contains a line break or an invisible control character; type it on one "
            "line without pasting.",
            field,
        )
    if len(value) > limit:
        raise InvalidInput(
            f"{label} is {len(value):,} characters long, more than the {limit:,} it may hold; "
            "shorten it.",
            field,
        )


def check_lines(value: str | None, label: str, field: str, limit: int = ADDRESS_LIMIT) -> None:
    """As `check_line`, but line breaks and tabs are allowed (an address over several lines)."""
    if value is None:
        return
    if _control(value, _LAYOUT):
        raise InvalidInput(
            f"{label} contains an invisible control character; retype it without pasting.", field
        )
    if len(value) > limit:
        raise InvalidInput(
            f"{label} is {len(value):,} characters long, more than the {limit:,} it may hold; "
            "shorten it.",
            field,
        )


def check_names(names: Iterable[str], label: str, field: str) -> None:
    """Each name of a list (other names): one line, not blank, at most NAME_LIMIT characters,
    and no more than OTHER_NAMES_LIMIT of them."""
    listed = list(names)
    if len(listed) > OTHER_NAMES_LIMIT:
        raise InvalidInput(
            f"{label}: {len(listed)} names given, more than the {OTHER_NAMES_LIMIT} a child's "
            "record holds; keep the ones people use.",
            field,
        )
    for name in listed:
        if not name.strip():
            raise InvalidInput(f"{label} has an empty name; remove it or type the name.", field)
        check_line(name, label, field, NAME_LIMIT)
