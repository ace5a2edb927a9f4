"""Shaped paragraphs whose words are wider than a line: cut into pieces that fit, each shaped on
its own, before ReportLab wraps the paragraph.

ReportLab cuts an over-long word itself only after shaping it, and draws the pieces unshaped: a
Tamil or Bengali name wider than a narrow table column prints its vowel signs and conjuncts as
empty boxes, and a long enough word in a title cannot be split at all (LayoutError). Here such a
word is cut between letters (`scripts.may_cut_before`: never inside a character with its marks,
a conjunct, a number or a date) into pieces no wider than the line, joined by line breaks, so
ReportLab never has to cut it and every piece is shaped whole.
"""

import re
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr
from reportlab.platypus.paragraph import _wsc  # type: ignore[attr-defined]

from practitioner_app.export import scripts

# ReportLab's own word separators (a no-break space is not one), kept as separate tokens.
_WORDS = re.compile(f"([{re.escape(_wsc)}]+)")
# Room left on a line for what shaping adds (kerning, a mark's advance) to a measured piece.
_SLACK = 0.97


def width_of(text: str, frag: Any) -> float:
    """Width in points of `text` drawn in the frag's font and size, shaped if the font is."""
    shaped = shapeStr(text, frag.fontName, frag.fontSize)
    if isinstance(shaped, ShapedStr):
        advances = sum(glyph.x_advance for glyph in shaped.__shapeData__)  # type: ignore[attr-defined]
        return float(advances) * float(frag.fontSize) / 1000
    return float(stringWidth(text, frag.fontName, frag.fontSize))


def _cut_word(word: str, frag: Any, line: float) -> list[str]:
    """`word` in pieces each no wider than `line` points, cut only where a letter may be cut."""
    found: list[str] = []
    rest = word
    while rest and width_of(rest, frag) > line:
        # A first guess from unshaped widths, then shorter until the shaped piece fits.
        total, end = 0.0, 0
        while end < len(rest) and total <= line * _SLACK:
            total += stringWidth(rest[end], frag.fontName, frag.fontSize)
            end += 1
        end = max(end - 1, 1)
        while end > 1 and (
            not scripts.may_cut_before(rest, end) or width_of(rest[:end], frag) > line
        ):
            end -= 1
        if end == 1 and len(rest) > 1:
            # Not even one letter with its marks fits: a letter per line is the least harm.
            end = next(
                (i for i in range(1, len(rest)) if scripts.may_cut_before(rest, i)), len(rest)
            )
        found.append(rest[:end])
        rest = rest[end:]
    if rest:
        found.append(rest)
    return found


def cut_long_words(frags: list[Any], line: float) -> list[Any]:
    """The frags of a paragraph with every word wider than `line` points cut into pieces joined
    by line breaks. Frags without text (images, breaks) pass through unchanged."""
    out: list[Any] = []
    for frag in frags:
        text = getattr(frag, "text", "")
        if not text or hasattr(frag, "cbDefn") or hasattr(frag, "lineBreak"):
            out.append(frag)
            continue
        pending = ""
        changed = False
        for token in _WORDS.split(text):
            if (
                not token
                or _WORDS.fullmatch(token)
                # Shaping never more than doubles a word's width: most words skip shaping here.
                or stringWidth(token, frag.fontName, frag.fontSize) * 2 <= line
                or width_of(token, frag) <= line
            ):
                pending += token
                continue
            pieces = _cut_word(token, frag, line)
            changed = True
            for piece in pieces[:-1]:
                out.append(frag.clone(text=pending + piece))
                out.append(frag.clone(text="", lineBreak=True))
                pending = ""
            pending += pieces[-1]
        out.append(frag.clone(text=pending) if changed else frag)
    return out
