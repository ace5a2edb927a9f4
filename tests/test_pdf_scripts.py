"""Issue 18 read back from real PDFs: a family named in every script prints in its own fonts on
every page of the chronology, the MARF and the early help assessment; nothing becomes [U+XXXX]
that a shipped font can draw; a 1,500-word amendment reason prints; a row cut by a page says
what it continues; and no text a user can write stops a PDF from being made."""

import dataclasses
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from practitioner_app.domain.chronology import AmendmentNote, ChronologyRow
from practitioner_app.domain.enums import EntryStatus, EventKind, Significance
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import (
    ChildDetails,
    ChronologyEventDetails,
    HouseholdMemberDetails,
    ProfessionalDetails,
)
from practitioner_app.export import pdf, scripts
from practitioner_app.export.chronology_pdf import ChronologyCover, chronology_pdf, pieces
from practitioner_app.services import exports, forms, people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import child_details
from tests.names import FAMILY_NAMES, LATIN_GREEK_CYRILLIC
from tests.test_forms import complete_marf, make_case

CHILD_GIVEN, CHILD_FAMILY = "অমিত", "রায়"  # Bengali
MOTHER = FAMILY_NAMES["Urdu"]
# The embedded font (subset) each script is set in.
SCRIPT_FONT = {
    "Arabic": "NotoSansArabic",
    "Urdu": "NotoSansArabic",
    "Persian": "NotoSansArabic",
    "Bengali": "NotoSansBengali",
    "Gujarati": "NotoSansGujarati",
    "Gurmukhi": "NotoSansGurmukhi",
    "Devanagari": "NotoSansDevanagari",
    "Tamil": "NotoSansTamil",
    "Chinese simplified": "NotoSansCJKsc",
    "Chinese traditional": "NotoSansCJKtc",
    "Hebrew": "NotoSansHebrew",
    "Amharic": "NotoSansEthiopic",
}


def fonts_by_page(path: Path) -> list[set[str]]:
    """The fonts each page draws text in (subset prefix dropped), from its content stream."""
    found = []
    for page in PdfReader(path).pages:
        used: set[str] = set()

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any, used: set[str] = used) -> None:
            if font is not None and text.strip():
                used.add(str(font["/BaseFont"]).split("+")[-1])

        page.extract_text(visitor_text=visit)
        found.append(used)
    return found


def text_of(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


@pytest.fixture
def family(workspace: Workspace) -> str:
    """A child named in Bengali, an Urdu-speaking mother, and relatives named in every script."""
    child = people.add_child(
        workspace, child_details(given_name=CHILD_GIVEN, family_name=CHILD_FAMILY)
    ).id
    people.add_household_member(
        workspace,
        child,
        HouseholdMemberDetails(MOTHER, "mother", True, parental_responsibility=True),
    )
    for script, name in FAMILY_NAMES.items():
        if name != MOTHER:
            people.add_household_member(
                workspace, child, HouseholdMemberDetails(name, f"relative ({script})", False)
            )
    people.add_professional(
        workspace,
        child,
        ProfessionalDetails(FAMILY_NAMES["Romanian"], "Social worker", "Northshire CSC", lead=True),
    )
    start = datetime(2025, 4, 16, 10, 30, tzinfo=UTC)
    for n, (script, name) in enumerate(FAMILY_NAMES.items()):
        details = ChronologyEventDetails(
            child_id=child,
            occurred_at=start + timedelta(days=n),
            source=f"Family of {name}",
            kind=EventKind.OTHER,
            event=f"{script}: home visit; {name} (relative) said the child ate well.",
            significance=Significance.HIGH,
        )
        made = records.create_entry(workspace, details)
        records.finalise(workspace, made.kind, made.id)
    return child


def test_a_family_named_in_every_script_prints_in_its_own_fonts_in_every_pdf(
    workspace: Workspace, family: str, tmp_path: Path
) -> None:
    marf = complete_marf(workspace, forms.start(workspace, family, "marf"))
    early_help = forms.start(workspace, family, "early_help")
    made = {
        "chronology": tmp_path / "chronology.pdf",
        "marf": tmp_path / "marf.pdf",
        "early help": tmp_path / "early-help.pdf",
    }
    exports.chronology(workspace, family, made["chronology"])
    exports.form_pdf(workspace, marf.id, made["marf"], recipient=None)
    exports.form_pdf(workspace, early_help.id, made["early help"], recipient=None)
    for document, path in made.items():
        body = text_of(path)
        # Left-to-right names in the main font come back exactly as typed.
        for script in LATIN_GREEK_CYRILLIC:
            assert FAMILY_NAMES[script] in body, (document, script)
        # Every character of every name has a font: none is shown as a code point.
        assert "[U+" not in body, document
        pages = fonts_by_page(path)
        used = set().union(*pages)
        for script, font in SCRIPT_FONT.items():
            assert any(name.startswith(font) for name in used), (document, script)
        # The child's name, in Bengali, is in every page's header.
        for number, fonts in enumerate(pages, start=1):
            assert any(name.startswith("NotoSansBengali-Bold") for name in fonts), (
                document,
                number,
            )


def test_right_to_left_names_are_placed_right_to_left_inside_english(tmp_path: Path) -> None:
    """محمد علي حسن in an English sentence: the first name is drawn rightmost, its letters
    joined (the shaped, contextual forms), the numbers beside it left to right."""
    value = "Seen with محمد علي حسن on 12/03/2025 at 10:30."
    path = tmp_path / "rtl.pdf"
    path.write_bytes(
        pdf.render(
            [pdf.para(pdf.text(value), pdf.styles().body)],
            PROVENANCE,
            pagesize=(595, 842),
            subject="test",
        )[0]
    )
    with pdfplumber.open(path) as document:
        page = document.pages[0]
        # On the baseline of the Arabic (the fonts' heights differ; their baseline does not).
        first = next(c["matrix"][5] for c in page.chars if c["text"] == "ﺣ")
        line = sorted(
            (c for c in page.chars if abs(c["matrix"][5] - first) < 0.5), key=lambda c: c["x0"]
        )
    drawn = "".join(c["text"] for c in line if not c["text"].isspace())
    # Joined forms, drawn left to right in visual order: حسن (leftmost), علي, محمد (rightmost);
    # the English and the date around them in reading order.
    assert drawn == "Seenwith" + "ﻦﺴﺣﻲﻠﻋﺪﻤﺤﻣ" + "on12/03/2025at10:30."


PROVENANCE = pdf.Provenance(
    "Chronology",
    f"{CHILD_GIVEN} {CHILD_FAMILY}",
    "Born 01/01/2020",
    "Asha Patel (Health visitor)",
    datetime(2025, 4, 16, 12, 0, tzinfo=UTC),
    7,
    "0" * 64,
)


def row(n: int, event: str, **overrides: Any) -> ChronologyRow:
    at = datetime(2025, 4, 16, 12, 0, tzinfo=UTC)
    values: dict[str, Any] = {
        "date": (at + timedelta(days=n)).date(),
        "time": "12:00",
        "date_uncertain": False,
        "age": "4y",
        "event": event,
        "source": "Northshire Police",
        "source_kind": "police",
        "significance": None,
        "impact": None,
        "action": "Referred",
        "record_kind": RecordKind.CHRONOLOGY_EVENT,
        "record_id": f"r{n}",
        "status": EntryStatus.FINAL,
        "recorded_by": "Asha Patel",
        "recorded_at": at,
        "recorded_at_known": True,
        "imported": None,
        "late": False,
        "amended": False,
        "significant": True,
        "sort_key": at,
    }
    values.update(overrides)
    return ChronologyRow(**values)


def chronology(rows: list[ChronologyRow], child: ChildDetails | None = None) -> tuple[bytes, int]:
    child = child or ChildDetails(
        given_name="Maya", family_name="Okafor", date_of_birth=date(2020, 1, 1)
    )
    cover = ChronologyCover(child, "5y", (), None, None, None, False, False)
    return chronology_pdf(cover, rows, PROVENANCE)


def test_a_row_cut_by_a_page_repeats_its_date_and_says_continued(tmp_path: Path) -> None:
    long = " ".join(f"line{n} of what the neighbour saw." for n in range(400))
    path = tmp_path / "continued.pdf"
    path.write_bytes(chronology([row(0, "Short."), row(1, long), row(2, "After.")])[0])
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(path).pages]
    assert len(pages) >= 3
    for page in pages[1:]:
        if "line" in page.split("(continued)")[-1]:
            # The date of the row it continues, then "(continued)" in the date and event cells.
            assert re.search(
                r"17/04/2025 12:00 \(continued\) 4y|17/04/2025 12:00 \(continued\)", page
            )
            assert page.count("(continued)") >= 2
    everything = " ".join(pages)
    assert [int(n) for n in re.findall(r"line(\d+) of", everything)] == list(range(400))


def test_long_text_is_cut_at_line_breaks_then_words_never_inside_a_date() -> None:
    lines = "\n".join(f"Seen 16/04/2025 {n}" for n in range(400))
    for piece in pieces(lines)[:-1]:
        assert piece.endswith("\n")
    words = " ".join("16/04/2025" for _ in range(800))
    assert all(p.endswith(" ") for p in pieces(words)[:-1])
    dates = "16/04/2025" * 800  # no space, no line break: cut between characters, not in a date
    cut = pieces(dates)
    assert "".join(cut) == dates
    assert all(len(p) % len("16/04/2025") == 0 for p in cut[:-1])
    marks = "e\u0301" * 3000  # a letter and its accent stay together
    assert all(not p.startswith("\u0301") for p in pieces(marks))


def test_a_final_marf_amended_with_a_1500_word_reason_of_60_lines_prints(
    workspace: Workspace, tmp_path: Path
) -> None:
    marf = complete_marf(workspace, forms.start(workspace, make_case(workspace).child, "marf"))
    final = forms.finalise(workspace, marf.id)
    reason = "\n".join(
        " ".join(f"w{line:02d}x{word:02d}" for word in range(25)) for line in range(60)
    )
    assert len(reason.split()) == 1500
    records.amend(
        workspace, "referral", final.id, "sections.strengths", "Grandmother visits.", reason
    )
    out = tmp_path / "marf.pdf"
    made = exports.form_pdf(workspace, final.id, out, recipient=None)
    body = text_of(out)
    assert made.pages == len(PdfReader(out).pages) >= 3
    assert re.findall(r"w\d\dx\d\d", body) == reason.split()


def test_a_form_answer_of_thousands_of_lines_and_no_spaces_prints(
    workspace: Workspace, family: str, tmp_path: Path
) -> None:
    form = forms.start(workspace, family, "marf")
    sections = {
        **form.details.sections,
        "reason": "\n".join(f"line{n}" for n in range(3000)),
        "strengths": "x" * 20_000 + "end",
    }
    forms.save(workspace, form.id, dataclasses.replace(form.details, sections=sections))
    out = tmp_path / "lines.pdf"
    exports.form_pdf(workspace, form.id, out, recipient=None)
    body = text_of(out)
    assert [int(n) for n in re.findall(r"line(\d+)", body)] == list(range(3000))
    assert "".join(body.split()).count("x") >= 20_000


def test_an_amendment_note_in_the_chronology_splits_across_pages(tmp_path: Path) -> None:
    reason = " ".join(f"reason{n}" for n in range(1500))
    note = AmendmentNote(
        "What happened", "corrected text", reason, "Asha", PROVENANCE.made_at, True, None
    )
    data, pages = chronology([row(0, "Seen.", amended=True, amendments=(note,))])
    path = tmp_path / "amended.pdf"
    path.write_bytes(data)
    body = text_of(path)
    assert pages >= 2
    assert [int(n) for n in re.findall(r"reason(\d+)", body)] == list(range(1500))


def test_an_entry_of_100000_characters_with_no_space_prints_every_one(tmp_path: Path) -> None:
    value = "ж" * 100_000  # a letter nothing else on the pages has
    data, pages = chronology([row(0, value)])
    path = tmp_path / "nospace.pdf"
    path.write_bytes(data)
    assert pages >= 20
    assert text_of(path).count("ж") == 100_000


def faces(value: str) -> list[tuple[str, str]]:
    return [
        ("MISSING" if r.face == scripts.MISSING else scripts.FACES[r.face].name, r.text)
        for r in scripts.runs(value)
    ]


def test_each_letter_goes_to_the_first_font_that_has_it_and_neutrals_stay_in_their_run() -> None:
    pdf.register_fonts()
    assert faces("Ștefan (অমিত রায়), 12") == [
        ("PractitionerSans", "Ștefan ("),
        ("ScriptBengali", "অমিত রায়), 12"),
    ]
    # Traditional Chinese throughout when any character is traditional only.
    assert faces("陳大文") == [("ScriptChineseTC", "陳大文")]
    assert faces("王大文") == [("ScriptChineseSC", "王大文")]
    # No font has it: its code point, with the joiner that belongs to it.
    assert faces("a 👶\u200d🍼") == [
        ("PractitionerSans", "a "),
        ("MISSING", "👶\u200d🍼"),
    ]


def test_a_number_between_right_to_left_words_reads_left_to_right_inside_their_stretch() -> None:
    pdf.register_fonts()
    # Unicode bidi (W2, N1, L2): the number after an Arabic word is an Arabic number, so the
    # stretch 'شارع 12 علي' is drawn right to left with the number between, reading 12.
    drawn = [(r.text, r.rtl) for r in scripts.visual_runs("Flat شارع 12 علي here")]
    assert drawn == [
        ("Flat ", False),
        (" علي", True),
        ("12", False),
        ("شارع ", True),
        (" ", False),
        ("here", False),
    ]
    # A number in another font between two right-to-left words: the same. Each right-to-left
    # run is drawn reversed.
    runs = scripts.visual_runs("Flat شارع 12/3 علي here")
    line = "".join(r.text[::-1] if r.rtl else r.text for r in runs)
    assert line == "Flat " + "علي"[::-1] + " 12/3 " + "شارع"[::-1] + " here"


# In a process of its own: the faces registered in this one depend on the tests before.
_ON_DEMAND = """
import sys
from pathlib import Path
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, SimpleDocTemplate
from practitioner_app.export import pdf

def script_faces():
    return sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith("Script"))

english = pdf.text("Zoë Smith, seen at home; Ελένη and Ілля too")
print(script_faces())
mixed = pdf.text("محمد 王小明 陳大文")
print(script_faces())
style = getSampleStyleSheet()["Normal"]
style.fontName = pdf.REGULAR
SimpleDocTemplate(sys.argv[1]).build([Paragraph(english, style), Paragraph(mixed, style)])
"""


def test_a_script_font_is_registered_only_once_text_needs_it(tmp_path: Path) -> None:
    # Parsed, the 21 shipped files hold 29 MB; an English chronology needs only the main face.
    out = tmp_path / "on-demand.pdf"
    done = subprocess.run(
        [sys.executable, "-c", _ON_DEMAND, str(out)], capture_output=True, text=True, check=True
    )
    before, after = done.stdout.splitlines()
    assert before == "[]"
    assert after == "['ScriptArabic', 'ScriptArabic-Bold', 'ScriptChineseSC', 'ScriptChineseTC']"
    assert fonts_by_page(out) == [
        {
            "NotoSans-Regular",
            "NotoSansArabic-Regular",
            "NotoSansCJKsc-Regular",
            "NotoSansCJKtc-Regular",
        }
    ]
