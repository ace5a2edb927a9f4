"""The part of every PDF export that asks whether the PDF is going to someone (issue 17). Nothing
is chosen or filled in to begin with: a PDF kept for oneself is not a share; a PDF going to
someone is logged with the recipient, purpose, lawful basis and consent typed here."""

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from practitioner_app.domain.enums import Consent
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.sharing import Recipient
from practitioner_app.ui.forms.structured_answers import CONSENT_LABELS
from practitioner_app.ui.layout import FormLayout
from practitioner_app.ui.widgets import Choice

NOT_ANSWERED = "Say whether this PDF is going to someone (logged as a share) or kept for yourself."


class RecipientFields:
    """The going-to-someone question and its fields, added to a dialog's form layout."""

    def __init__(self, form: FormLayout, parent: QWidget) -> None:
        self.keep = QRadioButton("&Keep it for myself (not a share)", parent)
        self.keep.setAccessibleName("Keep it for myself")
        self.send = QRadioButton("Going to &someone (logged in the sharing log)", parent)
        self.send.setAccessibleName("Going to someone")
        self.group = QButtonGroup(parent)
        for button in (self.keep, self.send):
            self.group.addButton(button)
        self.with_whom = QLineEdit(parent)
        self.with_whom.setAccessibleName("Going to whom")
        self.with_whom.setPlaceholderText("Name, role and agency")
        self.purpose = QLineEdit(parent)
        self.purpose.setAccessibleName("Purpose")
        self.purpose.setPlaceholderText("Why it is being shared")
        self.lawful_basis = QLineEdit(parent)
        self.lawful_basis.setAccessibleName("Lawful basis")
        self.lawful_basis.setPlaceholderText(
            "In your words: the article and the duty you share under"
        )
        self.consent = Choice(Consent, "Consent", empty="Choose…", labels=CONSENT_LABELS)
        self.reason = QLineEdit(parent)
        self.reason.setAccessibleName("Why shared without consent")
        self.reason.setPlaceholderText("Needed when consent was refused or not sought")

        choice = QWidget(parent)
        choice.setAccessibleName("Is it going to someone?")
        rows = QVBoxLayout(choice)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addWidget(self.keep)
        rows.addWidget(self.send)
        form.add("Is it going to someone?", choice, "going")
        form.add("Going to w&hom:", self.with_whom, "with_whom")
        form.add("Pu&rpose:", self.purpose, "purpose")
        form.add("&Lawful basis:", self.lawful_basis, "lawful_basis")
        form.add("Co&nsent:", self.consent, "consent")
        form.add("Why shared witho&ut consent:", self.reason, "reason")
        self.send.toggled.connect(lambda _: self.set_enabled(True))
        self.set_enabled(True)

    def fields(self) -> list[QWidget]:
        return [self.with_whom, self.purpose, self.lawful_basis, self.consent, self.reason]

    def set_enabled(self, enabled: bool) -> None:
        """Enable the question (and the share's fields only when it is going to someone)."""
        self.keep.setEnabled(enabled)
        self.send.setEnabled(enabled)
        for widget in self.fields():
            widget.setEnabled(enabled and self.send.isChecked())

    def recipient(self) -> Recipient | None:
        """None for a PDF kept for oneself; raises InvalidInput naming the field to answer."""
        if not (self.keep.isChecked() or self.send.isChecked()):
            raise InvalidInput(NOT_ANSWERED, "going")
        if self.keep.isChecked():
            return None
        recipient = Recipient(
            with_whom=self.with_whom.text(),
            purpose=self.purpose.text(),
            lawful_basis=self.lawful_basis.text(),
            consent=self.consent.value(),
            reason=self.reason.text() or None,
        )
        recipient.validate()
        return recipient
