"""UTC timestamps bind on SQLite in one step, as the same text SQLAlchemy's two processors wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, MetaData, Table, create_engine, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import DateTime

from tocsin.adapters.store.types import UTCDateTime

DIALECT = sqlite.dialect()
FAST = UTCDateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
SQLITE_TEXT = DateTime().dialect_impl(DIALECT).bind_processor(DIALECT)
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-9, minutes=-30))])


def _as_before(value: datetime) -> object:
    """What SQLAlchemy bound before: process_bind_param, then SQLite's DATETIME text."""
    assert SQLITE_TEXT is not None
    return SQLITE_TEXT(UTCDateTime().process_bind_param(value, DIALECT))


BOUNDS = {"min_value": datetime(2, 1, 1), "max_value": datetime(9998, 12, 31)}  # noqa: DTZ001 - hypothesis wants naive bounds


@given(st.datetimes(**BOUNDS, timezones=ZONES))
def test_an_aware_time_binds_as_the_text_sqlalchemy_wrote(value: datetime) -> None:
    """Any aware time binds on SQLite as the UTC text SQLAlchemy's processors wrote, microseconds always."""
    assert FAST is not None
    assert FAST(value) == _as_before(value)


def test_none_binds_as_null_and_a_naive_time_is_refused() -> None:
    """NULL stays NULL; a naive time is refused with the same error as before, on every path."""
    assert FAST is not None
    assert FAST(None) is None
    with pytest.raises(ValueError, match="naive datetime"):
        FAST(datetime(2026, 1, 1))  # noqa: DTZ001 - naive on purpose
    with pytest.raises(ValueError, match="naive datetime"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), DIALECT)  # noqa: DTZ001


def test_a_time_stored_on_sqlite_reads_back_equal() -> None:
    """Written through the one-step binding, a time reads back equal, in UTC."""
    table = Table("t", MetaData(), Column("at", UTCDateTime()))
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    written = datetime(2026, 11, 30, 17, 5, 0, 12, tzinfo=timezone(timedelta(hours=1)))
    with engine.begin() as connection:
        connection.execute(insert(table), [{"at": written}, {"at": None}])
        read = list(connection.scalars(select(table.c.at)))
    assert read == [written, None]
    assert read[0] is not None
    assert read[0].tzinfo is UTC
