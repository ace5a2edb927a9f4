"""Body map outlines (infant and older child, front and back) and their named regions: one
definition drawn on screen (QPainterPath) and in PDFs (ReportLab paths) alike.

Geometry is in figure units: a box 100 wide and 200 tall, x to the right and y downwards, as the
viewer sees the figure. In the front view the child's right side is on the viewer's left (x < 50);
in the back view it is on the viewer's right. A figure is one silhouette traced through named
points (the right half as the viewer sees it, mirrored), a head and two ears; each region is a
polygon through the same points, so the outline and its regions cannot drift apart.

A path is a list of commands: ("M", x, y) move, ("L", x, y) line, ("C", x1, y1, x2, y2, x, y)
cubic Bézier, ("Z",) close. The silhouette is smoothed through its points (Catmull-Rom as cubic
Béziers), so the curve passes through every point the regions use.

DOMAIN.md "Growth, body maps and photographs": front and back outlines (infant and older child);
one map per occasion, never redrawn; each mark records the exact site.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from practitioner_app.domain.errors import InvalidInput

WIDTH = 100.0
HEIGHT = 200.0
CENTRE = WIDTH / 2

Point = tuple[float, float]
PathCommand = tuple[str, ...] | tuple[str | float, ...]


class BodyFigure(StrEnum):
    """Which outline: a baby's proportions (big head, short limbs) or an older child's."""

    INFANT = "infant"
    CHILD = "child"


class BodySide(StrEnum):
    FRONT = "front"
    BACK = "back"


# An infant outline to this age (in whole years); an older child's from it.
INFANT_UNTIL_YEARS = 2

FIGURE_LABELS = {BodyFigure.INFANT: "Infant", BodyFigure.CHILD: "Older child"}
SIDE_LABELS = {BodySide.FRONT: "Front", BodySide.BACK: "Back"}


# The right half of each silhouette as the viewer sees it, from the neck round the arm and the leg
# to the crotch on the centre line. Names let the regions below reuse the very same points.
_HALF_NAMES = (
    "neck_top",
    "neck_base",
    "shoulder",
    "shoulder_round",
    "arm_out",
    "elbow_out",
    "forearm_out",
    "wrist_out",
    "hand_out",
    "fingertip",
    "hand_in",
    "wrist_in",
    "forearm_in",
    "elbow_in",
    "armpit",
    "waist",
    "hip",
    "thigh_out",
    "knee_out",
    "calf_out",
    "ankle_out",
    "foot_out",
    "toe",
    "foot_in",
    "ankle_in",
    "calf_in",
    "knee_in",
    "thigh_in",
    "crotch",
)


@dataclass(frozen=True)
class _Shape:
    head: tuple[float, float, float, float]  # centre x, centre y, radius x, radius y
    ear: tuple[float, float]  # radius x, radius y (centred on the head's side)
    half: dict[str, Point]
    navel_y: float


def _shape(head: tuple[float, float, float, float], ear: Point, points: Sequence[Point]) -> _Shape:
    half = dict(zip(_HALF_NAMES, points, strict=True))
    return _Shape(head, ear, half, navel_y=(half["armpit"][1] + half["hip"][1]) / 2 + 4)


_SHAPES: dict[BodyFigure, _Shape] = {
    # About six to eight years old: the head is a sixth of the height.
    BodyFigure.CHILD: _shape(
        (50, 16, 11, 13),
        (2.2, 4.5),
        (
            (55.5, 27),
            (56, 33),
            (67, 37),
            (72.5, 43),
            (75, 60),
            (77, 76),
            (79, 92),
            (80, 102),
            (82.5, 110),
            (79.5, 118.5),
            (74, 114),
            (73, 103),
            (71, 90),
            (69, 76),
            (66, 56),
            (63, 80),
            (65.5, 97),
            (64.5, 120),
            (62, 145),
            (62.5, 160),
            (59.5, 182),
            (62, 192),
            (57.5, 197.5),
            (52.5, 194.5),
            (52.5, 182),
            (52.5, 160),
            (53, 145),
            (52, 122),
            (50, 111),
        ),
    ),
    # A baby: the head is a quarter of the length, the limbs short and round.
    BodyFigure.INFANT: _shape(
        (50, 26, 19, 22),
        (3.0, 6.0),
        (
            (57, 45),
            (57.5, 51),
            (70, 55),
            (76, 61),
            (80, 73),
            (83.5, 87),
            (86, 98),
            (87, 106),
            (90, 113),
            (87, 122),
            (81, 118.5),
            (80, 107),
            (78, 98),
            (75, 88),
            (70, 72),
            (69.5, 96),
            (68.5, 113),
            (70, 131),
            (68.5, 148),
            (67.5, 160),
            (64.5, 176),
            (67.5, 186),
            (62.5, 192.5),
            (54.5, 189),
            (54, 176),
            (53.5, 160),
            (53, 148),
            (52.5, 133),
            (50, 122),
        ),
    ),
}


def _mirror(point: Point) -> Point:
    return (WIDTH - point[0], point[1])


def _silhouette(shape: _Shape) -> list[Point]:
    """The whole silhouette, clockwise on screen: the right half, then the left mirrored."""
    right = [shape.half[name] for name in _HALF_NAMES]
    return right + [_mirror(p) for p in reversed(right[:-1])]


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> list[PathCommand]:
    """An ellipse as four cubic arcs (the usual 0.5523 handle length)."""
    k = 0.5523
    return [
        ("M", cx + rx, cy),
        ("C", cx + rx, cy + k * ry, cx + k * rx, cy + ry, cx, cy + ry),
        ("C", cx - k * rx, cy + ry, cx - rx, cy + k * ry, cx - rx, cy),
        ("C", cx - rx, cy - k * ry, cx - k * rx, cy - ry, cx, cy - ry),
        ("C", cx + k * rx, cy - ry, cx + rx, cy - k * ry, cx + rx, cy),
        ("Z",),
    ]


def _smooth_closed(points: Sequence[Point]) -> list[PathCommand]:
    """A closed curve through every point (Catmull-Rom, as cubic Béziers)."""
    n = len(points)
    commands: list[PathCommand] = [("M", *points[0])]
    for i in range(n):
        p0, p1, p2, p3 = (points[(i + j) % n] for j in (-1, 0, 1, 2))
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        commands.append(("C", *c1, *c2, *p2))
    commands.append(("Z",))
    return commands


def _ellipse_points(cx: float, cy: float, rx: float, ry: float, steps: int = 24) -> list[Point]:
    return [
        (cx + rx * math.cos(2 * math.pi * i / steps), cy + ry * math.sin(2 * math.pi * i / steps))
        for i in range(steps)
    ]


@dataclass(frozen=True)
class Region:
    """A named part of the body on one view: `key` is stored with a mark ("left_forearm"),
    `label` is what people read ("Left forearm"), `anchor` where the keyboard places a mark."""

    key: str
    label: str
    polygon: tuple[Point, ...]
    anchor: Point


@dataclass(frozen=True)
class Outline:
    """One view of one figure: the outline's paths, lighter detail strokes (navel, spine) and
    the regions in the order a keyboard list offers them (head to feet)."""

    figure: BodyFigure
    side: BodySide
    paths: tuple[tuple[PathCommand, ...], ...]  # closed subpaths, each filled then stroked in turn
    details: tuple[PathCommand, ...]  # open strokes drawn lighter
    regions: tuple[Region, ...]
    silhouette: tuple[Point, ...]
    head: tuple[float, float, float, float]
    ears: tuple[tuple[float, float, float, float], ...]

    def region(self, key: str) -> Region:
        """The region stored as `key`, or a sentence naming the view's regions."""
        for region in self.regions:
            if region.key == key:
                return region
        raise InvalidInput(
            f"'{key[:60]}' is not a region of the {self.side.value} of the "
            f"{FIGURE_LABELS[self.figure].lower()} body map; choose one from the list of regions.",
            "region",
        )

    def contains(self, x: float, y: float) -> bool:
        """Whether a point is on the body (inside the silhouette, the head or an ear)."""
        if _inside(self.silhouette, x, y):
            return True
        return any(_in_ellipse(ellipse, x, y) for ellipse in (self.head, *self.ears))

    def region_at(self, x: float, y: float) -> Region | None:
        """The region a point on the body falls in (the first listed that holds it; a point on
        the body between polygons takes the nearest region's anchor); None off the body."""
        if not (math.isfinite(x) and math.isfinite(y)) or not self.contains(x, y):
            return None
        for region in self.regions:
            if _inside(region.polygon, x, y):
                return region
        return min(self.regions, key=lambda r: math.dist(r.anchor, (x, y)))


def _in_ellipse(ellipse: tuple[float, float, float, float], x: float, y: float) -> bool:
    cx, cy, rx, ry = ellipse
    return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0


def _inside(polygon: Sequence[Point], x: float, y: float) -> bool:
    """Even-odd point in polygon (a point on an edge may fall either way)."""
    inside = False
    n = len(polygon)
    for i in range(n):
        (x1, y1), (x2, y2) = polygon[i], polygon[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _centroid(polygon: Sequence[Point]) -> Point:
    """The area centroid (inside for the convex-ish regions here)."""
    area = cx = cy = 0.0
    n = len(polygon)
    for i in range(n):
        (x1, y1), (x2, y2) = polygon[i], polygon[(i + 1) % n]
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:
        return polygon[0]
    return (round(cx / (3 * area), 2), round(cy / (3 * area), 2))


def _words(key: str) -> str:
    return key.replace("_", " ").capitalize()


def _regions(shape: _Shape, side: BodySide) -> tuple[Region, ...]:
    h = shape.half
    cx, cy, rx, ry = shape.head

    def centre(name: str) -> Point:
        return (CENTRE, h[name][1])

    # Halves of the trunk, from the centre line out and back.
    upper = [centre("neck_base"), h["neck_base"], h["shoulder"], h["armpit"], centre("armpit")]
    middle = [centre("armpit"), h["armpit"], h["waist"], h["hip"], centre("hip")]
    crotch_side = (h["hip"][0] - 3, h["thigh_in"][1])
    lower = [centre("hip"), h["hip"], crotch_side, h["thigh_in"], h["crotch"]]
    limbs = {
        "upper_arm": [
            h["shoulder"],
            h["shoulder_round"],
            h["arm_out"],
            h["elbow_out"],
            h["elbow_in"],
            h["armpit"],
        ],
        "forearm": [
            h["elbow_out"],
            h["forearm_out"],
            h["wrist_out"],
            h["wrist_in"],
            h["forearm_in"],
            h["elbow_in"],
        ],
        "hand": [h["wrist_out"], h["hand_out"], h["fingertip"], h["hand_in"], h["wrist_in"]],
        "thigh": [
            h["hip"],
            h["thigh_out"],
            h["knee_out"],
            h["knee_in"],
            h["thigh_in"],
            crotch_side,
        ],
        "lower_leg": [
            h["knee_out"],
            h["calf_out"],
            h["ankle_out"],
            h["ankle_in"],
            h["calf_in"],
            h["knee_in"],
        ],
        "foot": [h["ankle_out"], h["foot_out"], h["toe"], h["foot_in"], h["ankle_in"]],
    }
    neck = [
        _mirror(h["neck_top"]),
        h["neck_top"],
        h["neck_base"],
        _mirror(h["neck_base"]),
    ]
    # The viewer's right half is the child's left from the front, the child's right from behind.
    viewer_right, viewer_left = ("left", "right") if side is BodySide.FRONT else ("right", "left")

    def both(name: str, half: list[Point], back_name: str | None = None) -> list[Region]:
        label = back_name if side is BodySide.BACK and back_name else name
        made = []
        for who, polygon in (
            (viewer_left, [_mirror(p) for p in reversed(half)]),
            (viewer_right, half),
        ):
            key = f"{who}_{label}"
            made.append(Region(key, _words(key), tuple(polygon), _centroid(polygon)))
        return made

    def whole(key: str, half: list[Point], anchor: Point | None = None) -> Region:
        # A half that runs from the centre line out and back, joined to its mirror image.
        polygon = half + [_mirror(p) for p in reversed(half)]
        return Region(key, _words(key), tuple(polygon), anchor or _centroid(polygon))

    ear_l, ear_r = (cx - rx, cy), (cx + rx, cy)
    erx, ery = shape.ear
    ears = [
        Region(
            f"{who}_ear",
            f"{who.capitalize()} ear",
            tuple(_ellipse_points(ex, ey, erx + 0.8, ery + 0.8, 12)),
            (ex, ey),
        )
        for who, (ex, ey) in ((viewer_left, ear_l), (viewer_right, ear_r))
    ]
    head_polygon = tuple(_ellipse_points(cx, cy, rx, ry))
    regions: list[Region] = [*ears]
    if side is BodySide.FRONT:
        regions.append(Region("face_and_head", "Face and head", head_polygon, (cx, cy)))
        regions.append(Region("neck", "Neck", tuple(neck), _centroid(neck)))
        regions += both("chest", upper)
        regions.append(whole("abdomen", middle))
        # The centroid of the nappy area falls in the notch between the legs; above it instead.
        groin = (CENTRE, (h["hip"][1] + h["crotch"][1]) / 2)
        regions.append(whole("genital_area", lower, groin))
    else:
        regions.append(Region("back_of_head", "Back of head", head_polygon, (cx, cy)))
        regions.append(Region("back_of_neck", "Back of neck", tuple(neck), _centroid(neck)))
        regions += both("upper_back", upper)
        regions.append(whole("lower_back", middle))
        regions += both("buttock", lower)
    for name in ("upper_arm", "forearm", "hand", "thigh", "lower_leg", "foot"):
        regions += both(name, limbs[name])
    return tuple(regions)


def _details(shape: _Shape, side: BodySide) -> tuple[PathCommand, ...]:
    """Light strokes that tell front from back at a glance: a navel and the line of the hips in
    front; the spine and the cleft of the buttocks behind."""
    h = shape.half
    if side is BodySide.FRONT:
        n = shape.navel_y
        return (*_ellipse(CENTRE, n, 1.1, 1.1),)
    crotch_y = h["crotch"][1]
    return (
        ("M", CENTRE, h["neck_base"][1] + 3),
        ("L", CENTRE, h["hip"][1] - 2),
        ("M", CENTRE, h["hip"][1] + 1),
        ("L", CENTRE, crotch_y - 1),
    )


@cache
def outline(figure: BodyFigure, side: BodySide) -> Outline:
    """The outline of one view of one figure (the same object each time it is asked for)."""
    shape = _SHAPES[BodyFigure(figure)]
    side = BodySide(side)
    cx, cy, rx, ry = shape.head
    erx, ery = shape.ear
    ears = ((cx - rx, cy, erx, ery), (cx + rx, cy, erx, ery))
    silhouette = _silhouette(shape)
    # Drawn in this order, each filled: the head hides the inner half of the ears, and the body
    # the chin line inside the neck.
    paths = (
        tuple(_ellipse(*ears[0])),
        tuple(_ellipse(*ears[1])),
        tuple(_ellipse(cx, cy, rx, ry)),
        tuple(_smooth_closed(silhouette)),
    )
    return Outline(
        figure=BodyFigure(figure),
        side=side,
        paths=paths,
        details=_details(shape, side),
        regions=_regions(shape, side),
        silhouette=tuple(silhouette),
        head=shape.head,
        ears=ears,
    )


def figure_for_age(years: int | None) -> BodyFigure:
    """The outline a child's age suggests: an infant's under INFANT_UNTIL_YEARS (and when the age
    is not known, as health visiting sees babies most)."""
    if years is None or years < INFANT_UNTIL_YEARS:
        return BodyFigure.INFANT
    return BodyFigure.CHILD


def region_label(figure: BodyFigure, side: BodySide, key: str) -> str:
    """What people read for a stored region key, with the view: "Left forearm (back)"."""
    try:
        label = outline(figure, side).region(key).label
    except InvalidInput:
        label = _words(key)
    return f"{label} ({SIDE_LABELS[BodySide(side)].lower()})"
