"""Where an alert's "Start a referral (MARF)" leads (issue 17): to the child's draft referral if
there is one, else to a new draft whose reason and concerns already carry what the alert saw — for
an injury its site, description, the explanation given, the date and who saw it; for any other
record what it was and when. What the practitioner already wrote is never replaced.
"""

from collections.abc import Iterable

from sqlalchemy.orm import Session

from practitioner_app.domain import chronology as wording
from practitioner_app.domain import forms as definitions
from practitioner_app.domain.alerts import Alert
from practitioner_app.domain.body_map import region_label
from practitioner_app.domain.body_marks import explanation_summary, mark_summary
from practitioner_app.domain.kinds import RecordKind
from practitioner_app.domain.labels import value_label
from practitioner_app.domain.times import format_uk_date, format_uk_datetime, uk_date
from practitioner_app.services import body_maps, forms
from practitioner_app.services.forms import FormView
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.entry_content import EntryContentRepository

NOT_RECORDED = "not recorded"
# The kinds of record an alert's evidence can be, in the order they are looked for.
EVIDENCE_KINDS = (
    RecordKind.BODY_MARK,
    RecordKind.OBSERVATION,
    RecordKind.CHRONOLOGY_EVENT,
    RecordKind.VISIT,
    RecordKind.CONCERN,
    RecordKind.REFERRAL,
)


def referral_for_alert(ws: Workspace, child_id: str, alert: Alert) -> FormView:
    """The MARF to open for `alert`: the child's newest draft MARF (the alert and its evidence
    added to its reason and concerns, nothing written there replaced), else a new draft carrying
    them first in its reason and concerns. One unit of work."""
    with ws.unit_of_work() as session:
        ChildRepository(session).fetch(child_id)
        carried = carried_answers(session, alert)
        draft = forms.newest_draft_in(session, child_id, definitions.MARF.key)
        if draft is not None:
            return forms.carry_into_in(ws, session, draft, carried)
        return forms.start_in(ws, session, child_id, definitions.MARF.key, carried=carried)


def carried_answers(session: Session, alert: Alert) -> dict[str, str]:
    """The MARF's reason and concerns as the alert gives them (answer key → text)."""
    lines = evidence_lines(session, alert.evidence)
    what = "\n".join(f"- {line}" for line in lines)
    reason = f"Alert: {alert.message}" + (f"\n\nWhat the record shows:\n{what}" if what else "")
    return {"reason": reason, "concerns": what}


def evidence_lines(session: Session, ids: Iterable[str]) -> list[str]:
    """One line per record behind an alert, in the alert's order; household members and
    professionals (which are not entries) are left to the form's own sections."""
    content = EntryContentRepository(session)
    lines = []
    for record_id in ids:
        for kind in EVIDENCE_KINDS:
            entry = content.get(kind, record_id)
            if entry is not None:
                lines.append(_line(content, kind, entry))
                break
    return lines


def _line(content: EntryContentRepository, kind: RecordKind, entry: e.Entry) -> str:
    when = (
        format_uk_datetime(entry.occurred_at)
        if entry.time_known
        else format_uk_date(uk_date(entry.occurred_at))
    )
    if isinstance(entry, e.Observation):
        injury = content.injury(entry.id)
        if injury is not None:
            consistent = injury.get("consistent_with_explanation")
            return (
                f"{when}: injury seen by {entry.signature}. "
                f"Site: {', '.join(injury.get('body_regions') or ()) or NOT_RECORDED}. "
                f"Description: {injury.get('description') or entry.text or NOT_RECORDED}. "
                f"Explanation given: {injury.get('explanation_given') or NOT_RECORDED}"
                + (
                    ""
                    if consistent is None
                    else f" ({'consistent' if consistent else 'not consistent'} with it)"
                )
                + "."
            )
        category = value_label(entry.category)
        return f"{when}: {category} observed by {entry.signature}: {entry.text}"
    if isinstance(entry, e.BodyMark):
        details = body_maps.details_of(entry)
        site = region_label(details.figure, details.side, details.region)
        seen_by = f"; seen by {details.seen_by}" if details.seen_by else ""
        return (
            f"{when}: mark on the body map recorded by {entry.signature}{seen_by}. "
            f"Site: {site}. {mark_summary(details)}. "
            f"Explanation given: {explanation_summary(details) or NOT_RECORDED}."
        )
    if isinstance(entry, e.ChronologyEvent):
        return f"{when}: {value_label(entry.kind)}, from {entry.source}: {entry.event}"
    if isinstance(entry, e.Visit):
        return (
            f"{when}: {wording.VISIT_KIND_LABEL[entry.kind].lower()}, "
            f"{wording.OUTCOME_LABEL[entry.outcome]}, by {entry.signature}"
        )
    if isinstance(entry, e.Concern):
        return (
            f"{when}: concern raised ({entry.level.value}), source {entry.source}: {entry.summary}"
        )
    return f"{when}: {kind.value.replace('_', ' ')}"
