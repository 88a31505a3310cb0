"""Signing the logbook's chain heads on a timer, through the deadline scheduler.

Each run signs the chains that moved, in the deadline's transaction; once that transaction has
committed, the new checkpoints are also kept outside the database (:class:`SignedHeads`), so that
deleting a chain's tail together with its checkpoints is found by ``tocsin logbook verify``.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from tocsin.domain.deadlines import Deadline
from tocsin.domain.errors import LogbookError
from tocsin.domain.logbook import Checkpoint
from tocsin.domain.scope import Scope
from tocsin.services import logbook
from tocsin.services.ports import SignedHeads, Signer
from tocsin.services.scheduler import DeadlineHandler, Scheduler, arm
from tocsin.services.unit_of_work import Store, UnitOfWork

KIND = "logbook.checkpoint"
KEY = "all-chains"
log = logging.getLogger(__name__)


def schedule_checkpoints(
    scheduler: Scheduler,
    store: Store,
    signer: Signer,
    every: timedelta,
    signed_heads: SignedHeads | None = None,
) -> None:
    """Sign every moved chain head now and then every ``every``, surviving restarts."""
    scheduler.register(KIND, _handler(signer, every, signed_heads))

    def first(uow: UnitOfWork) -> None:
        if not uow.deadlines.pending(KIND):
            arm(uow, KIND, KEY, uow.clock.now())

    store.write(first, Scope.system())


def sign_and_keep(uow: UnitOfWork, signer: Signer, signed_heads: SignedHeads | None) -> list[Checkpoint]:
    """Sign every moved chain head in ``uow``; keep the new checkpoints outside the database once
    ``uow`` has committed (a failure to keep them is logged: the database holds them anyway)."""
    made = logbook.sign_heads(uow.logbook, uow.clock, signer)
    if made and signed_heads is not None:
        uow.after_commit(lambda: _keep(signed_heads, made))
    return made


def _keep(signed_heads: SignedHeads, made: list[Checkpoint]) -> None:
    try:
        signed_heads.record(made)
    except (OSError, LogbookError):
        log.exception("the signed checkpoints could not be kept outside the database")


def _handler(signer: Signer, every: timedelta, signed_heads: SignedHeads | None) -> DeadlineHandler:
    def sign(uow: UnitOfWork, deadline: Deadline) -> None:
        sign_and_keep(uow, signer, signed_heads)
        arm(uow, KIND, KEY, uow.clock.now() + every)

    return sign
