"""Memory freed by a large piece of work goes back to the operating system (memtrim.py)."""

import json
import os
import platform

import pytest

from practitioner_app import memtrim
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.services import bundles
from practitioner_app.services.workspace import Workspace
from tests.bundles import sample_bundle


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_kept_by_the_allocator_goes_back() -> None:
    # 200 MB in blocks past Python's small-object allocator, one in 16 kept: what is freed
    # lies between live blocks, where glibc keeps it for the process until it is trimmed.
    blocks = [bytes(2048) for _ in range(100_000)]
    kept = blocks[::16]
    del blocks
    before = _resident_mb()
    assert memtrim.give_back_freed_memory()
    assert before - _resident_mb() > 100
    assert len(kept) == 6250


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_an_import_gives_its_memory_back_whether_it_succeeds_or_is_refused(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    trims: list[bool] = []
    trim = memtrim.give_back_freed_memory

    def counted() -> bool:
        trims.append(trim())
        return trims[-1]

    monkeypatch.setattr(memtrim, "give_back_freed_memory", counted)
    bundles.import_bundle(workspace, json.dumps(sample_bundle()).encode())
    assert trims == [True]
    with pytest.raises(InvalidInput):
        bundles.import_bundle(workspace, b"not json")
    assert trims == [True, True]
