"""Tenants (the organisations that run a room) and their clients (the customers they serve)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID

from tocsin.domain.errors import InvalidInput

_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_ref(ref: str, what: str) -> str:
    """A reference is the short code people type: letters, digits, dot, dash, underscore."""
    if not _REF.match(ref):
        raise InvalidInput(
            f"The {what} reference {ref!r} is not valid: use 1 to 64 letters, digits, '.', '-' or '_',"
            " starting with a letter or digit."
        )
    return ref


def check_name(name: str, what: str) -> str:
    """A display name is any non-blank text of reasonable length."""
    if not name.strip() or len(name) > 200:
        raise InvalidInput(f"The {what} name must be 1 to 200 characters, not blank.")
    return name.strip()


@dataclass(slots=True)
class Tenant:
    """The organisation that runs an operations room: an ARC company, a city's CSU, a fire service."""

    id: UUID
    ref: str
    name: str

    def __post_init__(self) -> None:
        check_ref(self.ref, "tenant")
        self.name = check_name(self.name, "tenant")


@dataclass(slots=True)
class Client:
    """A customer of the tenant: the owner of one or more sites."""

    id: UUID
    tenant_id: UUID
    ref: str
    name: str

    def __post_init__(self) -> None:
        check_ref(self.ref, "client")
        self.name = check_name(self.name, "client")
