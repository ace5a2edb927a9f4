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
A new record becomes the details a practitioner would have typed (bundle_details.py, field by field
by name), is checked by the same rules, and is inserted in bulk with its links and its provenance:
author and recorded-at as the source gave them (or marked not known), and who imported it, when,
and from whom.
"""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from practitioner_app.domain.enums import AuditAction, EntryStatus
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import KINDS, EntryDetails, RecordKind, kind_of, spec
from practitioner_app.domain.records import (
    ChildDetails,
    HouseholdMemberDetails,
    ObservationDetails,
    check_not_in_future,
)
from practitioner_app.domain.times import (
    as_utc,
    uk_date,
)
from practitioner_app.export import bundle as fmt
from practitioner_app.services import photographs, records
from practitioner_app.services.bundle_details import (
    attribute_of,
    child_columns,
    details_from,
    entry_details,
    to_seconds,
)
from practitioner_app.services.bundle_import_history import HistoryImport
from practitioner_app.store import entries as e
from practitioner_app.store import seals
from practitioner_app.store.base import new_id
from practitioner_app.store.bulk_sqlite import defer_foreign_keys, insert_rows
from practitioner_app.store.people import Child
from practitioner_app.store.repositories.bundles import PEOPLE, BundleRepository, shared_columns
from practitioner_app.store.repositories.entry_content import EntryContentRepository
from practitioner_app.store.search import indexed_once_at_the_end

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


class Importer(HistoryImport):
    """Holds the pending rows and the tallies of one import (bundle_import_state.py); `run` does
    the whole thing."""

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
            details = details_from(ChildDetails, child)
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
                self._revise("children", index, child, row, child_columns(details))
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
            columns = child_columns(details)
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
                self._validate(name, index, details_from(HouseholdMemberDetails, person))
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

    # -- entries ---------------------------------------------------------------------------------

    def _entry(self, name: str, index: int, kind: RecordKind, record: Any) -> None:
        details = entry_details(kind, record)
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
        recorded = to_seconds(record.recorded_at) if record.recorded_at else None
        if recorded != (to_seconds(row.recorded_at) if row.recorded_at_known else None):
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

    def _agency(self, record: Any, details: EntryDetails) -> str | None:
        """The agency the information came from, for the alert rules: as given, else the named
        source (concerns, events), else the author's agency."""
        given = attribute_of(record, "agency")
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
