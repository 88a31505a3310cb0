"""A fast stand-in for the Argon2 hasher: salted SHA-256, good for tests and nothing else."""

from __future__ import annotations

import hashlib
import hmac
import itertools

_PREFIX = "fake"


def _digest(salt: str, secret: str) -> str:
    return hashlib.sha256(f"{salt}{secret}".encode()).hexdigest()


class FakeHasher:
    """The SecretHasher port without the cost: ``fake$SALT$sha256(SALT + secret)``.

    Salts come from a counter, so hashing one secret twice gives two different, reproducible hashes.
    The clear secret is never kept; ``verified`` lists the hashes each ``verify`` checked, so a test can
    see that a check happened (the Argon2 cost was paid) without timing it.
    """

    def __init__(self) -> None:
        self._salts = itertools.count(1)
        self.verified: list[str] = []

    def hash(self, secret: str) -> str:
        """A salted hash of the secret."""
        salt = f"{next(self._salts):08x}"
        return f"{_PREFIX}${salt}${_digest(salt, secret)}"

    def verify(self, hashed: str, secret: str) -> bool:
        """True when ``secret`` matches ``hashed``; False for a wrong secret or a malformed hash."""
        self.verified.append(hashed)
        parts = hashed.split("$")
        if len(parts) != 3 or parts[0] != _PREFIX:
            return False
        _prefix, salt, digest = parts
        return hmac.compare_digest(digest, _digest(salt, secret))
