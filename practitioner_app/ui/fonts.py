"""The screens get the PDFs' fonts for any script the system has no font for, so a family's names
read on screen as they print (resources/fonts/README.md).

Qt falls back across the fonts it knows by writing system; a font added here joins them. Only
what is missing is loaded, at start: a system with its own fonts for every script loads none.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QFontDatabase

from practitioner_app import resources

WritingSystem = QFontDatabase.WritingSystem
# Each shipped file that draws a script, and the writing system Qt knows that script by.
SCRIPT_FONTS = (
    (WritingSystem.Arabic, "NotoSansArabic-Regular.ttf"),
    (WritingSystem.Hebrew, "NotoSansHebrew-Regular.ttf"),
    (WritingSystem.Bengali, "NotoSansBengali-Regular.ttf"),
    (WritingSystem.Devanagari, "NotoSansDevanagari-Regular.ttf"),
    (WritingSystem.Gujarati, "NotoSansGujarati-Regular.ttf"),
    (WritingSystem.Gurmukhi, "NotoSansGurmukhi-Regular.ttf"),
    (WritingSystem.Tamil, "NotoSansTamil-Regular.ttf"),
    (WritingSystem.SimplifiedChinese, "NotoSansSC-Regular.ttf"),
    (WritingSystem.TraditionalChinese, "NotoSansTC-Regular.ttf"),
    (WritingSystem.Greek, "NotoSans-Regular.ttf"),
    (WritingSystem.Cyrillic, "NotoSans-Regular.ttf"),
    (WritingSystem.Vietnamese, "NotoSans-Regular.ttf"),
)


def missing(families: Callable[[WritingSystem], list[str]]) -> list[str]:
    """The files to load: those for writing systems `families` finds no font for."""
    found: list[str] = []
    for system, file in SCRIPT_FONTS:
        if not families(system) and file not in found:
            found.append(file)
    return found


def add_missing_script_fonts(folder: Path | None = None) -> list[str]:
    """Load the shipped fonts for scripts the system lacks (needs a QGuiApplication); returns
    the files loaded. A file that will not load is skipped: text then shows as Qt can."""
    folder = folder or resources.fonts_dir()
    loaded = []
    for file in missing(QFontDatabase.families):
        if QFontDatabase.addApplicationFont(str(folder / file)) != -1:
            loaded.append(file)
    return loaded
