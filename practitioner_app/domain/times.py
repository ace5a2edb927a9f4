"""Times: stored in UTC, shown in UK local time, and the late-entry rule."""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")

# NMC and court guidance: an entry written more than 24 hours after the event is a late entry.
LATE_ENTRY_AFTER = timedelta(hours=24)
LONGEST_UK_DAY = timedelta(hours=25)  # the last Sunday of October, when the clocks go back


def now_utc() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """An aware datetime in UTC. A naive datetime is taken as UK local time, as a practitioner means it."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UK)
    # Already UTC (as every stored time is): the same instant, without the conversion's cost.
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def uk_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UK)
    return moment.astimezone(UK)


@lru_cache(maxsize=8192)  # a chronology asks for the same days again and again
def start_of_uk_day(day: date) -> datetime:
    """The UTC instant at which a UK calendar day starts (23:00 UTC the day before, in summer)."""
    return datetime.combine(day, time(0, 0), tzinfo=UK).astimezone(UTC)


def uk_date(moment: datetime) -> date:
    """The calendar date a UK practitioner would write for this instant."""
    # Since 1972 the UK has been on UTC or one hour ahead of it (GMT or BST), so an instant
    # before 23:00 UTC falls on the same day in the UK: only the last hour of a UTC day needs
    # the time zone. The alert rules ask this hundreds of thousands of times (issue 19).
    if moment.tzinfo is UTC and moment.hour < 23 and moment.year >= 1972:
        return moment.date()
    return uk_local(moment).date()


# Formatted by hand, not by strftime: strftime imports `time` at every call, and once Qt is loaded
# every import passes through PySide's hook, which made a date cost 3-20 us on screens and in
# PDFs that show thousands of them (issue 19).
def format_uk_date(day: date) -> str:
    """dd/mm/yyyy, as a UK practitioner writes a date."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def format_uk_datetime(moment: datetime) -> str:
    """dd/mm/yyyy HH:MM in UK local time."""
    local = uk_local(moment)
    return f"{local.day:02d}/{local.month:02d}/{local.year:04d} {local.hour:02d}:{local.minute:02d}"


def is_late_entry(
    occurred_at: datetime,
    recorded_at: datetime,
    *,
    time_known: bool = True,
    recorded_at_known: bool = True,
) -> bool:
    """True when the entry was written more than 24 hours after the event.

    When only the date of the event is known, the event is taken to have happened at the end of that
    UK day, so an entry written the next day about "something on Tuesday" is not wrongly called late.
    When the source did not say when the entry was written (`recorded_at_known` False; recorded_at
    is then a stand-in for ordering), it is neither late nor on time: False, and the screens say
    "recorded: not known" instead.
    """
    if not recorded_at_known:
        return False
    event = as_utc(occurred_at)
    gap = as_utc(recorded_at) - event
    if time_known:
        return gap > LATE_ENTRY_AFTER
    # Only the date is known. The end of its UK day comes after `event` and at most a day of
    # 25 hours (the autumn change) later, so most gaps settle it without the time zone's
    # arithmetic, which a chronology would otherwise do for thousands of rows (issue 19).
    if gap <= LATE_ENTRY_AFTER:
        return False
    if gap > LATE_ENTRY_AFTER + LONGEST_UK_DAY:
        return True
    end_of_day = start_of_uk_day(uk_date(event) + timedelta(days=1))
    return as_utc(recorded_at) - end_of_day > LATE_ENTRY_AFTER


def age_on(date_of_birth: date, day: date) -> tuple[int, int]:
    """Age in whole years and remaining whole months on a day (negative years: not yet born)."""
    months = (day.year - date_of_birth.year) * 12 + (day.month - date_of_birth.month)
    if day.day < date_of_birth.day:
        months -= 1
    return months // 12, months % 12
