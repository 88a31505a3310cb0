"""The signal processor's events: their spelled-out data is the generic event data, key for key."""

from __future__ import annotations

import gc
import uuid
from dataclasses import dataclass
from typing import ClassVar

import pytest

from tocsin.domain import events
from tocsin.domain.events import Event, SignalReceived


def _generic(event: Event) -> dict[str, object]:
    return {name: events._to_json(getattr(event, name)) for name in events._field_names(type(event))}


@pytest.mark.parametrize("located", [True, False])
@pytest.mark.parametrize("restore", [True, False])
def test_a_received_signals_data_is_the_generic_event_data(located: bool, restore: bool) -> None:
    """SignalReceived's own to_data gives the keys, order and values the generic walk of the fields gives
    (so stored entries and their hashes stay the same), with or without tenant, site and client."""
    where = uuid.uuid4() if located else None
    event = SignalReceived(
        tenant_id=where,
        signal_id=uuid.uuid4(),
        site_id=where,
        client_id=uuid.uuid4() if located else None,
        account="B001",
        code="130",
        event_class="intrusion",
        label_en="Burglary",
        label_fr="Intrusion",
        zone="007",
        restore=restore,
    )
    data = event.to_data()
    assert list(data.items()) == list(_generic(event).items())
    assert SignalReceived.from_data(data) == event
    assert [s.as_json() for s in event.subjects()] == [
        {"kind": "signal", "id": str(event.signal_id)},
        *([{"kind": "site", "id": str(where)}] if located else []),
    ]


def test_an_event_class_defined_after_a_lookup_is_found() -> None:
    """The kind → class lookup is cached, yet a kind asked about before its class existed is found once
    the class is defined (plugins and tests define events late)."""
    assert events.event_class("test.late_kind") is None
    assert events.event_class("signal.received") is SignalReceived

    @dataclass(frozen=True, slots=True, kw_only=True)
    class LateEvent(Event):
        KIND: ClassVar[str] = "test.late_kind"
        MESSAGE: ClassVar[str] = "signal.received"  # a catalogued message, should another test see it

    assert events.event_class("test.late_kind") is LateEvent
    assert events.event_class("signal.received") is SignalReceived
    del LateEvent  # no other test is to see it among the event classes
    events.event_class.cache_clear()
    gc.collect()
    assert events.event_class("test.late_kind") is None
