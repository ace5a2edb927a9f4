"""A chronology's rows, made from an entry's columns: the wording of each kind, its provenance
(who wrote it, when, late, imported, amended) and whether it counts as significant by its kind's
rule. Called once per row, for thousands of rows a child known for years (issue 19)."""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Any

from practitioner_app.case_caches import forget_at_lock
from practitioner_app.domain import chronology as rules
from practitioner_app.domain import forms
from practitioner_app.domain.body_map import region_label
from practitioner_app.domain.body_marks import MarkKind, explanation_summary, mark_summary
from practitioner_app.domain.enums import Consent, ObservationCategory, Significance
from practitioner_app.domain.kinds import KINDS, RecordKind
from practitioner_app.domain.labels import (
    AUTHOR_NOT_RECORDED,
    imported_note,
    signature,
    value_label,
)
from practitioner_app.domain.times import is_late_entry, uk_date
from practitioner_app.services import body_maps
from practitioner_app.store import entries as e
from practitioner_app.store.people import Child


def _label(value: Any) -> str:
    return value_label(value)


def signature_of(row: Any) -> str:
    """A row read by column (not an ORM object, which has `.signature`) signed as everywhere."""
    return _signed(row.author_name, row.author_role, row.author_agency, row.author_known)


@forget_at_lock
@lru_cache(maxsize=1024)  # a chronology's thousands of rows have a handful of authors
def _signed(name: str, role: str | None, agency: str | None, known: bool) -> str:
    return signature(name, role, agency, known=known)


def _author_source(row: Any) -> str:
    """The source of what the author saw themselves: "name, agency". Where the source of an
    imported entry did not say who wrote it, the source is who sent it ("as sent by …"), which
    is known, rather than a blank or the importer."""
    if not row.author_known:
        return f"as sent by {row.imported_from}" if row.imported_from else AUTHOR_NOT_RECORDED
    return ", ".join(part for part in (row.author_name, row.author_agency) if part)


class RowBuilder:
    """Makes the chronology rows of one child's entries, kind by kind."""

    def __init__(
        self,
        child: Child,
        amendments: dict[str, list[rules.AmendmentNote]],
        injuries: dict[str, e.Injury],
    ) -> None:
        self.child = child
        self.amendments = amendments
        self.injuries = injuries
        self._ages: dict[date, str] = {}  # the child's age on a day, worked out once per day

    def row(
        self,
        entry: Any,
        kind: RecordKind,
        *,
        event: str,
        source: str,
        agency: str | None = None,
        date_uncertain: bool = False,
        end_date: date | None = None,
        source_kind: str | None = None,
        significance: str | None = None,
        impact: str | None = None,
        action: str | None = None,
        significant: bool | None = None,
    ) -> rules.ChronologyRow:
        """`entry` is a named row of an entry table's columns and its `written_order`
        (store/repositories/entries.py), read as the entry's attributes. Called once per row of
        the chronology (thousands for a child known for years), so it does each conversion once
        (issue 19)."""
        day, time = rules.when(entry.occurred_at, entry.time_known)
        if significant is None:
            significant = rules.counts_as_significant(KINDS[kind].in_chronology, entry)
        notes = self.amendments.get(entry.id, ())
        # By position, in the order of ChronologyRow's fields: 27 keywords cost a chronology
        # row three times as much to make (issue 19). tests/test_chronology.py checks each
        # field lands where it belongs.
        return rules.ChronologyRow(
            day,  # date
            time,  # time
            date_uncertain,  # date_uncertain
            self._age(day),  # age
            event,  # event
            source,  # source
            source_kind,  # source_kind
            significance,  # significance
            impact,  # impact
            action,  # action
            kind,  # record_kind
            entry.id,  # record_id
            entry.status,  # status
            signature_of(entry),  # recorded_by
            entry.recorded_at,  # recorded_at
            entry.recorded_at_known,  # recorded_at_known
            imported_note(entry.imported_by, entry.imported_at, entry.imported_from),  # imported
            is_late_entry(  # late
                entry.occurred_at,
                entry.recorded_at,
                time_known=entry.time_known,
                recorded_at_known=entry.recorded_at_known,
            ),
            bool(notes),  # amended
            significant,  # significant
            entry.occurred_at,  # sort_key
            end_date,  # end_date
            entry.author_agency if agency is None else agency,  # agency
            tuple(notes),  # amendments
            False,  # chosen: the practitioner's choice is applied after
            entry.id,  # origin_id
            entry.written_order,  # written_order
        )

    def _age(self, day: date) -> str:
        age = self._ages.get(day)
        if age is None:
            age = self._ages[day] = rules.age_at(
                self.child.date_of_birth, self.child.expected_date, day
            )
        return age

    def visits(self, visits: Iterable[e.Visit]) -> list[rules.ChronologyRow]:
        return [
            self.row(
                v,
                RecordKind.VISIT,
                event=rules.visit_text(
                    v.kind, v.contact_type, v.outcome, v.child_seen, v.child_seen_alone, v.notes
                ),
                source=_author_source(v),
                significance=None
                if not rules.visit_is_significant(v.outcome, v.child_seen)
                else Significance.MEDIUM.value,
                impact=f"Child's words: {v.child_voice}" if v.child_voice else None,
            )
            for v in visits
        ]

    def observations(self, observations: Iterable[e.Observation]) -> list[rules.ChronologyRow]:
        rows = []
        for o in observations:
            text = f"{_label(o.category)}: {o.text}"
            injury = self.injuries.get(o.id)
            if injury is not None:
                text += f" Injury to {', '.join(injury.body_regions)}"
                text += f": {injury.description}." if injury.description else "."
                if injury.explanation_given:
                    consistent = {
                        True: "consistent with the injury",
                        False: "not consistent with the injury",
                    }
                    text += f" Explanation given: {injury.explanation_given}"
                    text += (
                        f" ({consistent[injury.consistent_with_explanation]})."
                        if injury.consistent_with_explanation is not None
                        else "."
                    )
            high = injury is not None or o.category is ObservationCategory.INJURY
            rows.append(
                self.row(
                    o,
                    RecordKind.OBSERVATION,
                    event=text,
                    source=_author_source(o),
                    significance=(Significance.HIGH if high else Significance.MEDIUM).value,
                    # An injury always counts (issue 17); the practitioner's choice, with its
                    # reason, is applied after.
                    significant=bool(o.significant) or high,
                )
            )
        return rows

    def marks(self, marks: Iterable[Any]) -> list[rules.ChronologyRow]:
        """Marks on body maps: an injury is significant (high), as an injury observation is."""
        rows = []
        for m in marks:
            details = body_maps.details_of(m)
            site = region_label(m.figure, m.side, m.region)
            text = f"Body map mark on the {site[0].lower()}{site[1:]}. {mark_summary(details)}."
            explained = explanation_summary(details)
            if explained:
                text += f" Explanation given: {explained}."
            injury = m.mark_kind is MarkKind.INJURY
            rows.append(
                self.row(
                    m,
                    RecordKind.BODY_MARK,
                    event=text,
                    source=_author_source(m),
                    significance=Significance.HIGH.value if injury else None,
                )
            )
        return rows

    def concerns(self, concerns: Iterable[e.Concern]) -> list[rules.ChronologyRow]:
        return [
            self.row(
                c,
                RecordKind.CONCERN,
                event=f"Concern raised: {_label(c.category).lower()} ({c.level.value}). {c.summary}",
                source=c.source,
                agency=c.source,
                significance=rules.LEVEL_SIGNIFICANCE[c.level].value,
                action=c.outcome,
            )
            for c in concerns
        ]

    def referrals(self, referrals: Iterable[e.Referral]) -> list[rules.ChronologyRow]:
        rows = []
        for r in referrals:
            reason = r.sections.get("reason")
            if r.form == forms.EARLY_HELP.key:
                what = f"Early help assessment for {r.to_agency}."
            else:
                what = f"Referral to {r.to_agency}."
            rows.append(
                self.row(
                    r,
                    RecordKind.REFERRAL,
                    event=what + (f" {reason}" if reason else ""),
                    source=_author_source(r),
                    significance=Significance.HIGH.value,
                    action=r.sections.get("outcome_sought"),
                )
            )
        return rows

    def sharing(self, shares: Iterable[e.SharingRecord]) -> list[rules.ChronologyRow]:
        rows = []
        for x in shares:
            if x.shared:
                event = f"Information shared with {x.with_whom}: {x.what}. Purpose: {x.purpose}."
            else:
                event = f"Decision not to share with {x.with_whom}: {x.what}. Purpose: {x.purpose}."
            consent = {
                Consent.GIVEN: "Consent given.",
                Consent.REFUSED: "Consent refused.",
                Consent.NOT_SOUGHT: "Consent not sought.",
            }[x.consent]
            action = " ".join(
                part
                for part in (
                    consent,
                    f"Reason: {x.reason}" if x.reason else "",
                    f"Lawful basis: {x.lawful_basis}" if x.lawful_basis else "",
                )
                if part
            )
            rows.append(
                self.row(
                    x,
                    RecordKind.SHARING_RECORD,
                    event=event,
                    source=_author_source(x) if not x.author_known else signature_of(x),
                    action=action,
                )
            )
        return rows

    def events(self, events: Iterable[e.ChronologyEvent]) -> list[rules.ChronologyRow]:
        return [
            self.row(
                ev,
                RecordKind.CHRONOLOGY_EVENT,
                event=ev.event,
                date_uncertain=ev.date_uncertain,
                end_date=uk_date(ev.ended_at) if ev.ended_at else None,
                source=ev.source,
                agency=ev.source,
                source_kind=ev.source_kind.value,
                significance=ev.significance.value if ev.significance else None,
                impact=ev.impact_on_child,
                action=ev.action,
            )
            for ev in events
        ]
