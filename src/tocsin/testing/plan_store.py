"""The in-memory twin of :class:`tocsin.adapters.store.plan_store.SqlPlanStore`."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from tocsin.domain import plans as p
from tocsin.domain.instructions import TemporaryInstruction
from tocsin.domain.scope import Scope


@dataclass
class PlanTables:
    """What the in-memory plan store holds (records are frozen: containers are copied per transaction)."""

    plans: dict[UUID, p.ActionPlan] = field(default_factory=dict)
    steps: dict[UUID, p.AlarmStep] = field(default_factory=dict)
    instructions: dict[UUID, TemporaryInstruction] = field(default_factory=dict)

    def copy(self) -> PlanTables:
        return PlanTables(dict(self.plans), dict(self.steps), dict(self.instructions))


class InMemoryPlanStore:
    """Plans, checklists and instructions in dicts, within the scope's tenant like the SQL store."""

    def __init__(self, tables: PlanTables, scope: Scope) -> None:
        self._t = tables
        self._scope = scope

    def _mine(self, tenant_id: UUID) -> bool:
        return self._scope.all_tenants or (
            self._scope.tenant_id is not None and tenant_id == self._scope.tenant_id
        )

    def plan(
        self, alarm_class: str, *, client_id: UUID | None = None, site_id: UUID | None = None
    ) -> p.ActionPlan | None:
        if (client_id is None) == (site_id is None):
            return None
        for plan in self._t.plans.values():
            if not self._mine(plan.tenant_id) or plan.alarm_class != alarm_class:
                continue
            if site_id is not None and plan.site_id == site_id:
                return plan
            if site_id is None and plan.site_id is None and plan.client_id == client_id:
                return plan
        return None

    def put_plan(self, plan: p.ActionPlan) -> None:
        for stored in list(self._t.plans.values()):
            if (stored.tenant_id, stored.alarm_class, stored.client_id, stored.site_id) == (
                plan.tenant_id,
                plan.alarm_class,
                plan.client_id,
                plan.site_id,
            ):
                del self._t.plans[stored.id]
        self._t.plans[plan.id] = plan

    def remove_plan(self, plan_id: UUID) -> None:
        plan = self._t.plans.get(plan_id)
        if plan is not None and self._mine(plan.tenant_id):
            del self._t.plans[plan_id]

    def checklist(self, alarm_id: UUID) -> list[p.AlarmStep]:
        found = [s for s in self._t.steps.values() if s.alarm_id == alarm_id and self._mine(s.tenant_id)]
        return sorted(found, key=lambda s: (s.position, s.id))

    def add_steps(self, steps: Sequence[p.AlarmStep]) -> None:
        for step in steps:
            self._t.steps[step.id] = step

    def drop_steps(self, step_ids: Collection[UUID]) -> None:
        for step_id in step_ids:
            step = self._t.steps.get(step_id)
            if step is not None and step.open and self._mine(step.tenant_id):
                del self._t.steps[step_id]

    def save_step(self, step: p.AlarmStep) -> None:
        stored = self._t.steps.get(step.id)
        if stored is None or not stored.open or not self._mine(stored.tenant_id):
            raise p.StepAlreadyDone(f"Step {step.position} ({step.kind}) was already done or skipped.")
        self._t.steps[step.id] = step

    def add_instruction(self, instruction: TemporaryInstruction) -> None:
        self._t.instructions[instruction.id] = instruction

    def save_instruction(self, instruction: TemporaryInstruction) -> None:
        stored = self._t.instructions.get(instruction.id)
        if stored is not None and self._mine(stored.tenant_id):
            self._t.instructions[instruction.id] = dataclasses.replace(instruction)

    def instruction(self, instruction_id: UUID) -> TemporaryInstruction | None:
        found = self._t.instructions.get(instruction_id)
        return found if found is not None and self._mine(found.tenant_id) else None

    def instructions(self, site_id: UUID, *, open_only: bool = True) -> list[TemporaryInstruction]:
        found = [
            x
            for x in self._t.instructions.values()
            if x.site_id == site_id and self._mine(x.tenant_id) and (x.state == "open" or not open_only)
        ]
        return sorted(found, key=lambda x: (x.starts_at, x.id))[:500]
