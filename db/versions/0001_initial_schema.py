"""Initial schema: people, entries, amendments, the audit chain, and the integrity triggers.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 18:22:00.114515
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Final entries, their dependent rows, amendments and the audit chain refuse change
# (practitioner_app/store/integrity.py holds the rules; this is the SQL as of this revision).
TRIGGERS = [
    "CREATE TRIGGER visit_final_no_update BEFORE UPDATE ON visit WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER visit_final_no_delete BEFORE DELETE ON visit WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER observation_final_no_update BEFORE UPDATE ON observation WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER observation_final_no_delete BEFORE DELETE ON observation WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER concern_final_no_update BEFORE UPDATE ON concern WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER concern_final_no_delete BEFORE DELETE ON concern WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER chronology_event_final_no_update BEFORE UPDATE ON chronology_event WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER chronology_event_final_no_delete BEFORE DELETE ON chronology_event WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER referral_final_no_update BEFORE UPDATE ON referral WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER referral_final_no_delete BEFORE DELETE ON referral WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER sharing_record_final_no_update BEFORE UPDATE ON sharing_record WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER sharing_record_final_no_delete BEFORE DELETE ON sharing_record WHEN OLD.status = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER visit_child_final_no_insert BEFORE INSERT ON visit_child WHEN (SELECT status FROM visit WHERE id = NEW.visit_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER visit_child_final_no_update BEFORE UPDATE ON visit_child WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER visit_child_final_no_delete BEFORE DELETE ON visit_child WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER referral_child_final_no_insert BEFORE INSERT ON referral_child WHEN (SELECT status FROM referral WHERE id = NEW.referral_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER referral_child_final_no_update BEFORE UPDATE ON referral_child WHEN (SELECT status FROM referral WHERE id = OLD.referral_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER referral_child_final_no_delete BEFORE DELETE ON referral_child WHEN (SELECT status FROM referral WHERE id = OLD.referral_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER sharing_record_child_final_no_insert BEFORE INSERT ON sharing_record_child WHEN (SELECT status FROM sharing_record WHERE id = NEW.sharing_record_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER sharing_record_child_final_no_update BEFORE UPDATE ON sharing_record_child WHEN (SELECT status FROM sharing_record WHERE id = OLD.sharing_record_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER sharing_record_child_final_no_delete BEFORE DELETE ON sharing_record_child WHEN (SELECT status FROM sharing_record WHERE id = OLD.sharing_record_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER concern_visit_final_no_insert BEFORE INSERT ON concern_visit WHEN (SELECT status FROM concern WHERE id = NEW.concern_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER concern_visit_final_no_update BEFORE UPDATE ON concern_visit WHEN (SELECT status FROM concern WHERE id = OLD.concern_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER concern_visit_final_no_delete BEFORE DELETE ON concern_visit WHEN (SELECT status FROM concern WHERE id = OLD.concern_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER concern_observation_final_no_insert BEFORE INSERT ON concern_observation WHEN (SELECT status FROM concern WHERE id = NEW.concern_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER concern_observation_final_no_update BEFORE UPDATE ON concern_observation WHEN (SELECT status FROM concern WHERE id = OLD.concern_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER concern_observation_final_no_delete BEFORE DELETE ON concern_observation WHEN (SELECT status FROM concern WHERE id = OLD.concern_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER referral_concern_final_no_insert BEFORE INSERT ON referral_concern WHEN (SELECT status FROM referral WHERE id = NEW.referral_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER referral_concern_final_no_update BEFORE UPDATE ON referral_concern WHEN (SELECT status FROM referral WHERE id = OLD.referral_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER referral_concern_final_no_delete BEFORE DELETE ON referral_concern WHEN (SELECT status FROM referral WHERE id = OLD.referral_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER injury_final_no_insert BEFORE INSERT ON injury WHEN (SELECT status FROM observation WHERE id = NEW.observation_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER injury_final_no_update BEFORE UPDATE ON injury WHEN (SELECT status FROM observation WHERE id = OLD.observation_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER injury_final_no_delete BEFORE DELETE ON injury WHEN (SELECT status FROM observation WHERE id = OLD.observation_id) = 'final' BEGIN SELECT RAISE(ABORT, 'final entry cannot be changed or deleted; record an amendment instead'); END",
    "CREATE TRIGGER amendment_no_update BEFORE UPDATE ON amendment BEGIN SELECT RAISE(ABORT, 'this table is append-only; its rows cannot be changed or deleted'); END",
    "CREATE TRIGGER amendment_no_delete BEFORE DELETE ON amendment BEGIN SELECT RAISE(ABORT, 'this table is append-only; its rows cannot be changed or deleted'); END",
    "CREATE TRIGGER concern_status_change_no_update BEFORE UPDATE ON concern_status_change BEGIN SELECT RAISE(ABORT, 'this table is append-only; its rows cannot be changed or deleted'); END",
    "CREATE TRIGGER concern_status_change_no_delete BEFORE DELETE ON concern_status_change BEGIN SELECT RAISE(ABORT, 'this table is append-only; its rows cannot be changed or deleted'); END",
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN SELECT RAISE(ABORT, 'this table is append-only; its rows cannot be changed or deleted'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN SELECT RAISE(ABORT, 'this table is append-only; its rows cannot be changed or deleted'); END",
]


def upgrade() -> None:
    op.create_table(
        "amendment",
        sa.Column("target_kind", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment")),
    )
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_amendment_external_ref"), ["external_ref"], unique=False
        )
        batch_op.create_index("ix_amendment_target", ["target_kind", "target_id"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=True),
        sa.Column("record_id", sa.String(length=36), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_record_id"), ["record_id"], unique=False)

    op.create_table(
        "child",
        sa.Column("given_name", sa.Text(), nullable=False),
        sa.Column("family_name", sa.Text(), nullable=False),
        sa.Column("other_names", sa.JSON(), nullable=False),
        sa.Column("preferred_name", sa.Text(), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column(
            "sex",
            sa.Enum(
                "female",
                "male",
                "other",
                "unknown",
                name="sex",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("nhs_number", sa.String(length=10), nullable=True),
        sa.Column("ethnicity", sa.Text(), nullable=True),
        sa.Column("first_language", sa.Text(), nullable=True),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=True),
        sa.Column("religion", sa.Text(), nullable=True),
        sa.Column("disability", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("postcode", sa.Text(), nullable=True),
        sa.Column("gp", sa.Text(), nullable=True),
        sa.Column("school", sa.Text(), nullable=True),
        sa.Column("non_mobile", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "date_of_birth IS NOT NULL OR expected_date IS NOT NULL",
            name=op.f("ck_child_born_or_expected"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child")),
        sa.UniqueConstraint("external_ref", name=op.f("uq_child_external_ref")),
    )
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_child_external_ref"), ["external_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_child_nhs_number"), ["nhs_number"], unique=False)

    op.create_table(
        "household_member",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("checks", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member")),
    )
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_household_member_external_ref"), ["external_ref"], unique=False
        )

    op.create_table(
        "practitioner",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("agency", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioner")),
    )
    op.create_table(
        "professional",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("agency", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_professional")),
    )
    with op.batch_alter_table("professional", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_professional_external_ref"), ["external_ref"], unique=False
        )

    op.create_table(
        "referral",
        sa.Column("to_agency", sa.Text(), nullable=False),
        sa.Column("form", sa.String(length=40), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("family_aware", sa.Boolean(), nullable=True),
        sa.Column(
            "consent",
            sa.Enum(
                "given",
                "refused",
                "not_sought",
                name="consent",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("reason_not_sought", sa.Text(), nullable=True),
        sa.Column("immediate_risk", sa.Boolean(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "final",
                name="entry_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("time_known", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_external_ref"), ["external_ref"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_referral_occurred_at"), ["occurred_at"], unique=False)

    op.create_table(
        "sharing_record",
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("with_whom", sa.Text(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("lawful_basis", sa.Text(), nullable=True),
        sa.Column(
            "consent",
            sa.Enum(
                "given",
                "refused",
                "not_sought",
                name="consent",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "final",
                name="entry_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("time_known", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_record")),
    )
    with op.batch_alter_table("sharing_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sharing_record_external_ref"), ["external_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sharing_record_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "visit",
        sa.Column(
            "kind",
            sa.Enum(
                "home",
                "clinic",
                "school",
                "hospital",
                "office",
                "phone",
                "video",
                "other",
                name="visit_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "contact_type",
            sa.Enum(
                "antenatal",
                "new_birth",
                "6_8_week",
                "9_12_month",
                "2_2half_year",
                name="contact_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("planned", sa.Boolean(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "completed",
                "no_access",
                "was_not_brought",
                "cancelled_by_family",
                "cancelled_by_service",
                name="visit_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("child_seen", sa.Boolean(), nullable=True),
        sa.Column("child_seen_alone", sa.Boolean(), nullable=True),
        sa.Column("present", sa.JSON(), nullable=False),
        sa.Column("child_voice", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "final",
                name="entry_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("time_known", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_external_ref"), ["external_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_occurred_at"), ["occurred_at"], unique=False)

    op.create_table(
        "chronology_event",
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("date_uncertain", sa.Boolean(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column(
            "source_kind",
            sa.Enum(
                "health",
                "social_care",
                "police",
                "education",
                "voluntary",
                "family",
                "other",
                name="source_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "hospital_attendance",
                "injury",
                "referral",
                "assessment",
                "strategy_meeting",
                "case_conference",
                "case_closed",
                "no_access",
                "was_not_brought",
                "police_contact",
                "school_contact",
                "anonymous_report",
                "change_of_household",
                "other",
                name="event_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column(
            "significance",
            sa.Enum(
                "low",
                "medium",
                "high",
                name="significance",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("impact_on_child", sa.Text(), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "final",
                name="entry_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("time_known", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_chronology_event_child_id_child")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chronology_event")),
    )
    with op.batch_alter_table("chronology_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chronology_event_child_id"), ["child_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_chronology_event_external_ref"), ["external_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_chronology_event_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "concern",
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "physical_abuse",
                "emotional_abuse",
                "sexual_abuse",
                "neglect",
                "domestic_abuse",
                "exploitation",
                "parental_mental_health",
                "parental_substance_misuse",
                "fgm",
                "radicalisation",
                "other",
                name="concern_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "level",
            sa.Enum(
                "low",
                "medium",
                "high",
                "immediate",
                name="concern_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column(
            "concern_status",
            sa.Enum(
                "open",
                "monitoring",
                "referred",
                "closed",
                name="concern_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "final",
                name="entry_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("time_known", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["child_id"], ["child.id"], name=op.f("fk_concern_child_id_child")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern")),
    )
    with op.batch_alter_table("concern", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_concern_child_id"), ["child_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_concern_external_ref"), ["external_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_concern_occurred_at"), ["occurred_at"], unique=False)

    op.create_table(
        "household_link",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("relationship", sa.Text(), nullable=False),
        sa.Column("parental_responsibility", sa.Boolean(), nullable=True),
        sa.Column("lives_with_child", sa.Boolean(), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=True),
        sa.Column("to_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_household_link_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["household_member.id"],
            name=op.f("fk_household_link_member_id_household_member"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_link")),
        sa.UniqueConstraint("member_id", "child_id", name="member_child"),
    )
    with op.batch_alter_table("household_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_household_link_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_household_link_member_id"), ["member_id"], unique=False
        )

    op.create_table(
        "observation",
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "home_environment",
                "parent_child_interaction",
                "presentation",
                "development",
                "growth",
                "injury",
                "emotional_wellbeing",
                "health",
                "other",
                name="observation_category",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("significant", sa.Boolean(), nullable=False),
        sa.Column("weight_kg", sa.Double(), nullable=True),
        sa.Column("length_cm", sa.Double(), nullable=True),
        sa.Column("head_circumference_cm", sa.Double(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "final",
                name="entry_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("time_known", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("finalised_at", sa.DateTime(), nullable=True),
        sa.Column("agency", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_observation_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_observation_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation")),
    )
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_observation_child_id"), ["child_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_observation_external_ref"), ["external_ref"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_observation_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_observation_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "professional_link",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("professional_id", sa.String(length=36), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.Column("lead", sa.Boolean(), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=True),
        sa.Column("to_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_professional_link_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["professional_id"],
            ["professional.id"],
            name=op.f("fk_professional_link_professional_id_professional"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_professional_link")),
        sa.UniqueConstraint("professional_id", "child_id", name="professional_child"),
    )
    with op.batch_alter_table("professional_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_professional_link_child_id"), ["child_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_professional_link_professional_id"), ["professional_id"], unique=False
        )

    op.create_table(
        "referral_child",
        sa.Column("referral_id", sa.String(length=36), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_referral_child_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_referral_child_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("referral_id", "child_id", name=op.f("pk_referral_child")),
    )
    with op.batch_alter_table("referral_child", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_child_child_id"), ["child_id"], unique=False)

    op.create_table(
        "sharing_record_child",
        sa.Column("sharing_record_id", sa.String(length=36), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_sharing_record_child_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["sharing_record_id"],
            ["sharing_record.id"],
            name=op.f("fk_sharing_record_child_sharing_record_id_sharing_record"),
        ),
        sa.PrimaryKeyConstraint(
            "sharing_record_id", "child_id", name=op.f("pk_sharing_record_child")
        ),
    )
    with op.batch_alter_table("sharing_record_child", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sharing_record_child_child_id"), ["child_id"], unique=False
        )

    op.create_table(
        "visit_child",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("child_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"], ["child.id"], name=op.f("fk_visit_child_child_id_child")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_visit_child_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("visit_id", "child_id", name=op.f("pk_visit_child")),
    )
    with op.batch_alter_table("visit_child", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_child_child_id"), ["child_id"], unique=False)

    op.create_table(
        "concern_observation",
        sa.Column("concern_id", sa.String(length=36), nullable=False),
        sa.Column("observation_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concern.id"], name=op.f("fk_concern_observation_concern_id_concern")
        ),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observation.id"],
            name=op.f("fk_concern_observation_observation_id_observation"),
        ),
        sa.PrimaryKeyConstraint(
            "concern_id", "observation_id", name=op.f("pk_concern_observation")
        ),
    )
    with op.batch_alter_table("concern_observation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_concern_observation_observation_id"), ["observation_id"], unique=False
        )

    op.create_table(
        "concern_status_change",
        sa.Column("concern_id", sa.String(length=36), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column(
            "new_status",
            sa.Enum(
                "open",
                "monitoring",
                "referred",
                "closed",
                name="new_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("external_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("author_name", sa.Text(), nullable=False),
        sa.Column("author_role", sa.Text(), nullable=True),
        sa.Column("author_agency", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concern.id"], name=op.f("fk_concern_status_change_concern_id_concern")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concern_status_change")),
    )
    with op.batch_alter_table("concern_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_concern_status_change_concern_id"), ["concern_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_concern_status_change_external_ref"), ["external_ref"], unique=False
        )

    op.create_table(
        "concern_visit",
        sa.Column("concern_id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concern.id"], name=op.f("fk_concern_visit_concern_id_concern")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_concern_visit_visit_id_visit")
        ),
        sa.PrimaryKeyConstraint("concern_id", "visit_id", name=op.f("pk_concern_visit")),
    )
    with op.batch_alter_table("concern_visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_concern_visit_visit_id"), ["visit_id"], unique=False)

    op.create_table(
        "injury",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("observation_id", sa.String(length=36), nullable=False),
        sa.Column("body_regions", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("explanation_given", sa.Text(), nullable=True),
        sa.Column("consistent_with_explanation", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["observation_id"],
            ["observation.id"],
            name=op.f("fk_injury_observation_id_observation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_injury")),
    )
    with op.batch_alter_table("injury", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_injury_observation_id"), ["observation_id"], unique=False
        )

    op.create_table(
        "referral_concern",
        sa.Column("referral_id", sa.String(length=36), nullable=False),
        sa.Column("concern_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["concern_id"], ["concern.id"], name=op.f("fk_referral_concern_concern_id_concern")
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referral.id"], name=op.f("fk_referral_concern_referral_id_referral")
        ),
        sa.PrimaryKeyConstraint("referral_id", "concern_id", name=op.f("pk_referral_concern")),
    )
    with op.batch_alter_table("referral_concern", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_referral_concern_concern_id"), ["concern_id"], unique=False
        )

    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("referral_concern", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_concern_concern_id"))

    op.drop_table("referral_concern")
    with op.batch_alter_table("injury", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_injury_observation_id"))

    op.drop_table("injury")
    with op.batch_alter_table("concern_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concern_visit_visit_id"))

    op.drop_table("concern_visit")
    with op.batch_alter_table("concern_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concern_status_change_external_ref"))
        batch_op.drop_index(batch_op.f("ix_concern_status_change_concern_id"))

    op.drop_table("concern_status_change")
    with op.batch_alter_table("concern_observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concern_observation_observation_id"))

    op.drop_table("concern_observation")
    with op.batch_alter_table("visit_child", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_child_child_id"))

    op.drop_table("visit_child")
    with op.batch_alter_table("sharing_record_child", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sharing_record_child_child_id"))

    op.drop_table("sharing_record_child")
    with op.batch_alter_table("referral_child", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_child_child_id"))

    op.drop_table("referral_child")
    with op.batch_alter_table("professional_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_professional_link_professional_id"))
        batch_op.drop_index(batch_op.f("ix_professional_link_child_id"))

    op.drop_table("professional_link")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_observation_visit_id"))
        batch_op.drop_index(batch_op.f("ix_observation_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_observation_external_ref"))
        batch_op.drop_index(batch_op.f("ix_observation_child_id"))

    op.drop_table("observation")
    with op.batch_alter_table("household_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_link_member_id"))
        batch_op.drop_index(batch_op.f("ix_household_link_child_id"))

    op.drop_table("household_link")
    with op.batch_alter_table("concern", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_concern_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_concern_external_ref"))
        batch_op.drop_index(batch_op.f("ix_concern_child_id"))

    op.drop_table("concern")
    with op.batch_alter_table("chronology_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chronology_event_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_chronology_event_external_ref"))
        batch_op.drop_index(batch_op.f("ix_chronology_event_child_id"))

    op.drop_table("chronology_event")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_visit_external_ref"))

    op.drop_table("visit")
    with op.batch_alter_table("sharing_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sharing_record_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_sharing_record_external_ref"))

    op.drop_table("sharing_record")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_referral_external_ref"))

    op.drop_table("referral")
    with op.batch_alter_table("professional", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_professional_external_ref"))

    op.drop_table("professional")
    op.drop_table("practitioner")
    with op.batch_alter_table("household_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_household_member_external_ref"))

    op.drop_table("household_member")
    with op.batch_alter_table("child", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_child_nhs_number"))
        batch_op.drop_index(batch_op.f("ix_child_external_ref"))

    op.drop_table("child")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_record_id"))

    op.drop_table("audit_event")
    with op.batch_alter_table("amendment", schema=None) as batch_op:
        batch_op.drop_index("ix_amendment_target")
        batch_op.drop_index(batch_op.f("ix_amendment_external_ref"))

    op.drop_table("amendment")
