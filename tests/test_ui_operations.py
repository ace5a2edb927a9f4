"""Operations (ui/operations.py) on a real vault through the real worker thread: an answer reaches
the widget that asked only while it still wants it, problems come back, bugs crash loudly, and
every change is announced whole, so open screens refresh themselves."""

import gc
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import ConcernCategory, ConcernLevel, ObservationCategory
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import ConcernDetails, ObservationDetails
from practitioner_app.services import casework, people, records
from practitioner_app.services.casework import CaseloadRow
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.case.entries_tab import EntriesTab
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.forms.visit import VisitForm
from practitioner_app.ui.operations import Operation
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.worker import Cancelled, Job
from tests.conftest import AT, child_details, visit_details
from tests.ui_helpers import agree_to_finalise, wait_idle

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

T = TypeVar("T")


@contextmanager
def worker_held(session: VaultSession) -> Iterator[None]:
    """The worker kept busy until the block ends, so what is asked in it is still on its way."""
    gate = threading.Event()
    session.worker.run(gate.wait)
    try:
        yield
    finally:
        gate.set()


def caseload_for(
    owner: QWidget, session: VaultSession, got: list[list[CaseloadRow]], purpose: str = ""
) -> Operation[list[CaseloadRow]]:
    return Operation(owner, session, casework.caseload, purpose=purpose).success(got.append)


def test_the_answer_arrives_typed_on_the_gui_thread(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    got: list[tuple[list[CaseloadRow], str]] = []

    def loaded(rows: list[CaseloadRow]) -> None:
        got.append((rows, threading.current_thread().name))

    Operation(owner, vault_session, casework.caseload).success(loaded).run_in_background()
    wait_idle(qtbot, vault_session)
    assert got == [([], threading.main_thread().name)]
    assert vault_session.pending.waiting(owner) == 0


def test_an_answer_for_a_destroyed_widget_is_dropped(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    owner = QWidget()
    got: list[list[CaseloadRow]] = []
    with worker_held(vault_session):
        caseload_for(owner, vault_session, got).run_in_background()
        shiboken6.delete(owner)  # the Qt object is gone, the Python wrapper is still here
    wait_idle(qtbot, vault_session)
    assert got == []


def test_a_pending_answer_never_keeps_its_widget_alive(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    """So the worker thread can never hold the last reference to a widget: while the answer is
    on its way, the widget goes as soon as the GUI lets go of it."""

    class Screen(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[CaseloadRow] | None = None

        def loaded(self, rows: list[CaseloadRow]) -> None:
            self.rows = rows

    screen = Screen()
    gone = weakref.ref(screen)
    with worker_held(vault_session):
        Operation(screen, vault_session, casework.caseload).success(
            screen.loaded
        ).run_in_background()
        del screen
        gc.collect()
        assert gone() is None  # released here, on the GUI thread, with the worker still busy
    wait_idle(qtbot, vault_session)


def test_a_newer_request_for_the_same_purpose_supersedes_the_older(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    older: list[list[CaseloadRow]] = []
    newer: list[list[CaseloadRow]] = []
    other: list[list[CaseloadRow]] = []
    with worker_held(vault_session):
        caseload_for(owner, vault_session, older, "caseload").run_in_background()
        caseload_for(owner, vault_session, other, "something else").run_in_background()
        caseload_for(owner, vault_session, newer, "caseload").run_in_background()
        # Another widget asking for the same purpose supersedes nothing of this one's.
        elsewhere = QWidget()
        qtbot.addWidget(elsewhere)
        caseload_for(elsewhere, vault_session, [], "caseload").run_in_background()
    wait_idle(qtbot, vault_session)
    assert older == []
    assert newer == [[]]
    assert other == [[]]


def test_answers_dropped_for_a_widget_that_was_cleared(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    got: list[list[CaseloadRow]] = []
    with worker_held(vault_session):
        caseload_for(owner, vault_session, got).run_in_background()
        vault_session.pending.drop(owner)
    wait_idle(qtbot, vault_session)
    assert got == []


def refuse(ws: Workspace) -> None:
    raise InvalidInput("Type the date as DD/MM/YYYY.", "occurred_at")


def test_a_problem_goes_to_the_failure_handler(qtbot: QtBot, vault_session: VaultSession) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    problems: list[Problem] = []
    Operation(owner, vault_session, refuse).success(
        lambda _: pytest.fail("no answer for a refusal")
    ).failure(problems.append).run_in_background()
    wait_idle(qtbot, vault_session)
    assert [(p.message, getattr(p, "field", None)) for p in problems] == [
        ("Type the date as DD/MM/YYYY.", "occurred_at")
    ]


def broken(ws: Workspace) -> None:
    raise KeyError("a bug")


def test_a_bug_is_raised_on_the_gui_thread_not_handed_to_the_failure_handler(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    problems: list[Problem] = []
    with qtbot.captureExceptions() as caught:
        Operation(owner, vault_session, broken).failure(problems.append).run_in_background()
        wait_idle(qtbot, vault_session)
    assert [type(error) for _, error, _ in caught] == [KeyError]
    assert problems == []
    assert vault_session.pending.waiting(owner) == 0  # nothing left waiting after the crash


def count_to_a_thousand(ws: Workspace, *, job: Job) -> int:
    for step in range(1000):
        job.progress(step, 1000, "Counting")
        threading.Event().wait(0.001)
    return 1000


def test_a_long_job_reports_progress_and_can_be_cancelled(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    steps: list[int] = []
    problems: list[Problem] = []
    job = (
        Operation(owner, vault_session, count_to_a_thousand)
        .with_progress(lambda done, total, what: steps.append(done))
        .failure(problems.append)
        .run_in_background()
    )
    qtbot.waitUntil(lambda: len(steps) >= 3)
    job.cancel()
    wait_idle(qtbot, vault_session)
    assert [type(p) for p in problems] == [Cancelled]
    assert steps[-1] < 999


def test_a_change_is_announced_even_when_the_widget_that_asked_has_gone(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    owner = QWidget()
    announced: list[Changes] = []
    vault_session.changed.connect(announced.append)
    with worker_held(vault_session):
        Operation(owner, vault_session, people.add_child, child_details()).changes(
            lambda child: Changes.of("child", child.id)
        ).success(lambda _: pytest.fail("the form is gone")).run_in_background()
        shiboken6.delete(owner)
    wait_idle(qtbot, vault_session)
    assert [change.kinds for change in announced] == [{"child"}]


def test_finalising_a_visit_announces_everything_made_final_and_open_screens_refresh(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    """A visit with an observation and a concern recorded at it: finalising the visit makes all
    three final in one action, says so of each, and the open observations and concerns lists
    show them final without anyone asking them to reload."""

    def run(service: Callable[..., T], *args: object) -> T:
        got: list[T] = []
        vault_session.call(service, *args, done=got.append)
        wait_idle(qtbot, vault_session)
        return got[0]

    child_id = run(people.add_child, child_details()).id
    visit = run(records.create_entry, visit_details(child_id))
    observation_id = run(
        records.create_entry,
        ObservationDetails(
            child_id, AT, ObservationCategory.GROWTH, "Weight 7.9 kg.", visit_id=visit.id
        ),
    ).id
    concern_id = run(
        records.create_entry,
        ConcernDetails(
            child_id,
            AT,
            ConcernCategory.NEGLECT,
            ConcernLevel.MEDIUM,
            "Health visitor",
            "Home cold.",
            visit_ids=(visit.id,),
        ),
    ).id

    screens = {
        kind: EntriesTab(vault_session, kind)
        for kind in (RecordKind.OBSERVATION, RecordKind.CONCERN)
    }
    for screen in screens.values():
        qtbot.addWidget(screen)
        screen.show_child(child_id)
    wait_idle(qtbot, vault_session)
    assert [row.status for row in screens[RecordKind.OBSERVATION].model.rows()] == ["draft"]

    form = VisitForm(vault_session, child_id)
    qtbot.addWidget(form)
    form.open_entry(visit)
    wait_idle(qtbot, vault_session)
    assert {v.id for v in form.linked} == {observation_id, concern_id}

    announced: list[Changes] = []
    vault_session.changed.connect(announced.append)
    agree_to_finalise(form)
    form.finalise()
    wait_idle(qtbot, vault_session)

    final = [c for c in announced if len(c.records) > 1]
    assert len(final) == 1
    assert {(r.kind, r.id, r.child_id) for r in final[0].records} == {
        ("visit", visit.id, child_id),
        ("observation", observation_id, child_id),
        ("concern", concern_id, child_id),
    }
    assert [row.status for row in screens[RecordKind.OBSERVATION].model.rows()] == ["final"]
    assert [row.status for row in screens[RecordKind.CONCERN].model.rows()] == ["final"]


def test_what_changed_says_which_screens_are_out_of_date() -> None:
    saved = Changes.of("observation", "obs-1", child_id="maya") + Changes.of(
        "sharing_record", child_id="maya"
    )
    added = Changes.of("child", "zoe")  # a new child: in nobody's case yet

    assert saved.concerns("maya")
    assert not saved.concerns("zoe")
    assert not saved.concerns(None)  # a screen showing no child
    assert saved.concerns("maya", ("observation", "concern"))
    assert not saved.concerns("maya", ("visit",))
    assert added.concerns("maya")
    assert added.concerns("zoe")
    assert saved.touches("observation", "obs-1")
    assert not saved.touches("observation", "obs-2")
    assert saved.touches("sharing_record", "any share")  # no id said: it may be this one
    assert saved.kinds == {"observation", "sharing_record"}
    assert saved.children == {"maya"}
