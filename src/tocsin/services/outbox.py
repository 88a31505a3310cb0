"""The outbox: after commit, each logbook entry (and the typed domain event it records) is published.

The logbook sequence is the outbox: nothing is published that was not committed, and a subscriber
that missed entries reads them back from the logbook by sequence.
"""

from __future__ import annotations

from collections.abc import Iterable

from tocsin.domain.events import event_class
from tocsin.domain.logbook import LogbookEntry
from tocsin.services.ports import Bus


class Outbox:
    """Publishes committed entries to the bus, in sequence order."""

    def __init__(self, bus: Bus) -> None:
        self._bus = bus

    def __call__(self, entries: Iterable[LogbookEntry]) -> None:
        for entry in entries:
            self._bus.publish(entry)
            cls = event_class(entry.kind)
            if cls is not None and self._bus.wants(cls):
                self._bus.publish(cls.from_data(entry.data))
