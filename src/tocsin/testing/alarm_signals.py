"""Signals as a transmitter's frames leave them once stored, for tests of the alarm rules: one Contact ID
event each (``"1130 01 019"``: a burglary, zone 19), decoded by the receiver's own classifier."""

from __future__ import annotations

import itertools
from uuid import UUID

from tocsin.domain.signals import Signal
from tocsin.domain.sites import Account
from tocsin.services.intake.classify import events_of
from tocsin.services.ports import Clock

_sequence = itertools.count(1)


def contact_id_signal(clock: Clock, account: Account, data: str, *, site_id: UUID | None = None) -> Signal:
    """A stored signal from the account carrying one Contact ID event, received now (a fresh sequence
    number and payload each time, so no two are retransmissions of one another)."""
    n = next(_sequence)
    events, problem = events_of("ADM-CID", data)
    if problem is not None:
        raise ValueError(problem)
    return Signal(
        id=clock.new_id(),
        received_at=clock.now(),
        node="n1",
        listener="tcp:9000",
        raw=f"frame {n} {account.number} {data}",
        answer="ACK",
        tenant_id=account.tenant_id,
        account_id=account.id,
        site_id=site_id or account.site_id,
        occurred_at=clock.now(),
        receiver=account.receiver,
        line=account.line,
        account_number=account.number,
        sequence=f"{n % 10000:04d}",
        id_token="ADM-CID",  # noqa: S106 - the DC-09 message type, not a secret
        payload_hash=f"{n:064x}",
        data=data,
        events=events,
    )
