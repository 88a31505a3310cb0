"""Events of the room itself: shifts, handovers and the operator dead-man (each one a logbook entry)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from tocsin.domain.events import AlarmEvent, Event
from tocsin.domain.logbook import SubjectRef


def _user(user_id: UUID) -> SubjectRef:
    return SubjectRef("user", str(user_id))


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftStarted(Event):
    """A user went on shift (by hand, or by acknowledging the handover)."""

    KIND: ClassVar[str] = "shift.started"
    MESSAGE: ClassVar[str] = "shift.started"
    shift_id: UUID
    user_id: UUID
    username: str
    name: str
    started_at: datetime

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("shift", str(self.shift_id)), _user(self.user_id))


@dataclass(frozen=True, slots=True, kw_only=True)
class ShiftEnded(Event):
    """A user's shift ended (by hand, or by submitting the handover)."""

    KIND: ClassVar[str] = "shift.ended"
    MESSAGE: ClassVar[str] = "shift.ended"
    shift_id: UUID
    user_id: UUID
    username: str
    name: str
    started_at: datetime
    ended_at: datetime

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("shift", str(self.shift_id)), _user(self.user_id))


@dataclass(frozen=True, slots=True, kw_only=True)
class HandoverSubmitted(Event):
    """The outgoing operator handed over: the text, and what was open when they did."""

    KIND: ClassVar[str] = "shift.handover_submitted"
    MESSAGE: ClassVar[str] = "shift.handover_submitted"
    handover_id: UUID
    user_id: UUID
    name: str
    text: str
    open_alarms: int
    open_events: int
    follow_ups: int
    instructions: int

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("handover", str(self.handover_id)), _user(self.user_id))


@dataclass(frozen=True, slots=True, kw_only=True)
class HandoverAcknowledged(Event):
    """The incoming operator acknowledged the handover."""

    KIND: ClassVar[str] = "shift.handover_acknowledged"
    MESSAGE: ClassVar[str] = "shift.handover_acknowledged"
    handover_id: UUID
    user_id: UUID
    name: str
    from_name: str
    submitted_at: datetime

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("handover", str(self.handover_id)), _user(self.user_id))


@dataclass(frozen=True, slots=True, kw_only=True)
class PresenceAsked(Event):
    """The dead-man: an operator holding alarms showed no activity; the console asks them to confirm."""

    KIND: ClassVar[str] = "deadman.asked"
    MESSAGE: ClassVar[str] = "deadman.asked"
    user_id: UUID
    username: str
    name: str
    idle_seconds: int
    answer_within: int
    held: int

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (_user(self.user_id),)


@dataclass(frozen=True, slots=True, kw_only=True)
class PresenceConfirmed(Event):
    """The operator answered the dead-man (``how``: confirmed in the console, or acted meanwhile)."""

    KIND: ClassVar[str] = "deadman.confirmed"
    MESSAGE: ClassVar[str] = "deadman.confirmed"
    user_id: UUID
    username: str
    name: str
    how: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (_user(self.user_id),)


@dataclass(frozen=True, slots=True, kw_only=True)
class PresenceUnanswered(Event):
    """The operator did not answer the dead-man: supervisors are alerted, the alarms held go back."""

    KIND: ClassVar[str] = "deadman.unanswered"
    MESSAGE: ClassVar[str] = "deadman.unanswered"
    user_id: UUID
    username: str
    name: str
    released: int
    site_refs: tuple[str, ...] = ()

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (_user(self.user_id),)


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmReleasedByDeadman(AlarmEvent):
    """The dead-man put an alarm back in the queue: its holder did not answer."""

    KIND: ClassVar[str] = "alarm.released_by_deadman"
    MESSAGE: ClassVar[str] = "alarm.released_by_deadman"
    operator: str
    user_id: UUID
