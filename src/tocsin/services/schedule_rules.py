"""Schedules in the alarm path: the per-site deadline of the next check, and openings outside hours.

Each site that follows a schedule has one deadline (kind :data:`KIND`, key the site's id) at its next
check: an opening or a closing plus the schedule's grace. When it fires, the handler
(:mod:`tocsin.services.handlers.schedules`) compares the site's state with what the schedule expected,
raises a failed-to-open or late-to-close alarm if they differ, and plans the next check. The deadline is
persisted like every other, so a restart loses none: one that came due while the node was down fires
when it is back. Changing a schedule, or a site's schedule, plans the sites concerned again.

Opening outside hours is decided on the signal path: :func:`outside_hours` is called by the alarm rules
for each disarming of a site that follows a schedule.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tocsin.domain import alarms as a
from tocsin.domain import schedules as s
from tocsin.domain.deadlines import Deadline
from tocsin.domain.sites import Schedule, Site
from tocsin.services.unit_of_work import UnitOfWork

KIND = "site.schedule"


def grace(schedule: Schedule) -> timedelta:
    return timedelta(seconds=schedule.grace_seconds)


def next_deadline(uow: UnitOfWork, site: Site, schedule: Schedule, after: datetime) -> Deadline | None:
    """The site's deadline at its next check after ``after`` (None: the schedule has no period ahead)."""
    check = s.next_check(schedule, ZoneInfo(site.time_zone), after, grace(schedule))
    if check is None:
        return None
    payload = {
        "schedule_id": str(schedule.id),
        "check": check.kind,
        "day": check.period.day.isoformat(),
        "opens": check.period.opens.isoformat(),
        "closes": check.period.closes.isoformat(),
    }
    return Deadline(uow.clock.new_id(), KIND, str(site.id), check.at, site.tenant_id, payload)


def plan_site(uow: UnitOfWork, site: Site, schedule: Schedule | None, after: datetime) -> Deadline | None:
    """Arm (or move) the site's deadline to its next check after ``after``; cancel it when the site
    follows no schedule or its schedule has no period ahead. Returns the deadline armed."""
    deadline = None if schedule is None else next_deadline(uow, site, schedule, after)
    if deadline is None:
        uow.deadlines.cancel(KIND, str(site.id))
        return None
    return uow.deadlines.arm(deadline)


def outside_hours(uow: UnitOfWork, site: Site, account: str, at: datetime) -> a.Happening | None:
    """An opening (disarming) of the site at ``at``: the happening of an ``opened_outside_hours`` alarm
    when its schedule says closed (holidays included), else None."""
    if site.schedule_id is None:
        return None
    schedule = uow.schedules.get(site.schedule_id)
    if schedule is None or s.is_open(schedule, ZoneInfo(site.time_zone), at, grace(schedule)):
        return None
    local = at.astimezone(ZoneInfo(site.time_zone))
    return a.Happening(
        at,
        "opened_outside_hours",
        account,
        "",
        f"Opened outside hours at {local:%H:%M} ({schedule.name})"[:200],
        f"Ouverture hors horaires à {local:%H:%M} ({schedule.name})"[:200],
    )
