"""Signals become alarms: grouping, priorities, restores, re-arming, test mode, missed tests, escalation,
and an alarm's life (take, release, settle, close, re-open), on the in-memory twin, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from tests.contract.support import Backend, World
from tocsin.domain import alarms as a
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.plans import ActionPlan, PlanStep
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.services.handlers import alarms as h
from tocsin.services.handlers.registry import Deps
from tocsin.services.intake.classify import events_of
from tocsin.services.messagebus import HANDLERS
from tocsin.services.scheduler import Scheduler
from tocsin.services.signal_processing import (
    Raced,
    SignalProcessor,
    SiteClients,
    commit_prepared,
    prepare_pending,
    process_pending,
)
from tocsin.testing import FakeHasher
from tocsin.testing.alarm_signals import contact_id_signal

DEPS = Deps(hasher=FakeHasher())
OPERATOR = UUID(int=1)
OTHER = UUID(int=2)


@pytest.fixture(autouse=True)
def _plans_with_no_mandatory_step(backend: Backend, world: World) -> None:
    """These tests are about the queue's rules, not action plans (tests/contract/test_plans.py): every
    class's plan of the world's clients has one optional step, so an alarm settles without running it."""
    steps = (PlanStep("free_text", "Use your judgement.", mandatory=False),)

    def write(uow: Any) -> None:
        for client in (world.a, world.b, world.c):
            for alarm_class in a.ALARM_CLASSES:
                uow.plans.put_plan(
                    ActionPlan(
                        backend.clock.new_id(), client.tenant_id, alarm_class, steps, client_id=client.id
                    )
                )

    backend.write(write)


def _signal(backend: Backend, world: World, site: str, data: str) -> Signal:
    """A stored signal for the site's account carrying one Contact ID event (``"1130 01 019"``)."""
    return contact_id_signal(backend.clock, world.accounts[site], data)


def send(backend: Backend, world: World, site: str, *frames: str) -> None:
    """Store one signal per Contact ID event for the site's account, a second apart, and process them."""
    signals = []
    for data in frames:
        signals.append(_signal(backend, world, site, data))
        backend.clock.advance(1)
    backend.write(lambda uow: uow.signals.insert_many(signals))
    clients = SiteClients(backend.clock)
    while backend.write(lambda uow: process_pending(uow, clients)):
        pass


def alarms(backend: Backend, **filters: Any) -> list[a.Alarm]:
    return backend.read(lambda uow: uow.alarms.find(**filters))


def act(backend: Backend, command: Any, scope: Scope | None = None) -> a.Alarm:
    return backend.write(lambda uow: HANDLERS.run(command, uow, "tester", DEPS), scope or Scope.system())


def kinds(backend: Backend, prefix: str = "alarm.") -> list[str]:
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    return [e.kind for e in entries if e.kind.startswith(prefix)]


def test_signals_of_one_incident_gather_in_one_alarm_and_another_class_opens_its_own(
    backend: Backend, world: World
) -> None:
    send(backend, world, "a1", "1130 01 001", "1130 01 002", "1130 01 001", "1110 01 003")
    found = alarms(backend)
    assert [(x.alarm_class, x.signal_count, x.priority) for x in found] == [
        ("fire", 1, 2),
        ("intrusion", 3, 4),
    ]
    intrusion = found[1]
    assert intrusion.zones == {"001": "alarm", "002": "alarm"}
    assert intrusion.site_ref == world.a1.ref
    assert intrusion.client_id == world.a.id
    history = backend.read(lambda uow: uow.alarms.history(intrusion.id))
    assert [e.zone for e in history] == ["001", "002", "001"]
    assert kinds(backend) == ["alarm.opened", "alarm.opened"]  # one batch: each alarm's entry once


def test_tests_and_openings_make_no_alarm_and_duress_goes_to_the_top(backend: Backend, world: World) -> None:
    send(backend, world, "a1", "1602 00 000", "1401 01 003", "3401 01 003", "1130 01 001")
    send(backend, world, "b1", "1121 01 000")
    found = alarms(backend)
    assert [(x.alarm_class, x.priority, x.site_id) for x in found] == [
        ("duress", 1, world.b1.id),
        ("intrusion", 4, world.a1.id),
    ]


def test_a_site_rule_raises_a_class_and_never_lowers_duress(backend: Backend, world: World) -> None:
    for rule in (
        a.SetAlarmRule(world.t1.id, "intrusion", site_id=world.a1.id, priority=2),
        a.SetAlarmRule(world.t1.id, "intrusion", client_id=world.a.id, priority=6),  # a client cannot lower
        a.SetAlarmRule(world.t1.id, "duress", priority=9),
    ):
        act(backend, rule)
    send(backend, world, "a1", "1130 01 001", "1121 01 000")
    send(backend, world, "b1", "1130 01 001")
    found = {(x.site_id, x.alarm_class): x.priority for x in alarms(backend)}
    assert found == {(world.a1.id, "intrusion"): 2, (world.a1.id, "duress"): 1, (world.b1.id, "intrusion"): 4}


def test_restores_and_rearming_bring_a_settled_alarm_back_to_normal_and_close_it(
    backend: Backend, world: World
) -> None:
    send(backend, world, "a1", "1130 01 001", "1130 01 002")
    alarm = alarms(backend)[0]
    act(backend, a.TakeAlarm(alarm.id, OPERATOR, "Op"))
    act(backend, a.SettleAlarm(alarm.id, OPERATOR, "Op", outcome="false", cause="animal"))
    send(backend, world, "a1", "1401 01 003", "3130 01 001", "3130 01 002")  # disarmed, both zones restored
    alarm = alarms(backend)[0]
    assert alarm.zones == {"001": "restored", "002": "restored"}
    assert alarm.state == "settled"  # disarmed: not back to normal yet
    assert not alarm.back_to_normal
    send(backend, world, "a1", "3401 01 003")  # armed again
    alarm = alarms(backend)[0]
    assert alarm.state == "closed"
    assert alarm.close_reason == "back to normal"
    assert alarm.seconds_to_take is not None
    assert alarm.seconds_to_settle is not None
    assert kinds(backend)[-1] == "alarm.closed"


def test_a_new_signal_reopens_a_settled_alarm_and_the_restore_entry_says_restore(
    backend: Backend, world: World
) -> None:
    send(backend, world, "a1", "1130 01 001")
    alarm = alarms(backend)[0]
    act(backend, a.SettleAlarm(alarm.id, OPERATOR, "Op", outcome="false", cause="weather"))
    send(backend, world, "a1", "1130 01 004")
    alarm = alarms(backend)[0]
    assert alarm.state == "new"
    assert alarm.reopened == 1
    assert alarm.holder_id is None
    assert "alarm.reopened" in kinds(backend)
    send(backend, world, "a1", "3130 01 004")
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    received = [e for e in entries if e.kind == "signal.received"]
    assert received[-1].data["nature"] == "restore"
    assert received[-1].data["qualifier"] == "restore"
    assert received[0].data["nature"] == "new"


def test_an_alarm_held_by_one_operator_cannot_be_acted_on_by_another(backend: Backend, world: World) -> None:
    send(backend, world, "a1", "1130 01 001")
    alarm = alarms(backend)[0]
    act(backend, a.TakeAlarm(alarm.id, OPERATOR, "Op One"))
    with pytest.raises(a.AlarmHeld, match="Op One holds this alarm"):
        act(backend, a.TakeAlarm(alarm.id, OTHER, "Op Two"))
    with pytest.raises(a.AlarmHeld):
        act(backend, a.SettleAlarm(alarm.id, OTHER, "Op Two", outcome="false", cause="animal"))
    with pytest.raises(a.AlarmHeld):
        act(backend, a.ReleaseAlarm(alarm.id, OTHER, "Op Two"))
    taken = act(backend, a.TakeAlarm(alarm.id, OTHER, "Chief", supervisor=True))
    assert taken.holder_name == "Chief"
    act(backend, a.ReleaseAlarm(alarm.id, OTHER, "Chief"))
    assert alarms(backend)[0].state == "new"


def test_bad_settles_and_closes_change_nothing(backend: Backend, world: World) -> None:
    send(backend, world, "a1", "1130 01 001")
    alarm = alarms(backend)[0]
    before = kinds(backend)
    with pytest.raises(InvalidInput, match="outcome"):
        act(backend, a.SettleAlarm(alarm.id, OPERATOR, "Op", outcome=None, cause="animal"))
    with pytest.raises(InvalidInput, match="Unknown closure code"):
        act(backend, a.SettleAlarm(alarm.id, OPERATOR, "Op", outcome="false", cause="aliens"))
    with pytest.raises(InvalidInput, match="for real alarms"):
        act(backend, a.SettleAlarm(alarm.id, OPERATOR, "Op", outcome="false", cause="fire"))
    with pytest.raises(a.WrongState, match="only a supervisor"):
        act(backend, a.CloseAlarm(alarm.id, OPERATOR, "Op"))
    with pytest.raises(InvalidInput, match="reason"):
        act(backend, a.CloseAlarm(alarm.id, OPERATOR, "Chief", supervisor=True))
    assert kinds(backend) == before
    assert alarms(backend)[0] == alarm
    closed = act(
        backend, a.CloseAlarm(alarm.id, OPERATOR, "Chief", reason="duplicate of a call", supervisor=True)
    )
    assert closed.state == "closed"
    assert closed.close_reason == "duplicate of a call"


def test_alarms_are_scoped_like_their_sites(backend: Backend, world: World) -> None:
    send(backend, world, "a1", "1130 01 001")
    send(backend, world, "b1", "1130 01 001")
    send(backend, world, "c1", "1130 01 001")
    client_a = Scope.restricted(world.t1.id, client_ids=frozenset({world.a.id}))
    tenant2 = Scope.tenant(world.t2.id)
    assert [x.site_id for x in backend.read(lambda uow: uow.alarms.find(), client_a)] == [world.a1.id]
    assert [x.site_id for x in backend.read(lambda uow: uow.alarms.find(), tenant2)] == [world.c1.id]
    b_alarm = next(x for x in alarms(backend) if x.site_id == world.b1.id)
    with pytest.raises(NotFound):
        act(backend, a.TakeAlarm(b_alarm.id, OPERATOR, "Op"), client_a)
    with pytest.raises(NotFound):
        act(backend, a.TakeAlarm(b_alarm.id, OPERATOR, "Op"), tenant2)


def fire_due(backend: Backend) -> int:
    scheduler = Scheduler(backend.store, backend.clock)
    for kind, handler in h.DEADLINES.items():
        scheduler.register(kind, handler)
    return scheduler.fire_due()


def test_an_untaken_alarm_escalates_after_its_class_limit_and_a_taken_one_does_not(
    backend: Backend, world: World
) -> None:
    send(backend, world, "a1", "1130 01 001")
    send(backend, world, "b1", "1130 01 001")
    first, second = alarms(backend)
    act(backend, a.TakeAlarm(second.id, OPERATOR, "Op"))
    backend.clock.advance(57)  # the first alarm opened 59 s ago
    assert fire_due(backend) == 0
    backend.clock.advance(5)
    assert fire_due(backend) == 1  # taking the second cancelled its deadline
    found = {x.id: x for x in alarms(backend)}
    assert found[first.id].escalated_at is not None
    assert found[first.id].priority == 3
    assert found[second.id].escalated_at is None
    assert found[second.id].priority == 4
    assert kinds(backend).count("alarm.escalated") == 1


def test_a_missed_periodic_test_raises_a_technical_alarm(backend: Backend, world: World) -> None:
    account = world.accounts["a1"]

    def every_hour(uow: Any) -> None:
        found = uow.accounts.get(account.id)
        found.test_seconds = 3600
        uow.accounts.update(found)

    backend.write(every_hour)
    send(backend, world, "a1", "1602 00 000")
    backend.clock.advance(3600)
    fire_due(backend)
    assert alarms(backend) == []  # within the grace
    send(backend, world, "a1", "1602 00 000")  # the next test came: the deadline moves
    backend.clock.advance(3700)
    fire_due(backend)
    assert alarms(backend) == []
    backend.clock.advance(300)
    fire_due(backend)
    (missed,) = alarms(backend)
    assert (missed.alarm_class, missed.site_id, missed.priority) == ("missed_test", world.a1.id, 7)


def test_test_mode_logs_without_alarms_and_reports_zones_left_in_alarm(
    backend: Backend, world: World
) -> None:
    until = backend.clock.now() + timedelta(minutes=30)
    act(backend, a.SetTestMode(world.a1.id, until, "tech"))
    send(backend, world, "a1", "1130 01 001", "1130 01 002", "3130 01 002")
    assert alarms(backend) == []
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    assert sum(e.kind == "signal.received" for e in entries) == 3
    backend.clock.advance(minutes=31)
    fire_due(backend)
    (left,) = alarms(backend)
    assert (left.alarm_class, left.zones) == ("test_ended", {"001": "alarm"})
    assert "site.test_mode" in kinds(backend, "site.")
    send(backend, world, "a1", "1130 01 003")  # test mode is over: alarms again
    assert {x.alarm_class for x in alarms(backend)} == {"test_ended", "intrusion"}


def test_a_signal_for_a_deleted_site_and_an_unreadable_frame_are_technical_alarms(
    backend: Backend, world: World
) -> None:
    gone = UUID(int=99)
    base = Signal(
        id=backend.clock.new_id(),
        received_at=backend.clock.now(),
        node="n1",
        listener="tcp:9000",
        raw="frame",
        answer="ACK",
        tenant_id=world.t1.id,
        site_id=gone,
        account_number="4321",
        sequence="0001",
        payload_hash="1" * 64,
        events=events_of("ADM-CID", "1130 01 001")[0],
    )
    unreadable = replace(
        base,
        id=backend.clock.new_id(),
        site_id=None,
        sequence="0002",
        events=(),
        problem="payload not understood",
    )
    backend.write(lambda uow: uow.signals.insert_many([base, unreadable]))
    clients = SiteClients(backend.clock)
    backend.write(lambda uow: process_pending(uow, clients))
    found = sorted((x.alarm_class, x.site_id, x.group_key) for x in alarms(backend))
    assert found == [
        ("technical", None, "deleted-site:4321"),
        ("unknown_account", None, "unknown_account:4321"),
    ]
    client_a = Scope.restricted(world.t1.id, client_ids=frozenset({world.a.id}))
    assert backend.read(lambda uow: uow.alarms.find(), client_a) == []  # site-less: whole tenant only


def test_a_save_on_a_stale_read_is_refused_and_changes_nothing(backend: Backend, world: World) -> None:
    """Every save is conditional on the version read: the second of two saves from one read is refused,
    and the alarm keeps what the first wrote (its fields all written, zones and accounts included)."""
    send(backend, world, "a1", "1130 01 001", "1130 01 002")
    read = alarms(backend)[0]
    changed = a.add_event(
        read,
        a.Happening(backend.clock.now(), "intrusion", "9999", "007", "Burglary", "Intrusion"),
        a.effective([], "intrusion", read.client_id, read.site_id),
    )
    backend.write(lambda uow: uow.alarms.save([changed]))
    with pytest.raises(a.AlarmChanged):
        backend.write(lambda uow: uow.alarms.save([read]))
    stored = alarms(backend)[0]
    assert stored.version == read.version + 1
    assert stored.signal_count == 3
    assert stored.zones == {"001": "alarm", "002": "alarm", "007": "alarm"}
    assert "9999" in stored.accounts


def test_a_plan_decided_on_a_read_that_went_stale_is_refused_and_done_again_in_the_transaction(
    backend: Backend, world: World
) -> None:
    """The rules decide outside the write transaction; an operator who takes the alarm meanwhile, or a
    site put in test mode meanwhile, makes the plan stale: it is refused (nothing written) and the batch
    is processed again inside one transaction, on what is stored then."""
    send(backend, world, "a1", "1130 01 001")
    (alarm,) = alarms(backend)
    more = _signal(backend, world, "a1", "1130 01 002")
    backend.write(lambda uow: uow.signals.insert_many([more]))
    clients = SiteClients(backend.clock)
    work = backend.read(lambda uow: prepare_pending(uow, clients, 10))
    act(backend, a.TakeAlarm(alarm.id, OPERATOR, "Op"))  # the alarm moved on since the read
    with pytest.raises(Raced):
        backend.write(lambda uow: commit_prepared(uow, work))
    processor = SignalProcessor(backend.store, backend.clock)
    assert processor.drain() == 1
    (alarm,) = alarms(backend)
    assert (alarm.state, alarm.holder_name, alarm.signal_count) == ("taken", "Op", 2)
    # a site's status changed meanwhile (test mode set): the plan is stale too
    late = _signal(backend, world, "a1", "1130 01 003")
    backend.write(lambda uow: uow.signals.insert_many([late]))
    work = backend.read(lambda uow: prepare_pending(uow, clients, 10))
    act(backend, a.SetTestMode(world.a1.id, backend.clock.now() + timedelta(hours=1), "tech"))
    with pytest.raises(Raced):
        backend.write(lambda uow: commit_prepared(uow, work))
    assert processor.drain() == 1
    assert alarms(backend)[0].signal_count == 2  # in test mode now: logged, not alarmed


def test_each_signal_entry_names_its_alarm_and_a_mere_join_writes_no_alarm_entry(
    backend: Backend, world: World
) -> None:
    send(backend, world, "a1", "1130 01 001")
    send(backend, world, "a1", "1130 01 002")  # joins: its own entry says which alarm
    send(backend, world, "a1", "3130 01 001")  # a restore changes the alarm: an entry of the alarm's
    (alarm,) = alarms(backend)
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    received = [e for e in entries if e.kind == "signal.received"]
    assert [e.data["alarm_id"] for e in received] == [str(alarm.id)] * 3
    assert ("alarm", str(alarm.id)) in {(s.kind, s.id) for s in received[1].subjects}
    assert kinds(backend) == ["alarm.opened", "alarm.updated"]
    updated = next(e for e in entries if e.kind == "alarm.updated")
    assert updated.data["restored_zones"] == ["001"]
    assert updated.data["signal_count"] == 3


def test_a_follow_up_keeps_a_settled_alarm_open_until_its_time(backend: Backend, world: World) -> None:
    """Settled with a follow-up, an alarm back to normal stays settled until the follow-up time, then
    closes; one still not back to normal at its follow-up time returns to the queue."""
    send(backend, world, "a1", "1130 01 001")
    send(backend, world, "b1", "1130 01 001")
    first, second = alarms(backend)
    later = backend.clock.now() + timedelta(hours=1)
    for alarm in (first, second):
        act(
            backend,
            a.SettleAlarm(alarm.id, OPERATOR, "Op", outcome="false", cause="animal", follow_up_until=later),
        )
    send(backend, world, "a1", "3130 01 001")  # site A1 back to normal
    found = {x.id: x for x in alarms(backend)}
    assert found[first.id].state == "settled"
    assert found[first.id].back_to_normal
    backend.clock.advance(hours=1, seconds=1)
    fire_due(backend)
    found = {x.id: x for x in alarms(backend)}
    assert found[first.id].state == "closed"
    assert found[second.id].state == "new"
    assert found[second.id].reopened == 1
    entries = backend.read(lambda uow: list(uow.logbook.read(Scope.system())))
    reopened = [e for e in entries if e.kind == "alarm.reopened"]
    assert [e.data["why"] for e in reopened] == ["follow-up"]
