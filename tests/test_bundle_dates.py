"""Strict dates, times and booleans in case bundles (BUNDLE.md; issue 15 item 4).

A JSON number is never a date, a date alone stays a date, only 1900-01-01 to 2100-12-31 is taken,
and a UK local time the clocks skip or repeat is refused with a sentence. The validator and the
shipped JSON Schema are fed the same corpus and must agree on every value.
"""

import copy
import json
import typing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from practitioner_app.domain.enums import EventKind
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.records import ChronologyEventDetails
from practitioner_app.domain.times import UK
from practitioner_app.export import bundle, bundle_dates, bundle_v1
from practitioner_app.export.bundle_dates import (
    BundleDate,
    BundleDateOrDateTime,
    BundleDateTime,
)
from practitioner_app.services import (
    alerts,
    bundles,
    caseload,
    chronology,
    exports,
    integrity,
    records,
)
from practitioner_app.services.workspace import Workspace, create_vault, open_vault_with_data_key
from tests.bundles import sample_bundle, sample_bundle_v2, uid
from tests.conftest import PASSPHRASE, PROFILE, run_cli

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((RESOURCES / name).read_text("utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


# Each format the app reads: its models, a sample with every list, and its shipped schema.
FORMATS: dict[int, tuple[Any, Any, jsonschema.Draft202012Validator]] = {
    1: (bundle_v1.Bundle, sample_bundle, _validator("bundle-1.schema.json")),
    2: (bundle.Bundle, sample_bundle_v2, _validator("bundle.schema.json")),
}
NOT_IMPORTED = "The bundle was not imported: "

# A field of each kind in the sample bundle, and the values each must take or refuse.
DATE_FIELD = ("children", 0, "date_of_birth")
DATETIME_FIELD = ("visits", 0, "occurred_at")
EITHER_FIELD = ("events", 0, "occurred_at")
BOOL_FIELD = ("children", 0, "non_mobile")
NUMBER_FIELD = ("observations", 1, "measurement", "weight_kg")

GOOD_DATES = ["1900-01-01", "2100-12-31", "2025-03-05", "2024-02-29", "2000-02-29"]
BAD_DATES = [
    20250305,  # a JSON number: pydantic's lax mode read it as seconds since 1970
    2025.5,
    True,
    "20250305",  # ISO basic form
    "9999-12-31",  # "no end" in other systems
    "1899-12-31",
    "2101-01-01",
    "0001-01-01",
    "2026-02-29",
    "1900-02-29",  # 1900 was not a leap year
    "2100-02-29",
    "2026-13-01",
    "2026-04-31",
    "2026-3-5",
    "05/03/2025",
    "2025-03-05 ",
    "2025-03-05\n",  # Python's $ (in jsonschema) matches before a final newline; ECMA 262's not
    "",
    "+2025-03-05",
    "٢٠٢٥-٠٣-٠٥",  # 2025-03-05 in Arabic-Indic digits: Python's \d would take it
    "２０２５-03-05",
    None,  # where the field is required
]
GOOD_TIMES = [
    "2026-03-05T10:30",
    "2026-03-05T10:30:15",
    "2026-03-05T10:30:15.123456",
    "2026-03-05T10:30Z",
    "2026-03-05T10:30:00+00:00",
    "2026-06-05T23:59:59-05:00",
    "1900-01-01T00:00",
    "2100-12-31T23:59",
    "2026-03-29T00:59",  # just before the clocks go forward
    "2026-03-29T02:00",  # just after
    "2026-03-29T01:30+00:00",  # the skipped hour, with an offset, is a real instant
    "2026-10-25T00:59",
    "2026-10-25T02:00",
    "2026-10-25T01:30+01:00",  # the repeated hour, its offset saying which
    "2026-10-25T01:30+00:00",
]
BAD_TIMES = [
    1772706600,
    "20260305T1030",
    "2026-03-05t10:30",
    "2026-03-05 10:30",
    "2026-03-05T24:00",
    "2026-03-05T10:60",
    "2026-03-05T10:30:60",
    "2026-03-05T10",
    "2026-03-05T10:30+0100",
    "2026-03-05T10:30:15.1234567",
    "9999-12-31T00:00",
    "1899-12-31T23:59",
    "2026-03-29T01:30",  # skipped: the clocks go forward at 01:00
    "2026-03-29T01:00",
    "2026-10-25T01:30",  # repeated: the clocks go back at 02:00
    "1941-05-04T02:30",  # double summer time began
    "٢٠٢٦-٠٣-٠٥T١٠:٣٠",
    "2026-03-05T10:30\n",
    None,  # where the field is required
]
GOOD_BOOLS = [True, False]
BAD_BOOLS = [1, 0, "yes", "true", "on", "1", 1.0]
GOOD_NUMBERS = [8, 8.1, 0]
BAD_NUMBERS = ["8.1", True, "8"]

CORPUS: list[tuple[tuple[str | int, ...], Any, bool]] = [
    *((DATE_FIELD, v, True) for v in GOOD_DATES),
    *((DATE_FIELD, v, False) for v in [*BAD_DATES, *GOOD_TIMES] if v is not None),
    *((("people", 0, "from"), v, False) for v in [*BAD_DATES, *GOOD_TIMES] if v is not None),
    *((DATETIME_FIELD, v, True) for v in GOOD_TIMES),
    *((DATETIME_FIELD, v, False) for v in [*BAD_TIMES, *GOOD_DATES]),
    *((EITHER_FIELD, v, True) for v in [*GOOD_DATES, *GOOD_TIMES]),
    *((EITHER_FIELD, v, False) for v in [*BAD_DATES, *BAD_TIMES]),
    *((BOOL_FIELD, v, True) for v in GOOD_BOOLS),
    *((BOOL_FIELD, v, False) for v in BAD_BOOLS),
    *((NUMBER_FIELD, v, True) for v in GOOD_NUMBERS),
    *((NUMBER_FIELD, v, False) for v in BAD_NUMBERS),
    ((*DATE_FIELD[:2], "expected_date"), None, True),
    (("people", 0, "from"), None, True),
    (("version",), "the format's own", True),
    (("version",), True, False),
    (("version",), "1", False),
]


def _with(path: tuple[str | int, ...], value: Any, version: int = 1) -> dict[str, Any]:
    document: dict[str, Any] = copy.deepcopy(FORMATS[version][1]())
    if value == "the format's own":
        value = version
    target: Any = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


def _name(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _validator_takes(document: dict[str, Any]) -> bool:
    try:
        bundle.parse(json.dumps(document).encode("utf-8"))
    except InvalidInput:
        return False
    return True


@pytest.mark.parametrize("version", FORMATS)
@pytest.mark.parametrize(
    ("path", "value", "good"),
    CORPUS,
    ids=[f"{_name(p)}={v!r}" for p, v, _ in CORPUS],
)
def test_the_validator_and_the_shipped_schema_agree(
    path: tuple[str | int, ...], value: Any, good: bool, version: int
) -> None:
    document = _with(path, value, version)
    schema_takes = FORMATS[version][2].is_valid(document)
    assert (_validator_takes(document), schema_takes) == (good, good)


def _date_fields(version: int = 2) -> list[tuple[str, str]]:
    """Every date or time field of every record in the bundle: (its list, or '' for the bundle's
    own, and its name in the bundle), found from the models, so a new date field is covered."""
    model = FORMATS[version][0]
    models: list[tuple[str, Any]] = [("", model)]
    for list_name, info in model.model_fields.items():
        for arg in [info.annotation, *typing.get_args(info.annotation)]:
            if typing.get_origin(arg) is list:
                models.append((list_name, typing.get_args(arg)[0]))
    found = []
    for list_name, model in models:
        for name, info in model.model_fields.items():
            annotation = info.rebuild_annotation()
            options = [annotation, *typing.get_args(annotation)]
            if any(kind in options for kind in (BundleDate, BundleDateTime, BundleDateOrDateTime)):
                found.append((list_name, info.alias or name))
    return found


def test_every_date_field_of_the_format_is_strict() -> None:
    assert set(_date_fields(1)) <= set(_date_fields(2))
    assert {
        ("visits", "finalised_at"),
        ("status_changes", "changed_at"),
        ("amendments", "recorded_at"),
        ("chronology_choices", "updated_at"),
    } <= set(_date_fields(2))
    fields = set(_date_fields(1))
    assert {
        ("", "exported_at"),
        ("children", "date_of_birth"),
        ("children", "expected_date"),
        ("people", "date_of_birth"),
        ("people", "from"),
        ("people", "to"),
        ("professionals", "from"),
        ("professionals", "to"),
        ("visits", "occurred_at"),
        ("visits", "recorded_at"),
        ("observations", "observed_at"),
        ("observations", "recorded_at"),
        ("concerns", "raised_at"),
        ("concerns", "closed_at"),
        ("events", "occurred_at"),
        ("events", "ended_at"),
        ("events", "recorded_at"),
        ("referrals", "created_at"),
        ("referrals", "closed_at"),
        ("sharing", "at"),
    } <= fields


@pytest.mark.parametrize(
    ("version", "list_name", "field"),
    [(version, *where) for version in FORMATS for where in _date_fields(version)],
)
@pytest.mark.parametrize(
    ("value", "says"),
    [
        (20250305, "20250305 is a number, not a date; write it as text"),
        ("9999-12-31", "9999-12-31 is outside 1900-01-01 to 2100-12-31"),
        ("1899-12-31", "1899-12-31 is outside 1900-01-01 to 2100-12-31"),
    ],
)
def test_each_date_field_refuses_by_name_in_validator_and_schema(
    version: int, list_name: str, field: str, value: Any, says: str
) -> None:
    path: tuple[str | int, ...] = (list_name, 0, field) if list_name else (field,)
    document = _with(path, value, version)
    with pytest.raises(InvalidInput) as caught:
        bundle.parse(json.dumps(document).encode("utf-8"))
    assert caught.value.message.startswith(f"{NOT_IMPORTED}{_name(path)}: {says}")
    assert not FORMATS[version][2].is_valid(document)


def _injury_to_a_two_month_old(observed_at: Any) -> dict[str, Any]:
    document = sample_bundle()
    document["children"][0]["date_of_birth"] = "2025-01-05"
    document["children"][0]["non_mobile"] = True
    document["observations"][0].pop("visit_id")
    document["observations"][0]["observed_at"] = observed_at
    return document


def _nothing_imported(ws: Workspace) -> None:
    assert caseload.list_children(ws) == []
    assert sum(integrity.record_counts(ws).values()) == 0


@pytest.mark.parametrize(
    ("path", "value", "says"),
    [
        (
            ("observations", 0, "observed_at"),
            20250305,
            "observations[0].observed_at: 20250305 is a number, not a date; write it as text, "
            "YYYY-MM-DD",
        ),
        (
            ("observations", 0, "observed_at"),
            "20250305",
            "observations[0].observed_at: 20250305 is not written YYYY-MM-DD; write it as "
            "2025-03-05",
        ),
        (
            ("visits", 0, "occurred_at"),
            "20260305T103015+0100",
            "visits[0].occurred_at: 20260305T103015+0100 is not written YYYY-MM-DDTHH:MM; write it "
            "as 2026-03-05T10:30:15+01:00",
        ),
        (
            ("events", 0, "occurred_at"),
            "9999-12-31",
            "events[0].occurred_at: 9999-12-31 is outside 1900-01-01 to 2100-12-31",
        ),
        (
            ("events", 0, "ended_at"),
            "9999-12-31",
            "events[0].ended_at: 9999-12-31 is outside 1900-01-01 to 2100-12-31",
        ),
        (
            ("people", 0, "date_of_birth"),
            "1899-12-31",
            "people[0].date_of_birth: 1899-12-31 is outside 1900-01-01 to 2100-12-31",
        ),
        (
            ("visits", 0, "occurred_at"),
            "2026-03-29T01:30",
            "visits[0].occurred_at: 2026-03-29T01:30 never happened in the UK: the clocks went "
            "forward an hour at 01:00 on 29/03/2026",
        ),
        (
            ("visits", 0, "occurred_at"),
            "2026-10-25T01:30",
            "visits[0].occurred_at: 2026-10-25T01:30 happened twice in the UK, as the clocks went "
            "back; add its offset to say which: +01:00 for the first (BST), +00:00 for the second",
        ),
        (
            ("children", 0, "non_mobile"),
            1,
            "children[0].non_mobile: 1 is not true or false",
        ),
        (
            ("children", 0, "interpreter_needed"),
            "yes",
            'children[0].interpreter_needed: "yes" is not true or false',
        ),
    ],
    ids=[
        "number",
        "basic-form",
        "basic-form-time",
        "9999",
        "9999-end",
        "1899",
        "skipped-hour",
        "repeated-hour",
        "bool-1",
        "bool-yes",
    ],
)
def test_a_refused_value_is_named_and_nothing_is_imported(
    workspace: Workspace, path: tuple[str | int, ...], value: Any, says: str
) -> None:
    document = (
        _with(path, value) if path[0] != "observations" else _injury_to_a_two_month_old(value)
    )
    with pytest.raises(InvalidInput) as caught:
        bundles.import_bundle(workspace, json.dumps(document).encode("utf-8"))
    assert caught.value.message.startswith(NOT_IMPORTED + says), caught.value.message
    _nothing_imported(workspace)
    assert not FORMATS[1][2].is_valid(document)


def test_the_injury_written_as_a_date_imports_on_its_day_and_raises_the_alert(
    workspace: Workspace,
) -> None:
    """The bundle of the report, with its date written as the format says: the baby is two months
    old on the day, not "unborn" in 1970, and the critical alert is there."""
    document = _injury_to_a_two_month_old("2025-03-05")
    document["concerns"][0].pop("visit_ids")
    document["concerns"][0].pop("observation_ids")
    bundles.import_bundle(workspace, json.dumps(document).encode("utf-8"))
    child = next(c for c in caseload.list_children(workspace) if c.given_name == "Zoë")
    rows = chronology.build(workspace, child.id, include_drafts=True)
    [injury] = [row for row in rows if "Bruise to left cheek." in row.event]
    assert (injury.date, injury.time, injury.age) == (date(2025, 3, 5), None, "2m")
    assert "NON_MOBILE_INJURY" in [a.rule for a in alerts.for_child(workspace, child.id)]


def test_the_command_line_refuses_a_number_for_a_date_and_imports_nothing(
    vault_dir: Path, data_key: bytes, tmp_path: Path
) -> None:
    source = tmp_path / "injury.json"
    source.write_text(json.dumps(_injury_to_a_two_month_old(20250305)), "utf-8")
    result = run_cli(
        "import",
        "--vault",
        str(vault_dir),
        str(source),
        env={"PRACTITIONER_PASSPHRASE": PASSPHRASE},
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "observations[0].observed_at: 20250305 is a number, not a date" in lines[0]
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        _nothing_imported(ws)
    finally:
        ws.lock()


def test_a_date_alone_shows_no_time_in_the_chronology(workspace: Workspace) -> None:
    document = sample_bundle()
    document["observations"][1]["significant"] = True  # "o2", observed_at "2026-06-06"
    bundles.import_bundle(workspace, json.dumps(document).encode("utf-8"))
    child = next(c for c in caseload.list_children(workspace) if c.given_name == "Zoë")
    rows = chronology.build(workspace, child.id, include_drafts=True)
    weighed = [row for row in rows if "Weighed." in row.event]
    assert [(row.date, row.time) for row in weighed] == [(date(2026, 6, 6), None)]
    timed = [row for row in rows if "Bruise to left cheek." in row.event]
    assert [(row.date, row.time) for row in timed] == [(date(2026, 6, 6), "23:30")]


def test_the_edge_dates_make_a_chronology_and_its_pdf(workspace: Workspace, tmp_path: Path) -> None:
    document = sample_bundle()
    first = copy.deepcopy(document["events"][0])
    document["people"][0]["date_of_birth"] = "1900-01-01"
    document["people"][0]["to"] = "2100-12-31"
    document["events"] = [
        {**first, "id": "e-first", "occurred_at": "1900-01-01", "recorded_at": "1900-01-01T00:00"},
        {**first, "id": "e-open", "occurred_at": "2026-05-20", "ended_at": "2100-12-31"},
        {
            **first,
            "id": "e-last",
            "occurred_at": "2026-05-21T23:59",
            "ended_at": "2100-12-31T23:59",
            "date_uncertain": False,
            "recorded_at": "2026-05-21T23:59",
        },
    ]
    # The last day is a valid date, but an event cannot have happened on it yet: as when typed.
    future = copy.deepcopy(document)
    future["events"][2]["occurred_at"] = "2100-12-31T23:59"
    with pytest.raises(InvalidInput, match=r"events\[2\]\.occurred_at: .* in the future"):
        bundles.import_bundle(workspace, json.dumps(future).encode("utf-8"))
    bundles.import_bundle(workspace, json.dumps(document).encode("utf-8"))
    child = next(c for c in caseload.list_children(workspace) if c.given_name == "Zoë")
    rows = chronology.build(workspace, child.id, include_drafts=True)
    dates = {
        (row.date, row.end_date, row.time) for row in rows if row.record_kind == "chronology_event"
    }
    assert (date(1900, 1, 1), None, None) in dates
    assert (date(2026, 5, 20), date(2100, 12, 31), None) in dates
    assert (date(2026, 5, 21), date(2100, 12, 31), "23:59") in dates
    out = tmp_path / "chronology.pdf"
    exports.chronology(workspace, child.id, out, include_drafts=True)
    assert out.read_bytes().startswith(b"%PDF")
    exported = json.loads(bundles.export_bundle(workspace))
    assert FORMATS[2][2].is_valid(exported)
    by_id = {ev["id"]: ev for ev in exported["events"]}
    assert by_id[uid("events", "e-first")]["occurred_at"] == "1900-01-01"
    # An end is kept as an instant (the vault holds no "time known" for it): the start of that day.
    assert by_id[uid("events", "e-open")]["ended_at"] == "2100-12-31T00:00:00+00:00"


def _uk_reading(local: datetime) -> str:
    """What the time zone database says of a UK clock reading: 'skipped', 'repeated' or 'once'."""
    first, second = local.replace(tzinfo=UK, fold=0), local.replace(tzinfo=UK, fold=1)
    if first.utcoffset() == second.utcoffset():
        return "once"
    # In a gap the reading does not survive a trip through UTC; in an overlap both folds do.
    back = first.astimezone(UTC).astimezone(UK).replace(tzinfo=None)
    return "skipped" if back != local else "repeated"


@pytest.mark.parametrize("year", [1900, 1916, 1941, 1947, 1968, 1971, 2026, 2100])
def test_the_skipped_and_repeated_hours_are_the_time_zone_databases(year: int) -> None:
    """Every half past the hour of the year, read by the validator as the database reads it, and
    each one the clocks skip or repeat refused by the shipped schema too, unless it has an offset."""
    reading = datetime(year, 1, 1, 0, 30)
    while reading.year == year:
        text = reading.isoformat(timespec="minutes")
        kind = _uk_reading(reading)
        try:
            bundle_dates.parse_datetime(text)
            said = "once"
        except ValueError as refusal:
            said = "skipped" if "never happened" in str(refusal) else "repeated"
        assert (text, said) == (text, kind)
        if kind != "once":
            assert not FORMATS[1][2].is_valid(_with(DATETIME_FIELD, text)), text
            assert FORMATS[1][2].is_valid(_with(DATETIME_FIELD, f"{text}+00:00")), text
        reading += timedelta(hours=1)


def test_a_far_date_already_in_a_vault_still_exports_and_its_import_names_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    """An export never fails on what a vault holds (an end typed in the app as 31/12/9999, say);
    the import of that bundle names the field, and imports nothing."""
    bundles.import_bundle(workspace, json.dumps(sample_bundle()).encode("utf-8"))
    child = next(c for c in caseload.list_children(workspace) if c.given_name == "Zoë")
    records.create_entry(
        workspace,
        ChronologyEventDetails(
            child_id=child.id,
            occurred_at=datetime(2026, 5, 1, 12, 0, tzinfo=UTC),
            ended_at=datetime(9999, 12, 30, 12, 0, tzinfo=UTC),
            source="Northshire Police",
            kind=EventKind.POLICE_CONTACT,
            event="Bail conditions, no end date.",
        ),
    )
    exported = bundles.export_bundle(workspace)
    assert not FORMATS[1][2].is_valid(json.loads(exported))
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        with pytest.raises(InvalidInput) as caught:
            bundles.import_bundle(other, exported)
        message = caught.value.message
        assert (
            "].ended_at: 9999-12-30T12:00:00+00:00 is outside 1900-01-01 to 2100-12-31" in message
        )
        _nothing_imported(other)
    finally:
        other.lock()
