"""`practitioner-app photograph`: the setting, attach, list, export and remove, with one sentence
and a non-zero exit for each refusal (issue 20 item 5)."""

import json
from pathlib import Path

import pytest

from practitioner_app.services import integrity, photographs, records
from practitioner_app.services.workspace import open_vault_with_data_key
from tests import photos
from tests.conftest import PASSPHRASE, run_cli

ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def observation(vault_dir: Path, data_key: bytes) -> str:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        return photos.injury_observation(ws)[1]
    finally:
        ws.lock()


def _cli(vault_dir: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("photograph", *args, "--vault", str(vault_dir), env=ENV)
    return result.returncode, result.stdout, result.stderr


def test_attach_is_refused_until_photographs_are_allowed_then_kept(
    vault_dir: Path, observation: str, tmp_path: Path
) -> None:
    given = tmp_path / "arm.jpg"
    given.write_bytes(photos.jpeg(gps=True))
    code, _, err = _cli(vault_dir, "attach", observation, str(given))
    assert code == 1
    assert "Photographs are off in this vault" in err
    assert err.count("\n") == 1
    assert _cli(vault_dir, "allowed")[1] == "Photographs are not allowed in this vault.\n"
    assert _cli(vault_dir, "allowed", "yes")[1] == "Photographs are allowed in this vault.\n"
    code, out, _ = _cli(vault_dir, "attach", observation, str(given))
    assert code == 0
    assert "location (GPS position)" in out
    code, out, _ = _cli(vault_dir, "list", observation, "--json")
    [listed] = json.loads(out)
    assert listed["owner_id"] == observation
    assert listed["location_removed"] is True
    assert listed["final"] is False


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"just some text", "not a JPEG or PNG photograph"),
        (photos.jpeg(300, 200)[:700], "incomplete or damaged"),
        (photos.jpeg() + bytes(40 * 1024 * 1024), "the limit is 20 MB per photograph"),
    ],
    ids=["not-an-image", "truncated", "40-mb"],
)
def test_a_bad_file_gets_one_sentence_exit_1_and_nothing_kept(
    vault_dir: Path, observation: str, tmp_path: Path, content: bytes, words: str
) -> None:
    _cli(vault_dir, "allowed", "yes")
    given = tmp_path / "given.jpg"
    given.write_bytes(content)
    code, _, err = _cli(vault_dir, "attach", observation, str(given))
    assert (code, err.count("\n")) == (1, 1)
    assert words in err
    assert _cli(vault_dir, "list", observation)[1] == "No photographs.\n"


def test_export_writes_the_kept_photograph_and_is_audited_as_an_export(
    vault_dir: Path, data_key: bytes, observation: str, tmp_path: Path
) -> None:
    _cli(vault_dir, "allowed", "yes")
    given = tmp_path / "given.png"
    given.write_bytes(photos.png(text="a comment"))
    _, out, _ = _cli(vault_dir, "attach", observation, str(given))
    photo_id = out.split()[2]
    target = tmp_path / "out" / "copy.png"
    target.parent.mkdir()
    code, _, err = _cli(vault_dir, "export", photo_id, str(target))
    assert code == 0, err
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        _, data = photographs.photograph_data(ws, photo_id)
        assert target.read_bytes() == data
        exports = [e for e in integrity.audit_trail(ws) if e.action == "export"]
        assert exports[-1].record_kind == "photograph"
        assert exports[-1].record_id == photo_id
        records.finalise(ws, "observation", observation)
    finally:
        ws.lock()
    code, _, err = _cli(vault_dir, "remove", photo_id)
    assert code == 1
    assert "final and cannot be removed" in err
    code, _, err = _cli(vault_dir, "export", "no-such-id", str(tmp_path / "x.jpg"))
    assert code == 1
    assert "There is no photograph with id no-such-id" in err
