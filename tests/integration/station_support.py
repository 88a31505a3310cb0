"""Local stand-ins for the room's servers: an NTP responder on UDP answering with a chosen offset, and
an ``upsd`` speaking NUT's network protocol (``GET VAR``, ``LIST UPS``, ``LOGOUT``, ``ERR``) over TCP,
each on its own thread and an ephemeral port of 127.0.0.1."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tocsin.protocols import ntp
from tocsin.services.ports import Clock


class NtpResponder:
    """Answers each NTP request as a server whose clock is ``offset`` seconds ahead of ``clock``."""

    def __init__(self, clock: Clock, offset: float = 0.0) -> None:
        self.clock = clock
        self.offset = offset
        self.answering = True
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while True:
            try:
                data, peer = self.sock.recvfrom(512)
            except OSError:
                return
            if not self.answering:
                continue
            now = self.clock.now().timestamp() + self.offset
            try:
                self.sock.sendto(ntp.reply(data, now, now), peer)
            except (OSError, ntp.NtpError):
                continue


@contextmanager
def ntp_responder(clock: Clock, offset: float = 0.0) -> Iterator[NtpResponder]:
    responder = NtpResponder(clock, offset)
    responder._thread.start()
    try:
        yield responder
    finally:
        responder.sock.close()


class Upsd(socketserver.ThreadingTCPServer):
    """An upsd with one UPS whose ``ups.status`` the test sets."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, ups: str = "ups", status: str = "OL") -> None:
        super().__init__(("127.0.0.1", 0), _UpsdHandler)
        self.ups = ups
        self.status = status

    @property
    def target(self) -> str:
        return f"{self.ups}@127.0.0.1:{self.server_address[1]}"


class _UpsdHandler(socketserver.StreamRequestHandler):
    server: Upsd

    def handle(self) -> None:
        for raw in self.rfile:
            words = raw.decode("ascii", "replace").split()
            answer = self._answer(words)
            if answer is None:
                return
            self.wfile.write(answer.encode("ascii"))

    def _answer(self, words: list[str]) -> str | None:
        ups = self.server.ups
        if words == ["LOGOUT"]:
            self.wfile.write(b"OK Goodbye\n")
            return None
        if words == ["LIST", "UPS"]:
            return f'BEGIN LIST UPS\nUPS {ups} "Test UPS"\nEND LIST UPS\n'
        if len(words) == 4 and words[:2] == ["GET", "VAR"]:
            if words[2] != ups:
                return "ERR UNKNOWN-UPS\n"
            if words[3] != "ups.status":
                return "ERR VAR-NOT-SUPPORTED\n"
            return f'VAR {ups} ups.status "{self.server.status}"\n'
        return "ERR UNKNOWN-COMMAND\n"


@contextmanager
def upsd(ups: str = "ups", status: str = "OL") -> Iterator[Upsd]:
    server = Upsd(ups, status)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
