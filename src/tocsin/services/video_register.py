"""The viewing register (article R252-11 of the Code de la sécurité intérieure), read from the logbook.

Each viewing is a ``camera.viewed`` logbook entry, hash-chained like every other, so the register an
inspector reads cannot be edited without ``tocsin logbook verify`` saying where. This module picks
those entries out of a period, in the reader's scope, as flat lines for JSON or CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import IO
from uuid import UUID

from tocsin.domain.errors import InvalidInput
from tocsin.services.unit_of_work import UnitOfWork

KIND = "camera.viewed"
KINDS = frozenset({KIND, "clip.exported"})  # a viewing, or an export for a requisition (mode export)
MAX_DAYS = 3 * 366  # a model access log is kept three years; one export covers at most that


@dataclass(frozen=True, slots=True)
class RegisterLine:
    """One viewing: when it was declared, by whom, which camera and site, what and why."""

    recorded_at: str
    user: str
    actor: str
    camera_id: str
    camera: str
    site_id: str
    mode: str
    start: str
    end: str
    reason: str
    entry_id: str
    chain: str
    seq: int
    hash: str


COLUMNS = tuple(RegisterLine.__dataclass_fields__)


def check_period(since: datetime, until: datetime) -> None:
    """A period is in order, with zones, and not longer than the register is kept."""
    if since.tzinfo is None or until.tzinfo is None:
        raise InvalidInput("from and to need a time zone (for example 2026-11-30T00:00:00Z).")
    if until <= since:
        raise InvalidInput("to must be after from: give the period in order.")
    if (until - since).days > MAX_DAYS:
        raise InvalidInput(f"One export covers at most {MAX_DAYS} days: split the period.")


def register(
    uow: UnitOfWork,
    since: datetime,
    until: datetime,
    *,
    camera_id: UUID | None = None,
    user: str | None = None,
) -> list[RegisterLine]:
    """The viewings and exports recorded in [since, until), oldest first, that the unit of work's scope
    may see; only one camera's, or one user's, when given."""
    check_period(since, until)
    found = [
        e
        for e in uow.logbook.read(uow.scope, since=since, until=until)
        if e.kind in KINDS
        and e.site_id is not None
        and (camera_id is None or e.data.get("camera_id") == str(camera_id))
        and (not user or e.data.get("user") == user)
    ]
    found.sort(key=lambda e: (e.recorded_at, e.seq))
    return [
        RegisterLine(
            recorded_at=e.recorded_at.isoformat(),
            user=str(e.data.get("user", "")),
            actor=e.actor,
            camera_id=str(e.data.get("camera_id", "")),
            camera=str(e.data.get("name", "")),
            site_id=str(e.site_id),
            mode=str(e.data.get("mode", "")),
            start=str(e.data.get("start") or ""),
            end=str(e.data.get("end") or ""),
            reason=str(e.data.get("reason", "")),
            entry_id=str(e.id),
            chain=e.chain,
            seq=e.seq,
            hash=e.hash,
        )
        for e in found
    ]


def as_json(line: RegisterLine) -> dict[str, object]:
    """One line as a JSON object (the ``--json`` form, a stable interface)."""
    return asdict(line)


def write_csv(lines: Iterable[RegisterLine], out: IO[str]) -> int:
    """Write the register as CSV with a header; return how many lines were written."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for line in lines:
        writer.writerow(asdict(line))
        count += 1
    return count
