"""Entries in the vault: read and write one kind of entry, its links and its parts; never commits.

Given a `Session` by the service that owns the unit of work (Mealie's repositories, without their
commits). Every query here is portable SQLAlchemy, so the team server can run it on PostgreSQL.
"""

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.kinds import RecordKind, spec
from practitioner_app.domain.records import InjuryDetails
from practitioner_app.store import entries as e
from practitioner_app.store.people import Child

# The table a link names (domain/kinds.py `KindSpec.links`) → its model.
LINKED_MODELS: dict[str, type[Any]] = {
    "child": Child,
    "visit": e.Visit,
    "observation": e.Observation,
    "concern": e.Concern,
    "referral": e.Referral,
}

# An injury as the details dataclass and the chronology read it.
InjuryFields = dict[str, Any]


def _injury_fields(injury: e.Injury) -> InjuryFields:
    """The stored injury in the shape of `InjuryDetails` (services/records.injury_fields)."""
    fields = {item.name: getattr(injury, item.name) for item in dataclasses.fields(InjuryDetails)}
    return {**fields, "body_regions": list(injury.body_regions)}


class EntryContentRepository:
    """The content of entries of every kind, by `RecordKind`: columns, links and parts as the
    details dataclasses hold them, amendments, and the final entries `verify` checks."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, kind: RecordKind, entry_id: str) -> e.Entry | None:
        return self.session.get(e.ENTRY_KINDS[kind], entry_id)

    def exists(self, table: str, record_id: str) -> bool:
        """Whether the record a link names is there (`table` as in `KindSpec.links`)."""
        return self.session.get(LINKED_MODELS[table], record_id) is not None

    def add(self, kind: RecordKind, columns: Mapping[str, Any]) -> e.Entry:
        entry = e.ENTRY_KINDS[kind](**columns)
        self.session.add(entry)
        self.session.flush()
        return entry

    def delete(self, kind: RecordKind, entry: e.Entry) -> None:
        """A draft and everything that hangs off it (the service has checked it is a draft)."""
        for link in entry.links.values():
            self.session.execute(delete(link.table).where(link.table.c[link.own] == entry.id))
        self.session.execute(delete(e.Injury).where(e.Injury.observation_id == entry.id))
        self.session.delete(entry)

    # -- links and parts ---------------------------------------------------------------------------

    def set_links(self, kind: RecordKind, entry_id: str, field: str, ids: Iterable[str]) -> None:
        """The records a link field names, replacing what it named before (duplicates dropped)."""
        link = e.ENTRY_KINDS[kind].links[field]
        self.session.execute(delete(link.table).where(link.table.c[link.own] == entry_id))
        rows = [{link.own: entry_id, link.other: value} for value in dict.fromkeys(ids)]
        if rows:
            self.session.execute(insert(link.table), rows)

    def linked(self, kind: RecordKind, entry_id: str, field: str) -> list[str]:
        """Ids named by one link field of an entry, sorted."""
        link = e.ENTRY_KINDS[kind].links[field]
        return sorted(
            self.session.scalars(
                select(link.table.c[link.other]).where(link.table.c[link.own] == entry_id)
            )
        )

    def linked_to_many(
        self, kind: RecordKind, field: str, entry_ids: Iterable[str]
    ) -> dict[str, list[str]]:
        """entry id → ids named by one link field, for many entries in a few queries."""
        link = e.ENTRY_KINDS[kind].links[field]
        result: dict[str, list[str]] = {}
        owners = list(entry_ids)
        for start in range(0, len(owners), 500):
            chunk = owners[start : start + 500]
            for owner, value in self.session.execute(
                select(link.table.c[link.own], link.table.c[link.other]).where(
                    link.table.c[link.own].in_(chunk)
                )
            ):
                result.setdefault(owner, []).append(value)
        return result

    def set_injury(self, observation_id: str, injury: InjuryFields | None) -> None:
        self.session.execute(delete(e.Injury).where(e.Injury.observation_id == observation_id))
        if injury is not None:
            self.session.add(e.Injury(observation_id=observation_id, **injury))

    def injury(self, observation_id: str) -> InjuryFields | None:
        found = self.session.scalars(
            select(e.Injury).where(e.Injury.observation_id == observation_id)
        ).first()
        return None if found is None else _injury_fields(found)

    def injuries(self, observation_ids: Iterable[str]) -> dict[str, e.Injury]:
        """observation id → its injury, for those of `observation_ids` that have one."""
        ids = list(observation_ids)
        found: dict[str, e.Injury] = {}
        for start in range(0, len(ids), 500):
            for injury in self.session.scalars(
                select(e.Injury).where(e.Injury.observation_id.in_(ids[start : start + 500]))
            ):
                found[injury.observation_id] = injury
        return found

    def fields(self, kind: RecordKind, entry: e.Entry) -> dict[str, Any]:
        """The entry's content in the shape of its details dataclass (links and parts included)."""
        kind_spec = spec(kind)
        fields: dict[str, Any] = {}
        for name in kind_spec.field_names():
            if name in kind_spec.links:
                fields[name] = self.linked(kind, entry.id, name)
            elif name == "injury":
                fields[name] = self.injury(entry.id)
            else:
                fields[name] = getattr(entry, name)
        return fields

    def fields_of_many(self, kind: RecordKind, entries: list[e.Entry]) -> Iterator[dict[str, Any]]:
        """`fields` of each entry, in order, with the links and parts of all read in a few
        queries (the first unlock after an upgrade reads every final entry this way)."""
        kind_spec = spec(kind)
        ids = [entry.id for entry in entries]
        links = {name: self.linked_to_many(kind, name, ids) for name in kind_spec.links}
        names = kind_spec.field_names()
        injuries = self.injuries(ids) if "injury" in names else {}
        for entry in entries:
            fields: dict[str, Any] = {}
            for name in names:
                if name in links:
                    fields[name] = sorted(links[name].get(entry.id, []))
                elif name == "injury":
                    found = injuries.get(entry.id)
                    fields[name] = None if found is None else _injury_fields(found)
                else:
                    fields[name] = getattr(entry, name)
            yield fields

    # -- amendments and finals ---------------------------------------------------------------------

    def amendments(self, kind: RecordKind, entry_id: str) -> list[e.Amendment]:
        return list(
            self.session.scalars(
                select(e.Amendment)
                .where(e.Amendment.target_kind == kind, e.Amendment.target_id == entry_id)
                .order_by(e.Amendment.recorded_at)
            )
        )

    def add_amendment(self, **columns: Any) -> e.Amendment:
        amendment = e.Amendment(**columns)
        self.session.add(amendment)
        self.session.flush()
        return amendment

    def add_status_change(self, **columns: Any) -> e.ConcernStatusChange:
        change = e.ConcernStatusChange(**columns)
        self.session.add(change)
        self.session.flush()
        return change

    def finals(self, kind: RecordKind) -> Iterator[e.Entry]:
        model = e.ENTRY_KINDS[kind]
        yield from self.session.scalars(select(model).where(model.status == EntryStatus.FINAL))
