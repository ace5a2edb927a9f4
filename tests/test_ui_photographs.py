"""Photographs in the window (issue 20 item 5): thumbnails in the entry view, loaded on the worker;
Attach photograph… only on a draft in a vault that allows photographs, with the sentence saying
what was removed or refused; the vault's setting in Preferences."""

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from practitioner_app.services import photographs, records
from practitioner_app.ui.case.entry_view import EntryViewer
from practitioner_app.ui.dialogs import PreferencesDialog
from practitioner_app.ui.session import VaultSession
from tests import photos
from tests.test_ui_case import run
from tests.ui_helpers import wait_idle


def _viewer(qtbot: QtBot, session: VaultSession, observation: str) -> EntryViewer:
    viewer = EntryViewer(session, "observation", observation)
    qtbot.addWidget(viewer)
    viewer.show()
    wait_idle(qtbot, session)
    assert viewer.view is not None
    return viewer


def test_photographs_off_no_strip_and_no_attach(qtbot: QtBot, vault_session: VaultSession) -> None:
    _, observation = run(qtbot, vault_session, photos.injury_observation)
    viewer = _viewer(qtbot, vault_session, observation)
    assert viewer.photos is not None
    # An observation's photographs are a tab beside its body map: no tab while they are off.
    assert viewer.extras is not None
    assert not viewer.extras.isTabVisible(1)
    assert not viewer.photos.isVisible()
    assert not viewer.photos.attach_button.isEnabled()


def test_attach_shows_the_thumbnail_and_says_the_location_was_removed(
    qtbot: QtBot, vault_session: VaultSession, tmp_path: Path
) -> None:
    _, observation = run(qtbot, vault_session, photos.injury_observation)
    run(qtbot, vault_session, photographs.set_photographs_allowed, True)
    viewer = _viewer(qtbot, vault_session, observation)
    strip = viewer.photos
    assert strip is not None
    assert viewer.extras is not None
    assert viewer.extras.isTabVisible(1)
    viewer.extras.setCurrentWidget(strip)
    assert strip.isVisible()
    assert strip.attach_button.isEnabled()
    assert strip.message.text() == "No photographs."
    given = tmp_path / "arm.jpg"
    given.write_bytes(photos.jpeg(800, 600, gps=True, camera=True))
    strip.ask_file = lambda: given
    qtbot.mouseClick(strip.attach_button, Qt.MouseButton.LeftButton)
    # The attach, then the reload it starts.
    wait_idle(qtbot, vault_session)
    wait_idle(qtbot, vault_session)
    assert len(strip.shown) == 1
    assert "location (GPS position)" in strip.message.text()
    assert strip.row.count() == 1
    item = strip.row.itemAt(0)
    tile = item.widget() if item is not None else None
    assert tile is not None
    assert f"Photograph {strip.shown[0].id}" == tile.accessibleName()

    # A file that is not a photograph: one sentence, nothing added.
    bad = tmp_path / "notes.jpg"
    bad.write_bytes(b"these are notes, not a photograph")
    strip.ask_file = lambda: bad
    strip.attach()
    wait_idle(qtbot, vault_session)
    assert "not a JPEG or PNG photograph" in strip.message.text()
    assert (
        len(run(qtbot, vault_session, photographs.photographs_of, "observation", observation)) == 1
    )

    # Final: the photograph stays, no more can be attached.
    run(qtbot, vault_session, records.finalise, "observation", observation)
    viewer.reload()
    strip.reload()
    wait_idle(qtbot, vault_session)
    assert not strip.attach_button.isEnabled()
    assert strip.shown[0].final


def test_preferences_turn_photographs_on_and_it_is_audited(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    dialog = PreferencesDialog(None, vault_session)
    qtbot.addWidget(dialog)
    wait_idle(qtbot, vault_session)
    assert dialog.photographs.isEnabled()
    assert not dialog.photographs.isChecked()
    if "PREFERENCES_SCREENSHOT" in os.environ:
        dialog.show()
        qtbot.wait(50)
        dialog.grab().save(os.environ["PREFERENCES_SCREENSHOT"])
    dialog.photographs.setChecked(True)
    dialog.accept()
    wait_idle(qtbot, vault_session)
    assert run(qtbot, vault_session, photographs.photographs_allowed) is True


def test_screenshot_of_the_entry_view_with_thumbnails(
    qtbot: QtBot, vault_session: VaultSession, tmp_path: Path
) -> None:
    """Saved to $PHOTO_SCREENSHOT when set (to look at), else to the test's folder."""
    _, observation = run(qtbot, vault_session, photos.injury_observation)
    run(qtbot, vault_session, photographs.set_photographs_allowed, True)
    for made in (
        photos.jpeg(640, 480, taken=datetime(2026, 10, 6, 11, 5), gps=True),
        photos.png(300, 400),
        photos.jpeg(480, 640, orientation=6),
    ):
        run(qtbot, vault_session, photographs.attach, "observation", observation, made)
    viewer = _viewer(qtbot, vault_session, observation)
    viewer.resize(900, 760)
    wait_idle(qtbot, vault_session)
    assert viewer.photos is not None
    assert len(viewer.photos.shown) == 3
    qtbot.wait(50)
    target = Path(os.environ.get("PHOTO_SCREENSHOT", tmp_path / "entry.png"))
    assert viewer.grab().save(str(target))


def test_a_final_photograph_is_amended_from_the_entry_view(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    _, observation = run(qtbot, vault_session, photos.injury_observation)
    run(qtbot, vault_session, photographs.set_photographs_allowed, True)
    kept = run(
        qtbot, vault_session, photographs.attach, "observation", observation, photos.jpeg()
    ).photograph
    run(qtbot, vault_session, records.finalise, "observation", observation)
    viewer = _viewer(qtbot, vault_session, observation)
    dialog = viewer.amend()
    assert dialog is not None
    dialog.choose_field(kept.amendment_field)
    assert dialog.field() == kept.amendment_field
    assert dialog.field_box.currentText().startswith(f"Photograph {kept.id[:8]}")
    dialog.new_value.setPlainText("Wrong photograph: another child's arm.")
    dialog.reason.setPlainText("Attached from the wrong visit.")
    dialog.save()
    wait_idle(qtbot, vault_session)
    view = run(qtbot, vault_session, records.get_entry, "observation", observation)
    assert [a.field for a in view.amendments] == [kept.amendment_field]
    wait_idle(qtbot, vault_session)
    assert f"Photograph {kept.id[:8]}" in viewer.browser.toPlainText()
    assert len(viewer.photos.shown if viewer.photos else []) == 1
