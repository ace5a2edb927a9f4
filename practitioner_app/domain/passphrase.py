"""The passphrase policy: long enough, not a common password, not trivially guessable."""

from dataclasses import dataclass
from functools import cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 10
# zxcvbn score 3: "safely unguessable" against an offline attack on a slow hash, which is our threat
# (a stolen laptop, the key file attacked with Argon2id). Scores 0-2 fall to a determined attacker.
MIN_SCORE = 3
# zxcvbn's matching grows with length; the first 64 characters decide the score of any passphrase.
SCORED_PREFIX = 64


@dataclass(frozen=True)
class PassphraseVerdict:
    accepted: bool
    reason: str
    score: int  # 0..4, for a strength meter


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def assess(passphrase: str) -> PassphraseVerdict:
    """Whether a passphrase may protect a vault, and if not, one sentence saying why."""
    if len(passphrase) < MIN_LENGTH:
        return PassphraseVerdict(
            False,
            f"The passphrase is too short: use at least {MIN_LENGTH} characters, "
            "for example three or four unrelated words.",
            0,
        )
    if passphrase.strip().lower() in _common_passwords():
        return PassphraseVerdict(
            False,
            "That passphrase is on the lists of common passwords attackers try first; choose another.",
            0,
        )
    result = zxcvbn(passphrase[:SCORED_PREFIX])
    score = int(result["score"])
    if score < MIN_SCORE:
        warning = str(result["feedback"].get("warning") or "").rstrip(".")
        why = f" ({warning.lower()})" if warning else ""
        return PassphraseVerdict(
            False,
            f"That passphrase would be too easy to guess{why}; add more unrelated words.",
            score,
        )
    return PassphraseVerdict(True, "", score)
