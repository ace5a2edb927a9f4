"""What a structured form is made of (sections, answers, when they apply) and how complete it is."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.forms.plan import parse_date
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
    CHOICE = "choice"  # one of the answer's `options`, kept by its key


# Answers kept in the referral's own columns rather than in its `sections`, as in bundles.
COLUMNS = frozenset(
    {"to_agency", "family_aware", "consent", "reason_not_sought", "immediate_risk", "concern_ids"}
)


@dataclass(frozen=True)
class When:
    """An answer that applies only when another answer has one of these values: a column
    answer (consent), or a choice kept in `sections` (discussed with a safeguarding lead)."""

    column: str
    values: tuple[object, ...]

    def holds(self, details: ReferralDetails) -> bool:
        if self.column in COLUMNS:
            return getattr(details, self.column) in self.values
        return details.sections.get(self.column) in self.values


@dataclass(frozen=True)
class Answer:
    key: str
    label: str
    kind: AnswerKind = AnswerKind.TEXT
    required: bool = False
    prefill: str | None = None  # what the record supplies; see services/form_prefill.PREFILL
    help: str = ""
    when: When | None = None
    # Kept in the referral's column of this key; otherwise in `sections[key]`. A section's yes/no
    # or consent answer is a column, and its notes are the section text under the same key.
    column: bool = False
    # A CHOICE answer's options as (key kept in `sections`, words shown and printed).
    options: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.column and self.key not in COLUMNS:
            raise ValueError(f"{self.key} is not a referral column")
        if (self.kind is AnswerKind.CHOICE) != bool(self.options):
            raise ValueError(f"{self.key}: a choice, and only a choice, has options")

    def option_label(self, value: object) -> str:
        """The words for a chosen option; a value that is not an option (from an older or
        another partnership's form) is shown as it is, never dropped."""
        return dict(self.options).get(str(value), str(value))


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


def check_choices_and_dates(definition: FormDefinition, details: ReferralDetails) -> None:
    """InvalidInput naming the answer if a choice holds a value that is not one of its options,
    or a date answer is not a date (year-month-day)."""
    for answer in definition.answers:
        if answer.column:
            continue
        value = details.sections.get(answer.key)
        if not answered(value):
            continue
        if answer.kind is AnswerKind.CHOICE and value not in dict(answer.options):
            raise InvalidInput(
                f"{answer.label.rstrip('?')}: {str(value)[:40]!r} is not one of the choices "
                f"({', '.join(label for _, label in answer.options)}); choose one.",
                answer.key,
            )
        if answer.kind is AnswerKind.DATE:
            parse_date(str(value), answer.key)


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
