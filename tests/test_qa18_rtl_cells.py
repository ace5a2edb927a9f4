"""QA of issue 18 (fresh tester): a right-to-left phrase of up to 40 characters is handed to
HarfBuzz as one unit with its spaces made non-breaking (scripts.RTL_UNIT), so ReportLab cannot
wrap it between words. In a narrow table column, such as the chronology's Source, a hospital or
agency named in Hebrew or Arabic (30-40 characters) is then cut between letters, mid-word, and
each part is drawn with its letters in reverse order (Hebrew 'בירושלים' as 'םילשוריב' read right
to left) and, for Arabic, unjoined. Seen at -r 250: 'כה סילוחה תיבמ ןהכ הרש' over 'סילשוריב יללכ'.

Read back with pdfplumber, the characters of the Source column line by line, left to right,
NFKC: every line of a right-to-left phrase drawn correctly is whole words, each drawn reversed
(its first letter rightmost), and the first line holds the first word."""

import unicodedata
from pathlib import Path

import pdfplumber
import pytest

from practitioner_app.domain.enums import EventKind
from practitioner_app.domain.records import ChronologyEventDetails
from practitioner_app.services import exports, people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import AT, child_details

SOURCES = {
    "hebrew": "שרה כהן מבית החולים הכללי בירושלים",
    # No lam-alef: NFKC gives its two letters in logical order, not drawn order.
    "arabic": "مستشفى الملك فيصل التخصصي ومركز البحوث",
}


def source_column_lines(path: Path) -> list[str]:
    with pdfplumber.open(path) as document:
        page = document.pages[-1]
        words = page.extract_words()
        left = next(w["x0"] for w in words if w["text"] == "Source")
        right = next(w["x0"] for w in words if w["text"] == "Significance")
        top = next(w["bottom"] for w in words if w["text"] == "Source")
        rows: dict[int, list[dict[str, object]]] = {}
        for char in page.chars:
            if left - 1 <= char["x0"] < right - 1 and top + 5 < char["top"] < page.height - 60:
                rows.setdefault(round(char["matrix"][5]), []).append(char)
    return [
        unicodedata.normalize(
            "NFKC",
            "".join(str(c["text"]) for c in sorted(chars, key=lambda c: c["x0"])),  # type: ignore[arg-type, return-value]
        )
        for _, chars in sorted(rows.items(), reverse=True)
    ]


@pytest.mark.parametrize("script", SOURCES)
def test_a_right_to_left_source_in_a_narrow_column_wraps_between_whole_words(
    workspace: Workspace, tmp_path: Path, script: str
) -> None:
    source = SOURCES[script]
    assert all(pair not in source for pair in ("لا", "لأ", "لإ", "لآ"))
    child = people.add_child(workspace, child_details()).id
    made = records.create_entry(
        workspace,
        ChronologyEventDetails(
            child_id=child, occurred_at=AT, source=source, kind=EventKind.OTHER, event="Seen."
        ),
    )
    records.finalise(workspace, made.kind, made.id)
    out = tmp_path / "chronology.pdf"
    exports.chronology(workspace, child, out)
    lines = [line for line in source_column_lines(out) if line.strip()]
    assert len(lines) >= 2, lines  # the phrase is wider than the column
    drawn_words = [word[::-1] for line in lines for word in line.split()]
    assert set(drawn_words) <= set(source.split()), f"words cut or reversed: {lines}"
    assert source.split()[0] in {word[::-1] for word in lines[0].split()}, lines
