"""The window stays responsive with a large caseload (issue 19): the tables filter and sort in
Python over the whole list at once, so Qt never calls into Python once per row or per comparison,
and the work pages are built while the practitioner types the passphrase. Counted, never timed."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from practitioner_app.domain.chronology import ChronologyRow
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.services.casework import CaseloadRow
from practitioner_app.ui.case.chronology_filters import ChronologyFilters
from practitioner_app.ui.caseload import CaseloadPage
from practitioner_app.ui.caseload_models import CaseloadModel
from practitioner_app.ui.main_window import MainWindow
from practitioner_app.ui.session import VaultSession
from tests.ui_helpers import open_window, unlock_window, wait_idle

CHILDREN = 3000


def _child(number: int) -> CaseloadRow:
    # Names out of order, so sorting by name has work to do.
    scrambled = (number * 7919) % CHILDREN
    return CaseloadRow(
        id=f"child-{number}",
        name=f"Child {scrambled:05d} Example",
        date_of_birth=date(2020, 1, 1) + timedelta(days=scrambled % 1500),
        expected_date=None,
        age="",
        nhs_number=f"999{number:07d}",
        open_concerns=number % 3,
        highest_open_level=None,
        lead_professional=None,
        last_seen=None,
        drafts=0,
    )


class CountingCaseload(CaseloadModel):
    """The caseload model, counting every question the view asks it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: Counter[str] = Counter()

    def data(self, index: QModelIndex | QPersistentModelIndex, /, role: int = 0) -> Any:
        self.asked["data"] += 1
        return super().data(index, role)


@pytest.fixture
def page(qtbot: QtBot, vault_session: VaultSession) -> CaseloadPage:
    page = CaseloadPage(vault_session)
    page.model = CountingCaseload()
    page.proxy.setSourceModel(page.model)
    page.table.sortByColumn(CaseloadModel.NAME, Qt.SortOrder.AscendingOrder)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def _shown(page: CaseloadPage) -> list[str]:
    return [page.proxy.index(r, CaseloadModel.NAME).data() for r in range(page.proxy.rowCount())]


def test_filling_sorting_and_filtering_a_big_caseload_asks_only_for_the_cells_on_screen(
    page: CaseloadPage,
) -> None:
    """With a sorting proxy, 3,000 children cost some 70,000 calls into Python per fill (two sort
    values at each comparison); now the view asks only for the cells it paints and measures."""
    on_screen_limit = 60 * len(CaseloadModel.HEADERS) * 12  # rows × columns × roles, generously
    model = page.model
    assert isinstance(model, CountingCaseload)

    model.set_rows(_child(n) for n in range(CHILDREN))
    QApplication.processEvents()
    names = _shown(page)
    assert names == sorted(names)
    assert len(names) == CHILDREN
    model.asked.clear()
    model.set_rows(_child(n) for n in range(CHILDREN))
    QApplication.processEvents()
    assert model.asked["data"] < on_screen_limit

    model.asked.clear()
    page.table.sortByColumn(CaseloadModel.NAME, Qt.SortOrder.DescendingOrder)
    QApplication.processEvents()
    assert model.asked["data"] < on_screen_limit
    names = _shown(page)
    assert names == sorted(names, reverse=True)

    page.filter.setText("child 01234")
    children = [_child(n) for n in range(CHILDREN)]
    wanted = [c.name for c in children if "01234" in c.name or "01234" in (c.nhs_number or "")]
    assert len(wanted) == 2  # one by name, one by NHS number
    assert _shown(page) == sorted(wanted, reverse=True)
    assert page.count.text() == f"2 of {CHILDREN} children shown"
    page.clear()


def test_the_selected_child_stays_selected_when_the_caseload_is_sorted_again(
    page: CaseloadPage,
) -> None:
    page.model.set_rows(_child(n) for n in range(50))
    page.table.selectRow(3)
    chosen = page.table.selectionModel().selectedRows()[0].data()
    page.table.sortByColumn(CaseloadModel.BORN, Qt.SortOrder.DescendingOrder)
    [selected] = page.table.selectionModel().selectedRows()
    assert selected.data() == chosen
    assert selected.row() != 3  # it moved, and the selection moved with it
    page.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # no column: the order given
    assert [row.id for row in page.model.rows()] == [
        page.model.row_at(r).id for r in range(page.model.rowCount())
    ]


def _chronology_row(day: int, significance: str) -> ChronologyRow:
    when = datetime(2026, 1, 1, 9, 0, tzinfo=UTC) + timedelta(days=day)
    return ChronologyRow(
        date=when.date(),
        time=None,
        date_uncertain=False,
        age="1y",
        event=f"Event {day}",
        source="Health visiting",
        source_kind=None,
        significance=significance,
        impact=None,
        action=None,
        record_kind=RecordKind.OBSERVATION,
        record_id=f"entry-{day}",
        status=EntryStatus.FINAL,
        recorded_by="A Practitioner",
        recorded_at=when,
        recorded_at_known=True,
        imported=None,
        late=False,
        amended=False,
        significant=significance == "high",
        sort_key=when,
    )


def test_the_chronology_filter_counts_what_is_shown_of_the_whole(qtbot: QtBot) -> None:
    """The model filters; the proxy the table shows passes its rows through unchanged."""
    from practitioner_app.ui.case.chronology_filters import ChronologyFilterModel
    from practitioner_app.ui.case.models import ChronologyModel

    model = ChronologyModel()
    proxy = ChronologyFilterModel()
    proxy.setSourceModel(model)
    rows = [_chronology_row(day, "high" if day % 4 == 0 else "low") for day in range(40)]
    model.set_rows(rows)
    proxy.set_filters(ChronologyFilters(levels=frozenset({"high"})))
    assert model.total() == 40
    assert proxy.rowCount() == model.rowCount() == 10
    shown = [proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(10)]
    assert shown == rows[::4]
    proxy.set_filters(ChronologyFilters())
    assert proxy.rowCount() == 40


def test_the_work_pages_are_built_while_the_passphrase_is_typed(
    qtbot: QtBot, vault_dir: Path, tmp_path: Path
) -> None:
    """Built before the vault opens, they hold nothing of it until it does; the unlock then only
    fills them."""
    window: MainWindow = open_window(qtbot, vault_dir, tmp_path / "settings")
    try:
        qtbot.waitUntil(lambda: hasattr(window, "caseload"), timeout=30_000)
        built = window.caseload
        assert window.pages.currentWidget() is window.unlock_page
        assert not window.session.is_open
        assert built.model.total() == 0
        assert built.message.text() == ""
        assert window.case.child_id is None
        unlock_window(qtbot, window)
        wait_idle(qtbot, window.session)
        assert window.caseload is built
        assert window.pages.currentWidget() is built
        assert built.message.text().startswith("No children yet")
    finally:
        window.close()
        window.session.worker.shutdown()
