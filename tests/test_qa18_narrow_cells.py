"""QA of issue 18 (fresh tester): a word in a shaped script (Tamil, Bengali, Devanagari) that is
wider than its table column, as a name written without a space or text pasted without spaces,
is cut between characters by ReportLab and then drawn UNSHAPED: its vowel signs and conjuncts
print as empty boxes (.notdef), e.g. 'க▯▯▯ண▯▯▯ப▯ரமணி' in the chronology's Source column and in
the early help plan's 'Who' column. The same word in a wide paragraph (the chronology cover's
'Entries by source') prints shaped.

Read back with pypdf, each glyph comes out as its letter or, for a shaped glyph with no letter of
its own, a private-use code point given in the order glyphs are first used. So the word drawn
wide first (the control) and the word in the narrow cell, its line breaks removed, read back the
same when both are shaped; the boxes read back as other code points (U+FFFF, or one private-use
point repeated: 'க\ue008\ue008\ue008ண')."""

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfReader

from practitioner_app.domain.enums import EventKind
from practitioner_app.domain.records import ChronologyEventDetails
from practitioner_app.services import exports, forms, people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import AT, child_details

WORDS = {
    "tamil": "கிருஷ்ணன்சுப்பிரமணியம்கிருஷ்ணன்",
    "bengali": "অমিতক্ষঅমিতক্ষঅমিতক্ষঅমিতক্ষ",
    "devanagari": "प्रियाशर्माप्रियाशर्माप्रियाशर्मा",
}


def page_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def drawn_wide(text: str, before: str, after: str) -> str:
    """The word as read back where it was drawn wide: between `before` and `after`."""
    start = text.index(before) + len(before)
    return text[start : text.index(after, start)].strip()


@pytest.mark.parametrize("script", WORDS)
def test_a_shaped_word_wider_than_its_chronology_column_prints_without_boxes(
    workspace: Workspace, tmp_path: Path, script: str
) -> None:
    word = WORDS[script]
    child = people.add_child(workspace, child_details()).id
    made = records.create_entry(
        workspace,
        ChronologyEventDetails(
            child_id=child, occurred_at=AT, source=word, kind=EventKind.OTHER, event="Seen."
        ),
    )
    records.finalise(workspace, made.kind, made.id)
    out = tmp_path / "chronology.pdf"
    exports.chronology(workspace, child, out)
    text = page_text(out)
    # The cover lists 'Entries by source' in a wide column: '<word>: 1'.
    wide = drawn_wide(text, "1 in all", ": 1")
    table = text[text.index("Recorded by") :].replace("\n", "")
    assert wide in table, f"{script}: the Source column draws {table!r}, the cover {wide!r}"


@pytest.mark.parametrize("script", WORDS)
def test_a_shaped_word_wider_than_the_plans_who_column_prints_without_boxes(
    workspace: Workspace, tmp_path: Path, script: str
) -> None:
    word = WORDS[script]
    child = people.add_child(workspace, child_details()).id
    form = forms.start(workspace, child, "early_help")
    sections = {
        **form.details.sections,
        "reason": f"Asked by {word} today",  # drawn wide, before the plan: the control
        "plan.actions": f"Visit weekly | {word} | May",
    }
    forms.save(workspace, form.id, dataclasses.replace(form.details, sections=sections))
    out = tmp_path / "early-help.pdf"
    exports.form_pdf(workspace, form.id, out, recipient=None)
    text = page_text(out)
    wide = drawn_wide(text, "Asked by", "today")
    plan = text[text.index("By when") :].replace("\n", "")
    assert wide in plan, f"{script}: the Who column draws {plan[:200]!r}, the answer {wide!r}"
