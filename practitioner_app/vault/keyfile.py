"""The key file: the vault's data key, wrapped by the passphrase and again by the recovery key.

Envelope encryption (ARCHITECTURE.md "Keys"): a random 32-byte data key encrypts the database as a raw
SQLCipher key. It is stored only wrapped with AES-256-GCM under a key derived by Argon2id, once per
"slot" (passphrase, recovery key). Changing the passphrase re-wraps 32 bytes; the database is untouched.
"""

import base64
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from practitioner_app.domain.errors import PassphraseNotAccepted, Problem
from practitioner_app.vault.checks import strict_json
from practitioner_app.vault.files import atomic_write, open_in_place, read_regular

FORMAT = "practitioner-vault-key"
VERSION = 1
DATA_KEY_BYTES = 32

# RFC 9106 "second recommended option" (low-memory): t=3, 64 MiB, p=4. SECURITY.md promise 2 holds
# the key file to at least this.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 4

# What a received file (a bundle, a backup's key file) may ask Argon2id to do: from this app's own
# settings up to a ceiling of about ten seconds and 512 MiB on a practitioner's laptop. Anything
# else is refused before any work (issue 16 item 6): a file must not set its own cost.
MAX_ARGON2_TIME_COST = 10
MAX_ARGON2_MEMORY_KIB = 512 * 1024
MAX_ARGON2_PARALLELISM = 16
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
# A key file is a few hundred bytes of JSON; a little room for more slots.
MAX_KEY_FILE_BYTES = 64 * 1024

# Failed unlocks made while the disk is too full to write a new key file (issue 16 items 7 and 8)
# are counted in room kept inside the key file itself: a string of spaces of fixed length,
# rewritten in place, which needs no free space. Its content is the count (ten digits) and the
# attempts' times (UTC, 16 characters each) as far as they fit; a crash mid-write leaves a string
# still, so the key file stays valid JSON whatever happens. Folded into the count and list above
# at the next load, and written empty by every save.
FULL_DISK_FIELD = "unlock_failures_full_disk"
FULL_DISK_CHARS = 1024
_FULL_DISK_MARKER = f'"{FULL_DISK_FIELD}": "'.encode("ascii")
_COMPACT_TIME = "%Y%m%dT%H%M%SZ"

PASSPHRASE_SLOT = "passphrase"
RECOVERY_SLOT = "recovery"

# Recovery keys: 20 random bytes (160 bits) in base32, shown as eight groups of four characters.
RECOVERY_KEY_BYTES = 20
_BASE32_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


class OutOfRange(ValueError):
    """A received file's KDF settings, salt, nonce or tag are not ones this app accepts; the message
    says which, in words a practitioner can pass on."""


def _whole_number(data: dict[str, Any], name: str, low: int, high: int) -> int:
    value = data.get(name)
    # JSON true is not 1, and 3.0 is not a count of passes.
    if type(value) is not int or not low <= value <= high:
        raise OutOfRange(f"its Argon2 {name.replace('_', ' ')} is {value!r}, not {low} to {high}")
    return value


def exact_size(value: bytes, size: int, what: str) -> bytes:
    if len(value) != size:
        raise OutOfRange(f"its {what} is {len(value)} bytes, not {size}")
    return value


@dataclass(frozen=True)
class KdfParameters:
    time_cost: int = ARGON2_TIME_COST
    memory_kib: int = ARGON2_MEMORY_KIB
    parallelism: int = ARGON2_PARALLELISM
    salt: bytes = field(default_factory=lambda: os.urandom(16))

    def derive(self, secret: str) -> bytes:
        return hash_secret_raw(
            secret.encode("utf-8"),
            self.salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=32,
            type=Type.ID,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": "argon2id",
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "parallelism": self.parallelism,
            "salt": _b64(self.salt),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "KdfParameters":
        """The settings a file asks for, checked before any work: OutOfRange unless each lies
        between this app's own setting and its ceiling and the salt is exactly 16 bytes."""
        if not isinstance(data, dict) or data.get("name") != "argon2id":
            raise OutOfRange("it does not use Argon2id")
        return cls(
            time_cost=_whole_number(data, "time_cost", ARGON2_TIME_COST, MAX_ARGON2_TIME_COST),
            memory_kib=_whole_number(data, "memory_kib", ARGON2_MEMORY_KIB, MAX_ARGON2_MEMORY_KIB),
            parallelism=_whole_number(
                data, "parallelism", ARGON2_PARALLELISM, MAX_ARGON2_PARALLELISM
            ),
            salt=exact_size(_unb64(data["salt"]), SALT_BYTES, "salt"),
        )


@dataclass(frozen=True)
class WrappedKey:
    """The data key encrypted under one secret."""

    kdf: KdfParameters
    nonce: bytes
    ciphertext: bytes

    @classmethod
    def wrap(cls, data_key: bytes | bytearray, secret: str, associated: bytes) -> "WrappedKey":
        kdf = KdfParameters()
        nonce = os.urandom(NONCE_BYTES)
        ciphertext = AESGCM(kdf.derive(secret)).encrypt(nonce, bytes(data_key), associated)
        return cls(kdf, nonce, ciphertext)

    def unwrap(self, secret: str, associated: bytes) -> bytearray:
        try:
            plain = AESGCM(self.kdf.derive(secret)).decrypt(self.nonce, self.ciphertext, associated)
        except InvalidTag:
            raise PassphraseNotAccepted(
                "Passphrase not accepted: check it and try again, or unlock with your recovery key."
            ) from None
        return bytearray(plain)

    def to_json(self) -> dict[str, Any]:
        return {
            "kdf": self.kdf.to_json(),
            "nonce": _b64(self.nonce),
            "ciphertext": _b64(self.ciphertext),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "WrappedKey":
        return cls(
            KdfParameters.from_json(data["kdf"]),
            exact_size(_unb64(data["nonce"]), NONCE_BYTES, "nonce"),
            # The data key and its GCM tag.
            exact_size(_unb64(data["ciphertext"]), DATA_KEY_BYTES + TAG_BYTES, "wrapped key"),
        )


@dataclass(frozen=True)
class KeyFile:
    """The wrapped data key, and the record of failed unlock attempts (vault/vault.py `unlock`):
    `failures_total` counts every failed attempt ever, `failed_at` holds the ISO 8601 UTC times of
    those not yet written to the audit chain. Kept here rather than in a file of their own, so
    deleting a file cannot reset the backoff (the vault does not open without this one), and the
    total is checked against the one the last unlock wrote to the chain, so editing it shows."""

    vault_id: str
    slots: dict[str, WrappedKey]
    failures_total: int = 0
    failed_at: tuple[str, ...] = ()

    def with_failures(self, total: int, failed_at: tuple[str, ...]) -> "KeyFile":
        return KeyFile(self.vault_id, self.slots, total, failed_at)

    def associated_data(self, slot: str) -> bytes:
        # Binding the vault id and slot name stops a wrapped key being moved between vaults or slots.
        return f"{FORMAT}:{VERSION}:{self.vault_id}:{slot}".encode()

    def unwrap(self, slot: str, secret: str) -> bytearray:
        return self.slots[slot].unwrap(secret, self.associated_data(slot))

    def with_slot(self, slot: str, data_key: bytes | bytearray, secret: str) -> "KeyFile":
        slots = dict(self.slots)
        slots[slot] = WrappedKey.wrap(data_key, secret, self.associated_data(slot))
        return KeyFile(self.vault_id, slots, self.failures_total, self.failed_at)

    def to_bytes(self) -> bytes:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "slots": {name: wrapped.to_json() for name, wrapped in sorted(self.slots.items())},
            "unlock_failures": {"total": self.failures_total, "not_yet_audited": self.failed_at},
            FULL_DISK_FIELD: " " * FULL_DISK_CHARS,
        }
        return json.dumps(document, indent=2).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> "KeyFile":
        damaged = Problem(
            "The vault's key file is damaged, so the vault cannot be opened; "
            "restore the vault from a backup."
        )
        try:
            document = strict_json(data)
        except ValueError:  # not JSON, a field given twice, or nested past reading
            raise damaged from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise damaged
        version = document.get("version")
        if type(version) is not int or version != VERSION:  # JSON true is not version 1
            raise Problem(
                "This vault's key file was written by a newer version of the app; "
                "install the latest version to open it."
            )
        try:
            slots = {name: WrappedKey.from_json(value) for name, value in document["slots"].items()}
            vault_id = str(document["vault_id"])
            # Absent from key files written before the count moved here: nothing on record.
            failures = document.get("unlock_failures", {"total": 0, "not_yet_audited": []})
            total = failures["total"]
            failed_at = tuple(str(stamp) for stamp in failures["not_yet_audited"])
            more, more_at = _read_full_disk_room(document.get(FULL_DISK_FIELD, ""))
        except OutOfRange as error:
            raise Problem(
                f"The vault's key file cannot be used: {error}; nothing was tried with it. "
                "Restore the vault from a backup made by this app."
            ) from None
        except (KeyError, TypeError, ValueError, AttributeError):
            raise damaged from None
        if (
            PASSPHRASE_SLOT not in slots
            or isinstance(total, bool)
            or not isinstance(total, int)
            or total < 0
        ):
            raise damaged
        return cls(vault_id, slots, total + more, failed_at + more_at)

    def save(self, path: Path) -> None:
        atomic_write(path, self.to_bytes())

    @classmethod
    def load(cls, path: Path) -> "KeyFile":
        try:
            data = read_regular(path, MAX_KEY_FILE_BYTES, "key file")
        except FileNotFoundError:
            raise Problem(
                f"The vault's key file is missing from {path.parent}; restore the vault from a backup."
            ) from None
        return cls.from_bytes(data)


def _read_full_disk_room(text: object) -> tuple[int, tuple[str, ...]]:
    """The failed attempts counted in place on a full disk: (count, their times as ISO 8601).
    Read leniently, since a crash mid-write may leave a mixture: a count that cannot be read is
    the number of times that can; a time that cannot be read is left out (the count keeps it)."""
    if not isinstance(text, str):
        return 0, ()
    words = text.split()
    if not words:
        return 0, ()
    times = []
    for word in words[1:]:
        try:
            times.append(datetime.strptime(word, _COMPACT_TIME).replace(tzinfo=UTC).isoformat())
        except ValueError:
            continue
    count = int(words[0]) if words[0].isdigit() and len(words[0]) <= 10 else len(times)
    return max(count, len(times)), tuple(times)


def count_in_place(path: Path, moment: datetime, step: int) -> bool:
    """Count (`step` 1) or take back (`step` -1) the failed attempt made at `moment` in the room
    kept inside the key file, rewriting those bytes in place: for a disk too full for `save`.
    Call under the key-file lock. False when the file has no such room (written before it was
    kept, or altered) or cannot be written."""
    try:
        fd = open_in_place(path)
    except OSError:
        return False
    try:
        data = os.read(fd, MAX_KEY_FILE_BYTES + 1)
        start = data.find(_FULL_DISK_MARKER) + len(_FULL_DISK_MARKER)
        end = start + FULL_DISK_CHARS
        if start < len(_FULL_DISK_MARKER) or data[end : end + 1] != b'"':
            return False
        room = data[start:end].decode("ascii", "replace")
        words = room.split()
        count = int(words[0]) if words and words[0].isdigit() and len(words[0]) <= 10 else 0
        times = [w for w in words[1:] if len(w) == len(moment.strftime(_COMPACT_TIME))]
        stamp = moment.astimezone(UTC).strftime(_COMPACT_TIME)
        if step > 0:
            count += 1
            if 11 + (len(times) + 1) * (len(stamp) + 1) <= FULL_DISK_CHARS:
                times.append(stamp)
        else:
            count = max(0, count - 1)
            if stamp in times:
                times.remove(stamp)
        text = " ".join([f"{min(count, 10**10 - 1):010d}", *times]).ljust(FULL_DISK_CHARS)
        os.pwrite(fd, text.encode("ascii"), start)
        os.fsync(fd)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def new_data_key() -> bytearray:
    return bytearray(secrets.token_bytes(DATA_KEY_BYTES))


def new_recovery_key() -> str:
    text = base64.b32encode(secrets.token_bytes(RECOVERY_KEY_BYTES)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise_recovery_key(text: str) -> str | None:
    """The canonical form of something typed as a recovery key, or None if it cannot be one."""
    compact = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
    # People confuse these with the base32 letters.
    compact = compact.replace("0", "O").replace("1", "I").replace("8", "B")
    if len(compact) != 32 or not set(compact) <= _BASE32_ALPHABET:
        return None
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))
