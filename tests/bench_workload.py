"""The workload of `make bench` (PERFORMANCE.md): the demo caseload at a given number of
children, generated deterministically from a seed and cached in .bench-cache/.

At 4,000 children the caseload as one bundle would pass the app's import limit
(MAX_BUNDLE_BYTES, export/bundle_v1.py), which the app keeps. So a large caseload is cut into
parts of whole households (no record links two parts, except that a professional such as the GP
is named, with that part's children, in every part that has some of them), and each part is a
valid format 2 bundle under the limit, imported through the same service one after another, as a
practitioner would import a caseload split by child. Up to PART_CHILDREN children stay one bundle,
so the 400- and 1,600-child figures are of one import.
"""

import hashlib
import math
from datetime import date
from pathlib import Path
from typing import Any

from practitioner_app.export import bundle as fmt
from practitioner_app.export import demo
from practitioner_app.services.demo import as_format_2

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench-cache"
# Fixed end date, so the cached workload stays the same from run to run.
WORKLOAD_UNTIL = date(2026, 11, 23)
WORKLOAD = {"children": 400, "years": 5, "seed": 1, "until": WORKLOAD_UNTIL}
# At most this many children in one bundle: about 250 kB of bundle a child (385 MB at 1,600),
# so a part stays well under the 512 MB limit, the heavy child's part too.
PART_CHILDREN = 1600
# The generator's own source: a workload cached by an older generator is not this one's.
GENERATOR = [
    *sorted((ROOT / "practitioner_app" / "export" / "demo").glob("*.py")),
    ROOT / "practitioner_app" / "services" / "demo.py",
]
# People and entries keep their children in one part; professionals are named in every part.
SHARED = "professionals"


def workload(children: int) -> dict[str, Any]:
    return {**WORKLOAD, "children": children}


def generator_version() -> str:
    """The first 8 hex digits of a SHA-256 over the generator's source files."""
    digest = hashlib.sha256()
    for path in GENERATOR:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]


def parts_for(children: int, per_part: int = PART_CHILDREN) -> int:
    return max(1, math.ceil(children / per_part))


def part_paths(children: int, cache: Path = CACHE) -> list[Path]:
    """Where the workload of `children` children is cached: one file, or one a part, each
    named by its size, years, seed, end date and generator (and part)."""
    stem = "workload-{children}c-{years}y-seed{seed}-{until}".format(**workload(children))
    stem += f"-gen{generator_version()}"
    count = parts_for(children)
    if count == 1:
        return [cache / f"{stem}.json"]
    return [cache / f"{stem}-part{n}of{count}.json" for n in range(1, count + 1)]


def workload_parts(children: int, cache: Path = CACHE) -> list[Path]:
    """The cached bundle files of the workload, generated first if any is missing."""
    paths = part_paths(children, cache)
    if not all(path.exists() for path in paths):
        cache.mkdir(exist_ok=True)
        for path, data in zip(paths, generate(children, len(paths)), strict=True):
            partial = path.with_suffix(".partial")
            partial.write_bytes(data)
            partial.rename(path)  # a run stopped halfway leaves no part that looks whole
    return paths


def generate(children: int, parts: int) -> list[bytes]:
    """The demo caseload as `parts` format 2 bundles (one: exactly `practitioner-app demo`'s).

    Raises ValueError if a part would pass the import limit (use more parts)."""
    w = workload(children)
    document = demo.generate(children, w["years"], w["seed"], w["until"])
    pieces = [document] if parts == 1 else split_households(document, parts)
    out = []
    for piece in pieces:
        data = as_format_2(piece)
        if len(data) > fmt.MAX_BUNDLE_BYTES:
            raise ValueError(
                f"A part of the {children}-child workload is {len(data) / 1e6:.0f} MB, over the "
                f"import limit; lower PART_CHILDREN in tests/bench_workload.py."
            )
        out.append(data)
    return out


def _children_of(record: dict[str, Any]) -> list[str]:
    if "child_ids" in record:
        return list(record["child_ids"])
    if "child_id" in record:
        return [record["child_id"]]
    return []


def record_lists(document: dict[str, Any]) -> list[str]:
    return [name for name, value in document.items() if isinstance(value, list)]


def split_households(document: dict[str, Any], parts: int) -> list[dict[str, Any]]:
    """`document` (demo.generate's shape) cut into `parts` documents of whole households, about
    the same number of children each, every list in its original order.

    A household is the children that any person or entry names together (a mother names all
    her children); each person and entry goes to the part of its children. A professional goes
    to every part with some of its children, naming only those.

    Raises ValueError for a record that names no child (it would belong to no part)."""
    parent = {child["id"]: child["id"] for child in document["children"]}

    def root(child: str) -> str:
        while parent[child] != child:
            parent[child] = parent[parent[child]]
            child = parent[child]
        return child

    lists = record_lists(document)
    for name in lists:
        if name in ("children", SHARED):
            continue
        for index, record in enumerate(document[name]):
            named = _children_of(record)
            if not named:
                raise ValueError(f"{name}[{index}] names no child, so it has no household.")
            for other in named[1:]:
                parent[root(other)] = root(named[0])
    # Households in the order of their first child; cut where the running count of children
    # passes each part's share.
    households: dict[str, list[str]] = {}
    for child in document["children"]:
        households.setdefault(root(child["id"]), []).append(child["id"])
    part_of_household: dict[str, int] = {}
    seen = 0
    total = len(document["children"])
    for household, members in households.items():
        part_of_household[household] = min(parts - 1, seen * parts // total)
        seen += len(members)
    part_of = {child: part_of_household[root(child)] for child in parent}

    out: list[dict[str, Any]] = [
        {name: value for name, value in document.items() if name not in lists}
        | {name: [] for name in lists}
        for _ in range(parts)
    ]
    for name in lists:
        for record in document[name]:
            if name == "children":
                out[part_of[record["id"]]][name].append(record)
            elif name == SHARED:
                for n, piece in enumerate(out):
                    named = record.get("child_ids") or []
                    mine = [c for c in named if part_of[c] == n]
                    if mine or (not named and n == 0):
                        piece[name].append({**record, "child_ids": mine})
            else:
                out[part_of[_children_of(record)[0]]][name].append(record)
    return out
