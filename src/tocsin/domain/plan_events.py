"""Events of action plans, alarm checklists and temporary instructions (each one a logbook entry)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from tocsin.domain.events import AlarmEvent, Event
from tocsin.domain.logbook import SubjectRef


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionPlanSet(Event):
    """A client's or a site's action plan for a class was written (``removed``: a site's was removed)."""

    KIND: ClassVar[str] = "plan.set"
    MESSAGE: ClassVar[str] = "plan.set"
    plan_id: UUID
    alarm_class: str
    owner: str  # "client" or "site"
    owner_ref: str
    client_id: UUID | None
    site_id: UUID | None
    steps: int
    mandatory: int
    by: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        owner = (
            SubjectRef("site", str(self.site_id))
            if self.site_id
            else SubjectRef("client", str(self.client_id))
        )
        return (SubjectRef("action_plan", str(self.plan_id)), owner)

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionPlanRemoved(Event):
    """A site's plan for a class was removed: its client's (or the default) applies again."""

    KIND: ClassVar[str] = "plan.removed"
    MESSAGE: ClassVar[str] = "plan.removed"
    plan_id: UUID
    alarm_class: str
    site_ref: str
    client_id: UUID | None
    site_id: UUID
    by: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("action_plan", str(self.plan_id)), SubjectRef("site", str(self.site_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ChecklistStarted(AlarmEvent):
    """The plan in force was copied onto the alarm as its checklist."""

    KIND: ClassVar[str] = "alarm.checklist"
    MESSAGE: ClassVar[str] = "alarm.checklist"
    source: str = "default"
    steps: int = 0
    mandatory: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ChecklistSwitched(AlarmEvent):
    """The alarm's class changed (a duress word): its pending steps gave way to the new class's plan
    (``steps`` added), what was done or skipped stays."""

    KIND: ClassVar[str] = "alarm.checklist_switched"
    MESSAGE: ClassVar[str] = "alarm.checklist_switched"
    switched_from: str
    source: str = "default"
    steps: int = 0
    mandatory: int = 0
    kept: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class StepCompleted(AlarmEvent):
    """A checklist step was done, with its result."""

    KIND: ClassVar[str] = "alarm.step_done"
    MESSAGE: ClassVar[str] = "alarm.step_done"
    step_id: UUID
    position: int
    step_kind: str
    result_text: str = ""
    answered_by: str = ""
    said: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class StepSkipped(AlarmEvent):
    """A checklist step was skipped, with a reason."""

    KIND: ClassVar[str] = "alarm.step_skipped"
    MESSAGE: ClassVar[str] = "alarm.step_skipped"
    step_id: UUID
    position: int
    step_kind: str
    reason: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class InstructionChanged(Event):
    """A temporary instruction was given, expired or was cancelled (``change`` says which)."""

    KIND: ClassVar[str] = "site.instruction"
    MESSAGE: ClassVar[str] = "site.instruction"
    instruction_id: UUID
    change: str  # given, expired, cancelled
    site_id: UUID
    client_id: UUID
    site_ref: str
    instruction_kind: str
    text: str
    account: str
    caller: str
    starts_at: datetime
    ends_at: datetime
    by: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("instruction", str(self.instruction_id)), SubjectRef("site", str(self.site_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id
