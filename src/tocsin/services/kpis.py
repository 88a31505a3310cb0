"""The room's KPIs over a period, read in one transaction through the caller's scope, and the CSV export.

A period holds at most :data:`ALARM_LIMIT` alarms (a report past it says ``truncated``: ask for a shorter
period); signals are counted by the database, never read one by one.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

from tocsin.domain.dispatch_intervals import DispatchKpis, dispatch_kpis
from tocsin.domain.errors import InvalidInput
from tocsin.domain.kpi_targets import applied
from tocsin.domain.kpis import AlarmKpis, FalseRate, Period, Targets, alarm_kpis
from tocsin.domain.scope import Scope
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store, UnitOfWork

ALARM_LIMIT = 200_000
EVENT_LIMIT = 200_000
DEFAULT_SPAN = timedelta(hours=24)


def period_of(clock: Clock, start: datetime | None, end: datetime | None) -> Period:
    """The period asked for: ``end`` defaults to now, ``start`` to 24 h before ``end``."""
    until = end or clock.now()
    try:
        since = start or until - DEFAULT_SPAN
    except OverflowError:
        raise InvalidInput("A period lies between the years 1970 and 9000: check the dates.") from None
    return Period(since, until)


def read_kpis(store: Store, scope: Scope, period: Period, targets: Targets) -> AlarmKpis:
    """The KPIs of ``period`` as ``scope`` sees them, against the scope's tenant's own targets where it
    set them and ``targets`` (the node's settings) elsewhere."""

    def read(uow: UnitOfWork) -> AlarmKpis:
        own = (
            targets
            if scope.tenant_id is None
            else applied(targets, *uow.kpis.tenant_targets(scope.tenant_id))
        )
        found = uow.kpis.handled(period.start, period.end, ALARM_LIMIT + 1)
        hours = uow.kpis.signal_hours(period.start, period.end)
        wanted = {x.client_id for x in found if x.client_id is not None}
        names = {c.id: f"{c.ref} {c.name}".strip() for c in uow.clients.get_many(wanted)}
        events = uow.kpis.dispatched(period.start, period.end, EVENT_LIMIT + 1)
        dispatch = dispatch_kpis(events[:EVENT_LIMIT], truncated=len(events) > EVENT_LIMIT)
        return alarm_kpis(
            period,
            found[:ALARM_LIMIT],
            hours,
            own,
            client_names=names,
            truncated=len(found) > ALARM_LIMIT,
            dispatch=dispatch,
        )

    return store.read(read, scope)


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def to_csv(kpis: AlarmKpis) -> str:
    """The report as one CSV table: a ``section`` column tells the rows apart (timings, false alarms
    by class, site and client, causes, signals per hour); an empty period is one ``empty`` row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "section",
            "key",
            "label",
            "measure",
            "count",
            "measured",
            "p50_s",
            "p90_s",
            "max_s",
            "value",
            "target",
        ]
    )
    start, end = kpis.period.start.isoformat(), kpis.period.end.isoformat()
    writer.writerow(["period", start, end, "", kpis.alarms, kpis.settled, "", "", "", kpis.signals, ""])
    if kpis.empty:
        writer.writerow(["empty", "", "No alarm and no signal in this period.", "", 0, 0, "", "", "", "", ""])
        _dispatch_rows(writer, kpis.dispatch)
        return out.getvalue()
    if kpis.truncated:
        writer.writerow(["truncated", "", "Too many alarms: ask for a shorter period.", *[""] * 8])
    for t in kpis.timings:
        writer.writerow(
            [
                "timing",
                t.alarm_class,
                "",
                t.measure,
                t.alarms,
                t.measured,
                _seconds(t.p50),
                _seconds(t.p90),
                _seconds(t.longest),
                "",
                "",
            ]
        )
        for w in t.within:
            writer.writerow(
                [
                    "within",
                    t.alarm_class,
                    "",
                    t.measure,
                    w.count,
                    t.measured,
                    "",
                    "",
                    "",
                    f"{w.share:.4f}",
                    w.target.label,
                ]
            )
    for section, rates in (
        ("false_class", kpis.by_class),
        ("false_site", kpis.by_site),
        ("false_client", kpis.by_client),
    ):
        for r in rates:
            writer.writerow(
                [section, r.key, r.label, "false", r.false, r.settled, "", "", "", f"{r.rate:.4f}", ""]
            )
    for c in kpis.causes:
        writer.writerow(
            ["cause", c.cause, c.outcome, "", c.count, kpis.settled, "", "", "", f"{c.share:.4f}", ""]
        )
    for h in kpis.signals_per_hour:
        writer.writerow(["hour", h.hour.isoformat(), "", "signals", h.signals, "", "", "", "", h.alarms, ""])
    _dispatch_rows(writer, kpis.dispatch)
    return out.getvalue()


def _dispatch_rows(writer: Any, dispatch: DispatchKpis) -> None:
    """``dispatch_events``: events opened (count), with a unit alerted (measured), without (value);
    ``dispatch``: one row per NFPA 1225 interval, the share within its target in ``value``."""
    counts = [dispatch.events, dispatch.dispatched, "", "", "", dispatch.no_unit, ""]
    writer.writerow(["dispatch_events", "", "", "", *counts])
    if dispatch.truncated:
        writer.writerow(["dispatch_truncated", "", "Too many events: ask for a shorter period.", *[""] * 8])
    for f in dispatch.figures:
        label = f"{f.target.share * 100:g} % ≤ {f.target.seconds:g} s"
        writer.writerow(
            [
                "dispatch",
                f.interval,
                "",
                f.interval,
                f.within,
                f.samples,
                _seconds(f.p50),
                _seconds(f.p90),
                "",
                f"{f.share:.4f}",
                label,
            ]
        )


def _rates(rates: tuple[FalseRate, ...]) -> list[dict[str, Any]]:
    return [
        {"key": r.key, "label": r.label, "settled": r.settled, "false": r.false, "rate": round(r.rate, 4)}
        for r in rates
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def as_json(kpis: AlarmKpis) -> dict[str, Any]:
    """The report as the API and ``tocsin kpis --json`` give it (an interface: fields are only added)."""
    targets = kpis.targets
    return {
        "from": kpis.period.start.isoformat(),
        "to": kpis.period.end.isoformat(),
        "empty": kpis.empty,
        "truncated": kpis.truncated,
        "alarms": kpis.alarms,
        "settled": kpis.settled,
        "false": kpis.false,
        "false_rate": round(kpis.false_rate, 4),
        "signals": kpis.signals,
        "signals_per_hour_mean": round(kpis.mean_signals_per_hour, 2),
        "targets": {
            m: [{"seconds": t.seconds, "percent": round(t.share * 100, 3)} for t in targets.of(m)]
            for m in ("take", "settle")
        },
        "timings": [
            {
                "alarm_class": t.alarm_class,
                "measure": t.measure,
                "alarms": t.alarms,
                "measured": t.measured,
                "p50": _round(t.p50),
                "p90": _round(t.p90),
                "max": _round(t.longest),
                "within": [
                    {
                        "seconds": w.target.seconds,
                        "target_percent": round(w.target.share * 100, 3),
                        "count": w.count,
                        "share": round(w.share, 4),
                        "met": w.met,
                    }
                    for w in t.within
                ],
            }
            for t in kpis.timings
        ],
        "false_by_class": _rates(kpis.by_class),
        "false_by_site": _rates(kpis.by_site),
        "false_by_client": _rates(kpis.by_client),
        "causes": [
            {"cause": c.cause, "outcome": c.outcome, "count": c.count, "share": round(c.share, 4)}
            for c in kpis.causes
        ],
        "per_hour": [
            {"hour": h.hour.isoformat(), "signals": h.signals, "alarms": h.alarms}
            for h in kpis.signals_per_hour
        ],
        "take_curve": [{"seconds": s, "share": round(v, 4)} for s, v in kpis.take_curve],
        "dispatch": dispatch_json(kpis.dispatch),
    }


def dispatch_json(dispatch: DispatchKpis) -> dict[str, Any]:
    """The NFPA 1225 section of the report (``dispatch`` in the API's answer)."""
    return {
        "events": dispatch.events,
        "dispatched": dispatch.dispatched,
        "no_unit": dispatch.no_unit,
        "inconsistent": dispatch.inconsistent,
        "truncated": dispatch.truncated,
        "intervals": [
            {
                "interval": f.interval,
                "samples": f.samples,
                "p50": _round(f.p50),
                "p90": _round(f.p90),
                "target_seconds": f.target.seconds,
                "target_percent": round(f.target.share * 100, 3),
                "within": f.within,
                "share": round(f.share, 4),
                "met": f.met,
            }
            for f in dispatch.figures
        ],
    }
