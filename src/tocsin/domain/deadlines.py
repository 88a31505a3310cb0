"""Deadlines: something that must happen at a given time unless cancelled, fired exactly once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Deadline:
    """A timer kept in the store: supervision of a transmitter, an SLA, a unit's acknowledgment.

    ``key`` names the deadline for its owner (one supervision deadline per account path, say): arming
    the same key again moves it rather than adding a second one.
    """

    id: UUID
    kind: str
    key: str
    due_at: datetime
    tenant_id: UUID | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    fired_at: datetime | None = None
