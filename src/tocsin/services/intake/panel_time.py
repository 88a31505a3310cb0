"""Panel time: panels with the ``local-time`` profile read and write their site's wall clock, not UTC.

A frame's stamp is read in the site's zone; the answer's stamp (ACK, NAK, RSP) is written in it, so the
panel that resynchronises on our answer keeps its local clock. Around daylight-saving changes a wall
time can name two instants (the repeated hour in autumn) or none (the skipped hour in spring): of the two
readings (before and after the change) the one nearest our own clock is taken, which is the panel's
unless its clock is off by half an hour or more (and then the frame is refused either way).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tocsin.services.intake.accounts import KnownAccount

LOCAL_TIME = "local-time"


def _zone(account: KnownAccount | None) -> ZoneInfo | None:
    if account is None or account.profile != LOCAL_TIME:
        return None
    return ZoneInfo(account.time_zone)  # ZoneInfo caches its instances: no file read per frame


def panel_time(stamp: datetime | None, account: KnownAccount | None, now: datetime) -> datetime | None:
    """A frame's timestamp in UTC; a ``local-time`` panel's stamp is its site's wall clock.

    The decoder tags every stamp UTC; for a local-time panel its digits are re-read in the site's zone,
    choosing, when daylight saving makes them ambiguous or skipped, the reading nearest ``now``."""
    zone = _zone(account)
    if stamp is None or zone is None:
        return stamp
    wall = stamp.replace(tzinfo=None)
    readings = (wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    return min(readings, key=lambda reading: abs(reading - now))


def answer_time(now: datetime, account: KnownAccount | None) -> datetime:
    """The moment to write on an answer: ``now``, or for a local-time panel its site's wall clock.

    The codec writes the digits of a UTC datetime, so the wall clock is handed over tagged UTC."""
    zone = _zone(account)
    if zone is None:
        return now
    return now.astimezone(zone).replace(tzinfo=UTC)
