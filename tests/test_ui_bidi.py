"""User text inside the app's own sentences on screen is laid out on its own (ui/bidi.py)."""

from PySide6.QtGui import QFont, QTextLayout
from pytestqt.qtbot import QtBot

from practitioner_app.ui.bidi import isolated, signed


def drawn_x(text: str, index: int) -> float:
    layout = QTextLayout(text, QFont())
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(100_000)
    layout.endLayout()
    found: tuple[float, int] = line.cursorToX(index)  # type: ignore[assignment]
    return float(found[0])


def test_text_with_no_right_to_left_letter_or_direction_character_is_unchanged() -> None:
    assert isolated("Łukasz Zoë O'Brien (b. 2024)") == "Łukasz Zoë O'Brien (b. 2024)"


def test_right_to_left_text_and_overrides_are_isolated_and_their_own_isolates_removed() -> None:
    assert isolated("محمد") == "\u2068محمد\u2069"
    assert isolated("Asha\u202e Patel") == "\u2068Asha\u202e Patel\u2069"
    # A stray PDI of the user's would close the isolate early and let the override out.
    assert isolated("x\u2069\u202ey") == "\u2068x\u202ey\u2069"


def test_an_override_or_an_arabic_name_never_reorders_the_words_after_it(qtbot: QtBot) -> None:
    for name in ("Asha\u202e Patel", "Asha\u2069\u202e Patel", "محمد علي"):
        shown = f"Lead professional: {signed(name, 'Health visitor', 'Northshire Trust')} today"
        role, trust, today = (shown.index(w) for w in ("Health", "Trust", "today"))
        assert drawn_x(shown, role) < drawn_x(shown, trust) < drawn_x(shown, today), name
