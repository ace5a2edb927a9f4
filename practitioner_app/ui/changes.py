"""What a change to the records touched: the kinds of record, their ids and whose case they are in,
announced once per change (`VaultSession.changed`) so every open screen can decide to look again."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Changed:
    """One record written: its kind, its id ("" when not known) and the child whose case it is in
    ("" when it is not one child's: a child added, or a change any screen should notice)."""

    kind: str
    id: str = ""
    child_id: str = ""


@dataclass(frozen=True)
class Changes:
    """Every record one action wrote (finalising a visit finalises what was recorded at it)."""

    records: tuple[Changed, ...]

    @classmethod
    def of(cls, kind: str, *ids: str, child_id: str = "") -> "Changes":
        """Records of one kind in one child's case; with no ids, "something of this kind"."""
        return cls(tuple(Changed(kind, record_id, child_id) for record_id in ids or ("",)))

    @classmethod
    def entries(cls, entries: Iterable[tuple[str, str]], child_id: str = "") -> "Changes":
        """(kind, id) pairs, all in one child's case."""
        return cls(tuple(Changed(kind, record_id, child_id) for kind, record_id in entries))

    def __add__(self, other: "Changes") -> "Changes":
        return Changes(self.records + other.records)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(record.kind for record in self.records)

    @property
    def children(self) -> frozenset[str]:
        """The children whose cases changed ("" among them when a change is not one child's)."""
        return frozenset(record.child_id for record in self.records)

    def concerns(self, child_id: str | None, kinds: Collection[str] | None = None) -> bool:
        """Whether a screen showing this child's case (records of these kinds, or all) is out of
        date. A change that is not one child's concerns every child."""
        return child_id is not None and any(
            record.child_id in ("", child_id) and (kinds is None or record.kind in kinds)
            for record in self.records
        )

    def touches(self, kind: str, record_id: str) -> bool:
        """Whether this record may have changed (a change of its kind with no id may be it)."""
        return any(r.kind == kind and r.id in ("", record_id) for r in self.records)
