"""Operations: a service call made on behalf of one widget, typed by its result, run on the one
worker thread, and answered on the GUI thread only while the widget still wants the answer.

After Anki's `aqt/operations` (`CollectionOp(parent, op).success(...).run_in_background()`):

    Operation(self, self.session, records.get_entry, kind, entry_id, purpose="load")
        .success(self._loaded)       # gets an EntryView, checked by mypy
        .failure(self._failed)       # gets the domain Problem
        .run_in_background()

- The answer is dropped when the widget is gone (garbage collected, or its Qt object destroyed), or
  when the same widget has since asked again for the same `purpose` (a newer load superseded it),
  or after `session.pending.drop(widget)` (the widget was cleared or closed).
- A mutation says what it changed (`.changes(...)`): once it succeeds that is announced through
  `VaultSession.changed`, whether or not the widget that asked is still there to hear the answer.
- A Problem with no `.failure` handler, and every bug, is raised on the GUI thread: it crashes
  loudly, as the worker always did.

Why the bookkeeping lives here on the GUI thread: the worker thread must never hold the last
reference to a widget (a QWidget released off the GUI thread crashes Qt). What is handed to the
worker names an operation only by its ticket; the operation, its callbacks and the widget they
reach stay in `PendingOperations`, touched only on the GUI thread. Only the service and its
arguments travel to the worker: plain functions and plain data, never a widget.
"""

import itertools
import weakref
from collections.abc import Callable
from functools import partial
from inspect import ismethod
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

import shiboken6
from PySide6.QtCore import QObject

from practitioner_app.domain.errors import Problem
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.worker import Job

if TYPE_CHECKING:
    from practitioner_app.ui.session import VaultSession

T = TypeVar("T")
C = TypeVar("C", bound=Callable[..., object])


def _held(callback: C) -> Callable[[], C | None]:
    """A bound method (or a `partial` of one) is held by a weak reference, so a pending answer
    never keeps its widget alive; any other callable is held as it is."""
    if isinstance(callback, partial) and ismethod(callback.func):
        method = weakref.WeakMethod(callback.func)
        args, keywords = callback.args, callback.keywords

        def again() -> C | None:
            bound = method()
            return None if bound is None else partial(bound, *args, **keywords)  # type: ignore[return-value]

        return again
    if ismethod(callback):
        return weakref.WeakMethod(callback)
    return lambda: callback


class Operation(Generic[T]):
    """One service call asked for by `owner`: `service(workspace, *args) -> T` on the worker."""

    def __init__(
        self,
        owner: QObject,
        session: "VaultSession",
        service: Callable[..., T],
        *args: Any,
        purpose: str = "",
    ) -> None:
        self._owner = weakref.ref(owner)
        self.session = session
        self.service = service
        self.args = args
        # Answers for the same purpose from the same widget supersede each other; "" never does.
        self.purpose = purpose
        self._success: Callable[[], Callable[[T], object] | None] | None = None
        self._failure: Callable[[], Callable[[Problem], object] | None] | None = None
        self._progress: Callable[[], Callable[[int, int, str], object] | None] | None = None
        self._changes: Changes | Callable[[T], Changes] | None = None
        self.dropped = False
        self.job: Job | None = None

    # -- building ----------------------------------------------------------------------------

    def success(self, callback: Callable[[T], object]) -> "Operation[T]":
        self._success = _held(callback)
        return self

    def failure(self, callback: Callable[[Problem], object]) -> "Operation[T]":
        self._failure = _held(callback)
        return self

    def with_progress(self, callback: Callable[[int, int, str], object]) -> "Operation[T]":
        """A long job: the service is called with `job=` to report progress and notice a cancel."""
        self._progress = _held(callback)
        return self

    def changes(self, what: Changes | Callable[[T], Changes]) -> "Operation[T]":
        """A mutation: what it changed (or how to tell from its result), announced on success."""
        self._changes = what
        return self

    def run_in_background(self) -> Job:
        pending = self.session.pending
        ticket = pending.add(self)
        home = weakref.ref(pending)
        self.job = self.session.call(
            self.service,
            *self.args,
            done=partial(_succeeded, home, ticket),
            failed=partial(_failed, home, ticket),
            progress=partial(_progressed, home, ticket) if self._progress is not None else None,
            landed=partial(_landed, home, ticket),
        )
        return self.job

    # -- answering (GUI thread) --------------------------------------------------------------

    def owner(self) -> QObject | None:
        """The widget that asked, while it is still there."""
        owner = self._owner()
        return owner if owner is not None and shiboken6.isValid(owner) else None

    @property
    def wanted(self) -> bool:
        return not self.dropped and self.owner() is not None

    def drop(self) -> None:
        """Nobody wants the answer now; what a mutation changed is still announced."""
        self.dropped = True
        self._success = self._failure = self._progress = None

    def _succeeded(self, result: T) -> None:
        # Looked up first: the announcement may make the widget ask again for the same purpose,
        # which must not drop the answer to the change itself.
        callback = self._success() if self._success is not None and self.wanted else None
        changes = self._changes(result) if callable(self._changes) else self._changes
        if changes is not None:
            self.session.announce(changes)
        if callback is not None:
            callback(result)

    def _failed(self, problem: Problem) -> None:
        if not self.wanted:
            return
        callback = self._failure() if self._failure is not None else None
        if callback is None:
            raise problem
        callback(problem)

    def _progressed(self, done: int, total: int, what: str) -> None:
        callback = self._progress() if self._progress is not None and self.wanted else None
        if callback is not None:
            callback(done, total, what)


class PendingOperations:
    """The operations asked for and not answered yet; one per session, GUI thread only."""

    def __init__(self) -> None:
        self._tickets = itertools.count(1)
        self._waiting: dict[int, Operation[Any]] = {}

    def add(self, operation: Operation[Any]) -> int:
        owner = operation.owner()
        if operation.purpose and owner is not None:
            self.drop(owner, operation.purpose)
        ticket = next(self._tickets)
        self._waiting[ticket] = operation
        return ticket

    def drop(self, owner: QObject, purpose: str | None = None) -> None:
        """Drop the answers `owner` is waiting for (for one purpose, or all): it was cleared,
        closed or asked again."""
        for operation in self._waiting.values():
            if operation.owner() is owner and purpose in (None, operation.purpose):
                operation.drop()

    def waiting(self, owner: QObject) -> int:
        """How many answers `owner` still wants."""
        return sum(op.owner() is owner and not op.dropped for op in self._waiting.values())

    def take(self, ticket: int) -> Operation[Any] | None:
        return self._waiting.pop(ticket, None)

    def peek(self, ticket: int) -> Operation[Any] | None:
        return self._waiting.get(ticket)


# What the worker is handed: a ticket and a weak reference, never the operation or its widget.


Home: TypeAlias = "weakref.ref[PendingOperations]"


def _find(home: Home, ticket: int) -> Operation[Any] | None:
    pending = home()
    return pending.peek(ticket) if pending is not None else None


def _succeeded(home: Home, ticket: int, result: object) -> None:
    operation = _find(home, ticket)
    if operation is not None:
        operation._succeeded(result)


def _failed(home: Home, ticket: int, problem: Problem) -> None:
    operation = _find(home, ticket)
    if operation is not None:
        operation._failed(problem)


def _progressed(home: Home, ticket: int, done: int, total: int, what: str) -> None:
    operation = _find(home, ticket)
    if operation is not None:
        operation._progressed(done, total, what)


def _landed(home: Home, ticket: int) -> None:
    # After the answer (or a bug) was handled: the operation and what it reaches go, here.
    pending = home()
    if pending is not None:
        pending.take(ticket)
