"""Action plans (consignes) and the checklist an operator runs on an alarm.

A plan says, for one alarm class, what the operator does, step by step: written once per client as a
template, replaced for one site by that site's own plan, and taken from the tenant's defaults when
neither exists. When an operator takes an alarm, the plan in force for its site and class is copied
onto the alarm as its checklist: later edits of the plan leave a running checklist alone. If the
alarm's class changes (a duress word turns an intrusion into a duress alarm), the checklist switches to
the new class's plan and keeps what was already done or skipped.

Each step is completed with its result or skipped with a reason, once; an alarm whose checklist still
has a mandatory step neither done nor skipped cannot be settled.

Pure: no I/O, no clock reads (times are passed in).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from tocsin.domain.alarms import ALARM_CLASS_PRIORITY, Alarm, AlarmCommand, AlarmHeld, WrongState
from tocsin.domain.commands import Command
from tocsin.domain.errors import Conflict, InvalidInput

StepKind = Literal[
    "view_clip",
    "call_site",
    "call_contacts",
    "check_password",
    "dispatch_guard",
    "request_police",
    "request_fire",
    "request_medical",
    "inform_client",
    "free_text",
]
STEP_KINDS: tuple[StepKind, ...] = (
    "view_clip",
    "call_site",
    "call_contacts",
    "check_password",
    "dispatch_guard",
    "request_police",
    "request_fire",
    "request_medical",
    "inform_client",
    "free_text",
)
StepState = Literal["pending", "done", "skipped"]
PlanSource = Literal["site", "client", "default"]
MAX_STEPS = 30
INSTRUCTION_MAX = 500
RESULT_MAX = 2000
FIELD_MAX = 200


class StepAlreadyDone(Conflict):
    """The step was already completed or skipped (perhaps by a concurrent request)."""


class MandatoryStepsPending(Conflict):
    """The alarm's checklist still has mandatory steps neither done nor skipped."""


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One step of a plan: what kind of act, the instruction the operator reads, and whether the alarm
    may be settled without it being done or skipped."""

    kind: str
    instruction: str
    mandatory: bool = True

    def __post_init__(self) -> None:
        if self.kind not in STEP_KINDS:
            raise InvalidInput(f"Unknown step kind {self.kind!r}: use one of {', '.join(STEP_KINDS)}.")
        text = self.instruction.strip()
        if not text:
            raise InvalidInput(f"A {self.kind} step needs an instruction text.")
        if len(text) > INSTRUCTION_MAX:
            raise InvalidInput(f"A step's instruction is at most {INSTRUCTION_MAX} characters.")
        object.__setattr__(self, "instruction", text)


def check_class(alarm_class: str) -> str:
    """The alarm class, refused with the known ones when it is not one."""
    if alarm_class not in ALARM_CLASS_PRIORITY:
        known = ", ".join(ALARM_CLASS_PRIORITY)
        raise InvalidInput(f"Unknown alarm class {alarm_class!r}: use one of {known}.")
    return alarm_class


def check_steps(steps: Sequence[PlanStep]) -> tuple[PlanStep, ...]:
    """A plan's steps, refused when there are none or too many."""
    if not steps:
        raise InvalidInput("An action plan needs at least one step: give its steps in order.")
    if len(steps) > MAX_STEPS:
        raise InvalidInput(f"An action plan has at most {MAX_STEPS} steps, not {len(steps)}.")
    return tuple(steps)


@dataclass(frozen=True, slots=True)
class ActionPlan:
    """A client's plan for a class (``site_id`` None), or a site's, which replaces the client's."""

    id: UUID
    tenant_id: UUID
    alarm_class: str
    steps: tuple[PlanStep, ...]
    client_id: UUID | None = None
    site_id: UUID | None = None
    updated_at: datetime | None = None
    updated_by: str = ""

    def __post_init__(self) -> None:
        check_class(self.alarm_class)
        object.__setattr__(self, "steps", check_steps(self.steps))
        if (self.client_id is None) == (self.site_id is None):
            raise InvalidInput("An action plan belongs to a client or to a site (one of the two).")

    @property
    def source(self) -> PlanSource:
        return "site" if self.site_id is not None else "client"


# ---------------------------------------------------------------- the tenant's defaults


def _s(kind: str, instruction: str, mandatory: bool = True) -> PlanStep:
    return PlanStep(kind, instruction, mandatory)


_INTRUSION = (
    _s("view_clip", "If the site has cameras, view the clip of the alarm and note what it shows.", False),
    _s("call_site", "Call the site (contre-appel) and ask whoever answers for their password."),
    _s("call_contacts", "Call the contacts in call order until one answers; check their password."),
    _s("dispatch_guard", "If nobody confirms a false alarm, dispatch a guard or keyholder.", False),
    _s(
        "request_police",
        "Call the police only after a positive verification (video, audio, guard on site, or two calls"
        " to two numbers): an unverified call is fined.",
        False,
    ),
    _s("inform_client", "Tell the client what happened and what was done.", False),
)
_FIRE = (
    _s("call_site", "Call the site at once: is there smoke or fire? Is anyone inside?"),
    _s("request_fire", "Unless the site proves a false alarm with its password, call the fire service."),
    _s("call_contacts", "Call the contacts in call order so that someone meets the fire service.", False),
    _s("inform_client", "Tell the client what happened and what was done.", False),
)
_DURESS = (
    _s(
        "free_text",
        "The person may be under threat: carry on the call as if all were well, say nothing of the"
        " duress word, end it calmly.",
    ),
    _s("request_police", "Call the police now: a person is under duress (no verification needed)."),
    _s("dispatch_guard", "Send no guard inside; a guard may watch from outside if the police ask.", False),
    _s("inform_client", "Tell the client's security manager once the police are on their way.", False),
)
_PANIC = (
    _s("call_site", "Call the site: ask, without leading, whether everything is all right."),
    _s("request_police", "Unless the site gives its password and confirms a mistake, call the police."),
    _s("call_contacts", "Call the contacts in call order.", False),
    _s("inform_client", "Tell the client what happened and what was done.", False),
)
_MEDICAL = (
    _s("call_site", "Call the person: are they conscious, what happened?"),
    _s("request_medical", "Unless they confirm a mistake, call the emergency medical service (15)."),
    _s("call_contacts", "Call the contacts in call order so that someone can let the crew in.", False),
)
_TECHNICAL = (
    _s("call_site", "Call the site or its contact to tell them of the fault."),
    _s("inform_client", "Ask for maintenance: tell the client or its installer.", False),
)
_CAMERA = (  # a camera's own health: look before calling anyone
    _s("view_clip", "Look at the camera's live picture: is it off, frozen, covered, blurred or turned?"),
    _s("call_site", "Call the site: ask whether someone is working on the camera or covered it."),
    _s("inform_client", "Ask for maintenance: tell the client or its installer.", False),
)
_STATION = (  # the room's own equipment: no site to call, the room itself is at stake
    _s("free_text", "Open the station page: which part of the room fails (clock, power, disk, a process)?"),
    _s(
        "free_text",
        "Tell the technical on-call and the supervisor; if consoles or receivers are affected, work from"
        " the degraded-mode kit (paper) until they are back.",
    ),
)
_OPERATOR = (  # the dead-man found an operator silent: their alarms are back in the queue
    _s("free_text", "Call the operator's position or go to it: is the operator well?"),
    _s("free_text", "Take back the alarms the dead-man returned to the queue, most urgent first."),
)
_GENERAL = (
    _s("call_site", "Call the site (contre-appel) and ask whoever answers for their password."),
    _s("call_contacts", "Call the contacts in call order until one answers.", False),
    _s("inform_client", "Tell the client what happened and what was done.", False),
)
DEFAULT_PLANS: dict[str, tuple[PlanStep, ...]] = {
    "intrusion": _INTRUSION,
    "fire": _FIRE,
    "duress": _DURESS,
    "panic": _PANIC,
    "hold_up": _PANIC,
    "medical": _MEDICAL,
    "other": _GENERAL,
    "camera_down": _CAMERA,
    "camera_frozen": _CAMERA,
    "camera_tamper": _CAMERA,
    **dict.fromkeys(
        (
            "clock_offset",
            "clock_unsynchronised",
            "ups_on_battery",
            "ups_low_battery",
            "ups_unreachable",
            "storage_low",
            "process_silent",
        ),
        _STATION,
    ),
    "operator_unresponsive": _OPERATOR,
}


def default_steps(alarm_class: str) -> tuple[PlanStep, ...]:
    """The tenant's default plan for a class (technical classes share one)."""
    return DEFAULT_PLANS.get(alarm_class, _TECHNICAL)


def effective_plan(
    alarm_class: str, site_plan: ActionPlan | None, client_plan: ActionPlan | None
) -> tuple[PlanSource, tuple[PlanStep, ...]]:
    """The plan in force for a class at a site: the site's, else its client's, else the default."""
    if site_plan is not None:
        return "site", site_plan.steps
    if client_plan is not None:
        return "client", client_plan.steps
    return "default", default_steps(alarm_class)


# ---------------------------------------------------------------- the checklist on an alarm


@dataclass(frozen=True, slots=True)
class StepResult:
    """What came of a step: free text, and who answered and what they said (on a call)."""

    text: str = ""
    answered_by: str = ""
    said: str = ""

    def __post_init__(self) -> None:
        for name, limit in (("text", RESULT_MAX), ("answered_by", FIELD_MAX), ("said", RESULT_MAX)):
            value = getattr(self, name).strip()
            if len(value) > limit:
                raise InvalidInput(f"A step's {name} is at most {limit} characters.")
            object.__setattr__(self, name, value)
        if not (self.text or self.answered_by or self.said):
            raise InvalidInput(
                "Completing a step needs its result: what was done, who answered, or what was said."
            )


@dataclass(frozen=True, slots=True)
class AlarmStep:
    """One step of an alarm's checklist, copied from the plan in force when the alarm was taken."""

    id: UUID
    tenant_id: UUID
    alarm_id: UUID
    position: int
    alarm_class: str  # the class whose plan this step came from
    source: str  # site, client or default
    kind: str
    instruction: str
    mandatory: bool
    state: str = "pending"
    result: str = ""
    answered_by: str = ""
    said: str = ""
    reason: str = ""
    done_at: datetime | None = None
    done_by: str = ""
    user_id: UUID | None = None

    @property
    def open(self) -> bool:
        return self.state == "pending"


def checklist_from(
    alarm: Alarm,
    source: str,
    steps: Iterable[PlanStep],
    ids: Iterable[UUID],
    *,
    first_position: int = 1,
    already_done: Iterable[str] = (),
) -> list[AlarmStep]:
    """The checklist steps for ``alarm`` from a plan's steps, numbered from ``first_position``; a step
    whose kind was already done (other than free text) is not asked again."""
    done = set(already_done) - {"free_text"}
    made: list[AlarmStep] = []
    for step, step_id in zip((s for s in steps if s.kind not in done), ids, strict=False):
        made.append(
            AlarmStep(
                id=step_id,
                tenant_id=alarm.tenant_id,
                alarm_id=alarm.id,
                position=first_position + len(made),
                alarm_class=alarm.alarm_class,
                source=source,
                kind=step.kind,
                instruction=step.instruction,
                mandatory=step.mandatory,
            )
        )
    return made


def may_act(alarm: Alarm, user_id: UUID) -> None:
    """Only the operator holding a taken alarm acts on its checklist."""
    if alarm.state != "taken":
        raise WrongState(f"This alarm is {alarm.state}: take it before working through its plan.")
    if alarm.holder_id != user_id:
        raise AlarmHeld(
            f"{alarm.holder_name or 'Another operator'} holds this alarm: only they work through its plan."
        )


def _still_open(step: AlarmStep) -> None:
    if not step.open:
        when = "" if step.done_at is None else f" at {step.done_at.isoformat(timespec='seconds')}"
        raise StepAlreadyDone(
            f"Step {step.position} ({step.kind}) was already {step.state}{when} by {step.done_by}."
        )


def complete(step: AlarmStep, result: StepResult, by: str, user_id: UUID | None, now: datetime) -> AlarmStep:
    """The step done, with its result."""
    _still_open(step)
    return dataclasses.replace(
        step,
        state="done",
        result=result.text,
        answered_by=result.answered_by,
        said=result.said,
        done_at=now,
        done_by=by,
        user_id=user_id,
    )


def skip(step: AlarmStep, reason: str, by: str, user_id: UUID | None, now: datetime) -> AlarmStep:
    """The step skipped, with the reason."""
    _still_open(step)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Skipping a step needs a reason.")
    if len(reason) > RESULT_MAX:
        raise InvalidInput(f"A reason is at most {RESULT_MAX} characters.")
    return dataclasses.replace(step, state="skipped", reason=reason, done_at=now, done_by=by, user_id=user_id)


def may_settle(steps: Iterable[AlarmStep]) -> None:
    """Refuse settling while a mandatory step is neither done nor skipped, naming them."""
    pending = [s for s in steps if s.mandatory and s.open]
    if pending:
        named = "; ".join(f"{s.position}. {s.kind}" for s in pending)
        raise MandatoryStepsPending(
            f"This alarm cannot be settled yet: mandatory step(s) {named} are neither done nor skipped."
            " Complete each with its result or skip it with a reason."
        )


# ---------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class SetActionPlan(Command):
    """Write the plan for a class of a client (``site_id`` None) or of a site."""

    alarm_class: str
    steps: tuple[PlanStep, ...]
    by: str
    client_id: UUID | None = None
    site_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class RemoveSitePlan(Command):
    """Remove a site's plan for a class: the client's (or the default) applies again."""

    site_id: UUID
    alarm_class: str
    by: str


@dataclass(frozen=True, slots=True)
class CompleteStep(AlarmCommand):
    """Complete a step of the checklist of the alarm I hold, with its result."""

    step_id: UUID | None = None
    result: StepResult | None = None


@dataclass(frozen=True, slots=True)
class SkipStep(AlarmCommand):
    """Skip a step of the checklist of the alarm I hold, with a reason."""

    step_id: UUID | None = None
    reason: str = ""
