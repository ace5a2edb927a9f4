"""Synthetic case bundles for tests: one of every record, names in several scripts.

`sample_bundle()` is format 1 (BUNDLE.md); `sample_bundle_v2()` is the same records in format 2,
as the app reads them (ids namespaced by the source, `uid`), plus an amendment, a chronology
choice and a photograph so every list of format 2 has a record.
"""

import base64
import hashlib
import io
import json
from typing import Any

from PIL import Image

from practitioner_app.domain import photographs
from practitioner_app.export import bundle as fmt

# Who exported the sample: the source its format 1 ids are namespaced by.
SAMPLE_SOURCE = "Kofi Mensah (Social worker, Northshire Children's Services)"


def uid(list_name: str, bundle_id: str) -> str:
    """The UUID a record of the format 1 sample has once imported."""
    return fmt.upgraded_id(SAMPLE_SOURCE, list_name, bundle_id)


def sample_bundle_v2() -> dict[str, Any]:
    parsed = fmt.parse(json.dumps(sample_bundle()).encode("utf-8"))
    document: dict[str, Any] = json.loads(fmt.serialise(parsed.bundle))
    vault = document["vault_id"]
    author = {"name": "Kofi Mensah", "role": "Social worker", "agency": "Northshire CSC"}
    document["amendments"] = [
        {
            "id": "0b7f3c2e-4d1a-4e8b-9c6d-2a5f1e3b7c90",
            "vault_id": vault,
            "author": author,
            "recorded_at": "2026-06-08T09:15:00+01:00",
            "target_kind": "visit",
            "target_id": uid("visits", "v1"),
            "field": "notes",
            "new_value": "Home cold; heating broken since Tuesday.",
            "reason": "Added what the mother said about the heating.",
        }
    ]
    # A bruise marked on the observation's body map (infant outline, front, left forearm).
    document["body_marks"] = [
        {
            "id": "7d3e9f2a-1b4c-4d5e-8f6a-9b0c1d2e3f4a",
            "vault_id": vault,
            "author": author,
            "recorded_at": "2026-06-08T09:10:00+01:00",
            "status": "final",
            "finalised_at": "2026-06-08T09:12:00+01:00",
            "child_id": uid("children", "c1"),
            "observation_id": uid("observations", "o1"),
            "occurred_at": "2026-06-05T10:00:00+01:00",
            "figure": "infant",
            "side": "front",
            "x": 81.51,
            "y": 96.69,
            "region": "left_forearm",
            "mark_kind": "injury",
            "description": "Bruise, fingertip-sized",
            "length_cm": 1.5,
            "colours": "Blue-purple",
            "explanation_given": "Fell against the cot",
            "explanation_by": "Mother",
        }
    ]
    document["chronology_choices"] = [
        {
            "id": "5c2d8e1f-7a3b-4c6d-8e9f-1a2b3c4d5e6f",
            "vault_id": vault,
            "author": author,
            "recorded_at": "2026-06-08T09:20:00+01:00",
            "updated_at": "2026-06-08T09:20:00+01:00",
            "child_id": uid("children", "c1"),
            "record_kind": "observation",
            "record_id": uid("observations", "o1"),
            "significant": True,
        }
    ]
    [observation] = [o for o in document["observations"] if o["id"] == uid("observations", "o1")]
    picture = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 90)).save(picture, "JPEG")
    kept = photographs.clean(picture.getvalue()).data
    document["photographs"] = [
        {
            "id": "5c81b0e4-2d7f-4a63-9e15-0f4b6a2d8c37",
            "vault_id": vault,
            "author": author,
            "recorded_at": "2026-06-08T09:10:00+01:00",
            "child_id": observation["child_id"],
            "owner_kind": "observation",
            "owner_id": observation["id"],
            "status": observation["status"],
            "finalised_at": observation.get("finalised_at"),
            "media_type": "image/jpeg",
            "sha256": hashlib.sha256(kept).hexdigest(),
            "captured_at": "2026-06-07T15:00:00+01:00",
            "attached_at": "2026-06-08T09:10:00+01:00",
            "location_removed": True,
            "device_removed": False,
            "data": base64.b64encode(kept).decode("ascii"),
        }
    ]
    document["alert_reviews"] = [
        {
            "id": "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
            "vault_id": vault,
            "author": author,
            "recorded_at": "2026-06-08T09:25:00+01:00",
            "child_id": uid("children", "c1"),
            "rule": "WAS_NOT_BROUGHT",
            "evidence": [uid("visits", "v1")],
            "outcome": "no_action",
            "note": "Both appointments rebooked by the family the same day.",
            "reviewed_at": "2026-06-08T09:25:00+01:00",
        }
    ]
    document["agency_aliases"] = [
        {
            "id": "8e2f3a4b-5c6d-4e7f-9a8b-0c1d2e3f4a5b",
            "vault_id": vault,
            "author": author,
            "recorded_at": "2026-06-08T09:30:00+01:00",
            "updated_at": "2026-06-08T09:30:00+01:00",
            "alias": "northshire csc",
            "agency": "northshire children's services",
        }
    ]
    return document


def sample_bundle() -> dict[str, Any]:
    return {
        "format": "practitioner-case-bundle",
        "version": 1,
        "exported_at": "2026-11-01T09:00:00+00:00",
        "exported_by": {
            "name": "Kofi Mensah",
            "role": "Social worker",
            "agency": "Northshire Children's Services",
        },
        "children": [
            {
                "id": "c1",
                "given_name": "Zoë",
                "family_name": "Αλεξίου",
                "other_names": ["Zoe Alexiou"],
                "date_of_birth": "2025-03-14",
                "sex": "female",
                "nhs_number": "9990000018",
                "first_language": "Greek",
                "interpreter_needed": True,
                "address": "4 Synthetic Close",
                "postcode": "ZZ1 1ZZ",
                "non_mobile": False,
            },
            {
                "id": "c2",
                "given_name": "Ілля",
                "family_name": "Коваль",
                "expected_date": "2027-01-20",
            },
        ],
        "people": [
            {
                "id": "p1",
                "name": "Eleni Alexiou",
                "relationship": "mother",
                "child_ids": ["c1", "c2"],
                "lives_with_child": True,
                "parental_responsibility": True,
                "from": "2025-03-14",
            },
            {
                "id": "p2",
                "name": "Unknown male",
                "relationship": "mother's partner",
                "child_ids": ["c1"],
                "lives_with_child": True,
                "from": "2026-09-01",
            },
        ],
        "professionals": [
            {
                "id": "pr1",
                "name": "Dr Ben Hale",
                "role": "GP",
                "agency": "Riverside Surgery",
                "phone": "01632 960000",
                "child_ids": ["c1"],
                "lead": False,
            },
        ],
        "visits": [
            {
                "id": "v1",
                "child_ids": ["c1"],
                "occurred_at": "2026-06-06T23:30",
                "kind": "home",
                "contact_type": "9_12_month",
                "planned": True,
                "outcome": "completed",
                "child_seen": True,
                "child_seen_alone": False,
                "present": ["mother", "mother's partner"],
                "child_voice": "Zoë babbled and reached for her mother.",
                "notes": "Home cold; \u0000 NUL kept.",
                "author": {
                    "name": "Asha Patel",
                    "role": "Health visitor",
                    "agency": "Northshire NHS Trust",
                },
                "recorded_at": "2026-06-08T09:00",
                "status": "final",
            },
            {
                "id": "v2",
                "child_ids": ["c1"],
                "occurred_at": "2026-07-01T10:00",
                "kind": "clinic",
                "outcome": "was_not_brought",
                "child_seen": False,
                "status": "draft",
            },
        ],
        "observations": [
            {
                "id": "o1",
                "child_id": "c1",
                "visit_id": "v1",
                "observed_at": "2026-06-06T23:30",
                "category": "injury",
                "text": "Bruise to left cheek.",
                "significant": True,
                "injury": {
                    "body_regions": ["face: left cheek"],
                    "description": "2 cm bruise",
                    "explanation_given": "Fell against cot",
                    "consistent_with_explanation": False,
                },
                "status": "final",
            },
            {
                "id": "o2",
                "child_id": "c1",
                "observed_at": "2026-06-06",
                "category": "growth",
                "text": "Weighed.",
                "measurement": {"weight_kg": 8.1, "length_cm": 71.5, "head_circumference_cm": 44.0},
            },
        ],
        "concerns": [
            {
                "id": "cn1",
                "child_id": "c1",
                "raised_at": "2026-06-07",
                "category": "physical_abuse",
                "level": "high",
                "source": "Health visiting",
                "summary": "Unexplained facial bruise",
                "status": "referred",
                "visit_ids": ["v1"],
                "observation_ids": ["o1"],
            },
            {
                "id": "cn2",
                "child_id": "c1",
                "raised_at": "2025-11-01",
                "category": "neglect",
                "level": "low",
                "source": "Nursery",
                "summary": "Often hungry",
                "status": "closed",
                "closed_at": "2026-01-15",
                "outcome": "Early help completed",
            },
        ],
        "events": [
            {
                "id": "e1",
                "child_id": "c1",
                "occurred_at": "2026-05-20",
                "date_uncertain": True,
                "source": "Northshire Police",
                "source_kind": "police",
                "kind": "police_contact",
                "event": "Domestic incident call-out; child present.",
                "significance": "high",
                "impact_on_child": "Exposed to shouting",
                "action": "Notification to children's services",
                "recorded_at": "2026-05-22T12:00",
            }
        ],
        "referrals": [
            {
                "id": "r1",
                "child_ids": ["c1"],
                "to_agency": "Northshire Children's Services front door",
                "status": "final",
                "created_at": "2026-06-07T11:00",
                "sections": {
                    "reason": "Unexplained bruise on a 15-month-old.",
                    "outcome_sought": "Strategy discussion",
                },
                "concern_ids": ["cn1"],
                "consent": {
                    "family_aware": False,
                    "consent": "not_sought",
                    "reason_not_sought": "Would place the child at risk",
                },
                "immediate_risk": False,
            }
        ],
        "sharing": [
            {
                "id": "s1",
                "child_ids": ["c1"],
                "at": "2026-06-07T11:05",
                "shared": True,
                "with_whom": "Children's services",
                "what": "Referral and chronology",
                "purpose": "Safeguarding referral",
                "lawful_basis": "Children Act 1989 s.47",
                "consent": "not_sought",
                "reason": "Risk to the child",
            }
        ],
    }
