"""People: the practitioner who owns the vault, children, household members and professionals.

These are living records (addresses change, people move out), so they are edited in place; every
change goes into the audit chain. Entries about them (visits, concerns...) are in entries.py.
"""

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from practitioner_app.domain.enums import Sex
from practitioner_app.store.base import Attributed, Base, enum_column, new_id


class Practitioner(Base):
    """The vault's owner: the author of everything recorded in it."""

    __tablename__ = "practitioner"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str]
    role: Mapped[str]
    agency: Mapped[str]


class Child(Attributed, Base):
    __tablename__ = "child"
    __table_args__ = (
        CheckConstraint(
            "date_of_birth IS NOT NULL OR expected_date IS NOT NULL", name="born_or_expected"
        ),
        UniqueConstraint("external_ref"),
    )

    given_name: Mapped[str]
    family_name: Mapped[str]
    other_names: Mapped[list[str]] = mapped_column(default=list)
    preferred_name: Mapped[str | None]
    date_of_birth: Mapped[date | None]
    expected_date: Mapped[date | None]
    sex: Mapped[Sex] = mapped_column(enum_column(Sex, "sex"), default=Sex.UNKNOWN)
    nhs_number: Mapped[str | None] = mapped_column(String(10), index=True)
    ethnicity: Mapped[str | None]
    first_language: Mapped[str | None]
    interpreter_needed: Mapped[bool | None]
    communication: Mapped[str | None]  # preferred way of communicating (migration 0012)
    religion: Mapped[str | None]
    disability: Mapped[str | None]
    address: Mapped[str | None]
    postcode: Mapped[str | None]
    gp: Mapped[str | None]
    school: Mapped[str | None]
    non_mobile: Mapped[bool] = mapped_column(default=False)
    non_mobile_from: Mapped[date | None]  # the marked period's start and end (migration 0012)
    mobile_since: Mapped[date | None]
    gestation_weeks: Mapped[int | None]  # at birth, 22–44 (migration 0008)
    gestation_days: Mapped[int | None]  # 0–6


class HouseholdMember(Attributed, Base):
    """A person in a child's household or network. Linked to each child separately, because the
    relationship, parental responsibility and dates differ from one sibling to another."""

    __tablename__ = "household_member"

    name: Mapped[str]
    date_of_birth: Mapped[date | None]
    checks: Mapped[str | None]
    notes: Mapped[str | None]
    phone: Mapped[str | None]  # contact details for a referral (migration 0012)
    address: Mapped[str | None]


class HouseholdLink(Base):
    __tablename__ = "household_link"
    __table_args__ = (UniqueConstraint("member_id", "child_id", name="member_child"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    member_id: Mapped[str] = mapped_column(ForeignKey("household_member.id"), index=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("child.id"), index=True)
    relationship: Mapped[str]
    parental_responsibility: Mapped[bool | None]
    lives_with_child: Mapped[bool]
    from_date: Mapped[date | None]
    to_date: Mapped[date | None]


class Professional(Attributed, Base):
    __tablename__ = "professional"

    name: Mapped[str]
    role: Mapped[str]
    agency: Mapped[str]
    phone: Mapped[str | None]
    email: Mapped[str | None]


class ProfessionalLink(Base):
    """Who else knows this child, when, and whether they are the lead professional."""

    __tablename__ = "professional_link"
    __table_args__ = (UniqueConstraint("professional_id", "child_id", name="professional_child"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    professional_id: Mapped[str] = mapped_column(ForeignKey("professional.id"), index=True)
    child_id: Mapped[str] = mapped_column(ForeignKey("child.id"), index=True)
    lead: Mapped[bool] = mapped_column(default=False)
    from_date: Mapped[date | None]
    to_date: Mapped[date | None]
