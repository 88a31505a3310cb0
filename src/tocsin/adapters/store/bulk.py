"""Bulk inserts for hot paths: compiled once per dialect, run as one driver ``executemany``.

SQLAlchemy's ORM and even Core executemany build a parameter dictionary and run every bind processor
through its generic machinery for each row. For the receiver's signals and the logbook's entries that
bookkeeping costs more than the database. A :class:`BulkInsert` compiles its ``INSERT … ON CONFLICT DO
NOTHING`` once, takes each column's own bind processor from SQLAlchemy once (so values are stored exactly
as SQLAlchemy would store them, and read back by the same mapped columns), and hands the driver plain
tuples or dictionaries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

Processor = Callable[[Any], Any] | None
ANY_CONFLICT = ("*",)  # ON CONFLICT DO NOTHING without a target: whichever unique constraint clashes


class BulkInsert:
    """``INSERT INTO table (…) VALUES (…) [ON CONFLICT [(keys)] DO NOTHING]`` for many rows at once.

    ``skip_conflicts_on=ANY_CONFLICT`` skips a row that clashes with any unique constraint of the table."""

    def __init__(
        self,
        table: Table,
        dialect: Dialect,
        *,
        skip_conflicts_on: Sequence[str] = (),
        serialized: Sequence[str] = (),
    ) -> None:
        make = pg_insert if dialect.name == "postgresql" else sqlite_insert
        statement = make(table)
        if tuple(skip_conflicts_on) == ANY_CONFLICT:
            statement = statement.on_conflict_do_nothing()
        elif skip_conflicts_on:
            statement = statement.on_conflict_do_nothing(index_elements=list(skip_conflicts_on))
        names = [c.name for c in table.columns]
        compiled = statement.compile(dialect=dialect, column_keys=names)
        self.sql = compiled.string
        self.positional = bool(compiled.positional)
        order = list(compiled.positiontup or ()) if self.positional else names
        self.columns = [compiled.binds[name].key if name in compiled.binds else name for name in order]
        processors: list[Processor] = [
            None if name in serialized else table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self.columns
        ]
        self._processors = list(zip(self.columns, processors, strict=True))

    def params(self, rows: Iterable[Mapping[str, Any]]) -> list[Any]:
        """Driver parameters for these rows (column name → Python value)."""
        if self.positional:
            return [tuple(r[n] if p is None else p(r[n]) for n, p in self._processors) for r in rows]
        return [{n: (r[n] if p is None else p(r[n])) for n, p in self._processors} for r in rows]

    def run(self, connection: Connection, rows: Iterable[Mapping[str, Any]]) -> int:
        """Insert the rows; return how many the database took (skipped conflicts do not count)."""
        return self.execute(connection, self.params(rows))

    def execute(self, connection: Connection, params: list[Any]) -> int:
        """Insert rows already turned into driver parameters by :meth:`params`."""
        if not params:
            return 0
        result = connection.exec_driver_sql(self.sql, params)
        return max(int(result.rowcount), 0)


_CACHE: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], BulkInsert] = {}


def bulk_insert(
    table: Table, dialect: Dialect, *, skip_conflicts_on: Sequence[str] = (), serialized: Sequence[str] = ()
) -> BulkInsert:
    """The compiled bulk insert for a table on a dialect, made once per process. The JSON columns named
    in ``serialized`` take text the caller has already serialized, sent as it is."""
    key = (table.name, dialect.name, tuple(skip_conflicts_on), tuple(serialized))
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = BulkInsert(
            table, dialect, skip_conflicts_on=skip_conflicts_on, serialized=serialized
        )
    return found
