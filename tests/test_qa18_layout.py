"""QA of issue 18 (fresh tester): "no layout error, ever", for a long name with no space in a
script that is shaped. The chronology's title, "Chronology for <name>", is one Paragraph outside
any table: for a name of 3,000 Arabic letters (or 6,000 Bengali) with no space, ReportLab cannot
split it and the export fails with LayoutError ("Splitting error(n==2) on page 1"). The same
length of Cyrillic, or the same Arabic name with spaces, prints; the MARF and early help PDFs,
which put the name in a table, print it too.

Names are now at most 200 characters (domain/entered_text.py), so the title holds the longest name
allowed with no space, and the same script's text, 6,000 characters with no space, is the
entry's own words: both print, shaped, cut only between letters (export/long_words.py)."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from practitioner_app.domain.enums import EventKind
from practitioner_app.domain.records import ChronologyEventDetails
from practitioner_app.services import exports, people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import AT, child_details


@pytest.mark.parametrize(
    "given",
    ["محمد" * 750, "অমিতক্ষ" * 1000, "ж" * 6000],
    ids=["arabic-3000", "bengali-7000", "cyrillic-6000"],
)
def test_a_long_name_with_no_space_in_any_script_prints_in_the_chronology(
    workspace: Workspace, tmp_path: Path, given: str
) -> None:
    name = given[:200]
    child = people.add_child(workspace, child_details(given_name=name)).id
    made = records.create_entry(
        workspace,
        ChronologyEventDetails(
            child_id=child, occurred_at=AT, source="Police", kind=EventKind.OTHER, event=given
        ),
    )
    records.finalise(workspace, made.kind, made.id)
    out = tmp_path / "chronology.pdf"
    result = exports.chronology(workspace, child, out)
    assert result.pages == len(PdfReader(out).pages) >= 2
