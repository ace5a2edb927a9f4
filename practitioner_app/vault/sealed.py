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
from practitioner_app.vault.keyfile import KdfParameters

MAGIC = b"PRACTITIONER-SEALED-BUNDLE 1\n"


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def seal(data: bytes, passphrase: str) -> bytes:
    verdict = passphrase_policy.assess(passphrase)
    if not verdict.accepted:
        raise InvalidInput(verdict.reason)
    kdf = KdfParameters()
    nonce = os.urandom(12)
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
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        raise damaged
    header_bytes = data[len(MAGIC) : end + 1]
    try:
        header = json.loads(header_bytes)
        kdf = KdfParameters.from_json(header["kdf"])
        nonce = base64.b64decode(header["nonce"], validate=True)
    except (ValueError, KeyError, TypeError):
        raise damaged from None
    try:
        return AESGCM(kdf.derive(passphrase)).decrypt(nonce, data[end + 1 :], MAGIC + header_bytes)
    except InvalidTag:
        # GCM cannot tell a wrong passphrase from a damaged file; the passphrase is far likelier.
        raise PassphraseNotAccepted(
            "The bundle's passphrase was not accepted (or the file is damaged); check the passphrase "
            "with whoever sent it."
        ) from None
