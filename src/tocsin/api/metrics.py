"""The node's figures in the Prometheus text format, built for each scrape from a fresh reading (no
global registry: two apps in one process, as the tests make, never share a counter)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from tocsin.services.station import Readings
from tocsin.services.station_figures import Figures

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _Reading(Collector):
    def __init__(
        self,
        figures: Figures,
        signals: Mapping[str, int],
        consoles: int,
        journal: int,
        readings: Readings | None,
    ) -> None:
        self._figures = figures
        self._signals = signals
        self._consoles = consoles
        self._journal = journal
        self._readings = readings

    def collect(self) -> Iterator[Metric]:
        f = self._figures
        yield _gauge(
            "tocsin_database_up", "1 when the database answered this scrape's reads.", int(f.database_ok)
        )
        yield _gauge("tocsin_database_read_seconds", "Seconds this scrape's reads took.", f.database_seconds)
        signals = CounterMetricFamily(
            "tocsin_signals", "Signals this process's receiver made durable, by how.", labels=["outcome"]
        )
        for outcome, count in sorted(self._signals.items()):
            signals.add_metric([outcome], count)
        yield signals
        yield _gauge(
            "tocsin_processor_backlog", "Stored signals waiting for their logbook entries.", f.backlog
        )
        yield _gauge(
            "tocsin_processor_lag_seconds", "Age of the oldest signal waiting for its entries.", f.lag_seconds
        )
        yield _gauge(
            "tocsin_journal_backlog",
            "Signals journaled on this node's disk, waiting for a replay.",
            self._journal,
        )
        alarms = GaugeMetricFamily(
            "tocsin_alarms_open", "Open alarms, by class and priority.", labels=["class", "priority"]
        )
        for (alarm_class, priority), count in sorted(f.open_alarms.items()):
            alarms.add_metric([alarm_class, str(priority)], count)
        yield alarms
        yield _gauge(
            "tocsin_console_connections", "Consoles connected to this node's live socket.", self._consoles
        )
        yield CounterMetricFamily(
            "tocsin_logbook_entries", "Entries in the caller's logbook chain.", value=f.logbook_entries
        )
        yield from self._station()

    def _station(self) -> Iterator[Metric]:
        readings = self._readings
        if readings is None:
            return
        offset = readings.clock.get("offset")
        if offset is not None:
            yield _gauge(
                "tocsin_clock_offset_seconds", "The node's clock offset to the room's NTP servers.", offset
            )
        free = readings.storage.get("free_bytes")
        if free is not None:
            yield _gauge("tocsin_storage_free_bytes", "Free bytes on the data folder's disk.", free)
        ups = readings.ups.get("state")
        if ups is not None and ups != "off":
            state = GaugeMetricFamily("tocsin_ups_state", "1 for the UPS's present state.", labels=["state"])
            state.add_metric([str(ups)], 1)
            yield state


def _gauge(name: str, text: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, text, value=value)


def exposition(
    figures: Figures, signals: Mapping[str, int], consoles: int, journal: int, readings: Readings | None
) -> bytes:
    """The scrape's body."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Reading(figures, signals, consoles, journal, readings))
    return generate_latest(registry)


def signal_counts(stats: Any) -> dict[str, int]:
    """The receiver's counters (its group committer's :class:`CommitStats`), when it runs in this process."""
    if stats is None:
        return {}
    return {"stored": stats.stored, "journaled": stats.journaled, "replayed": stats.replayed}
