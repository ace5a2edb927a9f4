"""Agency names as the vault holds them, and the practitioner's merging of two spellings of one
agency ("Haringey SS" and "Haringey Social Services"), which the alert rules then count once
(DOMAIN.md, "Safeguarding alerts"). Each merge is audited."""

from dataclasses import dataclass

from practitioner_app.domain.enums import AuditAction
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.services.records import normalised_agency
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.agency_aliases import AgencyAliasRepository
from practitioner_app.store.repositories.alert_facts import AlertFactsRepository


@dataclass(frozen=True)
class AgencyName:
    name: str  # as first written in the vault
    merged_into: str | None  # the agency it counts as, as written; None: itself


def names(ws: Workspace) -> list[AgencyName]:
    """Every agency name in the vault, alphabetically, with what each was merged into."""
    with ws.unit_of_work() as session:
        aliases = AgencyAliasRepository(session).mapping()
        shown: dict[str, str] = {}
        for spelling in AlertFactsRepository(session).agency_spellings():
            key = normalised_agency(spelling)
            if key is not None and key not in shown:
                shown[key] = " ".join(spelling.split())
    return sorted(
        (
            AgencyName(name, shown.get(aliases[key], aliases[key]) if key in aliases else None)
            for key, name in shown.items()
        ),
        key=lambda n: n.name.casefold(),
    )


def merge(ws: Workspace, alias: str, into: str) -> None:
    """Count `alias` as the agency `into` from now on (a name already merged moves to `into`)."""
    key, target = normalised_agency(alias), normalised_agency(into)
    if key is None or target is None:
        raise InvalidInput("Choose two agency names to merge.")
    if key == target:
        raise InvalidInput("Those are the same name already; choose two different names.")
    with ws.unit_of_work() as session:
        repository = AgencyAliasRepository(session)
        # Merging into a name that is itself an alias merges into what it stands for.
        target = repository.mapping().get(target, target)
        existing = repository.by_alias(key)
        if existing is None:
            repository.add(e.AgencyAlias(alias=key, agency=target, **ws.authorship()))
        else:
            existing.agency = target
        repository.repoint(key, target)  # anything merged into the alias follows it
        session.flush()
        # Every merge sealed as it now stands (a few rows; a repoint moves several).
        ws.audit_sealed(
            session,
            AuditAction.UPDATE,
            "agency_alias",
            None,
            [("agency_alias", alias_id) for alias_id in repository.ids()],
            alias=key,
            agency=target,
        )
