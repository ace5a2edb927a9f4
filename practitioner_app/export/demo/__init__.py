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
from practitioner_app.export.demo.records import (
    HEAVY,
    NEEDS,
    SAFEGUARDING,
    UNIVERSAL,
    Draw,
    Ids,
    Need,
    child_records,
)
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
    need_of: dict[str, Need] = {}
    names: set[str] = set()
    for household in range(households):
        members = family_of.count(household)
        if members:
            need = rng.choices([n for n, _ in NEEDS], [share for _, share in NEEDS])[0]
            if household == 0 and children >= 50:
                need = SAFEGUARDING  # the heavy child's family
            for child_id in _household(bundle, draw, members, years, gp, nhs, need, names):
                need_of[child_id] = need
    if children >= 50:  # the heavy child is known to services for the whole period
        bundle["children"][0]["date_of_birth"] = (draw.start - timedelta(days=400)).isoformat()
    for child in bundle["children"]:
        heavy = child is bundle["children"][0] and children >= 50
        child_records(bundle, child, draw, HEAVY if heavy else need_of[child["id"]])
    return bundle


def _full_name(given: str, family: str) -> str:
    return f"{given} {family}"


def _household(
    bundle: dict[str, Any],
    draw: Draw,
    members: int,
    years: int,
    gp: dict[str, Any],
    nhs: Iterator[str],
    need: Need,
    names: set[str],
) -> list[str]:
    """A family at one address: its children, their mother, and sometimes a partner who moved in
    recently and a social worker; returns the children's ids. No two children on the caseload
    share a full name while the name lists last (siblings never do); given names match the
    child's sex, and family names take the form for it."""
    rng = draw.rng
    # About four families in ten English-speaking, the rest in five other languages.
    culture = rng.choices(list(GIVEN), [4 if c == "english" else 1.2 for c in GIVEN])[0]
    surnames = FAMILY[culture]
    family = rng.choice(surnames)

    # A family name whose children's names are all taken already gives way to the one with
    # the most names still free.
    def free(family: tuple[str, str]) -> int:
        return sum(
            _full_name(given, family[1 if sex == "female" else 0]) not in names
            for sex in ("female", "male")
            for given in GIVEN[culture][sex]
        )

    if free(family) < 2 * members:
        family = max(surnames, key=free)
    address = f"{rng.randint(1, 140)} {rng.choice(STREETS)}, Northshire"
    child_ids = []
    for _ in range(members):
        born = draw.start + timedelta(days=rng.randint(-365 * 4, 365 * years - 30))
        sex = rng.choice(["female", "male"])
        surname = family[1] if sex == "female" else family[0]
        choices = [g for g in GIVEN[culture][sex] if _full_name(g, surname) not in names]
        given = rng.choice(choices or GIVEN[culture][sex])
        names.add(_full_name(given, surname))
        child_id = draw.ids("c")
        child_ids.append(child_id)
        bundle["children"].append(
            {
                "id": child_id,
                "given_name": given,
                "family_name": surname,
                "date_of_birth": born.isoformat(),
                "sex": sex,
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
    children_given = {child["given_name"] for child in bundle["children"][-members:]}
    mother_given = rng.choice(
        [g for g in GIVEN[culture]["female"] if g not in children_given] or GIVEN[culture]["female"]
    )
    mother = {
        "id": draw.ids("p"),
        "name": f"{mother_given} {family[1]}",
        "relationship": "mother",
        "child_ids": child_ids,
        "lives_with_child": True,
        "parental_responsibility": True,
        "date_of_birth": (draw.start - timedelta(days=rng.randint(20 * 365, 38 * 365))).isoformat(),
        "checks": "Health records reviewed.",
    }
    bundle["people"].append(mother)
    if rng.random() < 0.3:
        # A new partner who moved in recently: checked already in a family with few needs, not
        # yet where there are concerns.
        moved_in = draw.end - timedelta(days=rng.randint(10, 200))
        partner: dict[str, Any] = {
            "id": draw.ids("p"),
            "name": "Unknown male (partner)",
            "relationship": "mother's partner",
            "child_ids": child_ids,
            "lives_with_child": True,
            "from": moved_in.isoformat(),
        }
        if need is UNIVERSAL:
            partner["name"] = f"{rng.choice(GIVEN[culture]['male'])} {rng.choice(surnames)[0]}"
            partner["checks"] = "Health records reviewed; no concerns known."
        bundle["people"].append(partner)
    if need is not UNIVERSAL and rng.random() < (0.7 if need is SAFEGUARDING else 0.25):
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
    return child_ids
