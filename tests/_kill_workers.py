"""Worker processes for the kill -9 tests (SECURITY.md promises 5 and 7), and the tests' handle on them.

Workers are forked from a fork server that imported the app once (multiprocessing's "forkserver"
start method, with this module preloaded), so a worker starts in milliseconds instead of paying a
second of imports, and the tests can afford a fresh process for every kill. The fork server is a
single-threaded process of its own, so nothing of the test process (its Qt or worker threads) is
forked. A worker gets its job (the vault, the passphrases or the vault's data key) as arguments,
never on a command line, and reports through a pipe, one message per step and only after that step
has returned: "committed <id>" means the commit has returned. Messages are far shorter than a pipe
writes atomically, so a kill never leaves half of one.
"""

import multiprocessing
import os
import signal
import tempfile
import time
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from practitioner_app.domain.records import ChildDetails
from practitioner_app.services import bundles, integrity
from practitioner_app.services.people import add_child
from practitioner_app.services.workspace import Workspace, open_vault, open_vault_with_data_key
from practitioner_app.vault import files, restoring
from practitioner_app.vault.vault import KEY_NAME

ADD_CHILDREN = "add-children"
CHANGE_PASSPHRASE = "change-passphrase"
# Multi-step writes killed at a named step (practitioner_app.vault.files.step): issue 16 item 2.
RESTORE = "restore"
BACKUP = "backup"
EXPORT_PDF = "export-pdf"
EXPORT_BUNDLE = "export-bundle"

# Where a change-passphrase worker kills itself, if told to: just before the key file's rename (the
# temp file is written and fsynced) or just after it (before the directory is fsynced).
BEFORE_RENAME = "before-rename"
AFTER_RENAME = "after-rename"

# A worker nobody kills stops by itself, so a test that fails half-way leaves no process behind.
MAX_WORKER_SECONDS = 30.0
# How long the test waits for a worker to print its next line or to exit.
TIMEOUT_SECONDS = 60.0


_AnyPath = str | bytes | os.PathLike[str] | os.PathLike[bytes]


# -- the worker side (in the forked process) -------------------------------------------------------


# The pipe back to the test, in a worker process.
_report: Connection | None = None


def _say(line: str) -> None:
    assert _report is not None
    _report.send_bytes(line.encode("utf-8"))


def _open(job: dict[str, Any]) -> Workspace:
    """The job's vault, opened with the data key when the job gives one (hex): what is tested
    here is committing and changing the passphrase, and Argon2id in every worker only slows
    the rounds down. Otherwise with the passphrase."""
    if "data_key" in job:
        return open_vault_with_data_key(Path(job["vault"]), bytes.fromhex(job["data_key"]))
    return open_vault(Path(job["vault"]), job["passphrase"])


def _add_children(job: dict[str, Any]) -> None:
    ws = _open(job)
    _say("ready")
    deadline = time.monotonic() + MAX_WORKER_SECONDS
    number = 0
    try:
        while time.monotonic() < deadline:
            number += 1
            child = add_child(
                ws,
                ChildDetails(
                    given_name=f"Synthetic{number}",
                    family_name=f"Durability-round-{job['round']}",
                    date_of_birth=date(2021, 1 + number % 12, 1 + number % 28),
                ),
            )
            _say(f"committed {child.id}")
    finally:
        ws.lock()


def _kill_self_at_key_rename(when: str) -> None:
    """Replace os.replace (which atomic_write uses) by one that SIGKILLs this process around the
    rename of the key file, so the test can land a real kill -9 exactly there."""
    real_replace = os.replace

    def replace(
        src: _AnyPath,
        dst: _AnyPath,
        *,
        src_dir_fd: int | None = None,
        dst_dir_fd: int | None = None,
    ) -> None:
        if Path(os.fsdecode(dst)).name != KEY_NAME:
            real_replace(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
            return
        if when == AFTER_RENAME:
            real_replace(src, dst, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("still alive after SIGKILL")

    # atomic_write calls os.replace through the os module, so this is the one it will find.
    assert files.os is os  # type: ignore[attr-defined]
    os.replace = replace


def _slow_down_fsync(seconds: float) -> None:
    """Make every fsync the app calls from Python (the key file's, its folder's) take longer, as on
    a slow disk. That widens the moments between writing the new key file and renaming it, and
    between renaming it and flushing the folder, so randomly timed kills land there more often."""
    real_fsync = os.fsync

    def fsync(fd: Any) -> None:
        time.sleep(seconds)
        real_fsync(fd)

    os.fsync = fsync


def _change_passphrase(job: dict[str, Any]) -> None:
    if job.get("kill_at"):
        _kill_self_at_key_rename(job["kill_at"])
    if job.get("slow_fsync"):
        _slow_down_fsync(job["slow_fsync"])
    ws = _open(job)
    _say("ready")
    try:
        ws.change_passphrase(job["new_passphrase"])
        _say("changed")
    finally:
        ws.lock()
    _say("locked")


def _kill_self_at_step(target: str) -> None:
    """SIGKILL this process when the app reaches the step called `target`."""

    def step(name: str) -> None:
        # A prefix, for names that end in a timestamp ("before rename: before-restore-…").
        if name.startswith(target):
            os.kill(os.getpid(), signal.SIGKILL)

    files.step = step


def _restore(job: dict[str, Any]) -> None:
    _kill_self_at_step(job["kill_at"])
    _say("ready")
    restored, _ = restoring.restore(Path(job["vault"]), Path(job["backup"]), job["passphrase"])
    restored.lock()
    _say("restored")


def _write_copy(job: dict[str, Any], write: Any) -> None:
    _kill_self_at_step(job["kill_at"])
    ws = _open(job)
    _say("ready")
    try:
        write(ws)
        _say("written")
    finally:
        ws.lock()


def _backup(job: dict[str, Any]) -> None:
    _write_copy(job, lambda ws: integrity.backup(ws, Path(job["out"])))


def _export_pdf(job: dict[str, Any]) -> None:
    from practitioner_app.services import exports

    _write_copy(job, lambda ws: exports.chronology(ws, job["child"], Path(job["out"])))


def _export_bundle(job: dict[str, Any]) -> None:
    _write_copy(job, lambda ws: bundles.write_bundle(ws, Path(job["out"])))


def _run(mode: str, job: dict[str, Any], report: Connection, stderr_path: str) -> None:
    """A worker process's body: stderr to the test's file, then the job."""
    global _report
    fd = os.open(stderr_path, os.O_WRONLY | os.O_APPEND)
    os.dup2(fd, 2)
    os.close(fd)
    _report = report
    {
        ADD_CHILDREN: _add_children,
        CHANGE_PASSPHRASE: _change_passphrase,
        RESTORE: _restore,
        BACKUP: _backup,
        EXPORT_PDF: _export_pdf,
        EXPORT_BUNDLE: _export_bundle,
    }[mode](job)


# -- the test side -----------------------------------------------------------------------------------


class WorkerFailed(AssertionError):
    pass


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    # The server imports this module (and so the app) once; every worker is forked from it.
    # "__main__" too (pytest's script, imported without running it): a worker then finds it
    # already loaded instead of importing pytest again itself.
    context.set_forkserver_preload(["__main__", __name__])
    return context


_CONTEXT = _context()


class Worker:
    """One worker process, forked when it is given its job."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        # A file, not a pipe, so a chatty worker can never block on a full stderr pipe.
        handle, self._stderr_path = tempfile.mkstemp(prefix="kill-worker-", suffix=".txt")
        os.close(handle)
        self.process: Any = None
        self._reader: Connection | None = None
        self._pid: int | None = None
        self.returncode: int | None = None
        self.lines: list[str] = []
        self._stderr_text = ""

    @property
    def pid(self) -> int:
        assert self._pid is not None, "the worker has not been started"
        return self._pid

    def start(self, **job: Any) -> None:
        reader, writer = _CONTEXT.Pipe(duplex=False)
        self.process = _CONTEXT.Process(
            target=_run, args=(self.mode, job, writer, self._stderr_path), daemon=True
        )
        self.process.start()
        self._pid = self.process.pid
        # Only the worker may hold the writing end, so its death reads as the end of the pipe.
        writer.close()
        self._reader = reader

    def readline(self) -> str:
        """The worker's next line; fails the test (with the worker's stderr) if it ended instead."""
        assert self._reader is not None
        if not self._reader.poll(TIMEOUT_SECONDS):
            self.kill()
            raise WorkerFailed(f"{self.mode} worker printed nothing for {TIMEOUT_SECONDS} s")
        try:
            line = self._reader.recv_bytes().decode("utf-8")
        except EOFError:
            self._reap()
            raise WorkerFailed(
                f"{self.mode} worker ended (status {self.returncode}) before printing a line; "
                f"its stderr:\n{self.stderr()}"
            ) from None
        self.lines.append(line)
        return line

    def expect(self, expected: str) -> None:
        line = self.readline()
        if line != expected:
            self.kill()
            raise WorkerFailed(f"expected {expected!r} from the worker, got {line!r}")

    def kill(self) -> list[str]:
        """SIGKILL the worker (if it is still running), then return every line it printed."""
        if self.process is not None and self.process.is_alive():
            self.process.kill()
        return self._reap()

    def finish(self) -> list[str]:
        """Wait for the worker to end by itself; return every line it printed."""
        return self._reap()

    def _reap(self) -> list[str]:
        if self.returncode is None and self.process is not None:
            assert self._reader is not None
            try:
                while self._reader.poll(TIMEOUT_SECONDS):
                    self.lines.append(self._reader.recv_bytes().decode("utf-8"))
            except EOFError:
                pass
            self._reader.close()
            self.process.join(TIMEOUT_SECONDS)
            self.returncode = self.process.exitcode
            self.process.close()
            self._stderr_text = Path(self._stderr_path).read_text("utf-8", errors="replace")
            Path(self._stderr_path).unlink(missing_ok=True)
        return list(self.lines)

    def retire(self) -> None:
        """End the worker if it is still running, and remove its stderr file."""
        if self.process is None:
            Path(self._stderr_path).unlink(missing_ok=True)
        elif self.returncode is None:
            self.kill()

    def stderr(self) -> str:
        """What the worker wrote to stderr; complete once it has ended."""
        if self.returncode is not None or self.process is None:
            return self._stderr_text
        return Path(self._stderr_path).read_text("utf-8", errors="replace")


class Workers:
    """Workers of one kind, each retired at the end however the test ends."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self._handed_out: list[Worker] = []

    def next(self) -> Worker:
        worker = Worker(self.mode)
        self._handed_out.append(worker)
        return worker

    def close(self) -> None:
        for worker in self._handed_out:
            worker.retire()

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
