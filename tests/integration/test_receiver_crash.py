"""Killing the receiver hard in the middle of a flood loses nothing it acknowledged, and stores it once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import migrated_sqlite
from tests.integration.helpers import make_room
from tests.integration.receiver_support import add_accounts, frame, send_tcp
from tocsin.adapters.clock import SystemClock
from tocsin.bootstrap import bootstrap, create_signing_key
from tocsin.config import Settings
from tocsin.domain.scope import Scope
from tocsin.protocols import dc09
from tocsin.services.logbook import verify_all
from tocsin.testing import FakeHasher

SENDERS = 4


class NoCheckpointKeys:
    """Nothing is signed in this test: the chain of hashes alone is verified."""

    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "tocsin.cli", "receiver", "--host", "127.0.0.1", "--dc09-port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            time.sleep(0.1)
        else:
            return process
    process.kill()
    raise AssertionError(f"receiver did not start: {log.read_text()[-2000:]}")


def _flood(port: int, sender: int, acked: list[str], stop: threading.Event) -> None:
    """Send frames one after another; note each one the receiver acknowledged."""
    n = 0
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            while not stop.is_set():
                n += 1
                marker = f"{sender}{n:05d}"
                raw = dc09.encode(
                    "SIA-DCS",
                    f"{n % 9999 + 1:04d}",
                    "1234",
                    f"Nri1/BA{marker}",
                    receiver="1",
                    line="1",
                    timestamp=datetime.now(UTC).replace(microsecond=0),
                )
                sock.sendall(raw)
                answer = b""
                while not answer.endswith(b"\r"):
                    chunk = sock.recv(4096)
                    if not chunk:
                        return
                    answer += chunk
                if b'"ACK"' in answer:
                    acked.append(marker)
    except OSError:
        return


def test_sigkill_mid_flood_loses_no_acknowledged_signal(tmp_path: Path) -> None:
    """Every frame a sender saw acknowledged is in the store after a SIGKILL and a restart, once."""
    url = migrated_sqlite(tmp_path / "tocsin.db")
    node = bootstrap(Settings(database_url=url, var_dir=tmp_path), hasher=FakeHasher(), clock=SystemClock())
    add_accounts(node, make_room(node.store))
    node.close()
    env = {**os.environ, "TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(tmp_path)}
    port, log = _free_port(), tmp_path / "receiver.log"

    process = _start(env, port, log)
    acked: list[str] = []
    stop = threading.Event()
    senders = [threading.Thread(target=_flood, args=(port, s, acked, stop)) for s in range(1, SENDERS + 1)]
    for t in senders:
        t.start()
    time.sleep(1.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    stop.set()
    for t in senders:
        t.join(10)
    assert len(acked) > 50, "the flood was too small to prove anything"

    process = _start(env, port, log)  # replays whatever was journaled; its worker processes the rest
    node = bootstrap(Settings(database_url=url, var_dir=tmp_path), hasher=FakeHasher(), clock=SystemClock())
    try:
        deadline = time.monotonic() + 60
        while node.store.read(lambda uow: uow.signals.pending(1), Scope.system()):
            assert time.monotonic() < deadline, f"signals left unprocessed: {log.read_text()[-2000:]}"
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        stored = node.store.read(
            lambda uow: uow.signals.find(Scope.system(), limit=1_000_000), Scope.system()
        )
        entries = node.store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
        reports = node.store.read(lambda uow: verify_all(uow.logbook, NoCheckpointKeys()), Scope.system())
    finally:
        node.close()
    markers = Counter((s.data or "").rsplit("BA", 1)[-1] for s in stored)
    missing = [m for m in acked if markers[m] == 0]
    doubled = [m for m, count in markers.items() if count > 1]
    assert missing == []
    assert doubled == []
    # Each stored signal, the ones stored just before the kill included, has its entry, once.
    per_signal = Counter(e.data["signal_id"] for e in entries if e.kind == "signal.received")
    assert sorted(per_signal) == sorted(str(s.id) for s in stored)
    assert set(per_signal.values()) == {1}
    assert [r.breach for r in reports] == [None] * len(reports)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _wait(predicate, what: str, timeout: float = 30.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        assert time.monotonic() < deadline, what
        time.sleep(0.1)
    return result


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker child through /proc")
def test_the_receivers_worker_is_restarted_when_it_dies_and_stops_with_it(tmp_path: Path) -> None:
    """`tocsin receiver` starts a worker child; killed, it is replaced, and the signals still get their
    entries; when the receiver stops, no worker is left behind."""
    url = migrated_sqlite(tmp_path / "tocsin.db")
    node = bootstrap(Settings(database_url=url, var_dir=tmp_path), hasher=FakeHasher(), clock=SystemClock())
    add_accounts(node, make_room(node.store))
    env = {**os.environ, "TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(tmp_path)}
    port, log = _free_port(), tmp_path / "receiver.log"
    process = _start(env, port, log)
    try:
        (first,) = _wait(lambda: _children(process.pid), "the receiver started no worker")
        os.kill(first, signal.SIGKILL)
        (second,) = _wait(
            lambda: [c for c in _children(process.pid) if c != first], "the worker was not restarted"
        )
        assert second != first
        acked = send_tcp(port, [frame("1234", n, f"1130 01 {n:03d}") for n in range(1, 6)])
        assert all(b'"ACK"' in a for a in acked)
        system = Scope.system()

        def received() -> int:  # the entries themselves: "nothing pending" can be read mid-commit
            entries = node.store.read(lambda uow: list(uow.logbook.read(system)), system)
            return sum(e.kind == "signal.received" for e in entries)

        _wait(lambda: received() >= 5, "signals left unprocessed")
        assert received() == 5
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        node.close()
    time.sleep(0.5)
    alive = [pid for pid in (first, second) if Path(f"/proc/{pid}").exists()]
    assert alive == [], f"worker processes outlived the receiver: {log.read_text()[-2000:]}"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker child through /proc")
def test_serve_can_leave_the_entries_to_a_worker_process(tmp_path: Path) -> None:
    """`tocsin serve --processing worker`: the receiver inside serve acknowledges, a worker child writes
    the entry, and stopping serve stops the worker."""
    url = migrated_sqlite(tmp_path / "tocsin.db")
    settings = Settings(database_url=url, var_dir=tmp_path)
    create_signing_key(settings)
    node = bootstrap(settings, hasher=FakeHasher(), clock=SystemClock())
    add_accounts(node, make_room(node.store))
    env = {**os.environ, "TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(tmp_path)}
    web, dc09_port = _free_port(), _free_port()
    log = tmp_path / "serve.log"
    serve = ["serve", "--port", str(web), "--dc09-host", "127.0.0.1", "--dc09-port", str(dc09_port)]
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tocsin.cli", *serve, "--processing", "worker"],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        (worker,) = _wait(lambda: _children(process.pid), f"no worker child: {log.read_text()[-2000:]}")
        answers = _wait(lambda: _try_send(dc09_port), "the receiver inside serve did not answer")
        assert b'"ACK"' in answers[0]
        system = Scope.system()
        entries = _wait(
            lambda: [
                e
                for e in node.store.read(lambda uow: list(uow.logbook.read(system)), system)
                if e.kind == "signal.received"
            ],
            "no entry was written",
        )
        assert len(entries) == 1
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        node.close()
    time.sleep(0.5)
    assert not Path(f"/proc/{worker}").exists(), "the worker outlived serve"


def _try_send(port: int) -> list[bytes] | None:
    try:
        return send_tcp(port, [frame("1234", 1, "1130 01 001")])
    except OSError:
        return None
