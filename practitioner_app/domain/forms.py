"""Structured forms — the multi-agency referral (MARF) and the early help assessment — as
definitions: sections, the answers each holds, which are required before the form can be final,
and which the record fills in. The screens, the PDFs, the CLI and the checks all read these, so a
third form is a new definition here and nothing else.

A form is stored as a referral record (`ReferralDetails`, with `form` naming the definition). A
text answer lives in `sections` under its key: the section's own key for its main text, or
`<section>.<answer>` for a further answer in that section. The structured answers (consent, family
aware, immediate risk, linked concerns) live in the referral's own columns, as in bundles.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.records import ReferralDetails

NO_INFORMATION = "No information available"


class AnswerKind(StrEnum):
    TEXT = "text"  # paragraphs
    LINE = "line"  # one line
    YES_NO = "yes_no"
    CONSENT = "consent"  # given / refused / not sought
    DATE = "date"  # an ISO date, e.g. the review date
    ACTIONS = "actions"  # the plan: one action per line, "action | who | by when"
    CONCERNS = "concerns"  # the concerns on the record that the form is about


# Answers kept in the referral's own columns rather than in its `sections`, as in bundles.
COLUMNS = frozenset(
    {"to_agency", "family_aware", "consent", "reason_not_sought", "immediate_risk", "concern_ids"}
)


@dataclass(frozen=True)
class When:
    """An answer that applies only when a column answer has one of these values."""

    column: str
    values: tuple[object, ...]

    def holds(self, details: ReferralDetails) -> bool:
        return getattr(details, self.column) in self.values


@dataclass(frozen=True)
class Answer:
    key: str
    label: str
    kind: AnswerKind = AnswerKind.TEXT
    required: bool = False
    prefill: str | None = None  # what the record supplies; see services/forms.PREFILL
    help: str = ""
    when: When | None = None
    # Kept in the referral's column of this key; otherwise in `sections[key]`. A section's yes/no
    # or consent answer is a column, and its notes are the section text under the same key.
    column: bool = False

    def __post_init__(self) -> None:
        if self.column and self.key not in COLUMNS:
            raise ValueError(f"{self.key} is not a referral column")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    answers: tuple[Answer, ...]
    help: str = ""
    # Said on screen (and printed) when the condition holds: "phone the front door first".
    warning: tuple[When, str] | None = None

    @property
    def required(self) -> bool:
        return any(a.required for a in self.answers)


@dataclass(frozen=True)
class FormDefinition:
    key: str
    title: str
    short_title: str
    sent_to_label: str  # how the form names its recipient: "Referred to", "Shared with"
    default_to: str
    what_is_shared: str  # the sharing log's "what"
    purpose: str  # the sharing log's "purpose"
    lawful_basis: str
    sections: tuple[Section, ...]
    # Checks across answers, run before finalising: each returns a sentence, or None.
    checks: tuple[Callable[[ReferralDetails], str | None], ...] = ()

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise InvalidInput(f"The {self.short_title} has no section '{key}'.")

    @property
    def answers(self) -> tuple[Answer, ...]:
        return tuple(a for s in self.sections for a in s.answers)

    @property
    def text_keys(self) -> tuple[str, ...]:
        """The keys of answers kept in `sections`: what can be amended as text."""
        return tuple(a.key for a in self.answers if not a.column)


def answer_value(details: ReferralDetails, answer: Answer) -> object:
    if answer.column:
        return getattr(details, answer.key)
    return details.sections.get(answer.key)


def answered(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, tuple | list):
        return bool(value)
    return True


def applies(answer: Answer, details: ReferralDetails) -> bool:
    return answer.when is None or answer.when.holds(details)


@dataclass(frozen=True)
class SectionProgress:
    key: str
    title: str
    required: bool
    missing: tuple[str, ...]  # labels of required answers not yet given
    filled: bool  # something is written or chosen

    @property
    def complete(self) -> bool:
        return not self.missing and (self.filled or not self.required)

    @property
    def state(self) -> str:
        """'complete', 'to do' (a required answer is missing) or 'empty' (optional, nothing yet:
        it will print "No information available")."""
        if self.missing:
            return "to do"
        return "complete" if self.filled else "empty"


def progress(definition: FormDefinition, details: ReferralDetails) -> tuple[SectionProgress, ...]:
    result = []
    for section in definition.sections:
        live = [a for a in section.answers if applies(a, details)]
        result.append(
            SectionProgress(
                key=section.key,
                title=section.title,
                required=section.required,
                missing=tuple(
                    a.label for a in live if a.required and not answered(answer_value(details, a))
                ),
                filled=any(answered(answer_value(details, a)) for a in live),
            )
        )
    return tuple(result)


@dataclass(frozen=True)
class Gap:
    section: str
    answer: str  # the answer's key, for the screen to jump to
    sentence: str


def gaps(definition: FormDefinition, details: ReferralDetails) -> list[Gap]:
    """What stops the form being final: each required answer not given, then each check."""
    found = []
    for section in definition.sections:
        for a in section.answers:
            if a.required and applies(a, details) and not answered(answer_value(details, a)):
                found.append(Gap(section.key, a.key, f"{section.title}: {a.label.rstrip('?')}"))
    for check in definition.checks:
        sentence = check(details)
        if sentence:
            found.append(Gap("", "", sentence))
    return found


def check_complete(definition: FormDefinition, details: ReferralDetails) -> None:
    """Raise one sentence naming everything still needed before the form can be final."""
    missing = gaps(definition, details)
    if not missing:
        return
    needed = [g.sentence for g in missing if g.section]
    checks = [g.sentence for g in missing if not g.section]
    parts = []
    if needed:
        parts.append(
            f"The {definition.short_title} cannot be final yet; complete: "
            + "; ".join(needed)
            + "."
        )
    parts += checks
    raise InvalidInput(" ".join(parts), missing[0].answer or "consent")


# -- the plan of an early help assessment ---------------------------------------------------------


@dataclass(frozen=True)
class PlannedAction:
    action: str
    who: str
    by_when: str


def parse_actions(text: str | None) -> list[PlannedAction]:
    """One action per line: "action | who | by when". A line without bars is an action alone."""
    rows = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("|")]
        action = cells[0]
        who = cells[1] if len(cells) > 1 else ""
        by_when = " | ".join(cells[2:]) if len(cells) > 2 else ""
        rows.append(PlannedAction(action, who, by_when))
    return rows


def format_actions(actions: list[PlannedAction]) -> str:
    def cell(value: str) -> str:
        return " ".join(value.replace("|", "/").split())

    return "\n".join(
        f"{cell(a.action)} | {cell(a.who)} | {cell(a.by_when)}"
        for a in actions
        if a.action.strip() or a.who.strip() or a.by_when.strip()
    )


def parse_date(text: str | None, field: str = "plan.review_date") -> date | None:
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"'{text.strip()}' is not a date; give it as year-month-day, e.g. 2026-03-14.",
            field,
        ) from None


# -- the multi-agency referral form --------------------------------------------------------------


def _consent_needs_awareness(details: ReferralDetails) -> str | None:
    if details.consent is Consent.GIVEN and details.family_aware is False:
        return (
            "Consent cannot have been given by a family who are not aware of the referral; "
            "check the answers under Consent."
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
            "professionals",
            "Professionals involved",
            (Answer("professionals", "Who else knows this child", prefill="professionals"),),
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
    checks=(_consent_needs_awareness,),
)

# -- the early help assessment -------------------------------------------------------------------


def _early_help_needs_consent(details: ReferralDetails) -> str | None:
    if details.consent is not None and details.consent is not Consent.GIVEN:
        return (
            "An early help assessment is made with the family's agreement; without their "
            "consent, record the decision in the sharing log and consider a referral instead."
        )
    return None


def _review_date_is_a_date(details: ReferralDetails) -> str | None:
    try:
        parse_date(details.sections.get("plan.review_date"))
    except InvalidInput as problem:
        return problem.message
    return None


EARLY_HELP = FormDefinition(
    key="early_help",
    title="Early help assessment",
    short_title="early help assessment",
    sent_to_label="Shared with",
    default_to="Early help team",
    what_is_shared="Early help assessment and plan",
    purpose="Early help: assessment and plan agreed with the family",
    lawful_basis="Consent of the family; Children Act 2004 s.10 (co-operation to improve well-being)",
    sections=(
        Section(
            "assessor",
            "Assessor",
            (
                Answer("assessor", "Who is assessing", required=True, prefill="referrer"),
                Answer("assessor.contact", "How to contact you", AnswerKind.LINE, required=True),
                Answer("to_agency", "Shared with", AnswerKind.LINE, required=True, column=True),
            ),
        ),
        Section(
            "child",
            "The child",
            (Answer("child", "The child's details", required=True, prefill="child"),),
        ),
        Section(
            "family",
            "The family",
            (
                Answer(
                    "family",
                    "Who is in the family and household, and who holds parental responsibility",
                    required=True,
                    prefill="household",
                ),
            ),
        ),
        Section(
            "professionals",
            "Professionals involved",
            (Answer("professionals", "Who else works with the family", prefill="professionals"),),
        ),
        Section(
            "reason",
            "Why an assessment now",
            (Answer("reason", "What prompted this assessment", required=True),),
        ),
        Section(
            "development",
            "The child's developmental needs",
            (
                Answer(
                    "development",
                    "Health, learning, emotional and behavioural development, identity, "
                    "relationships, presentation and self-care",
                    required=True,
                ),
            ),
        ),
        Section(
            "parenting",
            "Parenting capacity",
            (
                Answer(
                    "parenting",
                    "Basic care, safety, emotional warmth, stimulation, guidance and "
                    "boundaries, stability",
                    required=True,
                ),
            ),
        ),
        Section(
            "family_environment",
            "Family and environmental factors",
            (
                Answer(
                    "family_environment",
                    "Family history and functioning, wider family, housing, work and income, "
                    "community",
                    required=True,
                ),
            ),
        ),
        Section(
            "strengths",
            "Strengths",
            (Answer("strengths", "What is going well", required=True),),
        ),
        Section(
            "needs",
            "Needs",
            (Answer("needs", "What needs to change", required=True),),
        ),
        Section(
            "child_views",
            "The child's views",
            (Answer("child_views", "The child's views and wishes", prefill="child_views"),),
        ),
        Section(
            "family_views",
            "The family's views",
            (Answer("family_views", "The parents' and carers' views"),),
        ),
        Section(
            "plan",
            "The plan",
            (
                Answer(
                    "plan.actions",
                    "Actions, who will do them and by when",
                    AnswerKind.ACTIONS,
                    required=True,
                ),
                Answer("plan.review_date", "Review date", AnswerKind.DATE, required=True),
            ),
        ),
        Section(
            "consent",
            "Consent",
            (
                Answer(
                    "consent",
                    "The family agree to this assessment and to it being shared",
                    AnswerKind.CONSENT,
                    required=True,
                    column=True,
                ),
                Answer("consent", "Notes on consent"),
            ),
        ),
    ),
    checks=(_early_help_needs_consent, _review_date_is_a_date),
)


FORMS: dict[str, FormDefinition] = {form.key: form for form in (MARF, EARLY_HELP)}


def definition(key: str) -> FormDefinition:
    try:
        return FORMS[key]
    except KeyError:
        raise InvalidInput(
            f"There is no form called '{key}'; use one of: {', '.join(FORMS)}.", "form"
        ) from None
