"""Adding a parsed case bundle to the vault in one transaction (BUNDLE.md).

Each bundle record becomes the details a practitioner would have typed (`_details`, field by field
by name), is checked by the same rules, and is inserted in bulk with its links. Only what the
format says differently is written out here: vault ids for bundle ids, the moment an entry
happened, the author, the shapes the format nests (consent, measurement, injury), and a closed
concern's closing as a status change.
"""

import dataclasses
import typing
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from practitioner_app.domain.enums import AuditAction, ConcernStatus, EntryStatus
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import KINDS, EntryDetails, RecordKind, kind_of
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
from practitioner_app.domain.times import as_utc, now_utc, start_of_uk_day, uk_date
from practitioner_app.export import bundle as fmt
from practitioner_app.services import records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.base import new_id
from practitioner_app.store.bulk_sqlite import defer_foreign_keys, insert_rows
from practitioner_app.store.people import Child
from practitioner_app.store.repositories.bundles import PEOPLE, BundleRepository, shared_columns
from practitioner_app.store.search import indexed_once_at_the_end

D = TypeVar("D")

# Where a details field has another name in the bundle, so a refusal names the bundle's field.
_BUNDLE_FIELDS: dict[str, dict[str, str]] = {
    "observations": {"occurred_at": "observed_at"},
    "concerns": {"occurred_at": "raised_at", "concern_status": "status"},
    "referrals": {"occurred_at": "created_at"},
    "sharing": {"occurred_at": "at"},
}

# Bundle list name → its kind of entry; people and children are not entries.
ENTRY_LISTS: dict[str, RecordKind] = {spec.bundle_list: kind for kind, spec in KINDS.items()}
LIST_MODELS: dict[str, Any] = {
    "children": Child,
    **{name: model for name, (model, _, _) in PEOPLE.items()},
    **{name: e.ENTRY_KINDS[kind] for name, kind in ENTRY_LISTS.items() if kind in e.ENTRY_KINDS},
}


@dataclass(frozen=True)
class ImportReport:
    added: dict[str, int]
    already_present: dict[str, int]


def _moment(value: date | datetime) -> tuple[datetime, bool]:
    """A bundle time as (UTC instant, time known). A date alone is the start of that UK day."""
    if isinstance(value, datetime):
        return as_utc(value), True
    return start_of_uk_day(value), False


def _instant(value: date | datetime | None) -> datetime | None:
    return None if value is None else _moment(value)[0]


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


def _details(details_type: type[D], *records: Any, **values: Any) -> D:
    """A details dataclass: each field given in `values`, else taken by name from the first
    bundle record that has it. A field the bundle leaves out (None) takes the dataclass default;
    lists become the tuples the dataclasses hold."""
    for name, is_tuple in _fields_of(details_type):
        if name in values:
            continue
        for record in records:
            value = getattr(record, name, None)
            if value is not None:
                values[name] = tuple(value) if is_tuple and isinstance(value, list) else value
                break
    return details_type(**values)


class Importer:
    """Holds the id maps and pending rows of one import; `run` does the whole thing."""

    def __init__(self, ws: Workspace, parsed: fmt.Bundle) -> None:
        self.ws = ws
        self.parsed = parsed
        self.now = now_utc()
        self.ids: dict[str, dict[str, str]] = {name: {} for name in LIST_MODELS}  # bundle → vault
        self.added: Counter[str] = Counter()
        self.present: Counter[str] = Counter()
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        # Links and injuries of entries: written before the entries themselves (see `run`).
        self.dependents: dict[Any, list[dict[str, Any]]] = {}
        default = parsed.exported_by
        self.default_author = self._author(default) if default else ws.authorship()

    def _author(self, author: fmt.Author | None) -> dict[str, Any]:
        if author is None:
            return self.default_author
        return {
            "author_name": author.name,
            "author_role": author.role,
            "author_agency": author.agency,
        }

    def _rows_for(self, target: Any) -> list[dict[str, Any]]:
        return self.rows.setdefault(target, [])

    def _new(self, name: str, records_in: Iterable[Any], session: Session) -> list[Any]:
        """The records of one list not already in the vault; maps every bundle id to a vault id."""
        batch = list(records_in)
        existing = BundleRepository(session).existing(
            LIST_MODELS[name], [record.id for record in batch]
        )
        fresh = []
        for record in batch:
            if record.id in existing:
                self.ids[name][record.id] = existing[record.id]
                self.present[name] += 1
            else:
                self.ids[name][record.id] = new_id()
                self.added[name] += 1
                fresh.append(record)
        return fresh

    def _validate(self, name: str, index: int, details: Any) -> None:
        try:
            if isinstance(details, ChildDetails):
                details.validate(uk_date(self.now))
            else:
                details.validate()
        except InvalidInput as problem:
            where = f"{name}[{index}]"
            if problem.field:
                where += "." + _BUNDLE_FIELDS.get(name, {}).get(problem.field, problem.field)
            raise InvalidInput(f"The bundle was not imported: {where}: {problem.message}") from None

    def _common(self, vault_id: str, bundle_id: str) -> dict[str, Any]:
        return {
            "id": vault_id,
            "external_ref": bundle_id,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def run(self, session: Session) -> ImportReport:
        p = self.parsed
        self._children(session, p.children)
        for name in PEOPLE:
            self._people(session, name, getattr(p, name) or [])
        # KINDS is in the order links need: an observation names a visit, a concern visits and
        # observations, a referral concerns.
        for name, kind in ENTRY_LISTS.items():
            batch = getattr(p, name) or []
            positions = {record.id: index for index, record in enumerate(batch)}
            for record in self._new(name, batch, session):
                details, meta = _CONVERT[kind](self, record)
                self._validate(name, positions[record.id], details)
                if isinstance(details, ConcernDetails):
                    details = self._concern_history(record.id, details, meta)
                self._entry_rows(name, record.id, details, meta)
        # A final entry's links cannot be added after it (the integrity triggers refuse), so they go
        # first, with foreign-key checks deferred to the commit of this one transaction.
        defer_foreign_keys(session)
        with indexed_once_at_the_end(session):
            for table in (self.dependents, self.rows):
                for target, rows in table.items():
                    insert_rows(session, getattr(target, "__table__", target), rows)
        report = ImportReport(dict(self.added), dict(self.present))
        self.ws.audit(
            session,
            AuditAction.IMPORT,
            "bundle",
            None,
            added=report.added,
            already_present=report.already_present,
        )
        return report

    # -- people ----------------------------------------------------------------------------------

    def _children(self, session: Session, children: list[fmt.Child]) -> None:
        positions = {child.id: index for index, child in enumerate(children)}
        for child in self._new("children", children, session):
            details = _details(ChildDetails, child)
            self._validate("children", positions[child.id], details)
            row = dataclasses.asdict(details)
            row["other_names"] = list(details.other_names)
            self._rows_for(Child).append(
                {
                    **row,
                    **self._common(self.ids["children"][child.id], child.id),
                    **self.default_author,
                }
            )

    def _people(self, session: Session, name: str, people: list[Any]) -> None:
        """Household members or professionals, each with a link to every child it names."""
        person_model, link_model, key = PEOPLE[name]
        for person in self._new(name, people, session):
            vault_id = self.ids[name][person.id]
            self._rows_for(person_model).append(
                {
                    **self._common(vault_id, person.id),
                    **self.default_author,
                    **shared_columns(person_model, person),
                }
            )
            link = shared_columns(link_model, person)
            for child_id in dict.fromkeys(person.child_ids):
                self._rows_for(link_model).append(
                    {
                        **link,
                        "id": new_id(),
                        key: vault_id,
                        "child_id": self.ids["children"][child_id],
                    }
                )

    # -- entries ---------------------------------------------------------------------------------

    def _map(self, name: str, bundle_ids: Iterable[str] | None) -> tuple[str, ...]:
        return tuple(self.ids[name][ref] for ref in bundle_ids or ())

    def _meta(
        self,
        status: EntryStatus | None,
        recorded_at: datetime | None,
        agency: str | None,
        author: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        return {
            "status": status or EntryStatus.FINAL,
            "recorded_at": recorded_at,
            "author": author or self.default_author,
            "agency": records.normalised_agency(agency),
        }

    def _visit(self, v: fmt.Visit) -> tuple[EntryDetails, dict[str, Any]]:
        details = _details(
            VisitDetails,
            v,
            child_ids=self._map("children", v.child_ids),
            occurred_at=as_utc(v.occurred_at),
        )
        author = self._author(v.author)
        return details, self._meta(
            v.status, v.recorded_at, v.agency or author["author_agency"], author
        )

    def _observation(self, o: fmt.Observation) -> tuple[EntryDetails, dict[str, Any]]:
        occurred_at, time_known = _moment(o.observed_at)
        details = _details(
            ObservationDetails,
            o,
            o.measurement,
            child_id=self.ids["children"][o.child_id],
            occurred_at=occurred_at,
            time_known=time_known,
            visit_id=self.ids["visits"][o.visit_id] if o.visit_id else None,
            injury=None if o.injury is None else _details(InjuryDetails, o.injury),
        )
        author = self._author(o.author)
        return details, self._meta(o.status, o.recorded_at, author["author_agency"], author)

    def _concern(self, c: fmt.Concern) -> tuple[EntryDetails, dict[str, Any]]:
        occurred_at, time_known = _moment(c.raised_at)
        details = _details(
            ConcernDetails,
            c,
            child_id=self.ids["children"][c.child_id],
            occurred_at=occurred_at,
            time_known=time_known,
            concern_status=c.status,
            closed_at=_instant(c.closed_at),
            visit_ids=self._map("visits", c.visit_ids),
            observation_ids=self._map("observations", c.observation_ids),
        )
        return details, self._meta(None, None, c.source)

    def _concern_history(
        self, bundle_id: str, details: ConcernDetails, meta: dict[str, Any]
    ) -> ConcernDetails:
        """The concern as first recorded, with its closing as a status change (the history the
        alert rules, the status shown now and the export read), so it is open from `raised_at`
        and closed only from `closed_at`, as in the vault it came from; written in this import's
        transaction with the concern.

        Format 1 gives only the status now. Only a closing has a date (`closed_at`); a concern
        "monitoring" or "referred", or closed with no date, keeps that status as first recorded,
        from the day it was raised: the bundle says nothing of when it changed, and inventing a
        date would be less honest than the status the sender gave."""
        if details.concern_status is not ConcernStatus.CLOSED or details.closed_at is None:
            return details
        self._rows_for(e.ConcernStatusChange).append(
            {
                **self._common(new_id(), bundle_id),
                **meta["author"],
                "concern_id": self.ids["concerns"][bundle_id],
                "changed_at": details.closed_at,
                # Recorded by the sender at a time the bundle does not give: taken as the
                # closing itself, as an entry's unknown recorded_at is its occurred_at.
                "recorded_at": details.closed_at,
                "new_status": ConcernStatus.CLOSED,
                "outcome": details.outcome,
            }
        )
        # The outcome stays on the concern too: the concern's screen shows the record's own
        # fields, and the export reads the change's outcome first, so the two agree.
        return dataclasses.replace(details, concern_status=ConcernStatus.OPEN, closed_at=None)

    def _event(self, ev: fmt.Event) -> tuple[EntryDetails, dict[str, Any]]:
        occurred_at, time_known = _moment(ev.occurred_at)
        details = _details(
            ChronologyEventDetails,
            ev,
            child_id=self.ids["children"][ev.child_id],
            occurred_at=occurred_at,
            time_known=time_known,
            ended_at=_instant(ev.ended_at),
        )
        return details, self._meta(None, ev.recorded_at, ev.source)

    def _referral(self, r: fmt.Referral) -> tuple[EntryDetails, dict[str, Any]]:
        details = _details(
            ReferralDetails,
            r.consent,  # first: the referral's own `consent` is this whole record
            r,
            child_ids=self._map("children", r.child_ids),
            occurred_at=as_utc(r.created_at),
            concern_ids=self._map("concerns", r.concern_ids),
            closed_at=_instant(r.closed_at),
        )
        return details, self._meta(r.status, None, self.default_author["author_agency"])

    def _sharing(self, s: fmt.Sharing) -> tuple[EntryDetails, dict[str, Any]]:
        details = _details(
            SharingDetails,
            s,
            child_ids=self._map("children", s.child_ids),
            occurred_at=as_utc(s.at),
        )
        return details, self._meta(None, None, self.default_author["author_agency"])

    def _entry_rows(
        self, name: str, bundle_id: str, details: EntryDetails, meta: dict[str, Any]
    ) -> None:
        kind = kind_of(details)
        model = e.ENTRY_KINDS[kind]
        vault_id = self.ids[name][bundle_id]
        # Written by another agency at an unknown time: take it as written when it happened rather
        # than invent a late entry.
        recorded_at = as_utc(meta["recorded_at"]) if meta["recorded_at"] else details.occurred_at
        final = meta["status"] is EntryStatus.FINAL
        self._rows_for(model).append(
            {
                **records.column_values(kind, details),
                **self._common(vault_id, bundle_id),
                **meta["author"],
                "status": meta["status"],
                "recorded_at": recorded_at,
                "finalised_at": recorded_at if final else None,
                "agency": meta["agency"],
                "content_sha256": records.content_digest(records.canonical_fields(kind, details))
                if final
                else None,
            }
        )
        for field, link in model.links.items():
            for value in dict.fromkeys(getattr(details, field)):
                self.dependents.setdefault(link.table, []).append(
                    {link.own: vault_id, link.other: value}
                )
        if isinstance(details, ObservationDetails) and details.injury is not None:
            self.dependents.setdefault(e.Injury, []).append(
                {
                    "id": new_id(),
                    "observation_id": vault_id,
                    **(records.injury_fields(details.injury) or {}),
                }
            )


# How each kind of entry is read from a bundle (tests/test_kinds.py checks every kind has one).
_CONVERT: dict[RecordKind, Callable[[Importer, Any], tuple[EntryDetails, dict[str, Any]]]] = {
    RecordKind.VISIT: Importer._visit,
    RecordKind.OBSERVATION: Importer._observation,
    RecordKind.CONCERN: Importer._concern,
    RecordKind.CHRONOLOGY_EVENT: Importer._event,
    RecordKind.REFERRAL: Importer._referral,
    RecordKind.SHARING_RECORD: Importer._sharing,
}
