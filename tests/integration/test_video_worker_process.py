"""`tocsin video worker` as a real process: it records a camera of the store into its ring buffer, and
SIGTERM stops it with its recorder processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import migrated_sqlite
from tests.integration.helpers import make_room
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import camera_commands as cc
from tocsin.domain.scope import Scope
from tocsin.simulators.mjpeg import MjpegServer
from tocsin.workers.video import ring


def _children(pid: int) -> set[int]:
    """The process's children (Linux /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found |= {int(child) for child in children}
    return found


def test_the_video_worker_records_and_stops_with_its_recorders(tmp_path: Path) -> None:
    """Segments appear in the camera's ring; after SIGTERM the worker exits 0 and its recorder is gone."""
    url = migrated_sqlite(tmp_path / "tocsin.db")
    store = SqlStore(url, SystemClock())
    server = MjpegServer().start()
    try:
        room = make_room(store)
        command = cc.AddCamera(room.site_a, {"name": "Gate", "mjpeg_url": server.url("gate")})
        camera = room.bus.handle(command, scope=Scope.tenant(room.tenant_id), actor="test")
        env = {**os.environ, "TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}
        worker = subprocess.Popen(
            [sys.executable, "-m", "tocsin.cli", "video", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        folder = tmp_path / "var" / "video" / "ring" / str(camera.id)
        deadline = time.monotonic() + 60
        while len(ring.segments(folder)) < 2 and time.monotonic() < deadline:  # a bounded wait
            time.sleep(0.2)
        assert len(ring.segments(folder)) >= 2
        recorders = _children(worker.pid)
        assert recorders
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
        for pid in recorders:
            assert (
                not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
            )
    finally:
        server.stop()
        store.close()
