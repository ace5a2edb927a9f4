"""Shaped paragraphs: right-to-left text wrapped as a reader wraps it, then each line put in
visual order (the Unicode bidi algorithm, UAX #9: resolve levels on the paragraph, break lines,
reorder each line by rule L2).

ReportLab puts text in visual order only with its `rlbidi` package, which is not on PyPI; so a
paragraph with right-to-left text is broken into lines here, in logical order with the widths
HarfBuzz gives each piece, and each line's pieces are reordered before ReportLab lays the
paragraph out with a line break after every line. Each piece carries `rtl`, and is shaped in
that direction (export/shaping.py). A paragraph without right-to-left text is left to ReportLab.
"""

from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _wsc  # type: ignore[attr-defined]

from practitioner_app.export import scripts
from practitioner_app.export.long_words import cut_long_words, width_of

# Measured widths and ReportLab's can differ by rounding; a line is filled to just under its width
# so that ReportLab never wraps a line of ours a second time.
_FILL = 0.985
_SPACES = frozenset(_wsc)


@dataclass
class _Piece:
    frag: Any
    text: str
    level: int
    space: bool
    width: float = 0.0


def _pieces(frags: list[Any]) -> list[_Piece]:
    """One bidi paragraph's text as pieces of one frag, one level and one kind (spaces or not),
    in logical order, without the invisible directional characters."""
    text = "".join(frag.text for frag in frags)
    found = scripts.levels(text)
    pieces: list[_Piece] = []
    at = 0
    for frag in frags:
        for char in frag.text:
            level = found[at]
            at += 1
            if char in scripts.INVISIBLE:
                continue
            space = char in _SPACES
            last = pieces[-1] if pieces else None
            if last and last.frag is frag and last.level == level and last.space == space:
                last.text += char
            else:
                pieces.append(_Piece(frag, char, level, space))
    for piece in pieces:
        piece.width = width_of(piece.text, piece.frag)
    return pieces


def _lines(pieces: list[_Piece], widths: list[float]) -> list[list[_Piece]]:
    """Pieces filled into lines in logical order: a line ends before the word that would not
    fit (words are already no wider than a line: long_words)."""
    lines: list[list[_Piece]] = [[]]
    used = 0.0
    i = 0
    while i < len(pieces):
        j = i
        while j < len(pieces) and pieces[j].space == pieces[i].space:
            j += 1
        group = pieces[i:j]
        wide = sum(piece.width for piece in group)
        limit = widths[min(len(lines) - 1, len(widths) - 1)] * _FILL
        if group[0].space or not any(not p.space for p in lines[-1]) or used + wide <= limit:
            lines[-1].extend(group)
            used += wide
        else:
            while lines[-1] and lines[-1][-1].space:
                lines[-1].pop()
            lines.append(group)
            used = wide
        i = j
    return lines


def _visual(line: list[_Piece]) -> list[_Piece]:
    # Spaces at the end of a line go back to the page's direction (rule L1).
    end = len(line)
    while end and line[end - 1].space:
        line[end - 1].level = 0
        end -= 1
    order = scripts.reorder([piece.level for piece in line])
    return [line[i] for i in order]


def bidi_frags(frags: list[Any], widths: list[float]) -> list[Any]:
    """The frags of a paragraph as lines in visual order with a line break after each; every
    frag made here carries `rtl` (its direction) and `bidi_placed`."""
    out: list[Any] = []
    paragraph: list[Any] = []

    def flush() -> None:
        if not paragraph:
            return
        lines = _lines(_pieces(paragraph), widths)
        for n, line in enumerate(lines):
            if n:
                out.append(line[0].frag.clone(text="", lineBreak=True, bidi_placed=True))
            for piece in _visual(line):
                out.append(
                    piece.frag.clone(text=piece.text, rtl=bool(piece.level % 2), bidi_placed=True)
                )
        paragraph.clear()

    for frag in frags:
        if hasattr(frag, "lineBreak"):
            flush()
            out.append(frag)
        else:
            paragraph.append(frag)
    flush()
    return out


class ShapedParagraph(Paragraph):
    """A Paragraph set with HarfBuzz shaping: words wider than a line cut first (long_words),
    right-to-left text placed by the bidi algorithm line by line."""

    def breakLines(self, width: Any) -> Any:
        widths = list(width) if isinstance(width, (list, tuple)) else [width]
        line = min(widths)
        frags = self.frags
        if line <= 0 or any(hasattr(f, "cbDefn") or not hasattr(f, "text") for f in frags):
            return super().breakLines(width)
        placed = any(getattr(f, "bidi_placed", False) for f in frags)
        new = cut_long_words(frags, line)
        if not placed and scripts.NEEDS_BIDI.search("".join(f.text for f in frags)):
            new = bidi_frags(new, widths)
        self.frags = new
        try:
            return super().breakLines(width)
        finally:
            self.frags = frags
