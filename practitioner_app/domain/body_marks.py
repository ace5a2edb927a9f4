"""A mark on a body map, as the practitioner records it, and the rules it meets before it is stored.

DOMAIN.md "Growth, body maps and photographs": each mark records the exact site, size in cm,
shape, colour(s), skin broken, swelling, the explanation given and by whom, whether consistent,
date and time, and the recorder (the entry's author). A body map is the marks of one occasion:
the observation they were seen at. A final mark never moves (its site is not amendable); a
correction is an amendment.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from practitioner_app.domain.body_map import HEIGHT, WIDTH, BodyFigure, BodySide, outline
from practitioner_app.domain.errors import InvalidInput


class MarkKind(StrEnum):
    """What the mark is. An injury raises the injury alerts and enters the chronology; a
    birthmark (a Mongolian blue spot, say) is recorded so that it is not taken for a bruise."""

    INJURY = "injury"
    BIRTHMARK = "birthmark"
    SKIN_CONDITION = "skin_condition"
    OTHER = "other"


# Larger than any mark on a child's skin: a size beyond it is a unit slip (mm typed as cm).
MAX_MARK_CM = 100.0
# One field's text: a page of writing is plenty for a mark; more is a paste gone wrong.
MAX_MARK_TEXT = 4000
_TEXT_FIELDS = {
    "description": "The description",
    "shape": "The shape",
    "colours": "The colour(s)",
    "explanation_given": "The explanation given",
    "explanation_by": "Who gave the explanation",
    "seen_by": "Who saw the mark",
}


@dataclass(frozen=True)
class BodyMarkDetails:
    """One mark on one view (front or back) of the body map of an occasion.

    `x`, `y` are figure units (domain/body_map.py: 100 wide, 200 tall); `region` the key of the
    region they fall in; sizes in centimetres."""

    child_id: str
    observation_id: str  # the occasion: the observation the mark was seen at
    occurred_at: datetime
    figure: BodyFigure
    side: BodySide
    x: float
    y: float
    region: str
    mark_kind: MarkKind
    description: str
    length_cm: float | None = None
    width_cm: float | None = None
    shape: str | None = None
    colours: str | None = None
    skin_broken: bool | None = None
    swelling: bool | None = None
    explanation_given: str | None = None
    explanation_by: str | None = None
    consistent_with_explanation: bool | None = None
    seen_by: str | None = None
    time_known: bool = True

    def validate(self) -> None:
        check_site(self.figure, self.side, self.x, self.y, self.region)
        if self.description is None or not self.description.strip():
            raise InvalidInput(
                "Describe the mark (for example: bruise, scratch, burn); fill it in and save again.",
                "description",
            )
        for name, label in _TEXT_FIELDS.items():
            value = getattr(self, name)
            if value is not None and len(value) > MAX_MARK_TEXT:
                raise InvalidInput(
                    f"{label} is {len(value):,} characters long; a mark's field holds at most "
                    f"{MAX_MARK_TEXT:,}, so shorten it or put the rest in the observation.",
                    name,
                )
        for name, label in (("length_cm", "length"), ("width_cm", "width")):
            check_size(getattr(self, name), label, name)


def check_site(figure: BodyFigure, side: BodySide, x: float, y: float, region: str) -> None:
    """The mark is on the body, at a point of the region it names: one sentence otherwise."""
    try:
        view = outline(BodyFigure(figure), BodySide(side))
    except ValueError:
        raise InvalidInput(
            "A body map is an infant's or an older child's, seen from the front or the back; "
            "choose one.",
            "figure",
        ) from None
    named = view.region(region)
    if not isinstance(x, int | float) or not isinstance(y, int | float):
        raise InvalidInput("The mark's position must be two numbers; place it again.", "x")
    if not (math.isfinite(x) and math.isfinite(y)):
        raise InvalidInput(
            "The mark's position is not a number; place the mark on the body map again.", "x"
        )
    if not (0 <= x <= WIDTH and 0 <= y <= HEIGHT) or not view.contains(x, y):
        raise InvalidInput(
            "The mark is outside the outline of the body; place it on the body.", "x"
        )
    found = view.region_at(x, y)
    if found is None or found.key != named.key:
        where = found.label.lower() if found else "no region"
        raise InvalidInput(
            f"The mark is placed on the {where}, not the {named.label.lower()}; place it again "
            "or choose the region it is on.",
            "region",
        )


def check_size(value: float | None, label: str, field: str) -> None:
    """A size in cm a mark on a child can have, or one sentence naming the slip."""
    if value is None:
        return
    if not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"The mark's {label} is not a number; type it in cm.", field)
    if value <= 0:
        raise InvalidInput(
            f"The mark's {label} must be more than 0 cm; leave it blank if not measured.", field
        )
    if value > MAX_MARK_CM:
        hint = f" If you measured in mm, type {value / 10:g}." if value / 10 <= MAX_MARK_CM else ""
        raise InvalidInput(
            f"A {label} of {value:g} cm is larger than any mark on a child; check the number "
            f"(sizes are in cm).{hint}",
            field,
        )


# -- a body map as the screens and the PDFs draw it ------------------------------------------------


@dataclass(frozen=True)
class MapMark:
    """One mark as drawn: its number on the map (1, 2, ... in the order recorded) and its
    words for the key beneath."""

    number: int
    id: str
    side: BodySide
    x: float
    y: float
    region: str  # "Left forearm (back)"
    what: str  # "Injury: bruise, 2 × 1 cm, oval, blue-purple; skin not broken"
    explanation: str | None  # "Fell off the sofa (mother) — not consistent"
    draft: bool
    amended: bool


@dataclass(frozen=True)
class BodyMap:
    """The body map of one occasion: the observation's marks on one figure, front and back."""

    observation_id: str
    child_id: str
    occurred_at: datetime
    time_known: bool
    figure: BodyFigure
    recorded_by: str
    marks: tuple[MapMark, ...]


def _yes_no(value: bool | None, yes: str, no: str) -> str | None:
    return None if value is None else (yes if value else no)


def mark_summary(details: BodyMarkDetails) -> str:
    """The mark in a line: what it is, its size, shape and colours, skin and swelling."""
    kind = details.mark_kind.value.replace("_", " ").capitalize()
    parts = [f"{kind}: {details.description.strip()}"]
    if details.length_cm is not None and details.width_cm is not None:
        parts.append(f"{details.length_cm:g} × {details.width_cm:g} cm")
    elif details.length_cm is not None:
        parts.append(f"{details.length_cm:g} cm")
    parts += [p.strip() for p in (details.shape, details.colours) if p and p.strip()]
    text = ", ".join(parts)
    extra = [
        x
        for x in (
            _yes_no(details.skin_broken, "skin broken", "skin not broken"),
            _yes_no(details.swelling, "swelling", "no swelling"),
            f"seen by {details.seen_by.strip()}"
            if details.seen_by and details.seen_by.strip()
            else None,
        )
        if x
    ]
    return text + ("; " + "; ".join(extra) if extra else "")


def explanation_summary(details: BodyMarkDetails) -> str | None:
    """The explanation given, by whom, and whether consistent; None when none was given."""
    given = (details.explanation_given or "").strip()
    if not given:
        return None
    by = (details.explanation_by or "").strip()
    text = f"{given} ({by})" if by else given
    if details.consistent_with_explanation is not None:
        text += " — " + (
            "consistent with the mark"
            if details.consistent_with_explanation
            else "not consistent with the mark"
        )
    return text
