"""Who may see what: a caller's data scope, from a whole tenant down to a few clients or sites."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Scope:
    """The rows a caller may read or change.

    ``tenant_id`` names the tenant; ``None`` together with ``all_tenants`` is the system scope used by
    the node's own services (scheduler, receivers, migrations), never by a person. When ``client_ids``
    or ``site_ids`` is set, the caller sees only those clients and sites (the union of both lists) and
    the sites' children; tenant-level resources (units, partners, shared schedules) stay readable but
    only a whole-tenant caller may change them.
    """

    tenant_id: UUID | None
    client_ids: frozenset[UUID] | None = None
    site_ids: frozenset[UUID] | None = None
    all_tenants: bool = False

    @classmethod
    def tenant(cls, tenant_id: UUID) -> Scope:
        """The whole of one tenant."""
        return cls(tenant_id=tenant_id)

    @classmethod
    def system(cls) -> Scope:
        """Every tenant: for the node's own services only."""
        return cls(tenant_id=None, all_tenants=True)

    @classmethod
    def restricted(
        cls,
        tenant_id: UUID,
        client_ids: frozenset[UUID] = frozenset(),
        site_ids: frozenset[UUID] = frozenset(),
    ) -> Scope:
        """Part of one tenant: some clients (with all their sites) and some single sites."""
        return cls(tenant_id=tenant_id, client_ids=client_ids, site_ids=site_ids)

    @property
    def whole_tenant(self) -> bool:
        """True when no client or site restriction applies."""
        return self.client_ids is None and self.site_ids is None

    def allows_tenant(self, tenant_id: UUID | None) -> bool:
        """Whether rows of this tenant are visible at all."""
        return self.all_tenants or (tenant_id is not None and tenant_id == self.tenant_id)

    def allows_site(self, tenant_id: UUID, client_id: UUID, site_id: UUID) -> bool:
        """Whether a site (and so its accounts, zones, contacts) is inside the scope."""
        if not self.allows_tenant(tenant_id):
            return False
        if self.whole_tenant:
            return True
        return client_id in (self.client_ids or ()) or site_id in (self.site_ids or ())
