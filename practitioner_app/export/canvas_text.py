"""User text drawn straight on the canvas (page headers and footers), each script in its own
font and shaped where it needs it: ReportLab's canvas shapes only with its bidi package, and
draws a string in one font."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from practitioner_app.case_caches import forget_at_lock
from practitioner_app.export import scripts, shaping


@dataclass(frozen=True)
class _Piece:
    font: str
    text: str  # a ShapedStr when shaped
    width: float
    rtl: bool


def _pieces(value: str, font: str, size: float) -> list[_Piece]:
    """One line of user text as pieces to draw left to right, each in one font, shaped where
    its script needs it (a right-to-left stretch is one piece, which HarfBuzz puts in visual
    order)."""
    bold = font == scripts.BASE.bold_name
    pieces = []
    for run in scripts.visual_runs(value.translate(scripts.ONE_LINE)):
        if run.face == scripts.MISSING:
            name, part = font, scripts.code_points(run.text)
        else:
            face = scripts.FACES[run.face]
            name = (face.bold_name if bold else face.name) if run.face else font
            part = run.text
        if scripts.FACES[max(run.face, 0)].shaped and (
            run.rtl or scripts.NEEDS_SHAPING.search(part)
        ):
            shaped, width = shaping.shape_str(part, name, size, run.rtl)
        else:
            part = shaping.directed(part, run.rtl, shaped=False)
            shaped, width = part, pdfmetrics.stringWidth(part, name, size)
        pieces.append(_Piece(name, shaped, width, run.rtl))
    return pieces


# A line on the canvas never shows more characters than this; longer text is cut first, so a
# name of 100,000 characters costs no more to fit than one of 300.
CANVAS_CHARACTERS = 300


@forget_at_lock
@lru_cache(maxsize=64)
def _fitted(value: str, font: str, size: float, width: float | None) -> tuple[_Piece, ...]:
    """The pieces of `value` shortened with "…" to fit `width`: the same header is drawn on
    every page, so each is fitted once."""
    if len(value) > CANVAS_CHARACTERS:
        value = value[:CANVAS_CHARACTERS] + "…"
    pieces = _pieces(value, font, size)
    if width is None or _width(pieces) <= width:
        return tuple(pieces)
    keep = len(value)
    while keep and _width(pieces) > width:
        keep = keep * 4 // 5 if _width(pieces) > 2 * width else keep - 1
        pieces = _pieces(value[:keep].rstrip() + "…", font, size)
    return tuple(pieces)


def _width(pieces: Sequence[_Piece]) -> float:
    return sum(p.width for p in pieces)


def draw(
    canvas: Canvas,
    x: float,
    y: float,
    value: str,
    font: str,
    size: float,
    *,
    align: str = "left",
    width: float | None = None,
) -> None:
    """Draw user text on the canvas (titles, headers, footers) in the fonts its scripts need,
    shortened with "…" to fit `width` points, aligned left, right or centre on `x`."""
    pieces = _fitted(value, font, size, width)
    total = _width(pieces)
    left = x - total if align == "right" else x - total / 2 if align == "centre" else x
    canvas.saveState()
    for piece in pieces:
        canvas.setFont(piece.font, size)
        canvas.drawString(left, y, piece.text)
        left += piece.width
    canvas.restoreState()
