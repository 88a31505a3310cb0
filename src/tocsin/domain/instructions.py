"""Temporary instructions: what a client tells the room by phone for a while ("technician on site
until 17:00", "closed for the holidays", "Mr X has the keys this week").

Each has a start and an end, belongs to a site (or one of its transmitters), and is shown on top of the
alarm view while it is in force. A ``test_mode`` instruction puts the site (or the transmitter) in test
mode over its window through the site's ordinary test mode. An instruction is ``open`` until it expires
at its end or an operator cancels it.

Pure: no I/O, no clock reads (times are passed in).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from tocsin.domain.commands import Command
from tocsin.domain.errors import Conflict, InvalidInput

InstructionKind = Literal["note", "test_mode", "keyholder", "closed"]
INSTRUCTION_KINDS: tuple[InstructionKind, ...] = ("note", "test_mode", "keyholder", "closed")
InstructionState = Literal["open", "cancelled", "expired"]
TEXT_MAX = 1000
LONGEST = timedelta(days=366)
TEST_MODE_LONGEST = timedelta(days=7)  # the site's test mode never runs longer


@dataclass(frozen=True, slots=True)
class TemporaryInstruction:
    """One temporary instruction of a site (``account`` "" for the whole site)."""

    id: UUID
    tenant_id: UUID
    client_id: UUID
    site_id: UUID
    kind: str
    text: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    created_by: str
    account: str = ""
    caller: str = ""  # who phoned it in
    state: str = "open"
    ended_at: datetime | None = None
    ended_by: str = ""

    def in_force(self, at: datetime) -> bool:
        """Whether the instruction applies at ``at``."""
        return self.state == "open" and self.starts_at <= at < self.ends_at


def new_instruction(  # noqa: PLR0917 - the fields of one instruction
    instruction_id: UUID,
    tenant_id: UUID,
    client_id: UUID,
    site_id: UUID,
    kind: str,
    text: str,
    starts_at: datetime,
    ends_at: datetime,
    *,
    now: datetime,
    by: str,
    account: str = "",
    caller: str = "",
) -> TemporaryInstruction:
    """A new instruction, refused when its window or text is wrong (its times kept to the second)."""
    starts_at, ends_at = starts_at.replace(microsecond=0), ends_at.replace(microsecond=0)
    if kind not in INSTRUCTION_KINDS:
        raise InvalidInput(f"Unknown instruction kind {kind!r}: use one of {', '.join(INSTRUCTION_KINDS)}.")
    text = text.strip()
    if not text:
        raise InvalidInput("A temporary instruction needs its text: what the client said.")
    if len(text) > TEXT_MAX:
        raise InvalidInput(f"A temporary instruction is at most {TEXT_MAX} characters.")
    if len(caller.strip()) > 200:
        raise InvalidInput("The caller's name is at most 200 characters.")
    if ends_at <= starts_at:
        raise InvalidInput(
            f"This instruction ends ({ends_at.isoformat()}) before it starts ({starts_at.isoformat()}):"
            " give an end after the start."
        )
    if ends_at <= now:
        raise InvalidInput("This instruction would already be over: give an end in the future.")
    if ends_at - starts_at > LONGEST:
        raise InvalidInput("A temporary instruction lasts at most a year: make it a standing instruction.")
    if kind == "test_mode" and ends_at > max(now, starts_at) + TEST_MODE_LONGEST:
        raise InvalidInput("Test mode lasts at most 7 days: give an end within 7 days of its start.")
    if kind == "test_mode" and starts_at > now + TEST_MODE_LONGEST:
        raise InvalidInput("Test mode can be planned at most 7 days ahead.")
    return TemporaryInstruction(
        id=instruction_id,
        tenant_id=tenant_id,
        client_id=client_id,
        site_id=site_id,
        kind=kind,
        text=text,
        starts_at=starts_at,
        ends_at=ends_at,
        created_at=now,
        created_by=by,
        account=account.strip().upper(),
        caller=caller.strip(),
    )


def cancel(instruction: TemporaryInstruction, by: str, now: datetime) -> TemporaryInstruction:
    """The instruction cancelled before its end."""
    if instruction.state != "open":
        raise Conflict(f"This instruction is already {instruction.state}.")
    return dataclasses.replace(instruction, state="cancelled", ended_at=now, ended_by=by)


def expire(instruction: TemporaryInstruction, now: datetime) -> TemporaryInstruction | None:
    """The instruction expired at its end; None when it is not open or not over yet."""
    if instruction.state != "open" or instruction.ends_at > now:
        return None
    return dataclasses.replace(instruction, state="expired", ended_at=now, ended_by="rules")


@dataclass(frozen=True, slots=True)
class GiveInstruction(Command):
    """Record a temporary instruction a client gave by phone."""

    site_id: UUID
    kind: str
    text: str
    starts_at: datetime | None  # None: now
    ends_at: datetime
    by: str
    account: str = ""
    caller: str = ""


@dataclass(frozen=True, slots=True)
class CancelInstruction(Command):
    """Cancel a temporary instruction before its end."""

    site_id: UUID
    instruction_id: UUID
    by: str
