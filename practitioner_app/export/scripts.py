"""Which shipped font draws each character, and user text as runs of one font each: how a name in
Arabic, Bengali or Chinese reaches a PDF written properly (resources/fonts/README.md).

ReportLab draws a string in one font and does not fall back to another, so the text is cut into
runs: each letter goes to the first font (in `FACES` order) that has it, and spaces, digits,
punctuation and combining marks stay with the run they are in when its font has them, so a word
is not cut between fonts. A character no shipped font has becomes `[U+XXXX]` in the main font,
never a blank or a box.

Right-to-left runs (Arabic, Urdu, Persian, Hebrew) are placed with the Unicode bidi rules on an
English (left-to-right) page: each right-to-left stretch is handed to HarfBuzz as one unit (its
spaces made non-breaking, so ReportLab does not wrap inside it), which shapes it and returns its
glyphs in visual order; numbers inside it keep reading left to right. A right-to-left passage
longer than `RTL_UNIT` characters is cut into units at spaces, so it can wrap; two such units on
one line of a paragraph are then in reading order left to right, a limit of the approach.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

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
RTL_UNIT = 40  # characters of right-to-left text handed to HarfBuzz as one unplaceable unit
NBSP = "\u00a0"
# Inside a right-to-left unit a number still reads left to right: HarfBuzz reverses the whole
# unit, so each number is reversed first and comes out the right way round.
_NUMBER = re.compile(
    r"[0-9\u0660-\u0669\u06F0-\u06F9]+(?:[.,:/\-\u066B\u066C][0-9\u0660-\u0669\u06F0-\u06F9]+)*"
)


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


@cache
def coverage() -> tuple[frozenset[int], ...]:
    """Register every face (once per process) and return the characters each one draws (for a
    face with a bold file, those both its faces draw)."""
    found = []
    for face in FACES:
        regular = TTFont(face.name, str(FONTS / face.regular), shapable=face.shaped)
        pdfmetrics.registerFont(regular)
        covered = frozenset(regular.face.charToGlyph)
        for suffix, file in (("-Bold", face.bold), ("-Italic", face.italic)):
            if file is not None:
                other = TTFont(face.name + suffix, str(FONTS / file), shapable=face.shaped)
                pdfmetrics.registerFont(other)
                covered &= frozenset(other.face.charToGlyph)
        pdfmetrics.registerFontFamily(
            face.name,
            normal=face.name,
            bold=face.bold_name,
            italic=face.italic_name,
            boldItalic=face.bold_name,
        )
        found.append(covered)
    return tuple(found)


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


def _strong_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _rtl_units(face: int, part: str, whole: bool) -> Iterator[Run]:
    """A run in a right-to-left font: neutrals before its first and after its last
    right-to-left letter stay left to right; between them, units for HarfBuzz."""
    first = next((i for i, c in enumerate(part) if _strong_rtl(c)), None)
    if first is None:
        yield Run(face, part)
        return
    last = max(i for i, c in enumerate(part) if _strong_rtl(c))
    if first:
        yield Run(face, part[:first])
    core = part[first : last + 1]
    chunks = [core] if whole or len(core) <= RTL_UNIT else _chunks(core)
    for n, chunk in enumerate(chunks):
        if n:
            yield Run(face, " ")
        unit = _NUMBER.sub(lambda m: m.group(0)[::-1], chunk).replace(" ", NBSP)
        yield Run(face, unit, rtl=True)
    if last + 1 < len(part):
        yield Run(face, part[last + 1 :])


def _chunks(core: str) -> list[str]:
    words = core.split(" ")
    chunks: list[str] = []
    for word in words:
        if chunks and len(chunks[-1]) + 1 + len(word) <= RTL_UNIT:
            chunks[-1] += " " + word
        else:
            chunks.append(word)
    return chunks


def runs(value: str, *, one_line: bool = False) -> list[Run]:
    """`value` as runs of one face each, in the order to draw them left to right. Characters no
    face has are MISSING runs; a right-to-left stretch comes as units (`one_line`: the whole
    stretch is one unit, for text drawn on one line, where it cannot wrap)."""
    found: list[Run] = []
    for face, part in _han(list(_face_runs(value))):
        if face != MISSING and FACES[face].rtl:
            found.extend(_rtl_units(face, part, one_line))
        else:
            found.append(Run(face, part))
    return _between_rtl(found)


# What may stand between two right-to-left units and still belong to their stretch: numbers,
# spaces and punctuation (no letter of a left-to-right script).
_WEAK = frozenset({"EN", "AN", "ES", "ET", "CS", "WS", "ON", "NSM", "BN", "S"})


def _between_rtl(found: list[Run]) -> list[Run]:
    """Right-to-left units with only numbers and punctuation between them (in fonts other than
    theirs) are one right-to-left stretch: its units and what stands between them go in
    reverse order, each number still reading left to right (Unicode bidi, rules W and L, for
    one level; brackets are not mirrored)."""
    out: list[Run] = []
    i = 0
    while i < len(found):
        if not found[i].rtl:
            out.append(found[i])
            i += 1
            continue
        end = i
        j = i + 1
        while j < len(found) and (
            found[j].rtl
            or (
                found[j].face != MISSING
                and all(unicodedata.bidirectional(c) in _WEAK for c in found[j].text)
            )
        ):
            if found[j].rtl:
                end = j
            j += 1
        groups: list[list[Run]] = []
        for run in found[i : end + 1]:
            if run.rtl or not groups or groups[-1][-1].rtl:
                groups.append([run])
            else:
                groups[-1].append(run)
        out.extend(run for group in reversed(groups) for run in group)
        i = end + 1
    return out


# Digits (in any script: ASCII, Arabic-Indic, Persian, Devanagari...) and the punctuation inside a
# date, a time or a decimal (Arabic decimal and thousands separators too) stay together.
_TOKEN = re.compile(r"[\d/.:\-\u066b\u066c]")


def may_cut_before(text: str, index: int) -> bool:
    """Whether text may be cut between text[index - 1] and text[index] when a word has to be
    cut between letters: never inside a date or number, between a character and its combining
    marks, joiner or variation selector, or inside a conjunct (a virama, canonical combining
    class 9, joins the consonant after it: ক্ষ is one written letter). 0 < index < len(text)."""
    after, before = text[index], text[index - 1]
    return not (
        unicodedata.category(after)[0] == "M"
        or unicodedata.combining(before) == 9
        or after in "\u200c\u200d"
        or before in "\u200c\u200d"
        or 0xFE00 <= ord(after) <= 0xFE0F
        or 0xDC00 <= ord(after) <= 0xDFFF
        or bool(_TOKEN.match(before) and _TOKEN.match(after))
    )


def code_points(part: str) -> str:
    return "".join(f"[U+{ord(c):04X}]" for c in part)
