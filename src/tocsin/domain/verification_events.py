"""The events of the levée de doute: verifications, dispatches of guards and keyholders, and requests
to the police, fire service or ambulance. Like every alarm event, each carries the alarm as it stands
(its AVS-01 score included), so a console updates its queue from the logbook alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from tocsin.domain.events import AlarmEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmVerified(AlarmEvent):
    """A verification result was recorded: by video, audio, or a guard on site (``dispatch_id``)."""

    KIND: ClassVar[str] = "alarm.verified"
    MESSAGE: ClassVar[str] = "alarm.verified"
    verification_id: UUID
    method: str = ""
    outcome: str = ""
    threat: str = "none"
    note: str = ""
    dispatch_id: UUID | None = None
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmDispatched(AlarmEvent):
    """A guard or keyholder was sent to the alarm's site."""

    KIND: ClassVar[str] = "alarm.dispatched"
    MESSAGE: ClassVar[str] = "alarm.dispatched"
    dispatch_id: UUID
    responder: str = ""
    responder_kind: str = ""
    unit_id: UUID | None = None
    contact_id: UUID | None = None
    eta: datetime | None = None
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DispatchArrived(AlarmEvent):
    """The guard or keyholder sent arrived on site."""

    KIND: ClassVar[str] = "alarm.dispatch_arrived"
    MESSAGE: ClassVar[str] = "alarm.dispatch_arrived"
    dispatch_id: UUID
    responder: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class DispatchFindings(AlarmEvent):
    """What the guard or keyholder found on site (their verification is a separate entry)."""

    KIND: ClassVar[str] = "alarm.dispatch_findings"
    MESSAGE: ClassVar[str] = "alarm.dispatch_findings"
    dispatch_id: UUID
    responder: str = ""
    findings: str = ""
    note: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorityRequested(AlarmEvent):
    """Help was requested from a partner (police, gendarmerie, fire, ambulance) for the alarm, with
    what allowed it (``basis``) and the AVS-01 score then."""

    KIND: ClassVar[str] = "alarm.authority_requested"
    MESSAGE: ClassVar[str] = "alarm.authority_requested"
    request_id: UUID
    partner_id: UUID
    partner_name: str = ""
    service: str = ""
    message: str = ""
    reference: str = ""
    note: str = ""
    basis: str = ""
    score: int = 1
    by: str = ""
