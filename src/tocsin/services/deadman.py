"""The operator dead-man (homme mort): an operator who holds an alarm and shows no activity is asked to
confirm; without an answer, supervisors are alerted and the alarms go back to the queue.

One persisted deadline per operator (kind ``operator.deadman``, key ``tenant:user:name``), armed when
they take an alarm and moved forward by each of their writes and by the console's heartbeat (sent on
keyboard or mouse use, throttled). It fires in two stages: ``idle`` (no activity for ``deadman_idle``
seconds: the console asks, a logbook entry says so) and ``asked`` (no answer within
``deadman_confirm`` seconds: see :func:`tocsin.services.handlers.shifts.on_deadman`). Being a deadline
in the store, a restart loses neither stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain.deadlines import Deadline
from tocsin.domain.room_events import PresenceConfirmed
from tocsin.domain.shifts import DeadmanStage
from tocsin.services.handlers.registry import Deps
from tocsin.services.scheduler import arm
from tocsin.services.unit_of_work import UnitOfWork

KIND = "operator.deadman"
ACTOR = "dead-man"
HELD_AT_MOST = 500  # taken alarms read to find one operator's
MOVE_EVERY = timedelta(seconds=10)  # a busy operator's writes move the deadline at most this often


@dataclass(frozen=True, slots=True)
class Status:
    """Where an operator stands with the dead-man."""

    stage: str  # none, idle or asked
    due_at: datetime | None = None
    held: int = 0
    answer_within: int = 0


def key_of(tenant_id: UUID, actor: str) -> str:
    """The deadline's key: one per user of a tenant."""
    return f"{tenant_id}:{actor}"


def pending(uow: UnitOfWork, tenant_id: UUID, actor: str) -> Deadline | None:
    """The operator's pending dead-man deadline, if any."""
    key = key_of(tenant_id, actor)
    return next((d for d in uow.deadlines.pending(KIND) if d.key == key), None)


def held_by(uow: UnitOfWork, tenant_id: UUID, user_id: UUID) -> list[a.Alarm]:
    """The alarms the user holds, as the unit of work's scope sees them."""
    taken = uow.alarms.find(states=("taken",), limit=HELD_AT_MOST)
    return [x for x in taken if x.tenant_id == tenant_id and x.holder_id == user_id]


def _arm_idle(  # noqa: PLR0917 - who, and the two delays
    uow: UnitOfWork, tenant_id: UUID, actor: str, user_id: UUID, name: str, idle: int, confirm: int
) -> Deadline:
    payload = {
        "stage": "idle",
        "user_id": str(user_id),
        "username": actor.removeprefix("user:"),
        "name": name,
        "idle": idle,
        "confirm": confirm,
    }
    due = uow.clock.now() + timedelta(seconds=idle)
    return arm(uow, KIND, key_of(tenant_id, actor), due, tenant_id=tenant_id, payload=payload)


def _confirmed(uow: UnitOfWork, deadline: Deadline, actor: str, how: str) -> None:
    payload = deadline.payload
    if payload.get("stage") == "asked":
        uow.record(
            PresenceConfirmed(
                tenant_id=deadline.tenant_id,
                user_id=UUID(str(payload["user_id"])),
                username=str(payload.get("username", "")),
                name=str(payload.get("name", "")),
                how=how,
            ),
            actor,
        )


def watch(  # noqa: PLR0917 - who took what
    uow: UnitOfWork, tenant_id: UUID, actor: str, user_id: UUID, name: str, deps: Deps
) -> None:
    """A user took an alarm: their dead-man runs from now (an answer, if they were being asked)."""
    if deps.deadman_idle <= 0 or not actor.startswith("user:"):
        return
    found = pending(uow, tenant_id, actor)
    if found is not None:
        _confirmed(uow, found, actor, "activity")
    _arm_idle(uow, tenant_id, actor, user_id, name, deps.deadman_idle, deps.deadman_confirm)


def activity(uow: UnitOfWork, tenant_id: UUID | None, actor: str, *, may_end_hold: bool = True) -> None:
    """A write by this user: their dead-man starts again. It stops once they hold nothing, which is
    checked after the writes that may end a hold (``may_end_hold``: a release, a settle, a close); any
    other way an alarm leaves them is found when the deadline fires (nothing held: nothing asked)."""
    if tenant_id is None or not actor.startswith("user:"):
        return
    found = pending(uow, tenant_id, actor)
    if found is None:
        return
    user_id = UUID(str(found.payload["user_id"]))
    if may_end_hold and not held_by(uow, tenant_id, user_id):
        uow.deadlines.cancel(KIND, found.key)
        return
    idle = int(found.payload.get("idle", 120))
    spared = min(MOVE_EVERY, timedelta(seconds=idle / 10))  # a tenth of a short wait (tests use 3 s)
    moved_lately = found.due_at - uow.clock.now() > timedelta(seconds=idle) - spared
    if found.payload.get("stage") != "asked" and moved_lately:
        return  # moved a moment ago: the write of the deadline is spared
    _confirmed(uow, found, actor, "activity")
    _arm_idle(
        uow,
        tenant_id,
        actor,
        user_id,
        str(found.payload.get("name", "")),
        idle,
        int(found.payload.get("confirm", 30)),
    )


def status(uow: UnitOfWork, tenant_id: UUID, actor: str, user_id: UUID) -> Status:
    """The operator's dead-man as it stands."""
    found = pending(uow, tenant_id, actor)
    if found is None:
        return Status("none")
    stage: DeadmanStage = "asked" if found.payload.get("stage") == "asked" else "idle"
    return Status(
        stage,
        found.due_at,
        len(held_by(uow, tenant_id, user_id)),
        int(found.payload.get("confirm", 30)),
    )


def confirm(uow: UnitOfWork, tenant_id: UUID, actor: str, user_id: UUID, *, heartbeat: bool) -> Status:
    """The console's answer (``heartbeat``: keyboard or mouse use, which moves an idle dead-man but does
    not answer a question: only the operator's confirmation does)."""
    found = pending(uow, tenant_id, actor)
    if found is None:
        return Status("none")
    if heartbeat and found.payload.get("stage") == "asked":
        return status(uow, tenant_id, actor, user_id)
    if not held_by(uow, tenant_id, user_id):
        uow.deadlines.cancel(KIND, found.key)
        _confirmed(uow, found, actor, "console")
        return Status("none")
    _confirmed(uow, found, actor, "console")
    _arm_idle(
        uow,
        tenant_id,
        actor,
        user_id,
        str(found.payload.get("name", "")),
        int(found.payload.get("idle", 120)),
        int(found.payload.get("confirm", 30)),
    )
    return status(uow, tenant_id, actor, user_id)
