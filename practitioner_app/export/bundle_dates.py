"""The bundle's dates and times (BUNDLE.md), strict, and the same rule in the shipped JSON Schema.

A date is text `YYYY-MM-DD`; a time `YYYY-MM-DDTHH:MM[:SS[.ffffff]]`, with an optional offset (`Z`
or `+01:00`), and without one it is UK local time. Only dates from 1900-01-01 to 2100-12-31 are
taken: past them a value is a sentinel ("no end": 9999-12-31) or a mistake, never a real event. A
JSON number is never a date (pydantic would read 20250305 as seconds since 1970), and ISO basic
form (20250305) is refused rather than guessed. A UK local time the clocks skip (the hour lost when
they go forward) is refused, not moved; one they repeat (the hour when they go back) is refused
unless its offset says which of the two it is.

Each value is checked by the regular expressions below, which are also the JSON Schema's patterns,
so the validator and the schema agree (tests/test_bundle_dates.py feeds both one corpus); the
local times the clocks skip or repeat are worked out from the time zone database for every year in
range and written into the schema as a pattern too. (Should the time zone database change the UK's
rules, tests/test_bundle_format.py says the shipped schema is stale: regenerate it.)
"""

import functools
import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Final

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from practitioner_app.domain.times import UK, uk_date

EARLIEST: Final = date(1900, 1, 1)
LATEST: Final = date(2100, 12, 31)
RANGE: Final = f"{EARLIEST.isoformat()} to {LATEST.isoformat()}"

# [0-9], not \d: in Python \d is any Unicode digit (٢), in the schema's ECMA 262 only 0-9.
# Years 1900-2100; the leap years among them (1900 and 2100 are not; 2000 is).
_YEAR = r"(?:19[0-9][0-9]|20[0-9][0-9]|2100)"
_LEAP = r"(?:(?:19|20)(?:0[48]|[2468][048]|[13579][26])|2000)"
_DAY = (
    rf"(?:{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    rf"|{_LEAP}-02-29)"
)
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"

DATE_PATTERN: Final = f"^{_DAY}$"
DATETIME_PATTERN: Final = f"^{_DAY}T{_TIME}{_OFFSET}?$"
# Compiled once: a bundle has a few hundred thousand values to match.
_DATE_SHAPE: Final = re.compile(DATE_PATTERN)
_DATETIME_SHAPE: Final = re.compile(DATETIME_PATTERN)

# What the value looks like, to say what is wrong with it.
_LOOKS_LIKE_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_BASIC = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:T([0-9]{2})([0-9]{2})([0-9]{2})?(.*))?")


def _uk_changes() -> list[tuple[datetime, timedelta, timedelta]]:
    """Each time UK clocks changed or will change, 1900-2100: (UTC instant, offset before, after)."""
    changes = []
    day = datetime(EARLIEST.year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(LATEST.year + 1, 1, 2, tzinfo=UTC)
    before = day.astimezone(UK).utcoffset()
    while day < end:
        after = (day + timedelta(days=1)).astimezone(UK).utcoffset()
        if after != before:
            moment = day
            while moment.astimezone(UK).utcoffset() == before:
                moment += timedelta(hours=1)
            assert before is not None
            assert after is not None
            # The tables' clock changes in this range are all on the hour; say so if one is not.
            assert (moment - timedelta(minutes=1)).astimezone(UK).utcoffset() == before
            changes.append((moment, before, after))
            before = after
        day += timedelta(days=1)
    return changes


@functools.cache
def _unreal_local_hours() -> tuple[frozenset[str], frozenset[str]]:
    """The UK local hours ('2026-03-29T01') that never happen, and those that happen twice."""
    skipped: set[str] = set()
    repeated: set[str] = set()
    for moment, before, after in _uk_changes():
        # Local clock readings from `low` up to `high` are skipped (forward) or repeated (back).
        low = (moment + min(before, after)).replace(tzinfo=None)
        high = (moment + max(before, after)).replace(tzinfo=None)
        hours = skipped if after > before else repeated
        while low < high:
            hours.add(low.strftime("%Y-%m-%dT%H"))
            low += timedelta(hours=1)
    return frozenset(skipped), frozenset(repeated)


# In Python's regular expressions (jsonschema's) `$` also matches before a final line break.
_LINE_BREAK: Final = {"pattern": "\n"}


def schema_definitions() -> dict[str, Any]:
    """The JSON Schema `$defs` the bundle's date fields refer to."""
    skipped, repeated = _unreal_local_hours()
    hours = "|".join(sorted(skipped | repeated))
    return {
        "Date": {
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "not": _LINE_BREAK,
            "description": f"YYYY-MM-DD, from {RANGE}.",
        },
        "DateTime": {
            "type": "string",
            "not": _LINE_BREAK,
            "allOf": [
                {"pattern": DATETIME_PATTERN},
                # Without an offset: not an hour UK clocks skip or repeat.
                {"pattern": f"^(?!(?:{hours}):[0-9][0-9](?::[0-9][0-9](?:\\.[0-9]{{1,6}})?)?$)"},
            ],
            "description": (
                "YYYY-MM-DDTHH:MM[:SS], with an optional offset (Z, +01:00); without one, UK local "
                f"time, which must be a time that happens once that day. Dates from {RANGE}."
            ),
        },
    }


def _not_text(value: Any, form: str) -> ValueError:
    if isinstance(value, bool) or value is None:
        shown = {True: "true", False: "false", None: "null"}[value]
        return ValueError(f"{shown} is not a date; write it as text, {form}")
    if isinstance(value, int | float):
        return ValueError(f"{value} is a number, not a date; write it as text, {form}")
    return ValueError(f"this is not a date; write it as text, {form}")


def _in_range(value: str, day: date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{value} is outside {RANGE}")


def _check_day(value: str, form: str) -> None:
    """Say what is wrong with a value whose shape did not match: basic form, range, no such day."""
    basic = _BASIC.fullmatch(value)
    if basic:  # ISO 8601 basic form: say how it is written here rather than guess
        year, month, day, hour, minute, second, rest = basic.groups()
        written = f"{year}-{month}-{day}"
        if hour is not None:
            offset = re.sub(r"^([+-][0-9][0-9])([0-9][0-9])$", r"\1:\2", rest)
            written += f"T{hour}:{minute}" + (f":{second}" if second else "") + offset
        raise ValueError(f"{value} is not written {form}; write it as {written}")
    found = _LOOKS_LIKE_DATE.match(value)
    if found:
        try:
            day = date(*(int(part) for part in found.groups()))
        except ValueError:
            raise ValueError(f"{value} is not a real date (no such day)") from None
        _in_range(value, day)


def _uk_local_time_exists(value: str, moment: datetime) -> None:
    if moment.tzinfo is not None:
        return
    skipped, repeated = _unreal_local_hours()
    # As strftime("%Y-%m-%dT%H") writes it (years here have four digits), at a fraction of the
    # cost: strftime imports `time` on each call, through PySide's import hook once Qt is loaded.
    hour = f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}"
    if hour in skipped:
        when = moment.strftime("%H:00 on %d/%m/%Y")
        raise ValueError(
            f"{value} never happened in the UK: the clocks went forward an hour at {when}; check "
            "the time, or give its offset (such as +00:00)"
        )
    if hour in repeated:
        raise ValueError(
            f"{value} happened twice in the UK, as the clocks went back; add its offset to say "
            "which: +01:00 for the first (BST), +00:00 for the second (GMT)"
        )


# Values from the app itself: a date or datetime object is never read from JSON (it has only text, numbers and
# true/false); it is the exporter filling a bundle from the vault, and is written out as it is. An
# export never fails on what a vault already holds (a date typed before these rules, say); the
# import of that bundle names the field instead.


def parse_date(value: Any) -> date:
    """A bundle date, `YYYY-MM-DD`; anything else raises ValueError with a sentence."""
    form = "YYYY-MM-DD"
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # from the vault, on export: written as it is (see above)
    if not isinstance(value, str):
        raise _not_text(value, form)
    if _DATE_SHAPE.fullmatch(value):
        return date.fromisoformat(value)
    if _DATETIME_SHAPE.fullmatch(value):
        raise ValueError(f"{value} is a date and time, but this field is a date alone ({form})")
    _check_day(value, form)
    raise ValueError(f"{value} is not a date written {form}")


def _checked_datetime(value: str) -> datetime:
    """A value that matched DATETIME_PATTERN, once its local time and its day are checked."""
    moment = datetime.fromisoformat(value)
    _uk_local_time_exists(value, moment)
    # With an offset, the range is of the UK day it falls on: 2100-12-31T23:00-05:00 is
    # 2101 in the UK, and a vault holding it could never hand it on. Without one it is UK time
    # already, and its day is its own.
    _in_range(value, moment.date() if moment.tzinfo is None else uk_date(moment))
    return moment


def parse_datetime(value: Any) -> datetime:
    """A bundle time, `YYYY-MM-DDTHH:MM[:SS][offset]`; anything else raises ValueError."""
    form = "YYYY-MM-DDTHH:MM"
    if isinstance(value, datetime):
        return value  # from the vault, on export: written as it is (see above)
    if not isinstance(value, str):
        raise _not_text(value, form)
    if _DATETIME_SHAPE.fullmatch(value):
        return _checked_datetime(value)
    if _DATE_SHAPE.fullmatch(value):
        raise ValueError(f"{value} has no time; this field needs a date and time ({form})")
    _check_day(value, form)
    raise ValueError(f"{value} is not a date and time written {form} (optionally with an offset)")


def parse_date_or_datetime(value: Any) -> date | datetime:
    """A date alone stays a date (no time is shown for it); a date and time is a datetime."""
    form = "YYYY-MM-DD, or YYYY-MM-DDTHH:MM for a time"
    if isinstance(value, date):
        return value  # from the vault, on export: written as it is (see above)
    if not isinstance(value, str):
        raise _not_text(value, form)
    if _DATE_SHAPE.fullmatch(value):
        return date.fromisoformat(value)
    if _DATETIME_SHAPE.fullmatch(value):
        return _checked_datetime(value)
    _check_day(value, "YYYY-MM-DD")
    raise ValueError(f"{value} is not a date written {form}")


def _ref(name: str) -> dict[str, Any]:
    # A stand-in that `with_definitions` turns into {"$ref": "#/$defs/<name>"}: pydantic looks up
    # every $ref it is given among its own definitions, and these are not among them.
    return {_PLACEHOLDER: name}


_PLACEHOLDER: Final = "x-bundle-definition"


def with_definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema from pydantic with the date types' stand-ins made $refs and their `$defs` added."""

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if _PLACEHOLDER in node:
                return {"$ref": f"#/$defs/{node[_PLACEHOLDER]}"}
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    resolved["$defs"] = {**resolved.get("$defs", {}), **schema_definitions()}
    return resolved


def _iso(value: date) -> str:
    return value.isoformat()


# Written back as ISO 8601 text, exactly as they are read.
_WRITE = PlainSerializer(_iso, return_type=str, when_used="json")

BundleDate = Annotated[date, PlainValidator(parse_date), _WRITE, WithJsonSchema(_ref("Date"))]
BundleDateTime = Annotated[
    datetime, PlainValidator(parse_datetime), _WRITE, WithJsonSchema(_ref("DateTime"))
]
BundleDateOrDateTime = Annotated[
    date | datetime,
    PlainValidator(parse_date_or_datetime),
    _WRITE,
    WithJsonSchema({"anyOf": [_ref("Date"), _ref("DateTime")]}),
]
