"""The system clock: the one place that reads wall-clock time."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from uuid import UUID

from uuid_utils.compat import uuid7


class SystemClock:
    """Real time, timezone-aware UTC, and UUIDv7 identifiers ordered by it."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def new_id(self) -> UUID:
        return uuid7()
