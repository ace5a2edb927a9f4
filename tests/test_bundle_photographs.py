"""Photographs travel in bundles (issue 20 items 5 and 6): base64 with their SHA-256, checked on
import; final with their record, sealed in the receiving vault; amendments about them travel too;
a changed, hostile or orphaned photograph is named and nothing is imported."""

import base64
import copy
import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.services import bundles, integrity, photographs, records
from practitioner_app.services.workspace import Workspace, create_vault, open_vault
from tests import photos
from tests.conftest import PASSPHRASE, PROFILE


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bytes, str, str, bytes]]:
    """(bundle, observation id, photograph id, kept bytes): a final observation with one
    photograph and an amendment saying it is wrong, exported from a vault of its own."""
    ws, _ = create_vault(tmp_path_factory.mktemp("sender") / "vault", PASSPHRASE, PROFILE)
    try:
        photographs.set_photographs_allowed(ws, True)
        _, observation = photos.injury_observation(ws)
        kept = photographs.attach(ws, "observation", observation, photos.jpeg(gps=True)).photograph
        records.finalise(ws, "observation", observation)
        records.amend(
            ws, "observation", observation, kept.amendment_field, "Wrong arm.", "Mislabelled."
        )
        _, data = photographs.photograph_data(ws, kept.id)
        yield bundles.export_bundle(ws), observation, kept.id, data
    finally:
        ws.lock()


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws, _ = create_vault(tmp_path_factory.mktemp("receiver") / "vault", PASSPHRASE, PROFILE)
    ws.lock()
    return ws.vault.paths.root


def _fresh(receiver: Path, tmp_path: Path) -> Workspace:
    copy_root = tmp_path / "copy"
    shutil.copytree(receiver, copy_root)
    return open_vault(copy_root, PASSPHRASE)


def test_the_bundle_carries_the_photograph_in_base64_with_its_hash(
    sent: tuple[bytes, str, str, bytes],
) -> None:
    data, observation, photo_id, kept = sent
    document = json.loads(data)
    [photo] = document["photographs"]
    assert photo["id"] == photo_id
    assert photo["owner_id"] == observation
    assert photo["status"] == "final"
    assert base64.b64decode(photo["data"]) == kept
    assert photo["sha256"] == hashlib.sha256(kept).hexdigest()
    assert photo["location_removed"] is True
    assert [a["field"] for a in document["amendments"]] == [f"photograph.{photo_id}"]


def test_a_photograph_arrives_whole_final_sealed_with_its_amendment(
    sent: tuple[bytes, str, str, bytes], receiver: Path, tmp_path: Path
) -> None:
    data, observation, photo_id, kept = sent
    ws = _fresh(receiver, tmp_path)
    try:
        report = bundles.import_bundle(ws, data)
        assert report.added["photographs"] == 1
        [arrived] = photographs.photographs_of(ws, "observation", observation)
        assert arrived.final
        assert arrived.imported is not None
        assert photographs.photograph_data(ws, photo_id)[1] == kept
        view = records.get_entry(ws, "observation", observation)
        assert [a.field for a in view.amendments] == [f"photograph.{photo_id}"]
        assert integrity.verify(ws).findings == ()
        again = bundles.import_bundle(ws, data)
        assert again.already_present["photographs"] == 1
    finally:
        ws.lock()


def _altered(data: bytes, change: Any) -> bytes:
    document = json.loads(data)
    changed = copy.deepcopy(document)
    change(changed)
    return json.dumps(changed).encode("utf-8")


def _swap_bytes(document: dict[str, Any]) -> None:
    document["photographs"][0]["data"] = base64.b64encode(photos.jpeg()).decode()


def _gps_back(document: dict[str, Any]) -> None:
    raw = photos.jpeg(gps=True)
    document["photographs"][0]["data"] = base64.b64encode(raw).decode()
    document["photographs"][0]["sha256"] = hashlib.sha256(raw).hexdigest()


def _not_an_image(document: dict[str, Any]) -> None:
    raw = b"<html>not a picture</html>"
    document["photographs"][0]["data"] = base64.b64encode(raw).decode()
    document["photographs"][0]["sha256"] = hashlib.sha256(raw).hexdigest()


def _orphan(document: dict[str, Any]) -> None:
    document["photographs"][0]["owner_id"] = "00000000-0000-4000-8000-000000000000"
    document["amendments"] = None


def _not_base64(document: dict[str, Any]) -> None:
    document["photographs"][0]["data"] = "!!!! not base64 !!!!"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (_swap_bytes, "photographs[0].sha256: the photograph's bytes do not match its SHA-256"),
        (_gps_back, "photographs[0].data: the picture still carries hidden details"),
        (_not_an_image, "photographs[0].data: This file is not a JPEG or PNG photograph"),
        (_orphan, "photographs[0].owner_id"),
        (_not_base64, "photographs[0].data: not base64"),
    ],
    ids=["changed-bytes", "gps", "not-an-image", "orphan", "not-base64"],
)
def test_a_hostile_photograph_is_named_and_nothing_is_imported(
    sent: tuple[bytes, str, str, bytes],
    receiver: Path,
    tmp_path: Path,
    change: Any,
    says: str,
) -> None:
    data, observation, _, _ = sent
    ws = _fresh(receiver, tmp_path)
    try:
        with pytest.raises(InvalidInput) as refused:
            bundles.import_bundle(ws, _altered(data, change))
        assert says in refused.value.message
        assert photographs.photographs_of(ws, "observation", observation) == []
        with pytest.raises(InvalidInput):
            records.get_entry(ws, "observation", observation)
    finally:
        ws.lock()
