"""The rules that turn stored signals into alarms, run by the signal processor in the transaction that
writes the signals' logbook entries (never on the path that acknowledges).

For each batch of signals, per tenant: the open alarms of the sites concerned are read once (locked),
the rules of :mod:`tocsin.domain.alarms` applied to every event in order, and the alarms, their
histories, the sites' statuses and one logbook entry per alarm touched are written together.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from tocsin.domain import alarms as a
from tocsin.domain.deadlines import Deadline
from tocsin.domain.events import (
    AlarmClosed,
    AlarmEvent,
    AlarmOpened,
    AlarmReopened,
    AlarmUpdated,
    Event,
)
from tocsin.domain.sites import Site
from tocsin.services import schedule_rules
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import UnitOfWork

ACTOR = "rules"
ESCALATE = "alarm.escalate"  # deadline kinds
FOLLOW_UP = "alarm.follow_up"
TEST_DUE = "account.test_due"
TEST_MODE_END = "site.test_mode_end"
CACHE_SECONDS = 30.0
CACHE_SIZE = 20_000
TEST_GRACE = 0.1  # a periodic test may come this share of its interval late before it is missed


class StoredSignal(Protocol):
    """What the rules read of a stored signal (a :class:`~tocsin.domain.signals.Signal` or a
    :class:`~tocsin.domain.signals.PendingSignal`)."""

    @property
    def id(self) -> UUID: ...
    @property
    def tenant_id(self) -> UUID | None: ...
    @property
    def site_id(self) -> UUID | None: ...
    @property
    def account_number(self) -> str | None: ...
    @property
    def occurred_at(self) -> datetime | None: ...
    @property
    def problem(self) -> str | None: ...
    @property
    def events(self) -> Sequence[Mapping[str, Any]]: ...


class Directory:
    """Sites and transmitters the rules look up for every signal, cached a while (bounded)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._sites: dict[UUID, tuple[float, Site | None]] = {}
        self._tests: dict[tuple[UUID, str], tuple[float, tuple[UUID, int] | None]] = {}
        self._stations: tuple[float, frozenset[tuple[UUID, str]]] | None = None
        self._tenants: tuple[float, list[UUID]] | None = None
        # Open alarms as the last batches wrote them (each at its version): a batch reads again whole
        # only those someone else changed since. Kept only by the signal processor (see remember).
        self.alarms: dict[UUID, a.Alarm] = {}

    def remember(self, plan: Plan) -> None:
        """A plan was written: its alarms are now stored as it made them (a save raised the version)."""
        if len(self.alarms) + len(plan.added) + len(plan.saved) >= CACHE_SIZE:
            self.alarms.clear()
        for alarm in plan.added:
            self.alarms[alarm.id] = alarm
        for alarm in plan.saved:
            if alarm.state == "closed":
                self.alarms.pop(alarm.id, None)
            else:
                self.alarms[alarm.id] = dataclasses.replace(alarm, version=alarm.version + 1)

    def forget_alarms(self) -> None:
        """What was written is unknown (a failed or redone batch): read every alarm whole again."""
        self.alarms.clear()

    def _fresh(self, cached: tuple[float, Any] | None) -> bool:
        return cached is not None and self._clock.monotonic() < cached[0]

    def _until(self) -> float:
        return self._clock.monotonic() + CACHE_SECONDS

    def prefetch(self, uow: UnitOfWork, site_ids: Iterable[UUID]) -> None:
        """Read in one query the sites of a batch that are not cached (a storm outlives the cache)."""
        missing = [s for s in set(site_ids) if not self._fresh(self._sites.get(s))]
        if not missing:
            return
        if len(self._sites) + len(missing) >= CACHE_SIZE:
            self._sites.clear()
        found = {site.id: site for site in uow.sites.get_many(missing)}
        until = self._until()
        for site_id in missing:
            self._sites[site_id] = (until, found.get(site_id))

    def site(self, uow: UnitOfWork, site_id: UUID) -> Site | None:
        cached = self._sites.get(site_id)
        if cached is not None and self._fresh(cached):
            return cached[1]
        if len(self._sites) >= CACHE_SIZE:
            self._sites.clear()
        site = uow.sites.get(site_id)
        self._sites[site_id] = (self._until(), site)
        return site

    def test_interval(self, uow: UnitOfWork, site_id: UUID, number: str) -> tuple[UUID, int] | None:
        """The transmitter's id and its periodic test interval in seconds, if it has one."""
        key = (site_id, number)
        cached = self._tests.get(key)
        if cached is not None and self._fresh(cached):
            return cached[1]
        if len(self._tests) >= CACHE_SIZE:
            self._tests.clear()
        found = None
        for account in uow.accounts.find(site_id=site_id, number=number):
            if account.test_seconds:
                found = (account.id, account.test_seconds)
        self._tests[key] = (self._until(), found)
        return found

    def is_station(self, uow: UnitOfWork, site_id: UUID, number: str) -> bool:
        """Whether the transmitter is the room's own alarm panel (docs/room.md). The flagged accounts
        (a room has one or two) are read in one query, again every 30 seconds, never one per signal."""
        if self._stations is None or not self._fresh(self._stations):
            flagged = uow.accounts.find(station=True)[:CACHE_SIZE]
            self._stations = (self._until(), frozenset((x.site_id, x.number) for x in flagged))
        return (site_id, number) in self._stations[1]

    def only_tenant(self, uow: UnitOfWork) -> UUID | None:
        """The node's tenant when it has exactly one (a frame no account owns is then its alarm)."""
        if self._tenants is None or not self._fresh(self._tenants):
            self._tenants = (self._until(), [t.id for t in uow.tenants.find()][:2])
        tenants = self._tenants[1]
        return tenants[0] if len(tenants) == 1 else None


def snapshot(alarm: a.Alarm) -> dict[str, Any]:
    """The alarm's fields every alarm entry carries."""
    return {
        "tenant_id": alarm.tenant_id,
        "alarm_id": alarm.id,
        "site_id": alarm.site_id,
        "client_id": alarm.client_id,
        "site_ref": alarm.site_ref,
        "site_name": alarm.site_name,
        "alarm_class": alarm.alarm_class,
        "priority": alarm.priority,
        "state": alarm.state,
        "signal_count": alarm.signal_count,
        "holder": alarm.holder_name,
        "title_en": alarm.title_en,
        "title_fr": alarm.title_fr,
        "opened_at": alarm.opened_at,
        "escalated": alarm.escalated_at is not None,
        "back_to_normal": alarm.back_to_normal,
        "avs_score": alarm.avs_score,
    }


def entry(kind: type[AlarmEvent], alarm: a.Alarm, **extra: Any) -> AlarmEvent:
    """An alarm event of ``kind`` carrying the alarm as it now stands."""
    return kind(**snapshot(alarm), **extra)


EntryEvents = list[tuple[Event, str, datetime | None]]


@dataclass
class Plan:
    """What the rules decided for a batch of signals: the writes to make and the entries to record.

    Decided on what a read showed (outside the write transaction, so the receiver's commits do not wait
    behind the rules), then written with :meth:`write`, which refuses a plan made on a stale read: every
    alarm and every site's status is saved only at the version it was read with."""

    added: list[a.Alarm] = field(default_factory=list)
    saved: list[a.Alarm] = field(default_factory=list)
    history: list[a.AlarmSignal] = field(default_factory=list)
    statuses: list[a.SiteStatus] = field(default_factory=list)
    new_deadlines: list[Deadline] = field(default_factory=list)  # fresh keys (new alarms' escalations)
    to_arm: list[Deadline] = field(default_factory=list)  # added or moved
    to_cancel: list[tuple[str, str]] = field(default_factory=list)
    events: EntryEvents = field(default_factory=list)
    alarm_of: dict[tuple[UUID, int], UUID] = field(default_factory=dict)  # (signal, event index): alarm

    def extend(self, other: Plan) -> None:
        self.alarm_of.update(other.alarm_of)
        for name in (
            "added",
            "saved",
            "history",
            "statuses",
            "new_deadlines",
            "to_arm",
            "to_cancel",
            "events",
        ):
            getattr(self, name).extend(getattr(other, name))

    def write(self, uow: UnitOfWork) -> None:
        """Make the plan's writes in the caller's transaction;
        :class:`~tocsin.domain.alarms.AlarmChanged` if what it was decided on changed since."""
        if self.added:
            uow.alarms.add(self.added)
        if self.saved:
            uow.alarms.save(self.saved)
        if self.history:
            uow.alarms.link(self.history)
        if self.statuses:  # each at the version read: one changed since is refused (AlarmChanged)
            uow.alarms.put_statuses(self.statuses)
        uow.deadlines.add_new(self.new_deadlines)
        for deadline in self.to_arm:
            uow.deadlines.arm(deadline)
        for kind, key in self.to_cancel:
            uow.deadlines.cancel(kind, key)


@dataclass
class _Touched:
    """An alarm as read and as it ends the batch."""

    before: a.Alarm | None  # None: opened in this batch
    now: a.Alarm
    added: int = 0
    restored: list[str] = field(default_factory=list)
    reopened: bool = False


@dataclass
class _Batch:
    """One tenant's share of a batch of signals, while the rules apply."""

    uow: UnitOfWork
    tenant_id: UUID
    rules: list[a.AlarmRule]
    directory: Directory
    now: datetime
    touched: dict[UUID, _Touched] = field(default_factory=dict)
    by_place: dict[tuple[UUID | None, str], list[UUID]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[UUID, a.SiteStatus] = field(default_factory=dict)
    changed_statuses: set[UUID] = field(default_factory=set)
    history: list[a.AlarmSignal] = field(default_factory=list)
    new_deadlines: list[Deadline] = field(default_factory=list)  # new alarms' escalations (fresh keys)
    to_arm: list[Deadline] = field(default_factory=list)
    alarm_of: dict[tuple[UUID, int], UUID] = field(default_factory=dict)
    event_index: int = 0  # the index, in its signal, of the event the rules are applying

    def load(
        self,
        site_ids: set[UUID],
        group_keys: set[str],
        site_classes: set[str] | None = None,
        whole_sites: set[UUID] | None = None,
        *,
        lock: bool = True,
    ) -> None:
        """Read the open alarms the batch may touch: of its sites, those of the classes its events
        raise or restore (every one on a site armed or disarmed), and the site-less ones of its keys."""
        found = self.uow.alarms.open_for(
            self.tenant_id,
            site_ids,
            group_keys,
            site_classes=site_classes,
            whole_sites=whole_sites or (),
            lock=lock,
            known=None if lock else self.directory.alarms,
        )
        for alarm in found:
            self.touched[alarm.id] = _Touched(before=alarm, now=alarm)
            self.by_place[(alarm.site_id, alarm.group_key)].append(alarm.id)
        self.statuses = self.uow.alarms.statuses(site_ids)

    def status(self, site_id: UUID) -> a.SiteStatus:
        found = self.statuses.get(site_id)
        if found is None:
            found = self.statuses[site_id] = a.SiteStatus(site_id=site_id, tenant_id=self.tenant_id)
        return found

    def set_status(self, status: a.SiteStatus) -> None:
        self.statuses[status.site_id] = status
        self.changed_statuses.add(status.site_id)

    def open_on(self, site_id: UUID | None, group_key: str) -> list[_Touched]:
        return [self.touched[i] for i in self.by_place.get((site_id, group_key), ())]

    def on_site(self, site_id: UUID) -> list[_Touched]:
        return [
            t
            for (site, _key), ids in self.by_place.items()
            if site == site_id
            for t in map(self.touched.get, ids)
            if t
        ]

    def record(
        self, alarm_id: UUID, at: datetime, signal_id: UUID | None, happening: a.Happening, nature: str
    ) -> None:
        if signal_id is not None:
            self.alarm_of[(signal_id, self.event_index)] = alarm_id
        self.history.append(
            a.AlarmSignal(
                id=self.uow.clock.new_id(),
                alarm_id=alarm_id,
                tenant_id=self.tenant_id,
                at=at,
                signal_id=signal_id,
                account=happening.account,
                code=happening.code,
                zone=happening.zone,
                label_en=happening.label_en,
                label_fr=happening.label_fr,
                nature=nature,
            )
        )

    def raise_alarm(
        self,
        happening: a.Happening,
        *,
        site: Site | None,
        group_key: str,
        signal_id: UUID | None,
        room: bool = False,
    ) -> _Touched:
        """Join the event to an open alarm of its place and class, or open one (``room``: the room's own
        panel's intrusion or fire, above everything)."""
        site_id = None if site is None else site.id
        client_id = None if site is None else site.client_id
        rule = a.effective(self.rules, happening.alarm_class, client_id, site_id)
        if room:
            rule = dataclasses.replace(rule, priority=a.ROOM_PRIORITY)
        for touched in self.open_on(site_id, group_key):
            if a.joins(touched.now, happening, rule):
                was_settled = touched.now.state == "settled"
                touched.now = a.add_event(touched.now, happening, rule)
                touched.added += 1
                touched.reopened = touched.reopened or (was_settled and touched.now.state == "new")
                if touched.reopened:
                    self.arm_escalation(touched.now, rule)
                self.record(touched.now.id, happening.at, signal_id, happening, "new")
                return touched
        alarm = a.open_alarm(
            self.uow.clock.new_id(),
            self.tenant_id,
            happening,
            rule,
            site_id=site_id,
            client_id=client_id,
            site_ref="" if site is None else site.ref,
            site_name="" if site is None else site.name,
            group_key=group_key,
        )
        touched = self.touched[alarm.id] = _Touched(before=None, now=alarm, added=1)
        self.by_place[(site_id, group_key)].append(alarm.id)
        self.new_deadlines.append(
            Deadline(
                id=self.uow.clock.new_id(),
                kind=ESCALATE,
                key=str(alarm.id),
                due_at=alarm.opened_at + timedelta(seconds=rule.escalate_seconds),
                tenant_id=alarm.tenant_id,
            )
        )
        self.record(alarm.id, happening.at, signal_id, happening, "new")
        return touched

    def arm_escalation(self, alarm: a.Alarm, rule: a.Effective) -> None:
        """A re-opened alarm waits for an operator again: its escalation is armed from now."""
        due = max(alarm.last_signal_at, self.now)
        self.arm(ESCALATE, str(alarm.id), due + timedelta(seconds=rule.escalate_seconds))

    def arm(self, kind: str, key: str, due_at: datetime, payload: dict[str, Any] | None = None) -> None:
        """A deadline to arm (or move) when the plan is written."""
        self.to_arm.append(
            Deadline(
                id=self.uow.clock.new_id(),
                kind=kind,
                key=key,
                due_at=due_at,
                tenant_id=self.tenant_id,
                payload=dict(payload or {}),
            )
        )

    def finish(self) -> list[tuple[Event, str, datetime | None]]:
        """Close what came back to normal, write everything, and return the entries to record."""
        plan = self.decide()
        plan.write(self.uow)
        return plan.events

    def decide(self) -> Plan:
        """Close what came back to normal; the writes and the entries, as a plan (nothing written)."""
        plan = Plan(history=self.history, to_arm=self.to_arm, alarm_of=self.alarm_of)
        added, saved, closed = plan.added, plan.saved, set()
        events = plan.events
        for touched in self.touched.values():
            alarm = touched.now
            if touched.before is not None and alarm == touched.before:
                continue
            closing = a.may_close_by_itself(alarm, self.now)
            if closing:
                alarm = touched.now = a.close(alarm, ACTOR, self.now)
                closed.add(str(alarm.id))
            if touched.before is None:
                added.append(alarm)
                events.append((entry(AlarmOpened, alarm), ACTOR, None))
            else:
                saved.append(alarm)
                if touched.reopened:
                    events.append((entry(AlarmReopened, alarm, why="signal"), ACTOR, None))
                elif touched.restored or _changed_for_the_room(touched.before, alarm):
                    restored = tuple(touched.restored)
                    events.append(
                        (
                            entry(AlarmUpdated, alarm, added=touched.added, restored_zones=restored),
                            ACTOR,
                            None,
                        )
                    )
            if closing:
                events.append((entry(AlarmClosed, alarm, reason=alarm.close_reason, by=ACTOR), ACTOR, None))
                plan.to_cancel.append((FOLLOW_UP, str(alarm.id)))
        plan.new_deadlines = [d for d in self.new_deadlines if d.key not in closed]
        plan.statuses = [self.statuses[s] for s in self.changed_statuses]
        return plan


def _changed_for_the_room(before: a.Alarm, after: a.Alarm) -> bool:
    """Whether an alarm changed beyond the signals that joined it (each signal's own entry names its
    alarm, so a join alone needs no entry of the alarm's): its priority, its re-arming, back to normal."""
    return (
        before.priority != after.priority
        or before.needs_rearm != after.needs_rearm
        or before.back_to_normal != after.back_to_normal
    )


def _happening_time(signal: StoredSignal, now: datetime) -> datetime:
    """When the room heard the signal: its reception time (the panel's own clock may be off)."""
    received = getattr(signal, "received_at", None)
    return received if isinstance(received, datetime) else now


def decide_signals(
    uow: UnitOfWork, signals: Iterable[StoredSignal], directory: Directory, *, lock: bool = True
) -> Plan:
    """What the alarm rules make of stored signals (in order): a plan, nothing written yet. Made in a
    read transaction, the alarms read are not locked (``lock=False``): the plan's saves check them."""
    now = uow.clock.now()
    by_tenant: dict[UUID, list[StoredSignal]] = defaultdict(list)
    for signal in signals:
        tenant_id = signal.tenant_id
        if tenant_id is None and signal.problem is not None:
            tenant_id = directory.only_tenant(uow)
        if tenant_id is not None:
            by_tenant[tenant_id].append(signal)
    plan = Plan()
    for tenant_id, tenant_signals in by_tenant.items():
        batch = _Batch(uow, tenant_id, uow.alarms.rules(tenant_id), directory, now)
        site_ids = {s.site_id for s in tenant_signals if s.site_id is not None}
        keys = {_orphan_key(s) for s in tenant_signals if s.site_id is None or s.problem is not None}
        keys |= {f"deleted-site:{s.account_number or '?'}" for s in tenant_signals if s.site_id is not None}
        directory.prefetch(uow, site_ids)
        classes, whole_sites = _reach(tenant_signals)
        batch.load(site_ids, keys, classes, whole_sites, lock=lock)
        for signal in tenant_signals:
            _apply_one(batch, signal)
        plan.extend(batch.decide())
    return plan


def _reach(signals: Iterable[StoredSignal]) -> tuple[set[str], set[UUID]]:
    """The alarm classes these signals' events raise or restore, and the sites they arm or disarm."""
    classes: set[str] = set()
    whole_sites: set[UUID] = set()
    for signal in signals:
        for event in signal.events:
            code, event_class = str(event.get("code", "")), str(event.get("class", "other"))
            qualifier = event.get("qualifier")
            restore = bool(event.get("restore", False))
            if signal.site_id is not None and a.arming_of(event_class, code, restore, qualifier) is not None:
                whole_sites.add(signal.site_id)
            alarm_class = a.alarm_class_of(event_class, code)
            if alarm_class is not None:
                classes.add(alarm_class)
    return classes, whole_sites


def _orphan_key(signal: StoredSignal) -> str:
    return f"unknown_account:{signal.account_number or '?'}"


def _apply_one(batch: _Batch, signal: StoredSignal) -> None:
    at = _happening_time(signal, batch.now)
    batch.event_index = 0
    account = signal.account_number or "?"
    if signal.problem is not None and (signal.tenant_id is None or not signal.events):
        happening = a.Happening(
            at,
            "unknown_account",
            account,
            "",
            f"Frame not taken: {signal.problem}"[:150],
            f"Trame non prise en compte\u00a0: {signal.problem}"[:150],
        )
        batch.raise_alarm(happening, site=None, group_key=_orphan_key(signal), signal_id=signal.id)
        return
    site = None if signal.site_id is None else batch.directory.site(batch.uow, signal.site_id)
    if site is None:
        happening = a.Happening(
            at,
            "technical",
            account,
            "",
            f"Signal for a site no longer registered (#{account})",
            f"Signal d'un site qui n'est plus enregistré (#{account})",
        )
        group = f"deleted-site:{account}"
        batch.raise_alarm(happening, site=None, group_key=group, signal_id=signal.id)
        return
    for index, event in enumerate(signal.events):
        batch.event_index = index
        _apply_event(batch, signal, site, event, at)


def _apply_event(
    batch: _Batch, signal: StoredSignal, site: Site, event: Mapping[str, Any], at: datetime
) -> None:
    code = str(event.get("code", ""))
    event_class = str(event.get("class", "other"))
    restore = bool(event.get("restore", False))
    qualifier = event.get("qualifier")
    qualifier = None if qualifier is None else str(qualifier)
    account = signal.account_number or "?"
    zone = str(event.get("zone", ""))
    status = batch.status(site.id)
    armed = a.arming_of(event_class, code, restore, qualifier)
    if armed is not None:
        batch.set_status(dataclasses.replace(status, armed=armed, armed_at=at))
        for touched in batch.on_site(site.id):
            if touched.now.state != "closed":
                touched.now = a.set_armed(touched.now, armed, at)
        _outside_hours(batch, signal, site, status, armed, at)
        return
    if event_class == "test":
        _test_heard(batch, site, account, at)
        return
    alarm_class = a.alarm_class_of(event_class, code)
    if alarm_class is None:
        return
    batch.set_status(a.zone_heard(status, zone, alarm_class, restore, at))
    if status.in_test(account, at):
        return  # a technician on site: logged, not alarmed
    happening = a.Happening(
        at,
        alarm_class,
        account,
        zone,
        str(event.get("label_en", "")),
        str(event.get("label_fr", "")),
        code,
        restore,
    )
    if restore:
        for touched in batch.open_on(site.id, alarm_class):
            if touched.now.zones.get(zone) == "alarm":
                touched.now = a.restore_zone(touched.now, zone, at)
                touched.restored.append(zone)
                batch.record(touched.now.id, at, signal.id, happening, a.nature_of(True, qualifier))
                return
        return
    room = alarm_class in a.ROOM_CLASSES and batch.directory.is_station(batch.uow, site.id, account)
    batch.raise_alarm(happening, site=site, group_key=alarm_class, signal_id=signal.id, room=room)


def _outside_hours(  # noqa: PLR0917 - the hook's context
    batch: _Batch, signal: StoredSignal, site: Site, status: a.SiteStatus, armed: bool, at: datetime
) -> None:
    """Schedules: a disarming outside the site's hours raises an alarm (see services/schedule_rules.py)."""
    account = signal.account_number or "?"
    if armed or site.schedule_id is None or status.in_test(account, at):
        return
    outside = schedule_rules.outside_hours(batch.uow, site, account, at)
    if outside is not None:
        raised = batch.raise_alarm(outside, site=site, group_key=outside.alarm_class, signal_id=signal.id)
        raised.now = a.set_armed(raised.now, armed, at)


def _test_heard(batch: _Batch, site: Site, account: str, at: datetime) -> None:
    """A periodic test came: the next one is due within the transmitter's interval (and a grace)."""
    found = batch.directory.test_interval(batch.uow, site.id, account)
    if found is None:
        return
    account_id, seconds = found
    batch.arm(
        TEST_DUE,
        str(account_id),
        at + timedelta(seconds=seconds * (1 + TEST_GRACE)),
        {"site_id": str(site.id), "account": account, "interval": seconds},
    )


def raise_technical(
    uow: UnitOfWork,
    tenant_id: UUID,
    site_id: UUID | None,
    happening: a.Happening,
    directory: Directory | None = None,
) -> list[AlarmEvent]:
    """Raise a technical alarm outside the signal path (link lost, missed test, end of test mode), with
    the same grouping; record its entries and return them."""
    directory = directory or Directory(uow.clock)
    batch = _Batch(uow, tenant_id, uow.alarms.rules(tenant_id), directory, uow.clock.now())
    site = None if site_id is None else directory.site(uow, site_id)
    key = happening.alarm_class if site is not None else f"{happening.alarm_class}:{happening.account}"
    batch.load(set() if site is None else {site.id}, {key}, {key})
    batch.raise_alarm(happening, site=site, group_key=key, signal_id=None)
    events = batch.finish()
    uow.record_many(events)
    return [e for e, _actor, _at in events if isinstance(e, AlarmEvent)]


def restore_technical(  # noqa: PLR0917 - the fields of one restore
    uow: UnitOfWork,
    tenant_id: UUID,
    alarm_class: str,
    account: str,
    zone: str,
    at: datetime,
    *,
    site_id: UUID | None = None,
    labels: tuple[str, str] = ("Back to normal", "Retour à la normale"),
) -> list[AlarmEvent]:
    """A technical condition ended: its open alarm's zone is restored, so the alarm is back to normal
    once every zone is (and closes if it was settled). A site's condition (``site_id``: a camera back)
    restores the site's alarm of the class, grouped as :func:`raise_technical` grouped it; one with no site
    (the station's clock, power, disk) the alarm of its class and account. Nothing open: nothing."""
    directory = Directory(uow.clock)
    batch = _Batch(uow, tenant_id, uow.alarms.rules(tenant_id), directory, uow.clock.now())
    site = None if site_id is None else directory.site(uow, site_id)
    key = alarm_class if site is not None else f"{alarm_class}:{account}"
    place = None if site is None else site.id
    batch.load(set() if site is None else {site.id}, {key}, {key})
    happening = a.Happening(at, alarm_class, account, zone, labels[0], labels[1], restore=True)
    for touched in batch.open_on(place, key):
        if touched.now.zones.get(zone) == "alarm":
            touched.now = a.restore_zone(touched.now, zone, at)
            touched.restored.append(zone)
            batch.record(touched.now.id, at, None, happening, "restore")
    events = batch.finish()
    uow.record_many(events)
    return [e for e, _actor, _at in events if isinstance(e, AlarmEvent)]
