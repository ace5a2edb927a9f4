"""The history a case bundle brings (status changes, amendments, chronology choices, photographs,
alert reviews, agency-name merges): append-only records refused if altered, choices and merges
revised, photographs checked whole. Part of the import (services/bundle_import.py)."""

from typing import Any

from practitioner_app.domain import photographs as photo_rules
from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.times import as_utc
from practitioner_app.export import bundle as fmt
from practitioner_app.services import records
from practitioner_app.services.bundle_details import moment, to_seconds
from practitioner_app.services.bundle_import_state import ImportState
from practitioner_app.store import entries as e
from practitioner_app.store.photographs import CHUNK_BYTES, Photograph, PhotographChunk
from practitioner_app.store.repositories.bundles import BundleRepository
from practitioner_app.store.repositories.photographs import PhotographRepository


class HistoryImport(ImportState):
    """The history lists of a bundle, read into the import's pending rows."""

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
        raised = {c.id: moment(c.raised_at) for c in self.bundle.concerns or []}
        for index, change in enumerate(changes):
            changed_at, time_known = moment(change.changed_at)
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
                to_seconds(reviewed_at),
            )
            row = self.existing["alert_reviews"].get(review.id)
            if row is not None:
                ours = (
                    row.child_id,
                    row.rule,
                    list(row.evidence),
                    str(row.outcome),
                    row.note,
                    to_seconds(row.reviewed_at),
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
