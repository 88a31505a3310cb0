"""The receiver under siege: 5,000 idle TCP connections and a slow-drip sender beside a normal load."""

from __future__ import annotations

import gc
import os
import resource
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import migrated_sqlite
from tests.integration.receiver_support import frame, running_receiver, send_tcp
from tocsin.receivers.dc09 import Limits

IDLE = 5_000
LOAD_CONNECTIONS = 10
SIGNALS_EACH = 50
MEMORY_BOUND = 200 * 1024 * 1024  # bytes the receiver may grow by: generous, a leak of frames is far more


@pytest.fixture
def descriptors() -> Iterator[None]:
    """Enough file descriptors for both ends of every connection, in this one process."""
    needed = 2 * IDLE + 1_000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"this test needs {needed} open files and the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    yield
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def rss() -> int:
    """This process's resident memory, in bytes (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def wait_for(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def drip(port: int, stop: threading.Event) -> None:
    """Send a real frame one byte a second, as a slow-drip attacker would."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        for byte in frame("1234", 9999, "1130 01 001"):
            if stop.wait(1.0):
                return
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                return


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the resident memory from /proc")
@pytest.mark.timeout(240)
def test_idle_connections_and_a_slow_drip_neither_starve_nor_bloat_the_receiver(
    tmp_path: Path, descriptors: None
) -> None:
    """With 5,000 idle connections and a slow-drip sender open, every signal of a normal load is ACKed
    and stored once, the receiver's memory grows by less than 200 MB, the slow-drip sender is closed at
    the frame deadline, and every idle connection is closed by the (short) idle timeout."""
    url = migrated_sqlite(tmp_path / "siege.db")
    limits = Limits(idle_timeout=10, frame_timeout=4)
    with running_receiver(url, tmp_path, limits=limits) as rx:
        gc.collect()
        before = rss()
        idle = [socket.create_connection(("127.0.0.1", rx.port), timeout=10) for _ in range(IDLE)]
        stop = threading.Event()
        dripping = threading.Thread(target=drip, args=(rx.port, stop), daemon=True)
        dripping.start()
        try:
            wait_for(lambda: rx.server.stats.open_connections >= IDLE + 1, 60)

            def load(k: int) -> list[bytes]:
                frames = [frame("1234", k * 100 + n, f"1130 01 {n + 1:03d}") for n in range(SIGNALS_EACH)]
                return send_tcp(rx.port, frames)

            with ThreadPoolExecutor(LOAD_CONNECTIONS) as pool:
                answers = [a for batch in pool.map(load, range(LOAD_CONNECTIONS)) for a in batch]
            grown = rss() - before
            assert len(answers) == LOAD_CONNECTIONS * SIGNALS_EACH
            assert all(b'"ACK"' in a for a in answers)
            assert len(rx.signals()) == LOAD_CONNECTIONS * SIGNALS_EACH
            assert grown < MEMORY_BOUND, f"the receiver grew by {grown / 2**20:.0f} MB"
            wait_for(lambda: rx.server.stats.closed.get("slow_frame", 0) == 1, 30)
            wait_for(lambda: rx.server.stats.closed.get("idle", 0) >= IDLE, 60)
            for sock in idle[:: IDLE // 20]:  # a sample of the clients sees the close
                assert sock.recv(16) == b""
        finally:
            stop.set()
            for sock in idle:
                sock.close()
            dripping.join(5)
