"""The caseload's per-child summary (last seen, open concerns, highest open level) always equals
what the entries themselves say, after every kind of write: drafts written, edited and deleted,
visits about several children, concern status changes, an import, and raw SQL behind the app."""

import dataclasses
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    VisitOutcome,
)
from practitioner_app.domain.records import ConcernDetails
from practitioner_app.domain.times import uk_date
from practitioner_app.services import casework, demo, integrity, people, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import caseload_summary
from practitioner_app.store.repositories.concerns import ConcernRepository
from practitioner_app.store.repositories.entries import VisitRepository
from tests.conftest import AT, child_details, visit_details

_RANK = {level: rank for rank, level in enumerate(ConcernLevel)}


def _from_entries(ws: Workspace) -> dict[str, tuple[Any, int, Any]]:
    """Each child's (last seen, open concerns, highest open level) worked out from every visit
    and concern, as the caseload did before it kept a summary."""
    with ws.unit_of_work() as session:
        seen = VisitRepository(session).last_seen()
        counts: dict[str, int] = {}
        highest: dict[str, ConcernLevel] = {}
        for concern in ConcernRepository(session).current():
            if concern.status is ConcernStatus.CLOSED:
                continue
            counts[concern.child_id] = counts.get(concern.child_id, 0) + 1
            best = highest.get(concern.child_id)
            if best is None or _RANK[concern.level] > _RANK[best]:
                highest[concern.child_id] = concern.level
    return {
        row.id: (seen.get(row.id), counts.get(row.id, 0), highest.get(row.id))
        for row in casework.caseload(ws)
    }


def _on_caseload(ws: Workspace) -> dict[str, tuple[Any, int, Any]]:
    return {
        row.id: (row.last_seen, row.open_concerns, row.highest_open_level)
        for row in casework.caseload(ws)
    }


def _concern(child_id: str, level: ConcernLevel) -> ConcernDetails:
    return ConcernDetails(
        child_id=child_id,
        occurred_at=AT,
        category=ConcernCategory.NEGLECT,
        level=level,
        source="Health visitor",
        summary="Home cold; little food in the house.",
    )


def test_the_summary_follows_every_write_to_visits_and_concerns(workspace: Workspace) -> None:
    maya = people.add_child(workspace, child_details())
    zoe = people.add_child(workspace, child_details(given_name="Zoe", nhs_number=None))
    steps = []

    def check(step: str) -> None:
        steps.append(step)
        assert _on_caseload(workspace) == _from_entries(workspace), step

    both = records.create_entry(workspace, visit_details(maya.id, child_ids=(maya.id, zoe.id)))
    check("a draft visit about two children")
    assert _on_caseload(workspace)[zoe.id][0] == date(2026, 10, 6)
    later = records.create_entry(
        workspace, visit_details(maya.id, occurred_at=AT + timedelta(days=5))
    )
    check("a later visit")
    assert _on_caseload(workspace)[maya.id][0] == date(2026, 10, 11)
    records.edit_draft(
        workspace,
        later.id,
        visit_details(maya.id, occurred_at=AT + timedelta(days=5), child_seen=False),
    )
    check("the later visit edited: the child was not seen")
    assert _on_caseload(workspace)[maya.id][0] == date(2026, 10, 6)
    records.edit_draft(workspace, both.id, visit_details(maya.id, occurred_at=AT))
    check("Zoe taken off the first visit")
    assert _on_caseload(workspace)[zoe.id][0] is None
    records.edit_draft(
        workspace,
        later.id,
        visit_details(maya.id, outcome=VisitOutcome.WAS_NOT_BROUGHT, child_seen=None),
    )
    records.delete_draft(workspace, "visit", both.id)
    check("the only seen visit deleted")
    assert _on_caseload(workspace)[maya.id][0] is None
    records.finalise(workspace, "visit", later.id)
    check("a visit at which the child was not brought, finalised")

    low = records.create_entry(workspace, _concern(maya.id, ConcernLevel.LOW))
    high = records.create_entry(workspace, _concern(maya.id, ConcernLevel.HIGH))
    check("two concerns")
    assert _on_caseload(workspace)[maya.id][1:] == (2, ConcernLevel.HIGH)
    records.edit_draft(workspace, high.id, _concern(zoe.id, ConcernLevel.IMMEDIATE))
    check("a draft concern moved to the other child and raised")
    assert _on_caseload(workspace)[zoe.id][1:] == (1, ConcernLevel.IMMEDIATE)
    records.finalise(workspace, "concern", high.id)
    records.finalise(workspace, "concern", low.id)
    records.change_concern_status(workspace, high.id, ConcernStatus.CLOSED, AT + timedelta(days=2))
    check("the immediate concern closed")
    assert _on_caseload(workspace)[zoe.id][1:] == (0, None)
    # An earlier change written later does not reopen it: the latest by when it happened counts.
    records.change_concern_status(
        workspace, high.id, ConcernStatus.REFERRED, AT + timedelta(days=1)
    )
    check("an earlier status change written after the closing")
    assert _on_caseload(workspace)[zoe.id][1:] == (0, None)
    records.change_concern_status(
        workspace, high.id, ConcernStatus.MONITORING, AT + timedelta(days=3)
    )
    check("the concern reopened for monitoring")
    assert _on_caseload(workspace)[zoe.id][1:] == (1, ConcernLevel.IMMEDIATE)
    draft = records.create_entry(workspace, _concern(maya.id, ConcernLevel.MEDIUM))
    records.delete_draft(workspace, "concern", draft.id)
    check("a draft concern deleted")
    assert len(steps) == 12


def test_the_summary_of_an_imported_caseload_equals_its_entries(workspace: Workspace) -> None:
    # Enough children that some families have open concerns (most demo families need none).
    demo.fill(workspace, 16, 1, seed=1, until=date(2026, 11, 23))
    on_caseload = _on_caseload(workspace)
    assert on_caseload == _from_entries(workspace)
    assert any(seen for seen, _, _ in on_caseload.values())
    assert any(count for _, count, _ in on_caseload.values())


def test_a_draft_changed_by_raw_sql_is_followed_and_a_rebuild_changes_nothing(
    workspace: Workspace,
) -> None:
    maya = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(maya.id))
    with workspace.unit_of_work() as session:
        session.execute(
            text("UPDATE visit SET occurred_at = '2026-09-01 08:00:00.000000' WHERE id = :id"),
            {"id": visit.id},
        )
    assert _on_caseload(workspace)[maya.id][0] == date(2026, 9, 1)
    before = _on_caseload(workspace)
    with workspace.unit_of_work() as session:
        caseload_summary.rebuild(session)
    assert _on_caseload(workspace) == before == _from_entries(workspace)


def test_a_visit_late_in_the_evening_is_seen_on_its_uk_day(workspace: Workspace) -> None:
    maya = people.add_child(workspace, child_details())
    # 23:30 UTC on 6 October is 00:30 BST on the 7th.
    at = AT.replace(hour=23, minute=30)
    records.create_entry(workspace, dataclasses.replace(visit_details(maya.id), occurred_at=at))
    assert _on_caseload(workspace)[maya.id][0] == uk_date(at) == date(2026, 10, 7)


def test_flags_changed_behind_the_app_are_named_by_verify(workspace: Workspace) -> None:
    maya = people.add_child(workspace, child_details())
    records.finalise(workspace, "visit", records.create_entry(workspace, visit_details(maya.id)).id)
    assert not [s for s in integrity.verify(workspace).findings if "caseload" in s]

    with workspace.unit_of_work() as session:
        session.execute(text("UPDATE caseload_summary SET last_seen_at = '2026-11-20 09:00:00'"))

    found = [s for s in integrity.verify(workspace).findings if "caseload" in s]
    assert found == [
        "The caseload's last-seen and open-concern flags of 1 child(ren) differ from their "
        "records: someone with the key changed them, so the caseload may show a child as seen, "
        "or without an open concern; each child's own records are checked by their seals."
    ]


def test_the_vaults_triggers_are_the_rules_and_read_a_childs_visits_through_its_links(
    workspace: Workspace,
) -> None:
    """The triggers a migrated vault holds are the ones store/caseload_summary.py writes, and the
    last-seen rule starts from the child's links: SQLite, left to choose, went through every
    completed visit in the vault for each child (issue 19: verify's time grew with the square of
    the caseload)."""
    with workspace.unit_of_work() as session:
        stored: dict[str, str] = dict(
            session.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            ).all()
        )
        for statement in caseload_summary.trigger_statements():
            assert stored[statement.split()[2]] == statement
        plan = session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT k.id, "
                f"{caseload_summary._last_seen('k.id')} FROM (SELECT id FROM child) AS k"
            )
        ).all()
    details = [row[-1] for row in plan]
    assert any("visit_child" in d and "child_id=?" in d for d in details), details
    assert not any(d.startswith("SEARCH v") and "id=?" not in d for d in details), details
