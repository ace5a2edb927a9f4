"""Building a child's chronology from everything recorded about them (DOMAIN.md "The chronology")."""

import dataclasses
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from practitioner_app.domain import chronology as rules
from practitioner_app.domain.body_marks import MarkKind
from practitioner_app.domain.enums import AuditAction, EventKind
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import KINDS, RecordKind
from practitioner_app.domain.labels import field_label, imported_note
from practitioner_app.gcpause import without_cyclic_gc
from practitioner_app.services.chronology_rows import RowBuilder, signature_of
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.amendments import AmendmentRepository
from practitioner_app.store.repositories.body_marks import BodyMarkRepository
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.chronology_choices import ChronologyChoiceRepository
from practitioner_app.store.repositories.concerns import ConcernRepository
from practitioner_app.store.repositories.entries import (
    ChronologyEventRepository,
    EntryRepository,
    ObservationRepository,
    ReferralRepository,
    SharingRepository,
    VisitRepository,
    entry_repository,
)
from practitioner_app.store.repositories.entry_content import EntryContentRepository


def _amendments(
    repository: AmendmentRepository, ids: dict[str, list[str]]
) -> dict[str, list[rules.AmendmentNote]]:
    """The amendments of the entries `ids` (by kind), by entry."""
    found: dict[str, list[rules.AmendmentNote]] = {}
    for a in repository.of_entries_by_kind(ids):
        found.setdefault(a.target_id, []).append(
            rules.AmendmentNote(
                field=field_label(a.target_kind, a.field),
                new_value=a.new_value or "",
                reason=a.reason,
                by=signature_of(a),
                at=a.recorded_at,
                at_known=a.recorded_at_known,
                imported=imported_note(a.imported_by, a.imported_at, a.imported_from),
            )
        )
    return found


# Columns of an entry that no chronology row shows or is sorted by: not read (issue 19: each
# value read costs a conversion in Python, and the heavy child has thousands of rows).
NOT_IN_A_CHRONOLOGY = frozenset(
    {
        "created_at",
        "updated_at",
        "finalised_at",
        "external_ref",
        "origin_vault",
        "content_sha256",
        "present",
        "planned",
        "weight_kg",
        "length_cm",
        "head_circumference_cm",
        "details",
        "closed_at",
        "concern_status",
    }
)


# Thousands of rows made at once: without the collector's full passes over everything the app
# holds, each of which would hold the interpreter lock (gcpause.py; issue 19).
@without_cyclic_gc()
def build(
    ws: Workspace,
    child_id: str,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    significant_only: bool = False,
    include_drafts: bool = False,
) -> list[rules.ChronologyRow]:
    """The child's chronology, oldest first; final entries only unless drafts are asked for."""
    with ws.unit_of_work() as session:
        child = ChildRepository(session).fetch(child_id)
        final_only = not include_drafts

        def mine(
            repository: EntryRepository[Any], leave_out: frozenset[str] = NOT_IN_A_CHRONOLOGY
        ) -> list[Any]:
            # Plain rows, not ORM objects: read-only, and hydrating thousands of entities costs
            # more than building the chronology from them.
            # In no order: the chronology is sorted below, by its own rule.
            return repository.rows_for_child(
                child_id, final_only=final_only, leave_out=leave_out, ordered=False
            )

        visits = mine(VisitRepository(session))
        choices = ChronologyChoiceRepository(session).for_child(child_id)
        chosen_observations = [rid for rid, significant in choices.items() if significant]
        observation_repository = ObservationRepository(session)
        observations: list[Any] = list(
            observation_repository.chronology_rows(
                child_id, chosen_observations, final_only=final_only, leave_out=NOT_IN_A_CHRONOLOGY
            )
        )
        concerns = mine(ConcernRepository(session))
        referrals = mine(ReferralRepository(session))
        events = mine(ChronologyEventRepository(session))
        shares = mine(SharingRepository(session))
        # A mark's row is read whole: its chronology line names every detail of the mark.
        marks = mine(BodyMarkRepository(session), frozenset())
        ids = {
            kind.value: [x.id for x in rows]
            for kind, rows in (
                (RecordKind.VISIT, visits),
                (RecordKind.OBSERVATION, observations),
                (RecordKind.CONCERN, concerns),
                (RecordKind.REFERRAL, referrals),
                (RecordKind.CHRONOLOGY_EVENT, events),
                (RecordKind.SHARING_RECORD, shares),
                (RecordKind.BODY_MARK, marks),
            )
        }
        amendments = _amendments(AmendmentRepository(session), ids)
        injuries = EntryContentRepository(session).injuries(o.id for o in observations)
        builder = RowBuilder(child, amendments, injuries)
        rows = [
            *builder.visits(visits),
            *builder.observations(observations),
            *builder.concerns(concerns),
            *builder.referrals(referrals),
            *builder.events(events),
            *builder.sharing(shares),
            *builder.marks(marks),
        ]
    rows = [
        dataclasses.replace(row, significant=choices[row.record_id], chosen=True)
        if row.record_id in choices
        else row
        for row in rows
    ]
    if date_from is not None or date_to is not None or significant_only:
        rows = [
            row
            for row in rows
            if rules.in_range(row.date, date_from, date_to)
            and (row.significant or not significant_only)
        ]
    # By the kind as the rows hold it (a RecordKind): made again from its value, row by row, it
    # was a tenth of the sort.
    order = {kind: kind_spec.chronology_order for kind, kind_spec in KINDS.items()}
    rows.sort(key=lambda row: rules.order_key(row, order[row.record_kind]))
    return rows


# Every kind of entry can be chosen in or out of a chronology.
CHOOSABLE = tuple(KINDS)


INJURY_REASON_NEEDED = (
    "An injury stays in the chronology as significant unless you say why it should not; "
    "give the reason."
)


def choose_significance(
    ws: Workspace,
    child_id: str,
    kind: str,
    record_id: str,
    significant: bool | None,
    reason: str | None = None,
) -> None:
    """Mark an entry significant or not for the child's chronology; None goes back to the rule
    (missed contacts, children not seen, observations marked significant or of an injury,
    everything else). Going back to the rule keeps the choice's row with significant None, so
    that the change reaches a vault the entry is handed to. Marking an injury not significant
    needs `reason`, kept in the audit chain with the choice; InvalidInput(field "reason") without
    one."""
    if kind not in CHOOSABLE:
        raise InvalidInput(f"'{kind}' entries are not part of a chronology.")
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        entry = entry_repository(session, kind).fetch(record_id)
        why = (reason or "").strip() or None
        if significant is False and why is None and _is_injury(session, kind, entry):
            raise InvalidInput(INJURY_REASON_NEEDED, "reason")
        choices = ChronologyChoiceRepository(session)
        choice = choices.for_record(record_id)
        if choice is None and significant is None:
            return  # nothing chosen, nothing to put back
        if choice is None:
            choices.add(
                e.ChronologyChoice(
                    child_id=child_id,
                    record_kind=kind,
                    record_id=record_id,
                    significant=significant,
                    **ws.authorship(),
                )
            )
        else:
            choice.significant = significant
            for name, value in ws.authorship().items():
                setattr(choice, name, value)
        # The row stays even when put back to the rule (significant None), so it is sealed too.
        kept = choices.for_record(record_id)
        assert kept is not None
        detail: dict[str, Any] = {"significant": significant}
        if why:
            detail["reason"] = why
        ws.audit_sealed(
            session,
            AuditAction.UPDATE,
            "chronology_choice",
            record_id,
            [("chronology_choice", kept.id)],
            **detail,
        )


def _is_injury(session: Session, kind: str, entry: Any) -> bool:
    if kind == RecordKind.OBSERVATION:
        return (
            rules.is_injury(entry) or EntryContentRepository(session).injury(entry.id) is not None
        )
    if kind == RecordKind.BODY_MARK:
        return bool(entry.mark_kind is MarkKind.INJURY)
    return kind == RecordKind.CHRONOLOGY_EVENT and entry.kind is EventKind.INJURY
