"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every database.

    PostgreSQL keeps it as ``timestamptz``; SQLite has no time zones, so the value is stored as UTC
    text and given its zone back on the way out. Naive datetimes are refused: they are always a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise _naive(value)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        """On SQLite, :meth:`process_bind_param` and SQLite's text form in one step: every signal and
        logbook entry stored binds two of these, and SQLAlchemy's chain of two processors cost twice as
        much. The text is SQLAlchemy's own (``YYYY-MM-DD HH:MM:SS.ffffff``, UTC)."""
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        return _sqlite_text

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _naive(value: datetime) -> ValueError:
    return ValueError(f"naive datetime {value!r} cannot be stored: times are UTC-aware")


def _sqlite_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise _naive(value)
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
