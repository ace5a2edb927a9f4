"""The state of one import of a case bundle, and the rows every kind of record shares: provenance
(author, origin, who imported it from whom), the revision of a record that may change, and the
words a refusal uses. The import itself is services/bundle_import.py."""

import typing
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.labels import signature
from practitioner_app.domain.times import as_utc, format_uk_datetime, now_utc
from practitioner_app.export import bundle as fmt
from practitioner_app.services import records
from practitioner_app.services.bundle_details import attribute_of
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.base import new_id
from practitioner_app.store.repositories.bundles import BundleRepository
from practitioner_app.store.repositories.entry_content import EntryContentRepository


class ImportState:
    """What one import holds while it runs (the pending rows, the tallies, the notes) and how a
    row's provenance and a revision are made; `Importer` (services/bundle_import.py) runs it."""

    # Set by `Importer.run` for its one transaction.
    session: Session
    content: EntryContentRepository
    existing: dict[str, dict[str, Any]]

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

    def _refuse(self, where: str, message: str) -> typing.NoReturn:
        raise InvalidInput(f"The bundle was not imported: {where}: {message}.")

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
        updated = attribute_of(record, "updated_at")
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

    # -- revisions -------------------------------------------------------------------------------

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

    # -- words -----------------------------------------------------------------------------------

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
