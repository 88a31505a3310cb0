"""Ed25519 keys that sign logbook checkpoints, kept in files outside the database.

The private key lives with the node (mode 0600); auditors verify with the public key alone, so a
person with write access to the database cannot forge a checkpoint.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tocsin.domain.errors import LogbookError


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """A short fingerprint: the first 16 hex digits of SHA-256 over the raw public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class Ed25519Signer:
    """Signs with a private key."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        self.public_key = private_key.public_key()
        self._key_id = key_id_of(self.public_key)

    @property
    def key_id(self) -> str:
        return self._key_id

    def sign(self, data: bytes) -> bytes:
        return self._private_key.sign(data)


class Ed25519Verifier:
    """Verifies with any of a set of public keys (old keys stay valid for old checkpoints)."""

    def __init__(self, public_keys: list[Ed25519PublicKey]) -> None:
        self._keys = {key_id_of(k): k for k in public_keys}

    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        key = self._keys.get(key_id)
        if key is None:
            return False
        try:
            key.verify(signature, data)
        except InvalidSignature:
            return False
        return True


def create_key_file(path: Path) -> Ed25519Signer:
    """Write a new private key (PEM, mode 0600) and its public key beside it (``.pub``)."""
    if path.exists():
        raise LogbookError(f"The signing key {path} already exists; it was not replaced.")
    path.parent.mkdir(parents=True, exist_ok=True)
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public_path(path).write_bytes(
        private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return Ed25519Signer(private_key)


def public_path(private_path: Path) -> Path:
    """Where the public half of a key file is kept."""
    return private_path.with_name(private_path.name + ".pub")


def load_signer(path: Path) -> Ed25519Signer:
    """The signer for a private key file."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError:
        raise LogbookError(
            f"The logbook signing key {path} does not exist: create it with `tocsin logbook keygen`."
        ) from None
    except (ValueError, TypeError):
        raise LogbookError(f"The file {path} is not a PEM Ed25519 private key.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise LogbookError(f"The key in {path} is not an Ed25519 key.")
    return Ed25519Signer(key)


def load_verifier(paths: list[Path]) -> Ed25519Verifier:
    """A verifier for public key files (PEM); a private key file is accepted too."""
    keys: list[Ed25519PublicKey] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise LogbookError(
                f"The public key {path} does not exist: give the logbook key's .pub file."
            ) from None
        try:
            if b"PRIVATE KEY" in data:
                keys.append(load_signer(path).public_key)
                continue
            key = serialization.load_pem_public_key(data)
        except ValueError:
            raise LogbookError(f"The file {path} is not a PEM public key.") from None
        if not isinstance(key, Ed25519PublicKey):
            raise LogbookError(f"The key in {path} is not an Ed25519 key.")
        keys.append(key)
    return Ed25519Verifier(keys)
