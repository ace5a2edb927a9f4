"""The early help assessment: its sections, its answers, its plan and its checks."""

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.forms.model import Answer, AnswerKind, FormDefinition, Section
from practitioner_app.domain.forms.plan import parse_date
from practitioner_app.domain.records import ReferralDetails


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
