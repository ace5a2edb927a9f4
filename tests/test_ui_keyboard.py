"""Issue 17, item 6: keyboard-complete. Every dialog is walked and fails on a mnemonic (Alt+letter)
used twice, which Qt resolves by cycling between the two, so the key no longer does what its
label says. Real dialogs on a real vault."""

import re
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QDialog, QGroupBox, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from practitioner_app.domain import forms as definitions
from practitioner_app.services import forms, people, records
from practitioner_app.ui.case.alert_review import AlertReviewDialog
from practitioner_app.ui.case.amend import AmendDialog
from practitioner_app.ui.case.export_dialog import ExportDialog, ExportSettings
from practitioner_app.ui.case.form_export import FormExportDialog, FormToExport
from practitioner_app.ui.forms.concern import ConcernForm
from practitioner_app.ui.forms.event import ChronologyEventForm
from practitioner_app.ui.forms.observation import ObservationForm
from practitioner_app.ui.forms.people import ChildForm, HouseholdMemberForm, ProfessionalForm
from practitioner_app.ui.forms.sharing import SharingDialog
from practitioner_app.ui.forms.structured import StructuredForm
from practitioner_app.ui.forms.visit import VisitForm
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.session import VaultSession
from practitioner_app.ui.vault_menu import ChangePassphraseDialog
from tests.conftest import child_details, visit_details
from tests.test_alert_referral import baby_with_bruise
from tests.test_ui_enter import run
from tests.ui_helpers import unlock_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def mnemonics(dialog: QWidget) -> list[tuple[str, str]]:
    """(key, label) for every Alt+key the dialog shows: buttons, tick boxes, group boxes and the
    captions of fields."""
    keys = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            text = widget.text()
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            text = widget.title()
        else:
            continue
        key = mnemonic(text)
        if key:
            keys.append((key, text))
    return keys


def assert_no_duplicates(dialog: QWidget) -> None:
    keys = mnemonics(dialog)
    counts = Counter(key for key, _ in keys)
    clashes = sorted((key, text) for key, text in keys if counts[key] > 1)
    assert clashes == [], f"{dialog.windowTitle()}: Alt+ keys used twice: {clashes}"


def final_visit(child_id: str) -> Callable[[Any], Any]:
    def make(ws: Any) -> Any:
        visit = records.create_entry(ws, visit_details(child_id))
        records.finalise_together(ws, [("visit", visit.id)])
        return records.get_entry(ws, "visit", visit.id)

    return make


def structured_form(key: str, qtbot: QtBot, session: VaultSession, child: str) -> QDialog:
    return StructuredForm(session, run(qtbot, session, forms.start, child, key))


def form_export(key: str, qtbot: QtBot, session: VaultSession, child: str) -> QDialog:
    view = run(qtbot, session, forms.start, child, key)
    return FormExportDialog(session, FormToExport.of_view(view))


DIALOGS: dict[str, Callable[[QtBot, VaultSession, str], QDialog]] = {
    "visit": lambda q, s, c: VisitForm(s, c),
    "observation": lambda q, s, c: ObservationForm(s, c),
    "concern": lambda q, s, c: ConcernForm(s, c),
    "chronology event": lambda q, s, c: ChronologyEventForm(s, c),
    "share": lambda q, s, c: SharingDialog(s, c, shared=True),
    "decision not to share": lambda q, s, c: SharingDialog(s, c, shared=False),
    "child": lambda q, s, c: ChildForm(s),
    "household member": lambda q, s, c: HouseholdMemberForm(s, c),
    "professional": lambda q, s, c: ProfessionalForm(s, c),
    "chronology export": lambda q, s, c: ExportDialog(s, c, "Maya Okafor", ExportSettings()),
    "change passphrase": lambda q, s, c: ChangePassphraseDialog(s),
    "amend": lambda q, s, c: AmendDialog(s, run(q, s, final_visit(c))),
    **{f"{key} form": partial(structured_form, key) for key in definitions.FORMS},
    **{f"{key} export": partial(form_export, key) for key in definitions.FORMS},
}


@pytest.mark.parametrize("name", list(DIALOGS))
def test_no_dialog_uses_an_alt_key_twice(
    qtbot: QtBot, vault_session: VaultSession, name: str
) -> None:
    child = run(qtbot, vault_session, people.add_child, child_details()).id
    dialog = DIALOGS[name](qtbot, vault_session, child)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert mnemonics(dialog), "a dialog with no Alt+ keys at all is not keyboard-complete"
    assert_no_duplicates(dialog)


def test_the_alert_review_dialog_uses_each_alt_key_once(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    from practitioner_app.services import alerts

    child, _ = run(qtbot, vault_session, baby_with_bruise)
    found = run(qtbot, vault_session, alerts.explain, child)
    dialog = AlertReviewDialog(vault_session, child, found)
    qtbot.addWidget(dialog)
    dialog.show()
    assert_no_duplicates(dialog)


def test_every_menu_uses_each_alt_key_once(qtbot: QtBot, window: MainWindow) -> None:
    unlock_window(qtbot, window)
    bar = window.menuBar()
    titles = [mnemonic(a.text()) for a in bar.actions()]
    assert len(titles) == len(set(titles)), titles
    for action in bar.actions():
        menu = action.menu()
        assert isinstance(menu, QMenu)
        keys = [mnemonic(a.text()) for a in menu.actions() if not a.isSeparator()]
        keys = [k for k in keys if k]
        assert len(keys) == len(set(keys)), f"{action.text()}: {sorted(keys)}"
