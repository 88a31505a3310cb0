"""Debian's NUT server for the tests: the ``dummy-ups`` driver reading a status file the test writes,
and ``upsd`` serving it on a free port of 127.0.0.1, both from a folder of their own (no system
configuration touched). Skipped on a laptop without ``nut-server``; required in CI (``.ci/run`` installs
it)."""

from __future__ import annotations

import getpass
import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

NUT = Path("/lib/nut")


@dataclass
class NutServer:
    """A running upsd with one dummy UPS, ``dummy``."""

    folder: Path
    port: int

    @property
    def target(self) -> str:
        return f"dummy@127.0.0.1:{self.port}"

    def set_status(self, status: str) -> None:
        """Write the driver's status file; dummy-ups reads it again when it changes (within ~2 s)."""
        path = self.folder / "dummy.dev"
        path.write_text(f"ups.status: {status}\n")
        later = time.time() + 1  # a fresh modification time, even within the same second
        os.utime(path, (later, later))

    def status(self) -> str:
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as link:
            link.sendall(b"GET VAR dummy ups.status\n")
            return link.recv(200).decode().split('"')[1]

    def wait_for(self, status: str, timeout: float = 15.0) -> None:
        """Until upsd says ``status`` (the driver polls its file every couple of seconds)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.status() == status:
                    return
            except (OSError, IndexError):
                pass
            time.sleep(0.2)
        pytest.fail(f"upsd never said {status!r}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def nut_server(folder: Path, status: str = "OL") -> Iterator[NutServer]:
    """Start dummy-ups and upsd in ``folder``; stop both at the end."""
    if not (NUT / "upsd").exists() or not (NUT / "dummy-ups").exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's NUT server is required in CI: apt-get install -y nut-server")
        pytest.skip("the NUT tests need Debian's nut-server (apt-get install -y nut-server)")
    port = _free_port()
    folder.chmod(0o755)
    files = {
        "nut.conf": "MODE=standalone\n",
        "ups.conf": '[dummy]\n  driver = dummy-ups\n  port = dummy.dev\n  desc = "Tocsin test UPS"\n',
        "upsd.conf": f"LISTEN 127.0.0.1 {port}\n",
        "upsd.users": "",
    }
    for name, text in files.items():
        (folder / name).write_text(text)
    server = NutServer(folder, port)
    server.set_status(status)
    env = {**os.environ, "NUT_CONFPATH": str(folder), "NUT_STATEPATH": str(folder)}
    user = getpass.getuser()
    log = (folder / "nut.log").open("a")
    started = []
    try:
        for command in (
            [NUT / "dummy-ups", "-a", "dummy", "-F", "-u", user],
            [NUT / "upsd", "-F", "-u", user],
        ):
            started.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
            if command[0].name == "dummy-ups":
                _wait((folder / "dummy-ups-dummy").exists, folder)
        server.wait_for(status)
        yield server
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=10)
        log.close()


def _wait(ready: Callable[[], bool], folder: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    pytest.fail(f"the NUT driver did not start: {(folder / 'nut.log').read_text()[-1000:]}")
