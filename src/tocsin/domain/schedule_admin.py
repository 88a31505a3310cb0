"""Commands and logbook events of schedules: set one (create or change), assign one to a site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from tocsin.domain.commands import Command
from tocsin.domain.events import Event
from tocsin.domain.logbook import SubjectRef
from tocsin.domain.schedules import DEFAULT_GRACE_SECONDS
from tocsin.domain.sites import ScheduleWindow


@dataclass(frozen=True, slots=True)
class SetSchedule(Command):
    """Create a schedule (``schedule_id`` None) or replace one's windows, holidays and grace; the sites
    that follow it are planned again."""

    tenant_id: UUID
    name: str
    windows: tuple[ScheduleWindow, ...] = ()
    holidays: tuple[str, ...] = ()
    grace_seconds: int = DEFAULT_GRACE_SECONDS
    client_id: UUID | None = None
    schedule_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class AssignSchedule(Command):
    """Make a site follow a schedule (``schedule_id`` None: none any more)."""

    site_id: UUID
    schedule_id: UUID | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleSet(Event):
    """A schedule was created or changed; ``sites`` were planned again."""

    KIND: ClassVar[str] = "schedule.set"
    MESSAGE: ClassVar[str] = "schedule.set"
    schedule_id: UUID
    client_id: UUID | None
    name: str
    created: bool
    windows: str  # "1-5 08:00-19:00; 6 09:00-12:00"
    holidays: tuple[str, ...]
    holiday_count: int
    grace_seconds: int
    sites: int = 0

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("schedule", str(self.schedule_id)),)

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return None, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleAssigned(Event):
    """A site now follows a schedule (or none); ``next_check`` is the first check planned."""

    KIND: ClassVar[str] = "site.schedule_assigned"
    MESSAGE: ClassVar[str] = "site.schedule_assigned"
    site_id: UUID
    client_id: UUID
    site_ref: str
    schedule_id: UUID | None
    schedule_name: str
    next_check: datetime | None = None

    def subjects(self) -> tuple[SubjectRef, ...]:
        refs = [SubjectRef("site", str(self.site_id))]
        if self.schedule_id is not None:
            refs.append(SubjectRef("schedule", str(self.schedule_id)))
        return tuple(refs)

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id
