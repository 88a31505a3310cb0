"""The station watching itself: the node's clock against the room's NTP servers, the UPS through NUT,
and the data folder's free space. Each check turns a condition into a technical alarm of its own class,
on every tenant this node serves (the room's power and clock are every tenant's), and its end into a
restore, so the alarm goes back to normal and closes once settled, like a panel's.

A server that does not answer is a condition too (``clock_unsynchronised``, ``ups_unreachable``) once it
stayed silent ``silent_after`` seconds: never an exception out of the loop. Alarms are raised and restored
only when a condition changes (and once at start, to restore what ended while the node was down), so a
long outage is one alarm, not one a check.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import structlog

from tocsin.domain import alarms as a
from tocsin.domain.scope import Scope
from tocsin.protocols.ntp import Measure, NtpError
from tocsin.protocols.nut import NutError
from tocsin.services.alarm_rules import raise_technical, restore_technical
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store, UnitOfWork

log = structlog.get_logger()
ZONE = "000"  # the "no zone" of a panel: a station condition has none, and its restore pairs with it
MIB = 1024 * 1024


class TimeSource(Protocol):
    """Measures the node's clock against one NTP server."""

    def measure(self, server: str) -> Measure: ...


class PowerSource(Protocol):
    """Reads a UPS's status flags (``OL``, ``OB``, ``LB``…)."""

    @property
    def name(self) -> str: ...

    def flags(self) -> frozenset[str]: ...


DiskUsage = Callable[[str], tuple[int, int]]  # path -> (free, total) bytes


@dataclass(frozen=True, slots=True)
class StationSettings:
    """What the monitor watches, and its thresholds."""

    node: str
    data_path: str
    ntp_servers: tuple[str, ...] = ()
    clock_max_offset: float = 1.0
    silent_after: float = 120.0
    storage_min_free_mb: int = 1024
    check_every: float = 30.0


@dataclass(frozen=True, slots=True)
class Condition:
    """A station condition that holds now: its alarm class, what it concerns, and its words."""

    alarm_class: str
    account: str
    text_en: str
    text_fr: str


@dataclass
class Readings:
    """The last readings, for the station page and the metrics (this process's own view)."""

    checked_at: datetime | None = None
    clock: dict[str, Any] = field(default_factory=dict)
    ups: dict[str, Any] = field(default_factory=dict)
    storage: dict[str, Any] = field(default_factory=dict)
    conditions: list[str] = field(default_factory=list)


class StationMonitor:
    """Checks the clock, the power and the disk every ``check_every`` seconds, and keeps the alarms."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        settings: StationSettings,
        *,
        time_source: TimeSource | None = None,
        power: PowerSource | None = None,
        disk: DiskUsage,
    ) -> None:
        self._store = store
        self._clock = clock
        self.settings = settings
        self._time = time_source
        self._power = power
        self._disk = disk
        self._started = clock.monotonic()
        self._ntp_heard: float | None = None
        self._ups_heard: float | None = None
        self._offset_over = False
        self._active: dict[tuple[str, str], Condition] | None = None  # None: not checked yet
        self.readings = Readings()

    # ---------------------------------------------------------------- the checks

    def check(self) -> Readings:
        """Read every instrument, raise what began and restore what ended (blocking: run it in a thread)."""
        now = self._clock.now()
        found = [*self._check_clock(), *self._check_power(), *self._check_storage()]
        current = {(c.alarm_class, c.account): c for c in found}
        self._apply(current, now)
        self.readings.checked_at = now
        self.readings.conditions = sorted(cls for cls, _account in current)
        return self.readings

    def _silent(self, heard: float | None) -> bool:
        since = self._started if heard is None else heard
        return self._clock.monotonic() - since >= self.settings.silent_after

    def _check_clock(self) -> list[Condition]:
        servers = self.settings.ntp_servers
        if not servers or self._time is None:
            self.readings.clock = {"state": "off", "servers": []}
            return []
        measures: list[Measure] = []
        errors: dict[str, str] = {}
        for server in servers:
            try:
                measures.append(self._time.measure(server))
            except (OSError, NtpError, ValueError) as exc:
                errors[server] = str(exc) or type(exc).__name__
        node = self.settings.node
        reading: dict[str, Any] = {"servers": list(servers), "errors": errors}
        if measures:
            self._ntp_heard = self._clock.monotonic()
            offset = statistics.median(m.offset for m in measures)
            delay = min(m.delay for m in measures)
            self._offset_over = abs(offset) > self.settings.clock_max_offset
            reading |= {"offset": offset, "delay": delay, "answered": len(measures)}
            reading["measured_at"] = self._clock.now().isoformat()
            reading["state"] = "offset" if self._offset_over else "ok"
        else:
            reading |= {"offset": self.readings.clock.get("offset"), "answered": 0}
            reading["measured_at"] = self.readings.clock.get("measured_at")
            reading["state"] = "unsynchronised" if self._silent(self._ntp_heard) else "unanswered"
        self.readings.clock = reading
        found = []
        if self._offset_over:
            off = reading["offset"]
            limit = self.settings.clock_max_offset
            found.append(
                Condition(
                    "clock_offset",
                    node,
                    f"Clock of {node} off by {off:+.3f} s (limit {limit:g} s)",
                    f"Horloge de {node} décalée de {off:+.3f}\u00a0s (limite {limit:g}\u00a0s)",
                )
            )
        if reading["state"] == "unsynchronised":
            found.append(
                Condition(
                    "clock_unsynchronised",
                    node,
                    f"Clock of {node}: no NTP server answers ({', '.join(servers)})",
                    f"Horloge de {node}\u00a0: aucun serveur NTP ne répond ({', '.join(servers)})",
                )
            )
        return found

    def _check_power(self) -> list[Condition]:
        if self._power is None:
            self.readings.ups = {"state": "off"}
            return []
        ups = self._power.name
        try:
            flags = self._power.flags()
        except (OSError, NutError, ValueError) as exc:
            silent = self._silent(self._ups_heard)
            self.readings.ups = {
                "ups": ups,
                "state": "unreachable" if silent else "unanswered",
                "flags": self.readings.ups.get("flags", []),
                "error": str(exc) or type(exc).__name__,
            }
            # unknown is not restored: what the UPS last said holds until it answers again
            kept = [
                c for k, c in (self._active or {}).items() if k[0] in ("ups_on_battery", "ups_low_battery")
            ]
            if not silent:
                return kept
            return [
                *kept,
                Condition(
                    "ups_unreachable",
                    ups,
                    f"UPS {ups}: upsd does not answer",
                    f"Onduleur {ups}\u00a0: upsd ne répond pas",
                ),
            ]
        self._ups_heard = self._clock.monotonic()
        state = "low_battery" if "LB" in flags else "on_battery" if "OB" in flags else "on_line"
        self.readings.ups = {
            "ups": ups,
            "state": state,
            "flags": sorted(flags),
            "status": " ".join(sorted(flags)),
        }
        found = []
        if "OB" in flags:
            found.append(
                Condition("ups_on_battery", ups, f"UPS {ups} on battery", f"Onduleur {ups} sur batterie")
            )
        if "LB" in flags:
            found.append(
                Condition(
                    "ups_low_battery",
                    ups,
                    f"UPS {ups}: battery low",
                    f"Onduleur {ups}\u00a0: batterie faible",
                )
            )
        return found

    def _check_storage(self) -> list[Condition]:
        path = self.settings.data_path
        try:
            free, total = self._disk(path)
        except OSError as exc:
            self.readings.storage = {"path": path, "state": "unknown", "error": str(exc)}
            return []
        minimum = self.settings.storage_min_free_mb * MIB
        low = free < minimum
        self.readings.storage = {
            "path": path,
            "free_bytes": free,
            "total_bytes": total,
            "min_free_bytes": minimum,
            "state": "low" if low else "ok",
        }
        if not low:
            return []
        node = self.settings.node
        free_mb, min_mb = free // MIB, self.settings.storage_min_free_mb
        return [
            Condition(
                "storage_low",
                node,
                f"Data folder of {node}: {free_mb} MiB free (minimum {min_mb} MiB)",
                f"Dossier de données de {node}\u00a0: {free_mb}\u00a0Mio libres (minimum {min_mb}\u00a0Mio)",
            )
        ]

    # ---------------------------------------------------------------- the alarms

    def _possible(self) -> list[tuple[str, str]]:
        """Every condition this monitor could raise (restored once at start, whatever happened before)."""
        node = self.settings.node
        keys = [("storage_low", node)]
        if self.settings.ntp_servers and self._time is not None:
            keys += [("clock_offset", node), ("clock_unsynchronised", node)]
        if self._power is not None:
            keys += [(c, self._power.name) for c in ("ups_on_battery", "ups_low_battery", "ups_unreachable")]
        return keys

    def _apply(self, current: dict[tuple[str, str], Condition], now: datetime) -> None:
        before = self._active
        began = [c for k, c in current.items() if before is None or k not in before]
        ended = [k for k in (self._possible() if before is None else before) if k not in current]
        if not began and not ended:
            self._active = current
            return

        def write(uow: UnitOfWork) -> None:
            for tenant in uow.tenants.find():
                for condition in began:
                    happening = a.Happening(
                        now,
                        condition.alarm_class,
                        condition.account,
                        ZONE,
                        condition.text_en[:200],
                        condition.text_fr[:200],
                    )
                    raise_technical(uow, tenant.id, None, happening)
                for alarm_class, account in ended:
                    restore_technical(uow, tenant.id, alarm_class, account, ZONE, now)

        try:
            self._store.write(write, Scope.system())
        except Exception:  # the store is down: try again at the next check, the loop goes on
            log.exception("station.alarms_not_written", began=len(began), ended=len(ended))
            return
        self._active = current

    async def run(self, stop: asyncio.Event) -> None:
        """Check now, then every ``check_every`` seconds until ``stop``."""
        while not stop.is_set():
            try:
                await asyncio.to_thread(self.check)
            except Exception:  # an instrument's bug must not stop the node
                log.exception("station.check_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.check_every)
