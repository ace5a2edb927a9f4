"""Problems a practitioner can act on, as opposed to bugs, which must crash loudly."""


class Problem(Exception):
    """A user-facing problem: one plain sentence saying what is wrong and what to do next.

    Everything raised as a Problem is shown to the user as-is, so the message must never contain
    record text, passphrases or keys.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class PassphraseNotAccepted(Problem):
    """The passphrase (or recovery key) does not unlock this vault."""


class FinalEntryIsReadOnly(Problem):
    """Someone tried to change or delete a final entry instead of amending it."""


class InvalidInput(Problem):
    """A value the practitioner typed or a file supplied does not meet the rules.

    `field` names the offending field (as in the details dataclass) when there is one, so a form
    can show the message beside it.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ImplausibleMeasurement(Problem):
    """A growth measurement that is possible but unlikely for the child's age (SDS beyond ±8, or a
    value that looks typed in pounds). Not refused: the practitioner is asked, and saves again
    with the confirmation (`confirm_implausible=True`, `--confirm-implausible`) if it is right.
    `finding` says what is unlikely and what the value may be instead; the message adds the
    question a form asks."""

    def __init__(self, finding: str, field: str | None = None) -> None:
        super().__init__(f"{finding} Save it as typed?")
        self.finding = finding
        self.field = field
