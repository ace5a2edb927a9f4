"""QA of issue 18 (fresh tester): right-to-left text and numbers placed in the PDFs as the Unicode
bidi algorithm places them in an English (left-to-right) page, as the screens show them.

Each test reads a real PDF back with pdfplumber: the characters of one line (one baseline),
sorted left to right by where they are drawn, NFKC-normalised (the shaped Arabic glyphs come
back as presentation forms; NFKC turns them into the letters again). So a line reads as its
*visual* order: an Arabic word appears reversed (its first letter rightmost), exactly as a
reference bidi implementation such as python-bidi's get_display() would return it. The words
used contain no lam-alef, the one ligature whose letters NFKC gives in logical order.
"""

import unicodedata
from pathlib import Path

import pdfplumber
from reportlab.platypus import Flowable

from practitioner_app.domain.enums import EventKind
from practitioner_app.domain.records import ChronologyEventDetails
from practitioner_app.export import pdf
from practitioner_app.services import exports, forms, people, records
from practitioner_app.services.workspace import Workspace
from tests.conftest import child_details
from tests.test_pdf_scripts import PROVENANCE


def visual(value: str) -> str:
    """An Arabic or Hebrew word as it reads left to right on the page (NFKC, unshaped)."""
    return value[::-1]


def drawn_lines(path: Path) -> list[str]:
    """Every line of text between the page header and footer, top to bottom, each as the
    characters drawn on one baseline from left to right (NFKC)."""
    found = []
    with pdfplumber.open(path) as document:
        for page in document.pages:
            rows: dict[int, list[dict[str, object]]] = {}
            for char in page.chars:
                if 60 < char["top"] < page.height - 60:
                    rows.setdefault(round(char["matrix"][5]), []).append(char)
            for baseline in sorted(rows, reverse=True):
                chars = sorted(rows[baseline], key=lambda c: c["x0"])  # type: ignore[arg-type, return-value]
                found.append(unicodedata.normalize("NFKC", "".join(str(c["text"]) for c in chars)))
    return found


def paragraphs(values: list[str], path: Path) -> list[str]:
    """`values` as body paragraphs of an A4 PDF made by pdf.render, read back as drawn lines."""
    story: list[Flowable] = [pdf.para(pdf.text(value), pdf.styles().body) for value in values]
    path.write_bytes(pdf.render(story, PROVENANCE, pagesize=(595, 842), subject="qa18")[0])
    return drawn_lines(path)


# 27 Arabic words (a grandmother's account, invented), about 150 characters: wider than one
# line of the body text, so the passage wraps onto two or three lines.
PASSAGE = (
    "ذهبت مريم مع جدتها إلى السوق يوم الجمعة ثم رجعت إلى البيت بعد المغرب وكانت متعبة جدا "
    "ونامت مبكرا من دون عشاء حسب كلمات جدتها التي تسكن في الشارع المجاور للمدرسة القديمة"
)
FIRST, LAST = "ذهبت", "القديمة"


def test_a_wrapped_right_to_left_passage_starts_on_its_first_line(tmp_path: Path) -> None:
    """A passage of Arabic longer than a line, inside English: its first words are on the first
    line and its last words on the last, as any reader (and the screens) wrap it.

    Seen: the first line of the PDF holds the END of the passage and the last line its
    beginning, so the account reads bottom to top. scripts.runs cuts a passage of more than
    RTL_UNIT (40) characters into units and _between_rtl then puts the units in reverse order
    in the paragraph's text, before ReportLab wraps it."""
    assert all(pair not in PASSAGE for pair in ("لا", "لأ", "لإ", "لآ"))
    lines = paragraphs([f"Grandmother said: {PASSAGE} End of account."], tmp_path / "wrap.pdf")
    assert len(lines) >= 2, lines
    assert lines[0].startswith("Grandmother said:"), lines
    assert visual(FIRST) in lines[0], f"the passage's first word is not on its first line: {lines}"
    assert visual(LAST) in lines[-1], f"the passage's last word is not on its last line: {lines}"


def test_a_full_stop_after_a_right_to_left_name_is_drawn_after_it(tmp_path: Path) -> None:
    """'Seen with محمد علي حسن. Then left.': the full stop ends the English sentence and is
    drawn to the right of the name (bidi rule N1/N2: a neutral between right-to-left and
    left-to-right text takes the page's direction).

    Seen: the full stop is drawn to the LEFT of the name ('Seen with .نسح يلع دمحم Then
    left.'): it stays in the Arabic font's run and HarfBuzz shapes it right to left with the
    name. The same for a comma after an Arabic name in a list."""
    lines = paragraphs(
        ["Seen with محمد علي حسن. Then left.", "Names: محمد, سمير and حسن."],
        tmp_path / "stop.pdf",
    )
    name = " ".join(visual(word) for word in ("حسن", "علي", "محمد"))
    assert lines[0] == f"Seen with {name}. Then left.", lines[0]
    # 'محمد, سمير' is one right-to-left stretch (a comma between two Arabic words is Arabic);
    # the final full stop follows the last name.
    assert lines[1].endswith(f"and {visual('حسن')}."), lines[1]


def test_a_date_in_arabic_indic_digits_reads_left_to_right(tmp_path: Path) -> None:
    """A date written with Arabic-Indic (١٢/٠٤/٢٠٢٥) or Persian (۱۲/۰۴/۲۰۲۵) digits: digits
    are always drawn most significant first, left to right, whatever the script around them.

    Seen: each number is drawn reversed, '٢١/٤٠/٥٢٠٢' (21/40/5202) and '۲۱/۴۰/۵۲۰۲': the
    digits are set in the Arabic font, whose HarfBuzz run is shaped right to left."""
    lines = paragraphs(
        ["Seen on ١٢/٠٤/٢٠٢٥ at home.", "Seen on ۱۲/۰۴/۲۰۲۵ at home.", "Weighed ٣٫٤٥ kg."],
        tmp_path / "digits.pdf",
    )
    assert lines[0] == "Seen on ١٢/٠٤/٢٠٢٥ at home.", lines[0]
    assert lines[1] == "Seen on ۱۲/۰۴/۲۰۲۵ at home.", lines[1]
    assert lines[2] == "Weighed ٣٫٤٥ kg.", lines[2]


def test_a_number_after_an_arabic_street_name_belongs_to_it(tmp_path: Path) -> None:
    """'Address: شارع الملك 12, Leeds': a number that follows right-to-left text takes its
    direction (bidi rule W2: European digits after Arabic letters are Arabic numbers), so the
    house number is drawn at the LEFT end of the street name, where a right-to-left reader
    reaches it last, as every bidi-aware screen shows it.

    Seen: 'Address: كلملا عراش 12, Leeds' (the number at the right, read first)."""
    lines = paragraphs(["Address: شارع الملك 12, Leeds"], tmp_path / "street.pdf")
    street = f"{visual('الملك')} {visual('شارع')}"
    assert lines[0] == f"Address: 12 {street}, Leeds", lines[0]


def test_a_space_after_an_invisible_format_character_is_kept(tmp_path: Path) -> None:
    """A right-to-left mark, left-to-right mark, pop-directional-isolate or zero-width space
    typed (or pasted) before a space: in a paragraph that is shaped (it has Arabic in it) the
    word after the space still starts a space's width after the word before.

    Seen: the space is drawn with its width but the next word is drawn on top of it, so
    'RLM\u200f here' prints as 'RLMhere' (the early help PDF showed 'RLMhere.' and
    'محمدok.')."""
    path = tmp_path / "format.pdf"
    values = [f"محمد said A{mark} b." for mark in ("\u200f", "\u200e", "\u2069", "\u200b")]
    paragraphs(values, path)
    with pdfplumber.open(path) as document:
        page = document.pages[0]
        chars = [
            c for c in page.chars if c["text"] in ("A", "b") and 60 < c["top"] < page.height - 60
        ]
    lines: dict[int, dict[str, float]] = {}
    for char in chars:
        lines.setdefault(round(char["top"]), {})[char["text"]] = (
            char["x1"] if char["text"] == "A" else char["x0"]
        )
    gaps = [round(line["b"] - line["A"], 1) for _, line in sorted(lines.items())]
    assert len(gaps) == 4
    # A space of the body text (9.5 pt Noto Sans) is about 2.5 pt wide.
    assert all(gap >= 2 for gap in gaps), f"gap between 'A<mark>' and 'b': {gaps}"


def test_other_names_in_arabic_keep_their_comma_in_every_pdf(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A child known by an Arabic and a Chinese name: the chronology cover and the MARF list
    'Other names' joined with ', ', and the comma is drawn after the Arabic name (between it and
    the Chinese one), not before it.

    Seen: 'Other names: ,محمد علي 王晓明' on the chronology cover and in the MARF."""
    child = people.add_child(workspace, child_details(other_names=("محمد علي", "王晓明"))).id
    made = records.create_entry(
        workspace,
        ChronologyEventDetails(
            child_id=child,
            occurred_at=PROVENANCE.made_at,
            source="Family",
            kind=EventKind.OTHER,
            event="Seen at home.",
        ),
    )
    records.finalise(workspace, made.kind, made.id)
    chronology, marf = tmp_path / "chronology.pdf", tmp_path / "marf.pdf"
    exports.chronology(workspace, child, chronology)
    exports.form_pdf(workspace, forms.start(workspace, child, "marf").id, marf, recipient=None)
    expected = f"{visual('علي')} {visual('محمد')}, 王晓明"
    for path in (chronology, marf):
        line = next(line for line in drawn_lines(path) if "王晓明" in line)
        assert expected in line, (path.name, line)


def test_brackets_inside_right_to_left_text_enclose_the_words_they_enclose(
    tmp_path: Path,
) -> None:
    """Brackets between right-to-left words are right to left too, drawn mirrored (bidi rules
    N0/L4): 'محمد (والد مريم) علي' shows the bracketed words inside the brackets, as the screens
    show it.

    Seen: the brackets stay as typed while the words around them are reversed, so each bracket
    hugs the outer name and faces away from the words it encloses: 'علي) مريم والد (محمد'; in
    Hebrew 'שרה [כהן] אמא' the square brackets end up around the wrong name."""
    lines = paragraphs(
        ["Seen محمد (والد مريم) علي today", "Mother שרה [כהן] אמא said"],
        tmp_path / "brackets.pdf",
    )
    arabic = f"{visual('علي')} ({visual('مريم')} {visual('والد')}) {visual('محمد')}"
    assert lines[0] == f"Seen {arabic} today", lines[0]
    hebrew = f"{visual('אמא')} [{visual('כהן')}] {visual('שרה')}"
    assert lines[1] == f"Mother {hebrew} said", lines[1]
