"""Alarms for the integration tests: signals stored for a transmitter and processed by the real rules,
as the receiver and the signal processor would (see tests/contract/test_alarms.py)."""

from __future__ import annotations

import itertools
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain.scope import Scope
from tocsin.domain.signals import Signal
from tocsin.domain.sites import Account
from tocsin.services.intake.classify import _events_of
from tocsin.services.signal_processing import SiteClients, process_pending
from tocsin.services.unit_of_work import Store
from tocsin.testing import FakeClock

_sequence = itertools.count(1)


def send(store: Store, clock: FakeClock, account: Account, *frames: str) -> None:
    """Store one signal per Contact ID event (``"1130 01 001"``) from the account, and process them."""
    signals = []
    for data in frames:
        n = next(_sequence)
        events, problem = _events_of("ADM-CID", data)
        assert problem is None, problem
        signals.append(
            Signal(
                id=clock.new_id(),
                received_at=clock.now(),
                node="n1",
                listener="tcp:9000",
                raw=f"frame {n} {account.number} {data}",
                answer="ACK",
                tenant_id=account.tenant_id,
                account_id=account.id,
                site_id=account.site_id,
                occurred_at=clock.now(),
                receiver=account.receiver,
                line=account.line,
                account_number=account.number,
                sequence=f"{n % 10000:04d}",
                id_token="ADM-CID",
                payload_hash=f"{n:064x}",
                data=data,
                events=events,
            )
        )
        clock.advance(1)
    store.write(lambda uow: uow.signals.insert_many(signals), Scope.system())
    clients = SiteClients(clock)
    while store.write(lambda uow: process_pending(uow, clients), Scope.system()):
        pass


def open_alarms(store: Store, site_id: UUID) -> list[a.Alarm]:
    """The site's alarms not closed, in queue order."""
    return store.read(lambda uow: uow.alarms.find(states=a.OPEN_STATES, site_id=site_id), Scope.system())
