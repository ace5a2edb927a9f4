"""A bundle record read as the details a practitioner would have typed: field by field by name,
times as UTC instants (a date alone as the start of its UK day), lists as the tuples the details
hold. Used by the import (services/bundle_import.py) before its rows are checked and written."""

import dataclasses
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from practitioner_app.domain.body_marks import BodyMarkDetails
from practitioner_app.domain.kinds import EntryDetails, RecordKind
from practitioner_app.domain.records import (
    ChildDetails,
    ChronologyEventDetails,
    ConcernDetails,
    InjuryDetails,
    ObservationDetails,
    ReferralDetails,
    SharingDetails,
    VisitDetails,
)
from practitioner_app.domain.times import as_utc, start_of_uk_day
from practitioner_app.export import bundle as fmt

D = TypeVar("D")


def moment(value: date | datetime) -> tuple[datetime, bool]:
    """A bundle time as (UTC instant, time known). A date alone is the start of that UK day."""
    if isinstance(value, datetime):
        return as_utc(value), True
    return start_of_uk_day(value), False


def instant(value: date | datetime | None) -> datetime | None:
    return None if value is None else moment(value)[0]


_FIELDS: dict[type[Any], tuple[tuple[str, bool], ...]] = {}


def _fields_of(details_type: type[Any]) -> tuple[tuple[str, bool], ...]:
    """(name, held as a tuple) for each field of a details dataclass; worked out once per type."""
    if details_type not in _FIELDS:
        hints = typing.get_type_hints(details_type)
        _FIELDS[details_type] = tuple(
            (item.name, typing.get_origin(hints[item.name]) is tuple)
            for item in dataclasses.fields(details_type)
        )
    return _FIELDS[details_type]


_NEVER_HELD: dict[tuple[type[Any], str], bool] = {}


def _never_held(record_type: type[Any], name: str) -> bool:
    """Whether no record of this type can have an attribute `name`: a bundle model forbids extra
    fields, so one that is neither its field nor its class's attribute is always missing. Worked
    out once per (type, name); asking pydantic for a missing name costs an exception."""
    key = (record_type, name)
    never = _NEVER_HELD.get(key)
    if never is None:
        never = (
            issubclass(record_type, BaseModel)
            and record_type.model_config.get("extra") == "forbid"
            and name not in record_type.model_fields
            and not hasattr(record_type, name)
        )
        _NEVER_HELD[key] = never
    return never


def attribute_of(record: Any, name: str) -> Any:
    """getattr(record, name, None), without the cost of a miss on a bundle model."""
    return None if _never_held(type(record), name) else getattr(record, name, None)


_HELD: dict[tuple[type[Any], type[Any]], tuple[tuple[str, bool], ...]] = {}


def _fields_held(details_type: type[Any], record_type: type[Any]) -> tuple[tuple[str, bool], ...]:
    """`_fields_of(details_type)` less those a record of `record_type` never has; once per pair."""
    key = (details_type, record_type)
    if key not in _HELD:
        _HELD[key] = tuple(
            (name, is_tuple)
            for name, is_tuple in _fields_of(details_type)
            if not _never_held(record_type, name)
        )
    return _HELD[key]


def details_from(details_type: type[D], *records: Any, **values: Any) -> D:
    """A details dataclass: each field given in `values`, else taken by name from the first
    record (bundle record or row) that has it. A field left out (None) takes the dataclass
    default; lists become the tuples the dataclasses hold."""
    for record in records:  # record by record: a field is set by the first that has it
        for name, is_tuple in _fields_held(details_type, type(record)):
            if name in values:
                continue
            value = getattr(record, name, None)
            if value is not None:
                values[name] = tuple(value) if is_tuple and isinstance(value, list) else value
    return details_type(**values)


def child_columns(details: ChildDetails) -> dict[str, Any]:
    columns = dataclasses.asdict(details)
    columns["other_names"] = list(details.other_names)
    return columns


def to_seconds(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value).replace(microsecond=0)


# -- entries -------------------------------------------------------------------------------------


def _visit(v: fmt.Visit) -> EntryDetails:
    return details_from(VisitDetails, v, occurred_at=as_utc(v.occurred_at))


def _observation(o: fmt.Observation) -> EntryDetails:
    occurred_at, time_known = moment(o.observed_at)
    return details_from(
        ObservationDetails,
        o,
        o.measurement,
        occurred_at=occurred_at,
        time_known=time_known,
        injury=None if o.injury is None else details_from(InjuryDetails, o.injury),
    )


def _concern(c: fmt.Concern) -> EntryDetails:
    occurred_at, time_known = moment(c.raised_at)
    return details_from(
        ConcernDetails,
        c,
        occurred_at=occurred_at,
        time_known=time_known,
        concern_status=c.status,
        closed_at=instant(c.closed_at),
        visit_ids=tuple(c.visit_ids or ()),
        observation_ids=tuple(c.observation_ids or ()),
    )


def _event(ev: fmt.Event) -> EntryDetails:
    occurred_at, time_known = moment(ev.occurred_at)
    return details_from(
        ChronologyEventDetails,
        ev,
        occurred_at=occurred_at,
        time_known=time_known,
        ended_at=instant(ev.ended_at),
    )


def _referral(r: fmt.Referral) -> EntryDetails:
    return details_from(
        ReferralDetails,
        r.consent,  # first: the referral's own `consent` is this whole record
        r,
        occurred_at=as_utc(r.created_at),
        concern_ids=tuple(r.concern_ids or ()),
        closed_at=instant(r.closed_at),
    )


def _sharing(s: fmt.Sharing) -> EntryDetails:
    return details_from(SharingDetails, s, occurred_at=as_utc(s.at))


def _body_mark(m: fmt.BodyMark) -> EntryDetails:
    occurred_at, time_known = moment(m.occurred_at)
    return details_from(BodyMarkDetails, m, occurred_at=occurred_at, time_known=time_known)


# How each kind of entry is read from a bundle (tests/test_kinds.py checks every kind has one).
CONVERT: dict[RecordKind, Callable[[Any], EntryDetails]] = {
    RecordKind.VISIT: _visit,
    RecordKind.OBSERVATION: _observation,
    RecordKind.CONCERN: _concern,
    RecordKind.CHRONOLOGY_EVENT: _event,
    RecordKind.REFERRAL: _referral,
    RecordKind.SHARING_RECORD: _sharing,
    RecordKind.BODY_MARK: _body_mark,
}


def entry_details(kind: RecordKind, record: Any) -> EntryDetails:
    """A bundle entry of `kind` as its details."""
    return CONVERT[kind](record)
