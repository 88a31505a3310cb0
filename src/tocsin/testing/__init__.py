"""Public test twins: a fake clock, an in-memory store and a fast hasher, for Tocsin and its users.

Each one implements a port of :mod:`tocsin.services.ports`; the contract tests hold it to the real
adapter's behaviour.
"""

from tocsin.testing.clock import FakeClock
from tocsin.testing.hashing import FakeHasher
from tocsin.testing.store import InMemoryStore

__all__ = ["FakeClock", "FakeHasher", "InMemoryStore"]
