"""The open vault as the windows see it: every service call goes through here to the worker.

The Workspace object lives on the worker thread in all but name: the GUI only holds the reference
and passes it to functions that run there. Widgets call services through `ui.operations`; every
mutation announces what it changed (`changed`, with the kinds of record and their ids), so the
screens showing those records refresh themselves.
"""

import gc
import importlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from practitioner_app.domain.errors import Problem
from practitioner_app.gcpause import collect_everything, without_cyclic_gc
from practitioner_app.services import locations
from practitioner_app.ui.changes import Changes
from practitioner_app.ui.operations import PendingOperations
from practitioner_app.ui.worker import Job, Worker

if TYPE_CHECKING:
    from practitioner_app.services.workspace import Profile, Workspace

# The unlock screen is shown before these load (SQLAlchemy, Alembic, pydantic take a second);
# `prewarm` loads them on the worker while the practitioner types the passphrase.
PREWARM = (
    "practitioner_app.services.workspace",
    "practitioner_app.services.casework",
    "practitioner_app.services.chronology",
    "practitioner_app.services.records",
    "practitioner_app.services.search",
    "practitioner_app.services.alerts",
    "practitioner_app.services.forms",
    "practitioner_app.services.sharing",
    "practitioner_app.ui.case.overview_html",  # Jinja2, and the overview template compiled
    # The work pages' modules (defining classes makes no Qt object, so any thread may import
    # them): imported on the GUI thread they held up typing the passphrase for 0.3 s.
    "practitioner_app.ui.caseload",
    "practitioner_app.ui.case.workspace",
)

# The demo vault holds only invented people, so its passphrase can be printed on the unlock screen.
DEMO_PASSPHRASE = "demo caseload practice harbour"
# Big enough to feel like a real caseload, small enough to make in under a minute on a laptop.
DEMO_CHILDREN = 60
DEMO_YEARS = 3
DEMO_SEED = 2026


class VaultIsLocked(Problem):
    def __init__(self) -> None:
        super().__init__("The vault is locked; unlock it and try again.")


@dataclass(frozen=True)
class VaultChoice:
    """Which vault the window works on: the practitioner's own, or the separate demo one."""

    path: Path
    demo: bool

    @property
    def exists(self) -> bool:
        return (self.path / "vault.key").exists()


class VaultSession(QObject):
    unlocked = Signal()
    locked = Signal()
    changed = Signal(object)  # Changes: every record one action wrote

    def __init__(self, worker: Worker, real_vault: Path | None = None) -> None:
        super().__init__()
        self.worker = worker
        self.real = VaultChoice(real_vault or locations.default_vault_dir(), demo=False)
        self.demo = VaultChoice(locations.demo_vault_dir(self.real.path), demo=True)
        self.choice = self.demo if (self.demo.exists and not self.real.exists) else self.real
        self._workspace: Workspace | None = None
        self.profile: Profile | None = None
        self.pending = PendingOperations()

    # -- opening and closing -----------------------------------------------------------------

    def prewarm(self, then: Callable[[object], None] | None = None) -> None:
        """Import the services on the worker while the practitioner types; `then` runs on the
        GUI thread afterwards."""

        def load() -> None:
            # Importing makes a million objects that live as long as the app. The collector's
            # full passes over them, each holding the interpreter lock (and so the window) for
            # 50-100 ms, are paused while they load; then they are moved out of its sight, so a
            # full pass scans only what came after (issue 19).
            with without_cyclic_gc():
                for name in PREWARM:
                    importlib.import_module(name)
                gc.freeze()

        self.worker.run(load, done=then)

    @property
    def is_open(self) -> bool:
        return self._workspace is not None

    @property
    def is_demo(self) -> bool:
        return self.choice.demo

    def choose(self, choice: VaultChoice) -> None:
        if self.is_open:
            raise RuntimeError("lock the open vault before choosing another")
        self.choice = choice

    def _opened(self, workspace: "Workspace") -> None:
        self._workspace = workspace
        self.profile = workspace.profile
        self.unlocked.emit()

    def create(
        self,
        passphrase: str,
        profile: "Profile",
        done: Callable[[str], None],
        failed: Callable[[Problem], None],
    ) -> None:
        """Create the practitioner's vault; `done` gets the recovery key to show once."""
        self.choose(self.real)

        def opened(result: "tuple[Workspace, str]") -> None:
            workspace, recovery_key = result
            self._workspace = workspace
            self.profile = workspace.profile
            done(recovery_key)

        def create(root: Path, passphrase: str, profile: "Profile") -> "tuple[Workspace, str]":
            from practitioner_app.services.workspace import create_vault

            return create_vault(root, passphrase, profile)

        self.worker.run(create, self.real.path, passphrase, profile, done=opened, failed=failed)

    def announce_unlocked(self) -> None:
        """After the recovery key has been shown and confirmed, go on as after an unlock."""
        self.unlocked.emit()

    def create_demo(
        self,
        done: Callable[[], None],
        failed: Callable[[Problem], None],
        progress: Callable[[int, int, str], None],
    ) -> Job:
        self.choose(self.demo)

        def make(root: Path, *, job: Job) -> "Workspace":
            from practitioner_app.services import bundles
            from practitioner_app.services import demo as demo_service
            from practitioner_app.services.workspace import create_vault, open_vault

            job.progress(0, 3, "Creating the demo vault")
            if (root / "vault.key").exists():
                return open_vault(root, DEMO_PASSPHRASE)
            workspace, _ = create_vault(root, DEMO_PASSPHRASE, demo_service.DEMO_PROFILE)
            try:
                job.progress(1, 3, "Inventing a caseload (every name is made up)")
                bundle = demo_service.demo_bundle(DEMO_CHILDREN, DEMO_YEARS, DEMO_SEED)
                job.progress(2, 3, "Filing the records")
                bundles.import_bundle(workspace, bundle)
            except BaseException:
                # Half a demo is no use to anyone: it was made by this job, so it goes with it.
                workspace.lock()
                shutil.rmtree(root, ignore_errors=True)
                raise
            job.progress(3, 3, "Done")
            return workspace

        def opened(workspace: "Workspace") -> None:
            self._opened(workspace)
            done()

        return self.worker.run(make, self.demo.path, done=opened, failed=failed, progress=progress)

    def unlock(self, secret: str, failed: Callable[[Problem], None]) -> None:
        def open_it(root: Path, secret: str) -> "Workspace":
            from practitioner_app.services.workspace import open_vault

            return open_vault(root, secret)

        self.worker.run(open_it, self.choice.path, secret, done=self._opened, failed=failed)

    def restore(
        self, root: Path, backup: Path, secret: str, failed: Callable[[Problem], None]
    ) -> None:
        """Replace the (locked) vault at `root` with `backup` and open it, on the worker; the
        vault it replaces is kept in its backups folder (services/integrity.restore)."""
        if self.is_open:
            raise RuntimeError("lock the open vault before restoring a backup")

        def restore_it(root: Path, backup: Path, secret: str) -> "Workspace":
            from practitioner_app.services import integrity

            workspace, _ = integrity.restore(root, backup, secret)
            return workspace

        self.worker.run(restore_it, root, backup, secret, done=self._opened, failed=failed)

    def lock(self, done: Callable[[], None] | None = None) -> None:
        """Queue the lock behind any work already asked for (drafts being saved go first)."""
        workspace, self._workspace = self._workspace, None

        def lock_it() -> None:
            if workspace is not None:
                workspace.lock()

        def after(_: object) -> None:
            self.locked.emit()
            if done is not None:
                done()
            # The window has let go of the case data: no cycle of it stays frozen (gcpause.py).
            # `done` may have queued work (a restore): what it holds is not frozen mid-way.
            collect_everything(freeze=not self.worker.busy)

        self.worker.run(lock_it, done=after)

    def lock_and_wait(self) -> None:
        """For quitting: the engine is disposed before the process ends."""
        workspace, self._workspace = self._workspace, None
        if workspace is not None:
            self.worker.call_now(workspace.lock)

    # -- work on the open vault ----------------------------------------------------------------

    def call(
        self,
        service: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Problem], None] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        landed: Callable[[], None] | None = None,
    ) -> Job:
        """Run `service(workspace, *args)` on the worker (see `Worker.run`)."""
        workspace = self._workspace

        def with_workspace(*inner: Any, **kw: Any) -> Any:
            if workspace is None or workspace.vault.is_locked:
                raise VaultIsLocked
            return service(workspace, *inner, **kw)

        return self.worker.run(
            with_workspace, *args, done=done, failed=failed, progress=progress, landed=landed
        )

    def announce(self, changes: Changes) -> None:
        """Tell every open screen what changed (after the change is committed)."""
        self.changed.emit(changes)

    def change(
        self,
        service: Callable[..., Any],
        *args: Any,
        kind: str,
        child_id: str = "",
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Problem], None] | None = None,
    ) -> None:
        """A mutation with no widget waiting on it (scripts, tests): like `call`, then announces
        the record it returned (an id, or anything with an `id`) as of `kind`."""

        def changed(result: Any) -> None:
            record_id = result if isinstance(result, str) else getattr(result, "id", "")
            self.announce(Changes.of(kind, *([record_id] if record_id else []), child_id=child_id))
            if done is not None:
                done(result)

        self.call(service, *args, done=changed, failed=failed)
