"""Alarms for the integration tests: signals stored for a transmitter and processed by the real rules,
as the receiver and the signal processor would (see tests/contract/test_alarms.py)."""

from __future__ import annotations

from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account
from tocsin.services.signal_processing import SiteClients, process_pending
from tocsin.services.unit_of_work import Store
from tocsin.testing import FakeClock
from tocsin.testing.alarm_signals import contact_id_signal


def send(store: Store, clock: FakeClock, account: Account, *frames: str) -> None:
    """Store one signal per Contact ID event (``"1130 01 001"``) from the account, and process them."""
    signals = []
    for data in frames:
        signals.append(contact_id_signal(clock, account, data))
        clock.advance(1)
    store.write(lambda uow: uow.signals.insert_many(signals), Scope.system())
    clients = SiteClients(clock)
    while store.write(lambda uow: process_pending(uow, clients), Scope.system()):
        pass


def open_alarms(store: Store, site_id: UUID) -> list[a.Alarm]:
    """The site's alarms not closed, in queue order."""
    return store.read(lambda uow: uow.alarms.find(states=a.OPEN_STATES, site_id=site_id), Scope.system())
