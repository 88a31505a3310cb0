"""Domain events: things that happened, past tense. Each becomes a logbook entry in the same
transaction as the change, and is published to the bus from the logbook after commit."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, ClassVar
from uuid import UUID

from tocsin.domain.logbook import SubjectRef


def _to_json(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    return value


@lru_cache(maxsize=4096)  # tenants, sites and clients recur from signal to signal; bounded all the same
def _id_text(value: UUID) -> str:
    return str(value)


def _from_json(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        inner = [a for a in typing.get_args(hint) if a is not type(None)]
        return _from_json(inner[0], value)
    if typing.get_origin(hint) is tuple:
        return tuple(_from_json(typing.get_args(hint)[0], v) for v in value)
    if hint is UUID:
        return UUID(value)
    if hint is datetime:
        return datetime.fromisoformat(value)
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of all domain events. Subclasses set ``KIND`` (the logbook kind) and ``MESSAGE``
    (the catalogue key), and list what the event is about in :meth:`subjects`. The event's fields
    are both its data and the parameters of its message."""

    KIND: ClassVar[str] = ""
    MESSAGE: ClassVar[str] = ""

    tenant_id: UUID | None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super(Event, cls).__init_subclass__(**kwargs)  # Event by name: slots=True made a new class
        event_class.cache_clear()  # a new kind, or a class answering for a kind already asked about

    def subjects(self) -> tuple[SubjectRef, ...]:
        """The things this event is about."""
        return ()

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        """The site and client it concerns, for scoped readers of the logbook."""
        return None, None

    def to_data(self) -> dict[str, Any]:
        """The event's fields as JSON values."""
        return {name: _to_json(getattr(self, name)) for name in _field_names(type(self))}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Event:
        """Rebuild a typed event from a logbook entry's data."""
        hints = _hints(cls)
        kwargs = {f.name: _from_json(hints[f.name], data.get(f.name)) for f in dataclasses.fields(cls)}
        return cls(**kwargs)


_HINTS: dict[str, dict[str, Any]] = {}
_FIELD_NAMES: dict[type[Event], tuple[str, ...]] = {}


def _field_names(cls: type[Event]) -> tuple[str, ...]:
    """An event class's field names, looked up once (``dataclasses.fields`` walks them every call)."""
    found = _FIELD_NAMES.get(cls)
    if found is None:
        found = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return found


def _hints(cls: type[Event]) -> dict[str, Any]:
    """Type hints of an event class, resolved once (resolving them compiles annotations)."""
    found = _HINTS.get(cls.__qualname__)
    if found is None:
        found = _HINTS[cls.__qualname__] = typing.get_type_hints(cls)
    return found


@lru_cache(maxsize=256)  # the outbox asks for every entry it publishes; kinds are few, bounded all the same
def event_class(kind: str) -> type[Event] | None:
    """The event class recorded under a logbook kind, if the kind is a domain event (the answers are
    cached, and forgotten whenever an event class is defined)."""
    pending = list(Event.__subclasses__())
    while pending:
        cls = pending.pop()
        if kind == cls.KIND:
            return cls
        pending.extend(cls.__subclasses__())
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class TenantCreated(Event):
    """A tenant was set up."""

    KIND: ClassVar[str] = "tenant.created"
    MESSAGE: ClassVar[str] = "tenant.created"
    ref: str
    name: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("tenant", str(self.tenant_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClientCreated(Event):
    """A client of the tenant was registered."""

    KIND: ClassVar[str] = "client.created"
    MESSAGE: ClassVar[str] = "client.created"
    client_id: UUID
    ref: str
    name: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("client", str(self.client_id)),)

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return None, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteCreated(Event):
    """A site was registered for a client."""

    KIND: ClassVar[str] = "site.created"
    MESSAGE: ClassVar[str] = "site.created"
    site_id: UUID
    client_id: UUID
    ref: str
    name: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("site", str(self.site_id)), SubjectRef("client", str(self.client_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteChildAdded(Event):
    """Something was attached to a site: an account, a zone or a contact (``what`` says which)."""

    KIND: ClassVar[str] = "site.child_added"
    MESSAGE: ClassVar[str] = "site.child_added"
    site_id: UUID
    client_id: UUID
    what: str
    child_id: UUID
    label: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef(self.what, str(self.child_id)), SubjectRef("site", str(self.site_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceAdded(Event):
    """A tenant-level resource was added: a unit, a partner or a shared schedule."""

    KIND: ClassVar[str] = "resource.added"
    MESSAGE: ClassVar[str] = "resource.added"
    what: str
    resource_id: UUID
    label: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef(self.what, str(self.resource_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineFired(Event):
    """A deadline came due and was handled."""

    KIND: ClassVar[str] = "deadline.fired"
    MESSAGE: ClassVar[str] = "deadline.fired"
    deadline_id: UUID
    deadline_kind: str
    key: str
    due_at: datetime

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("deadline", str(self.deadline_id)),)


# ---------------------------------------------------------------- people and security


@dataclass(frozen=True, slots=True, kw_only=True)
class UserCreated(Event):
    """A user account was created."""

    KIND: ClassVar[str] = "user.created"
    MESSAGE: ClassVar[str] = "user.created"
    user_id: UUID
    username: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("user", str(self.user_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class RoleGranted(Event):
    """A user was given a role over the tenant or part of it."""

    KIND: ClassVar[str] = "user.role_granted"
    MESSAGE: ClassVar[str] = "user.role_granted"
    user_id: UUID
    username: str
    role: str
    scope: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("user", str(self.user_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class UserLoggedIn(Event):
    """A user logged in to the console."""

    KIND: ClassVar[str] = "auth.login"
    MESSAGE: ClassVar[str] = "auth.login"
    user_id: UUID
    username: str
    source: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("user", str(self.user_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class UserLoggedOut(Event):
    """A user logged out."""

    KIND: ClassVar[str] = "auth.logout"
    MESSAGE: ClassVar[str] = "auth.logout"
    user_id: UUID
    username: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("user", str(self.user_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoginFailed(Event):
    """A login attempt failed (wrong password, unknown or disabled user, or throttled)."""

    KIND: ClassVar[str] = "auth.login_failed"
    MESSAGE: ClassVar[str] = "auth.login_failed"
    username: str
    source: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityRefusal(Event):
    """A request was refused for security: expired session, bad CSRF token, outside one's scope."""

    KIND: ClassVar[str] = "security.refused"
    MESSAGE: ClassVar[str] = "security.refused"
    username: str
    source: str
    reason: str
    target: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RefusalsCounted(Event):
    """Refusals of one kind from one source within one minute, counted in one entry (so a flood of
    them cannot fill the logbook); the first of them has its own entry with its details."""

    KIND: ClassVar[str] = "security.refusals_counted"
    MESSAGE: ClassVar[str] = "security.refusals_counted"
    what: str  # "logins" (refused logins) or "requests" (refused requests)
    source: str
    count: int
    minute: datetime
    reasons: str  # "bad password: 3, throttled: 196"
    usernames: tuple[str, ...]  # the first few distinct user names given


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageChanged(Event):
    """A user chose the language of their console."""

    KIND: ClassVar[str] = "user.language_changed"
    MESSAGE: ClassVar[str] = "user.language_changed"
    user_id: UUID
    username: str
    language: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteWritten(Event):
    """An operator wrote a free note in the logbook."""

    KIND: ClassVar[str] = "logbook.note"
    MESSAGE: ClassVar[str] = "logbook.note"
    text: str
    site_id: UUID | None = None
    client_id: UUID | None = None

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


# ---------------------------------------------------------------- signals


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalReceived(Event):
    """A transmitter reported an event (an alarm, a restore, an opening, a test…)."""

    KIND: ClassVar[str] = "signal.received"
    MESSAGE: ClassVar[str] = "signal.event"  # entries before 0.8 used "signal.received", without nature
    signal_id: UUID
    site_id: UUID | None
    client_id: UUID | None
    account: str
    code: str
    event_class: str
    label_en: str
    label_fr: str
    zone: str
    restore: bool = False  # the end of a condition (an alarm's restore), not a new alarm
    nature: str = "new"  # what the event reports: "new" (event), "restore" or "status"
    qualifier: str | None = None  # Contact ID's qualifier as sent (new, restore, status); SIA has none
    alarm_id: UUID | None = None  # the alarm the event raised, joined or restored a zone of, if any

    def subjects(self) -> tuple[SubjectRef, ...]:
        found = [SubjectRef("signal", str(self.signal_id))]
        if self.site_id is not None:
            found.append(SubjectRef("site", _id_text(self.site_id)))
        if self.alarm_id is not None:
            found.append(SubjectRef("alarm", str(self.alarm_id)))
        return tuple(found)

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id

    def to_data(self) -> dict[str, Any]:
        # The signal processor makes one per signal: :meth:`Event.to_data` spelled out (same keys, same
        # order, same values), with the tenant, site and client ids' texts cached.
        return {
            "tenant_id": None if self.tenant_id is None else _id_text(self.tenant_id),
            "signal_id": str(self.signal_id),
            "site_id": None if self.site_id is None else _id_text(self.site_id),
            "client_id": None if self.client_id is None else _id_text(self.client_id),
            "account": self.account,
            "code": self.code,
            "event_class": self.event_class,
            "label_en": self.label_en,
            "label_fr": self.label_fr,
            "zone": self.zone,
            "restore": self.restore,
            "nature": self.nature,
            "qualifier": self.qualifier,
            "alarm_id": None if self.alarm_id is None else str(self.alarm_id),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalProblem(Event):
    """A frame that no known account could take: unknown transmitter, unreadable encryption, bad payload.

    It is a technical alarm for the room (or for the node, when no tenant can be told)."""

    KIND: ClassVar[str] = "signal.problem"
    MESSAGE: ClassVar[str] = "signal.problem"
    signal_id: UUID
    listener: str
    account: str
    problem: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("signal", str(self.signal_id)),)


@dataclass(frozen=True, slots=True, kw_only=True)
class SubstitutionSuspected(Event):
    """A transmitter whose account has a key sent an unencrypted frame: someone may be posing as it.

    The frame was refused (not acknowledged, not stored); one entry per account and minute at most."""

    KIND: ClassVar[str] = "security.substitution_suspected"
    MESSAGE: ClassVar[str] = "security.substitution_suspected"
    account_id: UUID
    site_id: UUID
    client_id: UUID | None
    account: str
    listener: str
    id_token: str

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("account", str(self.account_id)), SubjectRef("site", str(self.site_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class SupervisionLost(Event):
    """A transmitter's path went silent longer than its reporting interval: a technical alarm."""

    KIND: ClassVar[str] = "signal.supervision_lost"
    MESSAGE: ClassVar[str] = "signal.supervision_lost"
    account_id: UUID
    site_id: UUID
    client_id: UUID | None
    account: str
    path: str
    last_message_at: datetime
    interval_seconds: int
    site_ref: str = ""
    site_name: str = ""
    transport: str = ""
    port: str = ""
    receiver: str = ""
    line: str = ""

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("account", str(self.account_id)), SubjectRef("site", str(self.site_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


# ---------------------------------------------------------------- alarms


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmEvent(Event):
    """Something happened to an alarm. Every alarm entry carries the alarm as it now stands, so a
    console keeps its queue up to date from the logbook alone."""

    alarm_id: UUID
    site_id: UUID | None
    client_id: UUID | None
    site_ref: str
    site_name: str
    alarm_class: str
    priority: int
    state: str
    signal_count: int
    holder: str
    title_en: str
    title_fr: str
    opened_at: datetime
    escalated: bool = False
    back_to_normal: bool = False
    avs_score: int | None = None

    def subjects(self) -> tuple[SubjectRef, ...]:
        alarm = SubjectRef("alarm", str(self.alarm_id))
        return (alarm,) if self.site_id is None else (alarm, SubjectRef("site", _id_text(self.site_id)))

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmOpened(AlarmEvent):
    """Signals raised a new alarm."""

    KIND: ClassVar[str] = "alarm.opened"
    MESSAGE: ClassVar[str] = "alarm.opened"


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmUpdated(AlarmEvent):
    """More signals joined an open alarm, zones were restored, or the site was armed or disarmed."""

    KIND: ClassVar[str] = "alarm.updated"
    MESSAGE: ClassVar[str] = "alarm.updated"
    added: int = 0
    restored_zones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmTaken(AlarmEvent):
    """An operator took the alarm."""

    KIND: ClassVar[str] = "alarm.taken"
    MESSAGE: ClassVar[str] = "alarm.taken"
    from_holder: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmReleased(AlarmEvent):
    """The alarm went back to the queue untaken."""

    KIND: ClassVar[str] = "alarm.released"
    MESSAGE: ClassVar[str] = "alarm.released"
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmSettled(AlarmEvent):
    """The alarm was settled (acquittée): real or false, with a cause."""

    KIND: ClassVar[str] = "alarm.settled"
    MESSAGE: ClassVar[str] = "alarm.settled"
    outcome: str = ""
    cause: str = ""
    note: str = ""
    follow_up_until: datetime | None = None
    seconds_to_take: float | None = None
    seconds_to_settle: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmClosed(AlarmEvent):
    """The alarm was closed: back to normal, or by a supervisor with a reason."""

    KIND: ClassVar[str] = "alarm.closed"
    MESSAGE: ClassVar[str] = "alarm.closed"
    reason: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmReopened(AlarmEvent):
    """A settled alarm went back to the queue: a new signal came, or its follow-up time."""

    KIND: ClassVar[str] = "alarm.reopened"
    MESSAGE: ClassVar[str] = "alarm.reopened"
    why: str = "signal"  # "signal" or "follow-up"


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmEscalated(AlarmEvent):
    """An alarm waited untaken past its class's limit: supervisors are told and it moved up."""

    KIND: ClassVar[str] = "alarm.escalated"
    MESSAGE: ClassVar[str] = "alarm.escalated"
    waited_seconds: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmNote(AlarmEvent):
    """An operator wrote a note on the alarm."""

    KIND: ClassVar[str] = "alarm.note"
    MESSAGE: ClassVar[str] = "alarm.note"
    text: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmCall(AlarmEvent):
    """The operator recorded a call for the alarm: to whom, which number, what happened, and the result
    of the word check (never the word)."""

    KIND: ClassVar[str] = "alarm.call"
    MESSAGE: ClassVar[str] = "alarm.call"
    attempt_id: UUID
    contact_id: UUID | None = None
    contact_name: str = ""
    number: str = ""
    outcome: str = ""
    result: str = "none"
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmDuress(AlarmEvent):
    """A contact gave the duress word: the alarm became a priority 1 duress alarm (``original_class``
    is what it was)."""

    KIND: ClassVar[str] = "alarm.duress_word"
    MESSAGE: ClassVar[str] = "alarm.duress_word"
    attempt_id: UUID
    original_class: str = ""
    original_priority: int = 0
    contact_name: str = ""
    by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class TestModeChanged(Event):
    """A site (or one of its transmitters) went into test mode until a time, or came out of it."""

    KIND: ClassVar[str] = "site.test_mode"
    MESSAGE: ClassVar[str] = "site.test_mode"
    site_id: UUID
    client_id: UUID | None
    site_ref: str
    account: str  # "" for the whole site
    until: datetime | None  # None: test mode ended
    by: str
    zones_in_alarm: tuple[str, ...] = ()

    def subjects(self) -> tuple[SubjectRef, ...]:
        return (SubjectRef("site", str(self.site_id)),)

    def site_and_client(self) -> tuple[UUID | None, UUID | None]:
        return self.site_id, self.client_id
