"""The levée de doute: checking an alarm before calling the police, and the records that prove it.

An operator verifies an alarm by what they saw on video or heard on audio, by a guard or keyholder sent
on site who reports what they found, or by enhanced call verification (two calls to two different
numbers, see :mod:`tocsin.domain.calls`). Each result is confirmed, not confirmed or inconclusive, at a
time, by someone.

In France a call to the police or gendarmerie for a burglary alarm that no verification backs is
unjustified and fined (Code de la sécurité intérieure, art. L613-6); alarms a person raises on purpose
(panic, hold-up, duress) need none, but proof must be kept. :func:`allow_request` applies that rule; the
AVS-01 score (:mod:`tocsin.domain.avs`) is computed from the same results.

Pure: no I/O, no clock reads (times are passed in).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from tocsin.domain.alarms import Alarm, AlarmCommand, AlarmHeld, WrongState
from tocsin.domain.avs import THREATS
from tocsin.domain.errors import Conflict, InvalidInput

Method = Literal["video", "audio", "guard", "ecv"]
METHODS: tuple[Method, ...] = ("video", "audio", "guard", "ecv")
RECORDED_BY_HAND: tuple[Method, ...] = ("video", "audio")  # a guard's comes from a dispatch, ECV from calls
Outcome = Literal["confirmed", "not_confirmed", "inconclusive"]
OUTCOMES: tuple[Outcome, ...] = ("confirmed", "not_confirmed", "inconclusive")
# What a guard or keyholder found on site: the verification it makes (outcome, threat).
FINDINGS: dict[str, tuple[str, str]] = {
    "confirmed_intrusion": ("confirmed", "property"),
    "person_on_site": ("confirmed", "presence"),
    "threat_to_life": ("confirmed", "life"),
    "nothing_found": ("not_confirmed", "none"),
    "no_access": ("inconclusive", "none"),
}
# Partner kinds, and the service a request to them asks for.
SERVICE_OF_KIND: dict[str, str] = {
    "police": "police",
    "gendarmerie": "police",
    "fire": "fire",
    "medical": "medical",
    "samu": "medical",
}
PERSON_TRIGGERED = frozenset({"panic", "hold_up", "duress"})  # need no levée de doute, but a note
NEEDS_VERIFICATION = frozenset({"intrusion"})
NOTE_MAX = 2000
MESSAGE_MAX = 2000
REFERENCE_MAX = 100
ETA_MAX_MINUTES = 24 * 60


class NotVerified(Conflict):
    """A police request for an alarm that no positive verification backs (CSI art. L613-6)."""


@dataclass(frozen=True, slots=True)
class Verification:
    """One verification result for an alarm: how (video, audio, guard), what it found, when, by whom.
    A guard's result names its dispatch."""

    id: UUID
    tenant_id: UUID
    alarm_id: UUID
    at: datetime
    method: str
    outcome: str
    threat: str = "none"
    note: str = ""
    dispatch_id: UUID | None = None
    user_id: UUID | None = None
    by: str = ""


@dataclass(frozen=True, slots=True)
class Dispatch:
    """A guard (a unit of the tenant) or a keyholder (a contact of the site) sent to the alarm's site:
    when, expected when, arrived when, and what they found."""

    id: UUID
    tenant_id: UUID
    alarm_id: UUID
    dispatched_at: datetime
    name: str
    kind: str  # the unit's kind, or "keyholder" for a contact
    unit_id: UUID | None = None
    contact_id: UUID | None = None
    eta: datetime | None = None
    arrived_at: datetime | None = None
    findings: str = ""
    findings_at: datetime | None = None
    note: str = ""
    user_id: UUID | None = None
    by: str = ""


@dataclass(frozen=True, slots=True)
class AuthorityRequest:
    """A request to the police, the fire service or an ambulance for an alarm: to which partner, the
    message given, the reference they gave, the AVS-01 score then, and what allowed it (``basis``)."""

    id: UUID
    tenant_id: UUID
    alarm_id: UUID
    at: datetime
    partner_id: UUID
    partner_name: str
    partner_kind: str
    service: str
    message: str
    reference: str = ""
    note: str = ""
    avs_score: int = 1
    basis: str = ""
    user_id: UUID | None = None
    by: str = ""


def may_act(alarm: Alarm, user_id: UUID, doing: str) -> None:
    """Only the operator holding a taken alarm verifies it, dispatches for it and requests help."""
    if alarm.state != "taken":
        raise WrongState(f"This alarm is {alarm.state}: take it before {doing}.")
    if alarm.holder_id != user_id:
        raise AlarmHeld(f"{alarm.holder_name or 'Another operator'} holds this alarm: only they may do this.")


def _text(value: str, what: str, limit: int, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{what} is required.")
    if len(value) > limit:
        raise InvalidInput(f"{what} is longer than {limit} characters.")
    return value


def check_verification(method: str, outcome: str, threat: str, note: str) -> tuple[str, str, str]:
    """A verification recorded by hand (video or audio): its outcome, threat and note, checked. A
    confirmed result without a threat is a human presence; one not confirmed has none."""
    if method not in RECORDED_BY_HAND:
        raise InvalidInput(
            f"Verification method {method!r} is not recorded by hand: use video or audio (a guard's"
            " comes from their dispatch's findings, ECV from the calls)."
        )
    if outcome not in OUTCOMES:
        raise InvalidInput(f"Unknown verification outcome {outcome!r}: use one of {', '.join(OUTCOMES)}.")
    if threat not in THREATS:
        raise InvalidInput(f"Unknown threat {threat!r}: use one of {', '.join(THREATS)}.")
    if outcome != "confirmed":
        if threat != "none":
            raise InvalidInput("Only a confirmed verification names a threat.")
    elif threat == "none":
        threat = "presence"
    return outcome, threat, _text(note, "The note", NOTE_MAX)


def check_note(note: str) -> str:
    """A free note, trimmed and checked for length."""
    return _text(note, "The note", NOTE_MAX)


def check_findings(findings: str) -> tuple[str, str]:
    """The verification a guard's findings make: (outcome, threat)."""
    if findings not in FINDINGS:
        raise InvalidInput(f"Unknown findings {findings!r}: use one of {', '.join(FINDINGS)}.")
    return FINDINGS[findings]


def check_eta(minutes: int | None) -> int | None:
    if minutes is not None and not 0 <= minutes <= ETA_MAX_MINUTES:
        raise InvalidInput(f"An ETA is between 0 and {ETA_MAX_MINUTES} minutes.")
    return minutes


def results(verifications: Iterable[Verification], ecv_made: bool) -> list[tuple[str, str]]:
    """The (outcome, threat) pairs the AVS-01 score is computed from; an ECV made is inconclusive."""
    found = [(v.outcome, v.threat) for v in verifications]
    return [*found, ("inconclusive", "none")] if ecv_made else found


def positive(verifications: Iterable[Verification], ecv_made: bool) -> list[str]:
    """The methods that verified the alarm: confirmed results, and ECV once two numbers were called."""
    methods = sorted({v.method for v in verifications if v.outcome == "confirmed"})
    return [*methods, "ecv"] if ecv_made else methods


def service_of(partner_kind: str) -> str:
    """What a request to a partner of this kind asks for: police, fire, medical, or other."""
    return SERVICE_OF_KIND.get(partner_kind.strip().casefold(), "other")


def allow_request(alarm: Alarm, partner_kind: str, verified_by: list[str], note: str) -> str:
    """Why a request may be made (the ``basis`` it records), or why not.

    To the police or gendarmerie: an intrusion needs a positive verification (video, audio, a guard on
    site, or ECV); a panic, hold-up or duress alarm passes with a note saying why (proof is kept). Other
    services and other classes pass."""
    service = service_of(partner_kind)
    if service != "police":
        return f"{service} request"
    if alarm.alarm_class in PERSON_TRIGGERED:
        if not note.strip():
            raise InvalidInput(
                f"A police request for a {alarm.alarm_class} alarm needs a note saying what calls for it"
                " (it needs no levée de doute, but its proof is kept)."
            )
        return f"person-triggered {alarm.alarm_class} alarm"
    if alarm.alarm_class in NEEDS_VERIFICATION:
        if not verified_by:
            raise NotVerified(
                "No verification confirms this intrusion: a police request without a levée de doute is"
                " unjustified (CSI art. L613-6). Verify first: video, audio, a guard on site, or calls to"
                " two different numbers (ECV)."
            )
        return "verified: " + ", ".join(verified_by)
    return f"{alarm.alarm_class} alarm"


def check_request(message: str, reference: str, note: str) -> tuple[str, str, str]:
    """A request's message (required), the reference the partner gave and the note, checked."""
    return (
        _text(message, "The message given", MESSAGE_MAX, required=True),
        _text(reference, "The reference", REFERENCE_MAX),
        _text(note, "The note", NOTE_MAX),
    )


# ---------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class RecordVerification(AlarmCommand):
    """Record what I saw (video) or heard (audio) on the alarm I hold."""

    method: str = "video"
    outcome: str = "inconclusive"
    threat: str = "none"
    note: str = ""


@dataclass(frozen=True, slots=True)
class DispatchResponder(AlarmCommand):
    """Send a unit of the tenant, or a keyholder (a contact of the site), to the alarm I hold."""

    unit_id: UUID | None = None
    contact_id: UUID | None = None
    eta_minutes: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class UpdateDispatch(AlarmCommand):
    """Mark a dispatch arrived, and/or record what was found on site (a guard's verification)."""

    dispatch_id: UUID | None = None
    arrived: bool = False
    findings: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class RequestAuthority(AlarmCommand):
    """Ask a partner (police, gendarmerie, fire, ambulance) to intervene for the alarm I hold."""

    partner_id: UUID | None = None
    message: str = ""
    reference: str = ""
    note: str = ""
