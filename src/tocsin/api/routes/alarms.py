"""``/api/v1/alarms``: the alarm queue, an alarm's file and the operators' actions on it; a site's test
mode; the tenant's alarm rules.

Reads ask for ``alarms.read`` and see the alarms of the caller's sites only; actions ask for
``alarms.handle`` and run in that permission's scope, as the caller (``room.supervise`` makes them a
supervisor's: take over, release another's, close with a reason). An alarm outside the caller's scope
answers 404 like one that does not exist, and the probe is logged.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Path, Query, Request
from pydantic import AwareDatetime, BaseModel, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep, in_scope_or_probe
from tocsin.api.permissions import api_router
from tocsin.api.schemas import (
    AlarmEventOut,
    AlarmFileOut,
    AlarmOut,
    AlarmRuleOut,
    CallAttemptOut,
    CallRecordedOut,
    ClosureCodeOut,
    SiteStatusOut,
)
from tocsin.domain import alarms as a
from tocsin.domain import calls as c
from tocsin.domain.scope import Scope
from tocsin.domain.users import Forbidden, Principal
from tocsin.services.unit_of_work import UnitOfWork

router = api_router("/api/v1", "alarms")
READ, HANDLE, SUPERVISE, RULES = "alarms.read", "alarms.handle", "room.supervise", "directory.write"
AlarmId = Annotated[UUID, Path(description="The alarm's id")]
RECENT_DAYS, RECENT_MAX = 30, 50


def _visible(principal: Principal, request: Request, permission: str, alarm_id: UUID) -> a.Alarm:
    """The alarm in the permission's scope; one that exists outside it is logged and answered 404."""
    return in_scope_or_probe(
        request,
        principal,
        principal.scope_for(permission),
        lambda uow: uow.alarms.get(alarm_id),
        f"No alarm {alarm_id} in your scope: list the alarms to find the right id.",
    )


def _covers(scope: Scope, alarm: a.Alarm) -> bool:
    """Whether a scope surely covers an alarm (the handler reads it in that scope again anyway)."""
    if alarm.site_id is None or alarm.client_id is None:
        return scope.allows_tenant(alarm.tenant_id) and scope.whole_tenant
    return scope.allows_site(alarm.tenant_id, alarm.client_id, alarm.site_id)


def _acting(alarm_id: UUID, principal: Principal) -> dict[str, Any]:
    """What every command on an alarm says of who acts: the user, their name, whether they supervise."""
    return {
        "alarm_id": alarm_id,
        "user_id": principal.user_id,
        "name": principal.display_name,
        "supervisor": principal.can(SUPERVISE),
    }


def _act(node: NodeDep, principal: Principal, request: Request, command: a.AlarmCommand) -> AlarmOut:
    """Run an action on an alarm the caller may handle, and answer the alarm as it now is.

    An alarm the caller cannot read answers 404 whatever their role (a client of another client learns
    nothing); one they read but may not handle answers 403."""
    seen = _visible(principal, request, READ, command.alarm_id)
    handle = principal.scope_for(HANDLE)
    if not _covers(handle, seen):  # read again in that scope only when it may not cover the alarm
        _visible(principal, request, HANDLE, command.alarm_id)
    alarm = node.messagebus.handle(command, scope=handle, actor=principal.actor)
    return AlarmOut.model_validate(alarm)


@router.get("/alarms")
def list_alarms(
    node: NodeDep,
    principal: PrincipalDep,
    state: Annotated[list[a.AlarmState] | None, Query(description="States to list (repeatable)")] = None,
    site_id: Annotated[UUID | None, Query(description="Only this site's alarms")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 500,
) -> list[AlarmOut]:
    """The alarms of my sites in queue order: unsettled first, then priority 1 first, then oldest first
    (new, taken and settled ones unless ``state`` says otherwise)."""
    states = tuple(state) if state else a.OPEN_STATES
    found = node.store.read(
        lambda uow: uow.alarms.find(states=states, site_id=site_id, limit=limit), principal.scope_for(READ)
    )
    return [AlarmOut.model_validate(x) for x in found]


@router.get("/alarms/closure-codes")
def list_closure_codes(node: NodeDep, principal: PrincipalDep) -> list[ClosureCodeOut]:
    """The causes an alarm is settled with (the tenant's own, or the built-in ones)."""
    found = node.store.read(
        lambda uow: uow.alarms.closure_codes(principal.tenant_id), principal.scope_for(READ)
    )
    return [ClosureCodeOut.model_validate(c) for c in found]


@router.get("/alarms/{alarm_id}")
def read_alarm(alarm_id: AlarmId, request: Request, node: NodeDep, principal: PrincipalDep) -> AlarmFileOut:
    """An alarm's file: its events, its site's status and the site's alarms of the last 30 days."""
    alarm = _visible(principal, request, READ, alarm_id)

    def file(uow: UnitOfWork) -> AlarmFileOut:
        history = [AlarmEventOut.model_validate(e) for e in uow.alarms.history(alarm.id)]
        status, recent = None, []
        if alarm.site_id is not None:
            found = uow.alarms.statuses([alarm.site_id]).get(alarm.site_id)
            status = None if found is None else SiteStatusOut.model_validate(found)
            since = uow.clock.now() - timedelta(days=RECENT_DAYS)
            on_site = uow.alarms.find(states=a.ALARM_STATES, site_id=alarm.site_id, since=since)
            on_site.sort(key=lambda x: x.opened_at, reverse=True)
            recent = [AlarmOut.model_validate(x) for x in on_site[:RECENT_MAX]]
        calls = uow.alarms.calls(alarm.id)
        return AlarmFileOut.model_validate(
            {
                **AlarmOut.model_validate(alarm).model_dump(),
                "history": history,
                "site_status": status,
                "recent": recent,
                "calls": [CallAttemptOut.model_validate(x) for x in calls],
                "ecv": c.ecv(calls),
            }
        )

    return node.store.read(file, principal.scope_for(READ))


@router.post("/alarms/{alarm_id}/take")
def take_alarm(
    alarm_id: AlarmId, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> AlarmOut:
    """Take the alarm (a supervisor may take over one another operator holds)."""
    return _act(
        node,
        principal,
        request,
        a.TakeAlarm(**_acting(alarm_id, principal)),
    )


@router.post("/alarms/{alarm_id}/release")
def release_alarm(
    alarm_id: AlarmId, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> AlarmOut:
    """Put the alarm I hold back in the queue (a supervisor may release anyone's)."""
    return _act(
        node,
        principal,
        request,
        a.ReleaseAlarm(**_acting(alarm_id, principal)),
    )


class SettleIn(BaseModel):
    outcome: Literal["real", "false"] | None = Field(default=None, description="real or false (required)")
    cause: str = Field(default="", max_length=64, description="A closure code (GET /alarms/closure-codes)")
    note: str = Field(default="", max_length=2000, description="The closure code's text when empty")
    follow_up_until: AwareDatetime | None = Field(
        default=None, description="Keep the alarm open until then, when it closes or returns to the queue"
    )


@router.post("/alarms/{alarm_id}/settle")
def settle_alarm(
    alarm_id: AlarmId, body: SettleIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> AlarmOut:
    """Settle the alarm as real or false with a closure code (a new alarm is taken in the same act)."""
    command = a.SettleAlarm(
        **_acting(alarm_id, principal),
        outcome=body.outcome,
        cause=body.cause,
        note=body.note,
        follow_up_until=body.follow_up_until,
    )
    return _act(node, principal, request, command)


class CloseIn(BaseModel):
    reason: str = Field(default="", max_length=500, description="Needed to close one not back to normal")


@router.post("/alarms/{alarm_id}/close")
def close_alarm(
    alarm_id: AlarmId, body: CloseIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> AlarmOut:
    """Close a settled alarm back to normal (a supervisor: any open alarm, with a reason)."""
    command = a.CloseAlarm(**_acting(alarm_id, principal), reason=body.reason)
    return _act(node, principal, request, command)


class AlarmNoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    client_key: UUID | None = Field(
        default=None, description="A key the console made for this note: a note sent again is written once"
    )
    typed_at: AwareDatetime | None = Field(
        default=None, description="When it was typed, if earlier (a note kept while the server was away)"
    )


@router.post("/alarms/{alarm_id}/notes")
def note_alarm(
    alarm_id: AlarmId, body: AlarmNoteIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> AlarmOut:
    """Write a note on the alarm, in the logbook."""
    command = a.NoteAlarm(
        **_acting(alarm_id, principal), text=body.text, client_key=body.client_key, typed_at=body.typed_at
    )
    return _act(node, principal, request, command)


class CallIn(BaseModel):
    contact_id: UUID | None = Field(description="The contact called; null for the site itself (contre-appel)")
    number: str = Field(min_length=1, max_length=c.NUMBER_MAX, description="One of the contact's numbers")
    outcome: c.CallOutcome
    word: str | None = Field(
        default=None,
        max_length=c.WORD_MAX,
        description="On an answered call, the word the person gave: checked, never kept or returned",
    )


@router.post("/alarms/{alarm_id}/calls")
def record_call(
    alarm_id: AlarmId, body: CallIn, request: Request, node: NodeDep, principal: CheckedPrincipalDep
) -> CallRecordedOut:
    """Record a call for the alarm I hold, with the word the person gave: the answer says whether it
    was the password, a wrong word, none, or the duress word (the alarm then becomes a P1 duress
    alarm: carry on the call as if all were well, then call the police)."""
    _visible(principal, request, READ, alarm_id)
    _visible(principal, request, HANDLE, alarm_id)
    command = c.RecordCall(
        **_acting(alarm_id, principal),
        contact_id=body.contact_id,
        number=body.number,
        outcome=body.outcome,
        word=body.word,
    )
    attempt, alarm = node.messagebus.handle(command, scope=principal.scope_for(HANDLE), actor=principal.actor)
    return CallRecordedOut.model_validate(
        {**CallAttemptOut.model_validate(attempt).model_dump(), "alarm": AlarmOut.model_validate(alarm)}
    )


class TestModeIn(BaseModel):
    until: AwareDatetime | None = Field(description="When test mode ends (within 7 days); null ends it now")
    account: str = Field(default="", max_length=32, description="One transmitter; empty: the whole site")


@router.post("/sites/{site_id}/test-mode")
def set_test_mode(
    site_id: Annotated[UUID, Path(description="The site's id")],
    body: TestModeIn,
    node: NodeDep,
    principal: CheckedPrincipalDep,
) -> SiteStatusOut:
    """Put a site (or one transmitter) in test mode until a time, or end it: its events are logged and
    raise no alarm; zones left in alarm at the end make a technical alarm."""
    command = a.SetTestMode(site_id=site_id, until=body.until, by=principal.actor, account=body.account)
    status = node.messagebus.handle(command, scope=principal.scope_for(HANDLE), actor=principal.actor)
    return SiteStatusOut.model_validate(status)


@router.get("/alarm-rules")
def list_alarm_rules(node: NodeDep, principal: PrincipalDep) -> list[AlarmRuleOut]:
    """My tenant's alarm rules (``directory.write``)."""
    found = node.store.read(lambda uow: uow.alarms.rules(principal.tenant_id), principal.scope_for(RULES))
    return [AlarmRuleOut.model_validate(r) for r in found]


class AlarmRuleIn(BaseModel):
    alarm_class: str = Field(min_length=1, max_length=32, description="An alarm class, or * for all")
    client_id: UUID | None = None
    site_id: UUID | None = None
    priority: int | None = Field(default=None, ge=1, le=a.LOWEST_PRIORITY)
    escalate_seconds: int | None = Field(default=None, ge=5, le=86_400)
    group_seconds: int | None = Field(default=None, ge=5, le=86_400)


@router.put("/alarm-rules")
def set_alarm_rule(body: AlarmRuleIn, node: NodeDep, principal: CheckedPrincipalDep) -> AlarmRuleOut:
    """Set the rule for a class over my tenant, one client or one site (it replaces the same one)."""
    scope = principal.scope_for(RULES)
    if body.client_id is None and body.site_id is None and not scope.whole_tenant:
        raise Forbidden("A tenant-wide rule needs a grant over the whole tenant: name a client or a site.")
    command = a.SetAlarmRule(
        tenant_id=principal.tenant_id,
        alarm_class=body.alarm_class,
        client_id=body.client_id,
        site_id=body.site_id,
        priority=body.priority,
        escalate_seconds=body.escalate_seconds,
        group_seconds=body.group_seconds,
    )
    rule = node.messagebus.handle(command, scope=scope, actor=principal.actor)
    return AlarmRuleOut.model_validate(rule)
