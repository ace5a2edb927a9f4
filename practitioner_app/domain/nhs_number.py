"""NHS numbers: ten digits with a modulus-11 check digit."""

import unicodedata

from practitioner_app.domain.errors import InvalidInput
from practitioner_app.domain.folding import ascii_digits

ASCII_DIGITS = frozenset("0123456789")

# The 999 000 0000 - 999 999 9999 range is never issued; test and demo data use only these.
TEST_RANGE_PREFIX = "999"


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when the total makes the number invalid (10)."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid(digits: str) -> bool:
    return (
        len(digits) == 10
        and all(ch in ASCII_DIGITS for ch in digits)
        and check_digit(digits[:9]) == int(digits[9])
    )


def _separator(char: str) -> bool:
    """What people (and copying from other systems) put between or around the digits: spaces of
    every width, hyphens and dashes of every kind, and invisible format characters (zero-width
    space, the direction marks and isolates Windows adds around a copied number)."""
    return char.isspace() or unicodedata.category(char) in ("Pd", "Cf")


def normalise(text: str) -> str:
    """Digits only, so '999 123 4567' and '999-123-4567' are the same number; digits typed in
    another script or form (full-width, Arabic-Indic, superscript) are read as the ASCII digit
    (domain/folding.ascii_digits). Raises InvalidInput (field "nhs_number") if invalid."""
    digits = "".join(ch for ch in ascii_digits(text) if not _separator(ch))
    if len(digits) != 10 or not all(ch in ASCII_DIGITS for ch in digits):
        raise InvalidInput(
            "An NHS number has exactly 10 digits; check the number and type it again.",
            "nhs_number",
        )
    if not is_valid(digits):
        raise InvalidInput(
            "That NHS number fails its check digit, so a digit is probably mistyped; check it again.",
            "nhs_number",
        )
    return digits


def formatted(digits: str) -> str:
    """Shown the way the NHS prints it: 3-3-4."""
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
