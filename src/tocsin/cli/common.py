"""What several commands share: secrets from standard input, tenant look-up, times given as options."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from uuid import UUID

import click

from tocsin.bootstrap import Node
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope


def read_secret(prompt: str) -> str:
    """A secret from standard input (first line), or typed twice at a terminal: never an argument."""
    if sys.stdin.isatty():
        value: str = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
        return value
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InvalidInput(f"{prompt}: nothing on standard input; pipe it in, e.g. `… < password.txt`.")
    return line


def resolve_tenant(node: Node, ref: str | None) -> UUID:
    """The tenant by reference, or the only one when there is just one."""
    tenants = node.store.read(lambda uow: uow.tenants.find(), Scope.system())
    if ref is not None:
        found = [t for t in tenants if t.ref == ref]
        if not found:
            raise InvalidInput(f"No tenant with reference {ref!r}: check --tenant.")
        return found[0].id
    if len(tenants) != 1:
        names = ", ".join(t.ref for t in tenants) or "none yet"
        raise InvalidInput(f"Say which tenant with --tenant (tenants: {names}).")
    return tenants[0].id


def parse_instant(value: str | None, option: str) -> datetime | None:
    """An ISO 8601 option value as aware UTC (a time without offset is UTC); None stays None."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{option} {value!r} is not a date or time: use ISO 8601, e.g. 2026-11-24 or"
            " 2026-11-24T08:00:00+01:00 (a time without offset is UTC)."
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
