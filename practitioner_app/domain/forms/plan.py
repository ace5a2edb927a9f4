"""The plan of an early help assessment as text: its actions, one a line, and its review date."""

from dataclasses import dataclass
from datetime import date

from practitioner_app.domain.errors import InvalidInput


@dataclass(frozen=True)
class PlannedAction:
    action: str
    who: str
    by_when: str


def parse_actions(text: str | None) -> list[PlannedAction]:
    """One action per line: "action | who | by when". A line without bars is an action alone."""
    rows = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("|")]
        action = cells[0]
        who = cells[1] if len(cells) > 1 else ""
        by_when = " | ".join(cells[2:]) if len(cells) > 2 else ""
        rows.append(PlannedAction(action, who, by_when))
    return rows


def format_actions(actions: list[PlannedAction]) -> str:
    def cell(value: str) -> str:
        return " ".join(value.replace("|", "/").split())

    return "\n".join(
        f"{cell(a.action)} | {cell(a.who)} | {cell(a.by_when)}"
        for a in actions
        if a.action.strip() or a.who.strip() or a.by_when.strip()
    )


def parse_date(text: str | None, field: str = "plan.review_date") -> date | None:
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            f"'{text.strip()}' is not a date; give it as year-month-day, e.g. 2026-03-14.",
            field,
        ) from None
