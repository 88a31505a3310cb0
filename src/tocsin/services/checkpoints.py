"""Signing the logbook's chain heads on a timer, through the deadline scheduler."""

from __future__ import annotations

from datetime import timedelta

from tocsin.domain.deadlines import Deadline
from tocsin.domain.scope import Scope
from tocsin.services import logbook
from tocsin.services.ports import Signer
from tocsin.services.scheduler import DeadlineHandler, Scheduler, arm
from tocsin.services.unit_of_work import Store, UnitOfWork

KIND = "logbook.checkpoint"
KEY = "all-chains"


def schedule_checkpoints(scheduler: Scheduler, store: Store, signer: Signer, every: timedelta) -> None:
    """Sign every moved chain head now and then every ``every``, surviving restarts."""
    scheduler.register(KIND, _handler(signer, every))

    def first(uow: UnitOfWork) -> None:
        if not any(d.kind == KIND for d in uow.deadlines.pending()):
            arm(uow, KIND, KEY, uow.clock.now())

    store.write(first, Scope.system())


def _handler(signer: Signer, every: timedelta) -> DeadlineHandler:
    def sign(uow: UnitOfWork, deadline: Deadline) -> None:
        logbook.sign_heads(uow.logbook, uow.clock, signer)
        arm(uow, KIND, KEY, uow.clock.now() + every)

    return sign
