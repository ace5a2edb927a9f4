"""The body map as a health visitor meets it: a click on the map places a mark and asks for what
DOMAIN.md lists; the list of regions and Enter do the same from the keyboard; a click off the body
gets one sentence; a final mark opens read-only, to be amended, never moved."""

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from practitioner_app.domain.body_map import BodyFigure, BodySide, outline
from practitioner_app.domain.body_marks import MarkKind
from practitioner_app.domain.enums import EntryStatus, ObservationCategory
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ObservationDetails
from practitioner_app.services import body_maps, people, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.case.body_map_panel import OFF_BODY, BodyMapDialog, BodyMapPanel
from practitioner_app.ui.case.entry_view import EntryViewer
from practitioner_app.ui.forms.body_mark import BodyMarkForm
from practitioner_app.ui.session import VaultSession
from tests.conftest import AT, child_details
from tests.ui_helpers import agree_to_finalise, wait_idle


def run(qtbot: QtBot, session: VaultSession, service: Callable[..., Any], *args: Any) -> Any:
    results: list[Any] = []
    problems: list[Problem] = []
    session.call(service, *args, done=results.append, failed=problems.append)
    wait_idle(qtbot, session)
    if problems:
        raise problems[0]
    return results[0]


def an_observation(ws: Workspace) -> str:
    # A baby of about four months on the day: the infant outline is the one suggested.
    child = people.add_child(ws, child_details(date_of_birth=date(2026, 6, 1)))
    observation = records.create_entry(
        ws,
        ObservationDetails(
            child_id=child.id,
            occurred_at=AT,
            category=ObservationCategory.INJURY,
            text="Bruising seen at the new birth review.",
        ),
    )
    return observation.id


_OPEN: list[BodyMapDialog] = []  # kept alive while a test uses its panel


def open_map(qtbot: QtBot, session: VaultSession) -> BodyMapPanel:
    observation_id = run(qtbot, session, an_observation)
    dialog = BodyMapDialog(session, observation_id)
    qtbot.addWidget(dialog)
    _OPEN[:] = [dialog]
    dialog.show()
    wait_idle(qtbot, session)
    assert dialog.panel.occasion is not None
    return dialog.panel


def click(qtbot: QtBot, panel: BodyMapPanel, side: BodySide, x: float, y: float) -> None:
    point = panel.canvas.to_widget(side, x, y)
    qtbot.mouseClick(
        panel.canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(point.x()), round(point.y()))
    )


def test_a_click_on_the_map_places_a_mark_and_asks_what_was_seen(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    panel = open_map(qtbot, vault_session)
    assert panel.current_figure() is BodyFigure.INFANT
    assert "No marks yet" in panel.state.text()
    forearm = outline(BodyFigure.INFANT, BodySide.FRONT).region("left_forearm")
    click(qtbot, panel, BodySide.FRONT, *forearm.anchor)
    form = panel.dialogs[-1]
    assert isinstance(form, BodyMarkForm)
    assert form.site.text() == "Left forearm (front)"
    # Every question DOMAIN.md asks of a mark is on the form.
    for widget in (
        form.mark_kind,
        form.description,
        form.length_cm,
        form.width_cm,
        form.shape,
        form.colours,
        form.skin_broken,
        form.swelling,
        form.explanation,
        form.explanation_by,
        form.consistent,
        form.seen_by,
        form.date,
        form.time,
    ):
        assert widget.isVisible()
    form.mark_kind.set_value(MarkKind.INJURY)
    form.description.setPlainText("Bruise")
    form.length_cm.setText("2")
    form.width_cm.setText("1.5")
    form.colours.setText("Blue-purple")
    form.explanation.setPlainText("Fell against the cot")
    form.explanation_by.setText("Mother")
    form.consistent.set_value(False)
    assert form.save_draft()
    wait_idle(qtbot, vault_session)
    wait_idle(qtbot, vault_session)
    marks = panel.canvas.marks
    assert len(marks) == 1
    assert marks[0].region == "Left forearm (front)"
    # Where it was clicked, to within the pixel the click was rounded to.
    assert abs(marks[0].x - forearm.anchor[0]) < 1
    assert abs(marks[0].y - forearm.anchor[1]) < 1
    assert marks[0].draft
    # The outline is fixed once a mark is on it (one map per occasion).
    assert not panel.figure.isEnabled()
    assert panel.marks.count() == 1
    form.reject()


def test_a_click_off_the_body_says_so_and_opens_nothing(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    panel = open_map(qtbot, vault_session)
    click(qtbot, panel, BodySide.FRONT, 3.0, 190.0)
    assert panel.state.text() == OFF_BODY
    assert panel.dialogs == []


def test_the_keyboard_path_chooses_a_region_and_answers_the_same_questions(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    panel = open_map(qtbot, vault_session)
    panel.regions.setFocus()
    wanted = "Back: Right buttock"
    while panel.regions.currentItem().text() != wanted:
        qtbot.keyClick(panel.regions, Qt.Key.Key_Down)
    qtbot.keyClick(panel.regions, Qt.Key.Key_Return)
    form = panel.dialogs[-1]
    assert isinstance(form, BodyMarkForm)
    assert form.site.text() == "Right buttock (back)"
    # Typed, not clicked: the choice first, then tab to the description.
    form.mark_kind.setFocus()
    qtbot.keyClicks(form.mark_kind, "Birthmark")
    assert form.mark_kind.value() == MarkKind.BIRTHMARK
    qtbot.keyClick(form.mark_kind, Qt.Key.Key_Tab)
    qtbot.keyClicks(form.description, "Blue-grey patch, present since birth")
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    with qtbot.waitSignal(form.saved, timeout=30_000):
        qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, vault_session)
    assert form.entry_id is not None
    marks = panel.canvas.marks
    assert [m.region for m in marks] == ["Right buttock (back)"]
    anchor = outline(BodyFigure.INFANT, BodySide.BACK).region("right_buttock").anchor
    assert (marks[0].side, marks[0].x, marks[0].y) == (BodySide.BACK, *anchor)
    form.reject()


def test_a_final_mark_opens_read_only_and_is_never_moved(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    panel = open_map(qtbot, vault_session)
    panel.regions.setCurrentRow(0)
    form = panel.add_at_region()
    assert form is not None
    form.mark_kind.set_value(MarkKind.INJURY)
    form.description.setPlainText("Scratch")
    agree_to_finalise(form)
    assert form.finalise()
    wait_idle(qtbot, vault_session)
    wait_idle(qtbot, vault_session)
    wait_idle(qtbot, vault_session)
    assert form.status is EntryStatus.FINAL
    form.reject()
    mark = panel.canvas.marks[0]
    assert not mark.draft
    # A click on the mark opens it read-only (with Amend), never a form that could move it.
    click(qtbot, panel, mark.side, mark.x, mark.y)
    wait_idle(qtbot, vault_session)
    viewer = panel.dialogs[-1]
    assert isinstance(viewer, EntryViewer)
    wait_idle(qtbot, vault_session)
    assert viewer.amend_button.isEnabled()
    assert not viewer.edit_button.isEnabled()
    assert "Right ear (front)" in viewer.html  # the site in words, not its key
    viewer.reject()
    occasion = run(qtbot, vault_session, body_maps.occasion, panel.observation_id)
    assert occasion.body_map.marks[0].id == mark.id


def test_an_observations_entry_view_shows_its_body_map(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    observation_id = run(qtbot, vault_session, an_observation)
    viewer = EntryViewer(vault_session, RecordKind.OBSERVATION, observation_id)
    qtbot.addWidget(viewer)
    viewer.show()
    wait_idle(qtbot, vault_session)
    assert viewer.body_map is not None
    assert viewer.body_map.canvas.isVisible()
    assert viewer.body_map.regions.count() == len(
        outline(BodyFigure.INFANT, BodySide.FRONT).regions
    ) + len(outline(BodyFigure.INFANT, BodySide.BACK).regions)
    viewer.reject()
