"""Copy the Noto fonts the PDFs embed into resources/fonts/, and make the two Chinese ones.

Run after changing the list below, and commit what it writes:

    apt-get install fonts-noto-core fonts-noto-cjk   # Debian's Noto builds, OFL 1.1
    .venv/bin/python packaging/make_fonts.py

Most scripts are copied as Debian ships them (TrueType outlines, which ReportLab embeds and
subsets). Chinese comes only as CFF outlines in one 19 MB collection, which ReportLab cannot embed,
so it is cut down to the characters of the standard sets in everyday use (GB 2312 for simplified,
Big5 level 1 for traditional) and its outlines turned
into TrueType quadratics with fontTools. A character outside those sets prints as [U+XXXX].
"""

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

FONTS = Path(__file__).resolve().parents[1] / "resources" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
COPIED = [
    f"NotoSans{script}-{weight}.ttf"
    for script in (
        "",
        "Arabic",
        "Hebrew",
        "Bengali",
        "Devanagari",
        "Gujarati",
        "Gurmukhi",
        "Tamil",
        "Ethiopic",
    )
    for weight in ("Regular", "Bold")
] + ["NotoSans-Italic.ttf"]
# Collection index in NotoSansCJK-Regular.ttc, and the legacy codec whose characters to keep.
CHINESE = {"NotoSansSC-Regular.ttf": (2, "gb2312"), "NotoSansTC-Regular.ttf": (3, "big5")}
BIG5_LEVEL_1 = (b"\xa4\x40", b"\xc6\x7e")
# Punctuation, full-width forms and symbols a Chinese text uses, beyond the ideographs.
CJK_EXTRA = [*range(0x3000, 0x3040), *range(0xFF00, 0xFFF0), 0x00B7, 0x2014, 0x2026]


def charset(codec: str) -> list[int]:
    """The ideographs a legacy Chinese codec can encode (for Big5, its level 1 of frequently
    used characters only: all of Big5 would make the font 10 MB instead of 3.5), and the
    punctuation and full-width forms Chinese text uses."""
    found = []
    for code in range(0x4E00, 0xA000):
        try:
            encoded = chr(code).encode(codec)
        except UnicodeEncodeError:
            continue
        if codec != "big5" or BIG5_LEVEL_1[0] <= encoded <= BIG5_LEVEL_1[1]:
            found.append(code)
    return found + CJK_EXTRA


def to_truetype(font: TTFont) -> None:
    """Replace CFF outlines with quadratic TrueType ones (what fontTools' otf2ttf does)."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in [
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ]:
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def make_chinese(name: str, index: int, codec: str) -> None:
    font = TTCollection(str(CJK)).fonts[index]
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=charset(codec))
    subsetter.subset(font)
    to_truetype(font)
    font.save(str(FONTS / name))


def main() -> int:
    for name in COPIED:
        shutil.copyfile(NOTO / name, FONTS / name)
    for name, (index, codec) in CHINESE.items():
        if len(sys.argv) < 2 or name in sys.argv[1:]:
            make_chinese(name, index, codec)
    for path in sorted(FONTS.glob("*.ttf")):
        print(f"{path.name:<36} {path.stat().st_size / 1e6:6.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
