"""A realistic, entirely synthetic caseload, as a case bundle (deterministic for a seed and end date).

Used to try the app and to benchmark it (PERFORMANCE.md: 400 children in 250 households over five
years ≈ 150,000 records, with one "heavy" child of about 2,000 chronology items). Every name and
place is invented; NHS numbers come only from the never-issued 999 range.
"""

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from practitioner_app.domain import nhs_number
from practitioner_app.export.demo.records import Draw, Ids, child_records
from practitioner_app.export.demo.words import FAMILY, GIVEN, LANGUAGE, STREETS


def _nhs_numbers(rng: random.Random) -> Iterator[str]:
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
    practitioner = {
        "name": "Asha Patel (DEMO)",
        "role": "Health visitor",
        "agency": "Northshire Community NHS Trust",
    }
    draw = Draw(rng, Ids(), end - timedelta(days=365 * years), end, practitioner)
    nhs = _nhs_numbers(rng)
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
    households = max(1, round(children * 250 / 400))
    family_of = [i % households for i in range(children)]
    rng.shuffle(family_of)
    gp: dict[str, Any] = {
        "id": draw.ids("pro"),
        "name": "Dr Helen Okonjo",
        "role": "GP",
        "agency": "Riverside Surgery",
        "phone": "01632 960100",
        "child_ids": [],
    }
    bundle["professionals"].append(gp)
    for household in range(households):
        members = family_of.count(household)
        if members:
            _household(bundle, draw, members, years, gp, nhs)
    for index, child in enumerate(bundle["children"]):
        child_records(bundle, child, draw, heavy=index == 0 and children >= 50)
    return bundle


def _household(
    bundle: dict[str, Any],
    draw: Draw,
    members: int,
    years: int,
    gp: dict[str, Any],
    nhs: Iterator[str],
) -> None:
    """A family at one address: its children, their mother, and sometimes a partner who moved in
    recently and a social worker."""
    rng = draw.rng
    culture = rng.choice(list(GIVEN))
    surname = rng.choice(FAMILY[culture])
    address = f"{rng.randint(1, 140)} {rng.choice(STREETS)}, Northshire"
    child_ids = []
    for _ in range(members):
        born = draw.start + timedelta(days=rng.randint(-365 * 4, 365 * years - 30))
        child_id = draw.ids("c")
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
        "id": draw.ids("p"),
        "name": f"{rng.choice(GIVEN[culture])} {surname}",
        "relationship": "mother",
        "child_ids": child_ids,
        "lives_with_child": True,
        "parental_responsibility": True,
        "date_of_birth": (draw.start - timedelta(days=rng.randint(20 * 365, 38 * 365))).isoformat(),
        "checks": "Health records reviewed.",
    }
    bundle["people"].append(mother)
    if rng.random() < 0.3:  # a new partner who moved in recently, not yet checked
        moved_in = draw.end - timedelta(days=rng.randint(10, 200))
        bundle["people"].append(
            {
                "id": draw.ids("p"),
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
                "id": draw.ids("pro"),
                "name": rng.choice(["Sam Whitlock", "Priya Nair", "Tomasz Bielski"]),
                "role": "Social worker",
                "agency": "Northshire Children's Services",
                "child_ids": child_ids,
                "lead": rng.random() < 0.6,
                "email": "duty.team@northshire.example",
            }
        )
