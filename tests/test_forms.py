"""Structured forms: the MARF and the early help assessment, pre-filled from the record,
checked before they are final, amended after, and logged as shares."""

import dataclasses
import typing
from datetime import date, timedelta

import pytest

from practitioner_app.domain import forms as definitions
from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    Consent,
    ObservationCategory,
)
from practitioner_app.domain.errors import FinalEntryIsReadOnly, InvalidInput
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.records import (
    ConcernDetails,
    HouseholdMemberDetails,
    ObservationDetails,
    ProfessionalDetails,
    SharingDetails,
)
from practitioner_app.domain.times import now_utc
from practitioner_app.export.bundle import Referral
from practitioner_app.services import (
    casework,
    chronology,
    form_prefill,
    forms,
    integrity,
    people,
    records,
    sharing,
)
from practitioner_app.services.workspace import Workspace
from tests.conftest import child_details, visit_details


@dataclasses.dataclass
class Case:
    child: str
    concerns: list[str]
    closed_concern: str


def make_case(ws: Workspace) -> Case:
    """A child with a mother (parental responsibility), her partner, a lead professional, two open
    concerns, a closed one, a significant observation and the child's own words at a visit."""
    child = people.add_child(ws, child_details(first_language="Polish", interpreter_needed=True)).id
    people.add_household_member(
        ws,
        child,
        HouseholdMemberDetails(
            "Anna Nowak", "mother", True, parental_responsibility=True, checks="PNC: none"
        ),
    )
    people.add_household_member(
        ws, child, HouseholdMemberDetails("Lee Carter", "mother's partner", True, False)
    )
    people.add_professional(
        ws,
        child,
        ProfessionalDetails("Dr Priya Shah", "GP", "Northshire Surgery", phone="01632 960000"),
    )
    recent = now_utc() - timedelta(days=20)
    visit = records.create_entry(
        ws,
        visit_details(
            child,
            occurred_at=recent,
            child_voice="I don't like it when they shout.",
            child_seen_alone=True,
        ),
    )
    records.finalise(ws, "visit", visit.id)
    concerns = []
    for category, summary in (
        (ConcernCategory.NEGLECT, "Home cold; little food in the cupboards."),
        (ConcernCategory.DOMESTIC_ABUSE, "Police called to the address twice in October."),
    ):
        concern = records.create_entry(
            ws,
            ConcernDetails(child, recent, category, ConcernLevel.HIGH, "Health visitor", summary),
        )
        records.finalise(ws, "concern", concern.id)
        concerns.append(concern.id)
    closed = records.create_entry(
        ws,
        ConcernDetails(
            child,
            recent - timedelta(days=90),
            ConcernCategory.OTHER,
            ConcernLevel.LOW,
            "School",
            "Late to nursery often.",
        ),
    )
    records.finalise(ws, "concern", closed.id)
    records.change_concern_status(
        ws, closed.id, ConcernStatus.CLOSED, recent - timedelta(days=60), "Attendance improved"
    )
    observation = records.create_entry(
        ws,
        ObservationDetails(
            child,
            recent,
            ObservationCategory.PRESENTATION,
            "Nappy rash, clothes unwashed.",
            significant=True,
        ),
    )
    records.finalise(ws, "observation", observation.id)
    return Case(child, concerns, closed.id)


def complete_marf(ws: Workspace, form: forms.FormView) -> forms.FormView:
    sections = dict(form.details.sections)
    sections.update(
        {
            "referrer.contact": "01632 960111, hv.team@example.nhs.uk",
            "reason": "Cumulative neglect and domestic abuse; Maya is not thriving.",
            "outcome_sought": "A child and family assessment.",
            "level_of_need": "child_protection",
            "consent.given_by": "Anna Nowak (mother)",
            "consent.covers": "Anna Nowak and Maya",
            "safeguarding_lead": "no",
        }
    )
    details = dataclasses.replace(
        form.details,
        sections=sections,
        immediate_risk=False,
        family_aware=True,
        consent=Consent.GIVEN,
    )
    return forms.save(ws, form.id, details)


def test_a_new_marf_is_filled_in_from_the_record(workspace: Workspace) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "marf")
    s = form.details.sections
    assert form.entry.status == "draft"
    assert "Test Practitioner" in s["referrer"] or workspace.profile.name in s["referrer"]
    assert "Maya Okafor" in s["child"]
    assert "NHS number: 999" in s["child"]
    assert "First language: Polish; interpreter needed: yes" in s["child"]
    assert "Parental responsibility: Anna Nowak" in s["household"]
    assert (
        "Lee Carter (mother's partner): lives with the child; parental responsibility: no"
        in s["household"]
    )
    assert "PNC: none" in s["household"]
    assert "Dr Priya Shah, GP, Northshire Surgery — 01632 960000" in s["professionals"]
    assert "No lead professional is recorded." in s["professionals"]
    # Both open concerns are linked and described; the closed one is not linked but is history.
    assert set(form.details.concern_ids) == set(case.concerns)
    assert "Home cold" in s["concerns"]
    assert "Police called" in s["concerns"]
    assert "Recent significant observations:" in s["concerns"]
    assert "Nappy rash" in s["concerns"]
    assert "Late to nursery" not in s["concerns"]
    assert (
        "concern closed: Late to nursery often.; outcome: Attendance improved"
        in s["previous_interventions"]
    )
    assert "I don't like it when they shout." in s["child_views"]
    assert "seen alone" in s["child_views"]
    # Nothing the record cannot know is invented.
    for key in ("reason", "parent_views", "strengths", "not_to_share", "outcome_sought"):
        assert key not in s
    assert form.details.to_agency == definitions.MARF.default_to
    assert {c.id for c in form.concerns} == set(case.concerns)


def test_progress_counts_sections_and_names_what_is_missing(workspace: Workspace) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "marf")
    states = {p.key: p.state for p in form.progress}
    assert states["child"] == "complete"
    assert states["reason"] == "to do"
    assert states["strengths"] == "empty"
    assert states["consent"] == "to do"
    by_key = {p.key: p for p in form.progress}
    assert by_key["referrer"].missing == ("How to contact you",)
    done = complete_marf(workspace, form)
    assert [p.key for p in done.progress if p.state == "to do"] == []
    assert done.gaps == ()


def test_finalising_refuses_a_form_with_a_required_section_empty(workspace: Workspace) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "marf")
    with pytest.raises(InvalidInput) as raised:
        forms.finalise(workspace, form.id)
    message = raised.value.message
    assert message.startswith("The referral (MARF) cannot be final yet; complete: ")
    for needed in (
        "Referrer: How to contact you",
        "Reason for referral: Why you are referring now",
        "Immediate risk: Is the child at immediate risk of significant harm",
        "Consent: Are the family aware of this referral",
        "Consent: Consent to the referral",
        "What the referrer wants to happen",
    ):
        assert needed in message
    assert raised.value.field == "referrer.contact"
    assert forms.get(workspace, form.id).entry.status == "draft"
    assert sharing.log(workspace, case.child) == []


def test_consent_not_sought_or_refused_needs_a_reason(workspace: Workspace) -> None:
    case = make_case(workspace)
    form = complete_marf(workspace, forms.start(workspace, case.child, "marf"))
    for consent in (Consent.NOT_SOUGHT, Consent.REFUSED):
        without = forms.save(workspace, form.id, dataclasses.replace(form.details, consent=consent))
        assert [g.answer for g in without.gaps] == ["reason_not_sought"]
        with pytest.raises(InvalidInput, match="Why consent was not sought"):
            forms.finalise(workspace, form.id)
    # A blank reason is no reason.
    blank = dataclasses.replace(form.details, consent=Consent.NOT_SOUGHT, reason_not_sought="   ")
    assert [g.answer for g in forms.save(workspace, form.id, blank).gaps] == ["reason_not_sought"]
    # Given consent from a family who do not know of the referral is a contradiction.
    unaware = forms.save(workspace, form.id, dataclasses.replace(form.details, family_aware=False))
    assert [g.sentence for g in unaware.gaps] == [
        "Consent cannot have been given by a family who are not aware of the referral; "
        "check the answers under Consent."
    ]
    with pytest.raises(InvalidInput, match="not aware of the referral"):
        forms.finalise(workspace, form.id)


def test_finalising_is_not_sending_and_logs_no_share(workspace: Workspace) -> None:
    case = make_case(workspace)
    form = complete_marf(workspace, forms.start(workspace, case.child, "marf"))
    reason = "Telling the family would put Maya at risk from Lee."
    form = forms.save(
        workspace,
        form.id,
        dataclasses.replace(form.details, consent=Consent.NOT_SOUGHT, reason_not_sought=reason),
    )
    final = forms.finalise(workspace, form.id)
    assert final.final
    # Issue 17: the share is logged when the practitioner sends it (exports it to someone),
    # with the basis they choose; no basis from the form's definition is assumed.
    assert sharing.log(workspace, case.child) == []
    trail = [(a.action, a.record_kind) for a in integrity.audit_trail(workspace)[-2:]]
    assert trail == [("edit_draft", "referral"), ("finalise", "referral")]
    # The referral appears in the chronology; no share does.
    rows = {row.record_kind: row for row in chronology.build(workspace, case.child)}
    assert rows[RecordKind.REFERRAL].event.startswith(f"Referral to {definitions.MARF.default_to}.")
    assert RecordKind.SHARING_RECORD not in rows
    with pytest.raises(InvalidInput, match="already final"):
        forms.finalise(workspace, form.id)


def test_a_final_form_is_amended_answer_by_answer(workspace: Workspace) -> None:
    case = make_case(workspace)
    form = forms.finalise(
        workspace, complete_marf(workspace, forms.start(workspace, case.child, "marf")).id
    )
    with pytest.raises(FinalEntryIsReadOnly):
        forms.save(workspace, form.id, form.details)
    records.amend(
        workspace,
        "referral",
        form.id,
        "sections.strengths",
        "Grandmother visits daily.",
        "Learned after the referral was sent.",
    )
    amended = forms.get(workspace, form.id)
    assert "strengths" not in amended.details.sections  # the original stays as it was
    [note] = amended.entry.amendments
    assert (note.field, note.new_value) == ("sections.strengths", "Grandmother visits daily.")
    with pytest.raises(InvalidInput, match="cannot be amended"):
        records.amend(workspace, "referral", form.id, "sections.nonsense", "x", "because")
    # A yes/no or a choice is amended to one of its answers, written as people read them.
    with pytest.raises(InvalidInput, match="Immediate risk is a yes or no answer") as refused:
        records.amend(workspace, "referral", form.id, "immediate_risk", "maybe", "because")
    assert refused.value.field == "new_value"
    with pytest.raises(InvalidInput, match="must be one of: Given, Refused, Not sought"):
        records.amend(workspace, "referral", form.id, "consent", "sort of", "because")
    records.amend(workspace, "referral", form.id, "immediate_risk", " yes ", "Phoned back.")
    records.amend(workspace, "referral", form.id, "consent", "not_sought", "Misread the form.")
    notes = {a.field: a.new_value for a in forms.get(workspace, form.id).entry.amendments}
    assert (notes["immediate_risk"], notes["consent"]) == ("Yes", "Not sought")
    summary = forms.for_child(workspace, case.child)
    assert [(s.status, s.amended) for s in summary] == [("final", True)]


def test_saving_refuses_answers_the_form_does_not_have(workspace: Workspace) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "marf")
    wrong = dataclasses.replace(form.details, sections={**form.details.sections, "colour": "x"})
    with pytest.raises(InvalidInput, match="has no answer called 'colour'"):
        forms.save(workspace, form.id, wrong)
    with pytest.raises(InvalidInput, match="no form called 'caf'"):
        forms.start(workspace, case.child, "caf")


def test_an_emptied_answer_is_dropped_not_stored_blank(workspace: Workspace) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "marf")
    emptied = dataclasses.replace(
        form.details, sections={**form.details.sections, "professionals": "  \n"}
    )
    saved = forms.save(workspace, form.id, emptied)
    assert "professionals" not in saved.details.sections
    assert {p.key: p.state for p in saved.progress}["professionals"] == "empty"


def test_the_early_help_assessment_needs_consent_and_a_plan(workspace: Workspace) -> None:
    case = make_case(workspace)
    form = forms.start(workspace, case.child, "early_help")
    assert form.definition is definitions.EARLY_HELP
    assert "Parental responsibility: Anna Nowak" in form.details.sections["family"]
    assert form.details.concern_ids == ()
    texts = {
        "assessor.contact": "01632 960111",
        "reason": "Mum asked for help with routines.",
        "development": "Speech a little behind; otherwise on track.",
        "parenting": "Warm; struggles with boundaries.",
        "family_environment": "Damp flat; partner unemployed.",
        "strengths": "Mum engages well.",
        "needs": "Housing; parenting support.",
        "plan.actions": definitions.format_actions(
            [
                definitions.PlannedAction("Refer to housing", "Health visitor", "1 Dec 2026"),
                definitions.PlannedAction("Parenting group | weekly", "Family hub", "Jan 2027"),
            ]
        ),
        "plan.review_date": "2027-02-01",
    }
    details = dataclasses.replace(
        form.details, sections={**form.details.sections, **texts}, consent=Consent.REFUSED
    )
    refused = forms.save(workspace, form.id, details)
    assert [g.sentence[:40] for g in refused.gaps] == ["An early help assessment is made with th"]
    bad_date = dataclasses.replace(
        details, sections={**details.sections, "plan.review_date": "next month"}
    )
    with pytest.raises(InvalidInput, match="'next month' is not a date"):
        forms.save(workspace, form.id, bad_date)
    given = forms.save(workspace, form.id, dataclasses.replace(details, consent=Consent.GIVEN))
    assert given.gaps == ()
    plan = definitions.parse_actions(given.details.sections["plan.actions"])
    assert plan[1] == definitions.PlannedAction(
        "Parenting group / weekly", "Family hub", "Jan 2027"
    )
    forms.finalise(workspace, form.id)
    assert sharing.log(workspace, case.child) == []  # final is not sent
    row = next(r for r in chronology.build(workspace, case.child) if r.record_kind == "referral")
    assert row.event.startswith("Early help assessment for Early help team.")


def test_a_share_by_phone_and_a_decision_not_to_share_are_logged(workspace: Workspace) -> None:
    case = make_case(workspace)
    at = now_utc() - timedelta(hours=2)
    sharing.record(
        workspace,
        SharingDetails(
            (case.child,),
            at,
            True,
            "PC Jones, Northshire Police",
            "Dates of the two call-outs",
            "Strategy discussion",
            Consent.NOT_SOUGHT,
            lawful_basis="Crime and Disorder Act 1998 s.115",
            reason="Seeking consent would alert the alleged perpetrator.",
        ),
    )
    sharing.record(
        workspace,
        SharingDetails(
            (case.child,),
            at + timedelta(minutes=5),
            False,
            "Maya's aunt",
            "Details of the concerns",
            "Aunt asked for an update",
            Consent.REFUSED,
            reason="Mother refused, and the aunt has no role in Maya's care.",
        ),
    )
    with pytest.raises(InvalidInput, match="A decision not to share needs its reason"):
        sharing.record(
            workspace,
            SharingDetails((case.child,), at, False, "X", "Y", "Z", Consent.GIVEN),
        )
    log = sharing.log(workspace, case.child)
    assert [(x.shared, x.with_whom) for x in log] == [
        (False, "Maya's aunt"),
        (True, "PC Jones, Northshire Police"),
    ]
    assert all(x.status == "final" for x in log)
    events = [
        r.event
        for r in chronology.build(workspace, case.child)
        if r.record_kind == "sharing_record"
    ]
    assert events == [
        "Information shared with PC Jones, Northshire Police: Dates of the two call-outs. "
        "Purpose: Strategy discussion.",
        "Decision not to share with Maya's aunt: Details of the concerns. "
        "Purpose: Aunt asked for an update.",
    ]


def test_parse_and_format_actions_round_trip() -> None:
    actions = [definitions.PlannedAction("Book | clinic", " HV ", "2 Dec")]
    text = definitions.format_actions(actions)
    assert text == "Book / clinic | HV | 2 Dec"
    assert definitions.parse_actions(text + "\n\nJust an action") == [
        definitions.PlannedAction("Book / clinic", "HV", "2 Dec"),
        definitions.PlannedAction("Just an action", "", ""),
    ]
    assert definitions.parse_date(" 2027-02-01 ") == date(2027, 2, 1)


def test_a_draft_form_counts_among_the_childs_drafts_until_final(workspace: Workspace) -> None:
    case = make_case(workspace)

    def drafts() -> int:
        return next(r.drafts for r in casework.caseload(workspace) if r.id == case.child)

    before = drafts()
    form = complete_marf(workspace, forms.start(workspace, case.child, "marf"))
    assert drafts() == before + 1
    forms.finalise(workspace, form.id)
    assert drafts() == before


@pytest.mark.parametrize(
    "definition", list(definitions.FORMS.values()), ids=lambda definition: definition.key
)
def test_each_definition_is_whole(definition: definitions.FormDefinition) -> None:
    """What the engine relies on: answers kept in `sections` have distinct keys, every pre-fill
    has a source, conditions name a column or a choice of the form, and bundles know the form."""
    text_keys = [a.key for a in definition.answers if not a.column]
    assert len(text_keys) == len(set(text_keys))
    column_keys = [a.key for a in definition.answers if a.column]
    assert len(column_keys) == len(set(column_keys))
    assert {a.prefill for a in definition.answers if a.prefill} <= set(form_prefill.PREFILL)
    choices = {a.key: dict(a.options) for a in definition.answers if a.options}
    for answer in definition.answers:
        if answer.when is not None and answer.when.column not in definitions.COLUMNS:
            # A condition on a choice kept in `sections` names values the choice offers.
            assert set(answer.when.values) <= set(choices[answer.when.column])
    section_keys = [s.key for s in definition.sections]
    assert len(section_keys) == len(set(section_keys))
    # A text answer is its section's own text or a further answer in that section.
    for section in definition.sections:
        for answer in section.answers:
            if not answer.column:
                assert answer.key.split(".")[0] == section.key
    assert definition.key in typing.get_args(
        typing.get_args(Referral.model_fields["form"].annotation)[0]
    )
    assert "to_agency" in column_keys
