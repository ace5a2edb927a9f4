"""People linked to a child: household members and professionals involved share one shape.

Each is a person row plus a link row per child (relationship, dates, lead...), because what the
person is to one sibling may differ from what they are to another.
"""

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Table, inspect, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from practitioner_app.store.base import Attributed, Base
from practitioner_app.store.people import (
    HouseholdLink,
    HouseholdMember,
    Professional,
    ProfessionalLink,
)
from practitioner_app.store.repositories.generic import NamedRow, Repository

PersonT = TypeVar("PersonT", bound=Attributed)
LinkT = TypeVar("LinkT", bound=Base)

# A link's own bookkeeping, left out of the rows it contributes to (the person's id is `id`).
_LINK_KEYS = {"id", "child_id"}


class LinkedPersonRepository(Repository[PersonT], Generic[PersonT, LinkT]):
    """Add a person linked to a child; read them back per child, or for many children at once."""

    def __init__(
        self,
        session: Session,
        person: type[PersonT],
        link: type[LinkT],
        person_id: InstrumentedAttribute[str],
        first: InstrumentedAttribute[Any],
        what: str,
    ) -> None:
        super().__init__(session, person, what)
        self.link_model = link
        self.person_id = person_id  # the link's column naming the person
        self.first = first  # the link's flag that puts a person first (lives with, lead)
        self.people = inspect(person).local_table.c
        self.links = inspect(link).local_table.c

    def add_linked(self, person: PersonT, child_id: str, **link: Any) -> PersonT:
        """The person and their link to the child; `link` holds the link's own columns."""
        self.add(person)
        self.session.add(
            self.link_model(child_id=child_id, **{self.person_id.key: person.id}, **link)
        )
        return person

    def sealed_rows(self, person_id: str) -> list[tuple[str, str]]:
        """(table, id) of the person and each of their links, for store/seals.py."""
        self.session.flush()
        link_ids = self.session.scalars(select(self.links.id).where(self.person_id == person_id))
        link_table = cast(Table, inspect(self.link_model).local_table).name
        person_table = cast(Table, inspect(self.model).local_table).name
        return [(person_table, person_id), *((link_table, link_id) for link_id in link_ids)]

    def add_from(self, child_id: str, values: Mapping[str, Any], **person: Any) -> PersonT:
        """A person and their link to the child from one set of values (a details dataclass as a
        dict): each value goes to the person's or the link's column of the same name; `person`
        adds the person's other columns (the author)."""
        own = {c.key for c in self.people if c.key != "id"}
        linked = {c.key for c in self.links if c.key not in _LINK_KEYS | {self.person_id.key}}
        unstored = set(values) - own - linked
        if unstored:
            raise ValueError(f"no column of {self.model.__name__} or its link for {unstored}")
        return self.add_linked(
            self.model(**{k: v for k, v in values.items() if k in own}, **person),
            child_id,
            **{k: v for k, v in values.items() if k in linked},
        )

    def rows_for(self, child_ids: list[str] | None) -> Sequence[NamedRow]:
        """Named rows for these children (all when None): `child_id`, the person's columns (`id` is
        the person's) and the link's (relationship, dates, lead...); flagged first, then by name."""
        person, link = self.people, self.links
        own = [c for c in link if c.key not in _LINK_KEYS and c.key != self.person_id.key]
        query = (
            select(link.child_id, *person, *own)
            .join_from(self.link_model, self.model, self.person_id == person.id)
            .order_by(link.child_id, self.first.desc(), person.name)
        )
        if child_ids is not None:
            query = query.where(link.child_id.in_(child_ids))
        return self.session.execute(query).all()

    def child_ids_of(self, person_id: str) -> list[str]:
        query = select(self.links.child_id).where(self.person_id == person_id)
        return list(self.session.scalars(query))

    def child_ids_of_each(self, person_ids: Collection[str]) -> dict[str, tuple[str, ...]]:
        """`child_ids_of` for many people in one statement (search's hits)."""
        children: dict[str, list[str]] = {person_id: [] for person_id in person_ids}
        query = select(self.person_id, self.links.child_id).where(
            self.person_id.in_(list(person_ids))
        )
        for person_id, child_id in self.session.execute(query):
            children[person_id].append(child_id)
        return {person_id: tuple(ids) for person_id, ids in children.items()}


class HouseholdRepository(LinkedPersonRepository[HouseholdMember, HouseholdLink]):
    def __init__(self, session: Session) -> None:
        super().__init__(
            session,
            HouseholdMember,
            HouseholdLink,
            HouseholdLink.member_id,
            HouseholdLink.lives_with_child,
            "household member",
        )


class ProfessionalRepository(LinkedPersonRepository[Professional, ProfessionalLink]):
    def __init__(self, session: Session) -> None:
        super().__init__(
            session,
            Professional,
            ProfessionalLink,
            ProfessionalLink.professional_id,
            ProfessionalLink.lead,
            "professional",
        )

    def current_leads(self, today: date) -> Sequence[NamedRow]:
        """Named rows (child_id, name, role): each child's lead professional still involved."""
        return self.session.execute(
            select(ProfessionalLink.child_id, Professional.name, Professional.role)
            .join(Professional, Professional.id == ProfessionalLink.professional_id)
            .where(
                ProfessionalLink.lead.is_(True),
                (ProfessionalLink.to_date.is_(None)) | (ProfessionalLink.to_date >= today),
            )
        ).all()
