"""Passphrase-protected files (encrypted case bundles): Argon2id + AES-256-GCM, as the key file.

Layout: a magic line, one line of JSON naming the KDF parameters and nonce, then the ciphertext.
The magic and header are authenticated with the content, so none of it can be altered unseen.
"""

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from practitioner_app.domain import passphrase as passphrase_policy
from practitioner_app.domain.errors import InvalidInput, PassphraseNotAccepted
from practitioner_app.vault.keyfile import (
    NONCE_BYTES,
    TAG_BYTES,
    KdfParameters,
    OutOfRange,
    exact_size,
)

# The header is one short line of JSON; anything longer is not ours.
_MAX_HEADER_BYTES = 4096

MAGIC = b"PRACTITIONER-SEALED-BUNDLE 1\n"


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def seal(data: bytes, passphrase: str) -> bytes:
    verdict = passphrase_policy.assess(passphrase)
    if not verdict.accepted:
        raise InvalidInput(verdict.reason)
    kdf = KdfParameters()
    nonce = os.urandom(NONCE_BYTES)
    header = (
        json.dumps(
            {"kdf": kdf.to_json(), "nonce": base64.b64encode(nonce).decode("ascii")}, sort_keys=True
        ).encode("ascii")
        + b"\n"
    )
    associated = MAGIC + header
    return associated + AESGCM(kdf.derive(passphrase)).encrypt(nonce, data, associated)


def unseal(data: bytes, passphrase: str) -> bytes:
    damaged = InvalidInput(
        "The encrypted bundle is damaged or incomplete, so nothing was imported; ask for it again."
    )
    if not is_sealed(data):
        raise damaged
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + _MAX_HEADER_BYTES)
    if end < 0:
        raise damaged
    header_bytes = data[len(MAGIC) : end + 1]
    try:
        header = json.loads(header_bytes)
        kdf = KdfParameters.from_json(header["kdf"])
        nonce = exact_size(base64.b64decode(header["nonce"], validate=True), NONCE_BYTES, "nonce")
        if len(data) - (end + 1) < TAG_BYTES:
            raise OutOfRange(f"it is too short to hold its {TAG_BYTES}-byte tag")
    except OutOfRange as error:
        # Checked before Argon2id runs: a received file must not set its own cost.
        raise InvalidInput(
            f"The encrypted bundle cannot be opened: {error}; nothing was imported. Ask for it "
            "to be exported again by this app."
        ) from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise damaged from None
    try:
        return AESGCM(kdf.derive(passphrase)).decrypt(nonce, data[end + 1 :], MAGIC + header_bytes)
    except InvalidTag:
        # GCM cannot tell a wrong passphrase from a damaged file; the passphrase is far likelier.
        raise PassphraseNotAccepted(
            "The bundle's passphrase was not accepted (or the file is damaged); check the passphrase "
            "with whoever sent it."
        ) from None
