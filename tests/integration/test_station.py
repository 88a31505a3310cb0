"""The station monitor against real sockets and real databases: a local NTP responder with a chosen
offset, an upsd speaking NUT, servers that do not answer; the alarms land in the store and the logbook
on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.integration.helpers import make_room
from tests.integration.station_support import ntp_responder, upsd
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.station import NtpClient, NutClient, disk_usage
from tocsin.adapters.store.database import SqlStore
from tocsin.bootstrap import bootstrap, station_monitor
from tocsin.config import Settings
from tocsin.domain import alarms as a
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.protocols import nut
from tocsin.services.station import StationMonitor, StationSettings
from tocsin.testing import FakeHasher


def test_the_ntp_client_measures_a_local_responders_offset() -> None:
    """A responder 3.25 s ahead: the client measures +3.25 s (within the loopback's round trip)."""
    clock = SystemClock()
    with ntp_responder(clock, offset=3.25) as responder:
        measure = NtpClient(clock).measure(responder.server)
    assert measure.offset == pytest.approx(3.25, abs=0.05)
    assert measure.stratum == 1


def test_a_silent_ntp_server_times_out() -> None:
    """A server that reads and never answers: a timeout within the limit, an OSError to the caller."""
    clock = SystemClock()
    with ntp_responder(clock) as responder:
        responder.answering = False
        with pytest.raises(TimeoutError):
            NtpClient(clock, timeout=0.2).measure(responder.server)


def test_the_nut_client_reads_ups_status_and_upsd_errors() -> None:
    """OB LB from upsd is read as its flags; a UPS upsd does not know is its ERR; no upsd is refused."""
    with upsd(status="OB LB") as server:
        assert NutClient(nut.parse_target(server.target)).flags() == frozenset({"OB", "LB"})
        with pytest.raises(nut.NutError, match="UNKNOWN-UPS"):
            NutClient(nut.parse_target(f"other@127.0.0.1:{server.server_address[1]}")).flags()
        port = server.server_address[1]
    with pytest.raises(ConnectionRefusedError):
        NutClient(nut.UpsTarget("ups", "127.0.0.1", port), timeout=0.5).flags()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    built = SqlStore(db_url, SystemClock())
    yield built
    built.close()


def _open(store: SqlStore, tenant_id: object) -> list[tuple[str, bool]]:
    found = store.read(lambda uow: uow.alarms.find(states=a.OPEN_STATES), Scope.tenant(tenant_id))  # type: ignore[arg-type]
    return sorted((x.alarm_class, x.back_to_normal) for x in found)


def test_offset_and_power_alarms_on_each_database(store: SqlStore, tmp_path: object) -> None:
    """A clock 2 s off and a UPS on battery raise clock_offset and ups_on_battery with their logbook
    entries; the clock back in line and the mains back restore them; the logbook names them in French."""
    room = make_room(store)
    clock = SystemClock()
    with ntp_responder(clock, offset=2.0) as responder, upsd(status="OB") as server:
        settings = StationSettings(
            node="node-1", data_path=str(tmp_path), ntp_servers=(responder.server,), silent_after=0
        )
        monitor = StationMonitor(
            store,
            clock,
            settings,
            time_source=NtpClient(clock, timeout=1.0),
            power=NutClient(nut.parse_target(server.target)),
            disk=disk_usage,
        )
        monitor.check()
        assert _open(store, room.tenant_id) == [("clock_offset", False), ("ups_on_battery", False)]
        responder.offset, server.status = 0.0, "OL CHRG"
        readings = monitor.check()
    assert readings.clock["state"] == "ok"
    assert readings.ups["state"] == "on_line"
    assert _open(store, room.tenant_id) == [("clock_offset", True), ("ups_on_battery", True)]
    entries = store.read(lambda uow: list(uow.logbook.read(Scope.tenant(room.tenant_id))), Scope.system())
    opened = [e for e in entries if e.kind == "alarm.opened"]
    assert sorted(str(e.data["alarm_class"]) for e in opened) == ["clock_offset", "ups_on_battery"]


def test_servers_that_do_not_answer_are_alarms(store: SqlStore, tmp_path: object) -> None:
    """No NTP server and no upsd on their ports: clock_unsynchronised and ups_unreachable, no crash."""
    room = make_room(store)
    clock = SystemClock()
    settings = StationSettings(
        node="node-1", data_path=str(tmp_path), ntp_servers=(f"127.0.0.1:{_free_port()}",), silent_after=0
    )
    monitor = StationMonitor(
        store,
        clock,
        settings,
        time_source=NtpClient(clock, timeout=0.2),
        power=NutClient(nut.UpsTarget("ups", "127.0.0.1", _free_port()), timeout=0.5),
        disk=disk_usage,
    )
    readings = monitor.check()
    assert readings.clock["state"] == "unsynchronised"
    assert readings.ups["state"] == "unreachable"
    assert _open(store, room.tenant_id) == [("clock_unsynchronised", False), ("ups_unreachable", False)]


def test_bootstrap_wires_the_monitor_from_the_settings(tmp_path: object) -> None:
    """TOCSIN_NTP_SERVERS and TOCSIN_NUT_UPS become the monitor's instruments; none reach the network
    by default; a malformed UPS name is refused with the expected form."""
    url = f"sqlite:///{tmp_path}/t.db"
    from tocsin.adapters.store import migrate  # noqa: PLC0415 - only this test needs a fresh database

    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=tmp_path), hasher=FakeHasher())  # type: ignore[arg-type]
    try:
        quiet = station_monitor(node)
        assert quiet.settings.ntp_servers == ()
        assert quiet.check().clock["state"] == "off"
        node.settings.ntp_servers, node.settings.nut_ups = "a.room, b.room:1234", "ups@nas"
        watched = station_monitor(node)
        assert watched.settings.ntp_servers == ("a.room", "b.room:1234")
        node.settings.nut_ups = "nas"
        with pytest.raises(InvalidInput, match="TOCSIN_NUT_UPS"):
            station_monitor(node)
    finally:
        node.close()
