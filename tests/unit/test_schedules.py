"""Schedules: periods in the site's local time, checks planned across daylight-saving changes, holidays,
and the three schedule alarms under a fake clock (in-memory store)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tocsin.domain import commands as c
from tocsin.domain import schedules as s
from tocsin.domain.errors import InvalidInput
from tocsin.domain.schedule_admin import AssignSchedule, SetSchedule
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account, Schedule
from tocsin.services.handlers import schedules as handlers
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.schedule_rules import KIND
from tocsin.services.scheduler import Scheduler
from tocsin.services.signal_processing import SiteClients, process_pending
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore
from tocsin.testing.alarm_signals import contact_id_signal

PARIS = ZoneInfo("Europe/Paris")
GRACE = timedelta(minutes=15)
OPENING, CLOSING = "1401 01 003", "3401 01 003"


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _every_day(hours: str = "08:00-19:00", holidays: tuple[str, ...] = ()) -> Schedule:
    return Schedule(
        id=FakeClock().new_id(),
        tenant_id=FakeClock().new_id(),
        name="Shop",
        windows=(s.parse_window(f"1-7 {hours}"),),
        holidays=holidays,
    )


# ---------------------------------------------------------------- pure rules


def test_windows_and_holidays_read_and_write_their_text_forms() -> None:
    """``1-5 08:00-19:00``, ``1,3,6-7 …`` and holidays with or without special hours round-trip."""
    assert s.parse_window("1-5 08:00-19:00").days == (1, 2, 3, 4, 5)
    assert s.window_text(s.parse_window("1,3,6-7  09:00-12:00")) == "1,3,6,7 09:00-12:00"
    assert s.parse_holiday("2026-12-25").hours is None
    assert s.parse_holiday("2026-12-24 08:00-12:00").text == "2026-12-24 08:00-12:00"
    for bad in ("mon 08:00-19:00", "1-5 8:00-19:00", "5-1 08:00-19:00", "1-5 08:00-25:00"):
        with pytest.raises(InvalidInput):
            s.parse_window(bad)
    for bad in ("2026-02-30", "25/12/2026", "2026-12-24 08:00"):
        with pytest.raises(InvalidInput):
            s.parse_holiday(bad)


def test_a_schedule_with_a_date_twice_or_a_grace_too_long_is_refused() -> None:
    """Checks a schedule must pass before it is stored."""
    with pytest.raises(InvalidInput, match="twice"):
        s.check_schedule(_every_day(holidays=("2026-12-25", "2026-12-25 08:00-10:00")), 900)
    with pytest.raises(InvalidInput, match="grace"):
        s.check_schedule(_every_day(), 7 * 3600)


def test_opening_at_eight_is_at_eight_local_on_both_sides_of_spring_forward() -> None:
    """08:00 in Paris is 07:00 UTC on the Saturday and 06:00 UTC on the Sunday clocks go forward."""
    schedule = _every_day()
    saturday = s.next_check(schedule, PARIS, _utc("2026-03-27T20:00:00"), GRACE)
    sunday = s.next_check(schedule, PARIS, _utc("2026-03-28T20:00:00"), GRACE)
    assert saturday is not None
    assert sunday is not None
    assert (saturday.kind, saturday.at) == ("open", _utc("2026-03-28T07:15:00"))
    assert (sunday.kind, sunday.at) == ("open", _utc("2026-03-29T06:15:00"))
    assert sunday.period.closes == _utc("2026-03-29T17:00:00")  # 19:00 summer time


def test_opening_at_eight_is_at_eight_local_when_clocks_go_back() -> None:
    """On the Sunday clocks go back, 08:00 is 07:00 UTC again, and the closing check follows it."""
    schedule = _every_day()
    opening = s.next_check(schedule, PARIS, _utc("2026-10-24T20:00:00"), GRACE)
    assert opening is not None
    assert opening.at == _utc("2026-10-25T07:15:00")
    closing = s.next_check(schedule, PARIS, opening.at, GRACE)
    assert closing is not None
    assert (closing.kind, closing.at) == ("close", _utc("2026-10-25T18:15:00"))


def test_times_the_clocks_skip_or_repeat_have_one_meaning() -> None:
    """02:30 does not exist on spring-forward night (it is 03:30 summer time) and happens twice on
    fall-back night (the first is taken); an overnight window that night lasts an hour longer."""
    assert s.local_instant(date(2026, 3, 29), "02:30", PARIS) == _utc("2026-03-29T01:30:00")
    assert s.local_instant(date(2026, 10, 25), "02:30", PARIS) == _utc("2026-10-25T00:30:00")
    night = _every_day("22:00-06:00")
    holidays: dict[date, s.Holiday] = {}
    (period,) = s.periods_on(night, date(2026, 10, 24), PARIS, holidays)
    assert period.closes - period.opens == timedelta(hours=9)
    (period,) = s.periods_on(night, date(2026, 3, 28), PARIS, holidays)
    assert period.closes - period.opens == timedelta(hours=7)


def test_holidays_close_a_day_or_give_it_special_hours() -> None:
    """A closed holiday has no check; a holiday with hours is checked at those hours only."""
    schedule = _every_day(holidays=("2026-12-25", "2026-12-24 08:00-12:00"))
    eve_close = s.next_check(schedule, PARIS, _utc("2026-12-24T08:00:00"), GRACE)
    assert eve_close is not None
    assert eve_close.at == _utc("2026-12-24T11:15:00")
    after_christmas = s.next_check(schedule, PARIS, eve_close.at, GRACE)
    assert after_christmas is not None
    assert after_christmas.at == _utc("2026-12-26T07:15:00")
    assert not s.is_open(schedule, PARIS, _utc("2026-12-25T10:00:00"), GRACE)
    assert not s.is_open(schedule, PARIS, _utc("2026-12-24T12:00:00"), GRACE)
    assert s.is_open(schedule, PARIS, _utc("2026-12-26T06:50:00"), GRACE)  # 07:50: early, within grace
    assert not s.is_open(schedule, PARIS, _utc("2026-12-26T06:40:00"), GRACE)


def test_a_schedule_without_hours_plans_nothing() -> None:
    """No window and no special hours: nothing to check, every opening is outside hours."""
    empty = Schedule(id=FakeClock().new_id(), tenant_id=FakeClock().new_id(), name="Closed")
    assert s.next_check(empty, PARIS, _utc("2026-01-01T00:00:00"), GRACE) is None
    assert not s.is_open(empty, PARIS, _utc("2026-01-05T10:00:00"), GRACE)


# ---------------------------------------------------------------- the alarms, under a fake clock


class Room:
    """One site following an every-day 08:00-19:00 schedule, in memory."""

    def __init__(self, start: datetime) -> None:
        self.clock = FakeClock(start)
        self.store = InMemoryStore(self.clock)
        self.bus = MessageBus(self.store, Deps(hasher=FakeHasher()))
        self.scheduler = Scheduler(self.store, self.clock)
        self.scheduler.register(KIND, handlers.on_check)
        run = self.run
        tenant = run(c.CreateTenant("arc", "ARC"))
        client = run(c.CreateClient(tenant.id, "c", "Client"))
        self.site = run(c.CreateSite(tenant.id, client.id, "shop", "Shop"))
        self.account: Account = run(c.AddAccount(self.site.id, "1234"))
        window = s.parse_window("1-7 08:00-19:00")
        self.schedule = run(SetSchedule(tenant.id, "Shop hours", windows=(window,), holidays=("2026-12-25",)))
        run(AssignSchedule(self.site.id, self.schedule.id))

    def run(self, command: c.Command) -> object:
        return self.bus.handle(command, scope=Scope.system(), actor="t")  # type: ignore[no-any-return]

    def send(self, frame: str) -> None:
        signal = contact_id_signal(self.clock, self.account, frame)
        self.store.write(lambda uow: uow.signals.insert_many([signal]), Scope.system())
        clients = SiteClients(self.clock)
        while self.store.write(lambda uow: process_pending(uow, clients), Scope.system()):
            pass

    def at(self, text: str) -> None:
        self.clock.set(_utc(text))
        self.scheduler.fire_due()

    def next_check(self) -> datetime:
        pending = self.store.read(lambda uow: uow.deadlines.pending(), Scope.system())
        (deadline,) = [d for d in pending if d.kind == KIND]
        return deadline.due_at

    def alarm_classes(self) -> list[str]:
        found = self.store.read(lambda uow: uow.alarms.find(site_id=self.site.id), Scope.system())
        return sorted(a.alarm_class for a in found)


def test_late_to_close_then_failed_to_open_across_spring_forward() -> None:
    """Open all Saturday evening: late to close at 19:15; closed since: failed to open on Sunday at
    08:15 summer time (06:15 UTC, not 07:15), and each check plans the next."""
    room = Room(_utc("2026-03-28T09:00:00"))
    assert room.next_check() == _utc("2026-03-28T18:15:00")
    room.send(OPENING)  # 10:00 local: within hours
    assert room.alarm_classes() == []
    room.at("2026-03-28T18:14:59")
    assert room.alarm_classes() == []
    room.at("2026-03-28T18:15:00")
    assert room.alarm_classes() == ["late_to_close"]
    assert room.next_check() == _utc("2026-03-29T06:15:00")
    room.at("2026-03-28T18:30:00")
    room.send(CLOSING)
    room.at("2026-03-29T06:15:00")
    assert room.alarm_classes() == ["failed_to_open", "late_to_close"]
    assert room.next_check() == _utc("2026-03-29T17:15:00")


def test_on_time_openings_and_closings_raise_nothing_across_fall_back() -> None:
    """Opened at 07:55 and closed at 19:05 local, on the day clocks go back: no alarm, and the next
    opening check is 08:15 winter time (07:15 UTC)."""
    room = Room(_utc("2026-10-24T20:00:00"))
    room.send(CLOSING)
    assert room.next_check() == _utc("2026-10-25T07:15:00")
    room.at("2026-10-25T06:55:00")  # 07:55 CET
    room.send(OPENING)
    room.at("2026-10-25T07:15:00")
    room.at("2026-10-25T18:05:00")
    room.send(CLOSING)
    room.at("2026-10-25T18:15:00")
    assert room.alarm_classes() == []
    assert room.next_check() == _utc("2026-10-26T07:15:00")


def test_an_opening_at_night_or_on_a_holiday_is_outside_hours() -> None:
    """A disarming at 03:00, or at 10:00 on a closed holiday, raises an opened-outside-hours alarm that
    needs the site armed again before it is back to normal."""
    room = Room(_utc("2026-12-24T02:00:00"))  # 03:00 in Paris
    room.send(OPENING)
    assert room.alarm_classes() == ["opened_outside_hours"]
    found = room.store.read(lambda uow: uow.alarms.find(site_id=room.site.id), Scope.system())
    assert found[0].needs_rearm
    assert found[0].priority == 5
    room.send(CLOSING)
    room.at("2026-12-25T09:00:00")  # Christmas: closed (and nobody opened on the 24th)
    room.send(OPENING)
    found = room.store.read(lambda uow: uow.alarms.find(site_id=room.site.id), Scope.system())
    counts = {a.alarm_class: a.signal_count for a in found}
    assert counts == {"opened_outside_hours": 2, "failed_to_open": 1}  # the holiday opening joined


def test_changing_or_removing_the_schedule_plans_again() -> None:
    """A new window moves the site's check; no schedule cancels it; each change is in the logbook."""
    room = Room(_utc("2026-03-28T09:00:00"))
    window = s.parse_window("1-7 08:00-12:00")
    room.run(
        SetSchedule(room.schedule.tenant_id, "Shop hours", windows=(window,), schedule_id=room.schedule.id)
    )
    assert room.next_check() == _utc("2026-03-28T11:15:00")
    room.run(AssignSchedule(room.site.id, None))
    pending = room.store.read(lambda uow: uow.deadlines.pending(), Scope.system())
    assert not [d for d in pending if d.kind == KIND]
    kinds = [
        e.kind for e in room.store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
    ]
    assert kinds.count("schedule.set") == 2
    assert kinds.count("site.schedule_assigned") == 2


def test_a_shared_schedule_followed_by_a_clients_site_cannot_become_another_clients() -> None:
    """Giving the schedule to a client whose sites do not all follow it is refused, nothing changed."""
    room = Room(_utc("2026-03-28T09:00:00"))
    tenant_id = room.schedule.tenant_id
    other = room.run(c.CreateClient(tenant_id, "other", "Other client"))
    change = SetSchedule(tenant_id, "Shop hours", client_id=other.id, schedule_id=room.schedule.id)  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput, match="another client"):
        room.run(change)
    stored = room.store.read(lambda uow: uow.schedules.get(room.schedule.id), Scope.system())
    assert stored is not None
    assert stored.client_id is None
