"""The multi-agency referral form (MARF): its sections, its answers and its checks.

What public local templates ask (e.g. the London, Leeds and Devon MARFs) beyond DOMAIN.md's list:
the level of need the referrer sees, who gave consent and whose information it covers, the
family's addresses and phone numbers, a description to identify the child by, and whether the
referral was discussed with a safeguarding lead (who, when) — issue 17 item 5.
"""

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.forms.model import Answer, AnswerKind, FormDefinition, Section, When
from practitioner_app.domain.forms.plan import parse_date
from practitioner_app.domain.records import ReferralDetails
from practitioner_app.domain.times import now_utc, uk_date

# The levels of need of the continuum of need (Working Together to Safeguard Children 2023):
# the referrer's view; the front door decides.
LEVELS_OF_NEED: tuple[tuple[str, str], ...] = (
    ("early_help", "Early help"),
    ("child_in_need", "Child in need (Children Act 1989 s.17)"),
    ("child_protection", "Child protection (Children Act 1989 s.47)"),
)
YES_NO_OPTIONS: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("no", "No"))
_DISCUSSED = When("safeguarding_lead", ("yes",))
_GIVEN = When("consent", (Consent.GIVEN,))


def _consent_needs_awareness(details: ReferralDetails) -> str | None:
    if details.consent is Consent.GIVEN and details.family_aware is False:
        return (
            "Consent cannot have been given by a family who are not aware of the referral; "
            "check the answers under Consent."
        )
    return None


def _discussed_not_in_future(details: ReferralDetails) -> str | None:
    if details.sections.get("safeguarding_lead") != "yes":
        return None
    try:
        day = parse_date(details.sections.get("safeguarding_lead.when"), "safeguarding_lead.when")
    except InvalidInput as problem:
        return problem.message
    if day is not None and day > uk_date(now_utc()):
        return (
            "The discussion with the safeguarding lead is dated in the future; give the day "
            "it took place."
        )
    return None


_WITHOUT_CONSENT = When("consent", (Consent.NOT_SOUGHT, Consent.REFUSED))

MARF = FormDefinition(
    key="marf",
    title="Multi-agency referral form",
    short_title="referral (MARF)",
    sent_to_label="Referred to",
    default_to="Children's social care front door",
    what_is_shared="Multi-agency referral form (MARF)",
    purpose="Safeguarding referral to children's social care",
    lawful_basis=(
        "Children Act 1989 s.47 and s.17; UK GDPR Art. 6(1)(e) and Art. 9(2)(g); "
        "Data Protection Act 2018 Sch. 1 para. 18 (safeguarding of children)"
    ),
    sections=(
        Section(
            "referrer",
            "Referrer",
            (
                Answer("referrer", "Who is referring", required=True, prefill="referrer"),
                Answer(
                    "referrer.contact",
                    "How to contact you",
                    AnswerKind.LINE,
                    required=True,
                    help="Telephone and secure email, and when you can be reached.",
                ),
                Answer("to_agency", "Referred to", AnswerKind.LINE, required=True, column=True),
            ),
        ),
        Section(
            "child",
            "The child",
            (Answer("child", "The child's details", required=True, prefill="child"),),
            help="Names, date of birth (or expected date), NHS number, address, language, "
            "GP and school, as the record holds them.",
        ),
        Section(
            "identification",
            "Identifying the child",
            (
                Answer(
                    "identification",
                    "Physical description, to help identify the child",
                    help="What lets a visiting worker know the child: height and build, hair, "
                    "glasses, a birthmark or scar, anything distinctive.",
                ),
            ),
        ),
        Section(
            "household",
            "Household and significant others",
            (
                Answer(
                    "household",
                    "Who lives with the child, and who holds parental responsibility",
                    required=True,
                    prefill="household",
                ),
            ),
        ),
        Section(
            "contacts",
            "The family's addresses and phone numbers",
            (
                Answer(
                    "contacts",
                    "Where the child and family live, and the numbers to reach them on",
                    prefill="contacts",
                    help="Each adult's address if it differs from the child's; say which "
                    "numbers are safe to ring.",
                ),
            ),
        ),
        Section(
            "professionals",
            "Professionals involved",
            (Answer("professionals", "Who else knows this child", prefill="professionals"),),
        ),
        Section(
            "level_of_need",
            "Level of need",
            (
                Answer(
                    "level_of_need",
                    "The level of need you see",
                    AnswerKind.CHOICE,
                    required=True,
                    options=LEVELS_OF_NEED,
                    help="As your partnership's threshold guidance describes it; the front "
                    "door decides.",
                ),
            ),
        ),
        Section(
            "reason",
            "Reason for referral",
            (
                Answer(
                    "reason",
                    "Why you are referring now",
                    required=True,
                    help="What has happened, what you saw and heard, and why it worries you. "
                    "Facts, their source, and the child's own words.",
                ),
            ),
        ),
        Section(
            "concerns",
            "The concerns",
            (
                Answer("concern_ids", "Concerns on the record", AnswerKind.CONCERNS, column=True),
                Answer(
                    "concerns",
                    "The concerns, and recent significant observations",
                    required=True,
                    prefill="concerns",
                ),
            ),
        ),
        Section(
            "child_views",
            "The child's views",
            (Answer("child_views", "What is known of the child's views", prefill="child_views"),),
        ),
        Section(
            "parent_views",
            "The parents' views",
            (Answer("parent_views", "What is known of the parents' or carers' views"),),
        ),
        Section(
            "strengths",
            "Strengths and protective factors",
            (Answer("strengths", "Strengths and protective factors"),),
        ),
        Section(
            "previous_interventions",
            "Previous interventions",
            (
                Answer(
                    "previous_interventions",
                    "Help given before, and what came of it",
                    prefill="previous_interventions",
                ),
            ),
        ),
        Section(
            "immediate_risk",
            "Immediate risk",
            (
                Answer(
                    "immediate_risk",
                    "Is the child at immediate risk of significant harm?",
                    AnswerKind.YES_NO,
                    required=True,
                    column=True,
                ),
                Answer("immediate_risk", "What the risk is, and what you have done"),
            ),
            warning=(
                When("immediate_risk", (True,)),
                "Phone the children's social care front door now — or the police on 999 if "
                "the child is in danger — before you finish this form. The written form "
                "follows the call.",
            ),
        ),
        Section(
            "consent",
            "Consent",
            (
                Answer(
                    "family_aware",
                    "Are the family aware of this referral?",
                    AnswerKind.YES_NO,
                    required=True,
                    column=True,
                ),
                Answer("consent", "Consent to the referral", AnswerKind.CONSENT, True, column=True),
                Answer(
                    "consent.given_by",
                    "Who gave consent",
                    AnswerKind.LINE,
                    required=True,
                    when=_GIVEN,
                    help="Name and relationship to the child, e.g. Anna Nowak (mother).",
                ),
                Answer(
                    "consent.covers",
                    "Whose information the consent covers",
                    AnswerKind.LINE,
                    required=True,
                    when=_GIVEN,
                    help="e.g. the mother and both children; not her partner.",
                ),
                Answer(
                    "reason_not_sought",
                    "Why consent was not sought, or why you are referring without it",
                    required=True,
                    when=_WITHOUT_CONSENT,
                    column=True,
                    help="For example: asking would put the child at risk, or the child is at "
                    "risk of significant harm.",
                ),
                Answer("consent", "Notes on consent"),
            ),
        ),
        Section(
            "safeguarding_lead",
            "Discussed with a safeguarding lead",
            (
                Answer(
                    "safeguarding_lead",
                    "Have you discussed this referral with a safeguarding lead?",
                    AnswerKind.CHOICE,
                    required=True,
                    options=YES_NO_OPTIONS,
                ),
                Answer(
                    "safeguarding_lead.who",
                    "Who (name and role)",
                    AnswerKind.LINE,
                    required=True,
                    when=_DISCUSSED,
                ),
                Answer(
                    "safeguarding_lead.when",
                    "When",
                    AnswerKind.DATE,
                    required=True,
                    when=_DISCUSSED,
                ),
            ),
        ),
        Section(
            "not_to_share",
            "Information not to be shared with the family",
            (
                Answer(
                    "not_to_share",
                    "Information that must not be shared with the family",
                    help="For example, who made the referral, or a new address.",
                ),
            ),
        ),
        Section(
            "outcome_sought",
            "What the referrer wants to happen",
            (Answer("outcome_sought", "The outcome you are asking for", required=True),),
        ),
    ),
    checks=(_consent_needs_awareness, _discussed_not_in_future),
)
