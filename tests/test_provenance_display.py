"""Provenance a source did not give, and where an imported record came from, shown honestly on
every screen, PDF and command that shows an entry: "author not recorded by the source",
"recorded: not known" (never late, never on time), "imported by … on … from …"; a record written
in this vault shows none of it."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    Consent,
    EventKind,
    Significance,
    SourceKind,
    VisitOutcome,
)
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.labels import AUTHOR_NOT_RECORDED, RECORDED_NOT_KNOWN
from practitioner_app.domain.records import (
    ChronologyEventDetails,
    ConcernDetails,
    ReferralDetails,
)
from practitioner_app.services import casework, chronology, exports, people, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.ui.case.entry_view import EntryViewer
from practitioner_app.ui.case.models import ChronologyModel, EntryListModel
from practitioner_app.ui.session import VaultSession
from tests.conftest import AT, PASSPHRASE, PROFILE, child_details, run_cli, visit_details
from tests.test_chronology_pdf import column_text
from tests.ui_helpers import wait_idle

IMPORTER = "Asha Patel (Health visitor, Northshire Community NHS Trust)"
SOURCE = "Sam Lee (Social worker, Leeds CSC)"
IMPORTED_AT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
# The amendment came in a later bundle, so it carries its own imported line.
AMENDMENT_IMPORTED_AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
IMPORTED = f"imported by {IMPORTER} on 02/11/2026 from {SOURCE}"
AMENDMENT_IMPORTED = f"imported by {IMPORTER} on 20/11/2026 from {SOURCE}"
LOCAL_AUTHOR = f"{PROFILE.name} ({PROFILE.role}, {PROFILE.agency})"
# Every word that marks foreign provenance; a locally written record shows none of them.
FOREIGN = (AUTHOR_NOT_RECORDED, RECORDED_NOT_KNOWN, "imported")


@dataclass(frozen=True)
class Seeded:
    child_id: str
    local_visit: str  # written here, ten days after the visit: a late entry
    anonymous_event: str  # imported: author and recorded-at not given; amended in a later bundle
    signed_concern: str  # imported: author and recorded-at given by the source
    imported_referral: str
    local_referral: str


def _imported(row: Any, at: datetime = IMPORTED_AT) -> None:
    row.imported_at = at
    row.imported_by = IMPORTER
    row.imported_from = SOURCE
    row.origin_vault = "5f0c9d1e-0000-4000-8000-000000000001"


def seed(ws: Workspace) -> Seeded:
    """Entries made through the services as drafts; the provenance columns an import would fill
    are set on the drafts (final rows are protected by triggers), then they are finalised."""
    child = people.add_child(ws, child_details()).id

    def draft(details: Any, **kw: Any) -> str:
        return records.create_entry(ws, details, **kw).id

    local_visit = draft(
        visit_details(
            child,
            outcome=VisitOutcome.NO_ACCESS,
            child_seen=None,
            child_seen_alone=None,
            notes="No answer at the door.",
        ),
        recorded_at=AT + timedelta(days=10),
    )
    event = draft(
        ChronologyEventDetails(
            child_id=child,
            occurred_at=AT - timedelta(days=3),
            source="Leeds Police",
            kind=EventKind.POLICE_CONTACT,
            event="Police attended the home after a neighbour called.",
            source_kind=SourceKind.POLICE,
            significance=Significance.HIGH,
        )
    )
    concern = draft(
        ConcernDetails(
            child_id=child,
            occurred_at=AT - timedelta(days=2),
            category=ConcernCategory.NEGLECT,
            level=ConcernLevel.MEDIUM,
            source="Leeds CSC",
            summary="Home conditions poor at the last visit.",
        ),
        recorded_at=AT - timedelta(days=2) + timedelta(hours=3),
    )
    referral = ReferralDetails(
        child_ids=(child,),
        occurred_at=AT - timedelta(days=1),
        to_agency="Leeds Children's Social Care",
        sections={"reason": "Police attended the home."},
        consent=Consent.NOT_SOUGHT,
        reason_not_sought="It would put the child at risk.",
    )
    imported_referral = draft(referral)
    local_referral = draft(referral)

    with ws.unit_of_work() as session:
        # The stand-in recorded_at stays far after the event: shown as a time, it would be late.
        anonymous = session.get(e.ChronologyEvent, event)
        assert anonymous is not None
        anonymous.author_known = False
        anonymous.author_name = ""
        anonymous.author_role = None
        anonymous.author_agency = None
        anonymous.recorded_at_known = False
        _imported(anonymous)
        signed = session.get(e.Concern, concern)
        assert signed is not None
        signed.author_name, signed.author_role, signed.author_agency = (
            "Sam Lee",
            "Social worker",
            "Leeds CSC",
        )
        _imported(signed)
        form = session.get(e.Referral, imported_referral)
        assert form is not None
        form.recorded_at_known = False
        _imported(form)
    for kind, entry_id in (
        (RecordKind.VISIT, local_visit),
        (RecordKind.CHRONOLOGY_EVENT, event),
        (RecordKind.CONCERN, concern),
        (RecordKind.REFERRAL, imported_referral),
        (RecordKind.REFERRAL, local_referral),
    ):
        records.finalise(ws, kind, entry_id)
    with ws.unit_of_work() as session:
        # An amendment is append-only: inserted whole, as an import writes it.
        session.add(
            e.Amendment(
                target_kind=RecordKind.CHRONOLOGY_EVENT,
                target_id=event,
                field="event",
                new_value="Police attended the home after a neighbour heard shouting.",
                reason="The neighbour's call was about shouting.",
                recorded_at=AMENDMENT_IMPORTED_AT,
                recorded_at_known=False,
                author_name="",
                author_role=None,
                author_agency=None,
                author_known=False,
                imported_at=AMENDMENT_IMPORTED_AT,
                imported_by=IMPORTER,
                imported_from=SOURCE,
            )
        )
    return Seeded(child, local_visit, event, concern, imported_referral, local_referral)


@pytest.fixture
def seeded(workspace: Workspace) -> Seeded:
    return seed(workspace)


# -- the data the screens and PDFs are given ---------------------------------------------------


def test_entry_views_carry_what_the_source_did_not_say(
    workspace: Workspace, seeded: Seeded
) -> None:
    event = records.get_entry(workspace, RecordKind.CHRONOLOGY_EVENT, seeded.anonymous_event)
    assert event.author == AUTHOR_NOT_RECORDED
    assert not event.recorded_at_known
    assert event.imported == IMPORTED
    # Its stand-in recorded_at is weeks after the event, yet it is not a late entry.
    assert event.recorded_at - event.occurred_at > timedelta(days=1)
    assert not event.late
    [amendment] = event.amendments
    assert (amendment.author, amendment.recorded_at_known, amendment.imported) == (
        AUTHOR_NOT_RECORDED,
        False,
        AMENDMENT_IMPORTED,
    )
    concern = records.get_entry(workspace, RecordKind.CONCERN, seeded.signed_concern)
    assert (concern.author, concern.recorded_at_known, concern.imported) == (
        SOURCE,
        True,
        IMPORTED,
    )
    local = records.get_entry(workspace, RecordKind.VISIT, seeded.local_visit)
    assert (local.author, local.recorded_at_known, local.imported) == (LOCAL_AUTHOR, True, None)
    assert local.late


def test_chronology_rows_carry_provenance_and_never_call_an_unknown_time_late(
    workspace: Workspace, seeded: Seeded
) -> None:
    rows = {row.record_id: row for row in chronology.build(workspace, seeded.child_id)}
    event = rows[seeded.anonymous_event]
    assert (event.recorded_by, event.recorded_at_known, event.imported, event.late) == (
        AUTHOR_NOT_RECORDED,
        False,
        IMPORTED,
        False,
    )
    [note] = event.amendments
    assert (note.by, note.at_known, note.imported) == (
        AUTHOR_NOT_RECORDED,
        False,
        AMENDMENT_IMPORTED,
    )
    concern = rows[seeded.signed_concern]
    assert (concern.recorded_by, concern.imported) == (SOURCE, IMPORTED)
    local = rows[seeded.local_visit]
    assert (local.recorded_by, local.recorded_at_known, local.imported, local.late) == (
        LOCAL_AUTHOR,
        True,
        None,
        True,
    )
    # The source column of what the author saw never shows a blank author either.
    assert local.source == f"{PROFILE.name}, {PROFILE.agency}"

    entries = {row.id: row for row in casework.entries(workspace, seeded.child_id, "concern")}
    assert entries[seeded.signed_concern].imported == IMPORTED


# -- the PDFs ------------------------------------------------------------------------------------


def test_the_chronology_pdf_prints_provenance_in_the_recorded_column(
    workspace: Workspace, seeded: Seeded, tmp_path: Path
) -> None:
    out = tmp_path / "chronology.pdf"
    exports.chronology(workspace, seeded.child_id, out)
    recorded = column_text(out, 6)
    # Cell after cell, in date order: the event (no LATE ENTRY mark), the signed concern, the
    # imported referral (no LATE ENTRY mark either), then the local referral.
    assert (
        f"{AUTHOR_NOT_RECORDED} {RECORDED_NOT_KNOWN} AMENDED {IMPORTED} "
        f"{SOURCE} 04/10/2026 14:30 {IMPORTED} "
        f"{LOCAL_AUTHOR} {RECORDED_NOT_KNOWN} {IMPORTED} {LOCAL_AUTHOR} "
    ) in recorded
    assert recorded.count(IMPORTED) == 3
    # Written here ten days after the visit: late, and nothing imported about it.
    assert recorded.endswith(f"{LOCAL_AUTHOR} 16/10/2026 11:30 LATE ENTRY")
    events = column_text(out, 2)
    assert (
        f"AMENDED by {AUTHOR_NOT_RECORDED} ({RECORDED_NOT_KNOWN}; {AMENDMENT_IMPORTED})." in events
    )
    cover = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert f"{RECORDED_NOT_KNOWN}: the source did not say when" in cover  # the legend


def test_the_form_pdf_names_where_an_imported_form_came_from(
    workspace: Workspace, seeded: Seeded, tmp_path: Path
) -> None:
    def body(form_id: str) -> str:
        out = tmp_path / f"{form_id}.pdf"
        exports.form_pdf(workspace, form_id, out, recipient=None)
        return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)

    assert f"Provenance {IMPORTED}" in body(seeded.imported_referral)
    assert "imported by" not in body(seeded.local_referral)


# -- the command line ---------------------------------------------------------------------------


def test_the_command_line_chronology_says_what_is_not_known(
    vault_dir: Path, workspace: Workspace, seeded: Seeded
) -> None:
    workspace.lock()
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    text = run_cli("chronology", seeded.child_id, "--vault", str(vault_dir), env=env)
    assert text.returncode == 0, text.stderr
    lines = {
        name: next(line for line in text.stdout.splitlines() if marker in line)
        for name, marker in (
            ("event", "Police attended"),
            ("concern", "Home conditions"),
            ("visit", "No answer"),
        )
    }
    assert f"[{AUTHOR_NOT_RECORDED}] [{RECORDED_NOT_KNOWN}] [{IMPORTED}]" in lines["event"]
    assert "late entry" not in lines["event"]
    assert f"[{IMPORTED}]" in lines["concern"]
    assert RECORDED_NOT_KNOWN not in lines["concern"]
    assert "[late entry]" in lines["visit"]
    assert not any(word in lines["visit"] for word in FOREIGN)

    result = run_cli("chronology", seeded.child_id, "--vault", str(vault_dir), "--json", env=env)
    assert result.returncode == 0, result.stderr
    rows = {row["record_id"]: row for row in json.loads(result.stdout)}
    event = rows[seeded.anonymous_event]
    # No stand-in time reaches a script: an unknown recorded time is null.
    assert (event["recorded_at"], event["recorded_at_known"], event["late"]) == (None, False, False)
    assert (event["recorded_by"], event["imported"]) == (AUTHOR_NOT_RECORDED, IMPORTED)
    assert event["amendments"][0]["at"] is None
    local = rows[seeded.local_visit]
    assert local["imported"] is None
    assert datetime.fromisoformat(local["recorded_at"]) == AT + timedelta(days=10)


# -- the screens ---------------------------------------------------------------------------------


def _run_seed(qtbot: QtBot, session: VaultSession) -> Seeded:
    found: list[Seeded] = []
    session.call(seed, done=found.append, failed=lambda problem: pytest.fail(problem.message))
    wait_idle(qtbot, session)
    return found[0]


def _viewer_text(qtbot: QtBot, session: VaultSession, kind: str, entry_id: str) -> str:
    viewer = EntryViewer(session, kind, entry_id)
    qtbot.addWidget(viewer)
    viewer.show()
    wait_idle(qtbot, session)
    assert viewer.view is not None
    text = viewer.browser.toPlainText()
    viewer.close()
    return text


def test_the_entry_viewer_shows_provenance_and_no_late_mark(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    seeded = _run_seed(qtbot, vault_session)
    text = _viewer_text(qtbot, vault_session, RecordKind.CHRONOLOGY_EVENT, seeded.anonymous_event)
    assert f"Recorded by\n{AUTHOR_NOT_RECORDED}" in text
    assert f"Provenance\n{RECORDED_NOT_KNOWN}\n{IMPORTED}" in text
    assert "Recorded at" not in text  # no stand-in time is shown as when it was written
    assert "LATE ENTRY" not in text
    # The amendment beside the original says the same of itself.
    assert f"By {AUTHOR_NOT_RECORDED} ({RECORDED_NOT_KNOWN})\n{AMENDMENT_IMPORTED}" in text

    concern = _viewer_text(qtbot, vault_session, RecordKind.CONCERN, seeded.signed_concern)
    assert f"Recorded by\n{SOURCE}" in concern
    assert f"Provenance\n{IMPORTED}" in concern
    assert "Recorded at\n" in concern

    local = _viewer_text(qtbot, vault_session, RecordKind.VISIT, seeded.local_visit)
    assert "LATE ENTRY (recorded 10 days after)" in local
    assert f"Recorded by\n{LOCAL_AUTHOR}" in local
    assert "Provenance" not in local
    assert not any(word in local for word in FOREIGN)


def test_the_chronology_and_entry_tables_flag_and_explain_imported_rows(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    seeded = _run_seed(qtbot, vault_session)
    found: list[Any] = []
    vault_session.call(chronology.build, seeded.child_id, done=found.append)
    vault_session.call(casework.entries, seeded.child_id, "concern", done=found.append)
    wait_idle(qtbot, vault_session)
    rows, concerns = found
    model = ChronologyModel()
    model.set_rows(rows)
    by_id = {row.record_id: n for n, row in enumerate(rows)}

    def cell(record_id: str, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> str:
        value = model.index(by_id[record_id], ChronologyModel.RECORDED_BY).data(role)
        return str(value)

    assert cell(seeded.anonymous_event) == (
        f"{AUTHOR_NOT_RECORDED} — amended — {RECORDED_NOT_KNOWN} — imported"
    )
    tip = cell(seeded.anonymous_event, Qt.ItemDataRole.ToolTipRole)
    assert RECORDED_NOT_KNOWN in tip
    assert IMPORTED in tip
    assert "late" not in tip
    assert "Recorded " not in tip  # no stand-in time
    assert cell(seeded.local_visit) == f"{LOCAL_AUTHOR} — late entry"
    assert "imported" not in cell(seeded.local_visit, Qt.ItemDataRole.ToolTipRole)

    entries = EntryListModel()
    entries.set_rows(concerns)
    [row] = range(entries.rowCount())
    assert entries.index(row, EntryListModel.RECORDED_BY).data() == f"{SOURCE} — imported"
    date_tip = entries.index(row, EntryListModel.DATE).data(Qt.ItemDataRole.ToolTipRole)
    assert IMPORTED in date_tip
