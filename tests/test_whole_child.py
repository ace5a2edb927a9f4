"""Issue 17 item 5, the whole child: every field DOMAIN.md lists for a child kept, audited,
searched, bundled and printed; non-mobile judged on the injury's own date; household members'
phone numbers and addresses; and what public MARF templates ask (level of need, who gave consent
and for whom, the family's contacts, a description, the safeguarding lead) — with hostile input
refused in one sentence each."""

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from practitioner_app.domain import forms as definitions
from practitioner_app.domain.enums import Consent, ObservationCategory
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.records import (
    ChildDetails,
    HouseholdMemberDetails,
    InjuryDetails,
    ObservationDetails,
)
from practitioner_app.domain.times import format_uk_date, now_utc, uk_date
from practitioner_app.export import bundle as bundle_format
from practitioner_app.services import (
    alerts,
    bundles,
    casework,
    exports,
    forms,
    integrity,
    people,
    records,
    search,
)
from practitioner_app.services.integrity import audit_trail
from practitioner_app.services.workspace import Workspace, create_vault, open_vault_with_data_key
from tests.conftest import PASSPHRASE, PROFILE, child_details, run_cli
from tests.test_forms import complete_marf, make_case

TODAY = uk_date(now_utc())
BORN = TODAY - timedelta(days=400)  # about 13 months: past the under-6-months rule
MOBILE_SINCE = TODAY - timedelta(days=60)


@pytest.fixture(autouse=True)
def _today() -> None:
    """Today as each test starts: worked out once at import, it went stale in a run that
    crossed midnight, and the app's own "today" no longer matched it."""
    global TODAY, BORN, MOBILE_SINCE
    TODAY = uk_date(now_utc())
    BORN = TODAY - timedelta(days=400)
    MOBILE_SINCE = TODAY - timedelta(days=60)


def whole_child(**overrides: object) -> ChildDetails:
    values: dict[str, object] = {
        "date_of_birth": BORN,
        "preferred_name": "Mimi",
        "other_names": ("Łucja Nowak", "Maya Carter"),
        "first_language": "Polish",
        "interpreter_needed": True,
        "communication": "BSL; Makaton at nursery",
        "non_mobile": True,
        "mobile_since": MOBILE_SINCE,
        "address": "1 Synthetic Row\nNorthtown",
        "postcode": "NE1 4XX",
    }
    values.update(overrides)
    return child_details(**values)


def _injury(ws: Workspace, child: str, day: date) -> str:
    return records.create_entry(
        ws,
        ObservationDetails(
            child,
            datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
            ObservationCategory.INJURY,
            "Small bruise, left shin.",
            injury=InjuryDetails(body_regions=("left shin",), description="bruise 1 cm"),
        ),
    ).id


# -- the child record -------------------------------------------------------------------------


def test_every_new_field_is_kept_and_its_change_audited_by_name_only(workspace: Workspace) -> None:
    child = people.add_child(workspace, whole_child())
    kept = casework.overview(workspace, child.id).details
    assert kept == whole_child(nhs_number="9990000018")
    people.update_child(workspace, child.id, whole_child(communication="Makaton"))
    last = audit_trail(workspace)[-1]
    assert last.action == "update"
    assert '"fields":["communication"]' in last.detail
    assert "Makaton" not in last.detail


def test_a_non_mobile_injury_alert_uses_the_mobility_on_the_injury_date(
    workspace: Workspace,
) -> None:
    """Marked non-mobile until the child began to move: an injury before that is critical, one
    after is not (DOMAIN.md: "non-mobile at that time")."""
    before = people.add_child(workspace, whole_child(nhs_number=None)).id
    injury = _injury(workspace, before, MOBILE_SINCE - timedelta(days=20))
    [alert] = [a for a in alerts.for_child(workspace, before) if a.rule == "NON_MOBILE_INJURY"]
    assert alert.evidence == (injury,)
    assert "marked non-mobile on that date" in alert.message

    after = people.add_child(workspace, whole_child(nhs_number=None, given_name="Ola")).id
    _injury(workspace, after, MOBILE_SINCE + timedelta(days=10))
    assert "NON_MOBILE_INJURY" not in [a.rule for a in alerts.for_child(workspace, after)]

    # Marked non-mobile only from a date: an injury before it is not one to a non-mobile child.
    later = people.add_child(
        workspace,
        whole_child(
            nhs_number=None,
            given_name="Iga",
            non_mobile_from=TODAY - timedelta(days=30),
            mobile_since=None,
        ),
    ).id
    _injury(workspace, later, TODAY - timedelta(days=45))
    assert "NON_MOBILE_INJURY" not in [a.rule for a in alerts.for_child(workspace, later)]
    _injury(workspace, later, TODAY - timedelta(days=5))
    assert "NON_MOBILE_INJURY" in [a.rule for a in alerts.for_child(workspace, later)]


def test_other_names_and_the_preferred_name_are_found_by_search_as_typed(
    workspace: Workspace,
) -> None:
    child = people.add_child(workspace, whole_child()).id
    for typed in ("Lucja", "łucja nowak", "mimi", "MAYA CARTER"):
        hits = search.search(workspace, typed)
        assert [(h.kind, h.child_ids) for h in hits] == [("child", (child,))], typed
    # A changed name is found at once, and the old one no longer.
    people.update_child(workspace, child, whole_child(preferred_name="Zoë"))
    assert [h.kind for h in search.search(workspace, "Zoe")] == ["child"]
    assert search.search(workspace, "Mimi") == []
    # Searching inside the child's own records finds the child's names too.
    assert [h.record_id for h in search.search(workspace, "Lucja", child_id=child)] == [child]


def test_the_caseload_row_carries_every_name_the_child_goes_by(workspace: Workspace) -> None:
    people.add_child(workspace, whole_child())
    [row] = casework.caseload(workspace)
    assert row.known_as == ("Mimi", "Łucja Nowak", "Maya Carter")


# (overrides of the child, field named, words of the sentence)
HOSTILE_CHILDREN: list[tuple[dict[str, object], str, str]] = [
    ({"given_name": "M" * 201}, "given_name", "201 characters long, more than the 200"),
    ({"family_name": "Okafor\x00"}, "family_name", "control character"),
    ({"preferred_name": "Mimi\nMaya"}, "preferred_name", "line break"),
    ({"other_names": ("Mia\x1b[31m",)}, "other_names", "control character"),
    ({"other_names": ("Mia", "  ")}, "other_names", "has an empty name"),
    ({"other_names": tuple(f"Name {n}" for n in range(21))}, "other_names", "21 names"),
    ({"communication": "B" * 501}, "communication", "more than the 500"),
    ({"first_language": "Polish\t"}, "first_language", "control character"),
    ({"address": "1 Row\x07"}, "address", "control character"),
    ({"address": "x" * 1001}, "address", "more than the 1,000"),
    (
        {"non_mobile_from": MOBILE_SINCE, "mobile_since": MOBILE_SINCE - timedelta(days=1)},
        "mobile_since",
        "ends before it starts",
    ),
    (
        {"non_mobile_from": MOBILE_SINCE, "mobile_since": MOBILE_SINCE},
        "mobile_since",
        "on or before 'Non-mobile from'",
    ),
    ({"non_mobile": False}, "mobile_since", "not marked non-mobile"),
    ({"mobile_since": TODAY + timedelta(days=3)}, "mobile_since", "is in the future"),
    ({"non_mobile_from": BORN - timedelta(days=1)}, "non_mobile_from", "before the date of birth"),
    (
        {"date_of_birth": None, "expected_date": TODAY + timedelta(days=30)},
        "mobile_since",
        "not yet born",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "words"), HOSTILE_CHILDREN)
def test_a_hostile_child_detail_is_refused_in_one_sentence_naming_the_field(
    overrides: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        whole_child(**overrides).validate(TODAY)
    assert refused.value.field == field
    assert words in refused.value.message
    assert refused.value.message.count(". ") == 0  # one sentence


HOSTILE_MEMBERS: list[tuple[dict[str, object], str, str]] = [
    ({"phone": "0" * 501}, "phone", "more than the 500"),
    ({"phone": "07700 900123\n07700 900456"}, "phone", "line break"),
    ({"address": "2 Row\x00"}, "address", "control character"),
    ({"name": "A" * 201}, "name", "more than the 200"),
    ({"from_date": date(2026, 5, 1), "to_date": date(2026, 4, 1)}, "to_date", "ends before"),
]


@pytest.mark.parametrize(("overrides", "field", "words"), HOSTILE_MEMBERS)
def test_a_hostile_household_detail_is_refused_and_nothing_is_written(
    workspace: Workspace, overrides: dict[str, object], field: str, words: str
) -> None:
    child = people.add_child(workspace, whole_child()).id
    member = HouseholdMemberDetails(
        **{"name": "Anna Nowak", "relationship": "mother", "lives_with_child": True, **overrides}  # type: ignore[arg-type]
    )
    with pytest.raises(InvalidInput) as refused:
        people.add_household_member(workspace, child, member)
    assert refused.value.field == field
    assert words in refused.value.message
    assert casework.overview(workspace, child).household == ()


# -- bundles ----------------------------------------------------------------------------------


def _with_household(ws: Workspace) -> str:
    child = people.add_child(ws, whole_child()).id
    people.add_household_member(
        ws,
        child,
        HouseholdMemberDetails(
            "Anna Nowak",
            "mother",
            True,
            parental_responsibility=True,
            phone="07700 900123 (mobile, safe to ring)",
        ),
    )
    people.add_household_member(
        ws,
        child,
        HouseholdMemberDetails(
            "Piotr Nowak",
            "father",
            False,
            address="4 Other Street\nSouthtown",
            phone="07700 900456",
        ),
    )
    return child


def test_the_new_fields_travel_in_a_bundle_and_come_back_the_same(
    workspace: Workspace, tmp_path: Path
) -> None:
    child = _with_household(workspace)
    exported = bundles.export_bundle(workspace)
    other, _ = create_vault(tmp_path / "other", PASSPHRASE, PROFILE)
    try:
        bundles.import_bundle(other, exported)
        assert (
            casework.overview(other, child).details == casework.overview(workspace, child).details
        )
        contacts = {(p.name, p.phone, p.address) for p in casework.overview(other, child).household}
        assert contacts == {
            ("Anna Nowak", "07700 900123 (mobile, safe to ring)", None),
            ("Piotr Nowak", "07700 900456", "4 Other Street\nSouthtown"),
        }
        # Found by an other name in the vault it was imported into.
        assert [h.child_ids for h in search.search(other, "Lucja")] == [(child,)]
    finally:
        other.lock()


def test_a_bundle_with_a_hostile_new_field_is_refused_naming_record_and_field(
    workspace: Workspace,
) -> None:
    source, _ = workspace, None
    _with_household(source)
    document = bundle_format.Bundle.model_validate_json(bundles.export_bundle(source))
    before = casework.caseload(workspace)
    child = document.children[0].model_copy(
        update={"non_mobile_from": MOBILE_SINCE + timedelta(days=1)}
    )
    bad = document.model_copy(update={"children": [child]})
    with pytest.raises(InvalidInput) as refused:
        bundles.import_bundle(workspace, bundle_format.serialise(bad))
    assert "children[0].mobile_since" in refused.value.message
    person = document.people[0].model_copy(update={"phone": "0770\x00"})  # type: ignore[index]
    bad = document.model_copy(update={"people": [person, *document.people[1:]]})  # type: ignore[index]
    with pytest.raises(InvalidInput) as refused:
        bundles.import_bundle(workspace, bundle_format.serialise(bad))
    assert "people[0].phone" in refused.value.message
    assert casework.caseload(workspace) == before


# -- the MARF ---------------------------------------------------------------------------------


def test_a_marf_is_prefilled_with_the_family_contacts_and_the_whole_child(
    workspace: Workspace,
) -> None:
    child = _with_household(workspace)
    form = forms.start(workspace, child, "marf")
    s = form.details.sections
    assert "Preferred name: Mimi" in s["child"]
    assert "Other names: Łucja Nowak, Maya Carter" in s["child"]
    assert "Preferred way of communicating: BSL; Makaton at nursery" in s["child"]
    assert f"Was non-mobile; mobile since {format_uk_date(MOBILE_SINCE)}" in s["child"]
    assert s["contacts"].splitlines() == [
        "The child: 1 Synthetic Row Northtown, NE1 4XX",
        "Anna Nowak (mother): at the child's address; phone: 07700 900123 (mobile, safe to ring)",
        "Piotr Nowak (father): 4 Other Street Southtown; phone: 07700 900456",
    ]
    assert "phone: 07700 900123" in s["household"]
    # What the record cannot know is left for the practitioner.
    for key in ("level_of_need", "identification", "safeguarding_lead", "consent.given_by"):
        assert key not in s


@pytest.mark.parametrize(
    ("answers", "key", "words"),
    [
        ({"level_of_need": "urgent"}, "level_of_need", "'urgent' is not one of the choices"),
        ({"safeguarding_lead": "maybe"}, "safeguarding_lead", "is not one of the choices"),
        (
            {"safeguarding_lead": "yes", "safeguarding_lead.when": "last Tuesday"},
            "safeguarding_lead.when",
            "is not a date",
        ),
    ],
)
def test_a_marf_answer_outside_its_choices_or_not_a_date_is_refused(
    workspace: Workspace, answers: dict[str, str], key: str, words: str
) -> None:
    child = _with_household(workspace)
    form = forms.start(workspace, child, "marf")
    details = dataclasses.replace(form.details, sections={**form.details.sections, **answers})
    with pytest.raises(InvalidInput) as refused:
        forms.save(workspace, form.id, details)
    assert refused.value.field == key
    assert words in refused.value.message
    assert forms.get(workspace, form.id).details.sections == form.details.sections


def test_consent_and_the_safeguarding_lead_must_be_whole_before_the_marf_is_final(
    workspace: Workspace,
) -> None:
    case = make_case(workspace)
    form = complete_marf(workspace, forms.start(workspace, case.child, "marf"))
    sections = {k: v for k, v in form.details.sections.items() if not k.startswith("consent.")}
    sections["safeguarding_lead"] = "yes"
    sections["safeguarding_lead.when"] = (TODAY + timedelta(days=2)).isoformat()
    forms.save(workspace, form.id, dataclasses.replace(form.details, sections=sections))
    with pytest.raises(InvalidInput) as refused:
        forms.finalise(workspace, form.id)
    message = refused.value.message
    for needed in ("Who gave consent", "Whose information the consent covers", "Who (name"):
        assert needed in message
    assert "dated in the future" in message
    # Consent refused: who gave it is no longer asked.
    refused_consent = dataclasses.replace(
        forms.get(workspace, form.id).details,
        consent=Consent.REFUSED,
        reason_not_sought="Father refused; the referral goes ahead.",
        sections={
            **sections,
            "safeguarding_lead.who": "Jo Bell, named nurse",
            "safeguarding_lead.when": TODAY.isoformat(),
        },
    )
    forms.save(workspace, form.id, refused_consent)
    assert forms.finalise(workspace, form.id).final


def test_the_final_marf_pdf_prints_the_new_answers_in_words(
    workspace: Workspace, tmp_path: Path
) -> None:
    child = _with_household(workspace)
    form = forms.start(workspace, child, "marf")
    answers = {
        "referrer.contact": "01632 960111",
        "reason": "Bruise seen on the shin.",
        "concerns": "Physical abuse",
        "household": form.details.sections.get("household", "Anna Nowak, mother"),
        "outcome_sought": "A strategy discussion.",
        "level_of_need": "child_protection",
        "identification": "Small for her age, dark curly hair, wears glasses.",
        "consent.given_by": "Anna Nowak (mother)",
        "consent.covers": "Anna Nowak and Maya; not Piotr Nowak",
        "safeguarding_lead": "yes",
        "safeguarding_lead.who": "Jo Bell, named nurse for safeguarding",
        "safeguarding_lead.when": TODAY.isoformat(),
    }
    details = dataclasses.replace(
        form.details,
        sections={**form.details.sections, **answers},
        immediate_risk=False,
        family_aware=True,
        consent=Consent.GIVEN,
    )
    forms.save(workspace, form.id, details)
    forms.finalise(workspace, form.id)
    out = tmp_path / "marf.pdf"
    exports.form_pdf(workspace, form.id, out, recipient=None)
    body = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    for expected in (
        "Level of need",
        "Child protection (Children Act 1989 s.47)",
        "Identifying the child",
        "dark curly hair",
        "The family's addresses and phone numbers",
        "Piotr Nowak (father): 4 Other Street Southtown; phone: 07700 900456",
        "Who gave consent Anna Nowak (mother)",
        "Whose information the consent covers Anna Nowak and Maya; not Piotr Nowak",
        "Discussed with a safeguarding lead",
        "Jo Bell, named nurse for safeguarding",
        f"When {format_uk_date(TODAY)}",
        "Preferred way of communicating: BSL; Makaton at nursery",
    ):
        assert expected in body, expected
    # "child_protection" is a key, not words a reader should see.
    assert "child_protection" not in body


def test_the_chronology_pdf_shows_the_childs_communication_and_mobility_with_dates(
    workspace: Workspace, tmp_path: Path
) -> None:
    child = people.add_child(workspace, whole_child()).id
    out = tmp_path / "chronology.pdf"
    exports.chronology(workspace, child, out)
    first = " ".join(PdfReader(out).pages[0].extract_text().split())
    assert "Preferred name Mimi" in first
    assert "Communicates by BSL; Makaton at nursery" in first
    assert f"Mobility Was non-mobile; mobile since {format_uk_date(MOBILE_SINCE)}" in first


def test_each_marf_answer_has_one_home(workspace: Workspace) -> None:
    """The new answers are in the MARF and keep to the form engine's rules."""
    keys = {a.key for a in definitions.MARF.answers}
    assert {
        "level_of_need",
        "identification",
        "contacts",
        "consent.given_by",
        "consent.covers",
        "safeguarding_lead",
        "safeguarding_lead.who",
        "safeguarding_lead.when",
    } <= keys


def test_the_command_line_shows_the_whole_child(vault_dir: Path, data_key: bytes) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    child = _with_household(ws)
    ws.lock()
    env = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
    shown = run_cli("child", child, "--vault", str(vault_dir), "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["other_names"] == ["Łucja Nowak", "Maya Carter"]
    assert (document["preferred_name"], document["communication"]) == (
        "Mimi",
        "BSL; Makaton at nursery",
    )
    assert (document["non_mobile"], document["mobile_since"]) == (True, MOBILE_SINCE.isoformat())
    assert {(p["name"], p["phone"]) for p in document["household"]} == {
        ("Anna Nowak", "07700 900123 (mobile, safe to ring)"),
        ("Piotr Nowak", "07700 900456"),
    }
    lines = run_cli("child", child, "--vault", str(vault_dir), env=env).stdout
    assert f"Mobility:        Was non-mobile; mobile since {format_uk_date(MOBILE_SINCE)}" in lines
    assert (
        "Household:       Piotr Nowak (father) — 07700 900456; 4 Other Street, Southtown" in lines
    )
    missing = run_cli("child", "nobody", "--vault", str(vault_dir), env=env)
    assert missing.returncode != 0
    assert "No child has the id or reference 'nobody'" in missing.stderr


def test_a_vault_from_before_the_whole_child_is_migrated_and_its_children_found_by_name(
    vault_dir: Path, data_key: bytes
) -> None:
    """Migration 0012 indexes the children already in a vault (and goes back cleanly)."""
    from alembic import command

    from practitioner_app.store import schema

    ws = open_vault_with_data_key(vault_dir, data_key)
    child = people.add_child(ws, child_details(other_names=("Łucja Nowak",))).id
    with ws.vault.engine.begin() as connection:
        config = schema._config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    ws.lock()
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        assert schema.current_revision(ws.vault.engine) == schema.head_revision()
        assert [h.child_ids for h in search.search(ws, "lucja")] == [(child,)]
        assert casework.overview(ws, child).details.communication is None
        report = integrity.verify(ws)
        assert report.ok, report.findings
    finally:
        ws.lock()


@pytest.mark.parametrize(
    ("day", "non_mobile"),
    [
        (date(2026, 3, 31), False),  # before the marked period
        (date(2026, 4, 1), True),  # its first day
        (date(2026, 6, 30), True),  # its last day
        (date(2026, 7, 1), False),  # the day the child became mobile
    ],
)
def test_the_non_mobile_period_runs_from_its_first_day_to_the_day_before_mobile(
    day: date, non_mobile: bool
) -> None:
    child = whole_child(
        date_of_birth=date(2026, 1, 1),
        non_mobile_from=date(2026, 4, 1),
        mobile_since=date(2026, 7, 1),
    )
    assert child.non_mobile_on(day) is non_mobile
