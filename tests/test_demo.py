"""The synthetic demo caseload: deterministic, valid, realistic in shape, and safe test data."""

import json
from datetime import date
from pathlib import Path

import jsonschema

from practitioner_app.domain import nhs_number
from practitioner_app.export import bundle as fmt
from practitioner_app.export import demo
from practitioner_app.services import bundles, caseload, integrity
from practitioner_app.services.workspace import open_vault
from tests.conftest import PASSPHRASE, run_cli

UNTIL = date(2026, 11, 23)


def test_the_same_seed_gives_the_same_caseload_and_another_seed_does_not() -> None:
    assert demo.generate(20, 2, 7, UNTIL) == demo.generate(20, 2, 7, UNTIL)
    assert demo.generate(20, 2, 7, UNTIL) != demo.generate(20, 2, 8, UNTIL)


def test_the_demo_is_a_valid_bundle_with_every_kind_of_record() -> None:
    document = demo.generate(30, 3, 1, UNTIL)
    parsed = fmt.parse(json.dumps(document, ensure_ascii=False).encode()).bundle
    for name in (
        "people",
        "professionals",
        "visits",
        "observations",
        "concerns",
        "events",
        "referrals",
        "sharing",
    ):
        assert getattr(parsed, name), name
    visits = parsed.visits or []
    assert {v.outcome.value for v in visits} >= {"completed", "was_not_brought", "no_access"}
    assert any(v.contact_type for v in visits)
    assert any(o.measurement for o in parsed.observations or [])


def test_nhs_numbers_are_valid_and_only_from_the_never_issued_range() -> None:
    numbers = [c["nhs_number"] for c in demo.generate(400, 1, 3, UNTIL)["children"]]
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("999") and nhs_number.is_valid(n) for n in numbers)


def test_names_come_in_several_scripts() -> None:
    names = " ".join(
        c["given_name"] + c["family_name"] for c in demo.generate(60, 1, 1, UNTIL)["children"]
    )
    scripts = {
        "latin": any("a" <= ch.lower() <= "z" for ch in names),
        "latin extended": any(ch in "łŁńśźżóąęćŚŻ" for ch in names),
        "greek": any("\u0370" <= ch <= "\u03ff" for ch in names),
        "cyrillic": any("\u0400" <= ch <= "\u04ff" for ch in names),
        "arabic": any("\u0600" <= ch <= "\u06ff" for ch in names),
    }
    assert sum(scripts.values()) >= 4, scripts


def test_the_benchmark_workload_has_the_size_performance_md_describes() -> None:
    document = demo.generate(400, 5, 1, UNTIL)
    sizes = {
        name: len(document[name])
        for name in ("visits", "observations", "concerns", "events", "referrals")
    }
    assert 35_000 <= sizes["visits"] <= 45_000
    assert 70_000 <= sizes["observations"] <= 90_000
    assert 7_000 <= sizes["concerns"] <= 9_000
    assert 17_000 <= sizes["events"] <= 23_000
    assert 500 <= sizes["referrals"] <= 700
    heavy = document["children"][0]["id"]
    items = sum(heavy in v["child_ids"] for v in document["visits"]) + sum(
        e["child_id"] == heavy for e in document["events"] + document["concerns"]
    )
    assert 1_800 <= items <= 2_400


def test_demo_on_the_command_line_makes_a_demo_vault(tmp_path: Path) -> None:
    vault = tmp_path / "demo"
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    result = run_cli(
        "demo",
        "--vault",
        str(vault),
        "--children",
        "6",
        "--years",
        "1",
        "--until",
        "2026-11-23",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "DEMO vault" in result.stdout
    assert "Added: 6 children" in result.stdout
    again = run_cli(
        "demo",
        "--vault",
        str(vault),
        "--children",
        "6",
        "--years",
        "1",
        "--until",
        "2026-11-23",
        env=env,
    )
    assert "Added: nothing." in again.stdout
    ws = open_vault(vault, PASSPHRASE)
    try:
        assert len(caseload.list_children(ws)) == 6
        assert "DEMO" in ws.profile.agency
        assert integrity.verify(ws).ok
        exported = json.loads(bundles.export_bundle(ws))
    finally:
        ws.lock()
    # The shipped schema validates what the app exports from a demo vault.
    schema = json.loads(
        (Path(__file__).resolve().parents[1] / "resources" / "bundle.schema.json").read_text()
    )
    jsonschema.validate(exported, schema)
    assert len(exported["visits"]) > 50
