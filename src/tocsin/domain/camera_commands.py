"""Commands about cameras and their viewing register. Each has exactly one handler."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from tocsin.domain.cameras import ViewRequest
from tocsin.domain.commands import Command


@dataclass(frozen=True, slots=True)
class AddCamera(Command):
    """``values`` are :class:`~tocsin.domain.cameras.Camera` fields (not its id, tenant or site);
    ``credential_ref`` names a password already put in the node's key folder, if any."""

    site_id: UUID
    values: dict[str, Any] = field(default_factory=dict)
    credential_ref: str | None = None


@dataclass(frozen=True, slots=True)
class ChangeCamera(Command):
    """Change the named fields; ``credential_ref`` replaces the password when given."""

    camera_id: UUID
    values: dict[str, Any] = field(default_factory=dict)
    credential_ref: str | None = None


@dataclass(frozen=True, slots=True)
class RemoveCamera(Command):
    camera_id: UUID


@dataclass(frozen=True, slots=True)
class RecordView(Command):
    """A user declares a viewing of a camera before it starts (the R252-11 register)."""

    camera_id: UUID
    request: ViewRequest
    user: str
