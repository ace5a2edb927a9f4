"""QA (issue 20 "Bad input": "a 40 MB photograph, a file that is not an image ... one clear
sentence"): choosing a 40 MB photograph file gets two sentences ("The photograph is 40.0 MB; the
limit is 20 MB per photograph. Save a smaller copy (...) and attach that."), where the file that
is not an image gets one. Each refusal of a chosen file should be one sentence saying what is
wrong and what to do, as STYLE.md asks. Real files on disk, read as the window reads them."""

import re
from pathlib import Path

import pytest

from practitioner_app.domain import photographs as rules
from practitioner_app.domain.errors import InvalidInput
from practitioner_app.services import photographs
from tests import photos

# A full stop, question or exclamation mark followed by a space and a capital: a second sentence.
NEXT_SENTENCE = re.compile(r"[.!?]\s+[A-Z]")


def refusal(path: Path) -> str:
    with pytest.raises(InvalidInput) as refused:
        rules.clean(photographs.read_file(path))
    return refused.value.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("big.jpg", photos.jpeg() + bytes(40 * 1024 * 1024), id="40 MB photograph"),
        pytest.param("letter.jpg", b"%PDF-1.7 a letter, not a photograph", id="not an image"),
        pytest.param("notes.png", b"Seen at home.\n" * 100, id="text file"),
    ],
)
def test_a_chosen_file_is_refused_in_one_sentence(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    message = refusal(path)

    assert message.endswith(".")
    assert not NEXT_SENTENCE.search(message), message
