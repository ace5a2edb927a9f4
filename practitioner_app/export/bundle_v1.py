"""The case bundle, format 1 (../shared/design/BUNDLE.md), as pydantic models.

Format 1 still imports: export/bundle.py reads it and upgrades it to format 2, the format the app
writes. The models are the format: they validate every import, and the JSON Schema shipped in
resources/bundle-1.schema.json is generated from them. Dates are ISO 8601; a time without an offset is UK local time; how strictly
they are read (and booleans and numbers: a JSON type is meant, not pydantic's lax reading of one) is
in export/bundle_dates.py.
"""

import functools
import json
import typing
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic import Strict as PydanticStrict

from practitioner_app.domain import nhs_number
from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    Consent,
    ContactType,
    EntryStatus,
    EventKind,
    ObservationCategory,
    Sex,
    Significance,
    SourceKind,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.kinds import KINDS
from practitioner_app.export.bundle_dates import (
    BundleDate,
    BundleDateOrDateTime,
    BundleDateTime,
    with_definitions,
)

FORMAT: Final = "practitioner-case-bundle"
VERSION: Final = 1

# One free-text field may hold a long narrative (SECURITY.md promise 12 asks for 100 kB), but not a
# file's worth: past this it is a mistake or an attack, and it is named rather than imported.
MAX_TEXT = 1_000_000
# The whole bundle: the 400-child, five-year workload is well under this.
MAX_BUNDLE_BYTES = 512 * 1024 * 1024

Text = Annotated[str, Field(max_length=MAX_TEXT)]
Id = Annotated[str, Field(min_length=1, max_length=200)]


# JSON types, not pydantic's lax reading of them: 1 and "yes" are not true, "3.5" is not a number.
Bool = StrictBool
Number = Annotated[float, PydanticStrict(), Field(allow_inf_nan=False)]


class Strict(BaseModel):
    """Unknown keys are an error; nothing is silently dropped."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Author(Strict):
    name: Text
    role: Text | None = None
    agency: Text | None = None


class Child(Strict):
    id: Id
    given_name: Text
    family_name: Text
    other_names: list[Text] | None = None
    preferred_name: Text | None = None
    date_of_birth: BundleDate | None = None
    expected_date: BundleDate | None = None
    sex: Sex | None = None
    nhs_number: str | None = None
    ethnicity: Text | None = None
    first_language: Text | None = None
    interpreter_needed: Bool | None = None
    religion: Text | None = None
    disability: Text | None = None
    address: Text | None = None
    postcode: Text | None = None
    gp: Text | None = None
    school: Text | None = None
    non_mobile: Bool | None = None

    @field_validator("nhs_number")
    @classmethod
    def _valid_nhs_number(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not nhs_number.is_valid(value.replace(" ", "")):
            raise ValueError(f"{value!r} is not a valid NHS number (10 digits, modulus 11)")
        return value.replace(" ", "")

    @model_validator(mode="after")
    def _born_or_expected(self) -> "Child":
        if self.date_of_birth is None and self.expected_date is None:
            raise ValueError("give date_of_birth, or expected_date for an unborn child")
        return self


class Person(Strict):
    id: Id
    name: Text
    date_of_birth: BundleDate | None = None
    relationship: Text
    child_ids: list[Id]
    lives_with_child: Bool
    parental_responsibility: Bool | None = None
    from_date: BundleDate | None = Field(default=None, alias="from")
    to_date: BundleDate | None = Field(default=None, alias="to")
    checks: Text | None = None
    notes: Text | None = None


class Professional(Strict):
    id: Id
    name: Text
    role: Text
    agency: Text
    phone: Text | None = None
    email: Text | None = None
    child_ids: list[Id]
    lead: Bool | None = None
    from_date: BundleDate | None = Field(default=None, alias="from")
    to_date: BundleDate | None = Field(default=None, alias="to")


class Visit(Strict):
    id: Id
    child_ids: list[Id] = Field(min_length=1)
    occurred_at: BundleDateTime
    kind: VisitKind
    contact_type: ContactType | None = None
    planned: Bool | None = None
    outcome: VisitOutcome
    child_seen: Bool | None = None
    child_seen_alone: Bool | None = None
    present: list[Text] | None = None
    child_voice: Text | None = None
    notes: Text | None = None
    agency: Text | None = None
    author: Author | None = None
    recorded_at: BundleDateTime | None = None
    status: EntryStatus | None = None


class Injury(Strict):
    body_regions: list[Text] = Field(min_length=1)
    description: Text | None = None
    explanation_given: Text | None = None
    consistent_with_explanation: Bool | None = None


class Measurement(Strict):
    weight_kg: Number | None = None
    length_cm: Number | None = None
    head_circumference_cm: Number | None = None


class Observation(Strict):
    id: Id
    child_id: Id
    visit_id: Id | None = None
    observed_at: BundleDateOrDateTime
    category: ObservationCategory
    text: Text
    significant: Bool | None = None
    injury: Injury | None = None
    measurement: Measurement | None = None
    author: Author | None = None
    recorded_at: BundleDateTime | None = None
    status: EntryStatus | None = None


class Concern(Strict):
    id: Id
    child_id: Id
    raised_at: BundleDateOrDateTime
    category: ConcernCategory
    level: ConcernLevel
    source: Text
    summary: Text
    details: Text | None = None
    status: ConcernStatus
    closed_at: BundleDateOrDateTime | None = None
    outcome: Text | None = None
    visit_ids: list[Id] | None = None
    observation_ids: list[Id] | None = None


class Event(Strict):
    id: Id
    child_id: Id
    occurred_at: BundleDateOrDateTime
    date_uncertain: Bool | None = None
    ended_at: BundleDateOrDateTime | None = None
    source: Text
    source_kind: SourceKind | None = None
    kind: EventKind
    event: Text
    significance: Significance | None = None
    impact_on_child: Text | None = None
    action: Text | None = None
    recorded_at: BundleDateTime | None = None


class ReferralConsent(Strict):
    family_aware: Bool
    consent: Consent
    reason_not_sought: Text | None = None


class Referral(Strict):
    id: Id
    child_ids: list[Id] = Field(min_length=1)
    # Which structured form (domain/forms/); left out for a MARF, as in BUNDLE.md format 1.
    form: Literal["marf", "early_help"] | None = None
    to_agency: Text
    status: EntryStatus
    created_at: BundleDateTime
    sections: dict[str, Text]
    concern_ids: list[Id] | None = None
    consent: ReferralConsent | None = None
    immediate_risk: Bool | None = None
    closed_at: BundleDateOrDateTime | None = None


class Sharing(Strict):
    id: Id
    child_ids: list[Id] = Field(min_length=1)
    at: BundleDateTime
    shared: Bool
    with_whom: Text
    what: Text
    purpose: Text
    lawful_basis: Text | None = None
    consent: Consent
    reason: Text | None = None


@functools.cache
def lists_and_references(bundle: type[BaseModel]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The bundle's lists of records, and each field that names records of another list as
    (list, field, list named): `child_id`/`child_ids` name children, `<kind>_id`/`<kind>_ids` name
    that kind's list (domain/kinds.py), so a new kind's links are checked without a new line."""
    list_of = {"child": "children", **{kind.value: s.bundle_list for kind, s in KINDS.items()}}
    lists = [
        name
        for name, info in bundle.model_fields.items()
        if typing.get_origin(info.annotation) is list
        or any(typing.get_origin(arg) is list for arg in typing.get_args(info.annotation))
    ]
    references = []
    for name in lists:
        record = typing.get_args(bundle.model_fields[name].annotation)[0]
        record = typing.get_args(record)[0] if typing.get_origin(record) is list else record
        for field in record.model_fields:
            target = field.removesuffix("_ids").removesuffix("_id")
            if field != target and target in list_of:
                references.append((name, field, list_of[target]))
    return lists, references


class Bundle(Strict):
    format: Literal["practitioner-case-bundle"]
    version: Literal[1]
    exported_at: BundleDateTime | None = None
    exported_by: Author | None = None
    children: list[Child]
    people: list[Person] | None = None
    professionals: list[Professional] | None = None
    visits: list[Visit] | None = None
    observations: list[Observation] | None = None
    concerns: list[Concern] | None = None
    events: list[Event] | None = None
    referrals: list[Referral] | None = None
    sharing: list[Sharing] | None = None

    @model_validator(mode="after")
    def _ids_unique_and_references_resolve(self) -> "Bundle":
        lists, references = lists_and_references(type(self))
        ids: dict[str, set[str]] = {}
        for name in lists:
            seen: set[str] = set()
            for index, record in enumerate(getattr(self, name) or []):
                if record.id in seen:
                    raise ValueError(f"{name}[{index}].id: {record.id!r} is used twice in {name}")
                seen.add(record.id)
            ids[name] = seen
        for name, field, target in references:
            for index, record in enumerate(getattr(self, name) or []):
                value = getattr(record, field)
                for ref in value if isinstance(value, list) else [value] if value else []:
                    if ref not in ids[target]:
                        raise ValueError(
                            f"{name}[{index}].{field}: {ref!r} is not the id of any record in {target}"
                        )
        return self


def _path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "bundle"


def describe(error: ValidationError) -> str:
    """The first problem, naming the record and field: `visits[3].outcome: 'maybe' is not one of ...`."""
    first = error.errors()[0]
    path = _path(tuple(first["loc"]))
    kind = first["type"]
    if kind == "enum":
        message = f"{first['input']!r} is not one of {first['ctx']['expected']}"
    elif kind == "extra_forbidden":
        message = "is not a field of this record (unknown key)"
    elif kind == "missing":
        message = "is required but missing"
    elif kind == "string_too_long":
        message = f"is longer than the {MAX_TEXT:,} characters one field may hold"
    elif kind == "value_error":
        message = str(first["ctx"]["error"])
    elif kind == "bool_type":
        message = f"{json.dumps(first['input'])} is not true or false (write true or false)"
    elif kind in ("float_type", "finite_number"):
        message = f"{json.dumps(first['input'])} is not a number (write it as a JSON number)"
    else:
        message = first["msg"][0].lower() + first["msg"][1:]
    more = len(error.errors()) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    # Whole-bundle checks (ids, references) name their own record and field.
    return f"{message}{suffix}" if not first["loc"] else f"{path}: {message}{suffix}"


def json_schema() -> dict[str, Any]:
    schema = with_definitions(Bundle.model_json_schema(by_alias=True))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Practitioner case bundle, format 1"
    return schema
