"""The figures a room watches its node by (the station page and ``/metrics``): the signal processor's
backlog and lag, the open alarms by class and priority, the logbook's length, and whether the database
answers. Node-wide figures (the backlog) are read in the system scope; the room's (alarms, logbook) in
the caller's, so a supervisor never counts another tenant's alarms.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from tocsin.domain import alarms as a
from tocsin.domain.errors import TocsinError
from tocsin.domain.logbook import chain_for
from tocsin.domain.scope import Scope
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store, UnitOfWork

BACKLOG_LIMIT = 100_000  # signals counted at most (a count past it says "at least")
OPEN_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class Figures:
    """One reading of the node's figures."""

    database_ok: bool
    database_seconds: float
    backlog: int = 0
    oldest_pending_at: datetime | None = None
    lag_seconds: float = 0.0
    open_alarms: dict[tuple[str, int], int] = field(default_factory=dict)
    logbook_entries: int = 0
    detail: str = ""


def read_figures(store: Store, clock: Clock, scope: Scope) -> Figures:
    """The figures now; when the database does not answer, ``database_ok`` is False and the rest zero."""
    started = clock.monotonic()

    def room(uow: UnitOfWork) -> tuple[Counter[tuple[str, int]], int]:
        found = uow.alarms.find(states=a.OPEN_STATES, limit=OPEN_LIMIT)
        heads = {h.chain: h.seq for h in uow.logbook.heads()}
        return Counter((x.alarm_class, x.priority) for x in found), heads.get(chain_for(scope.tenant_id), 0)

    try:
        backlog, oldest = store.read(lambda uow: uow.signals.backlog(BACKLOG_LIMIT), Scope.system())
        open_alarms, entries = store.read(room, scope)
    except TocsinError as exc:
        return Figures(database_ok=False, database_seconds=clock.monotonic() - started, detail=str(exc))
    now = clock.now()
    lag = 0.0 if oldest is None else max((now - oldest).total_seconds(), 0.0)
    return Figures(
        database_ok=True,
        database_seconds=clock.monotonic() - started,
        backlog=backlog,
        oldest_pending_at=oldest,
        lag_seconds=lag,
        open_alarms=dict(open_alarms),
        logbook_entries=entries,
    )
