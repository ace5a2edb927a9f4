"""Who an exported document goes to, and on what terms, exactly as the practitioner chose them
(issue 17): a PDF kept for oneself is not a share; a PDF going to someone is logged with the
recipient, purpose, lawful basis and consent typed for it — nothing is assumed or pre-filled.

Source of the rule: DOMAIN.md, "Every decision to share information ... is recorded: what, with
whom, why, on what basis, with or without consent" (the seventh golden rule of information
sharing, HM Government, Information sharing advice for safeguarding practitioners, 2024).
"""

from dataclasses import dataclass
from datetime import datetime

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.records import SharingDetails


@dataclass(frozen=True)
class Recipient:
    """A document going to someone. Every text is the practitioner's own; `reason` is needed
    when consent was refused or not sought (why it is shared all the same)."""

    with_whom: str
    purpose: str
    lawful_basis: str
    consent: Consent | None
    reason: str | None = None

    def validate(self) -> None:
        """Raises InvalidInput naming the first missing choice (field names as the dialogs and
        the CLI options call them)."""
        for value, sentence, field in (
            (
                self.with_whom,
                "Say who the PDF is going to: the sharing log records it.",
                "with_whom",
            ),
            (
                self.purpose,
                "Say why it is being shared: the sharing log records the purpose.",
                "purpose",
            ),
            (
                self.lawful_basis,
                "Give the lawful basis for sharing it, in your own words (for example the "
                "UK GDPR article and the duty you share under).",
                "lawful_basis",
            ),
        ):
            if not value or not value.strip():
                raise InvalidInput(sentence, field)
        if self.consent is None:
            raise InvalidInput(
                "Say whether the family consented: given, refused, or not sought.", "consent"
            )
        if self.consent is not Consent.GIVEN and not (self.reason and self.reason.strip()):
            raise InvalidInput(
                "Consent was refused or not sought: say why you are sharing all the same.",
                "reason",
            )

    def share(
        self,
        child_ids: tuple[str, ...],
        what: str,
        occurred_at: datetime,
        form: "FormCopy | None" = None,
    ) -> SharingDetails:
        """The sharing log entry for `what` going to this recipient now; `form` when what went is
        a copy of a form (so the form can say who each copy went to)."""
        self.validate()
        assert self.consent is not None  # validate() refuses None
        return SharingDetails(
            child_ids=child_ids,
            occurred_at=occurred_at,
            shared=True,
            with_whom=self.with_whom.strip(),
            what=what,
            purpose=self.purpose.strip(),
            consent=self.consent,
            lawful_basis=self.lawful_basis.strip(),
            reason=(self.reason or "").strip() or None,
            referral_id=form.referral_id if form else None,
            form_final=form.final if form else None,
        )


@dataclass(frozen=True)
class FormCopy:
    """Which form a shared PDF was a copy of, and whether that copy was its final version."""

    referral_id: str
    final: bool


def version_of(final: bool) -> str:
    """How the sharing log names which version of a form went: 'final' or 'DRAFT'."""
    return "final version" if final else "DRAFT version"
