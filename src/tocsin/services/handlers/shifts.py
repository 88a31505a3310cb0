"""Shifts, handovers and the dead-man's answers and deadline (docs/room.md).

Shifts and handovers are the tenant's: the commands run in the caller's tenant scope (the API checks
the permission first). Every change records its entry in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain import shifts as s
from tocsin.domain.deadlines import Deadline
from tocsin.domain.errors import Conflict, NotFound
from tocsin.domain.room_events import (
    AlarmReleasedByDeadman,
    HandoverAcknowledged,
    HandoverSubmitted,
    PresenceAsked,
    PresenceUnanswered,
    ShiftEnded,
    ShiftStarted,
)
from tocsin.services import deadman, handover
from tocsin.services.alarm_rules import entry, raise_technical
from tocsin.services.handlers.alarms import release_held
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.scheduler import arm
from tocsin.services.unit_of_work import UnitOfWork


def current_shift(uow: UnitOfWork, user_id: UUID) -> s.Shift | None:
    """The user's running shift, if any."""
    return next((x for x in uow.shifts.find(user_id=user_id) if x.ended_at is None), None)


def _started(uow: UnitOfWork, tenant_id: UUID, who: s.Who, actor: str) -> s.Shift:
    now = uow.clock.now()
    shift = s.start(uow.clock.new_id(), tenant_id, who, now, current_shift(uow, who.user_id))
    uow.shifts.add(shift)
    uow.record(
        ShiftStarted(
            tenant_id=tenant_id,
            shift_id=shift.id,
            user_id=who.user_id,
            username=who.username,
            name=who.name,
            started_at=now,
        ),
        actor,
    )
    return shift


def _ended(uow: UnitOfWork, shift: s.Shift, actor: str) -> s.Shift:
    ended = s.end(shift, uow.clock.now())
    uow.shifts.update(ended)
    uow.record(
        ShiftEnded(
            tenant_id=ended.tenant_id,
            shift_id=ended.id,
            user_id=ended.user_id,
            username=ended.username,
            name=ended.name,
            started_at=ended.started_at,
            ended_at=ended.ended_at or uow.clock.now(),
        ),
        actor,
    )
    return ended


def start_shift(cmd: s.StartShift, uow: UnitOfWork, actor: str, _deps: Deps) -> s.Shift:
    return _started(uow, cmd.tenant_id, cmd.who, actor)


def end_shift(cmd: s.EndShift, uow: UnitOfWork, actor: str, _deps: Deps) -> s.Shift:
    current = current_shift(uow, cmd.who.user_id)
    if current is None:
        raise Conflict(f"{cmd.who.name} is not on shift: there is no shift to end.")
    return _ended(uow, current, actor)


def submit_handover(cmd: s.SubmitHandover, uow: UnitOfWork, actor: str, _deps: Deps) -> s.Handover:
    """The outgoing operator hands over: the text is theirs, the counts what was open; their shift ends."""
    text = s.check_text(cmd.text)
    counts = handover.prepare(uow).counts
    item = s.Handover(
        id=uow.clock.new_id(),
        tenant_id=cmd.tenant_id,
        from_user_id=cmd.who.user_id,
        from_name=cmd.who.name,
        text=text,
        submitted_at=uow.clock.now(),
        open_alarms=counts["alarms"],
        open_events=counts["events"],
        follow_ups=counts["follow_ups"],
        instructions=counts["instructions"],
    )
    uow.handovers.add(item)
    uow.record(
        HandoverSubmitted(
            tenant_id=cmd.tenant_id,
            handover_id=item.id,
            user_id=cmd.who.user_id,
            name=cmd.who.name,
            text=text,
            open_alarms=item.open_alarms,
            open_events=item.open_events,
            follow_ups=item.follow_ups,
            instructions=item.instructions,
        ),
        actor,
    )
    current = current_shift(uow, cmd.who.user_id)
    if current is not None:
        _ended(uow, current, actor)
    return item


def acknowledge_handover(cmd: s.AcknowledgeHandover, uow: UnitOfWork, actor: str, _deps: Deps) -> s.Handover:
    """The incoming operator acknowledges a handover (once); their shift starts if it had not."""
    found = uow.handovers.get(cmd.handover_id)
    if found is None or found.tenant_id != cmd.tenant_id:
        raise NotFound(f"No handover {cmd.handover_id} in your room: list the handovers to find it.")
    done = s.acknowledge(found, cmd.who.user_id, cmd.who.name, uow.clock.now())
    uow.handovers.update(done)
    uow.record(
        HandoverAcknowledged(
            tenant_id=cmd.tenant_id,
            handover_id=done.id,
            user_id=cmd.who.user_id,
            name=cmd.who.name,
            from_name=done.from_name,
            submitted_at=done.submitted_at,
        ),
        actor,
    )
    if current_shift(uow, cmd.who.user_id) is None:
        _started(uow, cmd.tenant_id, cmd.who, actor)
    return done


def confirm_presence(cmd: s.ConfirmPresence, uow: UnitOfWork, actor: str, _deps: Deps) -> deadman.Status:
    return deadman.confirm(uow, cmd.tenant_id, actor, cmd.who.user_id, heartbeat=cmd.heartbeat)


HANDLERS = (
    Handlers()
    .add(s.StartShift, start_shift)
    .add(s.EndShift, end_shift)
    .add(s.SubmitHandover, submit_handover)
    .add(s.AcknowledgeHandover, acknowledge_handover)
    .add(s.ConfirmPresence, confirm_presence)
)
# Commands whose handler is itself the user's activity for the dead-man (the bus does not add its own).
OWN_ACTIVITY = (s.ConfirmPresence, a.TakeAlarm)


# ---------------------------------------------------------------- the dead-man's deadline


def on_deadman(uow: UnitOfWork, deadline: Deadline) -> None:
    """An operator's dead-man came due: ask them (first stage) or, unanswered, put their alarms back in
    the queue and alert the supervisors (second stage). Nothing held any more: nothing to do."""
    if deadline.tenant_id is None:
        return
    payload = deadline.payload
    user_id = UUID(str(payload["user_id"]))
    username, name = str(payload.get("username", "")), str(payload.get("name", ""))
    held = deadman.held_by(uow, deadline.tenant_id, user_id)
    if not held:
        return
    if payload.get("stage") != "asked":
        confirm = int(payload.get("confirm", 30))
        uow.record(
            PresenceAsked(
                tenant_id=deadline.tenant_id,
                user_id=user_id,
                username=username,
                name=name,
                idle_seconds=int(payload.get("idle", 120)),
                answer_within=confirm,
                held=len(held),
            ),
            deadman.ACTOR,
        )
        due = uow.clock.now() + timedelta(seconds=confirm)
        asked = {**payload, "stage": "asked"}
        arm(uow, deadman.KIND, deadline.key, due, tenant_id=deadline.tenant_id, payload=asked)
        return
    _return_alarms(uow, deadline.tenant_id, held, user_id, username, name)


def _return_alarms(  # noqa: PLR0917 - whose alarms
    uow: UnitOfWork, tenant_id: UUID, held: list[a.Alarm], user_id: UUID, username: str, name: str
) -> None:
    released: list[a.Alarm] = []
    for alarm in held:
        after = release_held(uow, alarm.id, user_id)
        if after is not None:
            released.append(after)
            uow.record(entry(AlarmReleasedByDeadman, after, operator=name, user_id=user_id), deadman.ACTOR)
    refs = tuple(x.site_ref or x.alarm_class for x in released)[:20]
    uow.record(
        PresenceUnanswered(
            tenant_id=tenant_id,
            user_id=user_id,
            username=username,
            name=name,
            released=len(released),
            site_refs=refs,
        ),
        deadman.ACTOR,
    )
    happening = a.Happening(
        uow.clock.now(),
        "operator_unresponsive",
        username,
        "",
        f"{name} did not answer the dead-man: {len(released)} alarm(s) back in the queue",
        f"{name} n\u2019a pas répondu à l\u2019homme mort\u00a0: {len(released)} alarme(s) remise(s) en file",
    )
    raise_technical(uow, tenant_id, None, happening)


DEADLINES = {deadman.KIND: on_deadman}
