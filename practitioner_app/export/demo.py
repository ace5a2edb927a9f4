"""A realistic, entirely synthetic caseload, as a case bundle (deterministic for a seed and end date).

Used to try the app and to benchmark it (PERFORMANCE.md: 400 children in 250 households over five
years ≈ 150,000 records, with one "heavy" child of about 2,000 chronology items). Every name and
place is invented; NHS numbers come only from the never-issued 999 range.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from practitioner_app.domain import nhs_number

# Names in several scripts, as a caseload in an English city has them.
GIVEN = {
    "english": [
        "Amelia",
        "Oliver",
        "Isla",
        "Noah",
        "Freya",
        "Leo",
        "Poppy",
        "Jack",
        "Evie",
        "Harry",
    ],
    "polish": ["Zofia", "Jakub", "Łucja", "Michał", "Wiktoria", "Szymon", "Zuzanna", "Mikołaj"],
    "greek": ["Ελένη", "Νίκος", "Σοφία", "Γιώργος", "Μαρία", "Δημήτρης"],
    "ukrainian": ["Олена", "Андрій", "Софія", "Максим", "Ілля", "Дарина"],
    "arabic": ["مريم", "يوسف", "ليلى", "عمر", "نور", "آدم"],
    "somali": ["Hodan", "Abdirahman", "Ifrah", "Mahad", "Sagal", "Liban"],
}
FAMILY = {
    "english": [
        "Thornbury",
        "Ashdown",
        "Kettlewell",
        "Marlow",
        "Pennington",
        "Radley",
        "Whitcombe",
    ],
    "polish": ["Wiśniewska", "Kowalczyk", "Łukaszewicz", "Zieliński", "Grabowska"],
    "greek": ["Παπαδοπούλου", "Αλεξίου", "Κωνσταντίνου", "Γεωργίου"],
    "ukrainian": ["Коваль", "Шевченко", "Бондаренко", "Мельник"],
    "arabic": ["الحسن", "العلي", "المصري", "الخطيب"],
    "somali": ["Warsame", "Farah", "Abdi", "Jama"],
}
LANGUAGE = {
    "english": "English",
    "polish": "Polish",
    "greek": "Greek",
    "ukrainian": "Ukrainian",
    "arabic": "Arabic",
    "somali": "Somali",
}
STREETS = [
    "Larkspur Row",
    "Millbrook Close",
    "Tannery Lane",
    "Orchard Rise",
    "Canal Terrace",
    "Foxglove Way",
]
AGENCIES = [
    ("Northshire Police", "police"),
    ("Riverside Primary School", "education"),
    ("St Aidan's Hospital ED", "health"),
    ("Riverside Surgery", "health"),
    ("Northshire Children's Services", "social_care"),
    ("Harbour Family Support (charity)", "voluntary"),
    ("Maternal grandmother", "family"),
]
EVENT_TEXT = {
    "police_contact": [
        "Police attended a reported argument at the home; {child} was present and asleep upstairs.",
        "Neighbour called police about shouting late at night; no arrests, advice given.",
    ],
    "school_contact": [
        "School reports {child} arrived hungry and tired on three days this week.",
        "Attendance fell to 84% this half term; school has written to the family.",
    ],
    "hospital_attendance": [
        "Attended ED with a cut to the forehead; explained as a fall from the sofa.",
        "Brought to ED by mother with a high temperature; discharged with advice.",
    ],
    "assessment": ["Child and family assessment started; social worker visited and saw {child}."],
    "strategy_meeting": [
        "Strategy discussion held; agreed single-agency follow-up by health visiting."
    ],
    "case_conference": ["Initial child protection conference; plan under the category of neglect."],
    "case_closed": ["Children's services closed the case after the early help plan was completed."],
    "change_of_household": [
        "Mother reports her new partner has moved in; name and date of birth not given."
    ],
    "anonymous_report": ["Anonymous caller concerned that {child} is left alone in the evenings."],
    "other": ["Family moved to temporary accommodation after a housing disrepair claim."],
}
VISIT_NOTES = [
    "{child} was settled and responsive, babbling and making good eye contact with mother. Home warm and "
    "tidy; safe sleep discussed and cot seen in the parents' room. Mother says she is sleeping better.",
    "Mother appeared tired and low in mood; she said the baby 'never stops crying'. Discussed sources of "
    "support and offered a listening visit; agreed to review in two weeks. {child} clean and appropriately dressed.",
    "Kitchen had little food; mother said money is tight until payday. Food bank voucher given and Healthy "
    "Start discussed. {child} playing with stacking cups and reaching for toys.",
    "Partner present throughout and answered questions for mother. {child} quiet, watched adults closely. "
    "Agreed to see mother alone at clinic next week.",
    "Development reviewed with ASQ-3; all areas above cut-off. Speech: around 20 words. Discussed toilet "
    "training and nursery place; family hopes to start in September.",
]
# Who tells a practitioner about each kind of event.
EVENT_SOURCE = {
    "police_contact": ("Northshire Police", "police"),
    "school_contact": ("Riverside Primary School", "education"),
    "hospital_attendance": ("St Aidan's Hospital ED", "health"),
    "assessment": ("Northshire Children's Services", "social_care"),
    "strategy_meeting": ("Northshire Children's Services", "social_care"),
    "case_conference": ("Northshire Children's Services", "social_care"),
    "case_closed": ("Northshire Children's Services", "social_care"),
    "change_of_household": ("Maternal grandmother", "family"),
    "anonymous_report": ("Northshire Children's Services (anonymous caller)", "social_care"),
    "other": ("Harbour Family Support (charity)", "voluntary"),
}
CHILD_VOICE = [
    "'Mummy sad,' said while pointing at mother.",
    "Said 'I like my new bed'.",
    "Told me the dog 'bites sometimes'.",
    "Did not want to talk; hid behind the sofa.",
    None,
    None,
]
OBS = [
    ("home_environment", "Strong smell of cigarette smoke in the living room; windows closed."),
    (
        "parent_child_interaction",
        "Mother responded warmly to cues, picked {child} up when distressed.",
    ),
    ("presentation", "{child} in a dirty nappy on arrival, skin red; changed during the visit."),
    ("development", "Pulling to stand and cruising along furniture."),
    ("emotional_wellbeing", "{child} flinched when the partner raised his voice."),
    ("health", "Eczema on both forearms, emollient prescribed but not being used."),
]
CONCERN_SUMMARY = {
    "neglect": "Repeated poor home conditions and missed health appointments.",
    "domestic_abuse": "Police notifications of arguments at home with the child present.",
    "parental_mental_health": "Mother describes low mood and not coping.",
    "parental_substance_misuse": "Partner reported to be using cannabis daily at home.",
    "physical_abuse": "Bruising with an explanation that does not fit.",
    "emotional_abuse": "Child described as frightened of partner.",
}


class _Ids:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def __call__(self, prefix: str) -> str:
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return f"demo-{prefix}{self.counts[prefix]:06d}"


def _nhs_numbers(rng: random.Random) -> Any:
    used: set[str] = set()
    while True:
        nine = f"999{rng.randrange(10**6):06d}"
        check = nhs_number.check_digit(nine)
        if check is not None and nine not in used:
            used.add(nine)
            yield f"{nine}{check}"


def generate(
    children: int = 12, years: int = 2, seed: int = 1, until: date | None = None
) -> dict[str, Any]:
    """A case bundle (as a dict) of `children` children over `years` years ending on `until`."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data must repeat for a seed; nothing secret)
    end = until or date.today()
    start = end - timedelta(days=365 * years)
    ids = _Ids()
    nhs = _nhs_numbers(rng)
    practitioner = {
        "name": "Asha Patel (DEMO)",
        "role": "Health visitor",
        "agency": "Northshire Community NHS Trust",
    }
    bundle: dict[str, Any] = {
        "format": "practitioner-case-bundle",
        "version": 1,
        "exported_at": datetime.combine(end, time(18, 0)).isoformat(timespec="minutes"),
        "exported_by": practitioner,
        "children": [],
        "people": [],
        "professionals": [],
        "visits": [],
        "observations": [],
        "concerns": [],
        "events": [],
        "referrals": [],
        "sharing": [],
    }

    def moment(day: date, hour: int | None = None) -> str:
        at = time(
            hour if hour is not None else rng.choice([9, 10, 11, 13, 14, 15, 16]),
            rng.choice([0, 15, 30, 45]),
        )
        return datetime.combine(day, at).isoformat(timespec="minutes")

    def days_between(first: date, last: date) -> list[date]:
        return [first + timedelta(days=n) for n in range(max(0, (last - first).days) + 1)]

    households = max(1, round(children * 250 / 400))
    family_of = [i % households for i in range(children)]
    rng.shuffle(family_of)
    gp: dict[str, Any] = {
        "id": ids("pro"),
        "name": "Dr Helen Okonjo",
        "role": "GP",
        "agency": "Riverside Surgery",
        "phone": "01632 960100",
        "child_ids": [],
    }
    bundle["professionals"].append(gp)
    for household in range(households):
        members = [i for i in range(children) if family_of[i] == household]
        if not members:
            continue
        culture = rng.choice(list(GIVEN))
        surname = rng.choice(FAMILY[culture])
        address = f"{rng.randint(1, 140)} {rng.choice(STREETS)}, Northshire"
        child_ids = []
        for _ in members:
            born = start + timedelta(days=rng.randint(-365 * 4, 365 * years - 30))
            child_id = ids("c")
            child_ids.append(child_id)
            bundle["children"].append(
                {
                    "id": child_id,
                    "given_name": rng.choice(GIVEN[culture]),
                    "family_name": surname,
                    "date_of_birth": born.isoformat(),
                    "sex": rng.choice(["female", "male"]),
                    "nhs_number": next(nhs),
                    "first_language": LANGUAGE[culture],
                    "interpreter_needed": culture != "english" and rng.random() < 0.4,
                    "address": address,
                    "postcode": f"ZZ{rng.randint(1, 9)} {rng.randint(1, 9)}ZZ",
                    "gp": "Riverside Surgery",
                    "non_mobile": False,
                }
            )
            gp["child_ids"].append(child_id)
        mother = {
            "id": ids("p"),
            "name": f"{rng.choice(GIVEN[culture])} {surname}",
            "relationship": "mother",
            "child_ids": child_ids,
            "lives_with_child": True,
            "parental_responsibility": True,
            "date_of_birth": (start - timedelta(days=rng.randint(20 * 365, 38 * 365))).isoformat(),
            "checks": "Health records reviewed.",
        }
        bundle["people"].append(mother)
        if rng.random() < 0.3:  # a new partner who moved in recently, not yet checked
            moved_in = end - timedelta(days=rng.randint(10, 200))
            bundle["people"].append(
                {
                    "id": ids("p"),
                    "name": "Unknown male (partner)",
                    "relationship": "mother's partner",
                    "child_ids": child_ids,
                    "lives_with_child": True,
                    "from": moved_in.isoformat(),
                }
            )
        if rng.random() < 0.25:
            bundle["professionals"].append(
                {
                    "id": ids("pro"),
                    "name": rng.choice(["Sam Whitlock", "Priya Nair", "Tomasz Bielski"]),
                    "role": "Social worker",
                    "agency": "Northshire Children's Services",
                    "child_ids": child_ids,
                    "lead": rng.random() < 0.6,
                    "email": "duty.team@northshire.example",
                }
            )

    for index, child in enumerate(bundle["children"]):
        heavy = index == 0 and children >= 50
        _child_records(
            bundle, child, rng, ids, start, end, practitioner, moment, days_between, heavy
        )
    return bundle


def _child_records(
    bundle: dict[str, Any],
    child: dict[str, Any],
    rng: random.Random,
    ids: _Ids,
    start: date,
    end: date,
    practitioner: dict[str, str],
    moment: Any,
    days_between: Any,
    heavy: bool,
) -> None:
    name = child["given_name"]
    born = date.fromisoformat(child["date_of_birth"])
    first = max(start, born)
    span = max(1, (end - first).days)
    visits_wanted = round(span / 365 * 27) * (4 if heavy else 1)
    visit_ids: list[str] = []
    observation_ids: list[str] = []
    mandated = [("new_birth", 12), ("6_8_week", 49), ("9_12_month", 320), ("2_2half_year", 760)]
    planned = [
        (born + timedelta(days=age), kind)
        for kind, age in mandated
        if first <= born + timedelta(days=age) <= end
    ]
    extra = sorted(
        first + timedelta(days=rng.randrange(span))
        for _ in range(max(0, visits_wanted - len(planned)))
    )
    for day, contact in sorted([*planned, *[(d, None) for d in extra]], key=lambda pair: pair[0]):
        outcome = rng.choices(
            [
                "completed",
                "no_access",
                "was_not_brought",
                "cancelled_by_family",
                "cancelled_by_service",
            ],
            [88, 4, 4, 3, 1],
        )[0]
        completed = outcome == "completed"
        seen = completed and rng.random() < 0.93
        age_years = (day - born).days / 365.25
        visit_id = ids("v")
        visit_ids.append(visit_id)
        occurred = moment(day)
        recorded = datetime.fromisoformat(occurred) + timedelta(
            hours=rng.choice([1, 2, 4, 20, 30, 72])
        )
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
                "child_seen_alone": seen and age_years >= 3 and rng.random() < 0.4,
                "present": ["mother"] + (["mother's partner"] if rng.random() < 0.3 else []),
                "child_voice": rng.choice(CHILD_VOICE) if completed and age_years >= 2 else None,
                "notes": (
                    rng.choice(VISIT_NOTES)
                    if completed
                    else "No answer at the door; card left with contact number."
                ).format(child=name),
                "author": practitioner,
                "recorded_at": recorded.isoformat(timespec="minutes"),
                "status": "final",
            }
        )
        if not completed:
            continue
        for _ in range(rng.choice([1, 2, 2, 3, 3])):
            category, text = rng.choice(OBS)
            observation_id = ids("o")
            observation_ids.append(observation_id)
            record: dict[str, Any] = {
                "id": observation_id,
                "child_id": child["id"],
                "visit_id": visit_id,
                "observed_at": occurred,
                "category": category,
                "text": text.format(child=name),
                "significant": rng.random() < 0.12,
                "author": practitioner,
                "status": "final",
            }
            if age_years < 3 and rng.random() < 0.5:
                weight = round(
                    3.4
                    + 7.5 * min(age_years, 1)
                    + 2.2 * max(0, age_years - 1)
                    + rng.uniform(-0.6, 0.6),
                    2,
                )
                record.update(
                    category="growth",
                    text=f"Weighed and measured; {name} content on the scales.",
                    measurement={
                        "weight_kg": weight,
                        "length_cm": round(
                            50 + 25 * min(age_years, 1) + 10 * max(0, age_years - 1), 1
                        ),
                    },
                )
            elif rng.random() < 0.01:
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
            bundle["observations"].append(record)

    concern_ids: list[str] = []
    for _ in range(max(1, round(span / 365 * 5.5)) * (3 if heavy else 1)):
        category = rng.choice(list(CONCERN_SUMMARY))
        raised = first + timedelta(days=rng.randrange(span))
        status = rng.choices(["open", "monitoring", "referred", "closed"], [2, 3, 1, 4])[0]
        concern_id = ids("cn")
        concern_ids.append(concern_id)
        concern: dict[str, Any] = {
            "id": concern_id,
            "child_id": child["id"],
            "raised_at": raised.isoformat(),
            "category": category,
            "level": rng.choices(["low", "medium", "high", "immediate"], [4, 4, 2, 0.2])[0],
            "source": rng.choice(AGENCIES)[0],
            "summary": CONCERN_SUMMARY[category],
            "status": status,
            "visit_ids": rng.sample(visit_ids, min(len(visit_ids), rng.choice([0, 1]))),
        }
        if status == "closed":
            concern["closed_at"] = min(
                end, raised + timedelta(days=rng.randint(14, 200))
            ).isoformat()
            concern["outcome"] = rng.choice(
                ["No further action", "Early help plan completed", "Support from family network"]
            )
        bundle["concerns"].append(concern)

    for _ in range(round(span / 365 * 12.5) * (24 if heavy else 1)):
        kind = rng.choices(list(EVENT_TEXT), [5, 5, 2, 1, 1, 1, 1, 1, 1, 2])[0]
        source, source_kind = EVENT_SOURCE[kind]
        day = first + timedelta(days=rng.randrange(span))
        bundle["events"].append(
            {
                "id": ids("e"),
                "child_id": child["id"],
                "occurred_at": day.isoformat(),
                "date_uncertain": rng.random() < 0.1,
                "source": source,
                "source_kind": source_kind,
                "kind": kind,
                "event": rng.choice(EVENT_TEXT[kind]).format(child=name),
                "significance": rng.choice(["low", "medium", "high"]),
                "impact_on_child": rng.choice(
                    [None, f"{name} was upset and not sleeping.", "Missed school the next day."]
                ),
                "action": rng.choice(
                    [None, "Shared with health visiting", "Noted; no further action"]
                ),
                "recorded_at": moment(min(end, day + timedelta(days=rng.randint(0, 5)))),
            }
        )

    if (concern_ids and rng.random() < 0.9) or heavy:
        for _ in range(rng.choice([1, 2, 2]) * (5 if heavy else 1)):
            made = first + timedelta(days=rng.randrange(span))
            bundle["referrals"].append(
                {
                    "id": ids("r"),
                    "child_ids": [child["id"]],
                    "to_agency": "Northshire Children's Services front door",
                    "status": "final",
                    "created_at": moment(made),
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
                    "id": ids("s"),
                    "child_ids": [child["id"]],
                    "at": moment(made, 17),
                    "shared": True,
                    "with_whom": "Northshire Children's Services",
                    "what": "Referral form and recent visit notes",
                    "purpose": "Safeguarding referral",
                    "lawful_basis": "Children Act 1989 s.17",
                    "consent": "given",
                }
            )
