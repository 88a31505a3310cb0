"""The station's own instruments, over the network and the disk: an NTP client (UDP), a NUT client
(``upsd`` over TCP) and the data folder's free space. Each call is short, bounded by a timeout, and
raises :class:`OSError` (a timeout included) or the protocol's error; the monitor turns those into
alarms, never into a crash.
"""

from __future__ import annotations

import shutil
import socket

from tocsin.protocols import ntp, nut
from tocsin.services.ports import Clock

NTP_PORT = 123
MAX_LINE = 4096


def split_host(server: str, default_port: int) -> tuple[str, int]:
    """``host``, ``host:port`` or ``[v6]:port`` as a host and a port."""
    if server.startswith("["):
        host, _, rest = server[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else default_port
    if server.count(":") == 1:
        host, _, port = server.partition(":")
        return host, int(port)
    return server, default_port


class NtpClient:
    """Asks one NTP server at a time, once, within ``timeout`` seconds; times from the injected clock."""

    def __init__(self, clock: Clock, timeout: float = 2.0) -> None:
        self._clock = clock
        self._timeout = timeout

    def measure(self, server: str) -> ntp.Measure:
        host, port = split_host(server, NTP_PORT)
        family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
        with socket.socket(family, kind, proto) as sock:
            sock.settimeout(self._timeout)
            sock.connect(address)  # a connected socket takes replies from that server only
            t1 = self._clock.now().timestamp()
            sock.send(ntp.request(t1))
            data = sock.recv(512)
            t4 = self._clock.now().timestamp()
        return ntp.measure(data, t1, t4)


class NutClient:
    """Reads one UPS's ``ups.status`` from ``upsd``: one connection per reading, closed at once."""

    def __init__(self, target: nut.UpsTarget, timeout: float = 3.0) -> None:
        self._target = target
        self._timeout = timeout

    @property
    def name(self) -> str:
        return str(self._target)

    def flags(self) -> frozenset[str]:
        target = self._target
        with socket.create_connection((target.host, target.port), timeout=self._timeout) as sock:
            sock.sendall(nut.get_var(target.ups, "ups.status"))
            line = _read_line(sock)
            sock.sendall(b"LOGOUT\n")
        return nut.status_flags(nut.read_var(line, target.ups, "ups.status"))


def _read_line(sock: socket.socket) -> str:
    data = b""
    while b"\n" not in data:
        chunk = sock.recv(1024)
        if not chunk:
            raise nut.NutError("upsd closed the connection before it answered.")
        data += chunk
        if len(data) > MAX_LINE:
            raise nut.NutError("upsd's answer is longer than any NUT line.")
    return data.split(b"\n", 1)[0].decode("utf-8", "replace")


def disk_usage(path: str) -> tuple[int, int]:
    """Free and total bytes of the file system holding ``path``."""
    usage = shutil.disk_usage(path)
    return usage.free, usage.total
