"""Scoped SQL repositories: every query carries the caller's tenant, client and site limits."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tocsin.adapters.store.mapping import row_values, to_domain
from tocsin.adapters.store.rows import AccountRow, SiteRow
from tocsin.domain.errors import Conflict, NotFound, OutOfScope
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Site
from tocsin.services import scoping

T = TypeVar("T")
HOLD_AT_MOST = 16  # rows a find keeps loaded for the transaction's updates (more: a listing, not kept)


class SqlRepository(Generic[T]):
    """One kind of record, seen through a scope."""

    def __init__(self, session: Session, scope: Scope, entity: type[T], row: type[Any]) -> None:
        self._session = session
        self._scope = scope
        self._entity = entity
        self._row = row
        self._placement = scoping.PLACEMENT[entity]
        # The session's identity map holds unchanged rows weakly: once turned into domain objects they
        # are gone, and updating one would SELECT it again. The rows a get or a short find loaded stay
        # here for the transaction, so read-then-update costs one statement less.
        self._held: dict[Any, Any] = {}

    # ------------------------------------------------------------ reads

    def get(self, item_id: UUID) -> T | None:
        found = self._session.scalars(self._visible(select(self._row).where(self._row.id == item_id)))
        row = found.first()
        if row is None:
            return None
        self._held[row.id] = row
        return to_domain(self._entity, row)

    def get_many(self, item_ids: Collection[UUID]) -> list[T]:
        ids = list(item_ids)
        found: list[T] = []
        for start in range(0, len(ids), 500):
            stmt = self._visible(select(self._row).where(self._row.id.in_(ids[start : start + 500])))
            found.extend(to_domain(self._entity, r) for r in self._session.scalars(stmt))
        return found

    def find(self, **equal: Any) -> list[T]:
        stmt = self._visible(select(self._row))
        for name, value in equal.items():
            stmt = stmt.where(getattr(self._row, name) == value)
        rows = list(self._session.scalars(stmt.order_by(self._row.id)))
        if len(rows) <= HOLD_AT_MOST:
            self._held.update((r.id, r) for r in rows)
        return [to_domain(self._entity, r) for r in rows]

    # ------------------------------------------------------------ writes

    def add(self, item: T) -> None:
        self._check_write(item)
        self._session.add(self._row(**row_values(item)))
        self._flush(item)

    def update(self, item: T) -> None:
        self._check_write(item)
        row = self._session.get(self._row, item.id)  # type: ignore[attr-defined]
        if row is None or not self._sees(row):
            raise NotFound(f"No {self._entity.__name__.lower()} {item.id} in your scope.")  # type: ignore[attr-defined]
        for name, value in row_values(item).items():
            setattr(row, name, value)
        self._flush(item)

    def remove(self, item: T) -> None:
        self._check_write(item)
        row = self._session.get(self._row, item.id)  # type: ignore[attr-defined]
        if row is None or self.get(row.id) is None:
            raise NotFound(f"No {self._entity.__name__.lower()} {item.id} in your scope.")  # type: ignore[attr-defined]
        self._session.delete(row)
        self._flush(item)

    def add_many(self, items: Sequence[T]) -> None:
        """Store new records in one flush, which the database takes as batched inserts."""
        if not items:
            return
        site_ids = {i.site_id for i in items if hasattr(i, "site_id")}
        sites = {s.id: s for s in self._sites(site_ids)}
        for item in items:
            if not scoping.may_write(self._scope, item, sites.get):
                self._check_write(item)  # raises with the sentence
        self._session.add_all([self._row(**row_values(item)) for item in items])
        self._flush(items[0])

    def _sites(self, site_ids: Collection[UUID]) -> list[Site]:
        ids, found = list(site_ids), list[Site]()
        for start in range(0, len(ids), 500):
            stmt = select(SiteRow).where(SiteRow.id.in_(ids[start : start + 500]))
            found.extend(to_domain(Site, r) for r in self._session.scalars(stmt))
        return found

    def _flush(self, item: T) -> None:
        try:
            self._session.flush()
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

    def _check_write(self, item: T) -> None:
        if not scoping.may_write(self._scope, item, self._site_of):
            raise OutOfScope(
                f"Your grant does not cover this {self._entity.__name__.lower()}:"
                " ask an administrator for access to its tenant, client or site."
            )

    def _site_of(self, site_id: UUID) -> Site | None:
        row = self._session.get(SiteRow, site_id)
        return None if row is None else to_domain(Site, row)

    def _sees(self, row: Any) -> bool:
        """Whether the scope sees a loaded row: decided here for a tenant's own records (no second
        SELECT on every update), asked of the database for records placed under clients and sites."""
        scope = self._scope
        if self._placement in (scoping.TENANT_RESOURCE, scoping.TENANT, scoping.SHARED):
            if scope.all_tenants:
                return True
            if self._placement == scoping.TENANT:
                return bool(row.id == scope.tenant_id)
            return scope.tenant_id is not None and row.tenant_id == scope.tenant_id
        return self.get(row.id) is not None

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
