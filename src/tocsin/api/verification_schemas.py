"""What the levée de doute's routes answer: verifications, dispatches, requests for help, an alarm's
verification file and the responders and partners an operator may pick from."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from tocsin.api.schemas import AlarmOut, Out


class VerificationOut(Out):
    """A verification result: how (video, audio, guard), what it found, when, by whom."""

    id: UUID
    alarm_id: UUID
    at: datetime
    method: str
    outcome: str
    threat: str
    note: str
    dispatch_id: UUID | None
    by: str


class DispatchOut(Out):
    """A guard (a unit) or keyholder (a contact) sent on site: ETA, arrival, findings."""

    id: UUID
    alarm_id: UUID
    dispatched_at: datetime
    name: str
    kind: str
    unit_id: UUID | None
    contact_id: UUID | None
    eta: datetime | None
    arrived_at: datetime | None
    findings: str
    findings_at: datetime | None
    note: str
    by: str


class RequestOut(Out):
    """A request for help: the partner, the message given, their reference, the AVS-01 score then, and
    what allowed it (``basis``)."""

    id: UUID
    alarm_id: UUID
    at: datetime
    partner_id: UUID
    partner_name: str
    partner_kind: str
    service: str
    message: str
    reference: str
    note: str
    avs_score: int
    basis: str
    by: str


class VerificationFileOut(Out):
    """An alarm's levée de doute: its score now, the methods that verified it, whether its calls make
    an ECV, and every verification, dispatch and request."""

    alarm_id: UUID
    avs_score: int
    verified_by: list[str]
    ecv: bool
    verifications: list[VerificationOut]
    dispatches: list[DispatchOut]
    requests: list[RequestOut]


class VerifiedOut(Out):
    verification: VerificationOut
    alarm: AlarmOut


class DispatchedOut(Out):
    dispatch: DispatchOut
    verification: VerificationOut | None = None
    alarm: AlarmOut


class RequestedOut(Out):
    request: RequestOut
    alarm: AlarmOut


class ResponderOut(Out):
    """Someone the operator may send: a unit of the tenant, or a keyholder of the alarm's site."""

    unit_id: UUID | None
    contact_id: UUID | None
    name: str
    kind: str
    status: str


class PartnerChoiceOut(Out):
    id: UUID
    name: str
    kind: str
    service: str
    phones: list[str]


class RespondersOut(Out):
    """Whom the holder of an alarm may send, and which partners they may call on."""

    responders: list[ResponderOut]
    partners: list[PartnerChoiceOut]
