"""The Network UPS Tools network protocol (``upsd``, port 3493), sans I/O: the lines a client sends and
how to read the answers. One command per line; ``VAR <ups> <name> "<value>"`` answers ``GET VAR``,
``ERR <code>`` refuses. ``ups.status`` holds space-separated flags: ``OL`` on line, ``OB`` on battery,
``LB`` low battery, and others (``CHRG``, ``RB``, ``BYPASS``…) kept as they come.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_VAR = re.compile(r'^VAR (\S+) (\S+) "((?:[^"\\]|\\.)*)"$')
DEFAULT_PORT = 3493


class NutError(ValueError):
    """An answer that is not what the protocol promises, or an ``ERR`` from upsd."""


@dataclass(frozen=True, slots=True)
class UpsTarget:
    """Which UPS, on which upsd: ``ups@host:port`` (the form NUT's own tools take)."""

    ups: str
    host: str
    port: int = DEFAULT_PORT

    def __str__(self) -> str:
        return f"{self.ups}@{self.host}:{self.port}"


def parse_target(text: str) -> UpsTarget:
    """``ups@host[:port]`` as a target; :class:`NutError` with the expected form otherwise."""
    name, at, where = text.strip().partition("@")
    host, _, port = where.rpartition(":") if where.count(":") == 1 else (where, "", "")
    if not at or not _NAME.match(name) or not (host or where):
        raise NutError(f"A UPS is named ups@host or ups@host:port (NUT's form), not {text!r}.")
    if port and (not port.isdigit() or not 1 <= int(port) <= 65535):
        raise NutError(f"The port in {text!r} must be 1 to 65535.")
    return UpsTarget(name, host or where, int(port) if port else DEFAULT_PORT)


def get_var(ups: str, var: str) -> bytes:
    """The line asking upsd for one variable of one UPS."""
    if not _NAME.match(ups) or not _NAME.match(var):
        raise NutError(f"Not a NUT name: {ups!r} or {var!r}.")
    return f"GET VAR {ups} {var}\n".encode("ascii")


def read_var(line: str, ups: str, var: str) -> str:
    """The value in upsd's answer to :func:`get_var`; :class:`NutError` for ``ERR`` or anything else."""
    line = line.rstrip("\r\n")
    if line.startswith("ERR "):
        raise NutError(f"upsd refused GET VAR {ups} {var}: {line[4:]}.")
    found = _VAR.match(line)
    if found is None or found.group(1) != ups or found.group(2) != var:
        raise NutError(f"upsd answered {line[:80]!r} to GET VAR {ups} {var}.")
    return re.sub(r"\\(.)", r"\1", found.group(3))


def status_flags(value: str) -> frozenset[str]:
    """``ups.status`` as its set of flags (``"OB LB"`` → ``{"OB", "LB"}``)."""
    return frozenset(value.split())
