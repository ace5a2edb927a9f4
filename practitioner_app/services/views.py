"""Plain frozen data the services return: safe to hand to another thread, a widget or a PDF."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from practitioner_app.domain.enums import EntryStatus
from practitioner_app.domain.kinds import RecordKind


@dataclass(frozen=True)
class ChildSummary:
    id: str
    external_ref: str | None
    given_name: str
    family_name: str
    date_of_birth: date | None
    expected_date: date | None
    nhs_number: str | None

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class AmendmentView:
    id: str
    field: str
    new_value: str | None
    reason: str
    author: str
    recorded_at: datetime
    recorded_at_known: bool  # False: the source did not say; recorded_at is then a stand-in
    imported: str | None  # "imported by … on … from …", None when written in this vault


@dataclass(frozen=True)
class EntryView:
    kind: RecordKind
    id: str
    status: EntryStatus
    occurred_at: datetime
    time_known: bool
    recorded_at: datetime
    recorded_at_known: bool  # False: the source did not say; recorded_at is then a stand-in
    finalised_at: datetime | None
    author: str
    imported: str | None  # "imported by … on … from …", None when written in this vault
    late: bool  # never True when recorded_at is not known
    fields: dict[str, Any]
    amendments: tuple[AmendmentView, ...]

    @property
    def amended(self) -> bool:
        return bool(self.amendments)


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor: str
    action: str
    record_kind: str | None
    record_id: str | None
    detail: str
    hash: str


@dataclass(frozen=True)
class VerifyReport:
    database_problems: tuple[str, ...]
    audit_events: int
    audit_head: str
    first_broken_seq: int | None
    altered_entries: tuple[str, ...]
    # One sentence per disagreement between the records, their seals, the audit chain and the
    # head kept outside the database (services/verification.py, services/audit_witness.py).
    findings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (
            self.database_problems or self.first_broken_seq or self.altered_entries or self.findings
        )
