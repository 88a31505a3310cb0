"""Commands of telling partners and closing events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from tocsin.domain.commands import Command


@dataclass(frozen=True, slots=True)
class SetMatrix(Command):
    """Replace the tenant's notification matrix and templates (plain data, checked by the handler)."""

    tenant_id: UUID
    rules: tuple[Mapping[str, Any], ...]
    templates: tuple[Mapping[str, Any], ...]
    by: str


@dataclass(frozen=True, slots=True)
class RequestPartner(Command):
    """Send a partner a message about an event, from a template filled with the event's fields."""

    incident_id: UUID
    partner_id: UUID
    channel: str
    template_code: str
    by: str
    fields: Mapping[str, str] = field(default_factory=dict)  # the operator's values, before the event's


@dataclass(frozen=True, slots=True)
class AcknowledgePartner(Command):
    incident_id: UUID
    request_id: UUID
    by: str
    reference: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class AssignRadio(Command):
    incident_id: UUID
    channel: str
    by: str
    talkgroup: str = ""


@dataclass(frozen=True, slots=True)
class WriteReport(Command):
    incident_id: UUID
    outcomes: tuple[str, ...]
    text: str
    by: str


@dataclass(frozen=True, slots=True)
class CloseWithReport(Command):
    """Write the event's report and close it, in one transaction."""

    incident_id: UUID
    outcomes: tuple[str, ...]
    text: str
    by: str


@dataclass(frozen=True, slots=True)
class FileCorrection(Command):
    incident_id: UUID
    subject: str
    ref: str
    text: str
    by: str


@dataclass(frozen=True, slots=True)
class ResolveCorrection(Command):
    correction_id: UUID
    resolution: str
    by: str
