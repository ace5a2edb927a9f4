"""Structured forms (the referral, the early help assessment), found by key: their one registry.

A definition names the sections, the answers each holds, which are required before the form can be
final, and which the record fills in; each form's lives in its own module (marf.py, early_help.py),
beside what reads them (model.py: completeness; plan.py: the plan's text). The screens, the PDFs,
the CLI and the checks all read these, so a third form is one new module here, added to FORMS.

A form is stored as a referral record (`ReferralDetails`, with `form` naming the definition). A
text answer lives in `sections` under its key: the section's own key for its main text, or
`<section>.<answer>` for a further answer in that section. The structured answers (consent, family
aware, immediate risk, linked concerns) live in the referral's own columns, as in bundles.
"""

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.forms.early_help import EARLY_HELP
from practitioner_app.domain.forms.marf import MARF
from practitioner_app.domain.forms.model import (
    COLUMNS,
    NO_INFORMATION,
    Answer,
    AnswerKind,
    FormDefinition,
    Gap,
    Section,
    SectionProgress,
    When,
    answer_value,
    answered,
    applies,
    check_choices_and_dates,
    check_complete,
    gaps,
    progress,
)
from practitioner_app.domain.forms.plan import (
    PlannedAction,
    format_actions,
    parse_actions,
    parse_date,
)

__all__ = [
    "COLUMNS",
    "EARLY_HELP",
    "FORMS",
    "MARF",
    "NO_INFORMATION",
    "Answer",
    "AnswerKind",
    "FormDefinition",
    "Gap",
    "PlannedAction",
    "Section",
    "SectionProgress",
    "When",
    "answer_value",
    "answered",
    "applies",
    "check_choices_and_dates",
    "check_complete",
    "definition",
    "format_actions",
    "gaps",
    "parse_actions",
    "parse_date",
    "progress",
]

FORMS: dict[str, FormDefinition] = {form.key: form for form in (MARF, EARLY_HELP)}


def definition(key: str) -> FormDefinition:
    try:
        return FORMS[key]
    except KeyError:
        raise InvalidInput(
            f"There is no form called '{key}'; use one of: {', '.join(FORMS)}.", "form"
        ) from None
