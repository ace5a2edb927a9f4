"""The options every PDF-writing command shares to say whether the PDF is going to someone, and
on what terms (issue 17): without --shared-with the PDF is kept for oneself and no share is
logged; with it, purpose, lawful basis and consent must be given too — none has a default."""

from collections.abc import Callable
from typing import Any, TypeVar

import click

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.errors import Problem
from practitioner_app.domain.sharing import Recipient

F = TypeVar("F", bound=Callable[..., Any])

# The dialog's field names as this command's options, so a refusal names what to add.
OPTION_OF_FIELD = {
    "with_whom": "--shared-with",
    "purpose": "--purpose",
    "lawful_basis": "--lawful-basis",
    "consent": "--consent",
    "reason": "--consent-reason",
}


def recipient_options(*names: str) -> Callable[[F], F]:
    """Decorate a command with --shared-with (also spelled `names`), --purpose, --lawful-basis,
    --consent and --consent-reason."""

    def decorate(command: F) -> F:
        for option in reversed(
            [
                click.option(
                    *names,
                    "--shared-with",
                    "shared_with",
                    help="Who the PDF is going to; logs a share in the sharing log. "
                    "Leave out for a copy you keep yourself (not a share).",
                ),
                click.option("--purpose", help="With --shared-with: why it is being shared."),
                click.option(
                    "--lawful-basis",
                    help="With --shared-with: the lawful basis for sharing, in your words.",
                ),
                click.option(
                    "--consent",
                    type=click.Choice([c.value for c in Consent]),
                    help="With --shared-with: whether the family consented.",
                ),
                click.option(
                    "--consent-reason",
                    help="With --consent refused or not_sought: why it is shared all the same.",
                ),
            ]
        ):
            command = option(command)
        return command

    return decorate


def recipient_from(
    shared_with: str | None,
    purpose: str | None,
    lawful_basis: str | None,
    consent: str | None,
    consent_reason: str | None,
) -> Recipient | None:
    """The Recipient the options describe, None for a PDF kept for oneself; a Problem naming the
    option when something is missing or given without --shared-with."""
    if shared_with is None:
        given = [
            name
            for name, value in (
                ("--purpose", purpose),
                ("--lawful-basis", lawful_basis),
                ("--consent", consent),
                ("--consent-reason", consent_reason),
            )
            if value is not None
        ]
        if given:
            raise Problem(
                f"{given[0]} describes a share; add --shared-with WHO, or leave it out for a "
                "copy you keep yourself."
            )
        return None
    recipient = Recipient(
        with_whom=shared_with,
        purpose=purpose or "",
        lawful_basis=lawful_basis or "",
        consent=Consent(consent) if consent else None,
        reason=consent_reason,
    )
    try:
        recipient.validate()
    except Problem as problem:
        option = OPTION_OF_FIELD.get(getattr(problem, "field", None) or "", "")
        raise Problem(f"{problem.message} ({option})" if option else problem.message) from None
    return recipient
