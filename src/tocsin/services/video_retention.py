"""Retention of footage (article L252-5: a month at most) and the legal hold that keeps what an authority
asked for.

:func:`purge` finds every clip whose end is older than its camera's retention limit (30 days, the legal
maximum, for a camera since removed) and that no legal hold keeps; each one's record is marked purged
and a ``clip.purged`` entry written in the same transaction (the register of what was deleted and
when); the files are deleted once that transaction has committed, so a refused write deletes nothing. The
ring buffers hold minutes, far below any limit, and prune themselves. :func:`hold` puts a clip under a
requisition's legal hold (``clip.held``), :func:`release` lifts it (``clip.released``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from tocsin.domain.cameras import MAX_RETENTION_DAYS
from tocsin.domain.clips import Clip, ClipHeld, ClipPurged, ClipReleased, past_retention
from tocsin.domain.errors import InvalidInput, NotFound
from tocsin.domain.events import Event
from tocsin.services.unit_of_work import UnitOfWork

ACTOR = "retention"
MAX_HOLD = 100
BATCH = 500  # clips purged per transaction: a backlog is worked through in several


@dataclass(frozen=True, slots=True)
class Purged:
    """What one purge deleted."""

    clips: list[Clip]

    @property
    def bytes(self) -> int:
        """The footage's size."""
        return sum(clip.size for clip in self.clips)


def purge(uow: UnitOfWork, delete_file: Callable[[str], None], *, dry_run: bool = False) -> Purged:
    """Mark the clips past their retention purged, with their entries; delete their files after the commit
    (``delete_file(name)``). ``dry_run``: only say which."""
    now = uow.clock.now()
    retention = {camera.id: camera.retention_days for camera in uow.cameras.find()}
    due = [
        clip
        for clip in uow.clips.find(purged_at=None)
        if past_retention(clip, retention.get(clip.camera_id, MAX_RETENTION_DAYS), now)
    ][:BATCH]
    if dry_run:
        return Purged(due)
    clients: dict[UUID, UUID] = {}
    events: list[tuple[Event, str, datetime | None]] = []
    for clip in due:
        uow.clips.update(dataclasses.replace(clip, purged_at=now))
        if clip.site_id not in clients:
            site = uow.sites.get(clip.site_id)
            clients[clip.site_id] = site.client_id if site is not None else clip.site_id
        events.append(
            (
                ClipPurged(
                    tenant_id=clip.tenant_id,
                    alarm_id=clip.alarm_id,
                    site_id=clip.site_id,
                    client_id=clients[clip.site_id],
                    camera_id=clip.camera_id,
                    clip_id=clip.id,
                    name=clip.camera_name,
                    start=clip.start,
                    end=clip.end,
                    retention_days=retention.get(clip.camera_id, MAX_RETENTION_DAYS),
                    sha256=clip.sha256,
                ),
                ACTOR,
                None,
            )
        )
    uow.record_many(events)  # one lock of the chain's head for the batch
    files = [clip.file for clip in due]

    def delete_all() -> None:
        for name in files:
            delete_file(name)

    uow.after_commit(delete_all)
    return Purged(due)


def _clip(uow: UnitOfWork, clip_id: UUID) -> Clip:
    clip = uow.clips.get(clip_id)
    if clip is None:
        raise NotFound(f"No clip {clip_id} in your scope: list the alarm's clips to find the right id.")
    return clip


def _event(uow: UnitOfWork, clip: Clip, kind: type[ClipHeld], hold: str) -> ClipHeld:
    site = uow.sites.get(clip.site_id)
    return kind(
        tenant_id=clip.tenant_id,
        alarm_id=clip.alarm_id,
        site_id=clip.site_id,
        client_id=site.client_id if site is not None else clip.site_id,
        camera_id=clip.camera_id,
        clip_id=clip.id,
        name=clip.camera_name,
        hold=hold,
    )


def hold(uow: UnitOfWork, clip_id: UUID, requisition: str, actor: str) -> Clip:
    """Keep a clip past its retention for a requisition (its reference), with the entry."""
    reference = requisition.strip()
    if not reference or len(reference) > MAX_HOLD:
        raise InvalidInput(f"Name the requisition that asks to keep the clip (1 to {MAX_HOLD} characters).")
    clip = _clip(uow, clip_id)
    if clip.purged_at is not None:
        raise InvalidInput(
            f"Clip {clip_id} was purged on {clip.purged_at:%Y-%m-%d}: nothing is left to keep."
        )
    held = dataclasses.replace(clip, hold=reference)
    uow.clips.update(held)
    uow.record(_event(uow, held, ClipHeld, reference), actor)
    return held


def release(uow: UnitOfWork, clip_id: UUID, actor: str) -> Clip:
    """Lift a clip's legal hold (its camera's retention applies again), with the entry."""
    clip = _clip(uow, clip_id)
    if not clip.hold:
        raise InvalidInput(f"Clip {clip_id} is under no legal hold.")
    released = dataclasses.replace(clip, hold="")
    uow.clips.update(released)
    uow.record(_event(uow, clip, ClipReleased, clip.hold), actor)
    return released
