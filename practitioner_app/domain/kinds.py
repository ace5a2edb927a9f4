"""The kinds of record an entry can be, and everything the app needs to know about each: one place.

A kind is named once here, as a `RecordKind`, with its `KindSpec`: what the practitioner fills in
(its details dataclass), what it is called, which answers are links to other records, which fields
an amendment may correct, the list it travels in inside a case bundle (BUNDLE.md), and how it
enters a child's chronology (DOMAIN.md "The chronology"). The store names each kind's model and
link tables beside the model (store/entries.py); `tests/test_kinds.py` walks this registry and
fails when a kind lacks any of them, or a screen.

Adding a kind ("phone call") is: a member of `RecordKind`, its details dataclass, one `KindSpec`
below, its model in store/entries.py, and its migration in db/.
"""

import dataclasses
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from practitioner_app.domain.body_marks import BodyMarkDetails
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.records import (
    ChronologyEventDetails,
    ConcernDetails,
    ObservationDetails,
    ReferralDetails,
    SharingDetails,
    VisitDetails,
)


class RecordKind(StrEnum):
    """An entry's kind, by the name used in the audit chain, the CLI and bundles."""

    VISIT = "visit"
    OBSERVATION = "observation"
    CONCERN = "concern"
    CHRONOLOGY_EVENT = "chronology_event"
    REFERRAL = "referral"
    SHARING_RECORD = "sharing_record"
    BODY_MARK = "body_mark"


class InChronology(Enum):
    """How entries of a kind enter the chronology unless the practitioner chooses otherwise
    (a chronology is "not a list of everything")."""

    ALWAYS = "always"
    # Missed contacts and children not seen (DOMAIN.md); every visit is listed, these marked.
    WHEN_NOT_SEEN_OR_MISSED = "when_not_seen_or_missed"
    WHEN_MARKED_SIGNIFICANT = "when_marked_significant"
    # An injury always enters as significant unless the practitioner marks it otherwise, with a
    # reason (issue 17: a bruise on a baby missed from the chronology for want of a tick).
    WHEN_MARKED_SIGNIFICANT_OR_INJURY = "when_marked_significant_or_injury"
    # An event of low significance is listed but not counted significant.
    UNLESS_LOW_SIGNIFICANCE = "unless_low_significance"
    # A mark on a body map: an injury enters as significant, as an injury observation does; a
    # birthmark is listed but not counted significant.
    WHEN_INJURY_MARK = "when_injury_mark"


EntryDetails = (
    VisitDetails
    | ObservationDetails
    | ConcernDetails
    | ChronologyEventDetails
    | ReferralDetails
    | SharingDetails
    | BodyMarkDetails
)


@dataclass(frozen=True)
class KindSpec:
    """One kind of entry.

    `links` maps a details field holding ids of other records to the table those ids name
    ("child", "visit", "observation", "concern"); such fields are stored in link tables, not
    columns. `parts` are details fields stored as rows of their own (an observation's injury).
    `chronology_order` breaks ties between entries at the same moment: a visit comes before what
    was observed or raised at it.
    """

    kind: RecordKind
    label: str
    short_label: str
    details: type[EntryDetails]
    bundle_list: str
    links: dict[str, str]
    parts: frozenset[str]
    not_amendable: frozenset[str]
    in_chronology: InChronology
    chronology_order: int

    @property
    def words(self) -> str:
        """The kind in a sentence: "chronology event"."""
        return self.kind.value.replace("_", " ")

    @property
    def one(self) -> str:
        """One entry of the kind in a sentence: "a visit", "an observation"."""
        return ("an " if self.words[0] in "aeiou" else "a ") + self.words

    def field_names(self) -> list[str]:
        return [item.name for item in dataclasses.fields(self.details)]

    def amendable_fields(self) -> list[str]:
        """Fields a final entry of this kind may be amended in (a form's answers come on top)."""
        blocked = self.not_amendable | set(self.links) | self.parts
        return [name for name in self.field_names() if name not in blocked]


# In the order a bundle is read and written: each kind after the kinds its links name (an
# observation names its visit, a concern visits and observations, a referral concerns).
KINDS: dict[RecordKind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            RecordKind.VISIT,
            "Visit",
            "Visit",
            VisitDetails,
            bundle_list="visits",
            links={"child_ids": "child"},
            parts=frozenset(),
            not_amendable=frozenset(),
            in_chronology=InChronology.WHEN_NOT_SEEN_OR_MISSED,
            chronology_order=0,
        ),
        KindSpec(
            RecordKind.OBSERVATION,
            "Observation",
            "Observation",
            ObservationDetails,
            bundle_list="observations",
            links={},
            parts=frozenset({"injury"}),
            # Which child and which visit an observation belongs to is not a correction.
            not_amendable=frozenset({"child_id", "visit_id"}),
            in_chronology=InChronology.WHEN_MARKED_SIGNIFICANT_OR_INJURY,
            chronology_order=1,
        ),
        KindSpec(
            RecordKind.BODY_MARK,
            "Body map mark",
            "Mark",
            BodyMarkDetails,
            bundle_list="body_marks",
            links={},
            parts=frozenset(),
            # A final mark never moves (DOMAIN.md): its child, occasion, outline and site are
            # not corrections. A mark placed wrongly is amended in words, and a new one drawn.
            not_amendable=frozenset(
                {"child_id", "observation_id", "figure", "side", "x", "y", "region"}
            ),
            in_chronology=InChronology.WHEN_INJURY_MARK,
            chronology_order=6,
        ),
        KindSpec(
            RecordKind.CONCERN,
            "Concern",
            "Concern",
            ConcernDetails,
            bundle_list="concerns",
            links={"visit_ids": "visit", "observation_ids": "observation"},
            parts=frozenset(),
            not_amendable=frozenset({"child_id"}),
            in_chronology=InChronology.ALWAYS,
            chronology_order=2,
        ),
        KindSpec(
            RecordKind.CHRONOLOGY_EVENT,
            "Chronology event",
            "Event",
            ChronologyEventDetails,
            bundle_list="events",
            links={},
            parts=frozenset(),
            not_amendable=frozenset({"child_id"}),
            in_chronology=InChronology.UNLESS_LOW_SIGNIFICANCE,
            chronology_order=5,
        ),
        KindSpec(
            RecordKind.REFERRAL,
            "Referral",
            "Referral",
            ReferralDetails,
            bundle_list="referrals",
            links={"child_ids": "child", "concern_ids": "concern"},
            parts=frozenset(),
            # A form's answers are amended one by one, as `sections.<answer key>`.
            not_amendable=frozenset({"sections"}),
            in_chronology=InChronology.ALWAYS,
            chronology_order=3,
        ),
        KindSpec(
            RecordKind.SHARING_RECORD,
            "Information-sharing decision",
            "Sharing decision",
            SharingDetails,
            bundle_list="sharing",
            links={"child_ids": "child"},
            parts=frozenset(),
            # Which form went, and which version, is what happened, not a wording to correct.
            not_amendable=frozenset({"referral_id", "form_final"}),
            in_chronology=InChronology.ALWAYS,
            chronology_order=4,
        ),
    )
}

_BY_DETAILS: dict[type[Any], KindSpec] = {spec.details: spec for spec in KINDS.values()}


def spec(kind: str) -> KindSpec:
    """The registry entry for a kind given by name (CLI, audit chain) or as a `RecordKind`;
    `InvalidInput` naming the kinds for a name that is none."""
    return KINDS[parse_kind(kind)]


def kind_of(details: EntryDetails) -> RecordKind:
    """The kind of entry a details value records."""
    return _BY_DETAILS[type(details)].kind


def parse_kind(name: str) -> RecordKind:
    """A kind given by name (CLI, bundle, audit), or a sentence naming the kinds there are."""
    try:
        return RecordKind(name)
    except ValueError:
        raise InvalidInput(
            f"'{name}' is not a kind of entry; use one of {', '.join(RecordKind)}."
        ) from None
