"""Dated records and the inclusive day windows the safeguarding alert rules count in (DOMAIN.md,
"Safeguarding alerts (the rules)"): windows are inclusive and count back from the as-of date T."""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise

from practitioner_app.domain.times import as_utc, format_uk_date, uk_date


@dataclass(frozen=True)
class Dated:
    """One record as a rule sees it: what it is, when (UTC), and the agency it came from."""

    id: str
    at: datetime  # made UTC (a time without a zone is UK local); windows compare UK dates
    label: str  # what it is, for a message ("injury", "was not brought")
    agency: str | None = None  # normalised, the practitioner's own filled in

    # The UK calendar date, worked out once: the rules ask for it at every window they try.
    day: date = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # In UTC here, for every rule: times with and without a zone could not be put in order.
        object.__setattr__(self, "at", as_utc(self.at))
        object.__setattr__(self, "day", uk_date(self.at))


def normalise_agency(agency: str | None) -> str | None:
    """Agencies compare case-insensitively and trimmed; blank is none."""
    if agency is None or not agency.strip():
        return None
    return agency.strip().casefold()


def in_time_order(items: Iterable[Dated]) -> list[Dated]:
    return sorted(items, key=lambda i: (i.at, i.id))


def up_to(items: Iterable[Dated], as_of: date, days: int | None = None) -> list[Dated]:
    """The items dated on or before T, in time order; with `days`, only those in the `days` days up
    to T: [T − (days − 1), T], so a record days − 1 days before T counts and one days before does
    not."""
    start = date.min if days is None else as_of - timedelta(days=days - 1)
    return in_time_order(i for i in items if start <= i.day <= as_of)


def active(from_date: date | None, to_date: date | None, as_of: date) -> bool:
    """A household or professional link counts at T when it started on or before T (or the start is
    unknown) and has not ended before T."""
    return (from_date is None or from_date <= as_of) and (to_date is None or to_date >= as_of)


def latest_window(
    items: Sequence[Dated], days: int, qualifies: Callable[[Sequence[Dated]], bool]
) -> list[Dated]:
    """The most recent inclusive `days`-day window over items (in time order) that qualifies.

    "Within any N-day window": records whose UK dates are at most N − 1 days apart. The window
    chosen ends on the latest record date for which the records dated in [end − (N − 1), end]
    qualify, and holds every record that fits in it. [] when no window qualifies.

    Raises ValueError when the items are not in time order."""
    dates = [i.day for i in items]
    if any(earlier > later for earlier, later in pairwise(dates)):
        raise ValueError("latest_window needs its items in time order (see up_to)")
    # In time order, the UK dates never go back, so each window is one slice of the items: found
    # by bisection, not by a pass over every item for every end date (a child with 2,000 records
    # made that millions of date comparisons; issue 19).
    for end in sorted(set(dates), reverse=True):
        start = end - timedelta(days=days - 1)
        inside = list(items[bisect_left(dates, start) : bisect_right(dates, end)])
        if qualifies(inside):
            return inside
    return []


def at_least(count: int) -> Callable[[Sequence[Dated]], bool]:
    return lambda items: len(items) >= count


def span(items: Sequence[Dated]) -> str:
    """ "01/02/2026 to 03/04/2026" for items in time order; one date when they share a day."""
    first, last = format_uk_date(items[0].day), format_uk_date(items[-1].day)
    return first if first == last else f"{first} to {last}"


def tally(items: Iterable[Dated]) -> str:
    """ "injury: 2, hospital attendance: 1", in order of first appearance."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.label] = counts.get(item.label, 0) + 1
    return ", ".join(f"{label}: {n}" for label, n in counts.items())


def names(shown: Mapping[str, str], agencies: Iterable[str | None]) -> str:
    """The distinct known agencies, sorted and comma-separated, or "not recorded"; each as
    `shown` spells it, else as normalised."""
    known = sorted({shown.get(a, a) for a in agencies if a is not None}, key=str.casefold)
    return ", ".join(known) if known else "not recorded"


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 concern", "2 concerns", "2 injuries" (with words="injuries")."""
    return f"{count} {word if count == 1 else (words or word + 's')}"
