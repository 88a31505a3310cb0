"""Schedules: set one, assign one to a site, and the deadline that checks a site opened and closed.

Every change is a logbook entry in the same transaction as the change and the re-planned deadlines. The
check itself (:func:`on_check`) compares the site's state, as its signals left it, with what the
schedule expected: a failed-to-open or late-to-close alarm when they differ, raised through the alarm
rules like any technical alarm (grouped per site and class), then the next check is planned.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from tocsin.domain import alarms as a
from tocsin.domain import schedules as s
from tocsin.domain.deadlines import Deadline
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.schedule_admin import AssignSchedule, ScheduleAssigned, ScheduleSet, SetSchedule
from tocsin.domain.sites import Schedule, Site
from tocsin.services.alarm_rules import raise_technical
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.schedule_rules import KIND, grace, plan_site
from tocsin.services.unit_of_work import UnitOfWork


def set_schedule(cmd: SetSchedule, uow: UnitOfWork, actor: str, _deps: Deps) -> Schedule:
    """Create or replace a schedule, and plan again every site that follows it."""
    if cmd.client_id is not None:
        client = uow.clients.get(cmd.client_id)
        if client is None or client.tenant_id != cmd.tenant_id:
            raise NotFound(f"No client {cmd.client_id} in your scope.")
    schedule = Schedule(
        id=cmd.schedule_id or uow.clock.new_id(),
        tenant_id=cmd.tenant_id,
        name=cmd.name,
        client_id=cmd.client_id,
        windows=cmd.windows,
        holidays=cmd.holidays,
        grace_seconds=cmd.grace_seconds,
    )
    schedule.holidays = s.check_schedule(schedule, cmd.grace_seconds)
    if cmd.schedule_id is None:
        uow.schedules.add(schedule)
    else:
        found = uow.schedules.get(cmd.schedule_id)
        if found is None or found.tenant_id != cmd.tenant_id:
            raise NotFound(f"No schedule {cmd.schedule_id} in your scope: list the schedules to find it.")
        uow.schedules.update(schedule)
    sites = uow.sites.find(schedule_id=schedule.id) if cmd.schedule_id is not None else []
    others = [site.ref for site in sites if schedule.client_id not in (None, site.client_id)]
    if others:
        raise InvalidInput(
            f"Sites of another client follow this schedule ({', '.join(others[:5])}): keep it shared,"
            " or give those sites another schedule first."
        )
    now = uow.clock.now()
    for site in sites:
        plan_site(uow, site, schedule, now)
    uow.record(
        ScheduleSet(
            tenant_id=schedule.tenant_id,
            schedule_id=schedule.id,
            client_id=schedule.client_id,
            name=schedule.name,
            created=cmd.schedule_id is None,
            windows="; ".join(s.window_text(w) for w in schedule.windows) or "-",
            holidays=schedule.holidays,
            holiday_count=len(schedule.holidays),
            grace_seconds=schedule.grace_seconds,
            sites=len(sites),
        ),
        actor,
    )
    return schedule


def assign_schedule(cmd: AssignSchedule, uow: UnitOfWork, actor: str, _deps: Deps) -> Site:
    """Make a site follow a schedule (or none), and plan its next check."""
    site = uow.sites.get(cmd.site_id)
    if site is None:
        raise NotFound(f"No site {cmd.site_id} in your scope: check the site reference.")
    schedule = None
    if cmd.schedule_id is not None:
        schedule = uow.schedules.get(cmd.schedule_id)
        if schedule is None or schedule.tenant_id != site.tenant_id:
            raise NotFound(f"No schedule {cmd.schedule_id} in your scope: list the schedules to find it.")
        if schedule.client_id not in (None, site.client_id):
            raise NotFound(f"Schedule {schedule.name!r} belongs to another client: use a shared schedule.")
    site.schedule_id = cmd.schedule_id
    uow.sites.update(site)
    check = plan_site(uow, site, schedule, uow.clock.now())
    uow.record(
        ScheduleAssigned(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=site.client_id,
            site_ref=site.ref,
            schedule_id=cmd.schedule_id,
            schedule_name="" if schedule is None else schedule.name,
            next_check=None if check is None else check.due_at,
        ),
        actor,
    )
    return site


HANDLERS = Handlers().add(SetSchedule, set_schedule).add(AssignSchedule, assign_schedule)


# ---------------------------------------------------------------- the deadline


def on_check(uow: UnitOfWork, deadline: Deadline) -> None:
    """A site's check came due: raise what the schedule says went wrong, then plan the next check."""
    site = uow.sites.get(UUID(deadline.key))
    if site is None or site.schedule_id is None or deadline.tenant_id is None:
        return
    schedule = uow.schedules.get(site.schedule_id)
    if schedule is None:
        return
    now = uow.clock.now()
    if str(deadline.payload.get("schedule_id")) == str(schedule.id):
        _judge(uow, site, schedule, deadline)
    plan_site(uow, site, schedule, max(now, deadline.due_at))


def _judge(uow: UnitOfWork, site: Site, schedule: Schedule, deadline: Deadline) -> None:
    payload = deadline.payload
    period = s.Period(
        day=datetime.fromisoformat(str(payload["day"])).date(),
        opens=datetime.fromisoformat(str(payload["opens"])),
        closes=datetime.fromisoformat(str(payload["closes"])),
    )
    status = uow.alarms.statuses([site.id]).get(site.id) or a.SiteStatus(site.id, site.tenant_id)
    now = uow.clock.now()
    if status.test_until is not None and status.test_until > now and not status.test_account:
        return  # a technician has the whole site: its openings and closings say nothing
    zone = ZoneInfo(site.time_zone)
    hours = s.describe_period(period, zone)
    if payload.get("check") == "open":
        if s.has_opened(period, grace(schedule), status.armed, status.armed_at):
            return
        when = _local(period.opens, zone)
        en = f"Failed to open: no opening by {when} + grace ({schedule.name}, {hours})"
        fr = f"Défaut d'ouverture\u00a0: pas d'ouverture à {when} + délai ({schedule.name}, {hours})"
        happening = a.Happening(now, "failed_to_open", "", "", en[:200], fr[:200])
    else:
        if status.armed is True or not s.has_opened(period, grace(schedule), status.armed, status.armed_at):
            return  # closed, or never opened (that was a failed opening, not a late closing)
        when = _local(period.closes, zone)
        en = f"Late to close: not armed by {when} + grace ({schedule.name}, {hours})"
        fr = f"Défaut de fermeture\u00a0: non armé à {when} + délai ({schedule.name}, {hours})"
        happening = a.Happening(now, "late_to_close", "", "", en[:200], fr[:200])
    raise_technical(uow, site.tenant_id, site.id, happening)


def _local(at: datetime, zone: ZoneInfo) -> str:
    return f"{at.astimezone(zone):%H:%M}"


DEADLINES = {KIND: on_check}
