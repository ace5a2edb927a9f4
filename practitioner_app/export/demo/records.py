"""One demo child's records over the years: visits, observations, concerns, events, referrals.

Keep the draws from the seeded generator in this order: a seed and an end date then give the same
caseload from one version to the next, so benchmark runs on it stay comparable.
"""

import random
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from practitioner_app.domain.enums import Sex
from practitioner_app.domain.growth.reference import Measure, value_at
from practitioner_app.export.demo.words import (
    AGENCIES,
    CHILD_VOICE,
    CONCERN_SUMMARY,
    EVENT_SOURCE,
    EVENT_TEXT,
    GP_TEXT,
    OBS,
    VISIT_NOTES,
)

Record = dict[str, Any]


@dataclass
class Ids:
    """Readable, unique ids per kind of record: demo-v000001, demo-v000002, ..."""

    counts: dict[str, int] = field(default_factory=dict)

    def __call__(self, prefix: str) -> str:
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return f"demo-{prefix}{self.counts[prefix]:06d}"


@dataclass
class Draw:
    """What every demo record is drawn with: the seeded generator, the ids, the period, the author."""

    rng: random.Random
    ids: Ids
    start: date
    end: date
    practitioner: dict[str, str]

    def moment(self, day: date, hour: int | None = None) -> str:
        """A time in working hours on `day`, on a quarter hour."""
        at = time(
            hour if hour is not None else self.rng.choice([9, 10, 11, 13, 14, 15, 16]),
            self.rng.choice([0, 15, 30, 45]),
        )
        return datetime.combine(day, at).isoformat(timespec="minutes")


@dataclass(frozen=True)
class Need:
    """How much a family needs, which sets how much is recorded about its children. Most families
    on a health visitor's caseload need only the universal service, so most children have few
    records and no alert; a few families take most of the work (and carry most of the alerts).
    Rates are per child per year."""

    name: str
    visits: float
    missed: tuple[int, int, int, int, int]  # completed, no access, not brought, cancelled ×2
    concerns: float
    concern_gap: int  # days at least between concerns (0: as they come)
    events: float
    referrals: tuple[int, ...]  # how many referrals, drawn from these
    # How often each kind of event in EVENT_TEXT comes, in its order (police, school, hospital,
    # assessment, strategy, conference, closed, household, anonymous, other).
    event_weights: tuple[float, ...] = (5, 5, 2, 1, 1, 1, 1, 1, 1, 2)


# Shares of households, and rates, chosen so that a 400-child caseload over five years has the
# size PERFORMANCE.md names (about 20 visits, 4 concerns and 10 chronology events a child a year).
UNIVERSAL = Need("universal", 13, (98, 1, 0, 1, 0), 0.4, 120, 2.5, ())
UNIVERSAL_PLUS = Need(
    "universal plus",
    36,
    (94, 2, 2, 1, 1),
    13,
    40,
    18,
    (1, 2, 3, 3),
    (1, 4, 0.25, 1, 0, 0, 1, 1, 0, 6),
)
SAFEGUARDING = Need("safeguarding", 95, (82, 6, 6, 5, 1), 36, 0, 66, (6, 7, 8, 9, 10, 11))
# One child with about 2,000 chronology items (PERFORMANCE.md), in a safeguarding family.
HEAVY = Need("safeguarding", 108, SAFEGUARDING.missed, 16.5, 0, 300, (5, 10))
NEEDS = ((UNIVERSAL, 0.65), (UNIVERSAL_PLUS, 0.22), (SAFEGUARDING, 0.13))


def fitting(rng: random.Random, options: list[Any], age_days: int) -> Any:
    """One of `options` (each starting with its age band) true of a child `age_days` old."""
    true_now = [option for option in options if option[0][0] <= age_days <= option[0][1]]
    return rng.choice(true_now) if true_now else None


@dataclass(frozen=True)
class Span:
    """The part of the demo period a child is alive for: `days` days from `first`."""

    first: date
    days: int

    def day(self, rng: random.Random) -> date:
        return self.first + timedelta(days=rng.randrange(self.days))


def child_records(bundle: Record, child: Record, draw: Draw, need: Need) -> None:
    """Add one child's records to `bundle`, as much as the family's `need` brings."""
    born = date.fromisoformat(child["date_of_birth"])
    first = max(draw.start, born)
    span = Span(first, max(1, (draw.end - first).days))
    visit_ids = _visits(bundle, child, draw, span, need)
    concern_ids = _concerns(bundle, child, draw, span, visit_ids, need)
    _events(bundle, child, draw, span, need)
    if concern_ids and need.referrals:
        _referrals(bundle, child, draw, span, concern_ids, need)


def _visits(bundle: Record, child: Record, draw: Draw, span: Span, need: Need) -> list[str]:
    """The mandated contacts due by the end (one missed is booked again a week later), and more
    visits at random days; returns their ids."""
    rng = draw.rng
    born = date.fromisoformat(child["date_of_birth"])
    visits_wanted = round(span.days / 365 * need.visits)
    visit_ids: list[str] = []
    mandated = [("new_birth", 12), ("6_8_week", 49), ("9_12_month", 320), ("2_2half_year", 760)]
    planned = [
        (born + timedelta(days=age), kind)
        for kind, age in mandated
        if born + timedelta(days=age) < draw.end
    ]
    extra = sorted(span.day(rng) for _ in range(max(0, visits_wanted - len(planned))))
    due = sorted([*planned, *[(d, None) for d in extra]], key=lambda pair: pair[0])
    while due:
        day, contact = due.pop(0)
        outcome = rng.choices(
            [
                "completed",
                "no_access",
                "was_not_brought",
                "cancelled_by_family",
                "cancelled_by_service",
            ],
            need.missed,
        )[0]
        completed = outcome == "completed"
        if contact and not completed and day + timedelta(days=7) < draw.end:
            due.insert(0, (day + timedelta(days=7), contact))  # a mandated contact is rebooked
        seen = completed and rng.random() < 0.97
        age_days = (day - born).days
        age_years = age_days / 365.25
        visit_id = draw.ids("v")
        visit_ids.append(visit_id)
        occurred = draw.moment(day)
        recorded = datetime.fromisoformat(occurred) + timedelta(
            hours=rng.choice([1, 2, 4, 20, 30, 72])
        )
        voice = fitting(rng, CHILD_VOICE, age_days) if completed else None
        notes = fitting(rng, VISIT_NOTES, age_days)
        bundle["visits"].append(
            {
                "id": visit_id,
                "child_ids": [child["id"]],
                "occurred_at": occurred,
                "kind": "clinic"
                if outcome == "was_not_brought"
                else rng.choice(["home", "home", "home", "clinic"]),
                **({"contact_type": contact} if contact else {}),
                "planned": rng.random() < 0.85,
                "outcome": outcome,
                "child_seen": seen,
                "child_seen_alone": seen and age_years >= 3 and rng.random() < 0.6,
                "present": ["mother"] + (["mother's partner"] if rng.random() < 0.3 else []),
                "child_voice": voice[1] if voice else None,
                "notes": (
                    notes[1]
                    if completed
                    else "No answer at the door; card left with contact number."
                ).format(child=child["given_name"]),
                "author": draw.practitioner,
                "recorded_at": recorded.isoformat(timespec="minutes"),
                "status": "final",
            }
        )
        if completed:
            said: set[str] = set()  # one visit never records the same thing twice
            for _ in range(rng.choice([1, 2, 2, 3, 3])):
                observation = _observation(child, draw, visit_id, occurred, age_days, said)
                if observation is not None:
                    said.add(observation["category"])
                    bundle["observations"].append(observation)
    return visit_ids


def _own_centile(child_id: str) -> float:
    """An SDS between −1.2 and +1.2 fixed by the child's id (no draw, so the rest of the demo
    stays as it was)."""
    return (zlib.crc32(child_id.encode("utf-8")) % 241 - 120) / 100


def _observation(
    child: Record, draw: Draw, visit_id: str, occurred: str, age_days: int, said: set[str]
) -> Record | None:
    """One observation made at a completed visit, true of a child that age: mostly notes, growth
    for under-threes, rarely a small bruise on a child old enough to walk into things."""
    rng = draw.rng
    name = child["given_name"]
    age_years = age_days / 365.25
    chosen = fitting(rng, [o for o in OBS if o[1] not in said], age_days)
    if chosen is None:
        return None
    _, category, text = chosen
    record: Record = {
        "id": draw.ids("o"),
        "child_id": child["id"],
        "visit_id": visit_id,
        "observed_at": occurred,
        "category": category,
        "text": text.format(child=name),
        "significant": rng.random() < 0.12,
        "author": draw.practitioner,
        "status": "final",
    }
    if age_years < 3 and "growth" not in said and rng.random() < 0.5:
        # Each invented child grows along a centile of its own (UK-WHO), wobbling a little from
        # one weighing to the next, so the demo's charts look like real ones and faltering
        # growth is not raised by chance.
        sds = _own_centile(child["id"]) + rng.uniform(-0.6, 0.6) / 2
        sex = Sex(child["sex"])
        weight = value_at(Measure.WEIGHT, sex, age_years, sds) or 3.4
        length = value_at(Measure.HEIGHT, sex, age_years, sds) or 50.0
        record.update(
            category="growth",
            text=f"Weighed and measured; {name} content on the scales.",
            measurement={"weight_kg": round(weight, 2), "length_cm": round(length, 1)},
        )
    elif age_days >= 365 and "injury" not in said and rng.random() < 0.005:
        record.update(
            category="injury",
            significant=True,
            text=f"Small bruise seen on {name}'s shin.",
            injury={
                "body_regions": ["left shin"],
                "description": "1 cm yellowing bruise",
                "explanation_given": "Bumped into the coffee table",
                "consistent_with_explanation": True,
            },
        )
    return record


def _concerns(
    bundle: Record,
    child: Record,
    draw: Draw,
    span: Span,
    visit_ids: list[str],
    need: Need,
) -> list[str]:
    """The concerns the family's need brings (a family with few needs has the odd one, closed),
    some closed with an outcome; returns their ids."""
    rng = draw.rng
    concern_ids: list[str] = []
    wanted = span.days / 365 * need.concerns
    count = int(wanted) + (rng.random() < wanted - int(wanted))
    days = sorted(span.day(rng) for _ in range(count))
    if need.concern_gap:  # concerns raised months apart, not in clusters
        kept: list[date] = []
        for day in days:
            if not kept or (day - kept[-1]).days >= need.concern_gap:
                kept.append(day)
        days = kept
    for raised in days:
        category = rng.choice(list(CONCERN_SUMMARY))
        # A concern raised months ago has mostly been dealt with by now: few stay open.
        recent = (draw.end - raised).days <= 120
        status = (
            "closed"
            if need is UNIVERSAL
            else rng.choices(
                ["open", "monitoring", "referred", "closed"],
                [2, 3, 1, 4] if recent else [0.2, 0.5, 0.3, 9],
            )[0]
        )
        concern_id = draw.ids("cn")
        concern_ids.append(concern_id)
        concern: Record = {
            "id": concern_id,
            "child_id": child["id"],
            "raised_at": raised.isoformat(),
            "category": category,
            "level": "low"
            if need is UNIVERSAL
            else rng.choices(["low", "medium", "high", "immediate"], [4, 4, 2, 0.2])[0],
            "source": draw.practitioner["agency"]
            if need is not SAFEGUARDING
            else rng.choice(AGENCIES)[0],
            "summary": CONCERN_SUMMARY[category],
            "status": status,
            "visit_ids": rng.sample(visit_ids, min(len(visit_ids), rng.choice([0, 1]))),
        }
        if status == "closed":
            concern["closed_at"] = min(
                draw.end, raised + timedelta(days=rng.randint(14, 60 if need is UNIVERSAL else 200))
            ).isoformat()
            concern["outcome"] = rng.choice(
                ["No further action", "Early help plan completed", "Support from family network"]
            )
        bundle["concerns"].append(concern)
    _close_all_but_the_newest(bundle["concerns"][-len(days) :] if days else [], draw)
    return concern_ids


# Even a child on a child protection plan has a handful of concerns open at once, not a score.
MOST_OPEN_AT_ONCE = 5


def _close_all_but_the_newest(concerns: list[Record], draw: Draw) -> None:
    """A child's concerns beyond the newest MOST_OPEN_AT_ONCE still open are closed: folded into
    the plan some weeks after they were raised."""
    still_open = [c for c in concerns if c["status"] != "closed"]
    for concern in still_open[:-MOST_OPEN_AT_ONCE]:
        raised = date.fromisoformat(concern["raised_at"])
        concern["status"] = "closed"
        concern["closed_at"] = min(
            draw.end, raised + timedelta(days=draw.rng.randint(14, 120))
        ).isoformat()
        concern["outcome"] = "Taken into the child's plan"


def _events(bundle: Record, child: Record, draw: Draw, span: Span, need: Need) -> None:
    """Chronology events as the family's need brings them, told by the agency each kind comes
    from; a family with few needs hears mostly from its GP."""
    rng = draw.rng
    name = child["given_name"]
    born = date.fromisoformat(child["date_of_birth"])
    wanted = span.days / 365 * need.events
    for _ in range(int(wanted) + (rng.random() < wanted - int(wanted))):
        day = span.day(rng)
        age_days = (day - born).days
        if need is UNIVERSAL:
            kind = "other"
            source, source_kind = "Riverside Surgery", "health"
            text = fitting(rng, GP_TEXT, age_days)[1]
        else:
            kind = rng.choices(list(EVENT_TEXT), need.event_weights)[0]
            told = fitting(rng, EVENT_TEXT[kind], age_days)
            if told is None:  # no school or nursery yet: the same agency's other news
                kind = "other"
                told = fitting(rng, EVENT_TEXT[kind], age_days)
            source, source_kind = EVENT_SOURCE[kind]
            text = told[1]
        bundle["events"].append(
            {
                "id": draw.ids("e"),
                "child_id": child["id"],
                "occurred_at": day.isoformat(),
                "date_uncertain": rng.random() < 0.1,
                "source": source,
                "source_kind": source_kind,
                "kind": kind,
                "event": text.format(child=name),
                "significance": "low"
                if need is UNIVERSAL
                else rng.choice(["low", "medium", "high"]),
                "impact_on_child": None
                if need is UNIVERSAL
                else rng.choice(
                    [None, f"{name} was upset and not sleeping.", "Missed nursery the next day."]
                    if age_days >= 2 * 365
                    else [None, f"{name} unsettled and feeding poorly afterwards."]
                ),
                "action": rng.choice(
                    [None, "Shared with health visiting", "Noted; no further action"]
                ),
                "recorded_at": draw.moment(min(draw.end, day + timedelta(days=rng.randint(0, 5)))),
            }
        )


def _referrals(
    bundle: Record,
    child: Record,
    draw: Draw,
    span: Span,
    concern_ids: list[str],
    need: Need,
) -> None:
    """Referrals to children's services, as many as the family's need brings, each with its
    entry in the sharing log."""
    rng = draw.rng
    name = child["given_name"]
    for _ in range(rng.choice(need.referrals)):
        made = span.day(rng)
        bundle["referrals"].append(
            {
                "id": draw.ids("r"),
                "child_ids": [child["id"]],
                "to_agency": "Northshire Children's Services front door",
                "status": "final",
                "created_at": draw.moment(made),
                "sections": {
                    "reason": f"Cumulative concerns about {name}: {CONCERN_SUMMARY['neglect']}",
                    "outcome_sought": "Child and family assessment",
                },
                "concern_ids": rng.sample(concern_ids, min(2, len(concern_ids))),
                "consent": {"family_aware": True, "consent": "given"},
                "immediate_risk": False,
            }
        )
        bundle["sharing"].append(
            {
                "id": draw.ids("s"),
                "child_ids": [child["id"]],
                "at": draw.moment(made, 17),
                "shared": True,
                "with_whom": "Northshire Children's Services",
                "what": "Referral form and recent visit notes",
                "purpose": "Safeguarding referral",
                "lawful_basis": "Children Act 1989 s.17",
                "consent": "given",
            }
        )
