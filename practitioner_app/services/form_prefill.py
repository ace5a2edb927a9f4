"""What a structured form's answers start from: the record's own words for the referrer, the
child, the household, the family's addresses and phone numbers, the professionals, the concerns,
the child's views and earlier episodes of help (each answer's `prefill` names one of these)."""

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from practitioner_app.domain import chronology as wording
from practitioner_app.domain import forms
from practitioner_app.domain import nhs_number as nhs
from practitioner_app.domain.enums import ConcernStatus, EventKind
from practitioner_app.domain.labels import value_label
from practitioner_app.domain.times import format_uk_date, now_utc, uk_date
from practitioner_app.services import casework
from practitioner_app.services.workspace import Workspace
from practitioner_app.store import entries as e
from practitioner_app.store.repositories.children import ChildRepository
from practitioner_app.store.repositories.concerns import ConcernRepository
from practitioner_app.store.repositories.entries import (
    ChronologyEventRepository,
    ObservationRepository,
    ReferralRepository,
    VisitRepository,
)

# How far back "recent" reaches for observations and the child's words in a pre-filled form.
RECENT = timedelta(days=183)


def _yes_no(value: bool | None) -> str:
    return "not known" if value is None else ("yes" if value else "no")


def _given(value: object) -> str:
    return "not recorded" if value is None or value == "" else str(value)


def _referrer(ws: Workspace, session: Session, child_id: str) -> str:
    profile = ws.profile
    return f"{profile.name}\n{profile.role}, {profile.agency}"


def _child(ws: Workspace, session: Session, child_id: str) -> str:
    details = casework.child_details(ChildRepository(session).fetch(child_id))
    today = uk_date(now_utc())
    if details.date_of_birth is not None:
        born = f"Date of birth: {format_uk_date(details.date_of_birth)}"
    else:
        assert details.expected_date is not None
        born = f"Unborn; expected date of delivery: {format_uk_date(details.expected_date)}"
    lines = [
        f"Name: {details.given_name} {details.family_name}",
        f"Preferred name: {_given(details.preferred_name)}",
        f"Other names: {', '.join(details.other_names) or 'none recorded'}",
        born,
        f"Age: {wording.age_at(details.date_of_birth, details.expected_date, today)}",
        f"Sex: {details.sex.value.replace('_', ' ')}",
        "NHS number: "
        + (nhs.formatted(details.nhs_number) if details.nhs_number else "not recorded"),
        f"Ethnicity: {_given(details.ethnicity)}",
        f"First language: {_given(details.first_language)}; "
        f"interpreter needed: {_yes_no(details.interpreter_needed)}",
        f"Preferred way of communicating: {_given(details.communication)}",
        f"Religion: {_given(details.religion)}",
        f"Disability: {_given(details.disability)}",
        "Address: "
        + (", ".join(x for x in (details.address, details.postcode) if x) or "not recorded"),
        f"GP: {_given(details.gp)}",
        f"School or setting: {_given(details.school)}",
    ]
    mobility = details.mobility(today)
    if mobility:
        lines.append(mobility)
    return "\n".join(lines)


def _household(ws: Workspace, session: Session, child_id: str) -> str:
    today = uk_date(now_utc())
    rows = casework.household_rows(session, child_id)
    current = [r for r in rows if r.is_current(today)]
    former = [r for r in rows if not r.is_current(today)]
    with_pr = [r.name for r in current if r.parental_responsibility]
    lines = [
        "Parental responsibility: "
        + (", ".join(with_pr) if with_pr else "no one is recorded as holding it")
    ]
    for r in current:
        parts = [f"{r.name} ({r.relationship})"]
        if r.date_of_birth:
            parts.append(f"born {format_uk_date(r.date_of_birth)}")
        parts.append(
            "lives with the child" if r.lives_with_child else "does not live with the child"
        )
        parts.append(f"parental responsibility: {_yes_no(r.parental_responsibility)}")
        if r.from_date:
            parts.append(f"since {format_uk_date(r.from_date)}")
        if r.phone:
            parts.append(f"phone: {r.phone}")
        if r.checks:
            parts.append(f"checks: {r.checks}")
        lines.append(" — ".join(parts[:1]) + ": " + "; ".join(parts[1:]))
    for r in former:
        assert r.to_date is not None
        lines.append(f"Formerly: {r.name} ({r.relationship}), until {format_uk_date(r.to_date)}")
    return "\n".join(lines) if rows else ""


def _contacts(ws: Workspace, session: Session, child_id: str) -> str:
    """The child's address, then each current household member's phone numbers and address
    (the child's, when they live with the child and have none of their own recorded)."""
    child = casework.child_details(ChildRepository(session).fetch(child_id))
    today = uk_date(now_utc())
    home = ", ".join(" ".join(x.split()) for x in (child.address, child.postcode) if x)
    lines = [f"The child: {home}"] if home else []
    for r in casework.household_rows(session, child_id):
        if not r.is_current(today) or not (r.phone or r.address or r.lives_with_child):
            continue
        if r.address:
            where = " ".join(r.address.split())
        elif r.lives_with_child:
            where = "at the child's address" if home else "lives with the child"
        else:
            where = "address not recorded"
        phone = f"; phone: {r.phone}" if r.phone else "; phone not recorded"
        lines.append(f"{r.name} ({r.relationship}): {where}{phone}")
    return "\n".join(lines)


def _professionals(ws: Workspace, session: Session, child_id: str) -> str:
    today = uk_date(now_utc())
    lines = []
    for p in casework.professional_rows(session, child_id):
        if not p.is_current(today):
            continue
        contact = "; ".join(x for x in (p.phone, p.email) if x)
        lines.append(
            f"{p.name}, {p.role}, {p.agency}"
            + (f" — {contact}" if contact else "")
            + (" — lead professional" if p.lead else "")
        )
    if lines and not any("lead professional" in line for line in lines):
        lines.append("No lead professional is recorded.")
    return "\n".join(lines)


def open_concerns(session: Session, child_id: str) -> list[e.Concern]:
    concerns = ConcernRepository(session)
    statuses = concerns.statuses_now(child_id)
    return [
        c for c in concerns.for_child(child_id) if statuses.get(c.id) is not ConcernStatus.CLOSED
    ]


def concern_text(concern: e.Concern, status: ConcernStatus | None) -> str:
    category = value_label(concern.category)  # "FGM", never "Fgm"
    state = (status or concern.concern_status).value
    return f"{category} ({concern.level.value}), {state}: {concern.summary}"


def _concerns(ws: Workspace, session: Session, child_id: str) -> str:
    statuses = ConcernRepository(session).statuses_now(child_id)
    lines = [
        f"{format_uk_date(uk_date(c.occurred_at))} — {concern_text(c, statuses.get(c.id))}"
        + (f" (source: {c.source})" if c.source else "")
        for c in open_concerns(session, child_id)
    ]
    since = now_utc() - RECENT
    observations = ObservationRepository(session).significant_since(child_id, since)
    if observations:
        lines += ["", "Recent significant observations:"]
        lines += [
            f"{format_uk_date(uk_date(o.occurred_at))} — {value_label(o.category)}: {o.text}"
            for o in observations
        ]
    return "\n".join(lines).strip()


def _child_views(ws: Workspace, session: Session, child_id: str) -> str:
    since = now_utc() - RECENT
    visits = VisitRepository(session).with_child_voice_since(child_id, since)
    return "\n".join(
        f"{format_uk_date(uk_date(v.occurred_at))} "
        f"({wording.VISIT_KIND_LABEL[v.kind].lower()}"
        f"{', seen alone' if v.child_seen_alone else ''}): {v.child_voice}"
        for v in visits
    )


# Chronology events that are episodes of help or protection, with how a line names them: other
# agencies' work is often known to the practitioner only as a chronology event.
EPISODE_EVENTS: dict[EventKind, str] = {
    EventKind.REFERRAL: "referral",
    EventKind.ASSESSMENT: "assessment",
    EventKind.STRATEGY_MEETING: "strategy meeting",
    EventKind.CASE_CONFERENCE: "case conference",
    EventKind.CASE_CLOSED: "case closed",
}


def _previous_interventions(ws: Workspace, session: Session, child_id: str) -> str:
    """One line per earlier episode, by date: the practitioner's final forms, concerns now
    closed, and other agencies' referrals, assessments, strategy meetings, conferences and
    closures from the chronology (drafts too: an event the practitioner wrote down happened)."""
    dated: list[tuple[datetime, str]] = []
    for r in ReferralRepository(session).final_for_child(child_id):
        title = forms.FORMS[r.form].title if r.form in forms.FORMS else r.form
        sought = r.sections.get("outcome_sought")
        dated.append(
            (
                r.occurred_at,
                f"{format_uk_date(uk_date(r.occurred_at))} — {title} to {r.to_agency}"
                + (f"; asked for: {sought}" if sought else ""),
            )
        )
    concerns = ConcernRepository(session)
    statuses = concerns.statuses_now(child_id)
    for c in concerns.for_child(child_id):
        if statuses.get(c.id) is ConcernStatus.CLOSED:
            # The outcome given when it was closed, else the one recorded with the concern.
            outcome = concerns.closing_outcome(c.id) or c.outcome
            dated.append(
                (
                    c.occurred_at,
                    f"{format_uk_date(uk_date(c.occurred_at))} — concern closed: {c.summary}"
                    + (f"; outcome: {outcome}" if outcome else ""),
                )
            )
    for ev in ChronologyEventRepository(session).of_kinds(child_id, EPISODE_EVENTS):
        dated.append(
            (
                ev.occurred_at,
                f"{format_uk_date(uk_date(ev.occurred_at))} — {ev.source.strip()}, "
                f"{EPISODE_EVENTS[ev.kind]}: {ev.event.strip()}",
            )
        )
    dated.sort(key=lambda line: line[0])
    return "\n".join(line for _, line in dated)


# What the record supplies, by the name an answer's `prefill` gives.
PREFILL: dict[str, Callable[[Workspace, Session, str], str]] = {
    "referrer": _referrer,
    "child": _child,
    "household": _household,
    "contacts": _contacts,
    "professionals": _professionals,
    "concerns": _concerns,
    "child_views": _child_views,
    "previous_interventions": _previous_interventions,
}
