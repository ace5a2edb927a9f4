"""Full-text search across every narrative field, ranked, with snippets."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.search import fts_query
from practitioner_app.services.workspace import Workspace
from practitioner_app.store.repositories.amendments import AmendmentRepository
from practitioner_app.store.repositories.entries import ObservationRepository, entry_repository
from practitioner_app.store.repositories.linked_people import HouseholdRepository
from practitioner_app.store.repositories.search_sqlite import FullTextSearchRepository


@dataclass(frozen=True)
class SearchHit:
    kind: str  # the entry kind ("visit", "observation"…), "household_member" or "child"
    record_id: (
        str  # the entry found (an injury leads to its observation, an amendment to its entry)
    )
    matched_in: str  # where the words were: the entry itself, "injury" or "amendment"
    child_ids: tuple[str, ...]
    occurred_at: datetime | None
    snippet: str
    rank: float


def _resolve(session: Session, kind: str, record_id: str) -> tuple[str, str]:
    """The entry the words belong to: an injury's observation, an amendment's entry."""
    if kind == "injury":
        return RecordKind.OBSERVATION, ObservationRepository(session).of_injury(record_id)
    if kind == "amendment":
        target = AmendmentRepository(session).target_of(record_id)
        return target.target_kind, target.target_id
    return kind, record_id


def search(
    ws: Workspace, words: str, child_id: str | None = None, limit: int = 50
) -> list[SearchHit]:
    """Records whose text contains every word (as a prefix), best match first. Any input is safe:
    search syntax characters are treated as plain words."""
    query = fts_query(words)
    if query is None:
        return []
    with ws.unit_of_work() as session:
        matches = FullTextSearchRepository(session).matches(query, child_id, limit)
        found = [(match, *_resolve(session, match.kind, match.record_id)) for match in matches]
        placed = _children_and_times(session, [(kind, entry_id) for _, kind, entry_id in found])
        return [
            SearchHit(
                entry_kind,
                entry_id,
                match.kind,
                *placed[(entry_kind, entry_id)],
                match.snippet,
                match.rank,
            )
            for match, entry_kind, entry_id in found
            # An index row whose record is gone (verify names it) is no hit.
            if (entry_kind, entry_id) in placed
        ]


def _children_and_times(
    session: Session, records: list[tuple[str, str]]
) -> dict[tuple[str, str], tuple[tuple[str, ...], datetime | None]]:
    """The children each found record is about, and when it happened (None for a person),
    by (kind, id): each kind of entry read in one go, not hit by hit."""
    placed: dict[tuple[str, str], tuple[tuple[str, ...], datetime | None]] = {}
    by_kind: dict[str, set[str]] = {}
    for kind, record_id in records:
        if kind == "child":  # found by one of the names they go by
            placed[(kind, record_id)] = ((record_id,), None)
        else:
            by_kind.setdefault(kind, set()).add(record_id)
    members = by_kind.pop("household_member", set())
    if members:
        for member_id, child_ids in HouseholdRepository(session).child_ids_of_each(members).items():
            placed[("household_member", member_id)] = (child_ids, None)
    for kind, entry_ids in by_kind.items():
        for entry_id, where_and_when in (
            entry_repository(session, kind).children_and_times(entry_ids).items()
        ):
            placed[(kind, entry_id)] = where_and_when
    return placed
