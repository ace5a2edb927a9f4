"""The audit chain: every change, unlock and export, each row HMAC-chained to the one before.

hash(n) = HMAC-SHA256(audit key, hash(n-1) ‖ canonical JSON of row n). Editing, deleting or
reordering a row breaks every later link, and `verify_chain` names the first broken sequence number.
The audit key is derived from the vault's data key, so only someone who can open the vault can
rewrite the chain consistently; the triggers refuse UPDATE and DELETE on the table.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from practitioner_app.domain.enums import AuditAction
from practitioner_app.domain.times import now_utc
from practitioner_app.store.base import Base

GENESIS = "0" * 64
# Where `append` leaves (seq, hash) of the newest event in the session's `info`.
HEAD_KEY = "audit_head"


class AuditEvent(Base):
    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str]
    action: Mapped[str] = mapped_column(String(40))
    record_kind: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(36), index=True)
    # Ids, field names and counts only: never record text, so the audit view can be shown safely.
    detail: Mapped[str]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


def _canonical(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    record_kind: str | None,
    record_id: str | None,
    detail: str,
) -> bytes:
    row = [seq, at.isoformat(), actor, action, record_kind, record_id, detail]
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def link_hash(key: bytes, prev_hash: str, canonical: bytes) -> str:
    return hmac.new(
        key, prev_hash.encode("ascii") + b"\x00" + canonical, hashlib.sha256
    ).hexdigest()


def append(
    session: Session,
    key: bytes,
    *,
    actor: str,
    action: AuditAction,
    record_kind: str | None = None,
    record_id: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add the next link in the same transaction as the change it records."""
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    moment = at or now_utc()
    # Microseconds would not survive every round trip identically; the chain hashes what is stored.
    moment = moment.replace(microsecond=(moment.microsecond // 1000) * 1000)
    detail_text = json.dumps(
        detail or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    canonical = _canonical(seq, moment, actor, action.value, record_kind, record_id, detail_text)
    event = AuditEvent(
        seq=seq,
        at=moment,
        actor=actor,
        action=action.value,
        record_kind=record_kind,
        record_id=record_id,
        detail=detail_text,
        prev_hash=prev_hash,
        hash=link_hash(key, prev_hash, canonical),
    )
    session.add(event)
    session.flush()
    # The newest head this transaction wrote: kept outside the database once it commits.
    session.info[HEAD_KEY] = (event.seq, event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    head: str
    first_broken_seq: int | None

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


def verify_chain(session: Session, key: bytes) -> ChainReport:
    """Walk the chain in sequence order; report the first row whose link does not hold."""
    expected_seq, prev_hash, count = 1, GENESIS, 0
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for event in rows:
        count += 1
        canonical = _canonical(
            event.seq,
            event.at,
            event.actor,
            event.action,
            event.record_kind,
            event.record_id,
            event.detail,
        )
        if (
            event.seq != expected_seq
            or event.prev_hash != prev_hash
            or not hmac.compare_digest(event.hash, link_hash(key, prev_hash, canonical))
        ):
            return ChainReport(count, prev_hash, expected_seq)
        expected_seq, prev_hash = event.seq + 1, event.hash
    return ChainReport(count, prev_hash, None)


def head(session: Session) -> tuple[int, str]:
    """The last sequence number and hash: printed on exports so a reader can tell what they reflect."""
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return (last[0], last[1]) if last else (0, GENESIS)


def hash_at(session: Session, seq: int) -> str | None:
    """The hash of event `seq`, or None if the chain has no such event."""
    return session.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar()


def any_detail_names(session: Session, name: str) -> bool:
    """Whether any event's detail has the key `name` (the detail is canonical JSON)."""
    pattern = f'%"{name}":%'
    found = session.execute(
        select(AuditEvent.seq).where(AuditEvent.detail.like(pattern)).limit(1)
    ).first()
    return found is not None
