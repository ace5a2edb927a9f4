"""Recording entries: create as drafts, edit drafts, finalise, amend; concern status changes.

A final entry is never changed: `edit_draft` and `delete_draft` refuse it and point to `amend`.
"""

import dataclasses
import hashlib
import json
import typing
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from practitioner_app.domain import forms
from practitioner_app.domain.enums import AuditAction, ConcernStatus, EntryStatus
from practitioner_app.domain.errors import FinalEntryIsReadOnly, InvalidInput
from practitioner_app.domain.labels import field_label
from practitioner_app.domain.records import (
    ChronologyEventDetails,
    ConcernDetails,
    ObservationDetails,
    ReferralDetails,
    SharingDetails,
    VisitDetails,
    check_not_in_future,
)
from practitioner_app.domain.times import as_utc, is_late_entry, now_utc
from practitioner_app.services.views import AmendmentView, EntryView
from practitioner_app.services.workspace import Workspace, fetch
from practitioner_app.store import entries as e
from practitioner_app.store.people import (
    Child,
)

EntryDetails = (
    VisitDetails
    | ObservationDetails
    | ConcernDetails
    | ChronologyEventDetails
    | ReferralDetails
    | SharingDetails
)

KIND_OF: dict[type[Any], str] = {
    VisitDetails: "visit",
    ObservationDetails: "observation",
    ConcernDetails: "concern",
    ChronologyEventDetails: "chronology_event",
    ReferralDetails: "referral",
    SharingDetails: "sharing_record",
}
DETAILS_OF = {kind: details for details, kind in KIND_OF.items()}

# Detail fields stored in link tables rather than columns: (table, entry column, other column).
LINKS: dict[str, dict[str, tuple[Table, str, str]]] = {
    "visit": {"child_ids": (e.visit_child, "visit_id", "child_id")},
    "referral": {
        "child_ids": (e.referral_child, "referral_id", "child_id"),
        "concern_ids": (e.referral_concern, "referral_id", "concern_id"),
    },
    "sharing_record": {"child_ids": (e.sharing_child, "sharing_record_id", "child_id")},
    "concern": {
        "visit_ids": (e.concern_visit, "concern_id", "visit_id"),
        "observation_ids": (e.concern_observation, "concern_id", "observation_id"),
    },
}
_LINKED_MODEL = {
    "child_id": Child,
    "visit_id": e.Visit,
    "observation_id": e.Observation,
    "concern_id": e.Concern,
}
_NOT_AMENDABLE = {
    "child_id",
    "child_ids",
    "visit_id",
    "visit_ids",
    "observation_ids",
    "concern_ids",
    "injury",
    "sections",
}


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def content_digest(fields: dict[str, Any]) -> str:
    """A fingerprint of an entry's content, written to the audit chain when it is finalised."""
    text = json.dumps(_plain(fields), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalised_agency(agency: str | None) -> str | None:
    return agency.strip().casefold() if agency and agency.strip() else None


def source_agency(details: EntryDetails, author_agency: str | None) -> str | None:
    """The agency the information came from, for the alert rules: the named source of a concern
    or chronology event, otherwise the author's own agency."""
    if isinstance(details, ConcernDetails | ChronologyEventDetails):
        return normalised_agency(details.source)
    return normalised_agency(author_agency)


def canonical_fields(kind: str, details: EntryDetails) -> dict[str, Any]:
    """An entry's content in the shape `_fields` reads back from the database, so a fingerprint can
    be taken before the rows exist (bulk import) and checked against them later (verify)."""
    fields: dict[str, Any] = {}
    for item in dataclasses.fields(details):
        value = getattr(details, item.name)
        if item.name in LINKS.get(kind, {}):
            value = sorted(set(value))
        elif item.name == "injury":
            value = (
                None
                if value is None
                else {
                    "body_regions": list(value.body_regions),
                    "description": value.description,
                    "explanation_given": value.explanation_given,
                    "consistent_with_explanation": value.consistent_with_explanation,
                }
            )
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, datetime):
            value = as_utc(value)
        fields[item.name] = value
    return fields


# -- entries ---------------------------------------------------------------------------------------


def _check_links(session: Session, kind: str, details: EntryDetails) -> None:
    references: list[tuple[str, str]] = []
    for name in ("child_id", "visit_id"):
        value = getattr(details, name, None)
        if value:
            references.append((name, value))
    for name, (_, _, other) in LINKS.get(kind, {}).items():
        references += [(other, value) for value in getattr(details, name)]
    for column, value in references:
        fetch(session, _LINKED_MODEL[column], value, column.removesuffix("_id"))


def column_values(kind: str, details: EntryDetails) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in dataclasses.fields(details):
        if item.name in LINKS.get(kind, {}) or item.name == "injury":
            continue
        value = getattr(details, item.name)
        if isinstance(value, tuple):
            value = list(value)
        if isinstance(value, datetime):
            value = as_utc(value)
        values[item.name] = value
    return values


def _write_links(session: Session, kind: str, entry_id: str, details: EntryDetails) -> None:
    for name, (table, own, other) in LINKS.get(kind, {}).items():
        session.execute(delete(table).where(table.c[own] == entry_id))
        rows = [{own: entry_id, other: value} for value in dict.fromkeys(getattr(details, name))]
        if rows:
            session.execute(insert(table), rows)
    if isinstance(details, ObservationDetails):
        session.execute(delete(e.Injury).where(e.Injury.observation_id == entry_id))
        if details.injury is not None:
            injury = details.injury
            session.add(
                e.Injury(
                    observation_id=entry_id,
                    body_regions=list(injury.body_regions),
                    description=injury.description,
                    explanation_given=injury.explanation_given,
                    consistent_with_explanation=injury.consistent_with_explanation,
                )
            )


def create_entry(
    ws: Workspace,
    details: EntryDetails,
    *,
    external_ref: str | None = None,
    recorded_at: datetime | None = None,
) -> EntryView:
    """Record a new entry as a draft, signed by the vault's practitioner."""
    with ws.unit_of_work() as session:
        entry = create_in(ws, session, details, external_ref=external_ref, recorded_at=recorded_at)
        return view_of(session, KIND_OF[type(details)], entry)


def create_in(
    ws: Workspace,
    session: Session,
    details: EntryDetails,
    *,
    external_ref: str | None = None,
    recorded_at: datetime | None = None,
) -> e.Entry:
    """`create_entry` inside a unit of work the caller already holds."""
    details.validate()
    kind = KIND_OF[type(details)]
    check_not_in_future(as_utc(details.occurred_at), now_utc(), kind.replace("_", " "))
    _check_links(session, kind, details)
    entry = e.ENTRY_KINDS[kind](
        **column_values(kind, details),
        status=EntryStatus.DRAFT,
        recorded_at=as_utc(recorded_at) if recorded_at else now_utc(),
        external_ref=external_ref,
        agency=source_agency(details, ws.profile.agency),
        **ws.authorship(),
    )
    session.add(entry)
    session.flush()
    _write_links(session, kind, entry.id, details)
    ws.audit(session, AuditAction.CREATE, kind, entry.id)
    session.flush()
    return entry


def _draft(session: Session, kind: str, entry_id: str) -> e.Entry:
    if kind not in e.ENTRY_KINDS:
        raise InvalidInput(
            f"'{kind}' is not a kind of entry; use one of {', '.join(e.ENTRY_KINDS)}."
        )
    entry = fetch(session, e.ENTRY_KINDS[kind], entry_id, kind)
    if entry.status is EntryStatus.FINAL:
        raise FinalEntryIsReadOnly(
            f"This {kind.replace('_', ' ')} is final and cannot be changed; record an amendment instead."
        )
    return entry


def edit_draft(ws: Workspace, entry_id: str, details: EntryDetails) -> EntryView:
    with ws.unit_of_work() as session:
        entry = edit_draft_in(ws, session, entry_id, details)
        return view_of(session, KIND_OF[type(details)], entry)


def edit_draft_in(ws: Workspace, session: Session, entry_id: str, details: EntryDetails) -> e.Entry:
    """`edit_draft` inside a unit of work the caller already holds."""
    details.validate()
    kind = KIND_OF[type(details)]
    check_not_in_future(as_utc(details.occurred_at), now_utc(), kind.replace("_", " "))
    entry = _draft(session, kind, entry_id)
    before = fields_of(session, kind, entry)
    _check_links(session, kind, details)
    for name, value in column_values(kind, details).items():
        setattr(entry, name, value)
    _write_links(session, kind, entry.id, details)
    session.flush()
    after = fields_of(session, kind, entry)
    changed = sorted(name for name in after if after[name] != before.get(name))
    ws.audit(session, AuditAction.EDIT_DRAFT, kind, entry.id, fields=changed)
    return entry


def delete_draft(ws: Workspace, kind: str, entry_id: str) -> None:
    with ws.unit_of_work() as session:
        entry = _draft(session, kind, entry_id)
        for table, own, _ in LINKS.get(kind, {}).values():
            session.execute(delete(table).where(table.c[own] == entry_id))
        if kind == "observation":
            session.execute(delete(e.Injury).where(e.Injury.observation_id == entry_id))
        session.delete(entry)
        ws.audit(session, AuditAction.DELETE_DRAFT, kind, entry_id)


def finalise_in(ws: Workspace, session: Session, kind: str, entry_id: str) -> e.Entry:
    """`finalise` inside a unit of work the caller already holds."""
    entry = _draft(session, kind, entry_id)
    digest = content_digest(fields_of(session, kind, entry))
    entry.status = EntryStatus.FINAL
    entry.finalised_at = now_utc()
    entry.content_sha256 = digest
    session.flush()
    ws.audit(session, AuditAction.FINALISE, kind, entry.id, content_sha256=digest)
    return entry


def finalise(ws: Workspace, kind: str, entry_id: str) -> EntryView:
    """Make a draft final: from now on it can only be amended."""
    with ws.unit_of_work() as session:
        return view_of(session, kind, finalise_in(ws, session, kind, entry_id))


def finalise_together(ws: Workspace, entries: Sequence[tuple[str, str]]) -> None:
    """Finalise several drafts as one action (a visit with what was observed and raised at it):
    all become final, or none do."""
    with ws.unit_of_work() as session:
        for kind, entry_id in entries:
            finalise_in(ws, session, kind, entry_id)


def amendable_fields(kind: str, entry: e.Entry | None = None) -> list[str]:
    """The fields of a final entry that an amendment may correct. A form's text answers are
    amended one by one, as `sections.<answer key>`."""
    names = [f.name for f in dataclasses.fields(DETAILS_OF[kind]) if f.name not in _NOT_AMENDABLE]
    if isinstance(entry, e.Referral):
        names += [
            f"sections.{key}" for key in dict.fromkeys(forms.definition(entry.form).text_keys)
        ]
    return names


_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


def checked_amendment(kind: str, field: str, new_value: str | None) -> str | None:
    """A yes/no or a choice is amended to one of its own answers, written as people read them
    ("Yes", "Not sought"); anything else stays as typed."""
    hint = typing.get_type_hints(DETAILS_OF[kind]).get(field)
    if hint is None or new_value is None:
        return new_value
    options = {arg for arg in typing.get_args(hint) or (hint,) if arg is not type(None)}
    typed = new_value.strip().casefold()
    label = field_label(kind, field)
    if options == {bool}:
        if typed in _YES | _NO:
            return "Yes" if typed in _YES else "No"
        raise InvalidInput(f"{label} is a yes or no answer; write Yes or No.", "new_value")
    for option in options:
        if isinstance(option, type) and issubclass(option, Enum):
            for member in option:
                words = str(member.value).replace("_", " ")
                if typed in (str(member.value).casefold(), words.casefold()):
                    return words.capitalize()
            choices = ", ".join(str(m.value).replace("_", " ").capitalize() for m in option)
            raise InvalidInput(f"{label} must be one of: {choices}.", "new_value")
    return new_value


def amend(
    ws: Workspace, kind: str, entry_id: str, field: str, new_value: str | None, reason: str
) -> EntryView:
    """Correct one field of a final entry. The original stays exactly as it was."""
    if not reason.strip():
        raise InvalidInput("An amendment needs a reason; say why the entry is being corrected.")
    if kind not in DETAILS_OF:
        raise InvalidInput(
            f"'{kind}' is not a kind of entry; use one of {', '.join(e.ENTRY_KINDS)}."
        )
    with ws.unit_of_work() as session:
        entry = fetch(session, e.ENTRY_KINDS[kind], entry_id, kind)
        amendable = amendable_fields(kind, entry)
        if field not in amendable:
            raise InvalidInput(
                f"'{field}' cannot be amended on a {kind.replace('_', ' ')}; "
                f"choose one of: {', '.join(amendable)}."
            )
        if entry.status is not EntryStatus.FINAL:
            raise InvalidInput(
                "This entry is still a draft; edit it directly instead of amending it."
            )
        amendment = e.Amendment(
            target_kind=kind,
            target_id=entry_id,
            field=field,
            new_value=checked_amendment(kind, field, new_value),
            reason=reason,
            recorded_at=now_utc(),
            **ws.authorship(),
        )
        session.add(amendment)
        session.flush()
        ws.audit(session, AuditAction.AMEND, kind, entry_id, amendment_id=amendment.id, field=field)
        return view_of(session, kind, entry)


def change_concern_status(
    ws: Workspace,
    concern_id: str,
    new_status: ConcernStatus,
    changed_at: datetime,
    outcome: str | None = None,
) -> None:
    """A concern moves on. Appended beside the concern, so its status on any past date is known."""
    with ws.unit_of_work() as session:
        concern = fetch(session, e.Concern, concern_id, "concern")
        if as_utc(changed_at) < concern.occurred_at:
            raise InvalidInput(
                "The status cannot change before the concern was raised; check the date."
            )
        change = e.ConcernStatusChange(
            concern_id=concern.id,
            changed_at=as_utc(changed_at),
            recorded_at=now_utc(),
            new_status=new_status,
            outcome=outcome,
            **ws.authorship(),
        )
        session.add(change)
        session.flush()
        ws.audit(session, AuditAction.UPDATE, "concern", concern.id, status_change_id=change.id)


def get_entry(ws: Workspace, kind: str, entry_id: str) -> EntryView:
    if kind not in e.ENTRY_KINDS:
        raise InvalidInput(
            f"'{kind}' is not a kind of entry; use one of {', '.join(e.ENTRY_KINDS)}."
        )
    with ws.unit_of_work() as session:
        return view_of(session, kind, fetch(session, e.ENTRY_KINDS[kind], entry_id, kind))


# -- reading back ----------------------------------------------------------------------------------


def fields_of(session: Session, kind: str, entry: e.Entry) -> dict[str, Any]:
    """The entry's content in the shape of its details dataclass (links and injury included)."""
    details_type = DETAILS_OF[kind]
    fields: dict[str, Any] = {}
    links = LINKS.get(kind, {})
    for item in dataclasses.fields(details_type):
        if item.name in links:
            table, own, other = links[item.name]
            fields[item.name] = sorted(
                session.scalars(select(table.c[other]).where(table.c[own] == entry.id))
            )
        elif item.name == "injury":
            injury = session.scalars(
                select(e.Injury).where(e.Injury.observation_id == entry.id)
            ).first()
            fields["injury"] = (
                None
                if injury is None
                else {
                    "body_regions": list(injury.body_regions),
                    "description": injury.description,
                    "explanation_given": injury.explanation_given,
                    "consistent_with_explanation": injury.consistent_with_explanation,
                }
            )
        else:
            fields[item.name] = getattr(entry, item.name)
    return fields


def view_of(session: Session, kind: str, entry: e.Entry) -> EntryView:
    amendments = session.scalars(
        select(e.Amendment)
        .where(e.Amendment.target_kind == kind, e.Amendment.target_id == entry.id)
        .order_by(e.Amendment.recorded_at)
    )
    return EntryView(
        kind=kind,
        id=entry.id,
        status=entry.status.value,
        occurred_at=entry.occurred_at,
        time_known=entry.time_known,
        recorded_at=entry.recorded_at,
        finalised_at=entry.finalised_at,
        author=f"{entry.author_name} ({entry.author_role}, {entry.author_agency})",
        late=is_late_entry(entry.occurred_at, entry.recorded_at, time_known=entry.time_known),
        fields=fields_of(session, kind, entry),
        amendments=tuple(
            AmendmentView(
                id=a.id,
                field=a.field,
                new_value=a.new_value,
                reason=a.reason,
                author=f"{a.author_name} ({a.author_role}, {a.author_agency})",
                recorded_at=a.recorded_at,
            )
            for a in amendments
        ),
    )


def final_entry_digests(session: Session) -> Sequence[tuple[str, str, str | None, str]]:
    """(kind, id, fingerprint stored at finalisation, fingerprint of the content now) for every
    final entry, for `verify`."""
    result = []
    for kind, model in e.ENTRY_KINDS.items():
        for entry in session.scalars(select(model).where(model.status == EntryStatus.FINAL)):
            now = content_digest(fields_of(session, kind, entry))
            result.append((kind, entry.id, entry.content_sha256, now))
    return result
