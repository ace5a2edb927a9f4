"""Full-text search over the vault's FTS5 index: SQLite-only, kept apart from the portable queries.

FTS5 (MATCH, bm25, snippet) has no PostgreSQL twin; a team server would answer the same question
with its own index (tsvector) behind the same method. See store/search.py for the index itself.
"""

from typing import NamedTuple

from sqlalchemy import text
from sqlalchemy.orm import Session

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
    UNION ALL SELECT :child
"""

# Across the whole vault, the matches are ranked first and only the hits returned are looked up
# in search_row: joined before the sort, every match's row was read (30,000 for "partner" at 400
# children, to show 50), two thirds of the time once the index outgrew the page cache at 4,000
# children (issue 19). Ties keep the index's order (rowid), as the sort of joined rows did.
_QUERY = """
    SELECT r.kind AS kind, r.record_id AS record_id, hit.snippet AS snippet, hit.score AS rank
    FROM (
        SELECT rowid, snippet(search_index, 0, '[', ']', '…', 14) AS snippet,
            bm25(search_index) AS score
        FROM search_index WHERE search_index MATCH :query
        ORDER BY bm25(search_index) LIMIT :limit
    ) AS hit
    JOIN search_row AS r ON r.id = hit.rowid
    ORDER BY hit.score, hit.rowid
"""
_CHILD_FILTER = f"""
    AND (r.record_id IN ({_CHILD_RECORDS})
         OR r.record_id IN (SELECT id FROM amendment WHERE target_id IN ({_CHILD_RECORDS})))
"""
# For one child, each match's row is needed to tell whether it is the child's, so the filter
# comes first and only the child's matches are ranked (ranking the whole vault's first was three
# times as slow).
_CHILD_QUERY = f"""
    SELECT r.kind AS kind, r.record_id AS record_id,
        snippet(search_index, 0, '[', ']', '…', 14) AS snippet, bm25(search_index) AS rank
    FROM search_index JOIN search_row AS r ON r.id = search_index.rowid
    WHERE search_index MATCH :query {_CHILD_FILTER}
    ORDER BY bm25(search_index)
    LIMIT :limit
"""


class TextMatch(NamedTuple):
    kind: str  # the table the words were found in: an entry kind, "injury", "amendment"...
    record_id: str
    snippet: str  # the words around the match, matched words in [brackets]
    rank: float  # bm25: lower is better


class FullTextSearchRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def matches(self, fts_query: str, child_id: str | None, limit: int) -> list[TextMatch]:
        """Indexed records matching an FTS5 query (domain/search.py builds a safe one), best
        first; only the child's records (and their amendments) when a child is given."""
        sql = _CHILD_QUERY if child_id else _QUERY
        params: dict[str, object] = {"query": fts_query, "limit": limit, "child": child_id}
        return [
            TextMatch(row.kind, row.record_id, row.snippet, float(row.rank))
            for row in self.session.execute(text(sql), params)
        ]
