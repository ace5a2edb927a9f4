"""QA of issue 18 (fresh tester): a very long chronology entry is cut into table rows "never
inside a date, a number or a character and its marks" (chronology_pdf.pieces). These hold for
ASCII dates and Latin accents; they do not hold for dates in Arabic-Indic or Persian digits, nor
for a Bengali or Devanagari conjunct, whose virama joins the consonant AFTER it."""

import re
from itertools import pairwise

import pytest

from practitioner_app.export.chronology_pdf import PIECE, pieces


@pytest.mark.parametrize(
    "date",
    ["16/04/2025", "١٦/٠٤/٢٠٢٥", "۱۶/۰۴/۱۴۰۴"],
    ids=["ascii", "arabic-indic", "persian"],
)
@pytest.mark.parametrize("lead", range(14))
def test_a_date_in_any_digits_is_never_cut_between_two_rows(date: str, lead: int) -> None:
    """An entry with no space (pasted from a message: a word, a date, a word, a date ...), long
    enough to be cut between characters: no piece ends inside a date.

    Seen: ASCII dates hold; with Arabic-Indic or Persian digits the cut falls anywhere, e.g. a
    row ending '...يوم١' and the next starting '٦/٠٤/٢٠٢٥' (_TOKEN knows only 0-9)."""
    value = "x" * lead + f"يوم{date}" * (2 * PIECE // 13)
    cut = pieces(value)
    assert "".join(cut) == value
    assert len(cut) > 1
    digits = "0-9\u0660-\u0669\u06f0-\u06f9"
    for before, after in pairwise(cut):
        split = re.search(f"[{digits}/]$", before) and re.match(f"[{digits}/]", after)
        assert not split, f"a date cut between rows: ...{before[-6:]!r} | {after[:6]!r}..."


@pytest.mark.parametrize(
    "cluster",
    ["ক্ষ", "क्ष", "ਸ੍ਰ", "ક્ષ", "க்ஷ"],
    ids=["bengali", "devanagari", "gurmukhi", "gujarati", "tamil"],
)
@pytest.mark.parametrize("lead", range(3))
def test_a_conjunct_is_never_cut_between_two_rows(cluster: str, lead: int) -> None:
    """A consonant, virama, consonant (ক্ষ) is one written letter: a cut between characters
    never falls after the virama, leaving 'ক্' (with a visible halant) at the end of one row
    and 'ষ' at the start of the next.

    Seen: with the text shifted by two characters the Bengali piece ends in BENGALI SIGN
    VIRAMA and the next starts with BENGALI LETTER SSA (_holds keeps a mark with the letter
    before it, not a virama with the letter after it)."""
    value = "ab"[:lead] + cluster * (2 * PIECE // len(cluster))
    cut = pieces(value)
    assert "".join(cut) == value
    virama = ("\u09cd", "\u094d", "\u0a4d", "\u0acd", "\u0bcd")
    for piece in cut[:-1]:
        assert not piece.endswith(virama), f"a piece ends in a virama: ...{piece[-3:]!r}"
