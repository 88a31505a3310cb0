"""Alarms: the work items an alarm receiving centre's operators handle, and the rules that make them.

Signals are many; alarms are few. The rules here turn the events signals carry into alarms: which events
raise one (tests and openings do not), its class and priority, which open alarm a signal joins, what a
restore or a re-arming changes, and when an alarm is back to normal. An alarm then lives
``new -> taken -> settled -> closed``; every transition is a pure function here that refuses what the
rules forbid with an error that says why, and the services record each one in the logbook.

Pure: no I/O, no clock reads (times are passed in).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from tocsin.domain.commands import Command
from tocsin.domain.errors import Conflict, InvalidInput

AlarmState = Literal["new", "taken", "settled", "closed"]
ALARM_STATES: tuple[AlarmState, ...] = ("new", "taken", "settled", "closed")
OPEN_STATES: tuple[AlarmState, ...] = ("new", "taken", "settled")
Outcome = Literal["real", "false"]
OUTCOMES: tuple[Outcome, ...] = ("real", "false")

# The queue's classes, most urgent first. Signal classes map onto them (see :func:`alarm_class_of`);
# the technical ones are told apart because each calls for a different action.
ALARM_CLASS_PRIORITY: dict[str, int] = {
    "duress": 1,
    "panic": 1,
    "hold_up": 1,
    "fire": 2,
    "medical": 3,
    "intrusion": 4,
    "other": 4,
    "tamper": 5,
    "ac_loss": 6,
    "low_battery": 6,
    "technical": 6,
    "link_lost": 7,
    "missed_test": 7,
    "unknown_account": 7,
    "test_ended": 7,
    "supervision": 7,
    # schedules (see domain/schedules.py): a disarming outside hours may be a forced entry
    "opened_outside_hours": 5,
    "failed_to_open": 6,
    "late_to_close": 6,
    # the station itself (services/station.py): its clock, its power, its disk
    "clock_offset": 5,
    "clock_unsynchronised": 6,
    "ups_on_battery": 5,
    "ups_low_battery": 3,
    "ups_unreachable": 6,
    "storage_low": 5,
    "process_silent": 3,
    # camera health (video protection): a camera down or tampered with is a hole in the protection (a
    # recorder's full disk is the station's storage_low, on main since the station branch)
    "camera_down": 6,
    "camera_frozen": 6,
    "camera_tamper": 5,
    # the room itself (docs/room.md): an operator holding alarms who did not answer the dead-man
    "operator_unresponsive": 2,
}
ALARM_CLASSES = tuple(ALARM_CLASS_PRIORITY)
ALWAYS_TOP = frozenset({"duress", "panic", "hold_up"})  # never lowered by any rule
# The room's own alarm panel (an account flagged as the station's): its intrusion and fire alarms go
# above everything, at a priority no rule can give (rules set 1 to 9), so every queue order puts them first.
ROOM_PRIORITY = 0
ROOM_CLASSES = frozenset({"intrusion", "fire"})
LOWEST_PRIORITY = 9
# Seconds an alarm may wait untaken before supervisors are told and it moves up.
ESCALATE_SECONDS: dict[str, int] = {
    "duress": 30,
    "panic": 30,
    "hold_up": 30,
    "fire": 30,
    "medical": 45,
    "intrusion": 60,
    "other": 60,
    "tamper": 120,
    "opened_outside_hours": 120,
}
ESCALATE_TECHNICAL_SECONDS = 300
GROUP_SECONDS = 600  # signals of one site and class within this window are one incident

# Contact ID and SIA codes that single out a technical class.
_AC_LOSS = frozenset({"301", "342", "AT", "AR"})
_LOW_BATTERY = frozenset({"302", "309", "311", "338", "384", "YT", "YR", "XT", "XR"})
_HOLD_UP = frozenset({"122", "HA", "HH"})
_OPENING_CODES = frozenset({"OP", "OR", "OA", "OG"})
_CLOSING_CODES = frozenset({"CL", "CR", "CA", "CG"})


class AlarmHeld(Conflict):
    """Another operator holds this alarm."""


class AlarmChanged(Conflict):
    """The alarm changed between reading and writing it (a concurrent action won)."""


class WrongState(Conflict):
    """The action does not apply to the alarm in its present state."""


def alarm_class_of(event_class: str, code: str) -> str | None:
    """The queue class an event raises, or None for events that never make an alarm (tests, openings
    and closings: they are logged, and feed the missed-test and re-arming rules)."""
    if event_class in ("test", "open_close"):
        return None
    if event_class == "technical":
        if code in _AC_LOSS:
            return "ac_loss"
        if code in _LOW_BATTERY:
            return "low_battery"
        return "technical"
    if event_class == "panic" and code in _HOLD_UP:
        return "hold_up"
    return event_class if event_class in ALARM_CLASS_PRIORITY else "other"


def arming_of(event_class: str, code: str, restore: bool, qualifier: str | None) -> bool | None:
    """True for a closing (the system armed), False for an opening (disarmed), None for other events.

    Contact ID says it with the qualifier on an open/close code (restore = closing); SIA by the code."""
    if event_class != "open_close":
        return None
    if code in _OPENING_CODES:
        return False
    if code in _CLOSING_CODES:
        return True
    if qualifier is not None:
        return qualifier == "restore" or restore
    return None


def nature_of(restore: bool, qualifier: str | None) -> str:
    """What an event reports, in the logbook's words: a new event, a restore or a status."""
    if qualifier == "status":
        return "status"
    return "restore" if restore else "new"


# ---------------------------------------------------------------- rules as data


@dataclass(frozen=True, slots=True)
class AlarmRule:
    """A tenant's setting for a class (``*``: every class), over the tenant, one client or one site.

    A tenant-wide rule replaces the default priority; a client's or a site's may only raise it (a
    bank's intrusion above the tenant's). ``group_seconds`` is the grouping window (tenant-wide)."""

    id: UUID
    tenant_id: UUID
    alarm_class: str
    client_id: UUID | None = None
    site_id: UUID | None = None
    priority: int | None = None
    escalate_seconds: int | None = None
    group_seconds: int | None = None

    def __post_init__(self) -> None:
        if self.alarm_class != "*" and self.alarm_class not in ALARM_CLASS_PRIORITY:
            known = ", ".join(ALARM_CLASSES)
            raise InvalidInput(f"Unknown alarm class {self.alarm_class!r}: use one of {known}, or *.")
        if self.priority is not None and not 1 <= self.priority <= LOWEST_PRIORITY:
            raise InvalidInput(f"A priority is 1 (most urgent) to {LOWEST_PRIORITY}, not {self.priority}.")
        for name in ("escalate_seconds", "group_seconds"):
            value = getattr(self, name)
            if value is not None and not 5 <= value <= 86_400:
                raise InvalidInput(f"{name} must be 5 to 86400 seconds, not {value}.")


@dataclass(frozen=True, slots=True)
class Effective:
    """What the rules say for one class at one site."""

    priority: int
    escalate_seconds: int
    group_seconds: int


def effective(
    rules: Iterable[AlarmRule], alarm_class: str, client_id: UUID | None, site_id: UUID | None
) -> Effective:
    """The priority, escalation limit and grouping window for a class at a site, from the defaults and
    the tenant's rules (tenant-wide rules first, then the client's, then the site's)."""
    priority = ALARM_CLASS_PRIORITY.get(alarm_class, 4)
    escalate = ESCALATE_SECONDS.get(alarm_class, ESCALATE_TECHNICAL_SECONDS)
    group = GROUP_SECONDS
    matching = [
        r
        for r in rules
        if r.alarm_class in ("*", alarm_class)
        and (r.client_id is None or r.client_id == client_id)
        and (r.site_id is None or r.site_id == site_id)
    ]
    matching.sort(key=lambda r: (r.site_id is not None, r.client_id is not None, r.alarm_class != "*"))
    for rule in matching:
        tenant_wide = rule.client_id is None and rule.site_id is None
        if rule.priority is not None:
            priority = rule.priority if tenant_wide else min(priority, rule.priority)
        if rule.escalate_seconds is not None:
            escalate = rule.escalate_seconds
        if rule.group_seconds is not None and tenant_wide:
            group = rule.group_seconds
    if alarm_class in ALWAYS_TOP:
        priority = 1
    return Effective(priority, escalate, group)


@dataclass(frozen=True, slots=True)
class ClosureCode:
    """A "code acquis": a cause an operator settles a common case with, and the note it writes."""

    code: str
    outcome: Outcome
    label_en: str
    label_fr: str
    text_en: str = ""
    text_fr: str = ""


DEFAULT_CLOSURE_CODES: tuple[ClosureCode, ...] = (
    ClosureCode(
        "user-error",
        "false",
        "User error",
        "Erreur d'utilisateur",
        "Keyholder confirmed a handling error with the password.",
        "Le détenteur de clé a confirmé une erreur de manipulation avec le mot de passe.",
    ),
    ClosureCode(
        "equipment",
        "false",
        "Equipment fault",
        "Défaut de matériel",
        "Detector fault; installer to be told.",
        "Défaut de détecteur\u00a0; installateur à prévenir.",
    ),
    ClosureCode("weather", "false", "Weather", "Intempéries", "Storm or wind.", "Orage ou vent."),
    ClosureCode("animal", "false", "Animal", "Animal", "Animal on site.", "Animal sur le site."),
    ClosureCode("unknown", "false", "Unknown cause", "Cause inconnue"),
    ClosureCode("technician", "false", "Technician on site", "Technicien sur site"),
    ClosureCode(
        "intrusion", "real", "Real intrusion", "Intrusion réelle", "Police called.", "Police appelée."
    ),
    ClosureCode("fire", "real", "Real fire", "Incendie réel", "Fire service called.", "Pompiers appelés."),
    ClosureCode("medical", "real", "Medical emergency", "Urgence médicale", "SAMU called.", "SAMU appelé."),
    ClosureCode("assault", "real", "Assault or hold-up", "Agression", "Police called.", "Police appelée."),
    ClosureCode(
        "technical",
        "real",
        "Technical fault",
        "Défaut technique",
        "Maintenance asked.",
        "Maintenance demandée.",
    ),
)


def closure_code(codes: Iterable[ClosureCode], code: str) -> ClosureCode:
    """The closure code named, or a clear error listing the known ones."""
    known = {c.code: c for c in codes}
    found = known.get(code)
    if found is None:
        raise InvalidInput(f"Unknown closure code {code!r}: use one of {', '.join(sorted(known))}.")
    return found


# ---------------------------------------------------------------- the alarm


@dataclass(frozen=True, slots=True)
class Alarm:
    """One incident at one site (or, for a transmitter no site owns, one account) of one class.

    ``zones`` maps each zone heard to ``alarm`` or ``restored``; ``needs_rearm`` is set when the site
    was disarmed after the alarm opened and not armed again. ``version`` goes up with every write, so a
    write made on a stale read (two operators taking at once) is refused."""

    id: UUID
    tenant_id: UUID
    alarm_class: str
    priority: int
    opened_at: datetime
    last_signal_at: datetime
    site_id: UUID | None = None
    client_id: UUID | None = None
    site_ref: str = ""
    site_name: str = ""
    group_key: str = ""
    title_en: str = ""
    title_fr: str = ""
    state: AlarmState = "new"
    version: int = 1
    signal_count: int = 0
    accounts: tuple[str, ...] = ()
    zones: Mapping[str, str] = field(default_factory=dict)
    needs_rearm: bool = False
    normal_at: datetime | None = None
    escalated_at: datetime | None = None
    holder_id: UUID | None = None
    holder_name: str = ""
    taken_at: datetime | None = None
    first_taken_at: datetime | None = None
    settled_at: datetime | None = None
    outcome: str | None = None
    cause: str | None = None
    follow_up_until: datetime | None = None
    closed_at: datetime | None = None
    close_reason: str = ""
    closed_by: str = ""
    reopened: int = 0
    avs_score: int | None = None  # ANSI/TMA-AVS-01, 0-4, once a verification result is recorded

    @property
    def is_open(self) -> bool:
        return self.state != "closed"

    @property
    def back_to_normal(self) -> bool:
        return self.normal_at is not None

    @property
    def seconds_to_take(self) -> float | None:
        """From opening to the first take (EN 50518 reports it)."""
        if self.first_taken_at is None:
            return None
        return (self.first_taken_at - self.opened_at).total_seconds()

    @property
    def seconds_to_settle(self) -> float | None:
        """From opening to the (last) settling."""
        if self.settled_at is None:
            return None
        return (self.settled_at - self.opened_at).total_seconds()


def queue_order(alarm: Alarm) -> tuple[int, int, datetime]:
    """Queue order: unsettled before settled, then priority (1 first), then the oldest first."""
    return (0 if alarm.state in ("new", "taken") else 1, alarm.priority, alarm.opened_at)


def _normal(zones: Mapping[str, str], needs_rearm: bool) -> bool:
    return not needs_rearm and all(state == "restored" for state in zones.values())


def _with_normal(alarm: Alarm, now: datetime) -> Alarm:
    """The alarm with ``normal_at`` set when it just became back to normal, cleared when it no longer is."""
    normal = _normal(alarm.zones, alarm.needs_rearm)
    if normal and alarm.normal_at is None:
        return dataclasses.replace(alarm, normal_at=now)
    if not normal and alarm.normal_at is not None:
        return dataclasses.replace(alarm, normal_at=None)
    return alarm


@dataclass(frozen=True, slots=True)
class Happening:
    """One event as the rules see it (a decoded signal event, or a technical condition)."""

    at: datetime
    alarm_class: str
    account: str
    zone: str
    label_en: str
    label_fr: str
    code: str = ""
    restore: bool = False


def open_alarm(
    alarm_id: UUID,
    tenant_id: UUID,
    happening: Happening,
    rule: Effective,
    *,
    site_id: UUID | None,
    client_id: UUID | None,
    site_ref: str,
    site_name: str,
    group_key: str,
) -> Alarm:
    """A new alarm for an event that joins none."""
    zone_part = f", zone {happening.zone}" if happening.zone not in ("", "000") else ""
    zone_part_fr = f", zone {happening.zone}" if zone_part else ""
    alarm = Alarm(
        id=alarm_id,
        tenant_id=tenant_id,
        alarm_class=happening.alarm_class,
        priority=rule.priority,
        opened_at=happening.at,
        last_signal_at=happening.at,
        site_id=site_id,
        client_id=client_id,
        site_ref=site_ref,
        site_name=site_name,
        group_key=group_key,
        title_en=f"{happening.label_en}{zone_part}"[:200],
        title_fr=f"{happening.label_fr}{zone_part_fr}"[:200],
        signal_count=1,
        accounts=(happening.account,) if happening.account else (),
        zones={happening.zone: "alarm"} if happening.zone else {},
    )
    return _with_normal(alarm, happening.at)


def joins(alarm: Alarm, happening: Happening, rule: Effective) -> bool:
    """Whether an event belongs to this alarm: same class, and the alarm is unsettled, or settled and
    last heard within the grouping window (the event then re-opens it). Closed alarms take nothing."""
    if alarm.state == "closed" or alarm.alarm_class != happening.alarm_class:
        return False
    if alarm.state in ("new", "taken"):
        return True
    return happening.at - alarm.last_signal_at <= timedelta(seconds=rule.group_seconds)


def add_event(alarm: Alarm, happening: Happening, rule: Effective) -> Alarm:
    """An alarm event joined the alarm: count it, raise the priority if its class now asks for more,
    set its zone in alarm, and re-open a settled alarm."""
    accounts = alarm.accounts
    if happening.account and happening.account not in accounts:
        accounts = (*accounts, happening.account)[:20]
    zones = dict(alarm.zones)
    if happening.zone:
        zones[happening.zone] = "alarm"
    changed = dataclasses.replace(
        alarm,
        signal_count=alarm.signal_count + 1,
        last_signal_at=max(alarm.last_signal_at, happening.at),
        priority=min(alarm.priority, rule.priority),
        accounts=accounts,
        zones=zones,
    )
    if changed.state == "settled":
        changed = reopen(changed)
    return _with_normal(changed, happening.at)


def restore_zone(alarm: Alarm, zone: str, at: datetime) -> Alarm:
    """A restore for a zone of this alarm: the zone is restored (counted as one more signal)."""
    zones = dict(alarm.zones)
    if zone in zones:
        zones[zone] = "restored"
    changed = dataclasses.replace(
        alarm, zones=zones, signal_count=alarm.signal_count + 1, last_signal_at=max(alarm.last_signal_at, at)
    )
    return _with_normal(changed, at)


def set_armed(alarm: Alarm, armed: bool, at: datetime) -> Alarm:
    """The site was armed (closing) or disarmed (opening) while this alarm was open."""
    return _with_normal(dataclasses.replace(alarm, needs_rearm=not armed), at)


def reopen(alarm: Alarm) -> Alarm:
    """A settled alarm goes back to the queue, untaken (a new signal, or its follow-up time came)."""
    return dataclasses.replace(
        alarm,
        state="new",
        holder_id=None,
        holder_name="",
        taken_at=None,
        reopened=alarm.reopened + 1,
        escalated_at=None,
    )


def may_close_by_itself(alarm: Alarm, now: datetime) -> bool:
    """A settled alarm that is back to normal closes by itself, unless a follow-up keeps it open."""
    return (
        alarm.state == "settled"
        and alarm.back_to_normal
        and (alarm.follow_up_until is None or alarm.follow_up_until <= now)
    )


# ---------------------------------------------------------------- operators' actions


def _held_by_other(alarm: Alarm, user_id: UUID) -> AlarmHeld:
    return AlarmHeld(
        f"{alarm.holder_name or 'Another operator'} holds this alarm: ask them or a supervisor to release it."
    )


def take(alarm: Alarm, user_id: UUID, name: str, now: datetime, *, supervisor: bool = False) -> Alarm:
    """The operator takes the alarm (a supervisor may take it over from another operator)."""
    if alarm.state == "taken" and alarm.holder_id == user_id:
        return alarm
    if alarm.state == "taken" and not supervisor:
        raise _held_by_other(alarm, user_id)
    if alarm.state not in ("new", "taken"):
        raise WrongState(f"This alarm is {alarm.state}: only a new alarm can be taken.")
    return dataclasses.replace(
        alarm,
        state="taken",
        holder_id=user_id,
        holder_name=name,
        taken_at=now,
        first_taken_at=alarm.first_taken_at or now,
    )


def release(alarm: Alarm, user_id: UUID, *, supervisor: bool = False) -> Alarm:
    """The holder (or a supervisor) puts the alarm back in the queue."""
    if alarm.state != "taken":
        raise WrongState(f"This alarm is {alarm.state}: only a taken alarm can be released.")
    if alarm.holder_id != user_id and not supervisor:
        raise _held_by_other(alarm, user_id)
    return dataclasses.replace(alarm, state="new", holder_id=None, holder_name="", taken_at=None)


def settle(
    alarm: Alarm,
    user_id: UUID,
    name: str,
    now: datetime,
    *,
    outcome: str | None,
    cause: ClosureCode,
    follow_up_until: datetime | None = None,
    supervisor: bool = False,
) -> Alarm:
    """The operator settles the alarm (acquitter): real or false, with a cause. A new alarm is taken in
    the same act; one someone else holds is refused."""
    if outcome not in OUTCOMES:
        raise InvalidInput("Settling needs an outcome: real or false.")
    if cause.outcome != outcome:
        raise InvalidInput(
            f"The cause {cause.code!r} is for {cause.outcome} alarms, and this one is settled as {outcome}."
        )
    if follow_up_until is not None and follow_up_until <= now:
        raise InvalidInput("A follow-up time must be in the future.")
    if alarm.state in ("settled", "closed"):
        raise WrongState(f"This alarm is already {alarm.state}.")
    held = take(alarm, user_id, name, now, supervisor=supervisor)
    return dataclasses.replace(
        held,
        state="settled",
        settled_at=now,
        outcome=outcome,
        cause=cause.code,
        follow_up_until=follow_up_until,
    )


def close(alarm: Alarm, by: str, now: datetime, *, reason: str = "", supervisor: bool = False) -> Alarm:
    """Close the alarm: a settled alarm back to normal by anyone handling alarms; any open alarm by a
    supervisor who gives a reason."""
    if alarm.state == "closed":
        raise WrongState("This alarm is already closed.")
    reason = reason.strip()
    if alarm.state == "settled" and alarm.back_to_normal:
        return dataclasses.replace(
            alarm, state="closed", closed_at=now, close_reason=reason or "back to normal", closed_by=by
        )
    if not supervisor:
        raise WrongState(
            "This alarm is not settled and back to normal: only a supervisor can close it, with a reason."
        )
    if not reason:
        raise InvalidInput("Closing an alarm that is not back to normal needs a reason.")
    return dataclasses.replace(alarm, state="closed", closed_at=now, close_reason=reason[:500], closed_by=by)


def escalate(alarm: Alarm, now: datetime) -> Alarm | None:
    """An alarm still untaken past its class's limit moves up one priority; None if it was taken."""
    if alarm.state != "new" or alarm.escalated_at is not None:
        return None
    priority = alarm.priority if alarm.priority <= 1 else alarm.priority - 1  # the room's 0 stays 0
    return dataclasses.replace(alarm, escalated_at=now, priority=priority)


# ---------------------------------------------------------------- what an alarm is made of, and the site


@dataclass(frozen=True, slots=True)
class AlarmSignal:
    """One event in an alarm's history: a signal's event (``signal_id``) or a technical condition."""

    id: UUID
    alarm_id: UUID
    tenant_id: UUID
    at: datetime
    signal_id: UUID | None = None
    account: str = ""
    code: str = ""
    zone: str = ""
    label_en: str = ""
    label_fr: str = ""
    nature: str = "new"  # new, restore, status (see :func:`nature_of`)


@dataclass(frozen=True, slots=True)
class SiteStatus:
    """What the signals say of a site now: armed or not, each zone's state, and test mode.

    ``zones`` maps a zone to ``{"state": "alarm"|"normal", "class": ..., "at": iso time}``."""

    site_id: UUID
    tenant_id: UUID
    armed: bool | None = None
    armed_at: datetime | None = None
    zones: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    test_until: datetime | None = None
    test_account: str = ""  # "" = the whole site
    test_by: str = ""
    version: int = 0  # as read from the store; 0: not stored yet

    def in_test(self, account: str, at: datetime) -> bool:
        """Whether an event from this transmitter at this time falls in the site's test mode."""
        if self.test_until is None or at >= self.test_until:
            return False
        return self.test_account in ("", account)

    def zones_in_alarm(self) -> tuple[str, ...]:
        return tuple(sorted(z for z, s in self.zones.items() if s.get("state") == "alarm"))


def zone_heard(status: SiteStatus, zone: str, alarm_class: str, restore: bool, at: datetime) -> SiteStatus:
    """The site's zone states after an alarm event or a restore on one zone."""
    if not zone:
        return status
    zones = dict(status.zones)
    zones[zone] = {"state": "normal" if restore else "alarm", "class": alarm_class, "at": at.isoformat()}
    if len(zones) > 1000:  # a panel cannot grow a row without bound
        return status
    return dataclasses.replace(status, zones=zones)


# ---------------------------------------------------------------- commands


@dataclass(frozen=True, slots=True)
class AlarmCommand(Command):
    """Base of the commands on one alarm: who acts, and whether they supervise the room."""

    alarm_id: UUID
    user_id: UUID
    name: str
    supervisor: bool = False


@dataclass(frozen=True, slots=True)
class TakeAlarm(AlarmCommand):
    """Take the alarm (a supervisor may take over one another operator holds)."""


@dataclass(frozen=True, slots=True)
class ReleaseAlarm(AlarmCommand):
    """Put a taken alarm back in the queue."""


@dataclass(frozen=True, slots=True)
class SettleAlarm(AlarmCommand):
    """Settle the alarm with an outcome and a closure code, and a note (the code's text if empty)."""

    outcome: str | None = None
    cause: str = ""
    note: str = ""
    follow_up_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class CloseAlarm(AlarmCommand):
    """Close a settled alarm back to normal, or (a supervisor) any open alarm with a reason."""

    reason: str = ""


@dataclass(frozen=True, slots=True)
class NoteAlarm(AlarmCommand):
    """Write a note on the alarm, in the logbook. A note a console kept while the server was away carries
    the key the console gave it (written once, however often it is sent) and the time it was typed."""

    text: str = ""
    client_key: UUID | None = None
    typed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SetTestMode(Command):
    """Put a site (or one of its transmitters) in test mode until a time; ``until`` None ends it."""

    site_id: UUID
    until: datetime | None
    by: str
    account: str = ""


@dataclass(frozen=True, slots=True)
class SetAlarmRule(Command):
    """Set a tenant's rule for a class (over the tenant, a client or a site)."""

    tenant_id: UUID
    alarm_class: str
    client_id: UUID | None = None
    site_id: UUID | None = None
    priority: int | None = None
    escalate_seconds: int | None = None
    group_seconds: int | None = None
