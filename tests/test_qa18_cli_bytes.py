"""QA of issue 18 (fresh tester): text typed on the command line that is not UTF-8 (a name or
note pasted from a file in another encoding: the shell hands over bytes such as 0xFF, which
Python keeps as lone surrogates) is bad input: one sentence on stderr, exit status 1, nothing
written. Seen: a Python traceback ending 'UnicodeEncodeError: ... surrogates not allowed' from
SQLite, for `measure --note` and for `chronology --pdf --shared-with`."""

from pathlib import Path

import pytest

from practitioner_app.services import people
from practitioner_app.services.workspace import open_vault_with_data_key
from tests.conftest import PASSPHRASE, child_details, run_app

ENV = {"PRACTITIONER_PASSPHRASE": PASSPHRASE}
NOT_UTF8 = "Dr \udcff\udcfe Okafor"  # the bytes 0xFF 0xFE as the shell passes them


def _child(vault_dir: Path, data_key: bytes) -> str:
    ws = open_vault_with_data_key(vault_dir, data_key)
    try:
        return people.add_child(ws, child_details()).id
    finally:
        ws.lock()


@pytest.mark.parametrize(
    "args",
    [
        ("measure", "{child}", "--weight", "3.5", "--on", "2025-03-20", "--note", NOT_UTF8),
        (
            "chronology", "{child}", "--pdf", "{out}", "--shared-with", NOT_UTF8,
            "--purpose", "Case conference", "--lawful-basis", "Children Act 1989 s47",
            "--consent", "given",
        ),
    ],
    ids=["measure-note", "chronology-shared-with"],
)  # fmt: skip
def test_text_that_is_not_utf8_is_one_sentence_not_a_traceback(
    vault_dir: Path, data_key: bytes, tmp_path: Path, args: tuple[str, ...]
) -> None:
    child = _child(vault_dir, data_key)
    out = tmp_path / "out" / "chronology.pdf"
    out.parent.mkdir()
    filled = [a.format(child=child, out=out) for a in args]
    result = run_app(*filled, "--vault", str(vault_dir), env=ENV)
    assert "Traceback" not in result.stderr, result.stderr[-400:]
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert list(out.parent.iterdir()) == []
