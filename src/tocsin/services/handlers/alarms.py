"""Operators' actions on alarms, and the deadlines alarms arm (escalation, follow-up, missed test, end
of test mode).

Every action reads the alarm in the caller's scope, applies the domain's rule, writes it back only if
nobody changed it meanwhile, and records its entry in the same transaction. A concurrent change is read
again and the rule applied to what won: of two operators taking one alarm, the second is told who holds
it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain import calls as c
from tocsin.domain.deadlines import Deadline
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.events import (
    AlarmCall,
    AlarmClosed,
    AlarmDuress,
    AlarmEscalated,
    AlarmNote,
    AlarmReleased,
    AlarmReopened,
    AlarmSettled,
    AlarmTaken,
    TestModeChanged,
)
from tocsin.domain.plans import StepResult
from tocsin.services import checklists, deadman
from tocsin.services.alarm_rules import (
    ESCALATE,
    FOLLOW_UP,
    TEST_DUE,
    TEST_MODE_END,
    Directory,
    entry,
    raise_technical,
)
from tocsin.services.client_writes import check_typed_at, first_time
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.scheduler import arm
from tocsin.services.unit_of_work import UnitOfWork

ATTEMPTS = 3  # reads of an alarm that changed under a write, before the write gives up
NOTE_MAX = 2000


def alarm_in_scope(uow: UnitOfWork, alarm_id: UUID) -> a.Alarm:
    """The alarm, or NotFound (one outside the caller's scope is not found either)."""
    alarm = uow.alarms.get(alarm_id)
    if alarm is None:
        raise NotFound(f"No alarm {alarm_id} in your scope: list the alarms to find the right id.")
    return alarm


def _change(uow: UnitOfWork, alarm_id: UUID, rule: Callable[[a.Alarm], a.Alarm]) -> tuple[a.Alarm, a.Alarm]:
    """Apply ``rule`` to the alarm and write it back; read again and retry if it changed meanwhile.
    Returns the alarm as read and as written (with its new version)."""
    for attempt in range(ATTEMPTS):
        before = alarm_in_scope(uow, alarm_id)
        after = rule(before)
        if after is before:
            return before, after
        try:
            uow.alarms.save([after])
        except a.AlarmChanged:
            if attempt == ATTEMPTS - 1:
                raise
            continue
        return before, _next_version(after)
    raise AssertionError("unreachable")  # pragma: no cover


def _next_version(alarm: a.Alarm) -> a.Alarm:
    return replace(alarm, version=alarm.version + 1)


def _escalate_after(uow: UnitOfWork, alarm: a.Alarm) -> int:
    return a.effective(
        uow.alarms.rules(alarm.tenant_id), alarm.alarm_class, alarm.client_id, alarm.site_id
    ).escalate_seconds


def take_alarm(cmd: a.TakeAlarm, uow: UnitOfWork, actor: str, deps: Deps) -> a.Alarm:
    now = uow.clock.now()
    before, after = _change(
        uow, cmd.alarm_id, lambda x: a.take(x, cmd.user_id, cmd.name, now, supervisor=cmd.supervisor)
    )
    if after is not before:
        taken_over = before.holder_name if before.state == "taken" else ""
        uow.record(entry(AlarmTaken, after, from_holder=taken_over), actor)
        uow.deadlines.cancel(ESCALATE, str(after.id))
    checklists.ensure_checklist(uow, after, actor)  # the plan in force, copied onto the alarm
    deadman.watch(uow, after.tenant_id, actor, cmd.user_id, cmd.name, deps)  # the holder's dead-man
    return after


def release_alarm(cmd: a.ReleaseAlarm, uow: UnitOfWork, actor: str, _deps: Deps) -> a.Alarm:
    _before, after = _change(
        uow, cmd.alarm_id, lambda x: a.release(x, cmd.user_id, supervisor=cmd.supervisor)
    )
    uow.record(entry(AlarmReleased, after, by=cmd.name), actor)
    if after.escalated_at is None:
        due = uow.clock.now() + timedelta(seconds=_escalate_after(uow, after))
        arm(uow, ESCALATE, str(after.id), due, tenant_id=after.tenant_id)
    return after


def release_held(uow: UnitOfWork, alarm_id: UUID, user_id: UUID) -> a.Alarm | None:
    """Put an alarm this user holds back in the queue, its escalation armed again (the dead-man's act;
    the caller records the entry). None when they no longer hold it."""

    def rule(alarm: a.Alarm) -> a.Alarm:
        if alarm.state != "taken" or alarm.holder_id != user_id:
            return alarm
        return a.release(alarm, user_id)

    before, after = _change(uow, alarm_id, rule)
    if after is before:
        return None
    if after.escalated_at is None:
        due = uow.clock.now() + timedelta(seconds=_escalate_after(uow, after))
        arm(uow, ESCALATE, str(after.id), due, tenant_id=after.tenant_id)
    return after


def settle_alarm(cmd: a.SettleAlarm, uow: UnitOfWork, actor: str, _deps: Deps) -> a.Alarm:
    now = uow.clock.now()
    found = alarm_in_scope(uow, cmd.alarm_id)
    cause = a.closure_code(uow.alarms.closure_codes(found.tenant_id), cmd.cause)
    note = (cmd.note.strip() or cause.text_en)[:NOTE_MAX]

    def rule(alarm: a.Alarm) -> a.Alarm:
        settled = a.settle(
            alarm,
            cmd.user_id,
            cmd.name,
            now,
            outcome=cmd.outcome,
            cause=cause,
            follow_up_until=cmd.follow_up_until,
            supervisor=cmd.supervisor,
        )
        checklists.check_settle(uow, alarm, actor)  # no settling while a mandatory step is pending
        return settled

    _before, after = _change(uow, cmd.alarm_id, rule)
    uow.record(
        entry(
            AlarmSettled,
            after,
            outcome=after.outcome or "",
            cause=cause.code,
            note=note,
            follow_up_until=after.follow_up_until,
            seconds_to_take=after.seconds_to_take,
            seconds_to_settle=after.seconds_to_settle,
        ),
        actor,
    )
    uow.deadlines.cancel(ESCALATE, str(after.id))
    if after.follow_up_until is not None:
        arm(uow, FOLLOW_UP, str(after.id), after.follow_up_until, tenant_id=after.tenant_id)
    if a.may_close_by_itself(after, now):
        after = _close(uow, after, actor, reason="")
    return after


def _close(uow: UnitOfWork, alarm: a.Alarm, actor: str, *, reason: str, supervisor: bool = False) -> a.Alarm:
    now = uow.clock.now()
    _before, after = _change(
        uow, alarm.id, lambda x: a.close(x, actor, now, reason=reason, supervisor=supervisor)
    )
    uow.record(entry(AlarmClosed, after, reason=after.close_reason, by=actor), actor)
    uow.deadlines.cancel(ESCALATE, str(after.id))
    uow.deadlines.cancel(FOLLOW_UP, str(after.id))
    return after


def close_alarm(cmd: a.CloseAlarm, uow: UnitOfWork, actor: str, _deps: Deps) -> a.Alarm:
    return _close(uow, alarm_in_scope(uow, cmd.alarm_id), actor, reason=cmd.reason, supervisor=cmd.supervisor)


def note_alarm(cmd: a.NoteAlarm, uow: UnitOfWork, actor: str, _deps: Deps) -> a.Alarm:
    text = cmd.text.strip()
    if not text:
        raise InvalidInput("A note needs some text.")
    if len(text) > NOTE_MAX:
        raise InvalidInput(f"A note is at most {NOTE_MAX} characters.")
    typed_at = check_typed_at(cmd.typed_at, uow.clock.now())
    alarm = alarm_in_scope(uow, cmd.alarm_id)
    if first_time(uow, alarm.tenant_id, cmd.client_key, "alarm_note", str(alarm.id)):
        uow.record(entry(AlarmNote, alarm, text=text, by=cmd.name), actor, typed_at)
    return alarm


def record_call(cmd: c.RecordCall, uow: UnitOfWork, actor: str, deps: Deps) -> tuple[c.CallAttempt, a.Alarm]:
    """Record a call for the alarm I hold, checking the word given against the contact's hashes (on a
    call to the site, against every contact of the site: whoever answers gives their own word).

    The word is only hashed and compared: it goes in no record, entry or log. A duress word turns the
    alarm into a priority 1 duress alarm, still held by the operator, in the same transaction."""
    alarm = alarm_in_scope(uow, cmd.alarm_id)
    c.may_call(alarm, cmd.user_id)
    if alarm.site_id is None:
        raise InvalidInput("This alarm has no site: there is nobody to call back.")
    contact = None
    if cmd.contact_id is not None:
        contact = uow.contacts.get(cmd.contact_id)
        if contact is None or contact.site_id != alarm.site_id:
            raise InvalidInput(f"Contact {cmd.contact_id} is not a contact of {alarm.site_ref}.")
    number = c.check_number(cmd.number, contact)
    checked = [contact] if contact is not None else uow.contacts.find(site_id=alarm.site_id)
    result = c.judge_word(cmd.outcome, cmd.word, checked, deps.hasher.verify)
    attempt = c.CallAttempt(
        id=uow.clock.new_id(),
        tenant_id=alarm.tenant_id,
        alarm_id=alarm.id,
        at=uow.clock.now(),
        number=number,
        outcome=cmd.outcome,
        result=result,
        contact_id=None if contact is None else contact.id,
        contact_name=alarm.site_name if contact is None else contact.name,
        call_order=0 if contact is None else contact.call_order,
        user_id=cmd.user_id,
        by=cmd.name,
    )
    uow.alarms.add_call(attempt)
    uow.record(
        entry(
            AlarmCall,
            alarm,
            attempt_id=attempt.id,
            contact_id=attempt.contact_id,
            contact_name=attempt.contact_name,
            number=attempt.number,
            outcome=attempt.outcome,
            result=attempt.result,
            by=cmd.name,
        ),
        actor,
    )
    if result == "duress":
        before, alarm = _change(uow, alarm.id, c.under_duress)
        uow.record(
            entry(
                AlarmDuress,
                alarm,
                attempt_id=attempt.id,
                original_class=before.alarm_class,
                original_priority=before.priority,
                contact_name=attempt.contact_name,
                by=cmd.name,
            ),
            actor,
        )
        checklists.ensure_checklist(uow, alarm, actor)  # the duress plan replaces the pending steps
    else:
        _call_steps(uow, alarm, attempt, actor)
    return attempt, alarm


def _call_steps(uow: UnitOfWork, alarm: a.Alarm, attempt: c.CallAttempt, actor: str) -> None:
    """The checklist's steps a call completes: calling the site (answered or not), the contacts (once
    one answers), checking the password (once a password matched; never the word itself)."""
    answered = attempt.outcome == "answered"
    said = StepResult(
        text=f"{attempt.outcome}: {attempt.number}", answered_by=attempt.contact_name if answered else ""
    )
    if attempt.contact_id is None:
        checklists.complete_step_of_kind(
            uow, alarm.id, "call_site", said, actor, by=attempt.by, user_id=attempt.user_id
        )
    elif answered:
        checklists.complete_step_of_kind(
            uow, alarm.id, "call_contacts", said, actor, by=attempt.by, user_id=attempt.user_id
        )
    if attempt.result == "password":
        checked = StepResult(text="password: correct", answered_by=attempt.contact_name)
        checklists.complete_step_of_kind(
            uow, alarm.id, "check_password", checked, actor, by=attempt.by, user_id=attempt.user_id
        )


def set_test_mode(cmd: a.SetTestMode, uow: UnitOfWork, actor: str, _deps: Deps) -> a.SiteStatus:
    site = uow.sites.get(cmd.site_id)
    if site is None:
        raise NotFound(f"No site {cmd.site_id} in your scope.")
    now = uow.clock.now()
    if cmd.until is not None and not now < cmd.until <= now + timedelta(days=7):
        raise InvalidInput("Test mode ends in the future, within 7 days.")
    if cmd.account and not uow.accounts.find(site_id=site.id, number=cmd.account.upper()):
        raise NotFound(f"Site {site.ref} has no transmitter #{cmd.account}.")
    status = uow.alarms.statuses([site.id]).get(site.id) or a.SiteStatus(
        site_id=site.id, tenant_id=site.tenant_id
    )
    if cmd.until is None:
        return _end_test_mode(uow, status, actor)
    status = replace(status, test_until=cmd.until, test_account=cmd.account.upper(), test_by=cmd.by)
    uow.alarms.put_statuses([status])
    arm(uow, TEST_MODE_END, str(site.id), cmd.until, tenant_id=site.tenant_id)
    uow.record(
        TestModeChanged(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=site.client_id,
            site_ref=site.ref,
            account=status.test_account,
            until=cmd.until,
            by=cmd.by,
        ),
        actor,
    )
    return status


def _end_test_mode(uow: UnitOfWork, status: a.SiteStatus, actor: str) -> a.SiteStatus:
    """Test mode is over: zones the technician left in alarm are reported as a technical alarm."""
    site = uow.sites.get(status.site_id)
    ended = replace(status, test_until=None, test_account="", test_by="")
    uow.alarms.put_statuses([ended])
    uow.deadlines.cancel(TEST_MODE_END, str(status.site_id))
    zones = status.zones_in_alarm()
    uow.record(
        TestModeChanged(
            tenant_id=status.tenant_id,
            site_id=status.site_id,
            client_id=None if site is None else site.client_id,
            site_ref="?" if site is None else site.ref,
            account=status.test_account,
            until=None,
            by=actor,
            zones_in_alarm=zones,
        ),
        actor,
    )
    for zone in zones:
        happening = a.Happening(
            uow.clock.now(),
            "test_ended",
            status.test_account,
            zone,
            "Zone still in alarm at the end of test mode",
            "Zone encore en alarme à la fin du mode test",
        )
        raise_technical(uow, status.tenant_id, status.site_id, happening)
    return ended


def set_alarm_rule(cmd: a.SetAlarmRule, uow: UnitOfWork, _actor: str, _deps: Deps) -> a.AlarmRule:
    if cmd.site_id is not None and uow.sites.get(cmd.site_id) is None:
        raise NotFound(f"No site {cmd.site_id} in your scope.")
    if cmd.client_id is not None and uow.clients.get(cmd.client_id) is None:
        raise NotFound(f"No client {cmd.client_id} in your scope.")
    rule = a.AlarmRule(
        id=uow.clock.new_id(),
        tenant_id=cmd.tenant_id,
        alarm_class=cmd.alarm_class,
        client_id=cmd.client_id,
        site_id=cmd.site_id,
        priority=cmd.priority,
        escalate_seconds=cmd.escalate_seconds,
        group_seconds=cmd.group_seconds,
    )
    uow.alarms.put_rule(rule)
    return rule


HANDLERS = (
    Handlers()
    .add(a.TakeAlarm, take_alarm)
    .add(a.ReleaseAlarm, release_alarm)
    .add(a.SettleAlarm, settle_alarm)
    .add(a.CloseAlarm, close_alarm)
    .add(a.NoteAlarm, note_alarm)
    .add(c.RecordCall, record_call)
    .add(a.SetTestMode, set_test_mode)
    .add(a.SetAlarmRule, set_alarm_rule)
)


# ---------------------------------------------------------------- deadlines


def on_escalate(uow: UnitOfWork, deadline: Deadline) -> None:
    """An alarm waited untaken past its class's limit: it moves up and supervisors are told (read
    again if the rules changed it meanwhile: a signal joined it)."""
    alarm_id = UUID(deadline.key)
    if uow.alarms.get(alarm_id) is None:
        return
    now = uow.clock.now()
    before, after = _change(uow, alarm_id, lambda x: a.escalate(x, now) or x)
    if after is before:
        return
    waited = int((now - after.opened_at).total_seconds())
    uow.record(entry(AlarmEscalated, after, waited_seconds=waited), "rules")


def on_follow_up(uow: UnitOfWork, deadline: Deadline) -> None:
    """A settled alarm's follow-up time came: it closes if back to normal, else returns to the queue."""
    alarm = uow.alarms.get(UUID(deadline.key))
    if alarm is None or alarm.state != "settled":
        return
    now = uow.clock.now()
    if a.may_close_by_itself(alarm, now):
        _close(uow, alarm, "rules", reason="")
        return
    before, reopened = _change(uow, alarm.id, lambda x: a.reopen(x) if x.state == "settled" else x)
    if reopened is before:
        return
    uow.record(entry(AlarmReopened, reopened, why="follow-up"), "rules")
    due = now + timedelta(seconds=_escalate_after(uow, reopened))
    arm(uow, ESCALATE, str(reopened.id), due, tenant_id=reopened.tenant_id)


def on_test_due(uow: UnitOfWork, deadline: Deadline) -> None:
    """A transmitter's periodic test did not come in time: a technical alarm on its site."""
    payload = deadline.payload
    if deadline.tenant_id is None:
        return
    interval = int(payload.get("interval", 0))
    account = str(payload.get("account", "?"))
    happening = a.Happening(
        uow.clock.now(),
        "missed_test",
        account,
        "",
        f"Periodic test missing (every {interval} s) from #{account}",
        f"Test cyclique manquant (toutes les {interval}\u00a0s) du #{account}",
    )
    site_id = UUID(str(payload["site_id"])) if payload.get("site_id") else None
    raise_technical(uow, deadline.tenant_id, site_id, happening)


def on_test_mode_end(uow: UnitOfWork, deadline: Deadline) -> None:
    """A site's test mode reached its end time."""
    site_id = UUID(deadline.key)
    status = uow.alarms.statuses([site_id]).get(site_id)
    if status is None or status.test_until is None or status.test_until > uow.clock.now():
        return
    _end_test_mode(uow, status, "rules")


def link_lost(  # noqa: PLR0917 - the fields of one condition
    uow: UnitOfWork, tenant_id: UUID | None, site_id: UUID, account: str, text_en: str, text_fr: str
) -> None:
    """Supervision found a path silent: a technical alarm on its site, grouped like any other."""
    if tenant_id is None:
        return
    happening = a.Happening(uow.clock.now(), "link_lost", account, "", text_en[:200], text_fr[:200])
    raise_technical(uow, tenant_id, site_id, happening, Directory(uow.clock))


DEADLINES = {
    ESCALATE: on_escalate,
    FOLLOW_UP: on_follow_up,
    TEST_DUE: on_test_due,
    TEST_MODE_END: on_test_mode_end,
}
