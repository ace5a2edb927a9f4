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

from sqlalchemy.orm import Session

from practitioner_app.domain import forms
from practitioner_app.domain.body_marks import BodyMarkDetails, check_size
from practitioner_app.domain.enums import AuditAction, ConcernStatus, EntryStatus
from practitioner_app.domain.errors import FinalEntryIsReadOnly, InvalidInput
from practitioner_app.domain.kinds import (
    KINDS,
    EntryDetails,
    RecordKind,
    kind_of,
    parse_kind,
    spec,
)
from practitioner_app.domain.labels import field_label, imported_note
from practitioner_app.domain.records import (
    ChronologyEventDetails,
    ConcernDetails,
    InjuryDetails,
    ObservationDetails,
    check_not_in_future,
    measurement_problem,
)
from practitioner_app.domain.times import as_utc, is_late_entry, now_utc
from practitioner_app.services import body_maps, growth, photographs
from practitioner_app.services.views import AmendmentView, EntryView
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.entry_content import EntryContentRepository
from practitioner_app.store.repositories.growth import MEASUREMENT_FIELDS

__all__ = ["EntryDetails"]


# Values already plain, by exact type (a str-valued Enum is a str too, and is not plain).
_ALREADY_PLAIN = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _ALREADY_PLAIN:  # most values: no chain of isinstance checks
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    # Items already plain are taken as they are, without a call each.
    if isinstance(value, tuple | list):
        return [item if type(item) in _ALREADY_PLAIN else _plain(item) for item in value]
    if isinstance(value, dict):
        return {
            key: item if type(item) in _ALREADY_PLAIN else _plain(item)
            for key, item in value.items()
        }
    return value


def plain(value: Any) -> Any:
    """A value as the fingerprint and JSON see it (enums by value, times in ISO 8601, lists)."""
    return _plain(value)


def differing_fields(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """The names of the fields whose values differ, compared as the fingerprint sees them."""
    return [name for name in ours if _plain(ours[name]) != _plain(theirs.get(name))]


def _plain_for_json(value: Any) -> Any:
    """What `_plain` makes of a value the JSON encoder cannot write itself."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not part of an entry's content")


# json.dumps(_plain(fields), sort_keys=True, ensure_ascii=False, separators=(",", ":")) without
# building the plain copy first: the encoder writes text, numbers, lists, tuples and dicts as
# _plain would have made them, a str or int Enum as its value (its str or int is its value), and
# asks _plain_for_json for the rest. Made once: an import digests every final entry it brings.
_DIGEST_JSON = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain_for_json
)


def content_digest(fields: dict[str, Any]) -> str:
    """A fingerprint of an entry's content, written to the audit chain when it is finalised."""
    text = _DIGEST_JSON.encode(fields)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalised_agency(agency: str | None) -> str | None:
    return agency.strip().casefold() if agency and agency.strip() else None


def source_agency(details: EntryDetails, author_agency: str | None) -> str | None:
    """The agency the information came from, for the alert rules: the named source of a concern
    or chronology event, otherwise the author's own agency."""
    if isinstance(details, ConcernDetails | ChronologyEventDetails):
        return normalised_agency(details.source)
    return normalised_agency(author_agency)


_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _field_names(details: EntryDetails) -> tuple[str, ...]:
    """A details dataclass's field names in order, worked out once per type: an import asks
    for them for each of its entries, and dataclasses.fields() is slow to call."""
    names = _FIELD_NAMES.get(type(details))
    if names is None:
        names = tuple(item.name for item in dataclasses.fields(details))
        _FIELD_NAMES[type(details)] = names
    return names


def canonical_fields(kind: RecordKind, details: EntryDetails) -> dict[str, Any]:
    """An entry's content in the shape `fields_of` reads back from the database, so a fingerprint
    can be taken before the rows exist (bulk import) and checked against them later (verify)."""
    return entry_values(kind, details)[1]


def entry_values(kind: RecordKind, details: EntryDetails) -> tuple[dict[str, Any], dict[str, Any]]:
    """(`column_values`, `canonical_fields`) of one entry, in one pass over its fields: an import
    needs both for each of its entries. Both hold times in UTC and lists for tuples; the content
    also has the links (sorted, once each) and the parts as their rows store them."""
    kind_spec = spec(kind)
    columns: dict[str, Any] = {}
    content: dict[str, Any] = {}
    for name in _field_names(details):
        value = getattr(details, name)
        if name in kind_spec.links:
            content[name] = sorted(set(value))
            continue
        if type(value) in _ALREADY_PLAIN:
            pass  # text, numbers, None: as they are (an injury that is None stays None)
        elif isinstance(value, InjuryDetails) or name == "injury":
            content[name] = injury_fields(value)
            if name not in kind_spec.parts:
                columns[name] = value
            continue
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, datetime):
            value = as_utc(value)
        if name not in kind_spec.parts:
            columns[name] = value
        content[name] = value
    return columns, content


# -- entries ---------------------------------------------------------------------------------------


def _check_links(repo: EntryContentRepository, kind: RecordKind, details: EntryDetails) -> None:
    """Every record the entry names is in the vault: a clear sentence, not a foreign-key error."""
    references: list[tuple[str, str]] = []
    for name in spec(kind).field_names():
        value = getattr(details, name)
        if name.endswith("_id") and value:  # child_id, visit_id: the record's table by name
            references.append((name.removesuffix("_id"), value))
    for name, table in spec(kind).links.items():
        references += [(table, value) for value in getattr(details, name)]
    for table, value in references:
        if not repo.exists(table, value):
            raise InvalidInput(f"There is no {table} with id {value}; check the id.")


def injury_fields(injury: InjuryDetails | None) -> dict[str, Any] | None:
    """An injury as its row stores it (and as `fields_of` reads it back)."""
    if injury is None:
        return None
    return {**dataclasses.asdict(injury), "body_regions": list(injury.body_regions)}


def column_values(kind: RecordKind, details: EntryDetails) -> dict[str, Any]:
    """The details fields stored as the entry's own columns (links and parts are rows apart)."""
    return entry_values(kind, details)[0]


def _write_links(
    repo: EntryContentRepository, kind: RecordKind, entry_id: str, details: EntryDetails
) -> None:
    for name in spec(kind).links:
        repo.set_links(kind, entry_id, name, getattr(details, name))
    if isinstance(details, ObservationDetails):
        repo.set_injury(entry_id, injury_fields(details.injury))


def create_entry(
    ws: Workspace,
    details: EntryDetails,
    *,
    external_ref: str | None = None,
    recorded_at: datetime | None = None,
    confirm_implausible: bool = False,
) -> EntryView:
    """Record a new entry as a draft, signed by the vault's practitioner. A growth measurement
    implausible for the child's age raises ImplausibleMeasurement (a question) and is saved only
    when asked again with `confirm_implausible`."""
    with ws.unit_of_work() as session:
        entry = create_in(
            ws,
            session,
            details,
            external_ref=external_ref,
            recorded_at=recorded_at,
            confirm_implausible=confirm_implausible,
        )
        return view_of(session, kind_of(details), entry)


def create_in(
    ws: Workspace,
    session: Session,
    details: EntryDetails,
    *,
    external_ref: str | None = None,
    recorded_at: datetime | None = None,
    confirm_implausible: bool = False,
) -> e.Entry:
    """`create_entry` inside a unit of work the caller already holds."""
    details.validate()
    kind = kind_of(details)
    check_not_in_future(as_utc(details.occurred_at), now_utc(), spec(kind).words)
    repo = EntryContentRepository(session)
    _check_links(repo, kind, details)
    if isinstance(details, ObservationDetails):
        growth.check_measurement(session, details, confirmed=confirm_implausible)
    if isinstance(details, BodyMarkDetails):
        body_maps.check_occasion(session, details)
    entry = repo.add(
        kind,
        {
            **column_values(kind, details),
            "status": EntryStatus.DRAFT,
            "recorded_at": as_utc(recorded_at) if recorded_at else now_utc(),
            "external_ref": external_ref,
            "agency": source_agency(details, ws.profile.agency),
            **ws.authorship(),
        },
    )
    _write_links(repo, kind, entry.id, details)
    ws.audit(session, AuditAction.CREATE, kind, entry.id)
    session.flush()
    return entry


def _entry(session: Session, kind: str, entry_id: str) -> e.Entry:
    """An entry of a kind given by name, or a sentence saying what was not found."""
    kind_spec = spec(kind)
    entry = EntryContentRepository(session).get(kind_spec.kind, entry_id)
    if entry is None:
        raise InvalidInput(f"There is no {kind_spec.words} with id {entry_id}; check the id.")
    return entry


def _draft(session: Session, kind: str, entry_id: str) -> e.Entry:
    entry = _entry(session, kind, entry_id)
    if entry.status is EntryStatus.FINAL:
        raise FinalEntryIsReadOnly(
            f"This {spec(kind).words} is final and cannot be changed; record an amendment instead."
        )
    return entry


def edit_draft(
    ws: Workspace, entry_id: str, details: EntryDetails, *, confirm_implausible: bool = False
) -> EntryView:
    with ws.unit_of_work() as session:
        entry = edit_draft_in(
            ws, session, entry_id, details, confirm_implausible=confirm_implausible
        )
        return view_of(session, kind_of(details), entry)


def edit_draft_in(
    ws: Workspace,
    session: Session,
    entry_id: str,
    details: EntryDetails,
    *,
    confirm_implausible: bool = False,
) -> e.Entry:
    """`edit_draft` inside a unit of work the caller already holds."""
    details.validate()
    kind = kind_of(details)
    check_not_in_future(as_utc(details.occurred_at), now_utc(), spec(kind).words)
    entry = _draft(session, kind, entry_id)
    repo = EntryContentRepository(session)
    before = repo.fields(kind, entry)
    _check_links(repo, kind, details)
    if isinstance(details, ObservationDetails):
        growth.check_measurement(session, details, confirmed=confirm_implausible)
    if isinstance(details, BodyMarkDetails):
        body_maps.check_occasion(session, details, entry.id)
    for name, value in column_values(kind, details).items():
        setattr(entry, name, value)
    _write_links(repo, kind, entry.id, details)
    session.flush()
    after = repo.fields(kind, entry)
    changed = sorted(name for name in after if after[name] != before.get(name))
    ws.audit(session, AuditAction.EDIT_DRAFT, kind, entry.id, fields=changed)
    return entry


def delete_draft(ws: Workspace, kind: str, entry_id: str) -> None:
    with ws.unit_of_work() as session:
        entry = _draft(session, kind, entry_id)
        if entry.record_kind is RecordKind.OBSERVATION and body_maps.has_marks(session, entry_id):
            raise InvalidInput(
                "This observation has marks on its body map; delete the draft marks first "
                "(a final mark is kept, and so is its observation)."
            )
        photographs.delete_with_owner(session, entry.__tablename__, entry_id)
        EntryContentRepository(session).delete(entry.record_kind, entry)
        ws.audit(session, AuditAction.DELETE_DRAFT, entry.record_kind, entry_id)


def finalise_in(ws: Workspace, session: Session, kind: str, entry_id: str) -> e.Entry:
    """`finalise` inside a unit of work the caller already holds."""
    entry = _draft(session, kind, entry_id)
    digest = content_digest(fields_of(session, entry.record_kind, entry))
    # Its photographs go final with it, sealed in the same event.
    photographs_sealed = photographs.finalise_with_owner(session, entry.__tablename__, entry.id)
    entry.status = EntryStatus.FINAL
    entry.finalised_at = now_utc()
    entry.content_sha256 = digest
    session.flush()
    ws.audit_sealed(
        session,
        AuditAction.FINALISE,
        entry.record_kind,
        entry.id,
        [(entry.__tablename__, entry.id), *photographs_sealed],
        content_sha256=digest,
    )
    return entry


def finalise(ws: Workspace, kind: str, entry_id: str) -> EntryView:
    """Make a draft final: from now on it can only be amended."""
    with ws.unit_of_work() as session:
        entry = finalise_in(ws, session, kind, entry_id)
        return view_of(session, entry.record_kind, entry)


def finalise_together(ws: Workspace, entries: Sequence[tuple[str, str]]) -> None:
    """Finalise several drafts as one action (a visit with what was observed and raised at it):
    all become final, or none do."""
    with ws.unit_of_work() as session:
        for kind, entry_id in entries:
            finalise_in(ws, session, kind, entry_id)


def amendable_fields(kind: str, form: str | None = None) -> list[str]:
    """The fields of a final entry that an amendment may correct. A form's text answers are
    amended one by one, as `sections.<answer key>`; give the form's key to include them."""
    names = spec(kind).amendable_fields()
    if form is not None:
        names += [f"sections.{key}" for key in dict.fromkeys(forms.definition(form).text_keys)]
    return names


_YES = {"yes", "y", "true"}
_NO = {"no", "n", "false"}


def checked_amendment(kind: str, field: str, new_value: str | None) -> str | None:
    """A yes/no or a choice is amended to one of its own answers, written as people read them
    ("Yes", "Not sought"); anything else stays as typed."""
    hint = typing.get_type_hints(spec(kind).details).get(field)
    if hint is None or new_value is None:
        return new_value
    options = {arg for arg in typing.get_args(hint) or (hint,) if arg is not type(None)}
    typed = new_value.strip().casefold()
    label = field_label(kind, field)
    if options == {float}:
        # A measurement amended to words or grams would be plotted as nothing or as nonsense.
        try:
            number = float(typed)
        except ValueError:
            raise InvalidInput(
                f"{label} is a number; write it in digits, for example 9.6.", "new_value"
            ) from None
        growth_measure = kind == RecordKind.OBSERVATION and field in MEASUREMENT_FIELDS
        problem = measurement_problem(field, number) if growth_measure else None
        if problem is not None:
            raise InvalidInput(problem, "new_value")
        if kind == RecordKind.BODY_MARK:
            check_size(number, label.lower(), "new_value")
        return f"{number:g}"
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
    record_kind = parse_kind(kind)
    with ws.unit_of_work() as session:
        entry = _entry(session, record_kind, entry_id)
        amendable = amendable_fields(record_kind, getattr(entry, "form", None))
        # "This photograph is wrong" is said by an amendment of its record (a final photograph
        # is never changed or removed).
        amendable += photographs.amendment_fields(session, entry.__tablename__, entry_id)
        if field not in amendable:
            raise InvalidInput(
                f"'{field}' cannot be amended on {spec(record_kind).one}; "
                f"choose one of: {', '.join(amendable)}."
            )
        if entry.status is not EntryStatus.FINAL:
            raise InvalidInput(
                "This entry is still a draft; edit it directly instead of amending it."
            )
        amendment = EntryContentRepository(session).add_amendment(
            target_kind=record_kind,
            target_id=entry_id,
            field=field,
            new_value=checked_amendment(record_kind, field, new_value),
            reason=reason,
            recorded_at=now_utc(),
            **ws.authorship(),
        )
        ws.audit_sealed(
            session,
            AuditAction.AMEND,
            record_kind,
            entry_id,
            [(amendment.__tablename__, amendment.id)],
            amendment_id=amendment.id,
            field=field,
        )
        return view_of(session, record_kind, entry)


def change_concern_status(
    ws: Workspace,
    concern_id: str,
    new_status: ConcernStatus,
    changed_at: datetime,
    outcome: str | None = None,
) -> None:
    """A concern moves on. Appended beside the concern, so its status on any past date is known."""
    with ws.unit_of_work() as session:
        concern = _entry(session, RecordKind.CONCERN, concern_id)
        if as_utc(changed_at) < concern.occurred_at:
            raise InvalidInput(
                "The status cannot change before the concern was raised; check the date."
            )
        change = EntryContentRepository(session).add_status_change(
            concern_id=concern.id,
            changed_at=as_utc(changed_at),
            recorded_at=now_utc(),
            new_status=new_status,
            outcome=outcome,
            **ws.authorship(),
        )
        ws.audit_sealed(
            session,
            AuditAction.UPDATE,
            RecordKind.CONCERN,
            concern.id,
            [(change.__tablename__, change.id)],
            status_change_id=change.id,
        )


def get_entry(ws: Workspace, kind: str, entry_id: str) -> EntryView:
    with ws.unit_of_work() as session:
        entry = _entry(session, kind, entry_id)
        return view_of(session, entry.record_kind, entry)


# -- reading back ----------------------------------------------------------------------------------


def fields_of(session: Session, kind: str, entry: e.Entry) -> dict[str, Any]:
    """The entry's content in the shape of its details dataclass (links and injury included)."""
    return EntryContentRepository(session).fields(parse_kind(kind), entry)


def view_of(session: Session, kind: str, entry: e.Entry) -> EntryView:
    record_kind = parse_kind(kind)
    repo = EntryContentRepository(session)
    return EntryView(
        kind=record_kind,
        id=entry.id,
        status=entry.status,
        occurred_at=entry.occurred_at,
        time_known=entry.time_known,
        recorded_at=entry.recorded_at,
        recorded_at_known=entry.recorded_at_known,
        finalised_at=entry.finalised_at,
        author=entry.signature,
        imported=imported_note(entry.imported_by, entry.imported_at, entry.imported_from),
        late=is_late_entry(
            entry.occurred_at,
            entry.recorded_at,
            time_known=entry.time_known,
            recorded_at_known=entry.recorded_at_known,
        ),
        fields=repo.fields(record_kind, entry),
        amendments=tuple(
            AmendmentView(
                id=a.id,
                field=a.field,
                new_value=a.new_value,
                reason=a.reason,
                author=a.signature,
                recorded_at=a.recorded_at,
                recorded_at_known=a.recorded_at_known,
                imported=imported_note(a.imported_by, a.imported_at, a.imported_from),
            )
            for a in repo.amendments(record_kind, entry.id)
        ),
    )


def final_entry_digests(session: Session) -> Sequence[tuple[str, str, str | None, str]]:
    """(kind, id, fingerprint stored at finalisation, fingerprint of the content now) for every
    final entry, for `verify`."""
    repo = EntryContentRepository(session)
    result = []
    for kind in KINDS:
        entries = list(repo.finals(kind))
        for entry, fields in zip(entries, repo.fields_of_many(kind, entries), strict=True):
            result.append((kind.value, entry.id, entry.content_sha256, content_digest(fields)))
    return result
