"""The screens have a font for every script the PDFs print: the shipped files load in Qt, and
the app adds those the system lacks."""

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from practitioner_app import resources
from practitioner_app.ui import fonts


def test_only_the_scripts_the_system_lacks_are_loaded() -> None:
    lacking = {QFontDatabase.WritingSystem.Arabic, QFontDatabase.WritingSystem.TraditionalChinese}

    def families(system: QFontDatabase.WritingSystem) -> list[str]:
        return [] if system in lacking else ["System Sans"]

    assert fonts.missing(families) == ["NotoSansArabic-Regular.ttf", "NotoSansTC-Regular.ttf"]
    assert fonts.missing(lambda system: ["System Sans"]) == []


def test_every_shipped_script_font_loads_in_qt_and_has_its_scripts_letters(
    qapp: QApplication,
) -> None:
    # Not Qt's writing-system tag: fontconfig gives the Chinese subsets none (its zh-cn and zh-tw
    # need characters the subsets leave out), yet Qt draws from them by their characters.
    for system, file in fonts.SCRIPT_FONTS:
        font_id = QFontDatabase.addApplicationFont(str(resources.fonts_dir() / file))
        assert font_id != -1, file
        family = QFontDatabase.applicationFontFamilies(font_id)[0]
        metrics = QFontMetrics(QFont(family))
        sample = QFontDatabase.writingSystemSample(system).replace(" ", "")
        assert all(metrics.inFontUcs4(ord(char)) for char in sample), (file, sample)
