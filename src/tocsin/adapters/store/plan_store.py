"""The SQL store of action plans, alarm checklists and temporary instructions (Core statements).

Every read and write is limited to the scope's tenant; the services read a plan's or an instruction's
client or site through the scoped repositories first, and a checklist after its alarm. Completing a
step is a write conditional on the step still being pending, so of two requests completing it, the
second changes nothing and is refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, Table, delete, false, insert, select, true, update
from sqlalchemy.orm import Session

from tocsin.adapters.store.plan_rows import ActionPlanRow, AlarmStepRow, SiteInstructionRow
from tocsin.domain import plans as p
from tocsin.domain.instructions import TemporaryInstruction
from tocsin.domain.scope import Scope

_PLAN = cast(Table, ActionPlanRow.__table__)
_STEP = cast(Table, AlarmStepRow.__table__)
_INSTRUCTION = cast(Table, SiteInstructionRow.__table__)
_STEP_FIELDS = tuple(f.name for f in dataclasses.fields(p.AlarmStep))
_INSTRUCTION_FIELDS = tuple(f.name for f in dataclasses.fields(TemporaryInstruction))


def steps_to_json(steps: Sequence[p.PlanStep]) -> list[dict[str, Any]]:
    """A plan's steps as stored (and as the API and the CLI write them)."""
    return [{"kind": s.kind, "instruction": s.instruction, "mandatory": s.mandatory} for s in steps]


def steps_from_json(stored: Sequence[Any]) -> tuple[p.PlanStep, ...]:
    return tuple(
        p.PlanStep(str(s["kind"]), str(s["instruction"]), bool(s.get("mandatory", True))) for s in stored
    )


def _plan(row: Any) -> p.ActionPlan:
    m = row._mapping
    return p.ActionPlan(
        id=m["id"],
        tenant_id=m["tenant_id"],
        alarm_class=m["alarm_class"],
        steps=steps_from_json(m["steps"] or []),
        client_id=m["client_id"],
        site_id=m["site_id"],
        updated_at=m["updated_at"],
        updated_by=m["updated_by"],
    )


class SqlPlanStore:
    """Plans, checklists and instructions in the caller's transaction, within the scope's tenant."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self._session = session
        self._scope = scope

    def _connection(self) -> Any:
        return self._session.connection()

    def _tenant(self, table: Table) -> ColumnElement[bool]:
        if self._scope.all_tenants:
            return true()
        if self._scope.tenant_id is None:
            return false()
        return table.c.tenant_id == self._scope.tenant_id

    def plan(
        self, alarm_class: str, *, client_id: UUID | None = None, site_id: UUID | None = None
    ) -> p.ActionPlan | None:
        if (client_id is None) == (site_id is None):
            return None
        owner = _PLAN.c.site_id == site_id if site_id is not None else _PLAN.c.client_id == client_id
        if site_id is None:
            owner = owner & _PLAN.c.site_id.is_(None)
        statement = select(_PLAN).where(self._tenant(_PLAN), _PLAN.c.alarm_class == alarm_class, owner)
        row = self._connection().execute(statement).first()
        return None if row is None else _plan(row)

    def put_plan(self, plan: p.ActionPlan) -> None:
        connection = self._connection()
        owner = (
            _PLAN.c.site_id == plan.site_id
            if plan.site_id is not None
            else _PLAN.c.client_id == plan.client_id
        )
        if plan.site_id is None:
            owner = owner & _PLAN.c.site_id.is_(None)
        same = (_PLAN.c.tenant_id == plan.tenant_id) & (_PLAN.c.alarm_class == plan.alarm_class) & owner
        connection.execute(delete(_PLAN).where(same))
        values = {
            "id": plan.id,
            "tenant_id": plan.tenant_id,
            "alarm_class": plan.alarm_class,
            "client_id": plan.client_id,
            "site_id": plan.site_id,
            "steps": steps_to_json(plan.steps),
            "updated_at": plan.updated_at,
            "updated_by": plan.updated_by,
        }
        connection.execute(insert(_PLAN).values(**values))

    def remove_plan(self, plan_id: UUID) -> None:
        self._connection().execute(delete(_PLAN).where(_PLAN.c.id == plan_id, self._tenant(_PLAN)))

    def checklist(self, alarm_id: UUID) -> list[p.AlarmStep]:
        statement = (
            select(*(_STEP.c[n] for n in _STEP_FIELDS))
            .where(_STEP.c.alarm_id == alarm_id, self._tenant(_STEP))
            .order_by(_STEP.c.position, _STEP.c.id)
        )
        return [p.AlarmStep(*row) for row in self._connection().execute(statement)]

    def add_steps(self, steps: Sequence[p.AlarmStep]) -> None:
        if steps:
            rows = [{n: getattr(s, n) for n in _STEP_FIELDS} for s in steps]
            self._connection().execute(insert(_STEP), rows)

    def drop_steps(self, step_ids: Collection[UUID]) -> None:
        if step_ids:
            statement = delete(_STEP).where(
                _STEP.c.id.in_(list(step_ids)), _STEP.c.state == "pending", self._tenant(_STEP)
            )
            self._connection().execute(statement)

    def save_step(self, step: p.AlarmStep) -> None:
        values = {n: getattr(step, n) for n in _STEP_FIELDS if n != "id"}
        statement = (
            update(_STEP)
            .where(_STEP.c.id == step.id, _STEP.c.state == "pending", self._tenant(_STEP))
            .values(**values)
        )
        if self._connection().execute(statement).rowcount != 1:
            raise p.StepAlreadyDone(f"Step {step.position} ({step.kind}) was already done or skipped.")

    def add_instruction(self, instruction: TemporaryInstruction) -> None:
        values = {n: getattr(instruction, n) for n in _INSTRUCTION_FIELDS}
        self._connection().execute(insert(_INSTRUCTION).values(**values))

    def save_instruction(self, instruction: TemporaryInstruction) -> None:
        values = {n: getattr(instruction, n) for n in _INSTRUCTION_FIELDS if n != "id"}
        statement = (
            update(_INSTRUCTION)
            .where(_INSTRUCTION.c.id == instruction.id, self._tenant(_INSTRUCTION))
            .values(**values)
        )
        self._connection().execute(statement)

    def instruction(self, instruction_id: UUID) -> TemporaryInstruction | None:
        statement = select(*(_INSTRUCTION.c[n] for n in _INSTRUCTION_FIELDS)).where(
            _INSTRUCTION.c.id == instruction_id, self._tenant(_INSTRUCTION)
        )
        row = self._connection().execute(statement).first()
        return None if row is None else TemporaryInstruction(*row)

    def instructions(self, site_id: UUID, *, open_only: bool = True) -> list[TemporaryInstruction]:
        statement = select(*(_INSTRUCTION.c[n] for n in _INSTRUCTION_FIELDS)).where(
            _INSTRUCTION.c.site_id == site_id, self._tenant(_INSTRUCTION)
        )
        if open_only:
            statement = statement.where(_INSTRUCTION.c.state == "open")
        statement = statement.order_by(_INSTRUCTION.c.starts_at, _INSTRUCTION.c.id).limit(500)
        return [TemporaryInstruction(*row) for row in self._connection().execute(statement)]
