"""Which shipped font draws each character, and user text as runs of one font each: how a name in
Arabic, Bengali or Chinese reaches a PDF written properly (resources/fonts/README.md).

ReportLab draws a string in one font and does not fall back to another, so the text is cut into
runs: each letter goes to the first font (in `FACES` order) that has it, and spaces, digits,
punctuation and combining marks stay with the run they are in when its font has them, so a word
is not cut between fonts. A character no shipped font has becomes `[U+XXXX]` in the main font,
never a blank or a box.

Right-to-left text (Arabic, Urdu, Persian, Hebrew) is placed by the Unicode bidi algorithm
(UAX #9) on an English (left-to-right) page: `levels` resolves each character's embedding level
(python-bidi's reference implementation), a paragraph is wrapped in logical order and each line
is then put in visual order (`reorder`, rule L2; export/bidi_lines.py), and each piece of one
direction is shaped by HarfBuzz in that direction (export/shaping.py). Numbers read left to
right inside right-to-left text, brackets face the right way, and a passage longer than a line
starts on the first line.
"""

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from bidi import algorithm as uba  # python-bidi: the Unicode bidi algorithm (LGPL-3.0+)
from bidi.mirror import MIRRORED
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from practitioner_app import resources

FONTS = resources.fonts_dir()


@dataclass(frozen=True)
class Face:
    """A script's font: its registered names, files, and whether text in it is shaped."""

    name: str  # the registered regular face, and the family name markup uses
    regular: str  # file in resources/fonts/
    bold: str | None  # file, None: bold text in this script is set in the regular face
    italic: str | None
    shaped: bool  # HarfBuzz shapes its text (joining, conjuncts, vowel signs, marks)
    rtl: bool = False

    @property
    def bold_name(self) -> str:
        return f"{self.name}-Bold" if self.bold else self.name

    @property
    def italic_name(self) -> str:
        return f"{self.name}-Italic" if self.italic else self.name


BASE = Face(
    "PractitionerSans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", True
)
# In the order a letter looks for a font. DejaVu Sans covers symbols, arrows, Armenian, Georgian
# and the like; ReportLab's subsetter fails on it after shaping, so it is never shaped. Simplified
# Chinese (GB 2312) comes before traditional (Big5); see `_han`.
FACES: tuple[Face, ...] = (
    BASE,
    Face("ScriptArabic", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf", None, True, True),
    Face("ScriptHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", None, True, True),
    Face("ScriptBengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", None, True),
    Face(
        "ScriptDevanagari",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansDevanagari-Bold.ttf",
        None,
        True,
    ),
    Face("ScriptGujarati", "NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf", None, True),
    Face("ScriptGurmukhi", "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf", None, True),
    Face("ScriptTamil", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf", None, True),
    Face("ScriptEthiopic", "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf", None, True),
    Face("ScriptSymbols", "DejaVuSans.ttf", None, None, False),
    Face("ScriptChineseSC", "NotoSansSC-Regular.ttf", None, None, False),
    Face("ScriptChineseTC", "NotoSansTC-Regular.ttf", None, None, False),
)
SIMPLIFIED = len(FACES) - 2
TRADITIONAL = len(FACES) - 1
MISSING = -1  # no shipped font has it
_ATTACHED = ("Mn", "Me", "Cf")


# Scripts whose text must be shaped (joining, conjuncts, vowel signs, marks) and right-to-left
# text: a paragraph with none of these is laid out without HarfBuzz, at ReportLab's plain speed.
NEEDS_SHAPING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0590-\u0dff\u1200-\u139f\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u200c\u200d\u20d0-\u20ff\ufb1d-\ufdff\ufe20-\ufe2f\ufe70-\ufeff]"
)
# User text drawn on one line: line breaks and tabs become spaces.
ONE_LINE = str.maketrans({"\n": " ", "\r": "", "\t": " "})


@dataclass(frozen=True)
class Run:
    face: int  # index into FACES
    text: str  # what to draw, in logical order; for a right-to-left unit, ready for HarfBuzz
    rtl: bool = False


def is_control(code: int) -> bool:
    return code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF


def _load(face: Face) -> list[TTFont]:
    """The face's fonts parsed from their files: the regular, then the bold and italic it has."""
    fonts = [TTFont(face.name, str(FONTS / face.regular), shapable=face.shaped)]
    for suffix, file in (("-Bold", face.bold), ("-Italic", face.italic)):
        if file is not None:
            fonts.append(TTFont(face.name + suffix, str(FONTS / file), shapable=face.shaped))
    return fonts


def _register(face: Face, fonts: list[TTFont]) -> None:
    for font in fonts:
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        face.name,
        normal=face.name,
        bold=face.bold_name,
        italic=face.italic_name,
        boldItalic=face.bold_name,
    )


@cache
def coverage() -> tuple[frozenset[int], ...]:
    """The characters each face draws (for a face with a bold file, those both its faces draw).
    Reads every font once per process and keeps only the main face registered: parsed, the 21
    files hold 29 MB (issue 19, peak memory after a PDF export), and a chronology in English
    needs only the main face. `use` registers the others when text needs them."""
    found = []
    for index, face in enumerate(FACES):
        fonts = _load(face)
        covered = frozenset(fonts[0].face.charToGlyph)
        for other in fonts[1:]:
            covered &= frozenset(other.face.charToGlyph)
        found.append(covered)
        if index == 0:
            _register(face, fonts)
            _registered.add(index)
    return tuple(found)


_registered: set[int] = set()
_registering = threading.Lock()


def use(index: int) -> None:
    """Register face `index` with ReportLab (once per process) before text is set in it; MISSING
    is drawn as [U+XXXX] in the main face and needs nothing."""
    if index in _registered or index == MISSING:
        return
    coverage()  # the main face first
    with _registering:
        if index not in _registered:
            _register(FACES[index], _load(FACES[index]))
            _registered.add(index)


class _Chars(dict[int, tuple[int, bool]]):
    """Per code point, decided once: the first face that has it, and whether it is neutral (not
    a letter, so it stays in the run it is in)."""

    def __missing__(self, code: int) -> tuple[int, bool]:
        sets = coverage()
        if is_control(code):
            found = (MISSING, False)
        else:
            face = next((i for i, s in enumerate(sets) if code in s), MISSING)
            neutral = unicodedata.category(chr(code))[0] != "L"
            found = (face, neutral)
        self[code] = found
        return found


_CHARS = _Chars()


def _face_runs(value: str) -> Iterator[tuple[int, str]]:
    """Logical runs of one face; characters no face has come as (MISSING, char)."""
    sets = coverage()
    current = MISSING
    start = 0
    for i, char in enumerate(value):
        code = ord(char)
        face, neutral = _CHARS[code]
        if face != MISSING and neutral and current != MISSING and code in sets[current]:
            continue
        # A joiner or mark that belongs to a character shown as [U+XXXX] is shown so too.
        if current == MISSING and i > start and unicodedata.category(char) in _ATTACHED:
            continue
        if face == current:
            continue
        if i > start:
            yield current, value[start:i]
        current, start = face, i
    if start < len(value):
        yield current, value[start:]


def _han(runs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Traditional Chinese in the traditional font throughout: a stretch of Chinese that has any
    character only Big5 has is set in the traditional face wherever that face can."""
    sets = coverage()
    out = list(runs)
    i = 0
    while i < len(out):
        if out[i][0] not in (SIMPLIFIED, TRADITIONAL):
            i += 1
            continue
        j = i
        while j < len(out) and out[j][0] in (SIMPLIFIED, TRADITIONAL):
            j += 1
        if any(face == TRADITIONAL for face, _ in out[i:j]):
            for k in range(i, j):
                face, part = out[k]
                if face == SIMPLIFIED and all(ord(c) in sets[TRADITIONAL] for c in part):
                    out[k] = (TRADITIONAL, part)
        i = j
    merged: list[tuple[int, str]] = []
    for face, part in out:
        if merged and merged[-1][0] == face and face != MISSING:
            merged[-1] = (face, merged[-1][1] + part)
        else:
            merged.append((face, part))
    return merged


def runs(value: str) -> list[Run]:
    """`value` as runs of one face each, in logical (typed) order. Characters no face has are
    MISSING runs. Placing right-to-left text is `visual_runs` (one line) or the paragraph's
    (export/bidi_lines.py, after wrapping)."""
    found = [Run(face, part) for face, part in _han(list(_face_runs(value)))]
    for run in found:
        use(run.face)
    return found


# Explicit directional formatting characters: they steer the bidi algorithm and are never
# drawn (a font draws them as nothing, or as a box, and ReportLab gives them no width).
INVISIBLE = frozenset(
    "\u200b\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Isolates (Unicode 6.3) read as the embeddings python-bidi's reference algorithm knows.
_AS_EMBEDDING = str.maketrans(
    {"\u2066": "\u202a", "\u2067": "\u202b", "\u2068": "\u202b", "\u2069": "\u202c"}
)
# Text with any of these needs the bidi algorithm; without them every level is 0.
NEEDS_BIDI = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f\u061c\u202b\u202e\u2067\u2068"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def levels(text: str) -> list[int]:
    """The embedding level of each character of `text`, one paragraph on a left-to-right page,
    by the Unicode bidi algorithm (UAX #9, rules X1-I2, through python-bidi's reference
    implementation): even reads left to right, odd right to left. An explicit formatting
    character takes the level of the character before it."""
    if not NEEDS_BIDI.search(text):
        return [0] * len(text)
    storage = uba.get_empty_storage()
    storage["base_level"], storage["base_dir"] = 0, "L"
    uba.get_embedding_levels(text.translate(_AS_EMBEDDING), storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    found: list[int | None] = [None] * len(text)
    for char in storage["chars"]:
        found[char["index"]] = char["level"]
    level = 0
    out = []
    for value in found:
        level = value if value is not None else level
        out.append(level)
    return out


def reorder(items_levels: list[int]) -> list[int]:
    """Visual order (UAX #9 rule L2) of items on one line with these levels: the indices of the
    items from left to right."""
    order = list(range(len(items_levels)))
    if not items_levels:
        return order
    highest = max(items_levels)
    lowest_odd = min((lv for lv in items_levels if lv % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if items_levels[order[i]] >= level:
                j = i
                while j < len(order) and items_levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


def mirrored(text: str) -> str:
    """Text whose brackets and other mirrored characters face the other way (rule L4)."""
    return "".join(MIRRORED.get(char, char) for char in text)


def visual_runs(value: str) -> list[Run]:
    """One line of `value` as runs of one face and one direction, left to right as drawn; a run
    with `rtl` is in logical order and is drawn right to left (HarfBuzz puts it in visual order).
    Invisible directional characters are left out."""
    if not NEEDS_BIDI.search(value):
        return [run for run in runs(value) if run.text]
    found = levels(value)
    pieces: list[tuple[int, int, str]] = []  # face, level, text
    at = 0
    for run in runs(value):
        for offset, char in enumerate(run.text):
            level = found[at + offset]
            if char in INVISIBLE:
                continue
            if pieces and pieces[-1][0] == run.face and pieces[-1][1] == level:
                pieces[-1] = (run.face, level, pieces[-1][2] + char)
            else:
                pieces.append((run.face, level, char))
        at += len(run.text)
    # Spaces at the end of the line go back to the page's direction (rule L1).
    while pieces and pieces[-1][2].isspace() and pieces[-1][1]:
        face, _, text = pieces.pop()
        pieces.append((face, 0, text))
    order = reorder([level for _, level, _ in pieces])
    return [Run(pieces[i][0], pieces[i][2], rtl=bool(pieces[i][1] % 2)) for i in order]


# Digits (in any script: ASCII, Arabic-Indic, Persian, Devanagari...) and the punctuation inside a
# date, a time or a decimal (Arabic decimal and thousands separators too) stay together.
_TOKEN = re.compile(r"[\d/.:\-\u066b\u066c]")


def joined(before: str, after: str) -> bool:
    """Whether `after` belongs to the written letter `before` ends: a combining mark, a joiner
    or variation selector, the second half of a surrogate pair, or the consonant after a virama
    (canonical combining class 9: ক্ষ is one written letter)."""
    return (
        unicodedata.category(after)[0] == "M"
        or unicodedata.combining(before) == 9
        or after in "\u200c\u200d"
        or before in "\u200c\u200d"
        or 0xFE00 <= ord(after) <= 0xFE0F
        or 0xDC00 <= ord(after) <= 0xDFFF
    )


def may_cut_before(text: str, index: int) -> bool:
    """Whether text may be cut between text[index - 1] and text[index] when a word has to be
    cut between letters: never inside a written letter (`joined`) nor inside a date or number.
    0 < index < len(text)."""
    after, before = text[index], text[index - 1]
    return not (joined(before, after) or bool(_TOKEN.match(before) and _TOKEN.match(after)))


def code_points(part: str) -> str:
    return "".join(f"[U+{ord(c):04X}]" for c in part)
