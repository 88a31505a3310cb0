"""Scoped SQL repositories: every query carries the caller's tenant, client and site limits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache
from typing import Any, Generic, TypeVar, cast
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    bindparam,
    delete,
    false,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tocsin.adapters.store.mapping import row_values, to_domain
from tocsin.adapters.store.rows import AccountRow, SiteRow
from tocsin.domain.errors import Conflict, NotFound, OutOfScope
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Site
from tocsin.services import scoping

T = TypeVar("T")

# Statements built once per table and shape of scope (a handful each; the keys come from the code, never
# from input), run with bound parameters: building and hashing a statement costs more than running it.
_BUILT: dict[tuple[Any, ...], Any] = {}
_TENANT_PARAM = "b_scope_tenant"


class SqlRepository(Generic[T]):
    """One kind of record, seen through a scope.

    Rows are read and written with SQLAlchemy Core statements on the session's connection (one
    statement each, no identity map or flush to keep): an update is one ``UPDATE … WHERE id = … AND`` the
    scope, and finds nothing to change (404) when the record is outside it."""

    def __init__(self, session: Session, scope: Scope, entity: type[T], row: type[Any]) -> None:
        self._session = session
        self._scope = scope
        self._entity = entity
        self._row = row
        self._table = cast(Table, row.__table__)
        self._placement = scoping.PLACEMENT[entity]

    # ------------------------------------------------------------ reads

    def get(self, item_id: UUID) -> T | None:
        row = self._execute("get", (), {"b_id": item_id}).first()
        return None if row is None else to_domain(self._entity, row)

    def get_many(self, item_ids: Collection[UUID]) -> list[T]:
        ids = list(item_ids)
        found: list[T] = []
        for start in range(0, len(ids), 500):
            stmt = self._visible(select(self._table).where(self._table.c.id.in_(ids[start : start + 500])))
            found.extend(to_domain(self._entity, r) for r in self._run(stmt, {}))
        return found

    def find(self, **equal: Any) -> list[T]:
        shape = tuple(sorted((name, value is None) for name, value in equal.items()))
        params = {f"b_{name}": value for name, value in equal.items() if value is not None}
        return [to_domain(self._entity, r) for r in self._execute("find", shape, params)]

    # ------------------------------------------------------------ writes

    def add(self, item: T) -> None:
        self._check_write(item)
        self._run(insert(self._table), self._insert_values(item))

    def update(self, item: T) -> None:
        self._check_write(item)
        values = row_values(item)
        values["b_id"] = values.pop("id")
        if not self._execute("update", (), values).rowcount:
            raise NotFound(f"No {self._entity.__name__.lower()} {item.id} in your scope.")  # type: ignore[attr-defined]
        self._forget(item.id, expunge=False)  # type: ignore[attr-defined]

    def remove(self, item: T) -> None:
        self._check_write(item)
        if not self._execute("delete", (), {"b_id": item.id}).rowcount:  # type: ignore[attr-defined]
            raise NotFound(f"No {self._entity.__name__.lower()} {item.id} in your scope.")  # type: ignore[attr-defined]
        self._forget(item.id, expunge=True)  # type: ignore[attr-defined]

    def add_many(self, items: Sequence[T]) -> None:
        """Store new records in one statement (executemany) per set of columns."""
        if not items:
            return
        site_ids = {i.site_id for i in items if hasattr(i, "site_id")}
        sites = {s.id: s for s in self._sites(site_ids)}
        for item in items:
            if not scoping.may_write(self._scope, item, sites.get):
                self._check_write(item)  # raises with the sentence
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for item in items:
            values = self._insert_values(item)
            groups.setdefault(tuple(values), []).append(values)
        for rows in groups.values():
            self._run(insert(self._table), rows)

    def _insert_values(self, item: T) -> dict[str, Any]:
        """The row's values; a None left out where the column has a server default (as the ORM did)."""
        values = row_values(item)
        for name in _server_defaulted(self._table):
            if name in values and values[name] is None:
                del values[name]
        return values

    def _sites(self, site_ids: Collection[UUID]) -> list[Site]:
        ids, found = list(site_ids), list[Site]()
        for start in range(0, len(ids), 500):
            stmt = select(SiteRow).where(SiteRow.id.in_(ids[start : start + 500]))
            found.extend(to_domain(Site, r) for r in self._session.scalars(stmt))
        return found

    def _run(self, statement: Any, params: Any) -> Any:
        """One statement on the session's connection; what the ORM holds pending is written first (the
        ORM's autoflush), and a broken constraint becomes a Conflict with a sentence."""
        session = self._session
        if session.new or session.dirty or session.deleted:
            session.flush()
        try:
            return session.connection().execute(statement, params)
        except IntegrityError as exc:
            if "foreign key" in str(exc.orig).lower():
                raise Conflict(
                    f"This {self._entity.__name__.lower()} refers to a record that is not stored:"
                    " create that record first."
                ) from exc
            raise Conflict(
                f"This {self._entity.__name__.lower()} clashes with one already stored"
                " (a reference or number that must be unique is taken)."
            ) from exc

    def _forget(self, item_id: UUID, *, expunge: bool) -> None:
        """A row the ORM loaded in this transaction (another store's read) is stale after a Core write."""
        loaded = self._session.identity_map.get(self._session.identity_key(self._row, item_id))
        if loaded is not None:
            if expunge:
                self._session.expunge(loaded)
            else:
                self._session.expire(loaded)

    def _check_write(self, item: T) -> None:
        if not scoping.may_write(self._scope, item, self._site_of):
            raise OutOfScope(
                f"Your grant does not cover this {self._entity.__name__.lower()}:"
                " ask an administrator for access to its tenant, client or site."
            )

    def _site_of(self, site_id: UUID) -> Site | None:
        row = self._session.get(SiteRow, site_id)
        return None if row is None else to_domain(Site, row)

    # ------------------------------------------------------------ statements

    def _execute(self, kind: str, shape: tuple[Any, ...], params: dict[str, Any]) -> Any:
        """Run the ``kind`` statement (get, find, update, delete) for this scope: built once per table
        and shape of scope and run with bound values; a scope limited to clients or sites, whose
        condition holds lists, builds its statement each time."""
        scope_shape, scope_params = self._scope_shape()
        key = (self._table, kind, shape, scope_shape)
        statement = _BUILT.get(key)
        if statement is None:
            statement = self._build(kind, shape, self._shape_condition(scope_shape))
            if scope_shape != "restricted":
                _BUILT[key] = statement
        return self._run(statement, {**params, **scope_params})

    def _build(self, kind: str, shape: tuple[Any, ...], condition: ColumnElement[bool]) -> Any:
        table = self._table
        if kind == "get":
            return select(table).where(table.c.id == bindparam("b_id"), condition)
        if kind == "find":
            stmt = select(table).where(condition)
            for name, is_none in shape:
                column = table.c[name]
                stmt = stmt.where(column.is_(None) if is_none else column == bindparam(f"b_{name}"))
            return stmt.order_by(table.c.id)
        if kind == "update":
            return update(table).where(table.c.id == bindparam("b_id"), condition)
        return delete(table).where(table.c.id == bindparam("b_id"), condition)

    def _scope_shape(self) -> tuple[str, dict[str, Any]]:
        """The shape of the scope's condition on this table, and its bound values."""
        scope, placement = self._scope, self._placement
        tenant = {_TENANT_PARAM: scope.tenant_id}
        if placement == scoping.TENANT:
            return ("all", {}) if scope.all_tenants else ("self", tenant)
        if scope.all_tenants:
            return "all", {}
        if scope.tenant_id is None:
            return "none", {}
        if placement == scoping.SHARED:
            return "shared", tenant
        if scope.whole_tenant or placement == scoping.TENANT_RESOURCE:
            return "tenant", tenant
        return "restricted", {}

    def _shape_condition(self, shape: str) -> ColumnElement[bool]:
        table = self._table
        if shape == "all":
            return true()
        if shape == "none":
            return false()
        if shape == "self":
            return table.c.id == bindparam(_TENANT_PARAM)
        if shape == "shared":
            return or_(table.c.tenant_id.is_(None), table.c.tenant_id == bindparam(_TENANT_PARAM))
        if shape == "tenant":
            return table.c.tenant_id == bindparam(_TENANT_PARAM)
        return self._condition()

    # ------------------------------------------------------------ scope as SQL

    def _visible(self, stmt: Select[Any]) -> Select[Any]:
        return stmt.where(self._condition())

    def scope_condition(self) -> ColumnElement[bool]:
        """The scope as a condition on this record's table (for reads of a few columns)."""
        return self._condition()

    def _condition(self) -> ColumnElement[bool]:
        scope, row, placement = self._scope, self._row, self._placement
        if placement == scoping.TENANT:
            return true() if scope.all_tenants else row.id == scope.tenant_id
        if scope.all_tenants:
            return true()
        if scope.tenant_id is None:
            return false()
        in_tenant = row.tenant_id == scope.tenant_id
        if placement == scoping.SHARED:
            return or_(row.tenant_id.is_(None), in_tenant)
        if scope.whole_tenant or placement == scoping.TENANT_RESOURCE:
            return in_tenant  # type: ignore[no-any-return]
        return in_tenant & self._restricted_condition()  # type: ignore[no-any-return]

    def _restricted_condition(self) -> ColumnElement[bool]:
        scope, row = self._scope, self._row
        clients = list(scope.client_ids or ())
        sites = list(scope.site_ids or ())
        owners_of_sites = select(SiteRow.client_id).where(SiteRow.id.in_(sites))
        if self._placement == scoping.CLIENT:
            return or_(row.id.in_(clients), row.id.in_(owners_of_sites))
        if self._placement == scoping.SCHEDULE:
            return or_(
                row.client_id.is_(None),
                row.client_id.in_(clients),
                row.client_id.in_(owners_of_sites),
            )
        if self._placement == scoping.SITE:
            return or_(row.client_id.in_(clients), row.id.in_(sites))
        visible_sites = select(SiteRow.id).where(or_(SiteRow.client_id.in_(clients), SiteRow.id.in_(sites)))
        return row.site_id.in_(visible_sites)  # type: ignore[no-any-return]


@cache
def _server_defaulted(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns if c.server_default is not None)


class SqlAccountIdentities:
    """Transmitter identities across tenants (the schema holds them unique on the node)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def holder(self, receiver: str, line: str, number: str) -> UUID | None:
        statement = select(AccountRow.tenant_id).where(
            AccountRow.receiver == receiver.upper(),
            AccountRow.line == line.upper(),
            AccountRow.number == number.upper(),
        )
        return self._session.scalars(statement.limit(1)).first()

    def holders(self, identities: Collection[tuple[str, str, str]]) -> dict[tuple[str, str, str], UUID]:
        wanted = {tuple(p.upper() for p in i) for i in identities}
        numbers = sorted({number for _r, _l, number in wanted})
        found: dict[tuple[str, str, str], UUID] = {}
        columns = (AccountRow.receiver, AccountRow.line, AccountRow.number, AccountRow.tenant_id)
        for start in range(0, len(numbers), 500):
            stmt = select(*columns).where(AccountRow.number.in_(numbers[start : start + 500]))
            for receiver, line, number, tenant_id in self._session.execute(stmt):
                if (receiver, line, number) in wanted:
                    found[(receiver, line, number)] = tenant_id
        return found
