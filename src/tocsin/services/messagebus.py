"""The message bus: runs each command's one handler in a unit of work, with the caller's scope.

Events are not dispatched here: they are recorded in the logbook with the change, and the outbox
publishes them after commit.
"""

from __future__ import annotations

from typing import Any

from tocsin.domain import alarms as alarm_domain
from tocsin.domain.commands import Command
from tocsin.domain.scope import Scope
from tocsin.services import deadman
from tocsin.services.handlers import (
    alarms,
    cameras,
    closure,
    directory,
    incidents,
    kpis,
    partners,
    plans,
    schedules,
    shifts,
    site_admin,
    units,
    user_admin,
    users,
    verification,
)
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.unit_of_work import Store, UnitOfWork

HANDLERS = Handlers.combine(
    directory.HANDLERS,
    users.HANDLERS,
    user_admin.HANDLERS,
    alarms.HANDLERS,
    plans.HANDLERS,  # action plans and temporary instructions
    verification.HANDLERS,  # the levée de doute: verifications, dispatches, requests for help
    schedules.HANDLERS,  # opening hours and the alarms they raise
    incidents.HANDLERS,  # dispatch events
    cameras.HANDLERS,  # cameras and their compliance record
    units.HANDLERS,  # units: status machine, engagement, positions, reports
    kpis.HANDLERS,  # a tenant's own KPI targets
    partners.HANDLERS,  # partners told about events, from the matrix and templates; radio channels
    closure.HANDLERS,  # event reports, closing with one, reference-data corrections
    site_admin.HANDLERS,  # a site file's fields, zones and contacts changed or removed
    shifts.HANDLERS,  # shifts, handovers and the dead-man's answers
)

ENDS_HOLD = (alarm_domain.ReleaseAlarm, alarm_domain.SettleAlarm, alarm_domain.CloseAlarm)


class MessageBus:
    """Handles commands: one handler each, errors propagate, nothing is half-written."""

    def __init__(self, store: Store, deps: Deps) -> None:
        self.store = store
        self._deps = deps

    def handle(self, command: Command, *, scope: Scope, actor: str) -> Any:
        """Run the command's handler in one transaction and return what it returns."""
        if type(command) not in HANDLERS:
            raise TypeError(f"no handler for {type(command).__name__}")

        def run(uow: UnitOfWork) -> Any:
            done = HANDLERS.run(command, uow, actor, self._deps)
            if self._deps.deadman_idle > 0 and not isinstance(command, shifts.OWN_ACTIVITY):
                ends = isinstance(command, ENDS_HOLD)
                deadman.activity(uow, scope.tenant_id, actor, may_end_hold=ends)  # an operator's sign of life
            return done

        return self.store.write(run, scope)
