"""Ed25519 keys that sign logbook checkpoints, kept in files outside the database.

The private key lives with the node (mode 0600); auditors verify with the public key alone, so a
person with write access to the database cannot forge a checkpoint.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tocsin.domain.errors import LogbookError
from tocsin.domain.logbook import Checkpoint


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


def heads_path(private_path: Path) -> Path:
    """Where a node keeps the newest checkpoint it signed per chain: beside its key."""
    return private_path.with_name(private_path.name + ".heads.json")


class SignedHeadsFile:
    """The newest checkpoint this node signed for each chain, kept beside the key, outside the database.

    Someone who can rewrite the database can delete a chain's newest entries together with their
    checkpoints; this file still names what the key signed, so verify finds the truncation. It is
    written after the checkpoint's transaction commits (never ahead of the database), replaced
    atomically under a lock (``tocsin serve`` and ``tocsin logbook checkpoint`` may both sign), and
    holds one line's worth per chain.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Checkpoint]:
        """Each chain's newest signed checkpoint; nothing when this node never signed."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {chain: _checkpoint(chain, fields) for chain, fields in raw.items()}
        except FileNotFoundError:
            return {}
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise LogbookError(
                f"The signed-heads file {self.path} cannot be read ({exc}): restore it from this"
                " node's backup, or move it aside to verify without it."
            ) from None

    def record(self, checkpoints: Iterable[Checkpoint]) -> None:
        """Keep these checkpoints where they are newer than the ones already kept."""
        with self._locked():
            kept = self.load()
            for checkpoint in checkpoints:
                known = kept.get(checkpoint.chain)
                if known is None or checkpoint.seq > known.seq:
                    kept[checkpoint.chain] = checkpoint
            self._replace({chain: _fields(c) for chain, c in sorted(kept.items())})

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _replace(self, content: dict[str, dict[str, object]]) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(content, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)


def _fields(checkpoint: Checkpoint) -> dict[str, object]:
    return {
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "signed_at": checkpoint.signed_at.isoformat(),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }


def _checkpoint(chain: str, fields: dict[str, object]) -> Checkpoint:
    signed_at = datetime.fromisoformat(str(fields["signed_at"]))
    if signed_at.tzinfo is None:
        raise ValueError("signed_at has no time zone")
    return Checkpoint(
        chain=chain,
        seq=int(str(fields["seq"])),
        hash=str(fields["hash"]),
        signed_at=signed_at,
        key_id=str(fields["key_id"]),
        signature=str(fields["signature"]),
    )
