"""QA (issue 20, entry view with a body map): opening a health visitor's injury observation shows
the body map and the photographs tab below a box of about 100 px for the entry itself, so the
viewer opens on "Observation / LATE ENTRY / Kind / Date" and what the health visitor saw — the
words of the record — is below the fold of that small box, to be scrolled to
(screenshot: the viewer at 900x740, the entry box 35-137 px). The entry's own words should be
visible when the entry is opened. Real viewer, real vault."""

from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import ObservationCategory
from practitioner_app.domain.records import ObservationDetails
from practitioner_app.services import people, photographs, records
from practitioner_app.ui.case.entry_view import EntryViewer
from practitioner_app.ui.session import VaultSession
from tests.conftest import AT, child_details
from tests.test_ui_enter import run
from tests.ui_helpers import wait_idle

SAW = "Bruise on the left forearm, about 2 cm across"


def an_injury(child_id: str):  # type: ignore[no-untyped-def]
    def make(ws):  # type: ignore[no-untyped-def]
        return records.create_entry(
            ws,
            ObservationDetails(
                child_id=child_id,
                occurred_at=AT,
                category=ObservationCategory.INJURY,
                text=f"{SAW}; mother says he knocked it on the cot.",
            ),
        ).id

    return make


def test_the_observations_own_words_are_visible_when_it_is_opened(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    run(qtbot, vault_session, photographs.set_photographs_allowed, True)
    child = run(qtbot, vault_session, people.add_child, child_details()).id
    viewer = EntryViewer(vault_session, "observation", run(qtbot, vault_session, an_injury(child)))
    qtbot.addWidget(viewer)
    viewer.show()
    qtbot.waitExposed(viewer)
    wait_idle(qtbot, vault_session)
    qtbot.waitUntil(lambda: SAW in viewer.html)
    browser = viewer.browser
    found = browser.document().find(SAW, 0, QTextDocument.FindFlag(0))
    assert not found.isNull()
    where = browser.cursorRect(found)
    assert browser.viewport().rect().contains(where), (
        f"the entry's words are at y={where.y()} in a box {browser.viewport().height()} px high"
    )
