"""A tenant's own KPI targets: checked, stored and recorded in the logbook in one transaction."""

from __future__ import annotations

from tocsin.domain.errors import NotFound
from tocsin.domain.kpi_targets import KpiTargetsSet, SetKpiTargets, normalised
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.unit_of_work import UnitOfWork

NODE = "node"  # what the entry says for a measure left to the node's settings


def set_kpi_targets(cmd: SetKpiTargets, uow: UnitOfWork, actor: str, _deps: Deps) -> KpiTargetsSet:
    """Store the tenant's targets (malformed text refused before anything is written)."""
    take, settle = normalised(cmd.take), normalised(cmd.settle)
    if uow.tenants.get(cmd.tenant_id) is None:
        raise NotFound(f"No tenant {cmd.tenant_id} in your scope.")
    uow.kpis.put_tenant_targets(cmd.tenant_id, take, settle, uow.clock.now())
    event = KpiTargetsSet(
        tenant_id=cmd.tenant_id,
        take=NODE if take is None else take or "-",
        settle=NODE if settle is None else settle or "-",
    )
    uow.record(event, actor)
    return event


HANDLERS = Handlers().add(SetKpiTargets, set_kpi_targets)
