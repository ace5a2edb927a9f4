"""Tables that split across pages as a reader needs: a row cut by a page break says on the next
page what it continues, short rows move whole, marked rows carry a bar, parts keep their
alignment. ReportLab's Table and LongTable, mended at their seams (tried on ReportLab 5.1)."""

from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, LongTable, Table

MARK_COLOUR = colors.HexColor("#B3261E")  # the bar beside an entry of high significance
TALL_ROW = 120  # points: a table row taller than this is cut at the foot of a page, not moved
MIN_PART = 30  # points: the least of a cut row worth leaving at the foot of a page


class Continued(str):
    """A plain-text cell that says what it says again, followed by "(continued)", at the top of
    the part of its row that runs onto the next page (a chronology row's date)."""

    continued: str
    marked: bool  # the row carries a bar of MARK_COLOUR down its left edge (high significance)

    def __new__(cls, value: str, *, marked: bool = False) -> "Continued":
        made = super().__new__(cls, value)
        made.continued = f"{value}\n(continued)"
        made.marked = marked
        return made


def continues(first: Flowable, label: Callable[[], Flowable]) -> Flowable:
    """Mark the first flowable of a cell whose part on the next page starts with `label()` (a
    chronology row's event: "(continued)"). ReportLab turns a cell's list into its own tuple,
    so the mark rides on the flowable."""
    first._continues = label  # type: ignore[attr-defined]
    return first


class Block(Table):
    """A table whose parts, when a page break splits it, keep its alignment (ReportLab makes
    the parts centred, so a left-aligned cover block shifted right on the next page)."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        for part in parts:
            part.hAlign = self.hAlign
        return parts


class SplitTable(LongTable):
    """A long table whose row cut by a page break says on the next page what it continues, and
    whose marked rows have a bar down their left edge.

    The bar is drawn here rather than as one LINEBEFORE style command per row: ReportLab copies
    and re-indexes every style command into each table a page break makes, so five hundred
    marked rows cost five hundred commands on every page."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Between rows, except that a tall row is cut to fill the page and runs on.

        ReportLab would first cut between rows and then, with the space left at the foot of the
        page, cut the next row anyway: its headings and a line or two, then the rest overleaf.
        Here a row of up to TALL_ROW points moves whole to the next page; a taller one (which
        may not fit on any page) is cut where the page ends, if MIN_PART points of it fit."""
        self._calc(availWidth, availHeight)  # type: ignore[attr-defined]
        heights = self._rowHeights  # type: ignore[attr-defined]
        n = self._getFirstPossibleSplitRowPosition(availHeight)  # type: ignore[attr-defined]
        if n >= len(heights):
            return [self]
        room = availHeight - sum(heights[:n])
        found: list[Flowable] = []
        if heights[n] > TALL_ROW and room >= MIN_PART:
            found = self._splitRows(availHeight, doInRowSplit=1)  # type: ignore[attr-defined]
        if not found and n > self.repeatRows:
            found = self._splitRows(availHeight, doInRowSplit=0)  # type: ignore[attr-defined]
        for part in found:
            part.hAlign = self.hAlign  # ReportLab makes the parts centred
        return found

    def draw(self) -> None:
        super().draw()
        rows = self._rowpositions  # type: ignore[attr-defined]
        left = self._colpositions[0]  # type: ignore[attr-defined]
        marked = [i for i, row in enumerate(self._cellvalues) if getattr(row[0], "marked", False)]  # type: ignore[attr-defined]
        if marked:
            self.canv.saveState()
            self.canv.setStrokeColor(MARK_COLOUR)
            self.canv.setLineWidth(3)
            for i in marked:
                self.canv.line(left, rows[i], left, rows[i + 1])
            self.canv.restoreState()

    def _splitCell(
        self, value: Any, style: Any, oldHeight: float, newHeight: float, width: float
    ) -> Any:
        parts = super()._splitCell(value, style, oldHeight, newHeight, width)  # type: ignore[misc]
        if not parts:
            return parts
        if isinstance(value, Continued):
            return (parts[0], repeated(value))
        label = (
            getattr(value[0], "_continues", None)
            if isinstance(value, tuple | list) and value
            else None
        )
        if label is not None and parts[1]:
            return (parts[0], (continues(label(), label), *parts[1]))
        return parts


def repeated(value: Continued) -> Continued:
    """The date again on the next page: the same text with "(continued)" once."""
    again = str.__new__(Continued, value.continued)
    again.continued = value.continued
    again.marked = value.marked
    return again


class TableStream(Flowable):
    """A long table laid out a page at a time, for thousands of rows (a chronology).

    Given one table of every row, ReportLab measures every row before it places the first
    (its long-table shortcut stops early only for tables with spanned cells), and keeps every
    paragraph's laid-out lines until the end: 110 MB for a 2,000-row chronology (issue 19).
    Here each page's table is made from the rows left over from the page before and as many
    more as fill the page, taken from `rows` (an iterator: cells are made only when needed);
    the rows a page uses are freed with it. Each page's part is the same SplitTable, so a row
    cut by the page break, the header repeated, the marked rows and the stripes come out as
    they would from one table: `make(rows, first)` makes the table of `rows`, the first of which
    is row `first` of the whole (for the stripes), with the rows' heights where known."""

    FIRST_TAKE = 8  # rows taken for the first page: more than a page of a chronology holds

    def __init__(
        self,
        make: Callable[[list[list[Any]], int, list[float | None]], Table],
        rows: Iterator[list[Any]],
        ready: list[list[Any]] | None = None,
        first: int = 0,
        take: int = FIRST_TAKE,
        heights: list[float | None] | None = None,
    ) -> None:
        super().__init__()
        self._make = make
        self._rows = rows
        self._ready = ready or []  # rows taken (or left over from the page before), not placed
        # The heights of the rows left over, as the page before measured them (None: not yet):
        # given to the next table, so a row is not measured again.
        self._heights = heights or [None] * len(self._ready)
        self._first = first
        self._take = take  # rows to take for a page: a few more than the last page held

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Always taller than the space left: the frame then asks split() for what fits in it.
        return availWidth, availHeight + 1

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """[this page's part, the rest] or, when the rest fits here, [the rest's table]; [] when
        not even one row fits (the frame then tries again on a new page). Each row is measured
        about twice, as ReportLab's own split of one long table measures it."""
        rows = self._ready
        more = list(islice(self._rows, max(0, self._take - len(rows))))
        while True:
            rows = rows + more
            self._heights = self._heights + [None] * len(more)
            self._ready = rows  # kept, whatever the frame does with this split
            table = self._make(rows, self._first, self._heights)
            parts: list[Flowable] = table.split(availWidth, availHeight)
            if parts != [table]:
                break
            more = list(islice(self._rows, self._take))  # all of it fits: take more
            if not more:
                return parts
        if len(parts) < 2:
            return parts
        first, rest = parts
        header = rest.repeatRows  # type: ignore[attr-defined]
        left = [list(row) for row in rest._cellvalues[header:]]  # type: ignore[attr-defined]
        # Heights as this page measured them, but the first row's measured again: it may be the
        # rest of a row cut by the page break, whose height ReportLab gives for the whole row
        # (a long entry then could not be placed on the next page at all: LayoutError).
        heights = [None, *rest._argH[header + 1 :]][: len(left)]  # type: ignore[attr-defined]
        placed = len(rows) - len(left)  # whole rows on this page; a cut row's rest is left[0]
        return [
            first,
            TableStream(self._make, self._rows, left, self._first + placed, placed + 3, heights),
        ]

    def draw(self) -> None:  # never placed itself: split() always gives tables
        raise AssertionError("a TableStream is split into tables before it is drawn")
