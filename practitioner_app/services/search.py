"""Full-text search across every narrative field, ranked, with snippets."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from practitioner_app.domain.search import fts_query
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.people import HouseholdLink

# Everything indexed that belongs to one child (the amendments of those records included).
_CHILD_RECORDS = """
    SELECT visit_id FROM visit_child WHERE child_id = :child
    UNION ALL SELECT id FROM observation WHERE child_id = :child
    UNION ALL SELECT i.id FROM injury AS i JOIN observation AS o ON o.id = i.observation_id
        WHERE o.child_id = :child
    UNION ALL SELECT id FROM concern WHERE child_id = :child
    UNION ALL SELECT id FROM chronology_event WHERE child_id = :child
    UNION ALL SELECT referral_id FROM referral_child WHERE child_id = :child
    UNION ALL SELECT sharing_record_id FROM sharing_record_child WHERE child_id = :child
    UNION ALL SELECT member_id FROM household_link WHERE child_id = :child
"""

_QUERY = """
    SELECT r.kind, r.record_id, snippet(search_index, 0, '[', ']', '…', 14), bm25(search_index)
    FROM search_index JOIN search_row AS r ON r.id = search_index.rowid
    WHERE search_index MATCH :query {child_filter}
    ORDER BY bm25(search_index)
    LIMIT :limit
"""
_CHILD_FILTER = f"""
    AND (r.record_id IN ({_CHILD_RECORDS})
         OR r.record_id IN (SELECT id FROM amendment WHERE target_id IN ({_CHILD_RECORDS})))
"""


@dataclass(frozen=True)
class SearchHit:
    kind: str  # the entry kind ("visit", "observation"…) or "household_member"
    record_id: (
        str  # the entry found (an injury leads to its observation, an amendment to its entry)
    )
    matched_in: str  # where the words were: the entry itself, "injury" or "amendment"
    child_ids: tuple[str, ...]
    occurred_at: datetime | None
    snippet: str
    rank: float


def _resolve(session: Session, kind: str, record_id: str) -> tuple[str, str]:
    if kind == "injury":
        return "observation", session.scalars(
            select(e.Injury.observation_id).where(e.Injury.id == record_id)
        ).one()
    if kind == "amendment":
        target = session.execute(
            select(e.Amendment.target_kind, e.Amendment.target_id).where(
                e.Amendment.id == record_id
            )
        ).one()
        return target[0], target[1]
    return kind, record_id


def _children_and_time(
    session: Session, kind: str, record_id: str
) -> tuple[tuple[str, ...], datetime | None]:
    if kind == "household_member":
        children = session.scalars(
            select(HouseholdLink.child_id).where(HouseholdLink.member_id == record_id)
        )
        return tuple(children), None
    model = e.model_of(kind)
    entry = session.get(model, record_id)
    assert entry is not None
    if hasattr(entry, "child_id"):
        return (entry.child_id,), entry.occurred_at
    links = {
        "visit": e.visit_child,
        "referral": e.referral_child,
        "sharing_record": e.sharing_child,
    }[kind]
    own = links.c[f"{kind}_id"]
    return tuple(
        session.scalars(select(links.c.child_id).where(own == record_id))
    ), entry.occurred_at


def search(
    ws: Workspace, words: str, child_id: str | None = None, limit: int = 50
) -> list[SearchHit]:
    """Records whose text contains every word (as a prefix), best match first. Any input is safe:
    search syntax characters are treated as plain words."""
    query = fts_query(words)
    if query is None:
        return []
    sql = _QUERY.format(child_filter=_CHILD_FILTER if child_id else "")
    params: dict[str, object] = {"query": query, "limit": limit, "child": child_id}
    with ws.unit_of_work() as session:
        hits = []
        for kind, record_id, snippet, rank in session.execute(text(sql), params):
            entry_kind, entry_id = _resolve(session, kind, record_id)
            children, occurred_at = _children_and_time(session, entry_kind, entry_id)
            hits.append(
                SearchHit(entry_kind, entry_id, kind, children, occurred_at, snippet, float(rank))
            )
        return hits
