"""The benchmark's large workloads are cut into bundles of whole households, each under the
import limit (tests/bench_workload.py): the parts hold exactly the records of the one bundle,
and import, one after another, through the real service into a real vault. No timings here."""

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.export import bundle as fmt
from practitioner_app.services import bundles, caseload
from practitioner_app.services.workspace import Workspace
from tests import bench_workload

CHILDREN = 20
PARTS = 3


@pytest.fixture(scope="module")
def whole_and_parts() -> tuple[fmt.Bundle, list[bytes]]:
    whole = bench_workload.generate(CHILDREN, 1)
    parts = bench_workload.generate(CHILDREN, PARTS)
    return fmt.parse(whole[0]).bundle, parts


def records(bundle: fmt.Bundle) -> dict[str, dict[str, dict[str, Any]]]:
    """Every record list of `bundle`, by record id, each record as its fields."""
    return {
        name: {record.id: record.model_dump() for record in getattr(bundle, name) or []}
        for name in fmt.record_lists()
    }


def test_the_parts_together_hold_exactly_the_records_of_the_whole_bundle(
    whole_and_parts: tuple[fmt.Bundle, list[bytes]],
) -> None:
    whole, parts = whole_and_parts
    expected = records(whole)
    pieces = [records(fmt.parse(part).bundle) for part in parts]
    assert len(pieces) == PARTS
    for name, by_id in expected.items():
        counted = Counter(record_id for piece in pieces for record_id in piece[name])
        if name == "professionals":
            # Named in each part that has some of its children, with just those children.
            assert set(counted) == set(by_id)
            for record_id, record in by_id.items():
                copies = [piece[name][record_id] for piece in pieces if record_id in piece[name]]
                named = [child for copy in copies for child in copy["child_ids"]]
                assert sorted(named) == sorted(record["child_ids"])
                assert all(
                    {**copy, "child_ids": None} == {**record, "child_ids": None} for copy in copies
                )
        else:
            assert counted == Counter(list(by_id)), name  # every record once, in one part
            for piece in pieces:
                for record_id, record in piece[name].items():
                    assert record == by_id[record_id], (name, record_id)
    # The heavy child's family is in the first part, and every part has children.
    assert whole.children[0].id in pieces[0]["children"]
    assert all(piece["children"] for piece in pieces)


def test_a_part_names_only_its_own_children_so_households_stay_together(
    whole_and_parts: tuple[fmt.Bundle, list[bytes]],
) -> None:
    _, parts = whole_and_parts
    for part in parts:
        bundle = fmt.parse(part).bundle
        own = {child.id for child in bundle.children}
        held = {record.id for name in fmt.record_lists() for record in getattr(bundle, name) or []}
        for name in fmt.record_lists():
            for record in getattr(bundle, name) or []:
                if name == "children":
                    continue
                if hasattr(record, "child_ids") or hasattr(record, "child_id"):
                    named = getattr(record, "child_ids", None) or [record.child_id]
                    assert set(named) <= own, (name, record.id)
                else:  # a status change or amendment: of a record in the same part
                    target = getattr(record, "concern_id", None) or record.target_id
                    assert target in held, (name, record.id)


def test_each_part_is_under_the_import_limit_and_imports_into_a_real_vault(
    whole_and_parts: tuple[fmt.Bundle, list[bytes]],
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole, parts = whole_and_parts
    # A limit the whole bundle passes and each part keeps, as at 4,000 children and 512 MB.
    limit = max(len(part) for part in parts)
    monkeypatch.setattr(fmt, "MAX_BUNDLE_BYTES", limit)
    whole_bytes = fmt.serialise(whole)
    assert len(whole_bytes) > limit
    with pytest.raises(InvalidInput, match="split it by child"):
        bundles.import_bundle(workspace, whole_bytes)

    added: Counter[str] = Counter()
    for part in parts:
        added.update(bundles.import_bundle(workspace, part).added)
    expected = {name: len(by_id) for name, by_id in records(whole).items() if by_id}
    # The GP is added with the first part and found already present (and linked) after it.
    assert dict(added) == expected
    shown = {row.id for row in caseload.list_children(workspace)}
    assert shown == {child.id for child in whole.children}


def test_the_cache_names_say_the_size_part_and_generator(tmp_path: Path) -> None:
    version = bench_workload.generator_version()
    (one,) = bench_workload.part_paths(400, tmp_path)
    assert one.name == f"workload-400c-5y-seed1-2026-11-23-gen{version}.json"
    parts = bench_workload.part_paths(4000, tmp_path)
    assert [path.name for path in parts] == [
        f"workload-4000c-5y-seed1-2026-11-23-gen{version}-part{n}of3.json" for n in (1, 2, 3)
    ]
    assert len(bench_workload.part_paths(1600, tmp_path)) == 1


def test_growth_per_10x_children_is_the_factor_a_tenfold_caseload_would_cost() -> None:
    from tests.bench import growth

    def sized(seconds: float, rows: int) -> list[dict[str, Any]]:
        return [
            {"measure": "in step", "ours_s": seconds},
            {"measure": "squared", "ours_ms": seconds**2},
            {"measure": "flat", "ours_mb": 300},
            {"measure": "rows", "ours_rows": rows},
        ]

    table = {
        row["measure"]: row
        for row in growth({400: sized(1.0, 1000), 1600: sized(4.0, 4000), 4000: sized(10.0, 10000)})
    }
    assert table["in step"]["per_10x"] == pytest.approx(10)
    assert table["in step"]["steps"] == [pytest.approx(10), pytest.approx(10)]
    assert table["squared"]["per_10x"] == pytest.approx(100)
    assert table["squared"]["unit"] == "ms"
    assert table["flat"]["per_10x"] == pytest.approx(1)
    assert table["rows"]["values"] == {400: 1000, 1600: 4000, 4000: 10000}
