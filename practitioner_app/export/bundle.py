"""The case bundle, format 2 (resources/BUNDLE-FORMAT-2.md), as pydantic models; format 1 upgraded.

Format 2 is format 1 (export/bundle_v1.py, ../shared/design/BUNDLE.md) with each record's identity,
provenance and history: every record's `id` is its own UUID, the same in every vault it reaches;
`vault_id` names the vault it was first written in; `author` and `recorded_at` are as first
written, null where the source did not say; and concern status changes, amendments and
chronology choices travel as lists of their own. The app writes format 2 and reads both: a format
1 bundle is upgraded on reading, its ids namespaced by its source (`upgrade`), so two sources'
"c1" never meet and the same bundle imported twice maps to the same records.

The models are the format: they validate every import, and resources/bundle.schema.json is
generated from them (`python -m practitioner_app.export.bundle > resources/bundle.schema.json`).
"""

import base64
import binascii
import hashlib
import itertools
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Final, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic import Strict as PydanticStrict

from practitioner_app.domain.alerts.reviews import ReviewOutcome
from practitioner_app.domain.body_map import BodyFigure, BodySide
from practitioner_app.domain.body_marks import MarkKind
from practitioner_app.domain.enums import ConcernStatus, EntryStatus
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.kinds import KINDS, RecordKind, spec
from practitioner_app.domain.labels import signature
from practitioner_app.domain.photographs import AMENDMENT_PREFIX
from practitioner_app.domain.photographs import MAX_BYTES as MAX_PHOTOGRAPH_BYTES
from practitioner_app.domain.times import as_utc, uk_date, uk_local
from practitioner_app.export import bundle_v1 as v1
from practitioner_app.export.bundle_dates import (
    BundleDate,
    BundleDateOrDateTime,
    BundleDateTime,
    with_definitions,
)

FORMAT: Final = v1.FORMAT
VERSION: Final = 2
MAX_BUNDLE_BYTES = v1.MAX_BUNDLE_BYTES
MAX_TEXT = v1.MAX_TEXT

# A record's own id: a UUID in its canonical lower-case form, so one record has one spelling.
Uuid = Annotated[
    str, Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
Text = v1.Text
Bool = v1.Bool
Author = v1.Author
Injury = v1.Injury
Measurement = v1.Measurement
ReferralConsent = v1.ReferralConsent


class Provenance(v1.Strict):
    """What every record carries: its own UUID, the vault it was first written in, and who wrote
    it and when, as first written. `author` and `recorded_at` must be given; null says the source
    did not record them (shown as such, never filled in by whoever imports it)."""

    id: Uuid
    vault_id: Uuid
    author: Author | None
    recorded_at: BundleDateTime | None


class Revisable(Provenance):
    """A record that may change after it is written; `updated_at` is its last change."""

    updated_at: BundleDateTime | None = None


class EntryRecord(Provenance):
    status: EntryStatus
    finalised_at: BundleDateTime | None = None


class Child(Revisable, v1.Child):
    # The practitioner's own reference for the child (format 1's id becomes it), if any.
    reference: v1.Id | None = None
    # Gestation at birth, 32+3 written as weeks 32 and days 3 (corrects growth-chart ages).
    gestation_weeks: Annotated[int, PydanticStrict(), Field(ge=22, le=44)] | None = None
    gestation_days: Annotated[int, PydanticStrict(), Field(ge=0, le=6)] | None = None
    # How the child communicates best (BSL, Makaton...), and the dates of a non-mobile period:
    # from (absent: from birth) until the day before `mobile_since` (absent: still non-mobile).
    # Optional and additive: a bundle written before them still reads (issue 17 item 5).
    communication: Text | None = None
    non_mobile_from: BundleDate | None = None
    mobile_since: BundleDate | None = None


class Person(Revisable, v1.Person):
    # The person's phone numbers and address (the family's contact details on a referral).
    phone: Text | None = None
    address: Text | None = None


class Professional(Revisable, v1.Professional):
    pass


class Visit(EntryRecord, v1.Visit):
    pass


class Observation(EntryRecord, v1.Observation):
    pass


class Concern(Provenance, v1.Concern):
    """`status`, `closed_at` and `outcome` are the concern as it was recorded; what happened to it
    since is in `status_changes` (the latest change is its status now)."""

    entry_status: EntryStatus
    finalised_at: BundleDateTime | None = None


class Event(EntryRecord, v1.Event):
    pass


class Referral(EntryRecord, v1.Referral):
    pass


class Sharing(EntryRecord, v1.Sharing):
    # A copy of a form: the form (in `referrals`) and whether the copy was its final version.
    referral_id: Uuid | None = None
    form_final: Bool | None = None


class BodyMark(EntryRecord):
    """A mark on the body map of an occasion (the observation `observation_id`), where it was
    placed in figure units (domain/body_map.py) and what was seen; sizes in cm."""

    child_id: Uuid
    observation_id: Uuid
    occurred_at: BundleDateOrDateTime
    figure: BodyFigure
    side: BodySide
    x: v1.Number
    y: v1.Number
    region: Annotated[str, Field(min_length=1, max_length=60)]
    mark_kind: MarkKind
    description: Text
    length_cm: v1.Number | None = None
    width_cm: v1.Number | None = None
    shape: Text | None = None
    colours: Text | None = None
    skin_broken: Bool | None = None
    swelling: Bool | None = None
    explanation_given: Text | None = None
    explanation_by: Text | None = None
    consistent_with_explanation: Bool | None = None
    seen_by: Text | None = None
    agency: Text | None = None


class StatusChange(Provenance):
    concern_id: Uuid
    changed_at: BundleDateOrDateTime
    new_status: ConcernStatus
    outcome: Text | None = None


class Amendment(Provenance):
    """A correction to one field of a final entry, beside its original (which the bundle holds)."""

    target_kind: RecordKind
    target_id: Uuid
    field: Annotated[str, Field(min_length=1, max_length=60)]
    new_value: Text | None
    reason: Text


class Photograph(Provenance):
    """A photograph kept with a record (issue 20): `owner_kind` and `owner_id` name the record, in
    this bundle; `status` is its owner's. `data` is the file as kept (location and device data
    already removed), in base64; `sha256` is the SHA-256 of those bytes, checked on import.
    `captured_at` is when the camera said it was taken (null: not known); the author is who
    attached it."""

    child_id: Uuid
    owner_kind: Literal["observation", "body_mark"]
    owner_id: Uuid
    status: EntryStatus
    finalised_at: BundleDateTime | None = None
    media_type: Literal["image/jpeg", "image/png"]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    captured_at: BundleDateTime | None = None
    attached_at: BundleDateTime
    location_removed: Bool
    device_removed: Bool
    # base64 of at most photographs.MAX_BYTES.
    data: Annotated[str, Field(min_length=4, max_length=(MAX_PHOTOGRAPH_BYTES + 2) // 3 * 4)]

    def decoded(self) -> bytes:
        """The photograph's bytes; ValueError if `data` is not base64 or not those of `sha256`."""
        try:
            raw = base64.b64decode(self.data, validate=True)
        except binascii.Error:
            raise ValueError("data: not base64") from None
        if hashlib.sha256(raw).hexdigest() != self.sha256:
            raise ValueError(
                "sha256: the photograph's bytes do not match its SHA-256, so they were changed or "
                "damaged on the way"
            )
        return raw


class ChronologyChoice(Revisable):
    child_id: Uuid
    record_kind: RecordKind
    record_id: Uuid
    significant: Bool | None  # None: put back to the rule (missed contacts, not seen, …)


class AlertReview(Provenance):
    """The practitioner's review of an alert (DOMAIN.md): which rule, the records behind it when
    reviewed, acted on or considered with no action, and what was done or why not. Append-only,
    like an amendment: a later review supersedes it, none is changed."""

    child_id: Uuid
    rule: Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Z][A-Z_]*$")]
    evidence: list[Annotated[str, Field(min_length=1, max_length=200)]]
    outcome: ReviewOutcome
    note: Text
    reviewed_at: BundleDateTime


class AgencyAlias(Revisable):
    """One agency name the practitioner said is another's ("Haringey SS" is "Haringey Social
    Services"), both as the alert rules compare them: trimmed and case-folded."""

    alias: Annotated[str, Field(min_length=1, max_length=200)]
    agency: Annotated[str, Field(min_length=1, max_length=200)]


class Bundle(v1.Bundle):
    version: Literal[2]  # type: ignore[assignment]
    vault_id: Uuid  # the vault that wrote this bundle
    children: list[Child]  # type: ignore[assignment]
    people: list[Person] | None = None  # type: ignore[assignment]
    professionals: list[Professional] | None = None  # type: ignore[assignment]
    visits: list[Visit] | None = None  # type: ignore[assignment]
    observations: list[Observation] | None = None  # type: ignore[assignment]
    concerns: list[Concern] | None = None  # type: ignore[assignment]
    events: list[Event] | None = None  # type: ignore[assignment]
    referrals: list[Referral] | None = None  # type: ignore[assignment]
    sharing: list[Sharing] | None = None  # type: ignore[assignment]
    body_marks: list[BodyMark] | None = None
    status_changes: list[StatusChange] | None = None
    amendments: list[Amendment] | None = None
    chronology_choices: list[ChronologyChoice] | None = None
    photographs: list[Photograph] | None = None
    alert_reviews: list[AlertReview] | None = None
    agency_aliases: list[AgencyAlias] | None = None

    @model_validator(mode="after")
    def _each_id_names_one_record(self) -> "Bundle":
        """A record's id is its identity in every vault: two records of any lists sharing one
        would be taken for each other (a choice about a visit marking an event, say)."""
        first: dict[str, str] = {}
        for name in record_lists():
            for index, record in enumerate(getattr(self, name) or []):
                where = f"{name}[{index}]"
                if record.id in first:
                    raise ValueError(
                        f"{where}.id: {record.id!r} is also the id of {first[record.id]}; each "
                        "record has its own id"
                    )
                first[record.id] = where
        return self

    @model_validator(mode="after")
    def _history_is_whole_and_in_order(self) -> "Bundle":
        ids = {
            kind: {record.id for record in getattr(self, s.bundle_list) or []}
            for kind, s in KINDS.items()
        }
        photographs = {p.id: p for p in self.photographs or []}
        for index, amendment in enumerate(self.amendments or []):
            where = f"amendments[{index}]"
            said_of = photographs.get(amendment.field.removeprefix(AMENDMENT_PREFIX))
            if (
                amendment.field.startswith(AMENDMENT_PREFIX)
                and said_of is not None
                and said_of.owner_id == amendment.target_id
            ):
                # "This photograph is wrong": an amendment of the record the photograph is of.
                continue
            if amendment.target_id not in ids[amendment.target_kind]:
                raise ValueError(
                    f"{where}.target_id: the original it amends ({amendment.target_id!r}) is not "
                    f"in {spec(amendment.target_kind).bundle_list}; an amendment travels with "
                    "its original"
                )
            if amendment.field not in spec(amendment.target_kind).amendable_fields():
                raise ValueError(
                    f"{where}.field: {amendment.field!r} is not a field an amendment of a "
                    f"{spec(amendment.target_kind).one} may change"
                )
        # The children of the records chosen only: asking every record costs pydantic an
        # exception per record without `child_ids`, and a bundle has a hundred thousand.
        chosen = {choice.record_id for choice in self.chronology_choices or []}
        about = {
            record.id: set(getattr(record, "child_ids", None) or [getattr(record, "child_id", "")])
            for kind_spec in KINDS.values()
            for record in getattr(self, kind_spec.bundle_list) or []
            if record.id in chosen
        }
        for index, choice in enumerate(self.chronology_choices or []):
            if choice.record_id not in ids.get(choice.record_kind, set()):
                raise ValueError(
                    f"chronology_choices[{index}].record_id: {choice.record_id!r} is not the id "
                    f"of any record in {spec(choice.record_kind).bundle_list}"
                )
            if choice.child_id not in about[choice.record_id]:
                raise ValueError(
                    f"chronology_choices[{index}].child_id: the {spec(choice.record_kind).one} "
                    "it chooses is not about this child"
                )
        self._photographs_belong(ids)
        seen_about = {o.id: o.child_id for o in self.observations or []}
        for index, mark in enumerate(self.body_marks or []):
            if (
                mark.observation_id in seen_about
                and seen_about[mark.observation_id] != mark.child_id
            ):
                raise ValueError(
                    f"body_marks[{index}].child_id: the observation the mark was seen at is "
                    "about another child"
                )
        raised = {c.id: c.raised_at for c in self.concerns or []}
        for index, change in enumerate(self.status_changes or []):
            if change.concern_id in raised and _before(
                change.changed_at, raised[change.concern_id]
            ):
                raise ValueError(
                    f"status_changes[{index}].changed_at: {_shown(change.changed_at)} is before "
                    f"the concern was raised ({_shown(raised[change.concern_id])}); the history is "
                    "out of order"
                )
        return self

    def _photographs_belong(self, ids: dict[RecordKind, set[str]]) -> None:
        """Each photograph is of a record in this bundle, about the child it names, final only
        with a final owner, and its bytes are those of its SHA-256."""
        owners: dict[str, dict[str, Any]] = {
            "observation": {o.id: o for o in self.observations or []},
            "body_mark": {m.id: m for m in self.body_marks or []},
        }
        for index, photograph in enumerate(self.photographs or []):
            where = f"photographs[{index}]"
            kind = photograph.owner_kind
            owner = owners[kind].get(photograph.owner_id)
            if owner is None or photograph.owner_id not in ids[RecordKind(kind)]:
                raise ValueError(
                    f"{where}.owner_id: the record the photograph is of ({photograph.owner_id!r}) "
                    f"is not in {spec(RecordKind(kind)).bundle_list}; a photograph travels with "
                    "its record"
                )
            if owner.child_id != photograph.child_id:
                raise ValueError(
                    f"{where}.child_id: the {spec(RecordKind(kind)).one} it is of is about "
                    "another child"
                )
            if photograph.status is EntryStatus.FINAL and owner.status is not EntryStatus.FINAL:
                raise ValueError(
                    f"{where}.status: a photograph is final only with its record, which is a draft"
                )
            try:
                photograph.decoded()
            except ValueError as problem:
                raise ValueError(f"{where}.{problem}") from None


def _day(value: date | datetime) -> date:
    return uk_date(value) if isinstance(value, datetime) else value


def _before(first: date | datetime, then: date | datetime) -> bool:
    """Whether `first` is before `then`: as instants when both have a time, else by UK day (a
    date alone could be any time of its day)."""
    if isinstance(first, datetime) and isinstance(then, datetime):
        return as_utc(first) < as_utc(then)
    return _day(first) < _day(then)


def _shown(value: date | datetime) -> str:
    return (
        f"{uk_local(value):%d/%m/%Y %H:%M}" if isinstance(value, datetime) else f"{value:%d/%m/%Y}"
    )


@dataclass(frozen=True)
class Parsed:
    """A bundle read and validated, in format 2, and its source as the import report names it."""

    bundle: Bundle
    source: str
    upgraded_from_format_1: bool


def source_of(bundle: Bundle) -> str:
    """The source as shown in "imported … from <source>": who exported it, or its vault."""
    who = bundle.exported_by
    if who is not None:
        return signature(who.name, who.role, who.agency)
    return f"vault {bundle.vault_id[:8]}"


# The deepest a bundle nests is about six levels (bundle, list, record, list, record, value); the
# limit leaves room and stays far below Python's recursion limit.
MAX_NESTING = 32
# Every byte but the brackets and quotes goes; then an opening bracket counts 1, a closing one -1.
_NOT_BRACKETS_OR_QUOTES = bytes(b for b in range(256) if b not in b'[]{}"')
_DEPTH_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def _too_deep() -> InvalidInput:
    return InvalidInput(
        f"The bundle nests lists or records more than {MAX_NESTING} deep, which no case bundle "
        "does; it was not imported. Check it is the right file."
    )


def _check_nesting(data: bytes) -> None:
    """InvalidInput if brackets outside strings nest deeper than MAX_NESTING, found before the
    JSON parser (which recurses) ever sees the bundle."""
    # Brackets inside strings do not nest. In JSON a backslash only starts an escape, so with
    # every escaped backslash gone the quotes left unescaped are exactly the strings' ends; the
    # text between every second pair of them is outside any string.
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Only brackets and quotes matter. Two quotes side by side then are a string with no
    # brackets in it (most strings) or the gap between two strings: either way, dropping them
    # leaves every bracket inside or outside as it was, and leaves a few pieces to split rather
    # than one per string (millions in a large bundle, which cost more than the rest).
    kept = unescaped.translate(None, _NOT_BRACKETS_OR_QUOTES).replace(b'""', b"")
    steps = b"".join(kept.split(b'"')[::2]).translate(_DEPTH_STEP)
    # As signed bytes the steps are +1 and -1; their running sum is the depth at each bracket.
    if steps and max(itertools.accumulate(memoryview(steps).cast("b"))) > MAX_NESTING:
        raise _too_deep()


def _no_repeated_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused if it names a field twice: json.loads would keep the last value
    silently, and two readers of the same bundle could then disagree about what it says."""
    document = dict(pairs)
    if len(document) == len(pairs):  # no name given twice: the usual case, found at C speed
        return document
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            raise InvalidInput(
                f"The bundle gives the field {name!r} twice in one record, so what it says is "
                "ambiguous; it was not imported. Ask for it to be exported again."
            )
        seen.add(name)
    raise AssertionError("a name was repeated, so the loop above found it")


def parse(data: bytes, source: str | None = None) -> Parsed:
    """A validated bundle from raw bytes, or InvalidInput saying exactly what is wrong and where.

    A format 1 bundle is upgraded (`upgrade`); its source is `source` if given, else who
    exported it; with neither, InvalidInput asks for one."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise InvalidInput(
            f"The bundle is larger than {MAX_BUNDLE_BYTES // (1024 * 1024)} MB; split it by child and "
            "import the parts."
        )
    _check_nesting(data)
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_no_repeated_names)
    except UnicodeDecodeError:
        raise InvalidInput("The bundle is not UTF-8 text; check it is the right file.") from None
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"The bundle is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg.lower()}); it may be truncated or damaged."
        ) from None
    except RecursionError:  # the nesting check above should have caught it first
        raise _too_deep() from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInput(
            "This file is not a case bundle (its format is not 'practitioner-case-bundle'); "
            "check it is the right file."
        )
    version = document.get("version")
    # `true == 1` and `1.0 == 1` in Python, but a version is a whole number in JSON.
    if type(version) is not int or version not in (v1.VERSION, VERSION):
        raise InvalidInput(
            f"This bundle is version {version!r}, and this app reads versions 1 and {VERSION}; "
            "install the latest version of the app."
        )
    try:
        if version == VERSION:
            bundle = Bundle.model_validate(document)
            return Parsed(bundle, source_of(bundle), upgraded_from_format_1=False)
        old = v1.Bundle.model_validate(document)
    except ValidationError as error:
        raise InvalidInput(f"The bundle was not imported: {v1.describe(error)}.") from None
    if source is not None and not source.strip():
        raise InvalidInput("The source is empty; name who or what the bundle came from.")
    if source is None and old.exported_by is None:
        raise InvalidInput(
            "This format 1 bundle does not say who exported it; give its source (the person, "
            "team or system it came from, e.g. --source 'Leeds CSC') so its records are never "
            "mistaken for another source's."
        )
    named = source.strip() if source else source_of_v1(old)
    try:
        return Parsed(upgrade(old, named), named, upgraded_from_format_1=True)
    except ValidationError as error:
        raise InvalidInput(f"The bundle was not imported: {v1.describe(error)}.") from None


def source_of_v1(old: v1.Bundle) -> str:
    assert old.exported_by is not None
    who = old.exported_by
    return signature(who.name, who.role, who.agency)


# Format 1 ids become name-based UUIDs (RFC 9562 version 5) in this namespace, from the source
# and the record's list and id: the same bundle always gives the same UUIDs, two sources never do.
FORMAT_1_NAMESPACE: Final = uuid.UUID("6f1c3d0e-1b7a-5c2e-9a43-2f0d8e5b7c11")


def _name_key(source: str) -> str:
    return " ".join(source.split()).casefold()


def upgraded_id(source: str, list_name: str, bundle_id: str) -> str:
    return str(uuid.uuid5(FORMAT_1_NAMESPACE, f"{_name_key(source)}\0{list_name}\0{bundle_id}"))


def source_vault(source: str) -> str:
    """The vault id that stands for a format 1 source (which has none of its own)."""
    return str(uuid.uuid5(FORMAT_1_NAMESPACE, f"{_name_key(source)}\0vault"))


def _closing_moment(closed_at: str, concern: dict[str, Any]) -> str:
    """A format 1 closing as a status change's moment: a date alone on the day a concern was
    raised at a known time is that time (the concern was closed later that day), so the history
    never reads closed before it was raised."""
    raised = concern["raised_at"]
    date_alone = len(closed_at) == len("YYYY-MM-DD") and len(raised) > len(closed_at)
    if date_alone and _day(datetime.fromisoformat(raised)) == date.fromisoformat(closed_at):
        return str(raised)
    return closed_at


# Format 1 lists whose records say whether they are draft or final (the rest are final).
_HAS_STATUS = ("visits", "observations", "referrals")


def upgrade(old: v1.Bundle, source: str) -> Bundle:
    """A format 1 bundle as format 2: ids namespaced by `source`; author and recorded-at as the
    bundle gives them, else null (not recorded by the source; never the exporter, who may not
    have written them); a closed concern's closing as a status change.

    Format 1 gives a concern's status now, not its history. Only a closing has a date
    (`closed_at`), and a closed concern without one is refused: it would count as closed from the
    day it was raised, hiding the weeks it was open. A concern "monitoring" or "referred" keeps
    that status as first recorded, from the day it was raised: the bundle says nothing of when it
    changed, and inventing a date would be less honest than the status the sender gave. A closing
    dated the day the concern was raised at a time is placed at that time, not at midnight before
    it."""
    vault = source_vault(source)
    lists, references = v1.lists_and_references(v1.Bundle)
    document: dict[str, Any] = old.model_dump(mode="json", by_alias=True, exclude_none=True)
    document["version"] = VERSION
    document["vault_id"] = vault
    changes: list[dict[str, Any]] = []
    for index, concern in enumerate(old.concerns or []):
        if concern.status is ConcernStatus.CLOSED and concern.closed_at is None:
            raise InvalidInput(
                f"The bundle was not imported: concerns[{index}].closed_at: The concern is "
                "closed but the bundle does not say when; without the date it would count as "
                "closed from the day it was raised. Ask the sender for the closing date."
            )
        if concern.closed_at is not None and _before(concern.closed_at, concern.raised_at):
            raise InvalidInput(
                f"The bundle was not imported: concerns[{index}].closed_at: The concern is "
                "closed before it was raised; check the closing date."
            )
    for name in lists:
        for record in document.get(name) or []:
            if name == "children":
                record["reference"] = record["id"]
            record["id"] = upgraded_id(source, name, record["id"])
            record["vault_id"] = vault
            record.setdefault("author", None)
            record.setdefault("recorded_at", None)
            if name == "concerns":
                record["entry_status"] = EntryStatus.FINAL.value
                if record["status"] == ConcernStatus.CLOSED.value and "closed_at" in record:
                    changes.append(
                        {
                            "id": upgraded_id(source, "status_changes", record["id"]),
                            "vault_id": vault,
                            "author": None,
                            "recorded_at": None,
                            "concern_id": record["id"],
                            "changed_at": _closing_moment(record.pop("closed_at"), record),
                            "new_status": ConcernStatus.CLOSED.value,
                            "outcome": record.get("outcome"),
                        }
                    )
                    record["status"] = ConcernStatus.OPEN.value
            elif name in _HAS_STATUS:
                record.setdefault("status", EntryStatus.FINAL.value)
            elif name not in ("children", "people", "professionals"):
                record["status"] = EntryStatus.FINAL.value
    for name, field, target in references:
        for record in document.get(name) or []:
            value = record.get(field)
            if isinstance(value, list):
                record[field] = [upgraded_id(source, target, ref) for ref in value]
            elif value is not None:
                record[field] = upgraded_id(source, target, value)
    if changes:
        document["status_changes"] = changes
    return Bundle.model_validate(document)


def serialise(bundle: Bundle) -> bytes:
    document = bundle.model_dump(mode="json", by_alias=True, exclude_none=True)
    # `author` and `recorded_at` null is information (the source did not say), so they stay.
    for name in record_lists():
        for record, model in zip(
            document.get(name) or [], getattr(bundle, name) or [], strict=True
        ):
            record.setdefault("author", None)
            record.setdefault("recorded_at", None)
            if isinstance(model, Amendment):
                record.setdefault("new_value", None)
            if isinstance(model, ChronologyChoice):
                record.setdefault("significant", None)  # put back to the rule
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def record_lists() -> list[str]:
    """The names of the bundle's lists of records (children, …, chronology_choices)."""
    lists, _ = v1.lists_and_references(Bundle)
    return lists


def json_schema() -> dict[str, Any]:
    schema = with_definitions(Bundle.model_json_schema(by_alias=True))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Practitioner case bundle, format 2"
    return schema


if __name__ == "__main__":
    # Regenerate the shipped schemas:
    #   python -m practitioner_app.export.bundle > resources/bundle.schema.json
    #   python -m practitioner_app.export.bundle 1 > resources/bundle-1.schema.json
    import sys

    chosen = v1.json_schema() if sys.argv[1:] == ["1"] else json_schema()
    print(json.dumps(chosen, indent=2, ensure_ascii=False))
