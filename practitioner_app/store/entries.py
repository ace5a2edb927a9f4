"""Entries: visits, observations, concerns, chronology events, referrals, sharing records.

Every entry starts as a draft and becomes final; a final entry is never changed or deleted (the
services refuse, and so do the triggers in the migrations). Corrections are Amendments beside it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, text, true
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from practitioner_app.domain.alerts.reviews import ReviewOutcome
from practitioner_app.domain.body_map import BodyFigure, BodySide
from practitioner_app.domain.body_marks import MarkKind
from practitioner_app.domain.enums import (
    ConcernCategory,
    ConcernLevel,
    ConcernStatus,
    Consent,
    ContactType,
    EntryStatus,
    EventKind,
    ObservationCategory,
    Significance,
    SourceKind,
    VisitKind,
    VisitOutcome,
)
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.store.base import Attributed, Base, enum_column, new_id
from practitioner_app.store.people import Child


@dataclass(frozen=True)
class Link:
    """A details field kept in a link table: `own` names the entry, `other` the linked record."""

    table: Table
    own: str
    other: str


class Entry(Attributed, Base):
    """Columns every entry has: the two times, the author, and draft/final.

    Each model names its `RecordKind` and the link tables of its `links` fields (domain/kinds.py
    says which fields those are; tests/test_kinds.py checks the two agree).
    """

    __abstract__ = True
    record_kind: ClassVar[RecordKind]
    links: ClassVar[dict[str, Link]] = {}
    # Covering indexes (name → columns) for summaries read across the whole vault: the caseload
    # at every unlock, and the agencies as spelled (alert evidence, each time a child is opened).
    summary_indexes: ClassVar[dict[str, tuple[str, ...]]] = {}

    status: Mapped[EntryStatus] = mapped_column(
        enum_column(EntryStatus, "entry_status"), default=EntryStatus.DRAFT
    )
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    time_known: Mapped[bool] = mapped_column(default=True)
    recorded_at: Mapped[datetime]
    # False when the source of an imported entry did not say when it was recorded: recorded_at
    # then holds occurred_at for ordering only, and the entry is shown "recorded: not known" and
    # never as late.
    recorded_at_known: Mapped[bool] = mapped_column(default=True, server_default=true())
    finalised_at: Mapped[datetime | None]
    # The agency the information came from, normalised (trimmed, case-folded) for the alert rules.
    agency: Mapped[str | None] = mapped_column(String(200))
    # SHA-256 of the content when it became final; `verify` recomputes it. Frozen with the entry.
    content_sha256: Mapped[str | None] = mapped_column(String(64))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Index, ...]:
        # The caseload counts each child's drafts at every unlock. Drafts are a handful among
        # tens of thousands of final entries, so a partial index of the drafts alone (keyed by
        # child where the entry names one) answers that without reading the table. SQLite uses
        # a partial index only when the query spells the same condition: DRAFT_ONLY.
        return (
            Index(
                f"ix_{cls.__tablename__}_drafts",
                "child_id" if "child_id" in cls.__dict__ else "id",
                sqlite_where=text(DRAFT_ONLY),
            ),
            *(Index(name, *columns) for name, columns in cls.summary_indexes.items()),
        )


# The condition of the partial draft indexes, as a query must write it (literally, not as a bound
# parameter) for SQLite to use them.
DRAFT_ONLY = "status = 'draft'"


def _link_table(name: str, left: str, right: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(f"{left}_id", ForeignKey(f"{left}.id"), primary_key=True),
        Column(f"{right}_id", ForeignKey(f"{right}.id"), primary_key=True, index=True),
    )


visit_child = _link_table("visit_child", "visit", "child")
referral_child = _link_table("referral_child", "referral", "child")
sharing_child = _link_table("sharing_record_child", "sharing_record", "child")
concern_visit = _link_table("concern_visit", "concern", "visit")
concern_observation = _link_table("concern_observation", "concern", "observation")
referral_concern = _link_table("referral_concern", "referral", "concern")


class Visit(Entry):
    __tablename__ = "visit"
    record_kind = RecordKind.VISIT
    links: ClassVar[dict[str, Link]] = {"child_ids": Link(visit_child, "visit_id", "child_id")}
    # "Last seen" on the caseload: completed visits where the child was seen, read from the
    # index alone rather than from rows that carry the visit's notes.
    summary_indexes: ClassVar[dict[str, tuple[str, ...]]] = {
        "ix_visit_seen": ("outcome", "child_seen", "id", "occurred_at"),
        "ix_visit_author_agency": ("author_agency",),
    }

    kind: Mapped[VisitKind] = mapped_column(enum_column(VisitKind, "visit_kind"))
    contact_type: Mapped[ContactType | None] = mapped_column(
        enum_column(ContactType, "contact_type")
    )
    planned: Mapped[bool | None]
    outcome: Mapped[VisitOutcome] = mapped_column(enum_column(VisitOutcome, "visit_outcome"))
    child_seen: Mapped[bool | None]
    child_seen_alone: Mapped[bool | None]
    present: Mapped[list[str]] = mapped_column(default=list)
    child_voice: Mapped[str | None]
    notes: Mapped[str | None]


class Observation(Entry):
    __tablename__ = "observation"
    summary_indexes: ClassVar[dict[str, tuple[str, ...]]] = {
        "ix_observation_author_agency": ("author_agency",)
    }
    record_kind = RecordKind.OBSERVATION

    child_id: Mapped[str] = mapped_column(ForeignKey(Child.id), index=True)
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visit.id"), index=True)
    category: Mapped[ObservationCategory] = mapped_column(
        enum_column(ObservationCategory, "observation_category")
    )
    text: Mapped[str]
    significant: Mapped[bool] = mapped_column(default=False)
    weight_kg: Mapped[float | None]
    length_cm: Mapped[float | None]
    head_circumference_cm: Mapped[float | None]


# The weights FALTERING_GROWTH reads for the whole caseload at unlock: a handful of the
# observations carry one, so a covering partial index of them (migration 0008) spares reading
# the rest. The query must say `weight_kg IS NOT NULL` for SQLite to use it.
Index(
    "ix_observation_weights",
    Observation.child_id,
    Observation.id,
    Observation.occurred_at,
    Observation.weight_kg,
    Observation.length_cm,
    Observation.status,
    sqlite_where=Observation.weight_kg.is_not(None),
)


class Injury(Base):
    """An injury seen at an observation; final with its observation."""

    __tablename__ = "injury"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    observation_id: Mapped[str] = mapped_column(ForeignKey("observation.id"), index=True)
    body_regions: Mapped[list[str]]
    description: Mapped[str | None]
    explanation_given: Mapped[str | None]
    consistent_with_explanation: Mapped[bool | None]


class BodyMark(Entry):
    """A mark on the body map of an occasion (the observation it was seen at): where, on which
    outline and view, in figure units (domain/body_map.py), and what was seen. Its id is a
    UUID like every entry's, so a photograph can name it as its owner."""

    __tablename__ = "body_mark"
    record_kind = RecordKind.BODY_MARK

    child_id: Mapped[str] = mapped_column(ForeignKey(Child.id), index=True)
    observation_id: Mapped[str] = mapped_column(ForeignKey("observation.id"), index=True)
    figure: Mapped[BodyFigure] = mapped_column(enum_column(BodyFigure, "body_figure"))
    side: Mapped[BodySide] = mapped_column(enum_column(BodySide, "body_side"))
    x: Mapped[float]
    y: Mapped[float]
    region: Mapped[str] = mapped_column(String(60))
    mark_kind: Mapped[MarkKind] = mapped_column(enum_column(MarkKind, "mark_kind"))
    description: Mapped[str]
    length_cm: Mapped[float | None]
    width_cm: Mapped[float | None]
    shape: Mapped[str | None]
    colours: Mapped[str | None]
    skin_broken: Mapped[bool | None]
    swelling: Mapped[bool | None]
    explanation_given: Mapped[str | None]
    explanation_by: Mapped[str | None]
    consistent_with_explanation: Mapped[bool | None]
    seen_by: Mapped[str | None]


class Concern(Entry):
    __tablename__ = "concern"
    record_kind = RecordKind.CONCERN
    links: ClassVar[dict[str, Link]] = {
        "visit_ids": Link(concern_visit, "concern_id", "visit_id"),
        "observation_ids": Link(concern_observation, "concern_id", "observation_id"),
    }
    # Open concerns and their highest level on the caseload, without reading the concerns' text.
    summary_indexes: ClassVar[dict[str, tuple[str, ...]]] = {
        "ix_concern_summary": ("child_id", "level", "concern_status", "id"),
        "ix_concern_source": ("source",),
    }

    child_id: Mapped[str] = mapped_column(ForeignKey(Child.id), index=True)
    category: Mapped[ConcernCategory] = mapped_column(
        enum_column(ConcernCategory, "concern_category")
    )
    level: Mapped[ConcernLevel] = mapped_column(enum_column(ConcernLevel, "concern_level"))
    source: Mapped[str]
    summary: Mapped[str]
    details: Mapped[str | None]
    # As first recorded; later changes to a final concern are ConcernStatusChange rows.
    concern_status: Mapped[ConcernStatus] = mapped_column(
        enum_column(ConcernStatus, "concern_status"), default=ConcernStatus.OPEN
    )
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None]


class ConcernStatusChange(Attributed, Base):
    """A concern moving on (open → monitoring → referred → closed): appended, never edited, so the
    status at any past date can be told."""

    __tablename__ = "concern_status_change"
    # A concern's latest status, as the caseload and the alert rules ask for it, from the index.
    __table_args__ = (
        Index(
            "ix_concern_status_change_latest",
            "concern_id",
            "changed_at",
            "recorded_at",
            "new_status",
        ),
    )

    concern_id: Mapped[str] = mapped_column(ForeignKey("concern.id"), index=True)
    changed_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    recorded_at_known: Mapped[bool] = mapped_column(default=True, server_default=true())
    new_status: Mapped[ConcernStatus] = mapped_column(enum_column(ConcernStatus, "new_status"))
    outcome: Mapped[str | None]


class ChronologyEvent(Entry):
    __tablename__ = "chronology_event"
    summary_indexes: ClassVar[dict[str, tuple[str, ...]]] = {
        "ix_chronology_event_source": ("source",)
    }
    record_kind = RecordKind.CHRONOLOGY_EVENT

    child_id: Mapped[str] = mapped_column(ForeignKey(Child.id), index=True)
    date_uncertain: Mapped[bool] = mapped_column(default=False)
    ended_at: Mapped[datetime | None]
    source: Mapped[str]
    source_kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind, "source_kind"))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    event: Mapped[str]
    significance: Mapped[Significance | None] = mapped_column(
        enum_column(Significance, "significance")
    )
    impact_on_child: Mapped[str | None]
    action: Mapped[str | None]


class Referral(Entry):
    __tablename__ = "referral"
    summary_indexes: ClassVar[dict[str, tuple[str, ...]]] = {
        "ix_referral_author_agency": ("author_agency",)
    }
    record_kind = RecordKind.REFERRAL
    links: ClassVar[dict[str, Link]] = {
        "child_ids": Link(referral_child, "referral_id", "child_id"),
        "concern_ids": Link(referral_concern, "referral_id", "concern_id"),
    }

    to_agency: Mapped[str]
    form: Mapped[str] = mapped_column(String(40), default="marf")
    sections: Mapped[dict[str, str]] = mapped_column(default=dict)
    family_aware: Mapped[bool | None]
    consent: Mapped[Consent | None] = mapped_column(enum_column(Consent, "consent"))
    reason_not_sought: Mapped[str | None]
    immediate_risk: Mapped[bool | None]
    closed_at: Mapped[datetime | None]


class SharingRecord(Entry):
    __tablename__ = "sharing_record"
    record_kind = RecordKind.SHARING_RECORD
    links: ClassVar[dict[str, Link]] = {
        "child_ids": Link(sharing_child, "sharing_record_id", "child_id")
    }

    shared: Mapped[bool]
    with_whom: Mapped[str]
    what: Mapped[str]
    purpose: Mapped[str]
    lawful_basis: Mapped[str | None]
    consent: Mapped[Consent] = mapped_column(enum_column(Consent, "consent"))
    reason: Mapped[str | None]
    # The form that went (a referral's id; no foreign key: a bundle may carry the share without
    # the form) and whether the copy was final or a draft; None for a share of anything else.
    referral_id: Mapped[str | None] = mapped_column(String(36), index=True)
    form_final: Mapped[bool | None]


class Amendment(Attributed, Base):
    """A correction to one field of a final entry: who, when, why and the new text. The original
    is left exactly as it was, and shown beside this."""

    __tablename__ = "amendment"
    __table_args__ = (Index("ix_amendment_target", "target_kind", "target_id"),)

    target_kind: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    new_value: Mapped[str | None]
    reason: Mapped[str]
    recorded_at: Mapped[datetime]
    recorded_at_known: Mapped[bool] = mapped_column(default=True, server_default=true())


class ChronologyChoice(Attributed, Base):
    """The practitioner's choice that an entry does, or does not, matter to the chronology (a
    chronology is "not a list of everything"). Not evidence: it changes what the chronology
    shows, never what was recorded, so it may be changed again; every change is audited.
    `significant` None: the choice was put back to the rule (the row stays, so that change
    travels in bundles too)."""

    __tablename__ = "chronology_choice"

    child_id: Mapped[str] = mapped_column(ForeignKey(Child.id), index=True)
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), unique=True)
    significant: Mapped[bool | None]


class RecordRevision(Attributed, Base):
    """A change to a record that may change (a child's details, a household member, a
    professional) brought by a case bundle: both values kept, dated by the source's own last
    change, and whether it was applied (it is not when this vault's version is the newer).
    The author is the practitioner who imported it. Append-only."""

    __tablename__ = "record_revision"
    __table_args__ = (Index("ix_record_revision_record", "record_table", "record_id"),)

    record_table: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    revised_at: Mapped[datetime]
    applied: Mapped[bool]


# The model of each kind of entry (domain/kinds.py is the registry of kinds).
ENTRY_KINDS: dict[RecordKind, type[Entry]] = {
    model.record_kind: model
    for model in (Visit, Observation, Concern, ChronologyEvent, Referral, SharingRecord, BodyMark)
}


def model_of(kind: str) -> type[Entry]:
    """The model of a kind of entry; `KeyError` for a name that is no kind."""
    return ENTRY_KINDS[RecordKind(kind)]


# Rows that belong to an entry and are frozen with it: (table, column naming the entry, entry table).
DEPENDENT_TABLES: tuple[tuple[str, str, str], ...] = (
    *(
        (link.table.name, link.own, model.__tablename__)
        for model in ENTRY_KINDS.values()
        for link in model.links.values()
    ),
    ("injury", "observation_id", "observation"),
)


class AlertReview(Attributed, Base):
    """The practitioner's review of an alert (domain/alerts/reviews.py): which rule, the records
    behind it when reviewed, acted on or no action, and what or why. Append-only: a review is a
    record of a decision; a later one supersedes it, none is changed."""

    __tablename__ = "alert_review"

    child_id: Mapped[str] = mapped_column(ForeignKey(Child.id), index=True)
    rule: Mapped[str] = mapped_column(String(60))
    evidence: Mapped[list[str]]
    outcome: Mapped[ReviewOutcome] = mapped_column(enum_column(ReviewOutcome, "review_outcome"))
    note: Mapped[str]
    reviewed_at: Mapped[datetime]


class AgencyAlias(Attributed, Base):
    """One agency name the practitioner said is another's ("Haringey SS" is "Haringey Social
    Services"), both normalised (trimmed, case-folded). Read by the alert rules' agency counts."""

    __tablename__ = "agency_alias"

    alias: Mapped[str] = mapped_column(String(200), unique=True)
    agency: Mapped[str] = mapped_column(String(200))


# Rows that are append-only from the moment they are written (record_seal: store/seals.py).
APPEND_ONLY_TABLES = (
    "amendment",
    "concern_status_change",
    "audit_event",
    "record_revision",
    "record_seal",
    "alert_review",
)
