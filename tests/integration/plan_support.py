"""Action plans for tests of other things: plans with no mandatory step, so alarms settle at once."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from tocsin.domain.alarms import ALARM_CLASSES
from tocsin.domain.plans import ActionPlan, PlanStep
from tocsin.domain.scope import Scope
from tocsin.services.unit_of_work import Store, UnitOfWork

OPTIONAL = (PlanStep("free_text", "Use your judgement.", mandatory=False),)


def no_mandatory_steps(store: Store, tenant_id: UUID, client_ids: Iterable[UUID]) -> None:
    """Give these clients, for every alarm class, a plan of one optional step."""
    clients = list(client_ids)

    def write(uow: UnitOfWork) -> None:
        for client_id in clients:
            for alarm_class in ALARM_CLASSES:
                plan = ActionPlan(uow.clock.new_id(), tenant_id, alarm_class, OPTIONAL, client_id=client_id)
                uow.plans.put_plan(plan)

    store.write(write, Scope.system())
