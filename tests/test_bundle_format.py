"""The case bundle format (BUNDLE.md): what it accepts, and one clear sentence for what it does not."""

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.export import bundle, bundle_v1
from tests.bundles import sample_bundle, sample_bundle_v2, uid

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SCHEMA_FILE = RESOURCES / "bundle.schema.json"
SCHEMA_1_FILE = RESOURCES / "bundle-1.schema.json"


def _bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _refused(document: Any) -> str:
    with pytest.raises(InvalidInput) as caught:
        bundle.parse(document if isinstance(document, bytes) else _bytes(document))
    return caught.value.message


def test_the_sample_with_every_record_kind_parses() -> None:
    parsed = bundle.parse(_bytes(sample_bundle())).bundle
    assert [c.id for c in parsed.children] == [uid("children", "c1"), uid("children", "c2")]
    assert [c.reference for c in parsed.children] == ["c1", "c2"]
    assert parsed.people is not None
    assert parsed.people[0].from_date is not None
    assert parsed.visits is not None
    assert parsed.visits[0].notes == "Home cold; \u0000 NUL kept."


def test_the_shipped_schemas_are_generated_from_the_models() -> None:
    assert json.loads(SCHEMA_FILE.read_text("utf-8")) == bundle.json_schema(), (
        "resources/bundle.schema.json is stale: "
        "python -m practitioner_app.export.bundle > resources/bundle.schema.json"
    )
    assert json.loads(SCHEMA_1_FILE.read_text("utf-8")) == bundle_v1.json_schema(), (
        "resources/bundle-1.schema.json is stale: "
        "python -m practitioner_app.export.bundle 1 > resources/bundle-1.schema.json"
    )


@pytest.mark.parametrize(
    ("schema_file", "sample"),
    [(SCHEMA_FILE, sample_bundle_v2), (SCHEMA_1_FILE, sample_bundle)],
    ids=["format-2", "format-1"],
)
def test_the_shipped_schema_accepts_a_real_bundle_and_rejects_a_bad_one(
    schema_file: Path, sample: Any
) -> None:
    schema = json.loads(schema_file.read_text("utf-8"))
    jsonschema.validate(sample(), schema)
    bad = sample()
    bad["visits"][0]["outcome"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_the_format_2_schema_refuses_what_only_format_1_allowed() -> None:
    schema = json.loads(SCHEMA_FILE.read_text("utf-8"))
    for change in ("id", "author", "vault_id"):
        bad = sample_bundle_v2()
        if change == "id":
            bad["visits"][0]["id"] = "v1"  # not a UUID
        else:
            del bad["visits"][0][change]  # author null is information; left out is not
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)
        with pytest.raises(InvalidInput):
            bundle.parse(_bytes(bad))


def test_serialised_bundles_parse_back_to_the_same_model() -> None:
    parsed = bundle.parse(_bytes(sample_bundle_v2())).bundle
    assert bundle.parse(bundle.serialise(parsed)).bundle == parsed


def _with(path: str, value: Any) -> dict[str, Any]:
    document = copy.deepcopy(sample_bundle())
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("visits.0.outcome", "maybe", "visits[0].outcome: 'maybe' is not one of 'completed'"),
        (
            "children.0.nhs_number",
            "9990000019",
            "children[0].nhs_number: '9990000019' is not a valid NHS number",
        ),
        (
            "children.0.date_of_birth",
            "2025-02-30",
            "children[0].date_of_birth: 2025-02-30 is not a real date",
        ),
        (
            "observations.1.observed_at",
            "2026-13-01",
            "observations[1].observed_at: 2026-13-01 is not a real date",
        ),
        ("visits.0.colour", "blue", "visits[0].colour: is not a field of this record"),
        ("surprise", 1, "surprise: is not a field of this record"),
        (
            "concerns.0.visit_ids",
            ["v9"],
            "concerns[0].visit_ids: 'v9' is not the id of any record in visits",
        ),
        (
            "people.1.child_ids",
            ["c1", "c7"],
            "people[1].child_ids: 'c7' is not the id of any record in children",
        ),
        ("visits.1.id", "v1", "visits[1].id: 'v1' is used twice in visits"),
    ],
)
def test_bad_records_are_named_by_record_and_field(path: str, value: Any, expected: str) -> None:
    message = _refused(_with(path, value))
    assert message.startswith("The bundle was not imported: " + expected), message


def test_a_missing_required_field_is_named() -> None:
    document = sample_bundle()
    del document["visits"][1]["outcome"]
    assert "visits[1].outcome: is required but missing" in _refused(document)


def test_100_mb_in_one_field_is_named_not_imported() -> None:
    document = _with("visits.0.notes", "x" * (100 * 1024 * 1024))
    assert "visits[0].notes: is longer than the 1,000,000 characters" in _refused(document)


def test_100_kb_of_hostile_text_is_accepted() -> None:
    hostile = "<img src=/etc/passwd><b>'; DROP TABLE visit;--\u202e\u0000🙂" * 2000
    parsed = bundle.parse(_bytes(_with("visits.0.notes", hostile))).bundle
    assert parsed.visits is not None
    assert parsed.visits[0].notes == hostile


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b'{"format": "practitioner-case-bundle", "version": 1, "childr', "not valid JSON"),
        (b"", "not valid JSON"),
        (
            b'{"format": "practitioner-case-bundle", "version": 1, "children": [{"id": "a\x00"}]}',
            "not valid JSON",
        ),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[1, 2, 3]", "not a case bundle"),
        (b'{"format": "something-else", "version": 1}', "not a case bundle"),
        (b'{"format": "practitioner-case-bundle", "version": 3, "children": []}', "version 3"),
    ],
    ids=[
        "truncated",
        "empty",
        "raw-nul",
        "not-utf8",
        "not-an-object",
        "wrong-format",
        "newer-version",
    ],
)
def test_files_that_are_not_bundles_get_one_clear_sentence(raw: bytes, expected: str) -> None:
    message = _refused(raw)
    assert expected in message
    assert "\n" not in message
