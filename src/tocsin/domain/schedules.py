"""Opening hours: when a site that follows a schedule should open and close, in its own local time.

A schedule (shared by many sites) has weekly windows, holidays and a grace period. Each local day gives
zero or more **periods**, an opening and a closing as instants: the windows of that weekday, or on a
holiday the holiday's special hours (none when it is simply closed). A window that closes at or before
its opening time runs overnight and closes the next day.

The checks that turn into alarms are planned from these periods:

- **failed to open**: at ``opens + grace``, the site has not been disarmed since ``opens - grace``;
- **late to close**: at ``closes + grace``, the site is not armed;
- **opened outside hours**: a disarming outside every ``[opens - grace, closes)``.

Local times become instants through the site's IANA zone on their own day, so a window at 08:00 is at
08:00 on the days clocks change too. A local time that does not exist that day (02:30 on the night
clocks go forward) falls an hour later on the clock (03:30 summer time: the same instant as 02:30 winter
time); a time that happens twice (02:30 on the night clocks go back) is its first occurrence.

Pure: no I/O, no clock reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from tocsin.domain.errors import InvalidInput
from tocsin.domain.sites import Schedule, ScheduleWindow

CheckKind = Literal["open", "close"]
DEFAULT_GRACE_SECONDS = 900
MAX_GRACE_SECONDS = 6 * 3600
SEARCH_DAYS = 400  # the next check is looked for within this many days (holidays may close weeks)
_HOLIDAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s+([0-2]\d:[0-5]\d)-([0-2]\d:[0-5]\d))?$")


@dataclass(frozen=True, slots=True)
class Holiday:
    """A date closed all day (``hours`` None) or open at special hours, written ``2026-12-24`` or
    ``2026-12-24 08:00-12:00``."""

    day: date
    hours: ScheduleWindow | None = None

    @property
    def text(self) -> str:
        if self.hours is None:
            return self.day.isoformat()
        return f"{self.day.isoformat()} {self.hours.opens}-{self.hours.closes}"


def parse_holiday(text: str) -> Holiday:
    """A holiday from its text form; a clear error otherwise."""
    found = _HOLIDAY.match(" ".join(str(text).split()))
    if found is None:
        raise InvalidInput(
            f"Holiday {text!r}: write a date closed all day (2026-12-25) or a date with special hours"
            " (2026-12-24 08:00-12:00)."
        )
    try:
        day = date.fromisoformat(found.group(1))
    except ValueError:
        raise InvalidInput(f"Holiday {text!r}: {found.group(1)} is not a date.") from None
    if found.group(2) is None:
        return Holiday(day)
    window = ScheduleWindow(days=(day.isoweekday(),), opens=found.group(2), closes=found.group(3))
    return Holiday(day, window)


def check_schedule(schedule: Schedule, grace_seconds: int) -> tuple[str, ...]:
    """Refuse a schedule that cannot be planned; return its holidays in their normal text form."""
    if not 0 <= grace_seconds <= MAX_GRACE_SECONDS:
        raise InvalidInput(f"The grace period is 0 to {MAX_GRACE_SECONDS // 60} minutes.")
    holidays = [parse_holiday(h) for h in schedule.holidays]
    days = [h.day for h in holidays]
    if len(set(days)) != len(days):
        raise InvalidInput("A holiday date is given twice: keep one line per date.")
    return tuple(h.text for h in sorted(holidays, key=lambda h: h.day))


@dataclass(frozen=True, slots=True)
class Period:
    """One expected opening, as instants (UTC): from ``opens`` to ``closes``, on a local ``day``."""

    day: date
    opens: datetime
    closes: datetime


@dataclass(frozen=True, slots=True)
class Check:
    """A planned check: at ``at``, the site should have opened (``open``) or closed (``close``)."""

    kind: CheckKind
    at: datetime
    period: Period


def local_instant(day: date, hhmm: str, zone: ZoneInfo) -> datetime:
    """The instant (UTC) a local wall-clock time happens on a day in a zone (see the module's note on
    the times clocks skip or repeat)."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    # fold=0 (PEP 495): a skipped time takes the offset before the change, a repeated one its first
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def _holidays(schedule: Schedule) -> dict[date, Holiday]:
    return {h.day: h for h in map(parse_holiday, schedule.holidays)}


def periods_on(schedule: Schedule, day: date, zone: ZoneInfo, holidays: dict[date, Holiday]) -> list[Period]:
    """The periods that open on a local day, in opening order."""
    holiday = holidays.get(day)
    if holiday is not None:
        windows: tuple[ScheduleWindow, ...] = () if holiday.hours is None else (holiday.hours,)
    else:
        windows = tuple(w for w in schedule.windows if day.isoweekday() in w.days)
    periods = []
    for window in windows:
        closing_day = day if window.closes > window.opens else day + timedelta(days=1)
        opens = local_instant(day, window.opens, zone)
        periods.append(Period(day, opens, local_instant(closing_day, window.closes, zone)))
    return sorted(periods, key=lambda p: p.opens)


def _local_day(at: datetime, zone: ZoneInfo) -> date:
    return at.astimezone(zone).date()


def is_open(schedule: Schedule, zone: ZoneInfo, at: datetime, grace: timedelta) -> bool:
    """Whether an opening at ``at`` is within hours: inside some ``[opens - grace, closes)``."""
    holidays = _holidays(schedule)
    today = _local_day(at, zone)
    for offset in (-1, 0, 1):
        for period in periods_on(schedule, today + timedelta(days=offset), zone, holidays):
            if period.opens - grace <= at < period.closes:
                return True
    return False


def next_check(schedule: Schedule, zone: ZoneInfo, after: datetime, grace: timedelta) -> Check | None:
    """The first check strictly after ``after``: an opening or a closing plus the grace; None when the
    schedule has no period in the next :data:`SEARCH_DAYS` days."""
    holidays = _holidays(schedule)
    if not schedule.windows and not any(h.hours for h in holidays.values()):
        return None
    first = _local_day(after, zone) - timedelta(days=1)
    best: Check | None = None
    for offset in range(SEARCH_DAYS):
        day = first + timedelta(days=offset)
        if best is not None and local_instant(day, "00:00", zone) > best.at:
            break
        for period in periods_on(schedule, day, zone, holidays):
            for check in (
                Check("open", period.opens + grace, period),
                Check("close", period.closes + grace, period),
            ):
                if check.at > after and (best is None or check.at < best.at):
                    best = check
    return best


def has_opened(period: Period, grace: timedelta, armed: bool | None, armed_at: datetime | None) -> bool:
    """Whether the site opened for a period, from its state: disarmed now, or its arming changed since
    the period could start (it was opened, and closed again)."""
    if armed is False:
        return True
    return armed_at is not None and armed_at >= period.opens - grace


def describe_period(period: Period, zone: ZoneInfo) -> str:
    """``2026-03-29 08:00-19:00`` in the site's local time."""
    opens, closes = period.opens.astimezone(zone), period.closes.astimezone(zone)
    return f"{period.day.isoformat()} {opens:%H:%M}-{closes:%H:%M}"


_WINDOW = re.compile(r"^([1-7](?:-[1-7])?(?:,[1-7](?:-[1-7])?)*)\s+([0-2]\d:[0-5]\d)-([0-2]\d:[0-5]\d)$")


def parse_window(text: str) -> ScheduleWindow:
    """A window from ``1-5 08:00-19:00`` (ISO weekdays, 1 = Monday; ranges and commas: ``1,3,5``,
    ``1-3,6``); a closing at or before the opening runs overnight (``5 22:00-06:00``)."""
    found = _WINDOW.match(" ".join(str(text).split()))
    if found is None:
        raise InvalidInput(
            f"Window {text!r}: write weekdays (1 = Monday … 7 = Sunday) then hours, e.g. 1-5 08:00-19:00"
            " or 6,7 09:00-12:00."
        )
    days: set[int] = set()
    for part in found.group(1).split(","):
        low, _, high = part.partition("-")
        first, last = int(low), int(high or low)
        if last < first:
            raise InvalidInput(f"Window {text!r}: the day range {part} runs backwards.")
        days.update(range(first, last + 1))
    return ScheduleWindow(days=tuple(sorted(days)), opens=found.group(2), closes=found.group(3))


def window_text(window: ScheduleWindow) -> str:
    """The inverse of :func:`parse_window` (days listed with commas)."""
    return f"{','.join(map(str, window.days))} {window.opens}-{window.closes}"
