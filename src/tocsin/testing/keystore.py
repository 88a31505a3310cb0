"""The in-memory twin of the transmitter key store."""

from __future__ import annotations


class InMemoryKeyStore:
    """Transmitter AES keys in a dict, by reference."""

    def __init__(self) -> None:
        self._keys: dict[str, bytes] = {}

    def put(self, ref: str, key: bytes) -> None:
        """Store a key under a reference (replacing an older one)."""
        self._keys[ref] = bytes(key)

    def get(self, ref: str) -> bytes | None:
        """The key stored under a reference, if any."""
        return self._keys.get(ref)

    def delete(self, ref: str) -> None:
        """Forget a key; nothing if absent."""
        self._keys.pop(ref, None)
