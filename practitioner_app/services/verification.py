"""Checking the records, the seal ledger and the audit chain against each other, both ways.

- Every seal row must belong to an audit event that recorded sealing exactly those seals (count
  and keyed digest), and every event that sealed something must still have its seals.
- Every sealed record as it is now must match its latest seal: a final entry, amendment, status
  change, person, link or choice with no seal was not written by the app; one whose seal differs
  was changed behind it; one sealed but gone was deleted; a final entry now a draft was set back.
- Every finalise, amend, status change and draft deletion in the chain must match the rows,
  including events from before seals (which the sealing of existing records vouched for).
Each finding is one sentence naming the record or event, for the CLI and the UI to show.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from practitioner_app.domain.enums import AuditAction
from practitioner_app.domain.times import format_uk_datetime
from practitioner_app.store import caseload_summary, seals
from practitioner_app.store import integrity as integrity_triggers
from practitioner_app.store import search as search_triggers
from practitioner_app.store.entries import ENTRY_KINDS, model_of
from practitioner_app.store.repositories.audit_log import AuditRepository
from practitioner_app.store.repositories.photographs import PhotographRepository

# Detail keys written by other services that verify reads back.
SEALED_EXISTING = "sealed_existing"
ATTEMPTS_RESET = "failed_unlocks_reset_from"  # services/workspace.py FAILURES_RESET


@dataclass(frozen=True)
class Event:
    seq: int
    at: datetime
    action: str
    record_kind: str | None
    record_id: str | None
    detail: dict[str, Any]

    def said(self) -> str:
        return f"audit event {self.seq} ({self.action} on {format_uk_datetime(self.at)})"

    def said_first(self) -> str:
        """`said` to begin a sentence."""
        return "A" + self.said()[1:]


@dataclass(frozen=True)
class Findings:
    sentences: tuple[str, ...]
    # "kind id" of each final entry found altered, deleted or set back (the older report's shape).
    altered_entries: tuple[str, ...]


def _events(session: Session) -> dict[int, Event]:
    events = {}
    for seq, at, action, kind, record_id, detail in AuditRepository(session).every_event():
        try:
            parsed = json.loads(detail)
        except ValueError:
            parsed = {}
        events[seq] = Event(
            seq, at, action, kind, record_id, parsed if isinstance(parsed, dict) else {}
        )
    return events


class _Check:
    def __init__(self, session: Session, key: bytes) -> None:
        self.connection = session.connection()
        self.key = key
        self.events = _events(session)
        self.sentences: list[str] = []
        self.altered: list[str] = []
        self.latest: dict[tuple[str, str], tuple[int, str]] = {}
        self.present: dict[str, dict[str, seals.CurrentRecord]] = {}

    def say(self, sentence: str, entry: tuple[str, str] | None = None) -> None:
        self.sentences.append(sentence)
        if entry is not None:
            table, record_id = entry
            kind = next((k.value for k, m in ENTRY_KINDS.items() if m.__tablename__ == table), None)
            if kind is not None:
                self.altered.append(f"{kind} {record_id}")

    def event_said(self, seq: int) -> str:
        event = self.events.get(seq)
        return event.said() if event else f"audit event {seq}, which is not in the chain"

    # -- the ledger against the chain ------------------------------------------------------------

    def ledger(self) -> None:
        by_seq: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
        for seq, table, record_id, seal in seals.ledger(self.connection):
            by_seq[seq].append((table, record_id, seal))
            self.latest[(table, record_id)] = (seq, seal)
        for seq, written in sorted(by_seq.items()):
            event = self.events.get(seq)
            recorded = event.detail.get("seals") if event else None
            if recorded is None:
                self.say(
                    f"{len(written)} seals claim {self.event_said(seq)}, which sealed nothing: "
                    "they were written behind the app."
                )
            elif seals.summary(self.key, written) != recorded:
                self.say(
                    f"The seals written with {self.event_said(seq)} no longer match it "
                    f"({recorded.get('count')} were written, {len(written)} are there now): the "
                    "seal ledger has been altered."
                )
                if event is not None:
                    self._name_strangers(event, written)
        for seq, event in sorted(self.events.items()):
            recorded = event.detail.get("seals")
            if isinstance(recorded, dict) and recorded.get("count") and seq not in by_seq:
                count = recorded["count"]
                self.say(
                    f"{event.said_first()} sealed {count} "
                    f"{'record' if count == 1 else 'records'} and their seals are gone: the seal "
                    "ledger has been altered."
                )

    def _name_strangers(self, event: Event, written: list[tuple[str, str, str]]) -> None:
        """Under an event about one record, name the evidence sealed there that is not it."""
        if event.record_id is None:
            return
        own = {
            event.record_id,
            *(str(event.detail.get(k)) for k in ("amendment_id", "status_change_id")),
        }
        for table, record_id, _ in written:
            sealed = seals.SEALED_TABLES.get(table)
            if record_id not in own and sealed is not None and sealed.evidence:
                final = "final " if sealed.final_only else ""
                self.say(
                    f"The {final}{sealed.words} {record_id} is sealed under {event.said()}, "
                    "which did not seal it: it was forged.",
                    (table, record_id),
                )

    # -- the rows against the ledger -------------------------------------------------------------

    def rows(self) -> None:
        for table, sealed in seals.SEALED_TABLES.items():
            now = seals.current(self.connection, self.key, table)
            self.present[table] = now
            words = sealed.words
            final = "final " if sealed.final_only else ""
            for record_id, record in now.items():
                latest = self.latest.get((table, record_id))
                if not record.final:
                    if latest is not None and latest[1] != seals.REMOVED:
                        self.say(
                            f"The {words} {record_id} was sealed final by "
                            f"{self.event_said(latest[0])} and is now a draft: it has been set "
                            "back so it could be rewritten.",
                            (table, record_id),
                        )
                    continue
                if latest is None:
                    self.say(
                        f"The {final}{words} {record_id} has no seal: no action of this app "
                        "wrote it, so it was added or finalised behind the app.",
                        (table, record_id),
                    )
                elif latest[1] == seals.REMOVED:
                    self.say(
                        f"The {words} {record_id} was removed by {self.event_said(latest[0])} "
                        "and is back."
                    )
                elif latest[1] != record.seal:
                    self.say(
                        f"The {final}{words} {record_id} has been changed since "
                        f"{self.event_said(latest[0])} sealed it (its content, author, times, "
                        "links or provenance differ).",
                        (table, record_id),
                    )
        for (table, record_id), (seq, seal) in self.latest.items():
            if seal != seals.REMOVED and record_id not in self.present.get(table, {}):
                sealed_table = seals.SEALED_TABLES.get(table)
                words = sealed_table.words if sealed_table else f"record of {table}"
                if sealed_table and sealed_table.final_only:
                    words = "final " + words
                self.say(
                    f"The {words} {record_id}, sealed by {self.event_said(seq)}, is missing: "
                    "it has been deleted.",
                    (table, record_id),
                )

    # -- the chain against the rows --------------------------------------------------------------

    def chain(self) -> None:
        resealed = [e for e in self.events.values() if e.detail.get(SEALED_EXISTING) is not None]
        for event in resealed:
            for entry in event.detail.get("unsealed", []):
                self.say(
                    f"The final {entry} no longer matched its fingerprint when this vault's "
                    f"records were first sealed ({event.said()}): it was altered before then."
                )
        for event in resealed[1:]:
            self.say(
                f"{event.said_first()} sealed every record afresh, after they had been sealed by "
                f"{resealed[0].said()}: the vault was taken back to an older schema to hide "
                "changes made before it."
            )
        for event in self.events.values():
            if ATTEMPTS_RESET in event.detail:
                self.say(
                    f"When the vault was opened on {format_uk_datetime(event.at)} the count of "
                    "failed unlock attempts kept in the key file had gone back from "
                    f"{event.detail[ATTEMPTS_RESET]} to {event.detail.get('to')}: it was reset, "
                    "hiding passphrase guesses."
                )
            self._event_against_rows(event)

    def _row(
        self, kind: str | None, record_id: str | None
    ) -> tuple[str, seals.CurrentRecord | None]:
        try:
            table = model_of(kind or "").__tablename__
        except (KeyError, ValueError):
            return "", None
        return table, self.present.get(table, {}).get(record_id or "")

    def _event_against_rows(self, event: Event) -> None:
        detail = event.detail
        if event.action == AuditAction.FINALISE and "seals" not in detail:
            table, row = self._row(event.record_kind, event.record_id)
            if table and (row is None or not row.final):
                state = "missing" if row is None else "a draft"
                self.say(
                    f"{event.said_first()} finalised {event.record_kind} "
                    f"{event.record_id}, which is now {state}.",
                    (table, event.record_id or ""),
                )
        elif event.action == AuditAction.AMEND and "seals" not in detail:
            amendment = detail.get("amendment_id")
            if amendment and amendment not in self.present["amendment"]:
                self.say(f"The amendment {amendment} written by {event.said()} is missing.")
        elif event.action == AuditAction.UPDATE and "status_change_id" in detail:
            change = detail["status_change_id"]
            if "seals" not in detail and change not in self.present["concern_status_change"]:
                self.say(
                    f"The concern status change {change} written by {event.said()} is missing."
                )
        elif event.action == AuditAction.DELETE_DRAFT:
            table, row = self._row(event.record_kind, event.record_id)
            deleted_at = event.at.strftime("%Y-%m-%d %H:%M:%S.%f")
            # A later import may bring the same entry again (from a vault that still had it).
            if row is not None and not (row.imported_at and row.imported_at > deleted_at):
                self.say(
                    f"The {event.record_kind} {event.record_id} deleted as a draft by "
                    f"{event.said()} is back.",
                    (table, event.record_id or ""),
                )


def missing_from_search(session: Session) -> list[str]:
    """Sentences for records the search index no longer finds (store/search.py says which). The
    index is kept by triggers, not sealed, so someone with the key could take a record out of it
    (search then says "Nothing found") without changing the record."""
    return [
        f"{count} {table.replace('_', ' ')} record(s) have been taken out of the search index, "
        "so search no longer finds them; the records themselves are checked by their seals."
        for table, count in search_triggers.records_missing_from_index(session).items()
    ]


def check(session: Session, key: bytes) -> Findings:
    """Every finding about the records, the seals and the chain; empty when all agree."""
    run = _Check(session, key)
    gone = integrity_triggers.missing_triggers(
        session, search_triggers.trigger_names() | caseload_summary.trigger_names()
    )
    if gone:
        shown = ", ".join(gone[:5]) + (f" and {len(gone) - 5} more" if len(gone) > 5 else "")
        run.say(
            f"{len(gone)} of the vault's protective triggers are missing ({shown}): someone "
            "with the key removed them, so changes since met no refusal; the other findings say "
            "what changed. Restore a backup made before, or keep this copy as evidence."
        )
    for sentence in missing_from_search(session):
        run.say(sentence)
    out_of_step = caseload_summary.children_out_of_step(session)
    if out_of_step:
        run.say(
            f"The caseload's last-seen and open-concern flags of {out_of_step} child(ren) differ "
            "from their records: someone with the key changed them, so the caseload may show a "
            "child as seen, or without an open concern; each child's own records are checked by "
            "their seals."
        )
    run.ledger()
    run.rows()
    run.chain()
    # A photograph's bytes are not sealed as text (store/seals.py NOT_SEALED); its sealed
    # SHA-256 vouches for them.
    for photograph_id, recorded, now in PhotographRepository(session).final_digests():
        if recorded != now:
            run.say(
                f"The final photograph {photograph_id} is not the picture that was kept: its "
                "bytes no longer match the SHA-256 recorded when it was attached.",
                ("photograph", photograph_id),
            )
    return Findings(tuple(run.sentences), tuple(dict.fromkeys(run.altered)))
