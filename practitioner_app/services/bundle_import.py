"""Adding a parsed case bundle (format 2, or format 1 upgraded) to the vault in one transaction.

Every record keeps its own UUID: a bundle record whose id is already a row here is the same record,
compared with it field by field:
- the same: already present, nothing written;
- a final entry, a status change or an amendment that differs: the whole import is refused,
  naming both versions (a final record never changes, so one copy has been altered);
- a draft here that the bundle has finalised or edited (about the same children): replaced;
- a child, household member, professional or chronology choice that differs: a revision with
  both values kept (record_revision), applied when the bundle's version is the newer, and
  reported as changed.
A new record becomes the details a practitioner would have typed (`_details`, field by field by
name), is checked by the same rules, and is inserted in bulk with its links and its provenance:
author and recorded-at as the source gave them (or marked not known), and who imported it, when,
and from whom.
"""

import dataclasses
import typing
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from practitioner_app.domain import photographs as photo_rules
from practitioner_app.domain.body_marks import BodyMarkDetails
from practitioner_app.domain.enums import AuditAction, EntryStatus
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import KINDS, EntryDetails, RecordKind, kind_of, spec
from practitioner_app.domain.labels import signature
from practitioner_app.domain.records import (
    ChildDetails,
    ChronologyEventDetails,
    ConcernDetails,
    HouseholdMemberDetails,
    InjuryDetails,
    ObservationDetails,
    ReferralDetails,
    SharingDetails,
    VisitDetails,
    check_not_in_future,
)
from practitioner_app.domain.times import (
    as_utc,
    format_uk_datetime,
    now_utc,
    start_of_uk_day,
    uk_date,
)
from practitioner_app.export import bundle as fmt
from practitioner_app.services import photographs, records
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store import seals
from practitioner_app.store.base import new_id
from practitioner_app.store.bulk_sqlite import defer_foreign_keys, insert_rows
from practitioner_app.store.people import Child
from practitioner_app.store.photographs import CHUNK_BYTES, Photograph, PhotographChunk
from practitioner_app.store.repositories.bundles import PEOPLE, BundleRepository, shared_columns
from practitioner_app.store.repositories.entry_content import EntryContentRepository
from practitioner_app.store.repositories.photographs import PhotographRepository
from practitioner_app.store.search import indexed_once_at_the_end

D = TypeVar("D")

# Where a details field has another name in the bundle, so a refusal names the bundle's field.
_BUNDLE_FIELDS: dict[str, dict[str, str]] = {
    "observations": {"occurred_at": "observed_at"},
    "concerns": {"occurred_at": "raised_at", "concern_status": "status"},
    "referrals": {"occurred_at": "created_at"},
    "sharing": {"occurred_at": "at"},
    "people": {"from_date": "from", "to_date": "to"},
}

# Bundle list name → its kind of entry; people and children are not entries.
ENTRY_LISTS: dict[str, RecordKind] = {spec.bundle_list: kind for kind, spec in KINDS.items()}
HISTORY_MODELS: dict[str, Any] = {
    "status_changes": e.ConcernStatusChange,
    "amendments": e.Amendment,
    "chronology_choices": e.ChronologyChoice,
    "alert_reviews": e.AlertReview,
    "agency_aliases": e.AgencyAlias,
}
LIST_MODELS: dict[str, Any] = {
    "children": Child,
    **{name: model for name, (model, _, _) in PEOPLE.items()},
    **{name: e.ENTRY_KINDS[kind] for name, kind in ENTRY_LISTS.items() if kind in e.ENTRY_KINDS},
    **HISTORY_MODELS,
}


@dataclass(frozen=True)
class ImportReport:
    """Counts by bundle list, and sentences on what the practitioner should look at."""

    added: dict[str, int]
    already_present: dict[str, int]
    changed: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


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


def _attribute(record: Any, name: str) -> Any:
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


def _details(details_type: type[D], *records: Any, **values: Any) -> D:
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


def _child_columns(details: ChildDetails) -> dict[str, Any]:
    columns = dataclasses.asdict(details)
    columns["other_names"] = list(details.other_names)
    return columns


def _seconds(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value).replace(microsecond=0)


class Importer:
    """Holds the pending rows and the tallies of one import; `run` does the whole thing."""

    def __init__(self, ws: Workspace, parsed: fmt.Parsed) -> None:
        self.ws = ws
        self.bundle = parsed.bundle
        self.source = parsed.source
        self.own_vault = ws.vault.vault_id
        self.now = now_utc()
        self.importer = signature(ws.profile.name, ws.profile.role, ws.profile.agency)
        self.added: Counter[str] = Counter()
        self.present: Counter[str] = Counter()
        self.changed: Counter[str] = Counter()
        self.notes: list[str] = []
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        # Links and injuries of entries: written before the entries themselves (see `run`).
        self.dependents: dict[Any, list[dict[str, Any]]] = {}
        # Rows already here that the import changed (table, id): sealed afresh with it.
        self.resealed: list[tuple[str, str]] = []

    # -- the whole import ------------------------------------------------------------------------

    def run(self, session: Session) -> ImportReport:
        b = self.bundle
        repo = BundleRepository(session)
        self.session = session
        self.content = EntryContentRepository(session)
        incoming = {name: [r.id for r in getattr(b, name) or []] for name in LIST_MODELS}
        tables = {name: LIST_MODELS[name].__tablename__ for name in incoming}
        found = repo.where_ids_are({tables[name]: ids for name, ids in incoming.items()})
        self._ids_name_one_record(incoming, found.elsewhere)
        self.existing = {
            name: repo.rows_of(LIST_MODELS[name], found.present[tables[name]])
            for name in LIST_MODELS
        }
        self._children(b.children)
        for name in PEOPLE:
            self._people(name, getattr(b, name) or [])
        # KINDS is in the order links need: an observation names a visit, a concern visits and
        # observations, a referral concerns.
        for name, kind in ENTRY_LISTS.items():
            for index, record in enumerate(getattr(b, name) or []):
                self._entry(name, index, kind, record)
        self._status_changes(b.status_changes or [])
        self._amendments(b.amendments or [])
        self._choices(b.chronology_choices or [])
        self._photographs(b.photographs or [])
        self._alert_reviews(b.alert_reviews or [])
        self._agency_aliases(b.agency_aliases or [])
        session.flush()
        # A final entry's links cannot be added after it (the integrity triggers refuse), so they go
        # first, with foreign-key checks deferred to the commit of this one transaction.
        defer_foreign_keys(session)
        with indexed_once_at_the_end(session):
            for table in (self.dependents, self.rows):
                for target, rows in table.items():
                    insert_rows(session, getattr(target, "__table__", target), rows)
        report = ImportReport(
            dict(self.added), dict(self.present), dict(self.changed), tuple(self.notes)
        )
        written = [
            # str: the table's name is SQLAlchemy's quoted_name, which the driver would look up
            # an adapter for in each of the ledger's 150,000 rows.
            (str(table.name), row["id"])
            for target, rows in self.rows.items()
            if (table := getattr(target, "__table__", target)).name in seals.SEALED_TABLES
            for row in rows
        ]
        self.ws.audit_sealed(
            session,
            AuditAction.IMPORT,
            "bundle",
            None,
            [*written, *self.resealed],
            added=report.added,
            already_present=report.already_present,
            changed=report.changed,
            source_vault=b.vault_id,
        )
        return report

    def _refuse(self, where: str, message: str) -> typing.NoReturn:
        raise InvalidInput(f"The bundle was not imported: {where}: {message}.")

    def _ids_name_one_record(self, incoming: dict[str, list[str]], taken: dict[str, str]) -> None:
        """Refuse a record whose id this vault already gives to a record of another kind (`taken`:
        id → the table holding it): ids are identities, and a chronology choice or an amendment
        finds its record by id."""
        for name, ids in incoming.items():
            for index, record_id in enumerate(ids):
                if record_id in taken:
                    held = taken[record_id].replace("_", " ")
                    article = "an" if held[0] in "aeiou" else "a"
                    raise InvalidInput(
                        f"The bundle was not imported: {name}[{index}].id: this vault already has "
                        f"{article} {held} with this id; each record has its own id."
                    )

    def _validate(self, name: str, index: int, details: Any) -> None:
        try:
            if isinstance(details, ChildDetails):
                details.validate(uk_date(self.now))
            elif isinstance(details, HouseholdMemberDetails):
                details.validate()  # as when typed: names, contact details, dates in order
            else:
                details.validate()
                # As when typed: an entry records what has happened.
                check_not_in_future(
                    as_utc(details.occurred_at), self.now, spec(kind_of(details)).words
                )
        except InvalidInput as problem:
            where = f"{name}[{index}]"
            if problem.field:
                where += "." + _BUNDLE_FIELDS.get(name, {}).get(problem.field, problem.field)
            raise InvalidInput(f"The bundle was not imported: {where}: {problem.message}") from None

    def _rows_for(self, target: Any) -> list[dict[str, Any]]:
        return self.rows.setdefault(target, [])

    # -- provenance ------------------------------------------------------------------------------

    def _provenance(self, record: fmt.Provenance) -> dict[str, Any]:
        """The author as first written (or not known), where the record was first written, and
        who brought it here, when and from whom."""
        author = record.author
        return {
            "author_name": author.name if author else "",
            "author_role": author.role if author else None,
            "author_agency": author.agency if author else None,
            "author_known": author is not None,
            "origin_vault": None if record.vault_id == self.own_vault else record.vault_id,
            "imported_at": self.now,
            "imported_by": self.importer,
            "imported_from": self.source,
        }

    def _common(
        self, record: fmt.Provenance, name: str, index: int, *, evidence: bool = False
    ) -> dict[str, Any]:
        """The id, times and provenance of a new row. `evidence`: a final entry, an amendment
        or a status change, which the vault that wrote it never loses."""
        if record.vault_id == self.own_vault and evidence:
            # A discarded draft may come back, but a final record is never removed from the
            # vault it was written in: one that claims to be ours and is not here came from a
            # copy of this vault (a restored backup used as a second vault).
            self._refuse(
                f"{name}[{index}].vault_id",
                "it says it was written in this vault, which has never held it; the bundle "
                "came from a copy of this vault, so its records cannot be told apart from "
                "this vault's own. Ask its sender to export from their own vault",
            )
        # Where the source did not say when it was written, created_at is the import itself
        # (as imported_at): the export reads that as "not known" for rows with no recorded_at.
        recorded = as_utc(record.recorded_at) if record.recorded_at else None
        updated = _attribute(record, "updated_at")
        return {
            "id": record.id,
            "external_ref": None,
            "created_at": recorded or self.now,
            "updated_at": as_utc(updated) if updated else recorded or self.now,
            **self._provenance(record),
        }

    def _same_origin(self, name: str, index: int, record: fmt.Provenance, row: Any) -> None:
        ours = row.origin_vault or self.own_vault
        if ours != record.vault_id:
            self._refuse(
                f"{name}[{index}].vault_id",
                f"this vault holds record {record.id} as first written in vault {ours[:8]}, and "
                f"the bundle says vault {record.vault_id[:8]}; one record has one origin, so one "
                "of the two has been altered",
            )

    def _same_author(self, record: fmt.Provenance, row: Any) -> bool:
        theirs = (
            (record.author.name, record.author.role, record.author.agency)
            if record.author
            else None
        )
        ours = (row.author_name, row.author_role, row.author_agency) if row.author_known else None
        return theirs == ours

    # -- people ----------------------------------------------------------------------------------

    def _children(self, children: list[fmt.Child]) -> None:
        repo = BundleRepository(self.session)
        by_number = repo.children_by_nhs_number(
            [
                c.nhs_number
                for c in children
                if c.nhs_number and c.id not in self.existing["children"]
            ]
        )
        # Two children with one NHS number are kept, never merged: the practitioner decides.
        first_with: dict[str, int] = {}
        for index, child in enumerate(children):
            details = _details(ChildDetails, child)
            self._validate("children", index, details)
            if child.nhs_number and child.nhs_number in first_with:
                self.notes.append(
                    f"children[{index}] has the NHS number of children[{first_with[child.nhs_number]}] "
                    "but is another record: possibly the same child. Both are kept; check them "
                    "and record which is right."
                )
            if child.nhs_number:
                first_with.setdefault(child.nhs_number, index)
            row = self.existing["children"].get(child.id)
            if row is not None:
                self._same_origin("children", index, child, row)
                self._revise("children", index, child, row, _child_columns(details))
                if child.nhs_number and row.nhs_number == child.nhs_number:
                    other = repo.other_child_with_nhs_number(child.nhs_number, row.id)
                    if other is not None:
                        self.notes.append(
                            f"children[{index}] now has the NHS number of a child already in "
                            f"this vault ({other}): possibly the same child. Both are kept; "
                            "check them and record which is right."
                        )
                continue
            self.added["children"] += 1
            columns = _child_columns(details)
            common = self._common(child, "children", index)
            if child.reference and not repo.reference_taken(child.reference):
                common["external_ref"] = child.reference
            self._rows_for(Child).append({**columns, **common})
            if child.nhs_number in by_number:
                self.notes.append(
                    f"children[{index}] has the NHS number of a child already in this vault "
                    f"({by_number[child.nhs_number]}) but is another record: possibly the same "
                    "child. Both are kept; check them and record which is right."
                )

    def _people(self, name: str, people: list[Any]) -> None:
        """Household members or professionals, each with a link to every child it names."""
        person_model, link_model, key = PEOPLE[name]
        for index, person in enumerate(people):
            if name == "people":
                self._validate(name, index, _details(HouseholdMemberDetails, person))
            row = self.existing[name].get(person.id)
            link = shared_columns(link_model, person)
            if row is not None:
                self._same_origin(name, index, person, row)
                self._revise(name, index, person, row, shared_columns(person_model, person))
                self._relink(link_model, key, person, link)
                continue
            self.added[name] += 1
            self._rows_for(person_model).append(
                {**self._common(person, name, index), **shared_columns(person_model, person)}
            )
            for child_id in dict.fromkeys(person.child_ids):
                self._rows_for(link_model).append(
                    {**link, "id": new_id(), key: person.id, "child_id": child_id}
                )

    def _relink(self, link_model: Any, key: str, person: Any, link: dict[str, Any]) -> None:
        """A known person's links to the bundle's children: a new link added; a link whose
        details differ updated (the person's revision already lists the change)."""
        ours = BundleRepository(self.session).links(link_model, key, person.id)
        for child_id in dict.fromkeys(person.child_ids):
            existing = ours.get(child_id)
            if existing is None:
                self._rows_for(link_model).append(
                    {**link, "id": new_id(), key: person.id, "child_id": child_id}
                )
            else:
                for column, value in link.items():
                    setattr(existing, column, value)
                self.resealed.append((existing.__tablename__, existing.id))

    def _revise(self, name: str, index: int, record: Any, row: Any, theirs: dict[str, Any]) -> None:
        """A record that may change: the same, or a revision per differing field with both
        values, applied when the bundle's version is the newer."""
        ours = {column: getattr(row, column) for column in theirs}
        differing = records.differing_fields(ours, theirs)
        if not differing:
            self.present[name] += 1
            return
        revised_at = as_utc(record.updated_at) if record.updated_at else None
        # A bundle that does not say when its version was changed (format 1) never overrides
        # this vault's: an old file imported again must not undo a correction made since.
        applied = revised_at is not None and revised_at > row.updated_at
        if self._seen_before(row, differing, theirs, revised_at):
            self.present[name] += 1
            return
        for column in differing:
            self._rows_for(e.RecordRevision).append(
                {
                    "id": new_id(),
                    "external_ref": None,
                    "created_at": self.now,
                    "updated_at": self.now,
                    **self.ws.authorship(),
                    "record_table": row.__tablename__,
                    "record_id": row.id,
                    "field": column,
                    "old_value": records.plain(ours[column]),
                    "new_value": records.plain(theirs[column]),
                    "revised_at": revised_at or self.now,
                    "applied": applied,
                }
            )
        if applied:
            for column in differing:
                setattr(row, column, theirs[column])
            row.updated_at = revised_at or self.now
            self.resealed.append((row.__tablename__, row.id))
        self.changed[name] += 1
        fields = ", ".join(differing)
        if applied:
            outcome = "the bundle's newer version is applied; both are kept."
        elif revised_at is None:
            outcome = (
                "the bundle does not say when its version was written, so this vault's stays; "
                "the bundle's is kept beside it."
            )
        else:
            outcome = "this vault's version is newer and stays; the bundle's is kept beside it."
        self.notes.append(f"{name}[{index}] changed ({fields}): {outcome}")

    def _seen_before(
        self, row: Any, differing: list[str], theirs: dict[str, Any], revised_at: datetime | None
    ) -> bool:
        """Whether this very version (every differing value, as dated) was brought before and
        kept beside this vault's: the same bundle again then changes nothing."""
        kept = BundleRepository(self.session).revisions(row.__tablename__, row.id)
        return all(
            any(
                r.field == column
                and r.new_value == records.plain(theirs[column])
                and (revised_at is None or as_utc(r.revised_at) == revised_at)
                and not r.applied
                for r in kept
            )
            for column in differing
        )

    # -- entries ---------------------------------------------------------------------------------

    def _entry(self, name: str, index: int, kind: RecordKind, record: Any) -> None:
        details = _CONVERT[kind](self, record)
        self._validate(name, index, details)
        row = self.existing[name].get(record.id)
        if row is not None:
            self._same_origin(name, index, record, row)
            if self._replaces(name, index, kind, record, row, details):
                self._entry_rows(name, index, record, details)
            return
        self.added[name] += 1
        self._entry_rows(name, index, record, details)

    def _status(self, record: Any) -> EntryStatus:
        status: EntryStatus = (
            record.entry_status if isinstance(record, fmt.Concern) else record.status
        )
        return status

    def _replaces(
        self, name: str, index: int, kind: RecordKind, record: Any, row: e.Entry, details: Any
    ) -> bool:
        """Whether a bundle entry whose id is already here replaces it (a draft here the bundle
        has moved on); False when it is the same. Refuses when a final entry would change."""
        ours = self.content.fields(kind, row)
        theirs = records.canonical_fields(kind, details)
        if ours.get("time_known") is False and theirs.get("time_known") is False:
            # A date alone: its day is the content, whatever hour it is held at.
            for fields in (ours, theirs):
                fields["occurred_at"] = uk_date(fields["occurred_at"])
        differing = records.differing_fields(ours, theirs)
        if not self._same_author(record, row):
            differing.append("author")
        recorded = _seconds(record.recorded_at) if record.recorded_at else None
        if recorded != (_seconds(row.recorded_at) if row.recorded_at_known else None):
            differing.append("recorded_at")
        status = self._status(record)
        if not differing and status is row.status:
            self.present[name] += 1
            return False
        same_children = all(
            sorted(set(ours[link])) == sorted(set(theirs[link]))
            for link in ("child_id", "child_ids")
            if link in ours
        )
        if (
            row.status is EntryStatus.DRAFT
            and same_children
            and not (status is EntryStatus.DRAFT and not differing)
        ):
            # The draft's own photographs go with it; the bundle's version brings its own.
            photographs.delete_with_owner(self.session, row.__tablename__, row.id)
            self.content.delete(kind, row)
            self.session.flush()
            self.changed[name] += 1
            self.notes.append(
                f"{name}[{index}] was a draft here; the bundle's "
                f"{'final' if status is EntryStatus.FINAL else 'newer draft'} version replaces it."
            )
            return True
        what = ", ".join(differing) or "status (final here, a draft in the bundle)"
        why = (
            "a final entry never changes, so one of the two copies has been altered"
            if row.status is EntryStatus.FINAL
            else "a draft here is replaced only by a version about the same children"
        )
        self._refuse(
            f"{name}[{index}]",
            f"this vault already holds {spec(kind).one} {record.id} "
            f"({row.status.value}, recorded by {row.signature} "
            f"{self._recorded(row)}) and the bundle's version (recorded by "
            f"{self._signature_of(record)} {self._recorded_of(record)}) differs in {what}; "
            f"{why}. Nothing was imported; ask the sender which is right",
        )

    def _recorded(self, row: Any) -> str:
        # Rows without a recorded-at of their own (an alert review) were written when created.
        if not getattr(row, "recorded_at_known", row.created_at != row.imported_at):
            return "at a time not known"
        return f"on {format_uk_datetime(getattr(row, 'recorded_at', row.created_at))}"

    def _recorded_of(self, record: Any) -> str:
        if record.recorded_at is None:
            return "at a time not known"
        return f"on {format_uk_datetime(as_utc(record.recorded_at))}"

    def _signature_of(self, record: Any) -> str:
        author = record.author
        if author is None:
            return "an author not recorded by the source"
        return signature(author.name, author.role, author.agency)

    def _visit(self, v: fmt.Visit) -> EntryDetails:
        return _details(VisitDetails, v, occurred_at=as_utc(v.occurred_at))

    def _observation(self, o: fmt.Observation) -> EntryDetails:
        occurred_at, time_known = _moment(o.observed_at)
        return _details(
            ObservationDetails,
            o,
            o.measurement,
            occurred_at=occurred_at,
            time_known=time_known,
            injury=None if o.injury is None else _details(InjuryDetails, o.injury),
        )

    def _concern(self, c: fmt.Concern) -> EntryDetails:
        occurred_at, time_known = _moment(c.raised_at)
        return _details(
            ConcernDetails,
            c,
            occurred_at=occurred_at,
            time_known=time_known,
            concern_status=c.status,
            closed_at=_instant(c.closed_at),
            visit_ids=tuple(c.visit_ids or ()),
            observation_ids=tuple(c.observation_ids or ()),
        )

    def _event(self, ev: fmt.Event) -> EntryDetails:
        occurred_at, time_known = _moment(ev.occurred_at)
        return _details(
            ChronologyEventDetails,
            ev,
            occurred_at=occurred_at,
            time_known=time_known,
            ended_at=_instant(ev.ended_at),
        )

    def _referral(self, r: fmt.Referral) -> EntryDetails:
        return _details(
            ReferralDetails,
            r.consent,  # first: the referral's own `consent` is this whole record
            r,
            occurred_at=as_utc(r.created_at),
            concern_ids=tuple(r.concern_ids or ()),
            closed_at=_instant(r.closed_at),
        )

    def _sharing(self, s: fmt.Sharing) -> EntryDetails:
        return _details(SharingDetails, s, occurred_at=as_utc(s.at))

    def _body_mark(self, m: fmt.BodyMark) -> EntryDetails:
        occurred_at, time_known = _moment(m.occurred_at)
        return _details(BodyMarkDetails, m, occurred_at=occurred_at, time_known=time_known)

    def _agency(self, record: Any, details: EntryDetails) -> str | None:
        """The agency the information came from, for the alert rules: as given, else the named
        source (concerns, events), else the author's agency."""
        given = _attribute(record, "agency")
        if given:
            return records.normalised_agency(given)
        author_agency = record.author.agency if record.author else None
        return records.source_agency(details, author_agency)

    def _entry_rows(self, name: str, index: int, record: Any, details: EntryDetails) -> None:
        kind = kind_of(details)
        model = e.ENTRY_KINDS[kind]
        status = self._status(record)
        common = self._common(record, name, index, evidence=status is EntryStatus.FINAL)
        # Not said by the source: kept as the moment it happened, for ordering only, and shown
        # as not known (never late, never on time).
        known = record.recorded_at is not None
        recorded_at = as_utc(record.recorded_at) if known else details.occurred_at
        final = status is EntryStatus.FINAL
        finalised_at = as_utc(record.finalised_at) if record.finalised_at else None
        columns, content = records.entry_values(kind, details)
        self._rows_for(model).append(
            {
                **columns,
                **common,
                "created_at": recorded_at,
                "updated_at": recorded_at,
                "status": status,
                "recorded_at": recorded_at,
                "recorded_at_known": known,
                "finalised_at": (finalised_at or recorded_at) if final else None,
                "agency": self._agency(record, details),
                "content_sha256": records.content_digest(content) if final else None,
            }
        )
        for link_field, link in model.links.items():
            for value in dict.fromkeys(getattr(details, link_field)):
                self.dependents.setdefault(link.table, []).append(
                    {link.own: record.id, link.other: value}
                )
        if isinstance(details, ObservationDetails) and details.injury is not None:
            self.dependents.setdefault(e.Injury, []).append(
                {
                    "id": new_id(),
                    "observation_id": record.id,
                    **(records.injury_fields(details.injury) or {}),
                }
            )

    # -- history ---------------------------------------------------------------------------------

    def _append_only(
        self, name: str, index: int, record: Any, ours: tuple[Any, ...], theirs: tuple[Any, ...]
    ) -> None:
        row = self.existing[name][record.id]
        self._same_origin(name, index, record, row)
        if records.plain(list(ours)) == records.plain(list(theirs)) and self._same_author(
            record, row
        ):
            self.present[name] += 1
            return
        self._refuse(
            f"{name}[{index}]",
            f"this vault already holds {record.id} (recorded by {row.signature} "
            f"{self._recorded(row)}) with other content than the bundle's (recorded by "
            f"{self._signature_of(record)} {self._recorded_of(record)}); history is never "
            "rewritten, so one of the two copies has been altered. Nothing was imported",
        )

    def _history_row(self, record: Any, name: str, index: int) -> dict[str, Any]:
        known = record.recorded_at is not None
        return {
            **self._common(record, name, index, evidence=True),
            "recorded_at_known": known,
        }

    def _status_changes(self, changes: list[fmt.StatusChange]) -> None:
        raised = {c.id: _moment(c.raised_at) for c in self.bundle.concerns or []}
        for index, change in enumerate(changes):
            changed_at, time_known = _moment(change.changed_at)
            raised_at, raised_time_known = raised[change.concern_id]
            if not time_known and raised_time_known and changed_at < raised_at:
                # A date alone, the day the concern was raised at a known time (the validator
                # refuses an earlier day): later that day, never at the midnight before it.
                changed_at = raised_at
            values = (change.concern_id, changed_at, change.new_status, change.outcome)
            row = self.existing["status_changes"].get(change.id)
            if row is not None:
                ours = (row.concern_id, row.changed_at, row.new_status, row.outcome)
                self._append_only("status_changes", index, change, ours, values)
                continue
            self.added["status_changes"] += 1
            common = self._history_row(change, "status_changes", index)
            self._rows_for(e.ConcernStatusChange).append(
                {
                    **common,
                    "concern_id": change.concern_id,
                    "changed_at": changed_at,
                    "recorded_at": as_utc(change.recorded_at) if change.recorded_at else changed_at,
                    "new_status": change.new_status,
                    "outcome": change.outcome,
                }
            )

    def _amendments(self, amendments: list[fmt.Amendment]) -> None:
        for index, amendment in enumerate(amendments):
            values = (
                amendment.target_kind.value,
                amendment.target_id,
                amendment.field,
                amendment.new_value,
                amendment.reason,
            )
            row = self.existing["amendments"].get(amendment.id)
            if row is not None:
                ours = (row.target_kind, row.target_id, row.field, row.new_value, row.reason)
                self._append_only("amendments", index, amendment, ours, values)
                continue
            self.added["amendments"] += 1
            common = self._history_row(amendment, "amendments", index)
            self._rows_for(e.Amendment).append(
                {
                    **common,
                    "target_kind": amendment.target_kind.value,
                    "target_id": amendment.target_id,
                    "field": amendment.field,
                    "new_value": amendment.new_value,
                    "reason": amendment.reason,
                    "recorded_at": as_utc(amendment.recorded_at)
                    if amendment.recorded_at
                    else self.now,
                }
            )

    def _choices(self, choices: list[fmt.ChronologyChoice]) -> None:
        repo = BundleRepository(self.session)
        for index, choice in enumerate(choices):
            row = self.existing["chronology_choices"].get(choice.id) or repo.choice_for(
                choice.record_id
            )
            if row is not None:
                self._revise(
                    "chronology_choices", index, choice, row, {"significant": choice.significant}
                )
                continue
            self.added["chronology_choices"] += 1
            self._rows_for(e.ChronologyChoice).append(
                {
                    **self._common(choice, "chronology_choices", index),
                    "child_id": choice.child_id,
                    "record_kind": choice.record_kind.value,
                    "record_id": choice.record_id,
                    "significant": choice.significant,
                }
            )

    def _photographs(self, photographs_in: list[fmt.Photograph]) -> None:
        """Photographs, kept exactly as they came (their SHA-256 is the evidence), after checking
        they are whole pictures with nothing hidden in them. Written before their records, as an
        entry's parts are (a final record takes no new photograph)."""
        repo = PhotographRepository(self.session)
        for index, photo in enumerate(photographs_in):
            where = f"photographs[{index}]"
            data = photo.decoded()
            try:
                photo_rules.check_kept(data, photo.media_type)
            except InvalidInput as problem:
                self._refuse(f"{where}.data", problem.message)
            row = repo.get(photo.id)
            if row is not None:
                self._same_origin("photographs", index, photo, row)
                if (row.sha256, row.owner_id, row.status) == (
                    photo.sha256,
                    photo.owner_id,
                    photo.status,
                ):
                    self.present["photographs"] += 1
                    continue
                self._refuse(
                    where,
                    f"this vault already holds photograph {photo.id} ({row.status.value}, "
                    f"SHA-256 {row.sha256[:12]}…) and the bundle's differs (SHA-256 "
                    f"{photo.sha256[:12]}…, {photo.status.value}); a kept photograph never "
                    "changes. Nothing was imported; ask the sender which is right",
                )
            owner = self.session.get(e.model_of(photo.owner_kind), photo.owner_id)
            if owner is not None and owner.status is EntryStatus.FINAL:
                self._refuse(
                    where,
                    f"the {photo.owner_kind} it is of is final here without this photograph, and "
                    "a final record's photographs never change. Nothing was imported",
                )
            final = photo.status is EntryStatus.FINAL
            self.added["photographs"] += 1
            for seq, start in enumerate(range(0, len(data), CHUNK_BYTES)):
                self.dependents.setdefault(PhotographChunk, []).append(
                    {
                        "photograph_id": photo.id,
                        "seq": seq,
                        "data": data[start : start + CHUNK_BYTES],
                    }
                )
            self.dependents.setdefault(Photograph, []).append(
                {
                    **self._common(photo, "photographs", index, evidence=final),
                    "child_id": photo.child_id,
                    "owner_kind": photo.owner_kind,
                    "owner_id": photo.owner_id,
                    "status": photo.status,
                    "media_type": photo.media_type,
                    "byte_count": len(data),
                    "width": photo_rules.size_of(data)[0],
                    "height": photo_rules.size_of(data)[1],
                    "sha256": photo.sha256,
                    "captured_at": as_utc(photo.captured_at) if photo.captured_at else None,
                    "attached_at": as_utc(photo.attached_at),
                    "location_removed": photo.location_removed,
                    "device_removed": photo.device_removed,
                    "finalised_at": as_utc(photo.finalised_at)
                    if final and photo.finalised_at
                    else (self.now if final else None),
                }
            )
            if final:
                self.resealed.append(("photograph", photo.id))

    def _alert_reviews(self, reviews: list[fmt.AlertReview]) -> None:
        """Reviews are append-only, as amendments are: the same one again is already present;
        one altered since is refused with everything else."""
        for index, review in enumerate(reviews):
            reviewed_at = as_utc(review.reviewed_at)
            values = (
                review.child_id,
                review.rule,
                list(review.evidence),
                review.outcome.value,
                review.note,
                _seconds(reviewed_at),
            )
            row = self.existing["alert_reviews"].get(review.id)
            if row is not None:
                ours = (
                    row.child_id,
                    row.rule,
                    list(row.evidence),
                    str(row.outcome),
                    row.note,
                    _seconds(row.reviewed_at),
                )
                self._append_only("alert_reviews", index, review, ours, values)
                continue
            self.added["alert_reviews"] += 1
            self._rows_for(e.AlertReview).append(
                {
                    **self._common(review, "alert_reviews", index, evidence=True),
                    "child_id": review.child_id,
                    "rule": review.rule,
                    "evidence": list(review.evidence),
                    "outcome": review.outcome,
                    "note": review.note,
                    "reviewed_at": reviewed_at,
                }
            )

    def _agency_aliases(self, aliases: list[fmt.AgencyAlias]) -> None:
        """A merge this vault does not have is added; the same one is present; where this vault
        already counts the name as another agency, its own word stays and the import says so."""
        repo = BundleRepository(self.session)
        added: set[str] = set()
        for index, alias in enumerate(aliases):
            name = records.normalised_agency(alias.alias) or alias.alias
            agency = records.normalised_agency(alias.agency) or alias.agency
            row = self.existing["agency_aliases"].get(alias.id)
            if row is not None:
                self._revise("agency_aliases", index, alias, row, {"agency": agency})
                continue
            if name in added:
                self._refuse(
                    f"agency_aliases[{index}].alias",
                    f"{name!r} is merged twice in the bundle; one name is one agency",
                )
            ours = repo.alias_named(name)
            if ours is not None:
                if ours.agency == agency:
                    self.present["agency_aliases"] += 1
                else:
                    self.notes.append(
                        f"agency_aliases[{index}]: this vault counts {name!r} as {ours.agency!r} "
                        f"and the bundle as {agency!r}; this vault's stays (Case > Agency "
                        "names… changes it)."
                    )
                continue
            added.add(name)
            self.added["agency_aliases"] += 1
            self._rows_for(e.AgencyAlias).append(
                {
                    **self._common(alias, "agency_aliases", index),
                    "alias": name,
                    "agency": agency,
                }
            )


# How each kind of entry is read from a bundle (tests/test_kinds.py checks every kind has one).
_CONVERT: dict[RecordKind, Callable[[Importer, Any], EntryDetails]] = {
    RecordKind.VISIT: Importer._visit,
    RecordKind.OBSERVATION: Importer._observation,
    RecordKind.CONCERN: Importer._concern,
    RecordKind.CHRONOLOGY_EVENT: Importer._event,
    RecordKind.REFERRAL: Importer._referral,
    RecordKind.SHARING_RECORD: Importer._sharing,
    RecordKind.BODY_MARK: Importer._body_mark,
}
