"""Growth travels in bundles: gestation at birth (format 2) and the measurements go from one real
vault to another and draw the same chart there; a hostile gestation is named and nothing imported."""

import copy
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from practitioner_app.domain.enums import ObservationCategory, Sex
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.records import ObservationDetails
from practitioner_app.export import bundle
from practitioner_app.services import bundles, caseload, growth, people, records
from practitioner_app.services.workspace import Workspace, create_vault
from tests.bundles import sample_bundle_v2
from tests.conftest import PASSPHRASE, PROFILE, child_details

BORN = date(2025, 3, 14)


def test_gestation_and_measurements_travel_and_chart_the_same(
    workspace: Workspace, tmp_path: Path
) -> None:
    child = people.add_child(
        workspace, child_details(sex=Sex.FEMALE, gestation_weeks=31, gestation_days=6)
    )
    for days, kg in ((0, 1.6), (90, 3.9), (200, 6.0)):
        on = datetime.combine(BORN + timedelta(days=days), datetime.min.time(), tzinfo=UTC)
        entry = records.create_entry(
            workspace,
            ObservationDetails(
                child.id,
                on + timedelta(hours=11),
                ObservationCategory.GROWTH,
                "Weighed",
                weight_kg=kg,
            ),
        )
        records.finalise(workspace, "observation", entry.id)
    data = bundles.export_bundle(workspace, [child.id])
    sent = json.loads(data)
    (exported,) = sent["children"]
    assert (exported["gestation_weeks"], exported["gestation_days"]) == (31, 6)
    here = growth.report(workspace, child.id)

    there_ws, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        bundles.import_bundle(there_ws, data)
        there = growth.report(there_ws, child.id)
    finally:
        there_ws.lock()
    assert [(p.on, p.value, p.age.corrected_days, p.sds) for p in there.points] == [
        (p.on, p.value, p.age.corrected_days, p.sds) for p in here.points
    ]
    assert there.charts[0].marks == here.charts[0].marks


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("gestation_weeks", 50, "children[0].gestation_weeks"),
        ("gestation_weeks", 21, "children[0].gestation_weeks"),
        ("gestation_weeks", "32+3", "children[0].gestation_weeks"),
        ("gestation_weeks", 32.5, "children[0].gestation_weeks"),
        ("gestation_weeks", True, "children[0].gestation_weeks"),
        ("gestation_days", 7, "children[0].gestation_days"),
        ("gestation_days", -1, "children[0].gestation_days"),
    ],
)
def test_a_hostile_gestation_is_named_and_refused(field: str, value: Any, says: str) -> None:
    document = copy.deepcopy(sample_bundle_v2())
    document["children"][0][field] = value
    with pytest.raises(InvalidInput, match=says.replace("[", r"\[").replace("]", r"\]")):
        bundle.parse(json.dumps(document).encode("utf-8"))


def test_days_without_weeks_is_refused_on_import(workspace: Workspace) -> None:
    document = copy.deepcopy(sample_bundle_v2())
    document["children"][0]["gestation_days"] = 3
    with pytest.raises(InvalidInput, match="weeks as well as its days"):
        bundles.import_bundle(workspace, json.dumps(document).encode("utf-8"))
    assert caseload.list_children(workspace) == []  # nothing half-imported
