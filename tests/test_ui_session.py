"""The worker thread and the session: results and problems come back on the GUI thread."""

import gc
import threading
import time
import weakref

from pytestqt.qtbot import QtBot

from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.gcpause import without_cyclic_gc
from practitioner_app.services import casework, people
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.worker import FREEZE_AFTER_MS, Cancelled, Job, Worker
from tests.conftest import child_details
from tests.ui_helpers import wait_idle


def test_work_runs_off_the_gui_thread_and_results_arrive_on_it(qtbot: QtBot) -> None:
    worker = Worker()
    seen: list[tuple[str, bool]] = []

    def where() -> str:
        return threading.current_thread().name

    worker.run(
        where,
        done=lambda name: seen.append(
            (name, threading.current_thread() is threading.main_thread())
        ),
    )
    qtbot.waitUntil(lambda: bool(seen))
    worker.shutdown()
    assert seen[0][0].startswith("vault-worker")
    assert seen[0][1] is True


def test_a_problem_goes_to_failed_and_a_bug_is_raised_on_the_gui_thread(qtbot: QtBot) -> None:
    worker = Worker()
    problems: list[Problem] = []

    def refuse() -> None:
        raise InvalidInput("No.")

    worker.run(refuse, failed=problems.append)
    qtbot.waitUntil(lambda: bool(problems))
    assert problems[0].message == "No."

    def broken() -> None:
        raise KeyError("bug")

    with qtbot.captureExceptions() as caught:
        worker.run(broken)
        qtbot.waitUntil(lambda: bool(caught))
    worker.shutdown()
    assert isinstance(caught[0][1], KeyError)


def test_a_long_job_reports_progress_and_stops_when_cancelled(qtbot: QtBot) -> None:
    worker = Worker()
    steps: list[int] = []
    problems: list[Problem] = []
    release = threading.Event()

    def long_job(*, job: Job) -> None:
        for step in range(1000):
            job.progress(step, 1000, "counting")
            release.wait(0.01)

    job = worker.run(long_job, failed=problems.append, progress=lambda d, t, w: steps.append(d))
    qtbot.waitUntil(lambda: len(steps) > 3)
    job.cancel()
    qtbot.waitUntil(lambda: bool(problems))
    worker.shutdown()
    assert isinstance(problems[0], Cancelled)
    assert steps[-1] < 999


def test_session_changes_announce_what_changed(qtbot: QtBot, vault_session: VaultSession) -> None:
    with qtbot.waitSignal(vault_session.changed) as announced:
        vault_session.change(people.add_child, child_details(), kind="child")
    [changes] = announced.args
    assert isinstance(changes, Changes)
    assert changes.kinds == {"child"}
    [added] = changes.records
    assert added.id
    assert changes.children == {""}  # a new child is in nobody's case: every screen looks again
    rows: list[list[casework.CaseloadRow]] = []
    vault_session.call(casework.caseload, done=rows.append)
    wait_idle(qtbot, vault_session)
    assert [r.name for r in rows[0]] == ["Maya Okafor"]


def test_after_lock_calls_are_refused_with_a_sentence(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    with qtbot.waitSignal(vault_session.locked):
        vault_session.lock()
    problems: list[Problem] = []
    vault_session.call(casework.caseload, failed=problems.append)
    wait_idle(qtbot, vault_session)
    assert problems[0].message == "The vault is locked; unlock it and try again."


def test_qt_returning_none_from_a_model_keeps_python_alive(qtbot: QtBot) -> None:
    """Every table model answers None for roles it does not use. PySide6 6.12.0 released a
    reference to None each time on Python 3.11, and the app aborted after a few thousand repaints."""
    import sys

    from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

    class Blank(QAbstractTableModel):
        def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 1

        def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
            return 1

        def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
            return None

    model = Blank()
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(200):
        index.data(Qt.ItemDataRole.FontRole)
    assert sys.getrefcount(None) >= before


class _Node:
    """A stand-in for the objects a job leaves behind; `me` makes a reference cycle."""

    me: "_Node | None" = None


def _watched(thing: object) -> bool:
    """True if the collector's full passes still traverse `thing` (it is not frozen)."""
    return any(other is thing for other in gc.get_objects())


def test_once_the_worker_falls_idle_its_garbage_is_collected_and_the_rest_frozen(
    qtbot: QtBot,
) -> None:
    # A full pass of the collector holds the window; at 4,000 children the passes over the
    # caseload took up to 150 ms (issue 19). What a job leaves alive is frozen out of their sight;
    # what it left as garbage cycles is collected first, never frozen.
    worker = Worker()
    left: dict[str, weakref.ref[_Node]] = {}

    def job() -> _Node:
        garbage = _Node()
        garbage.me = garbage
        left["garbage"] = weakref.ref(garbage)
        return _Node()

    answers: list[_Node] = []
    with without_cyclic_gc():  # only the app's explicit passes run
        worker.run(job, done=answers.append)
        qtbot.waitUntil(lambda: bool(answers))
        assert _watched(answers[0])  # not in the turn that delivers it (worker.FREEZE_AFTER_MS)
        qtbot.waitUntil(lambda: not _watched(answers[0]))
        worker.shutdown()
        assert left["garbage"]() is None


def test_nothing_is_frozen_while_work_is_under_way(qtbot: QtBot) -> None:
    # A job still running may hold half-built cycles (a PDF's layout): freezing them would keep
    # them until the next lock.
    worker = Worker()
    release = threading.Event()
    first: list[_Node] = []
    second: list[_Node] = []
    with without_cyclic_gc():  # only the app's explicit passes run
        worker.run(_Node, done=first.append)
        worker.run(lambda: (release.wait(10), _Node())[1], done=second.append)
        qtbot.waitUntil(lambda: bool(first))
        qtbot.wait(3 * FREEZE_AFTER_MS)
        assert _watched(first[0])
        release.set()
        qtbot.waitUntil(lambda: bool(second))
        qtbot.waitUntil(lambda: not _watched(second[0]))
        worker.shutdown()
        assert not _watched(first[0])


def test_locking_collects_the_cycles_frozen_while_the_vault_was_open(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    # Case data in a reference cycle, frozen while the vault was open, is let go of by the
    # window at lock; it must not stay in memory while the vault is locked.
    held = _Node()
    held.me = held
    gone = weakref.ref(held)
    with without_cyclic_gc():  # only the app's explicit passes run
        gc.freeze()
        del held
        assert gone() is not None
        with qtbot.waitSignal(vault_session.locked):
            vault_session.lock()
        qtbot.waitUntil(lambda: not vault_session.worker.busy)
        assert gone() is None


def test_a_refused_job_leaves_nothing_of_its_frames_behind(qtbot: QtBot) -> None:
    # Fresh review: a mistyped passphrase stayed in memory, frozen, while the vault stayed
    # locked: the Problem's traceback kept the job's frames (and their locals) alive, in a cycle
    # with the reply, and the worker falling idle froze them.
    worker = Worker()
    left: dict[str, weakref.ref[_Node]] = {}

    def refused(typed: _Node) -> None:
        left["typed"] = weakref.ref(typed)
        try:
            raise KeyError("inner")
        except KeyError:
            raise InvalidInput("That passphrase did not open the vault.")  # noqa: B904

    problems: list[Problem] = []
    with without_cyclic_gc():  # only the app's explicit passes run
        worker.run(refused, _Node(), failed=problems.append)
        qtbot.waitUntil(lambda: bool(problems))
        worker.shutdown()
        assert problems[0].message == "That passphrase did not open the vault."
        assert left["typed"]() is None


def test_a_lock_does_not_freeze_the_work_queued_after_it(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    # Fresh review: a restore queued by the lock's `done` had its half-built objects frozen by
    # the lock's collection.
    release = threading.Event()
    seen: list[_Node] = []

    def job() -> _Node:
        made = _Node()
        made.me = made
        seen.append(made)
        release.wait(10)
        return made

    answers: list[_Node] = []

    def restore_next() -> None:  # as MainWindow.lock(then=...) queues a restore
        vault_session.worker.run(job, done=answers.append)

    with without_cyclic_gc():  # only the app's explicit passes run
        with qtbot.waitSignal(vault_session.locked):
            vault_session.lock(done=restore_next)
        qtbot.waitUntil(lambda: bool(seen))
        assert _watched(seen[0])
        release.set()
        qtbot.waitUntil(lambda: bool(answers))


def test_garbage_left_on_the_gui_side_is_collected_there_when_a_job_follows_at_once(
    qtbot: QtBot,
) -> None:
    # Fresh review: with the freeze waiting FREEZE_AFTER_MS, a job started within that time set
    # off collections on the worker that freed the window's garbage there (a widget in such a
    # cycle, destroyed off the GUI thread, crashes the app). Starting a job freezes first.
    where: list[str] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            where.append(threading.current_thread().name)

    worker = Worker()
    with without_cyclic_gc():  # nothing collects the cycle before the next job starts
        worker.run(lambda: time.sleep(0.05))
        Cycle()
        qtbot.waitUntil(lambda: not worker.busy)
    worker.run(lambda: [[n] for n in range(200_000)])  # enough to set off the collector
    qtbot.waitUntil(lambda: not worker.busy)
    qtbot.wait(3 * FREEZE_AFTER_MS)
    worker.shutdown()
    assert where == ["MainThread"]
