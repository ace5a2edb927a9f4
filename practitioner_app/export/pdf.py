"""The PDF layer every document shares (ARCHITECTURE.md "PDFs").

Plain data in, bytes out: no database session, no Qt, no files. The service that asks for a
document decides where the bytes go, so nothing half-written ever lands on disk.

Three promises live here:
- Hostile text is data (SECURITY.md 12). All user text reaches a Paragraph through `text()`,
  which escapes markup (an unescaped `<img src=...>` makes ReportLab open local files), and turns
  every character no embedded font can draw into a visible `[U+XXXX]`, so nothing is silently
  dropped and nothing prints as an empty box.
- Every page says what the document is and where it came from: the protective marking, whose
  record it is, page X of Y, who made it and when, and the audit chain head it reflects.
- Optional AES-256 password protection (SECURITY.md 15).
"""

import gc
import io
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
)
from reportlab.platypus.tables import TableStyle

from practitioner_app.domain.times import format_uk_datetime
from practitioner_app.export import scripts, shaping
from practitioner_app.export.bidi_lines import ShapedParagraph
from practitioner_app.export.canvas_text import draw
from practitioner_app.export.draft_mark import draw_draft_mark
from practitioner_app.export.pdf_tables import Block, SplitTable, TableStream
from practitioner_app.gcpause import without_cyclic_gc

MARKING = "OFFICIAL-SENSITIVE"
CREATOR = "Practitioner Records"

REGULAR = scripts.BASE.name
BOLD = scripts.BASE.bold_name
ITALIC = scripts.BASE.italic_name

MARGIN = 12 * mm
HEADER_SPACE = 14 * mm
FOOTER_SPACE = 14 * mm

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Provenance:
    """What every page of a document says about it."""

    title: str  # "Chronology"
    subject_name: str  # the child's name
    subject_born: str  # "born 03/02/2024" or "expected 01/12/2026"
    made_by: str  # "Name (Role, Agency)"
    made_at: datetime
    audit_seq: int
    audit_hash: str
    draft: bool = False  # a draft's every page is marked DRAFT (export/draft_mark.py)


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """ReportLab's ToUnicode map, with characters beyond U+FFFF written as UTF-16 surrogate pairs
    as the PDF reference requires. ReportLab writes them as five hex digits, which readers reject,
    so an emoji the font can draw would not come back out of the PDF as text."""

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be").hex().upper() if code > 0xFFFF else f"{code:04X}"

    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *(f"<{i:02X}> <{utf16(code)}>" for i, code in enumerate(subset)),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


@cache
def register_fonts() -> frozenset[int]:
    """Embed the fonts (once per process) and return the characters the main font draws in all
    three of its faces."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    shaping.install()
    return scripts.coverage()[0]


def shaping_available() -> bool:
    """Whether HarfBuzz shapes the scripts that need it (the uharfbuzz package is importable)."""
    register_fonts()
    scripts.use(1)
    return bool(pdfmetrics.getFont(scripts.FACES[1].name).shapable)


def _char_class(codes: frozenset[int]) -> str:
    """A regular expression character class of `codes`, as ranges."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(codes):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


@cache
def _main_font_only() -> re.Pattern[str]:
    """Text the main font draws by itself (and line breaks and tabs): the common case, which
    needs no look at each character."""
    drawable = frozenset(c for c in register_fonts() if not scripts.is_control(c))
    return re.compile(f"[{_char_class(drawable | {9, 10, 13})}]*")


_MARKUP = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "<br/>", "\r": "", "\t": " "}
)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markup_line(line: str) -> str:
    parts = []
    for run in scripts.runs(line):
        if run.face == scripts.MISSING:
            parts.append(scripts.code_points(run.text))
        elif run.face == 0:
            parts.append(_escape(run.text))
        else:
            parts.append(f'<font face="{scripts.FACES[run.face].name}">{_escape(run.text)}</font>')
    return "".join(parts)


def text(value: object) -> str:
    """The one way user text reaches a Paragraph: markup escaped, line breaks kept, each script
    in its own font, every character no shipped font can draw shown as [U+XXXX]."""
    if value is None:
        return ""
    found = str(value)
    if _main_font_only().fullmatch(found):
        return found.translate(_MARKUP)
    lines = found.replace("\r", "").replace("\t", " ").split("\n")
    return "<br/>".join(_markup_line(line) for line in lines)


def plain(value: object) -> str:
    """App-made text for a plain table cell, set in the main font on one line: anything that
    font cannot draw shown as [U+XXXX]. User text goes through `text()` or `draw()`."""
    if value is None:
        return ""
    found = str(value).translate(scripts.ONE_LINE)
    if _main_font_only().fullmatch(found):
        return found
    covered = register_fonts()
    return "".join(
        c if ord(c) in covered and not scripts.is_control(ord(c)) else scripts.code_points(c)
        for c in found
    )


def shown(value: object) -> str:
    """User text as a reader of the PDF finds it, on one line, in the order drawn: each
    character no shipped font has as [U+XXXX]. Left-to-right letters an override turned right
    to left read back reversed, as drawn; right-to-left letters read back in the order typed
    (PDF readers put them back). For tests and checks, not for drawing."""
    if value is None:
        return ""
    found = []
    for run in scripts.visual_runs(str(value).translate(scripts.ONE_LINE)):
        text = scripts.code_points(run.text) if run.face == scripts.MISSING else run.text
        if run.rtl and not scripts.NEEDS_BIDI.search(text):
            text = text[::-1]
        found.append(text)
    return "".join(found)


@cache
def _shaped_style(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)


def para(markup: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph of markup made with `text()`: shaped by HarfBuzz when its text needs it."""
    if markup.isascii():
        return Paragraph(markup, style)
    kind = Paragraph
    if scripts.NEEDS_SHAPING.search(markup) or scripts.NEEDS_BIDI.search(markup):
        style = _shaped_style(style)
        kind = ShapedParagraph
    # A script's own font named inside a bold or italic style would otherwise be set upright
    # and regular: ReportLab keeps <b> and <i> across a change of face, not the style's weight.
    if "<font face=" in markup:
        if style.fontName == BOLD:
            markup = f"<b>{markup}</b>"
        elif style.fontName == ITALIC:
            markup = f"<i>{markup}</i>"
    return kind(markup, style)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_header: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    note: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=BOLD),
        cell_header=ParagraphStyle(
            "cell_header", parent=cell, fontName=BOLD, textColor=colors.white
        ),
        title=ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=17, leading=21),
        heading=ParagraphStyle(
            "heading", parent=body, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8
        ),
        note=ParagraphStyle(
            "note", parent=body, fontName=ITALIC, fontSize=8, leading=10, textColor=colors.grey
        ),
    )


HEADER_FILL = colors.HexColor("#2F4F6F")
RULE = colors.HexColor("#9AA5B1")
STRIPE = colors.HexColor("#F2F4F7")
# A table cell: plain text, one flowable, or flowables stacked (paragraphs in different type).
Cell = Flowable | str | list[Flowable]


def long_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    extra_style: Sequence[tuple[Any, ...]] = (),
    *,
    first_row: int = 0,
    heights: Sequence[float | None] | None = None,
) -> Table:
    """A table that repeats its header on every page and splits a row too tall for one page
    (splitInRow), so no entry is ever too long to print. `first_row`: which row of a longer
    table the first of `rows` is, so the stripes carry on; `heights`: the rows' heights in
    points where already measured, None where not (both for streamed_table)."""
    s = styles()
    data: list[list[Cell]] = [[para(text(h), s.cell_header) for h in header]]
    data.extend(list(row) for row in rows)
    table = SplitTable(
        data,
        colWidths=list(widths),
        rowHeights=[None, *heights] if heights else None,
        repeatRows=1,
        splitInRow=1,
        splitByRow=1,
    )
    stripes = [colors.white, STRIPE] if first_row % 2 == 0 else [STRIPE, colors.white]
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), stripes),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *extra_style,
            ]
        )
    )
    return table


def streamed_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[float],
    extra_style: Sequence[tuple[Any, ...]] = (),
) -> Flowable:
    """long_table for thousands of rows, made a page at a time from `rows` (which may be a
    generator, so each row's cells are made only when its page is): see TableStream."""
    return TableStream(
        lambda some, first, heights: long_table(
            header, some, widths, extra_style, first_row=first, heights=heights
        ),
        (list(row) for row in rows),
    )


def key_values(lines: Sequence[tuple[str, ...]], widths: Sequence[float]) -> Table:
    """Label and value pairs (labels plain, values already escaped) side by side, for cover pages.
    Rows split across pages, so a long value is never too tall to print."""
    s = styles()
    data = [
        [
            para(text(cell) if i % 2 == 0 else cell, s.cell_bold if i % 2 == 0 else s.small)
            for i, cell in enumerate(line)
        ]
        for line in lines
    ]
    table = Block(data, colWidths=list(widths), splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _page_furniture(
    canvas: Canvas, pagesize: tuple[float, float], provenance: Provenance, page: int, pages: int
) -> None:
    width, height = pagesize
    left, right = MARGIN, width - MARGIN
    third = (right - left) / 3
    canvas.saveState()
    top = height - MARGIN + 2 * mm
    canvas.setFont(BOLD, 10)
    canvas.drawCentredString(width / 2, top, MARKING)
    draw(canvas, left, top, provenance.title, BOLD, 9, width=third - 4 * mm)
    draw(canvas, right, top, provenance.subject_name, BOLD, 9, align="right", width=third - 4 * mm)
    draw(canvas, right, top - 10, provenance.subject_born, REGULAR, 8, align="right")
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, top - 14, right, top - 14)

    bottom = MARGIN - 4 * mm
    canvas.line(left, bottom + 19, right, bottom + 19)
    made = f"Made {format_uk_datetime(provenance.made_at)} by {provenance.made_by}"
    draw(canvas, left, bottom + 10, made, REGULAR, 7.5, width=2 * third - 4 * mm)
    canvas.setFont(REGULAR, 6.5)
    canvas.drawString(
        left,
        bottom + 1,
        f"Reflects the vault's audit chain to record {provenance.audit_seq}, head {provenance.audit_hash}",
    )
    canvas.setFont(BOLD, 8.5)
    canvas.drawRightString(right, bottom + 10, f"Page {page} of {pages}")
    canvas.drawRightString(right, bottom + 1, MARKING)
    canvas.restoreState()
    if provenance.draft:
        draw_draft_mark(canvas, pagesize, BOLD)


def _numbered_canvas(
    provenance: Provenance, pagesize: tuple[float, float], counted: list[int]
) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps each page until the end, when the page count is known, then adds the header and
        footer. One layout pass instead of the two a two-pass build would cost."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            # The page's drawing operators as one string rather than thousands: ReportLab joins
            # them with newlines when it writes the page, so the bytes are the same, and a
            # 500-page chronology held 4 MB less until the end (issue 19).
            self._code = ["\n".join(self._code)]  # type: ignore[has-type]
            self._pages.append(dict(self.__dict__))
            # The full collector is paused for the build (gcpause.py), but ReportLab leaves a
            # reference cycle behind each paragraph it draws (a text object's bound _do_line):
            # the young generations, this page's objects, are cleared at each page end, which
            # takes a millisecond and kept a 500-page build 30 MB smaller (issue 19).
            gc.collect(1)
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            counted.append(total)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _page_furniture(self, pagesize, provenance, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


class _Document(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, pagesize: tuple[float, float], **kwargs: Any) -> None:
        super().__init__(
            buffer,
            pagesize=pagesize,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_SPACE,
            bottomMargin=MARGIN + FOOTER_SPACE - 6 * mm,
            **kwargs,
        )
        frame = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height, id="body", showBoundary=0
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])


def render(
    story: list[Flowable],
    provenance: Provenance,
    *,
    pagesize: tuple[float, float],
    subject: str,
    password: str | None = None,
    progress: Progress | None = None,
    expected_pages: int = 1,
) -> tuple[bytes, int]:
    """Lay out the story and return the PDF's bytes and its number of pages.

    `progress(done, total, what)` is told as each page is laid out (against `expected_pages`, an
    estimate) and may raise to stop the build; nothing is returned then.
    """
    register_fonts()
    buffer = io.BytesIO()
    document = _Document(
        buffer,
        pagesize,
        title=f"{provenance.title}: {provenance.subject_name}",
        author=provenance.made_by,
        subject=subject,
        creator=CREATOR,
        producer=CREATOR,
        keywords=MARKING,
        initialFontName=REGULAR,
    )
    if progress is not None:
        estimate = max(expected_pages, 1)

        def on_progress(kind: str, value: int) -> None:
            if kind == "PAGE":
                progress(min(value, estimate), estimate, f"Laying out page {value}")

        document.setProgressCallBack(on_progress)
    counted: list[int] = []
    # A long document holds millions of small ReportLab objects until it is written (gcpause.py).
    with without_cyclic_gc():
        document.build(story, canvasmaker=_numbered_canvas(provenance, pagesize, counted))
    data = buffer.getvalue()
    return (protect(data, password) if password is not None else data), counted[-1]


def protect(data: bytes, password: str) -> bytes:
    """AES-256 (PDF 2.0, revision 6) with pypdf and the `cryptography` package. ReportLab's own
    AES needs pyaes, pure Python from 2017, which takes seconds over a long chronology.

    The owner password is random and never kept, so nobody can lift the restrictions: opening
    the file needs the practitioner's password; printing and copying text are allowed."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import UserAccessPermissions as Allow

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(
        password,
        owner_password=secrets.token_urlsafe(24),
        permissions_flag=Allow.PRINT | Allow.EXTRACT | Allow.PRINT_TO_REPRESENTATION,
        algorithm="AES-256",
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
