"""The Growth tab as a health visitor meets it: a weight recorded in the observation form appears
on the chart; each point reads out by keyboard and pointer; a weight in pounds is asked about; a
child without a recorded sex gets a sentence and no chart; gestation typed as the red book does."""

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from practitioner_app.domain.enums import ObservationCategory, Sex
from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.domain.records import ChildDetails
from practitioner_app.services import growth, people
from practitioner_app.services.workspace import Workspace
from practitioner_app.ui.case.workspace import TABS, CaseWorkspace
from practitioner_app.ui.forms.observation import ObservationForm
from practitioner_app.ui.forms.people import ChildForm
from practitioner_app.ui.session import VaultSession
from tests.conftest import child_details
from tests.ui_helpers import wait_idle

BORN = date(2025, 3, 14)


def run(qtbot: QtBot, session: VaultSession, service: Callable[..., Any], *args: Any) -> Any:
    results: list[Any] = []
    problems: list[Problem] = []
    session.call(service, *args, done=results.append, failed=problems.append)
    wait_idle(qtbot, session)
    if problems:
        raise problems[0]
    return results[0]


def add_child(ws: Workspace, details: ChildDetails) -> str:
    return people.add_child(ws, details).id


def open_growth(qtbot: QtBot, session: VaultSession, child_id: str) -> CaseWorkspace:
    workspace = CaseWorkspace(session)
    qtbot.addWidget(workspace)
    workspace.resize(1100, 800)
    workspace.show()
    workspace.show_child(child_id, tab=TABS.index("Growth"))
    wait_idle(qtbot, session)
    return workspace


def record_weight(
    qtbot: QtBot, session: VaultSession, workspace: CaseWorkspace, kg: str, on: date
) -> ObservationForm:
    workspace.growth.record_button.click()
    form = next(d for d in workspace.dialogs if isinstance(d, ObservationForm))
    assert form.category.value() == ObservationCategory.GROWTH
    form.date.set_date(on)
    form.text.setPlainText("Weighed at clinic, undressed.")
    form.weight.setText(kg)
    return form


def test_a_weight_recorded_in_the_window_is_on_the_chart_and_reads_out(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = run(qtbot, vault_session, add_child, child_details(sex=Sex.MALE, gestation_weeks=40))
    workspace = open_growth(qtbot, vault_session, child_id)
    tab = workspace.growth
    assert "No growth measurements recorded yet" in tab.status.text()
    form = record_weight(qtbot, vault_session, workspace, "9.6", date(2026, 3, 14))
    form.save_draft()
    wait_idle(qtbot, vault_session)
    wait_idle(qtbot, vault_session)
    assert tab.report is not None
    assert len(tab.report.points) == 1
    assert tab.chart.chart is not None
    assert len(tab.chart.chart.marks) == 1
    assert "9.60 kg" in tab.readout.text()
    assert "centile" in tab.readout.text()
    assert tab.points.count() == 1
    # The pointer over the dot reads it out too.
    where = tab.chart.mark_position(0)
    qtbot.mouseMove(tab.chart, QPoint(round(where.x()), round(where.y())))
    assert tab.chart.selected == 0
    assert tab.chart.accessibleDescription() == tab.readout.text()
    form.reject()


def test_keyboard_moves_from_point_to_point(qtbot: QtBot, vault_session: VaultSession) -> None:
    child_id = run(qtbot, vault_session, add_child, child_details(sex=Sex.FEMALE))
    from practitioner_app.services import records
    from tests.test_growth_records import weighed

    for days, kg in ((0, 3.3), (60, 5.1), (120, 6.4)):
        run(
            qtbot,
            vault_session,
            records.create_entry,
            weighed(child_id, BORN + timedelta(days=days), weight_kg=kg),
        )
    workspace = open_growth(qtbot, vault_session, child_id)
    chart = workspace.growth.chart
    chart.setFocus()
    assert chart.selected == 2  # the latest first
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.selected == 1
    assert "5.10 kg" in workspace.growth.readout.text()
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert chart.selected == 0
    assert "0 days" in workspace.growth.readout.text()
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.selected == 0
    workspace.growth.points.setCurrentRow(2)
    assert chart.selected == 2


def test_a_weight_in_pounds_is_asked_about_and_no_keeps_it_unsaved(
    qtbot: QtBot, vault_session: VaultSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    child_id = run(qtbot, vault_session, add_child, child_details(sex=Sex.MALE))
    workspace = open_growth(qtbot, vault_session, child_id)
    form = record_weight(qtbot, vault_session, workspace, "21.2", date(2026, 3, 14))
    asked: list[str] = []

    def answer(yes: bool) -> Callable[[str], bool]:
        def ask(question: str) -> bool:
            asked.append(question)
            return yes

        return ask

    monkeypatch.setattr(form, "ask", answer(False))
    form.save_draft()
    wait_idle(qtbot, vault_session)
    assert len(asked) == 1
    assert "21.2 lb, that is 9.62 kg" in asked[0]
    assert form.entry_id is None
    assert run(qtbot, vault_session, growth.report, child_id).points == ()
    monkeypatch.setattr(form, "ask", answer(True))
    form.save_draft()
    wait_idle(qtbot, vault_session)
    wait_idle(qtbot, vault_session)
    assert form.entry_id is not None
    assert [p.value for p in run(qtbot, vault_session, growth.report, child_id).points] == [21.2]
    form.reject()


def test_a_child_with_no_sex_gets_a_sentence_and_no_chart(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    child_id = run(qtbot, vault_session, add_child, child_details(sex=Sex.UNKNOWN))
    workspace = open_growth(qtbot, vault_session, child_id)
    tab = workspace.growth
    assert tab.notice.isVisible()
    assert "needs the child's sex" in tab.notice.text()
    assert tab.chart.chart is not None
    assert tab.chart.chart.lines == ()
    assert "needs the child's sex" in tab.chart.readout()
    assert tab.points.count() == 0  # nothing measured yet; a measurement would be listed
    assert tab.readout.text() == ""  # said above the chart and in it, not a third time


def test_gestation_is_typed_weeks_plus_days_and_wrong_forms_are_refused(
    qtbot: QtBot, vault_session: VaultSession
) -> None:
    form = ChildForm(vault_session)
    qtbot.addWidget(form)
    form.given_name.setText("Ada")
    form.family_name.setText("Lovelace")
    form.date_of_birth.set_date(BORN)
    form.gestation.setText("32+3")
    details = form.details()
    assert (details.gestation_weeks, details.gestation_days) == (32, 3)
    form.gestation.setText("40")
    assert form.details().gestation_days == 0
    for wrong, says in (("32w3d", "not weeks+days"), ("50+0", "outside 22–44"), ("32+9", "0–6")):
        form.gestation.setText(wrong)
        with pytest.raises(InvalidInput, match=re.escape(says)):
            form.details()


def test_the_pdf_button_writes_the_growth_pdf(
    qtbot: QtBot, vault_session: VaultSession, tmp_path: Path
) -> None:
    child_id = run(qtbot, vault_session, add_child, child_details(sex=Sex.FEMALE))
    from practitioner_app.services import records
    from tests.test_growth_records import weighed

    run(
        qtbot,
        vault_session,
        records.create_entry,
        weighed(child_id, date(2026, 3, 14), weight_kg=8.9),
    )
    workspace = open_growth(qtbot, vault_session, child_id)
    dialog = workspace.growth.export_pdf()
    assert dialog is not None
    dialog.choose_path = lambda _suggested: tmp_path / "growth.pdf"
    dialog.recipient.keep.setChecked(True)  # kept for oneself: no share logged
    assert dialog.export()
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=60_000)
    wait_idle(qtbot, vault_session)
    assert "Saved" in dialog.status.text()
    dialog.close()
    text = PdfReader(tmp_path / "growth.pdf").pages[0].extract_text()
    assert "Weight — UK-WHO, girl" in text
    assert "8.90 kg" in "".join(p.extract_text() for p in PdfReader(tmp_path / "growth.pdf").pages)
