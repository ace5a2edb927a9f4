"""Records that stay true when they move (issue 15): each keeps its identity, author, time and
history across real vaults, two sources' ids never meet, and a record that comes back altered is
refused or kept beside the original, never silently merged."""

import dataclasses
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from practitioner_app.domain.enums import ConcernStatus
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.labels import AUTHOR_NOT_RECORDED
from practitioner_app.domain.records import ConcernDetails
from practitioner_app.services import (
    alerts,
    bundles,
    caseload,
    chronology,
    integrity,
    people,
    records,
)
from practitioner_app.services.workspace import Profile, Workspace, create_vault
from tests.bundles import sample_bundle
from tests.conftest import PASSPHRASE, child_details, visit_details

HEALTH_VISITOR = Profile("Asha Patel", "Health visitor", "Northshire Community NHS Trust")
SOCIAL_WORKER = Profile("Sam Okafor", "Social worker", "Northshire Children's Services")


def _data(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def two_vaults(tmp_path: Path) -> Iterator[tuple[Workspace, Workspace]]:
    """Two practitioners' own vaults (created, so each has its own vault id)."""
    a, _ = create_vault(tmp_path / "a", PASSPHRASE, HEALTH_VISITOR)
    b, _ = create_vault(tmp_path / "b", PASSPHRASE, SOCIAL_WORKER)
    yield a, b
    a.lock()
    b.lock()


def _one_child_bundle(
    exporter: str, name: tuple[str, str], born: str, events: list[str]
) -> dict[str, Any]:
    return {
        "format": "practitioner-case-bundle",
        "version": 1,
        "exported_by": {"name": exporter, "role": "Practitioner", "agency": "Northshire"},
        "children": [
            {"id": "c1", "given_name": name[0], "family_name": name[1], "date_of_birth": born}
        ],
        "events": [
            {
                "id": f"e{index + 1}",
                "child_id": "c1",
                "occurred_at": f"2025-0{1 + index % 9}-1{index % 9}",
                "source": "Northshire General Hospital",
                "kind": "hospital_attendance",
                "event": text,
            }
            for index, text in enumerate(events)
        ],
    }


def _chronology_of(ws: Workspace, given_name: str) -> list[str]:
    (child,) = [c for c in caseload.list_children(ws) if c.given_name == given_name]
    return [row.event for row in chronology.build(ws, child.id)]


def test_two_sources_c1_are_two_children_and_keep_their_own_events(workspace: Workspace) -> None:
    amber = _one_child_bundle("Jo Bell", ("Amber", "Lowe"), "2024-03-01", ["Amber attended."])
    bilal = _one_child_bundle(
        "Kim Reyes",
        ("Bilal", "Crane"),
        "2019-06-15",
        ["Bruise on left cheek.", "Attended with a cut hand."],
    )
    bundles.import_bundle(workspace, _data(amber))
    report = bundles.import_bundle(workspace, _data(bilal))
    assert report.already_present == {}
    assert report.added == {"children": 1, "events": 2}
    amber_rows = _chronology_of(workspace, "Amber")
    bilal_rows = _chronology_of(workspace, "Bilal")
    assert not any("Bruise" in row for row in amber_rows)
    assert sum("Bruise on left cheek." in row for row in bilal_rows) == 1
    assert sum("cut hand" in row for row in bilal_rows) == 1


def test_event_ids_that_coincide_with_another_bundles_are_never_lost(workspace: Workspace) -> None:
    first = _one_child_bundle("Jo Bell", ("Amber", "Lowe"), "2024-03-01", ["a"] * 12)
    second = _one_child_bundle("Kim Reyes", ("Bilal", "Crane"), "2019-06-15", ["b"] * 12)
    bundles.import_bundle(workspace, _data(first))
    report = bundles.import_bundle(workspace, _data(second))
    assert report.added["events"] == 12
    assert report.already_present == {}
    assert len(_chronology_of(workspace, "Bilal")) == 12


def test_the_same_source_again_adds_nothing_and_a_named_source_namespaces(
    workspace: Workspace,
) -> None:
    document = sample_bundle()
    bundles.import_bundle(workspace, _data(document))
    assert bundles.import_bundle(workspace, _data(document)).added == {}
    # The same file said to come from another source is another source's records.
    del document["exported_by"]
    with pytest.raises(InvalidInput, match="does not say who exported it; give its source"):
        bundles.import_bundle(workspace, _data(document))
    report = bundles.import_bundle(workspace, _data(document), source="Leeds CSC")
    assert report.added["children"] == 2
    # Zoë has an NHS number: the one child of this source it matches is named, not merged.
    assert ["possibly the same child" in note for note in report.notes] == [True]


def _case_in(ws: Workspace) -> str:
    child = people.add_child(ws, child_details(date_of_birth=date(2025, 1, 5)))
    visit = records.create_entry(ws, visit_details(child.id, notes="Seen in the kitchen."))
    records.finalise(ws, RecordKind.VISIT, visit.id)
    concern = records.create_entry(
        ws,
        ConcernDetails(
            child_id=child.id,
            occurred_at=datetime(2026, 6, 18, 10, tzinfo=UTC),
            category="neglect",  # type: ignore[arg-type]
            level="medium",  # type: ignore[arg-type]
            source="School",
            summary="Often hungry",
        ),
    )
    records.finalise(ws, RecordKind.CONCERN, concern.id)
    return child.id


def _snapshot(ws: Workspace, child_id: str) -> tuple[Any, ...]:
    rows = chronology.build(ws, child_id, include_drafts=True)
    shape = [
        (r.record_id, r.date, r.time, r.event, r.recorded_by, r.recorded_at, r.late, r.amended)
        for r in rows
    ]
    found = [
        (a.rule, a.severity)
        for day in (date(2026, 6, 30), date(2026, 9, 1), date(2026, 11, 30))
        for a in alerts.for_child(ws, child_id, day)
    ]
    return shape, sorted(found, key=str), integrity.record_counts(ws)


def test_a_case_handed_back_and_forth_three_times_stays_the_same_in_both_vaults(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    a, b = two_vaults
    child_id = _case_in(a)
    for turn in range(3):
        # A hands the case to B, who adds to it and hands it back.
        report = bundles.import_bundle(b, bundles.export_bundle(a))
        assert report.changed == {}
        visit = records.create_entry(b, visit_details(child_id, notes=f"B's visit {turn}."))
        records.finalise(b, RecordKind.VISIT, visit.id)
        records.amend(b, RecordKind.VISIT, visit.id, "notes", f"B's visit {turn}, amended.", "typo")
        back = bundles.import_bundle(a, bundles.export_bundle(b))
        assert back.changed == {}
        assert back.added == {"visits": 1, "amendments": 1}
        mine = records.create_entry(a, visit_details(child_id, notes=f"A's visit {turn}."))
        records.finalise(a, RecordKind.VISIT, mine.id)
    (concern,) = [
        row for row in chronology.build(a, child_id) if row.record_kind is RecordKind.CONCERN
    ]
    records.change_concern_status(
        a, concern.record_id, ConcernStatus.CLOSED, datetime(2026, 7, 14, 9, tzinfo=UTC), "Done"
    )
    bundles.import_bundle(b, bundles.export_bundle(a))
    assert _snapshot(a, child_id) == _snapshot(b, child_id)
    rows = chronology.build(b, child_id)
    assert len([r for r in rows if r.record_kind is RecordKind.VISIT]) == 7  # none twice
    by_text = {r.event: r for r in rows}
    first = next(r for text, r in by_text.items() if "kitchen" in text)
    assert first.recorded_by.startswith("Asha Patel")  # the author, not whoever exported it last
    assert any(r.recorded_by.startswith("Sam Okafor") for r in rows)
    assert integrity.verify(a).ok
    assert integrity.verify(b).ok


def test_a_final_entry_altered_on_the_way_refuses_the_whole_import(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    a, b = two_vaults
    _case_in(a)
    document = json.loads(bundles.export_bundle(a))
    bundles.import_bundle(b, _data(document))
    before = integrity.record_counts(b)
    document["visits"][0]["notes"] = "Not seen in the kitchen."
    with pytest.raises(InvalidInput) as caught:
        bundles.import_bundle(b, _data(document))
    message = caught.value.message
    assert message.startswith("The bundle was not imported: visits[0]:")
    assert "differs in notes" in message
    assert message.count("recorded by Asha Patel") == 2  # both versions named
    assert "kitchen" not in message  # no case text in a message
    assert integrity.record_counts(b) == before


def test_a_changed_child_is_a_revision_with_both_values_and_reported(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    a, b = two_vaults
    child_id = _case_in(a)
    bundles.import_bundle(b, bundles.export_bundle(a))
    moved = people.update_child(
        a, child_id, dataclasses.replace(child_details(date_of_birth=date(2025, 1, 5)), gp="Dr Ng")
    )
    report = bundles.import_bundle(b, bundles.export_bundle(a))
    assert report.changed == {"children": 1}
    assert any("children[0] changed (gp)" in note for note in report.notes)
    assert caseload.find_child(b, moved.id).id == moved.id
    exported = json.loads(bundles.export_bundle(b))
    assert exported["children"][0]["gp"] == "Dr Ng"
    # An older copy coming back later does not undo the newer change; both are still kept.
    stale = json.loads(bundles.export_bundle(b))
    stale["children"][0]["gp"] = "Dr Old"
    stale["children"][0]["updated_at"] = "2026-01-01T09:00"
    report = bundles.import_bundle(b, _data(stale))
    assert any("this vault's version is newer" in note for note in report.notes)
    assert json.loads(bundles.export_bundle(b))["children"][0]["gp"] == "Dr Ng"
    # Revised records are sealed afresh with the import that changed them.
    assert integrity.verify(b).ok, integrity.verify(b).findings


def test_a_chronology_choice_and_its_return_to_the_rule_both_travel(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    a, b = two_vaults
    child_id = _case_in(a)
    (visit,) = [r for r in chronology.build(a, child_id) if r.record_kind is RecordKind.VISIT]

    def choice(ws: Workspace) -> tuple[bool, bool]:
        """(significant, chosen by the practitioner) of the visit in ws's chronology."""
        (row,) = [r for r in chronology.build(ws, child_id) if r.record_id == visit.record_id]
        return row.significant, row.chosen

    by_rule = choice(a)
    assert by_rule[1] is False
    chronology.choose_significance(a, child_id, "visit", visit.record_id, not by_rule[0])
    bundles.import_bundle(b, bundles.export_bundle(a))
    assert choice(b) == choice(a) == (not by_rule[0], True)
    # A puts it back to the rule; B receives that as a change, not as nothing.
    chronology.choose_significance(a, child_id, "visit", visit.record_id, None)
    report = bundles.import_bundle(b, bundles.export_bundle(a))
    assert report.changed == {"chronology_choices": 1}
    assert choice(b) == choice(a) == by_rule
    assert _snapshot(a, child_id) == _snapshot(b, child_id)


def test_a_bundle_from_a_copy_of_this_vault_is_refused(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    a, b = two_vaults
    _case_in(b)
    document = json.loads(bundles.export_bundle(b))
    # The records claim to have been written in A, which never held them.
    for name in ("children", "visits", "concerns"):
        for record in document[name]:
            record["vault_id"] = a.vault.vault_id
    with pytest.raises(InvalidInput, match="came from a copy of this vault"):
        bundles.import_bundle(a, _data(document))
    assert caseload.list_children(a) == []


def test_an_amendment_without_its_original_is_refused(
    two_vaults: tuple[Workspace, Workspace],
) -> None:
    a, b = two_vaults
    child_id = _case_in(a)
    (visit,) = [r for r in chronology.build(a, child_id) if r.record_kind is RecordKind.VISIT]
    records.amend(a, RecordKind.VISIT, visit.record_id, "notes", "In the hall.", "wrong room")
    document = json.loads(bundles.export_bundle(a))
    document["visits"] = []
    with pytest.raises(InvalidInput, match=r"amendments\[0\]\.target_id: the original"):
        bundles.import_bundle(b, _data(document))
    assert caseload.list_children(b) == []


def test_an_event_with_no_author_or_time_is_shown_as_such_never_as_the_importer(
    workspace: Workspace,
) -> None:
    document = sample_bundle()
    document["events"][0].pop("recorded_at", None)
    bundles.import_bundle(workspace, _data(document))
    child = caseload.find_child(workspace, "c1")
    (event,) = [
        r
        for r in chronology.build(workspace, child.id)
        if r.record_kind is RecordKind.CHRONOLOGY_EVENT
    ]
    assert event.recorded_by == AUTHOR_NOT_RECORDED
    assert not event.recorded_at_known
    assert not event.late
    assert event.imported is not None
    assert "from Kofi Mensah" in event.imported


def test_entries_with_no_author_name_who_sent_them_as_their_source(workspace: Workspace) -> None:
    bundles.import_bundle(workspace, _data(sample_bundle()))
    child = caseload.find_child(workspace, "c1")
    rows = chronology.build(workspace, child.id, include_drafts=True)
    sent = "as sent by Kofi Mensah (Social worker, Northshire Children's Services)"
    by_kind = {row.record_kind: row for row in rows}
    assert by_kind[RecordKind.REFERRAL].source == sent
    assert by_kind[RecordKind.SHARING_RECORD].source == sent
    # Never the practitioner who imported them (the sample's own Asha Patel is of another agency).
    importer = f"{workspace.profile.name}, {workspace.profile.agency}"
    assert importer not in {row.source for row in rows}


def test_the_demo_caseload_names_its_invented_author_on_every_record() -> None:
    from practitioner_app.export import bundle as fmt
    from practitioner_app.services.demo import demo_bundle

    bundle = fmt.parse(demo_bundle(4, 1, 1, date(2026, 11, 23))).bundle
    assert bundle.version == 2
    for name in fmt.record_lists():
        assert all(record.author is not None for record in getattr(bundle, name) or []), name
