"""The node's figures in the Prometheus text format, built for each scrape from a fresh reading (no
global registry: two apps in one process, as the tests make, never share a counter)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from tocsin.domain.kpis import ALL_CLASSES, AlarmKpis
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
        *,
        kpis: AlarmKpis | None = None,
    ) -> None:
        self._kpis = kpis
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
        if self._kpis is not None:
            yield from _kpi_metrics(self._kpis)

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


def _kpi_metrics(kpis: AlarmKpis) -> Iterator[Metric]:
    """The alarm KPIs over the sliding window (``TOCSIN_KPI_METRICS_HOURS``): what the station's own
    figures do not say (they count open alarms now; these measure how the alarms were handled)."""
    window = (kpis.period.end - kpis.period.start).total_seconds()
    yield _gauge("tocsin_kpi_window_seconds", "Length of the window the tocsin_kpi_ figures cover.", window)
    opened = GaugeMetricFamily(
        "tocsin_kpi_alarms", "Alarms opened in the window, by class.", labels=["class"]
    )
    quantiles = GaugeMetricFamily(
        "tocsin_kpi_handling_seconds",
        "Nearest-rank p50 and p90 of the seconds from an alarm's opening to its first take (take) or its"
        " settling (settle), over the window's alarms; class * is every class.",
        labels=["class", "measure", "quantile"],
    )
    within = GaugeMetricFamily(
        "tocsin_kpi_within_ratio",
        "Share of the window's measured alarms handled within a target's seconds (EN 50518 for take).",
        labels=["class", "measure", "seconds"],
    )
    target = GaugeMetricFamily(
        "tocsin_kpi_target_ratio", "The share each target asks for.", labels=["measure", "seconds"]
    )
    for t in kpis.timings:
        if t.measure == "take":
            opened.add_metric([t.alarm_class], t.alarms)
        for q, value in (("0.5", t.p50), ("0.9", t.p90)):
            if value is not None:
                quantiles.add_metric([t.alarm_class, t.measure, q], value)
        for w in t.within:
            if t.measured:
                within.add_metric([t.alarm_class, t.measure, f"{w.target.seconds:g}"], w.share)
            if t.alarm_class == ALL_CLASSES:
                target.add_metric([t.measure, f"{w.target.seconds:g}"], w.target.share)
    yield from (opened, quantiles, within, target)
    false = GaugeMetricFamily(
        "tocsin_kpi_false_ratio",
        "Share of the window's settled alarms settled as false, by class.",
        labels=["class"],
    )
    false.add_metric([ALL_CLASSES], kpis.false_rate)
    for r in kpis.by_class:
        false.add_metric([r.key], r.rate)
    yield false
    yield _gauge(
        "tocsin_kpi_signals_per_hour",
        "Signals of the caller's tenant received per hour, averaged over the window (stored signals,"
        " whichever node received them).",
        kpis.mean_signals_per_hour,
    )
    yield from _dispatch_metrics(kpis)


def _dispatch_metrics(kpis: AlarmKpis) -> Iterator[Metric]:
    """NFPA 1225 intervals of the window's events: p90 per interval, the share within its target."""
    dispatch = kpis.dispatch
    events = GaugeMetricFamily(
        "tocsin_kpi_dispatch_events",
        "Events opened in the window: all of them, and those with no unit alerted.",
        labels=["kind"],
    )
    events.add_metric(["opened"], dispatch.events)
    events.add_metric(["no_unit"], dispatch.no_unit)
    p90 = GaugeMetricFamily(
        "tocsin_kpi_dispatch_p90_seconds",
        "Nearest-rank p90 of the window's NFPA 1225 intervals (processing: event opened to first unit"
        " alerted; turnout: that unit alerted to en route; travel: en route to on scene).",
        labels=["interval"],
    )
    within = GaugeMetricFamily(
        "tocsin_kpi_dispatch_within_ratio",
        "Share of the window's interval samples within the NFPA target's seconds (processing: 60 s).",
        labels=["interval", "seconds"],
    )
    for f in dispatch.figures:
        if f.p90 is not None:
            p90.add_metric([f.interval], f.p90)
        if f.samples:
            within.add_metric([f.interval, f"{f.target.seconds:g}"], f.share)
    yield from (events, p90, within)


def _gauge(name: str, text: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, text, value=value)


def exposition(
    figures: Figures,
    signals: Mapping[str, int],
    consoles: int,
    journal: int,
    readings: Readings | None,
    *,
    kpis: AlarmKpis | None = None,
) -> bytes:
    """The scrape's body (with the alarm KPIs of the window when given)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Reading(figures, signals, consoles, journal, readings, kpis=kpis))
    return generate_latest(registry)


def signal_counts(stats: Any) -> dict[str, int]:
    """The receiver's counters (its group committer's :class:`CommitStats`), when it runs in this process."""
    if stats is None:
        return {}
    return {"stored": stats.stored, "journaled": stats.journaled, "replayed": stats.replayed}
