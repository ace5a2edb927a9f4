"""The agency names the practitioner merged: alias → agency, both normalised."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from practitioner_app.store.entries import AgencyAlias
from practitioner_app.store.repositories.generic import Repository


class AgencyAliasRepository(Repository[AgencyAlias]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, AgencyAlias, "agency alias")

    def mapping(self) -> dict[str, str]:
        return {row.alias: row.agency for row in self.session.scalars(select(AgencyAlias))}

    def repoint(self, agency: str, to: str) -> None:
        """Aliases of `agency` become aliases of `to`."""
        for row in self.session.scalars(select(AgencyAlias).where(AgencyAlias.agency == agency)):
            row.agency = to

    def ids(self) -> list[str]:
        return list(self.session.scalars(select(AgencyAlias.id)))

    def by_alias(self, alias: str) -> AgencyAlias | None:
        return self.session.scalars(select(AgencyAlias).where(AgencyAlias.alias == alias)).first()
