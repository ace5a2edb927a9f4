"""`practitioner-app self-test`: a practitioner's whole round of work, done on a throwaway vault, to
prove that an installation (above all a frozen build) has every library, data file and plugin.

Everything happens in one fresh temporary folder that is removed at the end, pass or fail. The
child is invented, with an NHS number from the never-issued 999 range, and nothing is written
outside that folder.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal, cast

from pypdf import PdfReader

from practitioner_app.domain.enums import (
    EntryStatus,
    ObservationCategory,
    Sex,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.nhs_number import formatted
from practitioner_app.domain.records import ChildDetails, ObservationDetails, VisitDetails
from practitioner_app.domain.times import now_utc, uk_date
from practitioner_app.export import bundle as bundle_format
from practitioner_app.export import pdf
from practitioner_app.services import (
    bundles,
    caseload,
    exports,
    forms,
    integrity,
    locations,
    people,
    records,
)
from practitioner_app.services.workspace import Profile, Workspace, create_vault

PROFILE = Profile("Self-test", "Installation check", "practitioner-app self-test")
GIVEN_NAME = "Robin"
FAMILY_NAME = "Selftest"
NHS_NUMBER = "9990000018"  # never issued: the 999 range is reserved for testing
WINDOW_CHECK_VERB = "check-window"  # the hidden command in launch.py that builds the window
WINDOW_CHECK_SECONDS = 180

Status = Literal["ok", "FAIL", "skip"]


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, and how it went in one sentence."""

    status: Status
    text: str

    @property
    def line(self) -> str:
        return f"{self.status:<4} {self.text}"


class CheckFailed(Exception):
    """A step ran but its result was wrong; the message is the sentence to print."""


def _first_sentence(text: str) -> str:
    """A bug's message can run on (Alembic adds advice to its errors): keep the first sentence."""
    lines = text.strip().splitlines()
    if not lines:
        return ""
    end = re.search(r"[.?!](\s|$)", lines[0])
    return lines[0][: end.start() + 1] if end else lines[0]


def reason(error: BaseException) -> str:
    """One sentence for a failed step: a Problem's own message, else the exception's first one."""
    if isinstance(error, Problem | CheckFailed):
        text = str(error)
    else:
        detail = _first_sentence(str(error))
        text = f"{type(error).__name__}: {detail}" if detail else type(error).__name__
    return text if text.endswith((".", "?", "!")) else text + "."


def this_program() -> list[str]:
    """The command that starts this same app again: the frozen executable, or Python on the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "practitioner_app"]


def _pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def _read_back(path: Path, pages_written: int, *words: str) -> int:
    """Open a PDF the app wrote, as someone receiving it would, and check what it says."""
    pages, text = _pdf_text(path)
    if pages != pages_written or pages == 0:
        raise CheckFailed(f"{path.name} has {pages} pages, but {pages_written} were written")
    flat = " ".join(text.split())
    missing = [word for word in words if word not in flat]
    if missing:
        raise CheckFailed(f"{path.name} does not contain {', '.join(missing)}")
    return pages


class _Round:
    """The practitioner's round, one step at a time; each step returns its "ok" sentence."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # Random each run, and strong enough for the passphrase policy; never shown or stored.
        self.passphrase = secrets.token_urlsafe(24)
        self.workspaces: list[Workspace] = []
        self.child_id = ""
        self.observation_id = ""

    @property
    def ws(self) -> Workspace:
        return self.workspaces[0]

    def create_vault(self) -> str:
        ws, _recovery_key = create_vault(self.folder / "vault", self.passphrase, PROFILE)
        self.workspaces.append(ws)
        return f"vault created (SQLCipher {locations.versions()['SQLCipher']})"

    def add_child(self) -> str:
        today = uk_date(now_utc())
        details = ChildDetails(
            given_name=GIVEN_NAME,
            family_name=FAMILY_NAME,
            date_of_birth=today - timedelta(days=200),
            nhs_number=NHS_NUMBER,
        )
        self.child_id = people.add_child(self.ws, details).id
        found = caseload.find_child(self.ws, self.child_id)
        if found.nhs_number != NHS_NUMBER:
            raise CheckFailed("the child was saved without their NHS number")
        return f"synthetic child added (NHS number {formatted(NHS_NUMBER)}, never issued)"

    def record_visit(self) -> str:
        at = now_utc() - timedelta(hours=1)
        visit = records.create_entry(
            self.ws,
            VisitDetails(
                child_ids=(self.child_id,),
                occurred_at=at,
                kind=VisitKind.HOME,
                outcome=VisitOutcome.COMPLETED,
                child_seen=True,
                notes="Self-test visit: settled and feeding well.",
            ),
        )
        observation = records.create_entry(
            self.ws,
            ObservationDetails(
                child_id=self.child_id,
                occurred_at=at,
                category=ObservationCategory.GROWTH,
                text="Self-test weight check.",
                weight_kg=7.4,
                visit_id=visit.id,
            ),
        )
        self.observation_id = observation.id
        records.finalise_together(
            self.ws, [(RecordKind.VISIT, visit.id), (RecordKind.OBSERVATION, observation.id)]
        )
        for kind, entry_id in (
            (RecordKind.VISIT, visit.id),
            (RecordKind.OBSERVATION, observation.id),
        ):
            if records.get_entry(self.ws, kind, entry_id).status != EntryStatus.FINAL:
                raise CheckFailed(f"the {kind} is still a draft after finalising")
        return "visit and observation recorded and finalised"

    def growth_reference(self) -> str:
        # The UK-WHO tables are read from rcpchgrowth's folder at the first measurement
        # (domain/growth/uk_who.py): an installation without them could not chart a child.
        from practitioner_app.domain.growth.reference import Measure, centile_words, sds

        found = sds(Measure.WEIGHT, Sex.FEMALE, 0.5, 7.4)
        if found is None:
            raise CheckFailed("the UK-WHO growth tables could not be read; reinstall the app")
        return f"UK-WHO growth reference read (7.4 kg, a girl of 6 months: {centile_words(found)})"

    def amend(self) -> str:
        corrected = "Self-test weight check, corrected."
        view = records.amend(
            self.ws,
            RecordKind.OBSERVATION,
            self.observation_id,
            "text",
            corrected,
            "Self-test correction.",
        )
        if view.fields.get("text") != "Self-test weight check." or not view.amendments:
            raise CheckFailed("the original observation was not kept beside its amendment")
        return "final observation amended; the original is kept beside the correction"

    def verify(self) -> str:
        report = integrity.verify(self.ws)
        if report.database_problems:
            raise CheckFailed(f"the database is damaged: {report.database_problems[0]}")
        if report.first_broken_seq is not None:
            raise CheckFailed(f"the audit chain is broken at event {report.first_broken_seq}")
        if report.findings:
            raise CheckFailed(report.findings[0])
        return f"audit chain and every record's seal verified ({report.audit_events} events)"

    def chronology_pdf(self) -> str:
        made = exports.chronology(self.ws, self.child_id, self.folder / "chronology.pdf")
        pages = _read_back(made.path, made.pages, f"{GIVEN_NAME} {FAMILY_NAME}", "Chronology")
        if not pdf.shaping_available():
            # Without HarfBuzz ReportLab prints Arabic unjoined and Indic vowel signs misplaced.
            raise CheckFailed("the PDF text shaper (uharfbuzz) is missing; reinstall the app")
        return f"chronology PDF written and read back ({pages} page{'s' * (pages != 1)})"

    def bundle(self) -> str:
        path = self.folder / "case-bundle.json"
        bundles.write_bundle(self.ws, path, [self.child_id])
        data = bundles.read_bundle_file(path)
        parsed = bundle_format.parse(data).bundle
        if [(c.given_name, c.family_name) for c in parsed.children] != [(GIVEN_NAME, FAMILY_NAME)]:
            raise CheckFailed("the bundle read back does not hold the child")
        second, _recovery_key = create_vault(self.folder / "second-vault", self.passphrase, PROFILE)
        self.workspaces.append(second)
        report = bundles.import_bundle(second, data)
        names = [(c.given_name, c.family_name) for c in caseload.list_children(second)]
        if names != [(GIVEN_NAME, FAMILY_NAME)] or not report.added.get("visits"):
            raise CheckFailed("the child and their visit did not arrive in the second vault")
        return "case bundle exported, read back and imported into a second vault"

    def referral_pdf(self) -> str:
        form = forms.start(self.ws, self.child_id, "marf")
        made = exports.form_pdf(self.ws, form.id, self.folder / "referral.pdf", recipient=None)
        pages = _read_back(made.path, made.pages, f"{GIVEN_NAME} {FAMILY_NAME}", "DRAFT")
        return (
            f"referral (MARF) started, PDF written and read back ({pages} page{'s' * (pages != 1)})"
        )

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("vault", self.create_vault),
            ("child", self.add_child),
            ("visit and observation", self.record_visit),
            ("amendment", self.amend),
            ("growth reference", self.growth_reference),
            ("audit chain", self.verify),
            ("chronology PDF", self.chronology_pdf),
            ("case bundle", self.bundle),
            ("referral PDF", self.referral_pdf),
        ]

    def close(self) -> None:
        """Lock every vault; a failure to lock one must not stop the others being locked."""
        failures: list[BaseException] = []
        for ws in self.workspaces:
            try:
                ws.lock()
            except Exception as error:
                failures.append(error)
        if failures:
            raise failures[0]


_LINE = re.compile(r"^(ok|FAIL|skip)\s+(.*)$")


def window_checks(folder: Path) -> Iterator[Check]:
    """Build the desktop window in a child process (a Qt plugin that cannot load aborts its
    process), on the offscreen platform so no screen is needed, and relay its lines."""
    # The plugin this environment's desktop will use: the first of QT_QPA_PLATFORM's choices.
    desktop = os.environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    # The window check keeps its settings and its (unused) vault path inside our temp folder.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(folder))
    try:
        done = subprocess.run(
            [*this_program(), WINDOW_CHECK_VERB, "--platform", desktop],
            capture_output=True,
            text=True,
            env=env,
            cwd=folder,
            timeout=WINDOW_CHECK_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        yield Check("FAIL", f"desktop window: not built within {WINDOW_CHECK_SECONDS} s.")
        return
    except OSError as error:
        yield Check(
            "FAIL", f"desktop window: could not start {this_program()[0]}: {error.strerror}."
        )
        return
    lines = [m.groups() for m in map(_LINE.match, done.stdout.splitlines()) if m]
    for status, text in lines:
        yield Check(cast(Status, status), text)
    if done.returncode != 0 and not any(status == "FAIL" for status, _ in lines):
        yield Check("FAIL", f"desktop window: the check stopped ({_cause(done)}).")


def _cause(done: "subprocess.CompletedProcess[str]") -> str:
    """What a crashed window check said: Qt's own line about the plugin, else its last line."""
    said = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    for line in said:
        if line.startswith("qt.qpa") or "Could not" in line:
            return line
    return said[-1] if said else f"exit status {done.returncode}"


def run(
    report: Callable[[Check], None] = lambda check: None,
    *,
    temp_parent: Path | None = None,
    window: bool = True,
) -> list[Check]:
    """Run every check, calling `report` with each line as it is known; returns them all."""
    checks: list[Check] = []

    def note(check: Check) -> None:
        checks.append(check)
        report(check)

    folder = Path(tempfile.mkdtemp(prefix="practitioner-self-test-", dir=temp_parent))
    work = _Round(folder)
    try:
        failed = False
        for name, step in work.steps():
            if failed:
                note(Check("skip", f"{name} (an earlier check failed)"))
                continue
            try:
                note(Check("ok", step()))
            except Exception as error:
                failed = True
                note(Check("FAIL", f"{name}: {reason(error)}"))
        if window:
            for check in window_checks(folder):
                note(check)
    finally:
        note(_clean_up(work, folder))
    return checks


def _clean_up(work: _Round, folder: Path) -> Check:
    try:
        work.close()
    except Exception as error:
        shutil.rmtree(folder, ignore_errors=True)
        return Check("FAIL", f"clean-up: a temporary vault did not lock: {reason(error)}")
    shutil.rmtree(folder, ignore_errors=True)
    if folder.exists():
        return Check("FAIL", f"clean-up: {folder} could not be removed; delete it by hand.")
    return Check("ok", "temporary vaults locked and deleted")


def passed(checks: list[Check]) -> bool:
    return bool(checks) and all(check.status == "ok" for check in checks)
