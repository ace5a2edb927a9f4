"""The synthetic demo caseload: deterministic, valid, realistic in shape, and safe test data."""

import json
from datetime import date
from pathlib import Path

import jsonschema

from practitioner_app.domain import nhs_number
from practitioner_app.export import bundle as fmt
from practitioner_app.export import demo
from practitioner_app.export.demo.words import FAMILY, GIVEN
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


def test_the_demo_says_of_each_child_only_what_is_true_at_that_age() -> None:
    """Issue 17 item 9: no words or toilet training at 14 days, no babbling at birth, no school
    before four, no child's own words before two, no bruise on a baby who cannot move."""
    document = demo.generate(120, 3, 2026, UNTIL)
    born = {c["id"]: date.fromisoformat(c["date_of_birth"]) for c in document["children"]}

    def age(child_id: str, when: str) -> int:
        return (date.fromisoformat(when[:10]) - born[child_id]).days

    wrong = []
    for visit in document["visits"]:
        days = age(visit["child_ids"][0], visit["occurred_at"])
        text = visit["notes"]
        if days < 700 and ("words" in text or "toilet" in text):
            wrong.append((days, text))
        if days < 120 and "babbling" in text:
            wrong.append((days, text))
        if days < 730 and visit["child_voice"]:
            wrong.append((days, visit["child_voice"]))
    for observation in document["observations"]:
        days = age(observation["child_id"], observation["observed_at"])
        text = observation["text"]
        if "Pulling to stand" in text and not 240 <= days <= 450:
            wrong.append((days, text))
        if ("nappy" in text and days > 3 * 365) or (
            observation["category"] == "injury" and days < 365
        ):
            wrong.append((days, text))
    for event in document["events"]:
        days = age(event["child_id"], event["occurred_at"])
        if "School" in event["event"] and days < 4 * 365:
            wrong.append((days, event["event"]))
    assert wrong == []


def test_demo_children_have_names_of_their_sex_and_no_two_share_a_full_name() -> None:
    document = demo.generate(60, 3, 2026, UNTIL)
    given_by_sex = {
        sex: {name for culture in GIVEN.values() for name in culture[sex]}
        for sex in ("female", "male")
    }
    children = document["children"]
    assert all(c["given_name"] in given_by_sex[c["sex"]] for c in children)
    # Polish and Greek family names take the form for the child's sex (Zieliński, Zielińska).
    forms = {male: female for pairs in FAMILY.values() for male, female in pairs}
    for child in children:
        male_form = child["family_name"] in forms
        female_form = child["family_name"] in forms.values()
        assert (child["sex"] == "male" and male_form) or (child["sex"] == "female" and female_form)
    full = [f"{c['given_name']} {c['family_name']}" for c in children]
    assert len(set(full)) == len(full)


def test_most_demo_families_need_only_the_universal_service() -> None:
    """Alerts at realistic rates: most children have few records (a few families take most of
    the work), so a new user does not learn to ignore alerts that every child shows."""
    document = demo.generate(60, 3, 2026, UNTIL)
    concerns = {c["id"]: 0 for c in document["children"]}
    for concern in document["concerns"]:
        concerns[concern["child_id"]] += 1
    quiet = sum(1 for count in concerns.values() if count <= 1)
    assert quiet >= len(concerns) // 2


def test_no_visit_records_the_same_observation_twice() -> None:
    document = demo.generate(60, 3, 2026, UNTIL)
    seen = [(o["visit_id"], o["category"], o["text"]) for o in document["observations"]]
    assert len(set(seen)) == len(seen)
