"""Vault → Check the vault…: `verify` from the desktop app (issue 16). The check runs on the
worker (it reads every page and every record, seconds on a large vault), and its answer is shown in
plain words: that all is well and what was checked, or each problem in its own sentence, with what
to do next.
"""

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from practitioner_app.services.views import VerifyReport
    from practitioner_app.services.workspace import Workspace

CHECKING = "Checking the vault: every page, the audit trail and every record…"

_WHAT_WAS_CHECKED = (
    "The database file is sound, the audit trail is unbroken ({events:,} events), and every "
    "final entry, amendment, status change, person and choice matches its seal and its audit "
    "event. The audit head kept beside the key file is in the trail."
)
_WHAT_TO_DO = (
    "Nothing has been changed or repaired. Keep this vault as it is, as evidence, and tell "
    "whoever looks after your records; a backup made before the first problem can be restored "
    "from the Vault menu (Restore…)."
)
_DAMAGED = (
    "The vault's database file is damaged, so its records could not be checked. Restore the last "
    "good backup from the Vault menu (Restore…); the damaged vault is kept in its backups folder."
)


def check(ws: "Workspace") -> "VerifyReport":
    """The worker's half: services/integrity.verify on the open vault."""
    from practitioner_app.services import integrity

    return integrity.verify(ws)


def in_words(report: "VerifyReport") -> tuple[bool, str, list[str]]:
    """(all well, the headline, one sentence per problem) for `report`, in the words the CLI's
    `verify` uses, without its labels."""
    if report.database_problems:
        return False, _DAMAGED, [f"Damaged: {line}" for line in report.database_problems]
    problems = []
    if report.first_broken_seq is not None:
        problems.append(
            f"The audit trail is broken at event {report.first_broken_seq}: that event or one "
            "before it was changed, removed or put out of order."
        )
    problems += list(report.findings)
    if not problems and report.altered_entries:
        problems += [f"The {entry} has been altered." for entry in report.altered_entries]
    if not problems:
        return True, _WHAT_WAS_CHECKED.format(events=report.audit_events), []
    count = len(problems)
    headline = (
        f"The check found {'a problem' if count == 1 else f'{count:,} problems'}: the vault has "
        f"been changed outside this app. {_WHAT_TO_DO}"
    )
    return False, headline, problems


class VaultCheckDialog(QDialog):
    """The check's answer: a headline and, when something is wrong, each finding on its own
    numbered line (selectable, so it can be copied into an incident report)."""

    def __init__(self, report: "VerifyReport", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.all_well, headline, self.problems = in_words(report)
        title = "The vault checks out" if self.all_well else "The vault has problems"
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.headline = QLabel(headline)
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        self.findings = QPlainTextEdit()
        self.findings.setReadOnly(True)
        self.findings.setAccessibleName("Problems found")
        self.findings.setPlainText(
            "\n\n".join(f"{n}. {sentence}" for n, sentence in enumerate(self.problems, 1))
        )
        self.findings.setVisible(bool(self.problems))
        layout.addWidget(self.findings)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420 if self.problems else 180)
