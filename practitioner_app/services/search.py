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


def _children_and_time(
    session: Session, kind: str, record_id: str
) -> tuple[tuple[str, ...], datetime | None]:
    if kind == "household_member":
        return tuple(HouseholdRepository(session).child_ids_of(record_id)), None
    if kind == "child":  # found by one of the names they go by
        return (record_id,), None
    entries = entry_repository(session, kind)
    entry = entries.fetch(record_id)
    return entries.child_ids_of(entry), entry.occurred_at


def search(
    ws: Workspace, words: str, child_id: str | None = None, limit: int = 50
) -> list[SearchHit]:
    """Records whose text contains every word (as a prefix), best match first. Any input is safe:
    search syntax characters are treated as plain words."""
    query = fts_query(words)
    if query is None:
        return []
    with ws.unit_of_work() as session:
        hits = []
        for match in FullTextSearchRepository(session).matches(query, child_id, limit):
            entry_kind, entry_id = _resolve(session, match.kind, match.record_id)
            children, occurred_at = _children_and_time(session, entry_kind, entry_id)
            hits.append(
                SearchHit(
                    entry_kind,
                    entry_id,
                    match.kind,
                    children,
                    occurred_at,
                    match.snippet,
                    match.rank,
                )
            )
        return hits
