"""Issue 16 items 6 and 9: a received file never sets its own cost, and malformed input gets one
sentence, a non-zero exit and no change to the vault.

- Argon2 settings in key files (a backup's included) and encrypted bundles lie between the app's
  own and a stated ceiling, and salts, nonces and wrapped keys have their exact sizes; anything
  else is refused before Argon2 runs (the KDF is replaced by one that fails the test if called).
- Bundles, backups and secret files are read only if they are regular files, with a limit:
  /dev/zero and a FIFO are refused at once.
- Bundles: nesting is checked before the parser, a field given twice and a version that is not a
  whole number are refused.
- `verify` names a damaged page 1, and a database from another vault as such; a 0-byte vault.db
  is never rebuilt.
"""

import base64
import json
import os
import shutil
import signal
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practitioner_app.domain.errors import InvalidInput, Problem
from practitioner_app.export import bundle as bundle_format
from practitioner_app.services import bundles, integrity, people
from practitioner_app.services.workspace import Workspace, open_vault_with_data_key
from practitioner_app.vault import keyfile, restoring, sealed
from practitioner_app.vault.vault import DB_NAME, KEY_NAME, RESTORE_STAGING, unlock
from tests.conftest import PASSPHRASE, child_details, run_cli

ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def no_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id must not run at all for a refused file: any call fails the test."""

    def refuse(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("Argon2id ran on settings the file chose")

    monkeypatch.setattr(keyfile, "hash_secret_raw", refuse)


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (rather than hang) if reading a FIFO or /dev/zero blocks or never ends."""

    def expired(*_: object) -> None:
        raise AssertionError("still reading after 20 seconds")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# (where in a wrapped slot, value, words the sentence must contain)
HOSTILE_SLOTS: list[tuple[str, Any, str]] = [
    ("kdf.time_cost", 2**31, "time cost is 2147483648, not 3 to 10"),
    ("kdf.memory_kib", 4 * 1024 * 1024, "memory kib is 4194304"),
    ("kdf.parallelism", 0, "parallelism is 0"),
    ("kdf.time_cost", True, "time cost is True"),
    ("kdf.time_cost", 3.0, "time cost is 3.0"),
    ("kdf.memory_kib", 1024, "memory kib is 1024, not 65536"),
    ("kdf.salt", _b64(b"short"), "salt is 5 bytes, not 16"),
    ("nonce", "", "nonce is 0 bytes, not 12"),
    ("ciphertext", _b64(b"x" * 47), "wrapped key is 47 bytes, not 48"),
]


def _set(document: dict[str, Any], where: str, value: Any) -> None:
    *path, last = where.split(".")
    for part in path:
        document = document[part]
    document[last] = value


def _hostile_key_file(original: bytes, where: str, value: Any) -> bytes:
    document = json.loads(original)
    _set(document["slots"]["passphrase"], where, value)
    return json.dumps(document).encode()


@pytest.mark.parametrize(("where", "value", "words"), HOSTILE_SLOTS)
def test_a_key_file_asking_for_other_argon2_settings_or_sizes_is_refused_before_any_work(
    vault_dir: Path, no_argon2: None, where: str, value: Any, words: str
) -> None:
    key = vault_dir / KEY_NAME
    key.write_bytes(_hostile_key_file(key.read_bytes(), where, value))
    with pytest.raises(Problem) as raised:
        unlock(vault_dir, PASSPHRASE)
    assert words in str(raised.value)
    assert str(raised.value).startswith("The vault's key file cannot be used:")


def test_a_backup_whose_key_file_sets_its_own_cost_is_refused_and_the_vault_is_untouched(
    workspace: Workspace, vault_dir: Path, tmp_path: Path, no_argon2: None
) -> None:
    good = tmp_path / "good.pcbackup"
    integrity.backup(workspace, good)
    workspace.lock()
    hostile = tmp_path / "hostile.pcbackup"
    with tarfile.open(good) as source, tarfile.open(hostile, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == KEY_NAME:
                data = _hostile_key_file(data, "kdf.time_cost", 2**31)
                member.size = len(data)
            target.addfile(member, __import__("io").BytesIO(data))
    before = {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.is_file()}
    with pytest.raises(Problem, match="time cost is 2147483648"):
        restoring.restore(vault_dir, hostile, PASSPHRASE)
    assert {p.name: p.read_bytes() for p in vault_dir.iterdir() if p.is_file()} == before
    assert not (vault_dir / RESTORE_STAGING).exists()


@pytest.mark.parametrize(("where", "value", "words"), HOSTILE_SLOTS[:-1])
def test_an_encrypted_bundle_asking_for_other_settings_is_refused_before_any_work(
    workspace: Workspace, where: str, value: Any, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = sealed.seal(bundles.export_bundle(workspace), "seven quiet harbour violins")
    monkeypatch.setattr(keyfile, "hash_secret_raw", lambda *a, **k: pytest.fail("Argon2id ran"))
    end = data.index(b"\n", len(sealed.MAGIC))
    header = json.loads(data[len(sealed.MAGIC) : end])
    _set(header, where, value)
    hostile = sealed.MAGIC + json.dumps(header).encode() + data[end:]
    with pytest.raises(InvalidInput) as raised:
        bundles.import_bundle(workspace, hostile, "seven quiet harbour violins")
    assert words in str(raised.value)
    assert str(raised.value).startswith("The encrypted bundle cannot be opened:")


# -- only regular files, read with a limit -----------------------------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


SPECIAL: list[tuple[str, Callable[[Path], Path]]] = [
    ("/dev/zero", lambda tmp: Path("/dev/zero")),
    ("a FIFO", _fifo),
]


@pytest.mark.parametrize(("label", "make"), SPECIAL, ids=[s[0] for s in SPECIAL])
@pytest.mark.parametrize("verb", ["import", "restore", "passphrase file"])
def test_a_device_or_fifo_given_as_a_file_is_refused_at_once(
    vault_dir: Path, tmp_path: Path, deadline: None, label: str, make: Any, verb: str
) -> None:
    special = make(tmp_path)
    before = (vault_dir / DB_NAME).read_bytes()
    if verb == "import":
        result = run_cli("import", "--vault", str(vault_dir), str(special), env=ENV)
    elif verb == "restore":
        result = run_cli("restore", "--vault", str(vault_dir), str(special), env=ENV)
    else:
        result = run_cli("children", "--vault", str(vault_dir), "--passphrase-file", str(special))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not an ordinary file" in result.stderr or "could not be read" in result.stderr
    assert (vault_dir / DB_NAME).read_bytes() == before


# -- strict bundles -------------------------------------------------------------------------------------


def _sentence_for(raw: bytes, vault_dir: Path, tmp_path: Path) -> str:
    path = tmp_path / "hostile.json"
    path.write_bytes(raw)
    result = run_cli("import", "--vault", str(vault_dir), str(path), "--source", "x", env=ENV)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    # Nothing imported: the audit shows the vault opened and locked again, and nothing else.
    trail = run_cli("audit", "--vault", str(vault_dir), "--json", env=ENV).stdout
    actions = [row["action"] for row in json.loads(trail)]
    assert actions[-3:] == ["unlock", "lock", "unlock"]
    assert "import" not in actions
    return result.stderr


HEAD = b'{"format": "practitioner-case-bundle", '


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"[" * 1000 + b"]" * 1000, "nests lists or records more than 32 deep"),
        (HEAD + b'"version": 2, "x": ' + b'{"a": ' * 1000 + b"1" + b"}" * 1000 + b"}", "32 deep"),
        (HEAD + b'"version": 1, "version": 2}', "gives the field 'version' twice"),
        (HEAD + b'"version": 2, "children": [{"id": "a", "id": "b"}]}', "field 'id' twice"),
        (HEAD + b'"version": true}', "version True"),
        (HEAD + b'"version": 1.0}', "version 1.0"),
        (HEAD + b'"version": "2"}', "version '2'"),
    ],
    ids=["1000 deep", "1000 deep objects", "version twice", "id twice", "true", "1.0", "'2'"],
)
def test_malformed_bundles_get_one_sentence_and_change_nothing(
    vault_dir: Path, tmp_path: Path, raw: bytes, words: str
) -> None:
    assert words in _sentence_for(raw, vault_dir, tmp_path)


def test_brackets_inside_text_are_not_nesting(workspace: Workspace) -> None:
    people.add_child(workspace, child_details(address="[[[[{{{{" * 20 + '\\"]]"'))
    data = bundles.export_bundle(workspace)
    address = bundle_format.parse(data).bundle.children[0].address
    assert address == "[[[[{{{{" * 20 + '\\"]]"'


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


_TRICKY_TEXT = st.text(alphabet='[]{}"\\:,ab\n', max_size=8)


@given(st.integers(min_value=1, max_value=40), st.lists(_TRICKY_TEXT, max_size=3))
def test_the_nesting_check_counts_the_depth_the_parser_sees(depth: int, texts: list[str]) -> None:
    # Brackets, quotes and backslashes inside names and text never count as nesting.
    document = _nest(depth, texts)
    assert _depth(document) == depth
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8")
    if depth > bundle_format.MAX_NESTING:
        with pytest.raises(InvalidInput, match="32 deep"):
            bundle_format._check_nesting(raw)
    else:
        bundle_format._check_nesting(raw)


def _nest(depth: int, texts: list[str]) -> Any:
    """A document `depth` deep, alternating lists and records named and filled with `texts`."""
    document: Any = texts
    for level in range(depth - 1):
        document = (
            [*texts, document] if level % 2 else {text: text for text in texts} | {"[": document}
        )
    return document


# -- the vault's own database ---------------------------------------------------------------------------


def _verify(vault_dir: Path) -> Any:
    return run_cli("verify", "--vault", str(vault_dir), env=ENV)


def test_verify_names_a_damaged_page_1_and_changes_nothing(vault_dir: Path) -> None:
    db = vault_dir / DB_NAME
    data = bytearray(db.read_bytes())
    data[100] ^= 0xFF  # inside page 1, past its plaintext salt
    db.write_bytes(bytes(data))
    result = _verify(vault_dir)
    assert result.returncode == 1
    assert "damaged: HMAC verification failed for page 1" in result.stdout
    assert "Restore the last good backup" in result.stdout
    assert db.read_bytes() == bytes(data)


def test_verify_says_a_database_from_another_vault_is_one(vault_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert (
        run_cli(
            "init", "--vault", str(other), "--name", "A", "--role", "B", "--agency", "C", env=ENV
        ).returncode
        == 0
    )
    shutil.copy2(other / DB_NAME, vault_dir / DB_NAME)
    foreign = (vault_dir / DB_NAME).read_bytes()
    result = _verify(vault_dir)
    assert result.returncode == 1
    assert "belongs to another vault" in result.stdout
    assert (vault_dir / DB_NAME).read_bytes() == foreign
    opened = run_cli("children", "--vault", str(vault_dir), env=ENV)
    assert opened.returncode == 1
    assert "does not match its key file" in opened.stderr
    assert (vault_dir / DB_NAME).read_bytes() == foreign


@pytest.mark.parametrize("verb", ["children", "verify", "audit"])
def test_an_empty_vault_db_is_never_rebuilt(vault_dir: Path, verb: str) -> None:
    (vault_dir / DB_NAME).write_bytes(b"")
    before = sorted(p.name for p in vault_dir.iterdir())
    assert {DB_NAME, KEY_NAME} <= set(before)
    result = run_cli(verb, "--vault", str(vault_dir), env=ENV)
    assert result.returncode == 1
    assert "is empty (0 bytes)" in result.stderr
    assert (vault_dir / DB_NAME).stat().st_size == 0
    assert sorted(p.name for p in vault_dir.iterdir()) == before  # nothing made or rebuilt


def test_a_vault_db_deleted_while_open_is_not_recreated(vault_dir: Path, data_key: bytes) -> None:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        ws.vault.engine.dispose()
        (vault_dir / DB_NAME).unlink()
        with pytest.raises(Problem):
            people.add_child(ws, child_details())
    finally:
        ws.lock()
    assert not (vault_dir / DB_NAME).exists()


@pytest.mark.parametrize(("label", "make"), SPECIAL, ids=[s[0] for s in SPECIAL])
def test_a_device_or_fifo_given_as_a_photograph_is_refused_at_once(
    vault_dir: Path, tmp_path: Path, deadline: None, label: str, make: Any
) -> None:
    special = make(tmp_path)
    assert (
        run_cli("photograph", "allowed", "yes", "--vault", str(vault_dir), env=ENV).returncode == 0
    )
    before = (vault_dir / DB_NAME).read_bytes()
    result = run_cli(
        "photograph", "attach", "any-observation", str(special), "--vault", str(vault_dir), env=ENV
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "not an ordinary file" in result.stderr
    assert (vault_dir / DB_NAME).read_bytes() == before
