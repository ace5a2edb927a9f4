"""HarfBuzz shaping of a word that spans fonts, mended in ReportLab (>= 4.4, tried on 5.1).

ReportLab shapes each word of a paragraph with the font of the word's first piece, so a word such
as `(حسن)` (a bracket in the main font, the name in the Arabic one) is shaped entirely in the main
font and its Arabic prints as empty boxes. `install()` replaces the function the paragraph module
calls with one that shapes each same-font stretch of the word on its own, in its own font, and
leaves alone the fonts that are not shaped. It also leaves out discretionary ligatures, which
ReportLab asks for and which turn a plain name such as محمد into a decorated calligraphic form.
"""

from functools import lru_cache
from typing import Any

import uharfbuzz
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import paragraph

from practitioner_app.case_caches import forget_at_lock
from practitioner_app.export import scripts

FEATURES = {"kern": True, "liga": True}
_original = ttfonts.shapeFragWord


def _width(pieces: list[Any]) -> float:
    return float(
        sum(
            getattr(f, "width", 0)
            if hasattr(f, "cbDefn")
            else pdfmetrics.stringWidth(s, f.fontName, f.fontSize)
            for f, s in pieces
        )
    )


@forget_at_lock
@lru_cache(maxsize=4096)
def _guesses_rtl(text: str) -> bool:
    """Whether HarfBuzz, guessing from the text (as ReportLab has it do), shapes it right to
    left: it does for Arabic and Hebrew letters and Arabic-Indic digits, not for neutrals."""
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    return bool(buffer.direction == "rtl")


def _clusters_reversed(text: str) -> str:
    clusters: list[str] = []
    for i, char in enumerate(text):
        if clusters and scripts.joined(text[i - 1], char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return "".join(reversed(clusters))


def directed(text: str, rtl: bool, shaped: bool = True) -> str:
    """What to hand to HarfBuzz (`shaped`) or to draw as it stands (not shaped) so that `text`,
    in logical order, comes out drawn in the direction the bidi algorithm gave it: where
    HarfBuzz's guess differs (digits in Arabic-Indic inside English, a bracket inside Arabic),
    the clusters go in reverse and mirrored characters face the other way, which HarfBuzz's
    own reversing and mirroring then undo."""
    guess = _guesses_rtl(text) if shaped else False
    if rtl == guess:
        return text
    return scripts.mirrored(_clusters_reversed(text))


def _shapable(pieces: list[Any]) -> bool:
    fonts = {f.fontName for f, _ in pieces if not hasattr(f, "cbDefn")}
    return len(fonts) == 1 and bool(getattr(pdfmetrics.getFont(fonts.pop()), "shapable", False))


def shape_frag_word(word: Any, features: Any = None, force: bool = False) -> Any:
    """`word` is ReportLab's [width, (frag, text), ...]; the same shape comes back."""
    if isinstance(word, ttfonts.ShapedFragWord):
        return word
    stretches: list[list[Any]] = []
    font = None
    for piece in word[1:]:
        frag = piece[0]
        name = None if hasattr(frag, "cbDefn") else (frag.fontName, getattr(frag, "rtl", None))
        if stretches and (name is None or name == font):
            stretches[-1].append(piece)
        else:
            stretches.append([piece])
            font = name if name is not None else font
    placed = [_directed(stretch) for stretch in stretches]
    changed = placed != stretches
    stretches = placed
    if changed:
        pieces = [piece for stretch in stretches for piece in stretch]
        word = word.__class__([_width(pieces), *pieces])
    if len(stretches) == 1:
        if not _shapable(stretches[0]):
            return word
        return _original(word, FEATURES, force)
    out: list[Any] = []
    total = 0.0
    for stretch in stretches:
        width = _width(stretch)
        if not _shapable(stretch):
            out.extend(stretch)
            total += width
            continue
        shaped = _original([width, *stretch], FEATURES, force)
        changed = changed or shaped[1:] != stretch
        out.extend(shaped[1:])
        total += shaped[0]
    if not changed:
        return word
    return ttfonts.makeShapedFragWord(word)([total, *out])


def _directed(stretch: list[Any]) -> list[Any]:
    """A stretch placed by the bidi algorithm (its frags carry `rtl`, export/bidi_lines.py) as
    one piece whose text HarfBuzz, or the canvas, will draw in that direction."""
    frag = stretch[0][0]
    rtl = getattr(frag, "rtl", None)
    if rtl is None or hasattr(frag, "cbDefn"):
        return stretch
    text = "".join(piece[1] for piece in stretch)
    shaped = bool(getattr(pdfmetrics.getFont(frag.fontName), "shapable", False))
    wanted = directed(text, rtl, shaped)
    if wanted == text and len(stretch) == 1:
        return stretch
    return [(frag.clone(text=wanted), wanted)]


def install() -> None:
    paragraph.shapeFragWord = shape_frag_word  # type: ignore[attr-defined]


def shape_str(text: str, font: str, size: float, rtl: bool | None = None) -> tuple[str, float]:
    """One string in one font shaped for drawing on the canvas, and its width in points.

    ReportLab's canvas shapes only when its bidi package (rlbidi) is installed, so text drawn on
    the canvas is shaped here; the canvas draws the shaped string it is given as it stands."""
    frag = ABag(fontName=font, fontSize=size, rtl=rtl)
    word = shape_frag_word([pdfmetrics.stringWidth(text, font, size), (frag, text)])
    if isinstance(word, ttfonts.ShapedFragWord):
        return word[1][1], float(word[0])
    return text, float(word[0])
