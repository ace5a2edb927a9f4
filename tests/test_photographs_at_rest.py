"""A photograph is kept encrypted in the vault only (issue 20 item 5, SECURITY.md promises 1 and
14): after attaching, viewing and exporting one, neither its original bytes nor the bytes kept
(cleaned), nor its thumbnail, nor their base64, are in any file in the vault folder, the temp
folder or the home folder; only in the copies the practitioner deliberately exported."""

import base64
import os
import tempfile
from pathlib import Path

import pytest

from practitioner_app.domain import photographs as rules
from practitioner_app.services import bundles, exports, photographs, records
from practitioner_app.services.workspace import open_vault_with_data_key
from tests import photos
from tests.conftest import PASSPHRASE, run_cli

ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}


def _slices(data: bytes, count: int = 6, size: int = 32) -> list[bytes]:
    """Pieces of `data` from its middle: a noise photograph's compressed bytes, found nowhere else."""
    middle = len(data) // 4
    step = max(1, (len(data) // 2) // count)
    return [data[middle + i * step : middle + i * step + size] for i in range(count)]


def _needles(data: bytes) -> list[bytes]:
    encoded = base64.b64encode(data)
    return [*_slices(data), *_slices(encoded, 3, 48)]


def _files_with(root: Path, needles: list[bytes]) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                hits.append(path)
    return hits


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A temp folder and a home folder of the test's own, so every file the app might leave in
    either can be searched."""
    found = {name: tmp_path / name for name in ("tmp", "home", "given", "exported")}
    for folder in found.values():
        folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(found["tmp"]))
    monkeypatch.setenv("HOME", str(found["home"]))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", None)
    assert tempfile.gettempdir() == str(found["tmp"])
    return found


def test_a_photograph_is_nowhere_on_disk_but_the_vault_after_attach_view_and_export(
    vault_dir: Path, data_key: bytes, places: dict[str, Path]
) -> None:
    assert (
        run_cli("photograph", "allowed", "yes", "--vault", str(vault_dir), env=ENV).returncode == 0
    )
    raw = photos.jpeg(640, 480, gps=True, camera=True)
    given = places["given"] / "bruise.jpg"
    given.write_bytes(raw)
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        _, observation = photos.injury_observation(ws)
    finally:
        ws.lock()
    attached = run_cli(
        "photograph", "attach", observation, str(given), "--vault", str(vault_dir), env=ENV
    )
    assert attached.returncode == 0, attached.stderr
    assert "location (GPS position)" in attached.stdout
    photo_id = attached.stdout.split()[2]
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        # Viewing: the bytes and a thumbnail, in memory.
        record, kept = photographs.photograph_data(ws, photo_id)
        [(_, thumb)] = photographs.thumbnails(ws, "observation", observation)
        records.finalise(ws, "observation", observation)
    finally:
        ws.lock()
    # A chronology PDF with the photographs, and a case bundle: deliberate copies too.
    pdf = places["exported"] / "chronology.pdf"
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        child = photographs.photographs_of(ws, "observation", observation)[0].child_id
        exports.chronology(ws, child, pdf, include_photographs=True)
        bundles.write_bundle(ws, places["exported"] / "case.json", [child])
    finally:
        ws.lock()
    exported = places["exported"] / "photo.jpg"
    out = run_cli(
        "photograph", "export", photo_id, str(exported), "--vault", str(vault_dir), env=ENV
    )
    assert out.returncode == 0, out.stderr
    assert exported.read_bytes() == kept

    needles = _needles(raw) + _needles(kept) + _needles(thumb)
    # The search finds what it looks for: the given file and the deliberate export hold them.
    assert _files_with(places["given"], _needles(raw)) == [given]
    assert set(_files_with(places["exported"], _needles(kept))) >= {
        exported,
        places["exported"] / "case.json",
    }
    for where in ("tmp", "home"):
        assert _files_with(places[where], needles) == [], where
    assert _files_with(vault_dir, needles) == []
    assert rules.extension(record.media_type) == ".jpg"
    assert os.listdir(places["tmp"]) == [] or _files_with(places["tmp"], needles) == []
