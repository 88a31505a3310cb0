"""Shifts and the handover between them (prise de poste), and the operator dead-man's stages.

An operator's shift runs from its start to its end; the outgoing operator writes a handover (a summary
Tocsin prepares: open alarms and events, follow-ups, temporary instructions in force, then their own
notes for the next shift), and the incoming operator acknowledges it, once. Pure: no I/O, no clock.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from uuid import UUID

from tocsin.domain.commands import Command
from tocsin.domain.errors import Conflict, InvalidInput

HANDOVER_MAX = 10_000  # characters of a handover's text
DeadmanStage = Literal["idle", "asked"]


@dataclass(frozen=True, slots=True)
class Shift:
    """One user's time on duty: started, and ended once they hand over or leave."""

    id: UUID
    tenant_id: UUID
    user_id: UUID
    username: str
    name: str
    started_at: datetime
    ended_at: datetime | None = None

    @property
    def on_duty(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True, slots=True)
class Handover:
    """What the outgoing operator hands over, and who acknowledged it (at most one person, once)."""

    id: UUID
    tenant_id: UUID
    from_user_id: UUID
    from_name: str
    text: str
    submitted_at: datetime
    open_alarms: int = 0
    open_events: int = 0
    follow_ups: int = 0
    instructions: int = 0
    acknowledged_by_id: UUID | None = None
    acknowledged_by: str = ""
    acknowledged_at: datetime | None = None

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class AlreadyAcknowledged(Conflict):
    """A handover is acknowledged once."""


def check_text(text: str) -> str:
    """A handover's text, trimmed; empty or too long is refused."""
    text = text.strip()
    if not text:
        raise InvalidInput("A handover needs some text: write what the next shift must know.")
    if len(text) > HANDOVER_MAX:
        raise InvalidInput(f"A handover is at most {HANDOVER_MAX} characters: shorten it.")
    return text


def acknowledge(handover: Handover, user_id: UUID, name: str, now: datetime) -> Handover:
    """The incoming operator acknowledges the handover: once, and not its own author."""
    if handover.acknowledged:
        when = handover.acknowledged_at.isoformat(timespec="seconds") if handover.acknowledged_at else ""
        raise AlreadyAcknowledged(
            f"This handover was already acknowledged by {handover.acknowledged_by} at {when}:"
            " nothing was changed."
        )
    if handover.from_user_id == user_id:
        raise InvalidInput(
            "You wrote this handover: the operator taking over acknowledges it, not its author."
        )
    return dataclasses.replace(
        handover, acknowledged_by_id=user_id, acknowledged_by=name, acknowledged_at=now
    )


def start(shift_id: UUID, tenant_id: UUID, who: Who, now: datetime, current: Shift | None) -> Shift:
    """A new shift for the user; refused while one is running."""
    if current is not None:
        raise Conflict(
            f"{who.name} is on shift since {current.started_at.isoformat(timespec='seconds')}:"
            " end that shift first."
        )
    return Shift(shift_id, tenant_id, who.user_id, who.username, who.name, now)


def end(current: Shift, now: datetime) -> Shift:
    """The running shift, ended now."""
    return dataclasses.replace(current, ended_at=now)


# ---------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class Who:
    """The user acting."""

    user_id: UUID
    username: str
    name: str


@dataclass(frozen=True, slots=True)
class StartShift(Command):
    tenant_id: UUID
    who: Who


@dataclass(frozen=True, slots=True)
class EndShift(Command):
    tenant_id: UUID
    who: Who


@dataclass(frozen=True, slots=True)
class SubmitHandover(Command):
    """The outgoing operator's handover; their shift ends with it."""

    tenant_id: UUID
    who: Who
    text: str


@dataclass(frozen=True, slots=True)
class AcknowledgeHandover(Command):
    """The incoming operator acknowledges a handover; their shift starts with it (if not started)."""

    tenant_id: UUID
    who: Who
    handover_id: UUID


@dataclass(frozen=True, slots=True)
class ConfirmPresence(Command):
    """The operator answered the dead-man (or showed activity: ``heartbeat``)."""

    tenant_id: UUID
    who: Who
    heartbeat: bool = False
