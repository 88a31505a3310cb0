"""The station monitor against Debian's NUT server (upsd with its dummy-ups driver): a UPS on battery,
then low, raises its alarms; back on line restores them; upsd stopped is an alarm, not a crash."""

from __future__ import annotations

from pathlib import Path

from tests.integration.helpers import make_room
from tests.integration.nut_server import nut_server
from tocsin.adapters.station import NutClient
from tocsin.domain import alarms as a
from tocsin.domain.scope import Scope
from tocsin.protocols import nut
from tocsin.services.station import StationMonitor, StationSettings
from tocsin.testing import FakeClock, InMemoryStore


def test_a_ups_on_battery_through_debians_nut_server(tmp_path: Path) -> None:
    """OB then OB LB from dummy-ups raise ups_on_battery and ups_low_battery; OL restores both; upsd
    gone raises ups_unreachable once the silence lasted."""
    clock = FakeClock()
    store = InMemoryStore(clock)
    room = make_room(store)
    (tmp_path / "nut").mkdir()
    with nut_server(tmp_path / "nut", "OL") as upsd:
        power = NutClient(nut.parse_target(upsd.target), timeout=2.0)
        settings = StationSettings(node="node-1", data_path=str(tmp_path), silent_after=60)
        monitor = StationMonitor(store, clock, settings, power=power, disk=lambda _p: (10**12, 10**12))

        def classes() -> list[tuple[str, bool]]:
            found = store.read(
                lambda uow: uow.alarms.find(states=a.OPEN_STATES), Scope.tenant(room.tenant_id)
            )
            return sorted((x.alarm_class, x.back_to_normal) for x in found)

        assert monitor.check().ups["state"] == "on_line"
        upsd.set_status("OB DISCHRG")
        upsd.wait_for("OB DISCHRG")
        monitor.check()
        assert classes() == [("ups_on_battery", False)]
        upsd.set_status("OB LB")
        upsd.wait_for("OB LB")
        assert monitor.check().ups["state"] == "low_battery"
        assert classes() == [("ups_low_battery", False), ("ups_on_battery", False)]
        upsd.set_status("OL CHRG")
        upsd.wait_for("OL CHRG")
        monitor.check()
        assert classes() == [("ups_low_battery", True), ("ups_on_battery", True)]
    clock.advance(61)
    assert monitor.check().ups["state"] == "unreachable"
    assert ("ups_unreachable", False) in classes()
