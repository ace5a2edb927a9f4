"""What the chronology tab shows: the on-screen filters, applied without re-querying the vault."""

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject

from practitioner_app.domain.chronology import ChronologyRow, in_range
from practitioner_app.ui.case.models import ChronologyModel, ShownRows

ALL_SOURCES = "All sources"
# (label, the significance values shown; None = every row, including rows with none given)
SIGNIFICANCE_CHOICES: tuple[tuple[str, frozenset[str] | None], ...] = (
    ("All", None),
    ("High only", frozenset({"high"})),
    ("Medium and high", frozenset({"medium", "high"})),
)
ON_SCREEN_ONLY = (
    "Filters the screen only; the PDF export uses From, To, Significant only and drafts"
)
# What the practitioner can say about one entry's place in the chronology (None = the rule decides).
SIGNIFICANCE_ACTIONS: tuple[tuple[str, bool | None], ...] = (
    ("Significant", True),
    ("Not significant", False),
    ("Use the automatic rule", None),
)


@dataclass(frozen=True)
class ChronologyFilters:
    date_from: date | None = None
    date_to: date | None = None
    levels: frozenset[str] | None = None
    source: str | None = None
    significant_only: bool = False

    def accepts(self, row: ChronologyRow) -> bool:
        return (
            in_range(row.date, self.date_from, self.date_to)
            and (self.levels is None or row.significance in self.levels)
            and (self.source is None or row.source == self.source)
            and (row.significant or not self.significant_only)
        )


class ChronologyFilterModel(ShownRows):
    """Hides the rows the filters leave out; the rows themselves are never re-queried for it.
    The chronology model does the filtering (see `RowTableModel`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.filters = ChronologyFilters()

    def set_filters(self, filters: ChronologyFilters) -> None:
        if filters == self.filters:
            return
        self.filters = filters
        model = self.sourceModel()
        assert isinstance(model, ChronologyModel)
        model.set_filter(filters.accepts)
