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

import io
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LongTable,
    PageTemplate,
    Paragraph,
    Table,
)
from reportlab.platypus.tables import TableStyle

from practitioner_app import resources
from practitioner_app.domain.times import uk_local
from practitioner_app.export.draft_mark import draw_draft_mark
from practitioner_app.gcpause import without_cyclic_gc

MARKING = "OFFICIAL-SENSITIVE"
CREATOR = "Practitioner Records"

FONTS = resources.fonts_dir()
REGULAR = "PractitionerSans"
BOLD = "PractitionerSans-Bold"
ITALIC = "PractitionerSans-Italic"
_FONT_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
}

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
    """Embed the fonts (once per process) and return the characters all three faces can draw."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    covered: frozenset[int] | None = None
    for name, file in _FONT_FILES.items():
        font = TTFont(name, str(FONTS / file))
        pdfmetrics.registerFont(font)
        faces = frozenset(font.face.charToGlyph)
        covered = faces if covered is None else covered & faces
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD
    )
    assert covered is not None
    return covered


class _Escapes(dict[int, str]):
    """A str.translate table built lazily: each code point is decided once, then looked up."""

    def __init__(self, covered: frozenset[int], markup: bool) -> None:
        super().__init__()
        self.covered = covered
        if markup:
            self.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\n"): "<br/>"})
        else:
            self[ord("\n")] = " "
        self.update({ord("\r"): "", ord("\t"): " "})

    def __missing__(self, code: int) -> str:
        # Format characters such as RTL marks are kept: the fonts have them and they are inert here.
        drawable = code in self.covered and not _is_control(code)
        substitute = chr(code) if drawable else f"[U+{code:04X}]"
        self[code] = substitute
        return substitute


def _is_control(code: int) -> bool:
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


@cache
def _escapes(markup: bool) -> _Escapes:
    return _Escapes(register_fonts(), markup)


def text(value: object) -> str:
    """The one way user text reaches a Paragraph: markup escaped, line breaks kept, every
    character the fonts cannot draw shown as [U+XXXX]."""
    if value is None:
        return ""
    return str(value).translate(_escapes(True))


def plain(value: object) -> str:
    """User text for drawing straight on the canvas (page headers): same substitutions, one line."""
    if value is None:
        return ""
    return str(value).translate(_escapes(False))


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
) -> Table:
    """A table that repeats its header on every page and splits a row too tall for one page
    (splitInRow), so no entry is ever too long to print."""
    s = styles()
    data: list[list[Cell]] = [[Paragraph(text(h), s.cell_header) for h in header]]
    data.extend(list(row) for row in rows)
    table = LongTable(data, colWidths=list(widths), repeatRows=1, splitInRow=1, splitByRow=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, STRIPE]),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                *extra_style,
            ]
        )
    )
    return table


def key_values(lines: Sequence[tuple[str, ...]], widths: Sequence[float]) -> Table:
    """Label and value pairs (labels plain, values already escaped) side by side, for cover pages.
    Rows split across pages, so a long value is never too tall to print."""
    s = styles()
    data = [
        [
            Paragraph(text(cell) if i % 2 == 0 else cell, s.cell_bold if i % 2 == 0 else s.small)
            for i, cell in enumerate(line)
        ]
        for line in lines
    ]
    table = Table(data, colWidths=list(widths), splitInRow=1, hAlign="LEFT")
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


def _fit(value: str, font: str, size: float, width: float) -> str:
    """Shorten text drawn on the canvas to fit the space it has."""
    if pdfmetrics.stringWidth(value, font, size) <= width:
        return value
    while value and pdfmetrics.stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value + "…"


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
    canvas.setFont(BOLD, 9)
    canvas.drawString(left, top, _fit(plain(provenance.title), BOLD, 9, third - 4 * mm))
    who = _fit(plain(provenance.subject_name), BOLD, 9, third - 4 * mm)
    canvas.drawRightString(right, top, who)
    canvas.setFont(REGULAR, 8)
    canvas.drawRightString(right, top - 10, plain(provenance.subject_born))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, top - 14, right, top - 14)

    bottom = MARGIN - 4 * mm
    canvas.line(left, bottom + 19, right, bottom + 19)
    canvas.setFont(REGULAR, 7.5)
    made = f"Made {uk_local(provenance.made_at).strftime('%d/%m/%Y %H:%M')} by {plain(provenance.made_by)}"
    canvas.drawString(left, bottom + 10, _fit(made, REGULAR, 7.5, 2 * third - 4 * mm))
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
            self._pages.append(dict(self.__dict__))
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
