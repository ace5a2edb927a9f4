"""Worker processes for the kill -9 tests (SECURITY.md promises 5 and 7), and the tests' handle on them.

Run as a script, a worker imports the app, then waits for one JSON line on stdin naming the vault and
the passphrases (or the vault's data key). Taking the job that way lets a worker pay for its imports while the previous round is
still running, and keeps passphrases off command lines. It reports on stdout, one flushed line per
step, and only after that step has returned: "committed <id>" means the commit has returned.

A worker whose stdin closes before a job arrives exits quietly: that is how spare workers are retired.
"""

import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from practitioner_app.domain.records import ChildDetails
from practitioner_app.services.people import add_child
from practitioner_app.services.workspace import Workspace, open_vault, open_vault_with_data_key
from practitioner_app.vault import files
from practitioner_app.vault.vault import KEY_NAME

ADD_CHILDREN = "add-children"
CHANGE_PASSPHRASE = "change-passphrase"

# Where a change-passphrase worker kills itself, if told to: just before the key file's rename (the
# temp file is written and fsynced) or just after it (before the directory is fsynced).
BEFORE_RENAME = "before-rename"
AFTER_RENAME = "after-rename"

# A worker nobody kills stops by itself, so a test that fails half-way leaves no process behind.
MAX_WORKER_SECONDS = 30.0
# How long the test waits for a worker to print its next line or to exit.
TIMEOUT_SECONDS = 60.0


_AnyPath = str | bytes | os.PathLike[str] | os.PathLike[bytes]


# -- the worker side ---------------------------------------------------------------------------------


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


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


def main(argv: list[str]) -> int:
    jobs = {ADD_CHILDREN: _add_children, CHANGE_PASSPHRASE: _change_passphrase}
    if len(argv) != 2 or argv[1] not in jobs:
        sys.stderr.write(f"usage: {argv[0]} {{{','.join(jobs)}}} (job as one JSON line on stdin)\n")
        return 2
    line = sys.stdin.readline()
    if not line:
        return 0
    jobs[argv[1]](json.loads(line))
    return 0


# -- the test side -----------------------------------------------------------------------------------


class WorkerFailed(AssertionError):
    pass


class Worker:
    """One worker process: started at once (so it imports), given its job later."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        # A file, not a pipe, so a chatty worker can never block on a full stderr pipe.
        # It lives as long as the worker and is closed when the worker is reaped.
        self._stderr: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), mode],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
        )
        self.returncode: int | None = None
        self.lines: list[str] = []
        self._stderr_text = ""

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self, **job: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.close()

    def readline(self) -> str:
        """The worker's next line; fails the test (with the worker's stderr) if it ended instead."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.endswith("\n"):
            self._reap()
            raise WorkerFailed(
                f"{self.mode} worker ended (status {self.returncode}) before printing a line; "
                f"its stderr:\n{self.stderr()}"
            )
        self.lines.append(line.rstrip("\n"))
        return self.lines[-1]

    def expect(self, expected: str) -> None:
        line = self.readline()
        if line != expected:
            self.kill()
            raise WorkerFailed(f"expected {expected!r} from the worker, got {line!r}")

    def kill(self) -> list[str]:
        """SIGKILL the worker (if it is still running), then return every complete line it printed.

        A line cut short by the kill is dropped: nothing it names was acknowledged in full.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        return self._reap()

    def finish(self) -> list[str]:
        """Wait for the worker to end by itself; return every complete line it printed."""
        return self._reap()

    def _reap(self) -> list[str]:
        if self.returncode is None:
            assert self.process.stdout is not None
            rest = self.process.stdout.read()
            self.returncode = self.process.wait(timeout=TIMEOUT_SECONDS)
            complete, _, _ = rest.rpartition("\n")
            if complete:
                self.lines.extend(complete.split("\n"))
            self._close_pipes()
            self._stderr.seek(0)
            self._stderr_text = self._stderr.read()
            self._stderr.close()
        return list(self.lines)

    def retire(self) -> None:
        """End a worker that never got a job (closing stdin tells it to exit), or any leftover."""
        if self.returncode is None:
            if self.process.stdin is not None and not self.process.stdin.closed:
                self.process.stdin.close()
            elif self.process.poll() is None:
                self.process.send_signal(signal.SIGKILL)
            self._reap()

    def stderr(self) -> str:
        """What the worker wrote to stderr; complete once it has ended."""
        if self._stderr.closed:
            return self._stderr_text
        self._stderr.seek(0)
        return self._stderr.read()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


class Workers:
    """Workers of one kind, started a few ahead of need so their imports overlap earlier rounds."""

    def __init__(self, mode: str, ahead: int = 1) -> None:
        self.mode = mode
        self._spares = collections.deque(Worker(mode) for _ in range(ahead))
        self._handed_out: list[Worker] = []

    def next(self) -> Worker:
        worker = self._spares.popleft()
        self._spares.append(Worker(self.mode))
        self._handed_out.append(worker)
        return worker

    def close(self) -> None:
        for worker in [*self._handed_out, *self._spares]:
            worker.retire()

    def __enter__(self) -> "Workers":
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
