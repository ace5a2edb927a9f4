"""Test data is synthetic (SECURITY.md): an NHS number anywhere in the sources or tests is one of
the never-issued 999 000 0000 to 999 999 9999, so no real patient's number is ever written down."""

import re
from pathlib import Path

from practitioner_app.domain import nhs_number

ROOT = Path(__file__).resolve().parents[1]
# Ten digits, together or grouped 3-3-4 by spaces or dashes of any kind, not inside a longer run.
TEN_DIGITS = re.compile(r"(?<![\w.])(\d{3})[\s\-‐-―]?(\d{3})[\s\-‐-―]?(\d{4})(?!\w)")
# Ten-digit strings that happen to pass the NHS check digit and are not NHS numbers.
NOT_NHS_NUMBERS = {
    "0123456789",  # the digits, in order
    "2147483648",  # 2**31, a hostile key file's time cost
}


def test_every_nhs_number_written_down_is_from_the_never_issued_range() -> None:
    found = []
    for folder in ("practitioner_app", "tests", "resources", "db", "packaging"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".json", ".md", ".txt", ".csv", ".toml"}:
                continue
            for match in TEN_DIGITS.finditer(path.read_text(encoding="utf-8", errors="replace")):
                digits = "".join(match.groups())
                if (
                    nhs_number.is_valid(digits)
                    and not digits.startswith(nhs_number.TEST_RANGE_PREFIX)
                    and digits not in NOT_NHS_NUMBERS
                ):
                    found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert found == []
