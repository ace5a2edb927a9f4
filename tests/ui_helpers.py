"""Helpers for the desktop-app tests: a real vault opened through the real worker thread."""

from pathlib import Path

from pytestqt.qtbot import QtBot

from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.worker import Worker
from tests.conftest import PASSPHRASE


def open_session(qtbot: QtBot, vault_dir: Path) -> VaultSession:
    worker = Worker()
    session = VaultSession(worker, vault_dir)
    with qtbot.waitSignal(session.unlocked, timeout=30_000):
        session.unlock(PASSPHRASE, failed=lambda problem: (_ for _ in ()).throw(problem))
    return session


def close_session(session: VaultSession) -> None:
    session.lock_and_wait()
    session.worker.shutdown()


def wait_idle(qtbot: QtBot, session: VaultSession, timeout: int = 30_000) -> None:
    """Until the worker has finished everything asked of it and its results are delivered."""
    qtbot.waitUntil(lambda: not session.worker.busy, timeout=timeout)
