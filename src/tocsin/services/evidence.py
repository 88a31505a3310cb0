"""The evidence file of an alarm's levée de doute: everything a police request rests on, gathered in
one read so it can be printed (see :mod:`tocsin.adapters.evidence_pdf`).

It holds the alarm, its signals, every verification with its time and result, the dispatches, the
calls, the requests with the AVS-01 score each recorded, the operator, and the logbook entries that
recorded all of it with their chain, sequence and hash: anyone holding the logbook can find each entry
and check that nothing was altered (``tocsin logbook verify``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain.calls import CallAttempt
from tocsin.domain.logbook import LogbookEntry
from tocsin.domain.verification import AuthorityRequest, Dispatch, Verification
from tocsin.services.handlers.alarms import alarm_in_scope
from tocsin.services.handlers.verification import standing
from tocsin.services.unit_of_work import UnitOfWork

ENTRIES_MAX = 2000  # an alarm's entries printed at most (a storm's alarm may gather thousands of signals)
SIGNALS_MAX = 500
EARLIER = timedelta(minutes=5)  # entries are recorded after the alarm opened; a margin for clocks


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """What an evidence file shows, read in one transaction."""

    alarm: a.Alarm
    signals: list[a.AlarmSignal]
    verifications: list[Verification]
    dispatches: list[Dispatch]
    calls: list[CallAttempt]
    requests: list[AuthorityRequest]
    entries: list[LogbookEntry]
    avs_score: int
    verified_by: list[str]
    ecv: bool
    made_at: datetime
    made_by: str


def gather(uow: UnitOfWork, alarm_id: UUID, made_by: str) -> EvidenceFile:
    """The alarm's evidence file, as the caller's scope sees it (NotFound outside it)."""
    alarm = alarm_in_scope(uow, alarm_id)
    score, verified_by, ecv_made = standing(uow, alarm)
    wanted = str(alarm.id)
    # Only the alarm's own stretch of the logbook is read: its site's entries (a site-less alarm: the
    # tenant's) from its opening to its closing, not every entry of the tenant since it opened.
    found = uow.logbook.read(
        uow.scope,
        since=alarm.opened_at - EARLIER,
        until=None if alarm.closed_at is None else alarm.closed_at + EARLIER,
        site_id=alarm.site_id,
    )
    entries = [e for e in found if e.data.get("alarm_id") == wanted]
    return EvidenceFile(
        alarm=alarm,
        signals=uow.alarms.history(alarm.id, limit=SIGNALS_MAX),
        verifications=uow.verifications.verifications(alarm.id),
        dispatches=uow.verifications.dispatches(alarm.id),
        calls=uow.alarms.calls(alarm.id),
        requests=uow.verifications.requests(alarm.id),
        entries=entries[:ENTRIES_MAX],
        avs_score=score,
        verified_by=verified_by,
        ecv=ecv_made,
        made_at=uow.clock.now(),
        made_by=made_by,
    )
