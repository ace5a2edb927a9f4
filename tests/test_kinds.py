"""The registry of record kinds is whole: every kind has what every part of the app needs.

Adding a kind is a `RecordKind` member and its `KindSpec` (domain/kinds.py), its model
(store/entries.py) and its migration; these tests then name whatever else it still lacks.
"""

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from practitioner_app.domain.body_marks import BodyMarkDetails
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import KINDS, RecordKind, kind_of, parse_kind, spec
from practitioner_app.domain.labels import FIELD_LABELS, KIND_FIELD_LABELS
from practitioner_app.export import bundle as fmt
from practitioner_app.services import (
    bundle_details,
    bundle_export,
    bundle_import,
    bundles,
    chronology,
    people,
    records,
    search,
)
from practitioner_app.services.workspace import Workspace, create_vault
from practitioner_app.store import entries as e
from tests.conftest import PASSPHRASE, PROFILE, child_details, every_entry, visit_details

ALL = list(RecordKind)


def test_every_kind_has_a_registry_entry() -> None:
    assert set(KINDS) == set(RecordKind), "add a KindSpec to KINDS in domain/kinds.py"


@pytest.mark.parametrize("kind", ALL)
def test_every_kind_has_a_plain_english_label(kind: RecordKind) -> None:
    assert "_" not in KINDS[kind].label
    assert "_" not in KINDS[kind].short_label
    for name in KINDS[kind].field_names():
        labelled = name in FIELD_LABELS or (kind, name) in KIND_FIELD_LABELS
        assert labelled, f"give {kind}.{name} a label in FIELD_LABELS in domain/labels.py"


@pytest.mark.parametrize("kind", ALL)
def test_every_kind_has_a_model_whose_columns_and_links_match_its_details(
    kind: RecordKind,
) -> None:
    kind_spec = KINDS[kind]
    model = e.ENTRY_KINDS.get(kind)
    assert model is not None, f"add a model for {kind} to ENTRY_KINDS in store/entries.py"
    assert model.record_kind is kind
    assert set(model.links) == set(kind_spec.links), (
        f"{model.__name__}.links must name a link table for each of {sorted(kind_spec.links)}"
    )
    for field, link in model.links.items():
        assert link.other == f"{kind_spec.links[field]}_id"
        assert link.own in link.table.c
        assert link.other in link.table.c
    columns = set(model.__table__.c.keys())
    stored_apart = set(kind_spec.links) | kind_spec.parts
    missing = [n for n in kind_spec.field_names() if n not in columns and n not in stored_apart]
    assert not missing, f"{model.__name__} has no column for {missing}"


@pytest.mark.parametrize("kind", ALL)
def test_every_kind_travels_in_bundles(kind: RecordKind) -> None:
    name = KINDS[kind].bundle_list
    assert name in fmt.Bundle.model_fields, f"add the list '{name}' to the bundle format"
    assert bundle_import.ENTRY_LISTS[name] is kind
    assert kind in bundle_details.CONVERT, f"teach services/bundle_details.py to read {kind}"
    assert kind in bundle_export.WRITERS, f"teach services/bundle_export.py to write {kind}"


def test_kinds_are_listed_after_the_kinds_their_links_name() -> None:
    seen: set[str] = {"child"}
    for kind, kind_spec in KINDS.items():
        named = set(kind_spec.links.values())
        if "visit_id" in kind_spec.field_names():
            named.add(RecordKind.VISIT)
        assert named <= seen, f"move {kind} after {sorted(named - seen)} in KINDS"
        seen.add(kind)


@pytest.mark.parametrize("kind", ALL)
def test_every_kind_is_found_by_the_note_search(kind: RecordKind) -> None:
    from practitioner_app.store.search import INDEXED

    assert kind in INDEXED, f"say which text of {kind} the search indexes in store/search.py"


@pytest.mark.parametrize("kind", ALL)
def test_amendable_fields_are_fields_of_the_details_and_never_links(kind: RecordKind) -> None:
    kind_spec = KINDS[kind]
    amendable = kind_spec.amendable_fields()
    assert amendable, f"{kind} has nothing an amendment could correct"
    assert set(amendable) <= set(kind_spec.field_names())
    assert not set(amendable) & (set(kind_spec.links) | kind_spec.parts)


def test_each_details_type_belongs_to_one_kind() -> None:
    for kind, kind_spec in KINDS.items():
        example: dict[str, Any] = {f.name: None for f in dataclasses.fields(kind_spec.details)}
        assert kind_of(kind_spec.details(**example)) is kind


def test_chronology_order_puts_a_visit_before_what_was_seen_at_it() -> None:
    orders = [kind_spec.chronology_order for kind_spec in KINDS.values()]
    assert len(set(orders)) == len(orders)
    assert KINDS[RecordKind.VISIT].chronology_order < KINDS[RecordKind.OBSERVATION].chronology_order


def test_a_name_that_is_no_kind_is_refused_with_the_kinds_there_are() -> None:
    assert parse_kind("sharing_record") is RecordKind.SHARING_RECORD
    with pytest.raises(InvalidInput, match="'home_visit' is not a kind of entry; use one of visit"):
        spec("home_visit")


def test_every_kind_has_a_screen_to_write_it_in() -> None:
    from practitioner_app.ui.case.workspace import SCREENS

    missing = set(RecordKind) - set(SCREENS)
    assert not missing, f"add a screen for {sorted(missing)} to SCREENS in ui/case/workspace.py"
    for kind, screen in SCREENS.items():  # a placeholder widget does not write the kind
        assert getattr(screen, "kind", None) is kind, f"{screen.__name__} must write {kind}"


def test_each_kinds_chronology_rule_decides_what_counts_as_significant() -> None:
    from types import SimpleNamespace

    from practitioner_app.domain.chronology import counts_as_significant
    from practitioner_app.domain.enums import ObservationCategory, Significance, VisitOutcome

    routine = SimpleNamespace(outcome=VisitOutcome.COMPLETED, child_seen=True)
    missed = SimpleNamespace(outcome=VisitOutcome.WAS_NOT_BROUGHT, child_seen=None)
    visit_rule = KINDS[RecordKind.VISIT].in_chronology
    assert not counts_as_significant(visit_rule, routine)
    assert counts_as_significant(visit_rule, missed)
    observation_rule = KINDS[RecordKind.OBSERVATION].in_chronology
    growth = SimpleNamespace(significant=False, category=ObservationCategory.GROWTH)
    assert not counts_as_significant(observation_rule, growth)
    assert counts_as_significant(observation_rule, SimpleNamespace(significant=True, category=None))
    # An injury counts though not ticked (issue 17).
    bruise = SimpleNamespace(significant=False, category=ObservationCategory.INJURY)
    assert counts_as_significant(observation_rule, bruise)
    event_rule = KINDS[RecordKind.CHRONOLOGY_EVENT].in_chronology
    assert not counts_as_significant(event_rule, SimpleNamespace(significance=Significance.LOW))
    assert counts_as_significant(event_rule, SimpleNamespace(significance=None))
    assert counts_as_significant(KINDS[RecordKind.CONCERN].in_chronology, SimpleNamespace())


def test_an_entry_of_every_kind_reaches_the_chronology_the_bundle_and_the_search(
    workspace: Workspace, template_vault: tuple[Path, str], tmp_path: Path, data_key: bytes
) -> None:
    """The whole way a record travels, for one final entry of each kind (tests/conftest.py's
    `visit_details` and `every_entry` make them)."""
    word = "kestrelwing"
    child = people.add_child(workspace, child_details())
    visit = records.create_entry(workspace, visit_details(child.id, notes=f"Seen {word}."))
    made = [visit] + [
        records.create_entry(workspace, details)
        for details in every_entry(child.id, visit.id, word)
    ]
    # A body map mark names the observation it was seen at, which exists only now.
    made += [
        records.create_entry(workspace, details)
        for details in every_entry(child.id, visit.id, word, observation_id=made[1].id)
        if isinstance(details, BodyMarkDetails)
    ]
    missing = set(RecordKind) - {view.kind for view in made}
    assert not missing, f"add an example of {sorted(missing)} to every_entry in tests/conftest.py"
    records.finalise_together(workspace, [(view.kind, view.id) for view in made])

    rows = chronology.build(workspace, child.id)
    assert {row.record_kind for row in rows} == set(RecordKind), "a kind the chronology leaves out"

    bundle = json.loads(bundles.export_bundle(workspace, [child.id]))
    for kind, kind_spec in KINDS.items():
        assert len(bundle.get(kind_spec.bundle_list) or []) == 1, f"{kind} is not exported"

    found = {hit.kind for hit in search.search(workspace, word)}
    assert found == set(RecordKind), f"the search does not find {set(RecordKind) - found}"

    # A new vault, not a copy of this one (a bundle from a copy of a vault is refused).
    fresh, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        report = bundles.import_bundle(fresh, json.dumps(bundle).encode())
        for kind, kind_spec in KINDS.items():
            assert report.added.get(kind_spec.bundle_list) == 1, f"{kind} is not imported"
    finally:
        fresh.lock()


def test_a_kind_reads_as_one_entry_in_a_sentence() -> None:
    assert KINDS[RecordKind.OBSERVATION].one == "an observation"
    assert KINDS[RecordKind.SHARING_RECORD].one == "a sharing record"


def test_every_chronology_rule_has_its_test() -> None:
    from practitioner_app.domain.chronology import _SIGNIFICANT_WHEN
    from practitioner_app.domain.kinds import InChronology

    assert set(_SIGNIFICANT_WHEN) == set(InChronology)
