"""The one background thread that does all database and disk work, and its way back to the GUI.

Anki's pattern: the GUI never touches the database. It hands a function to `Worker.run`, which runs
it on a single-thread executor (so operations never interleave, and the SQLCipher connections stay
on one thread), and the result or the Problem comes back on the GUI thread through a queued signal.
Anything that is not a Problem is a bug: it is re-raised on the GUI thread, where it crashes loudly.
"""

import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from practitioner_app.domain.errors import Problem
from practitioner_app.gcpause import freeze_survivors

# How long the worker may keep the interpreter while the GUI thread waits for it, in seconds.
# Python's default, 5 ms, is paid at every call from Qt into Python (each cell a table paints):
# with the worker busy, repainting the caseload held the window for 50-100 ms. 1 ms brought it
# to 35-40 ms (issue 19); the worker loses nothing while the GUI thread is idle.
GUI_SWITCH_INTERVAL = 0.001

# How long after the worker falls idle its survivors are frozen (gcpause.freeze_survivors), in
# ms. Not in the same turn of the event loop as the answer: the collection before freezing costs
# 20-35 ms at 4,000 children, and on top of the tab the answer fills and its first paint it held
# the window 100-120 ms when a heavy child opened (issue 19). By then the answer's screens are
# drawn, and what they built is frozen with it.
FREEZE_AFTER_MS = 100


class Cancelled(Problem):
    """The practitioner stopped a long job; nothing it had not committed was kept."""

    def __init__(self) -> None:
        super().__init__("Stopped; nothing half-done was kept.")


@dataclass
class Job:
    """Handed to long jobs so they can report progress and notice a cancel request."""

    _progress: Callable[[int, int, str], None]
    _cancel: threading.Event = field(default_factory=threading.Event)

    def progress(self, done: int, total: int, what: str = "") -> None:
        if self._cancel.is_set():
            raise Cancelled
        self._progress(done, total, what)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


@dataclass
class _Reply:
    done: Callable[[Any], None] | None
    failed: Callable[[Problem], None] | None
    landed: Callable[[], None] | None = None
    result: Any = None
    problem: Problem | None = None
    bug: BaseException | None = None


class Worker(QObject):
    """Runs functions one at a time off the GUI thread; delivers results on it."""

    _finished = Signal(object)
    _progressed = Signal(object, int, int, str)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL))
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vault-worker")
        self._pending = 0
        self._finished.connect(self._deliver)
        self._progressed.connect(self._on_progress)
        self._progress_handlers: dict[int, Callable[[int, int, str], None]] = {}
        self._freeze = QTimer(self)
        self._freeze.setSingleShot(True)
        self._freeze.setInterval(FREEZE_AFTER_MS)
        self._freeze.timeout.connect(self._freeze_if_idle)
        self._shut_down = False

    def run(
        self,
        work: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Problem], None] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        landed: Callable[[], None] | None = None,
    ) -> Job:
        """Run `work(*args)` in the background (with `job=` when `progress` is given); `landed`
        runs on the GUI thread after the answer is handled, whatever it was (a bug too)."""
        reply = _Reply(done, failed, landed)
        job = Job(lambda d, t, w: self._progressed.emit(reply, d, t, w))
        if progress is not None:
            self._progress_handlers[id(reply)] = progress

        def call() -> None:
            try:
                if progress is not None:
                    reply.result = work(*args, job=job)
                else:
                    reply.result = work(*args)
            except Problem as problem:
                reply.problem = problem
            except BaseException as bug:  # re-raised on the GUI thread
                reply.bug = bug
            self._finished.emit(reply)

        if self._freeze.isActive():
            # The worker fell idle moments ago and has not frozen yet: freeze now, on this thread,
            # so garbage the GUI left is collected here, not by a pass the new job sets off on the
            # worker (a widget in a garbage cycle destroyed off the GUI thread crashes the app).
            self._freeze.stop()
            freeze_survivors()
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._executor.submit(call)
        return job

    def call_now(self, work: Callable[..., Any], *args: Any) -> Any:
        """Run on the worker and wait: only for shutdown and locking, never for a user action."""
        future: Future[Any] = self._executor.submit(work, *args)
        return future.result()

    @Slot(object, int, int, str)
    def _on_progress(self, reply: _Reply, done: int, total: int, what: str) -> None:
        handler = self._progress_handlers.get(id(reply))
        if handler is not None:
            handler(done, total, what)

    @Slot(object)
    def _deliver(self, reply: _Reply) -> None:
        if reply.problem is not None and reply.failed is not None:
            _without_frames(reply.problem)
        self._pending -= 1
        self._progress_handlers.pop(id(reply), None)
        if self._pending == 0:
            if not self._shut_down:  # an answer can arrive after shutdown: nothing more to freeze
                self._freeze.start()
            self.busy_changed.emit(False)
        # The worker thread may still hold this reply. Hand the callbacks over and drop them here,
        # so the last reference to a widget they capture is never released on the worker thread
        # (a QWidget destroyed off the GUI thread crashes the app).
        done, failed, landed = reply.done, reply.failed, reply.landed
        reply.done = reply.failed = reply.landed = None
        try:
            if reply.bug is not None:
                raise reply.bug
            if reply.problem is not None:
                if failed is None:
                    raise reply.problem
                failed(reply.problem)
            elif done is not None:
                done(reply.result)
        finally:
            if landed is not None:
                landed()

    def _freeze_if_idle(self) -> None:
        # Still nothing under way on the worker: what is alive now is the app's state (answers
        # and the screens built from them), moved out of the sight of the collector's full passes
        # (gcpause.py). Here, on the GUI thread, so a widget in a garbage cycle is never destroyed
        # on the worker. A job started since will freeze when it ends.
        if self._pending == 0:
            freeze_survivors()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True)
        self._shut_down = True
        self._freeze.stop()


def _without_frames(problem: BaseException) -> None:
    """Let go of the frames behind a Problem that is handled (its sentence is what is shown): their
    locals can be case data or a mistyped passphrase, and a traceback keeps them alive, in a cycle
    with the reply, which `freeze_survivors` would then freeze (gcpause.py). The errors it came
    from (`raise ... from`) carry frames too."""
    problem.__traceback__ = None
    problem.__cause__ = None
    problem.__context__ = None
