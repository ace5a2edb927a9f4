"""Encryption and the vault's files: key file, unlock, lock, passphrase change, backups, the engine.

Nothing outside this package sees a key or imports SQLCipher.
"""
