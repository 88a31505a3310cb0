"""Importing a directory file: plan it against the store as a whole, then write it in one transaction.

:func:`plan_import` reads the tenant's clients, schedules, sites and their children once, matches each
record of the file with what is stored (clients and sites by reference, schedules by name, transmitters
by receiver, line and number, zones by number and contacts by call order within their site) and decides
for each: created, updated (naming the fields) or unchanged. A reference to nothing, a transmitter
declared on another site or by another tenant, a schedule of another client: each is a problem naming
its row. Nothing is written while there is a problem, and a dry run stops after the plan.

:func:`hash_secrets` then hashes the contacts' passwords and duress words (slow by design, so outside
the write transaction), and :func:`apply_import` writes the plan in the caller's transaction with one
logbook entry per client, schedule and site created or changed and one for the file; the sites that
follow a schedule are planned (see :mod:`tocsin.services.schedule_rules`). A clash found while writing
(another writer took a reference meanwhile) rolls the whole import back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from tocsin.domain import site_import as f
from tocsin.domain.import_events import ImportDone, RecordImported
from tocsin.domain.sites import Schedule, Site, normalize_spoken_word
from tocsin.domain.tenancy import Client
from tocsin.services.ports import SecretHasher
from tocsin.services.schedule_rules import next_deadline, plan_site
from tocsin.services.unit_of_work import UnitOfWork

KINDS = ("clients", "schedules", "sites", "accounts", "zones", "contacts")
Progress = Callable[[int], None]
BATCH = 500  # records added per flush


@dataclass(frozen=True, slots=True)
class Change:
    """What the import does to one record: ``created``, ``updated`` (with the fields) or ``unchanged``."""

    where: str
    kind: str  # one of KINDS
    key: str
    action: str
    fields: tuple[str, ...] = ()
    site_ref: str = ""

    def line(self) -> str:
        what = self.kind.removesuffix("s")
        changed = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"{self.where}: {what} {self.key} {self.action}{changed}"


@dataclass
class ImportPlan:
    """The writes an import makes, in order, and what each does."""

    tenant_id: UUID
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    writes: dict[str, list[tuple[Any, bool]]] = field(default_factory=lambda: {k: [] for k in KINDS})
    secrets: list[tuple[int, f.ContactSpec]] = field(default_factory=list)  # index in writes["contacts"]
    replan: set[UUID] = field(default_factory=set)  # sites whose schedule checks must be planned again
    site_of: dict[str, Site] = field(default_factory=dict)  # each site the file names, by reference

    def counts(self) -> dict[str, dict[str, int]]:
        found = {k: {"created": 0, "updated": 0, "unchanged": 0} for k in KINDS}
        for change in self.changes:
            found[change.kind][change.action] += 1
        return found

    def total(self, action: str) -> int:
        return sum(c.action == action for c in self.changes)

    def summary(self) -> str:
        parts = []
        for kind, counted in self.counts().items():
            if counted["created"] or counted["updated"]:
                parts.append(f"{kind} +{counted['created']} ~{counted['updated']}")
        return ", ".join(parts) or "nothing to change"


def _diff(before: Any, after: Any, names: Iterable[str]) -> tuple[str, ...]:
    return tuple(n for n in names if getattr(before, n) != getattr(after, n))


class _Planner:
    """The plan of one file: what the store holds (read once), and the file's records matched to it."""

    def __init__(self, uow: UnitOfWork, tenant_id: UUID, parsed: f.Parsed) -> None:
        self.uow, self.parsed = uow, parsed
        self.plan = ImportPlan(tenant_id)
        self.clients = {c.ref: c for c in uow.clients.find()}
        self.schedules: dict[str, list[Schedule]] = {}
        for schedule in uow.schedules.find():
            self.schedules.setdefault(schedule.name, []).append(schedule)
        self.sites = {s.ref: s for s in uow.sites.find()}
        self.accounts = {a.label: a for a in uow.accounts.find()}
        self.zones = {(z.site_id, z.number): z for z in uow.zones.find()}
        self.contacts = {(c.site_id, c.call_order): c for c in uow.contacts.find()}
        self.site_ref = {s.id: s.ref for s in self.sites.values()}
        new = {a.account.label: a.account for a in parsed.accounts if a.account.label not in self.accounts}
        self.held = uow.account_identities.holders([(a.receiver, a.line, a.number) for a in new.values()])

    def problem(self, where: str, text: str) -> None:
        if len(self.plan.problems) < f.MAX_PROBLEMS:
            self.plan.problems.append(f"{where}: {text}")

    def record(self, kind: str, item: Any, change: Change) -> None:
        self.plan.changes.append(change)
        if change.action != "unchanged":
            self.plan.writes[kind].append((item, change.action == "created"))

    def new_id(self) -> UUID:
        return self.uow.clock.new_id()

    # ------------------------------------------------------------ clients and schedules

    def client(self, spec: f.ClientSpec) -> None:
        found = self.clients.get(spec.ref)
        after = Client(found.id if found else self.new_id(), self.plan.tenant_id, spec.ref, spec.name)
        fields = () if found is None else _diff(found, after, ("name",))
        action = "created" if found is None else ("updated" if fields else "unchanged")
        self.record("clients", after, Change(spec.where, "clients", spec.ref, action, fields))
        self.clients[spec.ref] = after

    def schedule(self, spec: f.ScheduleSpec) -> None:
        client_id = self._client_id(spec.where, spec.client)
        found = self._one_schedule(spec.where, spec.name)
        after = Schedule(
            found.id if found else self.new_id(),
            self.plan.tenant_id,
            spec.name,
            client_id=client_id,
            windows=spec.windows,
            holidays=spec.holidays,
            grace_seconds=spec.grace_seconds,
        )
        names = ("client_id", "windows", "holidays", "grace_seconds")
        fields = () if found is None else _diff(found, after, names)
        action = "created" if found is None else ("updated" if fields else "unchanged")
        self.record("schedules", after, Change(spec.where, "schedules", spec.name, action, fields))
        self.schedules[spec.name] = [after]
        if found is not None and fields:
            following = [s for s in self.sites.values() if s.schedule_id == after.id]
            self.plan.replan |= {s.id for s in following}
            if after.client_id is not None and any(s.client_id != after.client_id for s in following):
                self.problem(spec.where, f"sites of another client follow the schedule {spec.name!r}.")

    def _client_id(self, where: str, ref: str | None) -> UUID | None:
        if ref is None:
            return None
        client = self.clients.get(ref)
        if client is None:
            self.problem(where, f"no client {ref!r} in the file or the store: add a client record first.")
            return None
        return client.id

    def _one_schedule(self, where: str, name: str) -> Schedule | None:
        found = self.schedules.get(name, [])
        if len(found) > 1:
            self.problem(where, f"several schedules are named {name!r}: rename one first.")
        return found[0] if found else None

    # ------------------------------------------------------------ sites

    def site(self, spec: f.SiteSpec) -> None:
        client = self.clients.get(spec.client)
        if client is None:
            self.problem(spec.where, f"no client {spec.client!r} in the file or the store: add it first.")
            return
        schedule = None if spec.schedule is None else self._one_schedule(spec.where, spec.schedule)
        if spec.schedule is not None and schedule is None:
            self.problem(spec.where, f"no schedule named {spec.schedule!r} in the file or the store.")
            return
        if schedule is not None and schedule.client_id not in (None, client.id):
            self.problem(spec.where, f"the schedule {schedule.name!r} belongs to another client.")
            return
        found = self.sites.get(spec.site.ref)
        after = dataclasses.replace(
            spec.site,
            id=found.id if found else self.new_id(),
            tenant_id=self.plan.tenant_id,
            client_id=client.id,
            schedule_id=None if schedule is None else schedule.id,
        )
        names = ("client_id", "name", "address", "postcode", "city", "latitude", "longitude")
        fields = () if found is None else _diff(found, after, (*names, "time_zone", "notes", "schedule_id"))
        action = "created" if found is None else ("updated" if fields else "unchanged")
        self.record("sites", after, Change(spec.where, "sites", after.ref, action, fields, after.ref))
        if found is None or {"schedule_id", "time_zone"} & set(fields):
            self.plan.replan.add(after.id)
        self.sites[after.ref] = after
        self.site_ref[after.id] = after.ref
        self.plan.site_of[after.ref] = after

    def _site_of(self, where: str, ref: str) -> Site | None:
        site = self.sites.get(ref)
        if site is not None:
            self.plan.site_of[ref] = site
        elif ref not in self.parsed.failed_sites:  # a bad site row is named once
            self.problem(where, f"no site {ref!r} in the file or the store: add a site record first.")
        return site

    def account(self, spec: f.AccountSpec) -> None:
        site = self._site_of(spec.where, spec.site)
        if site is None:
            return
        label = spec.account.label
        found = self.accounts.get(label)
        if found is not None and found.site_id != site.id:
            other = self.site_ref.get(found.site_id, "?")
            self.problem(spec.where, f"transmitter {label} is already declared on site {other}.")
            return
        if found is None and (spec.account.receiver, spec.account.line, spec.account.number) in self.held:
            self.problem(
                spec.where, f"transmitter {label} is already declared by another tenant on this node."
            )
            return
        base = found or spec.account
        after = dataclasses.replace(
            spec.account,
            id=found.id if found else self.new_id(),
            tenant_id=self.plan.tenant_id,
            site_id=site.id,
            key_ref=base.key_ref,
            allow_cleartext=base.allow_cleartext,
            station=base.station,  # the room's own panel stays flagged: an import file does not say so
            protocol_options=dict(base.protocol_options),
        )
        fields = (
            () if found is None else _diff(found, after, ("profile", "supervision_seconds", "test_seconds"))
        )
        self._child("accounts", spec.where, f"{label} of {site.ref}", site.ref, after, found, fields)
        self.accounts[label] = after

    def zone(self, spec: f.ZoneSpec) -> None:
        site = self._site_of(spec.where, spec.site)
        if site is None:
            return
        found = self.zones.get((site.id, spec.zone.number))
        after = dataclasses.replace(
            spec.zone, id=found.id if found else self.new_id(), tenant_id=self.plan.tenant_id, site_id=site.id
        )
        fields = () if found is None else _diff(found, after, ("name", "kind"))
        self._child("zones", spec.where, f"{after.number} of {site.ref}", site.ref, after, found, fields)

    def contact(self, spec: f.ContactSpec) -> None:
        site = self._site_of(spec.where, spec.site)
        if site is None:
            return
        found = self.contacts.get((site.id, spec.contact.call_order))
        after = dataclasses.replace(
            spec.contact,
            id=found.id if found else self.new_id(),
            tenant_id=self.plan.tenant_id,
            site_id=site.id,
            password_hash=None if found is None else found.password_hash,
            duress_hash=None if found is None else found.duress_hash,
        )
        fields = () if found is None else _diff(found, after, ("name", "phones", "role"))
        fields += tuple(n for n, v in (("password", spec.password), ("duress_word", spec.duress_word)) if v)
        if found is None:
            fields = ()
        key = f"{after.call_order} of {site.ref}"
        self._child("contacts", spec.where, key, site.ref, after, found, fields)
        if spec.password or spec.duress_word:
            self.plan.secrets.append((len(self.plan.writes["contacts"]) - 1, spec))

    def _child(  # noqa: PLR0917 - one change, told in full
        self, kind: str, where: str, key: str, site_ref: str, after: Any, found: Any, fields: tuple[str, ...]
    ) -> None:
        action = "created" if found is None else ("updated" if fields else "unchanged")
        self.record(kind, after, Change(where, kind, key, action, fields, site_ref))


def plan_import(uow: UnitOfWork, tenant_id: UUID, parsed: f.Parsed) -> ImportPlan:
    """What importing the parsed file would change (nothing is written); its problems, if any."""
    planner = _Planner(uow, tenant_id, parsed)
    planner.plan.problems.extend(parsed.problems[: f.MAX_PROBLEMS])
    for name in ("clients", "schedules", "sites", "accounts", "zones", "contacts"):
        step = getattr(planner, name.removesuffix("s"))
        for spec in getattr(parsed, name):
            step(spec)
    if parsed.instructions:
        planner.plan.skipped.append(
            f"{len(parsed.instructions)} temporary instruction(s) skipped ({parsed.instructions[0]} first):"
            " this version keeps no temporary instructions yet."
        )
    return planner.plan


def hash_secrets(plan: ImportPlan, hasher: SecretHasher, progress: Progress | None = None) -> None:
    """Hash the passwords and duress words the file gives (normalised as when spoken), into the plan's
    contacts; the clear words are dropped from the plan."""
    contacts = plan.writes["contacts"]
    for index, spec in plan.secrets:
        contact, created = contacts[index]
        changed: dict[str, Any] = {}
        if spec.password:
            changed["password_hash"] = hasher.hash(normalize_spoken_word(spec.password))
        if spec.duress_word:
            changed["duress_hash"] = hasher.hash(normalize_spoken_word(spec.duress_word))
        contacts[index] = (dataclasses.replace(contact, **changed), created)
        if progress is not None:
            progress(1)
    plan.secrets.clear()


def apply_import(
    uow: UnitOfWork, plan: ImportPlan, *, file: str, sha256: str, actor: str, progress: Progress | None = None
) -> None:
    """Write the plan in the caller's transaction, with its logbook entries."""
    if plan.secrets:
        raise ValueError("hash the plan's secrets before writing it")  # a programming error, never a user's
    repos = {
        "clients": uow.clients,
        "schedules": uow.schedules,
        "sites": uow.sites,
        "accounts": uow.accounts,
        "zones": uow.zones,
        "contacts": uow.contacts,
    }
    for kind in KINDS:
        repo: Any = repos[kind]
        written = plan.writes[kind]
        for start in range(0, len(written), BATCH):
            batch = written[start : start + BATCH]
            repo.add_many([item for item, created in batch if created])
            for item, created in batch:
                if not created:
                    repo.update(item)
            if kind == "sites" and progress is not None:
                progress(len(batch))
    uow.record_many([(event, actor, None) for event in _entries(plan)])
    _plan_schedules(uow, plan)
    uow.record(
        ImportDone(
            tenant_id=plan.tenant_id,
            file=file,
            sha256=sha256,
            created=plan.total("created"),
            updated=plan.total("updated"),
            unchanged=plan.total("unchanged"),
            summary=plan.summary(),
            skipped=" ".join(plan.skipped),
        ),
        actor,
    )


def _plan_schedules(uow: UnitOfWork, plan: ImportPlan) -> None:
    """Plan the next schedule check of each site whose schedule (or zone) is new or changed; the sites
    the import created have no deadline yet, so theirs are inserted together."""
    if not plan.replan:
        return
    now = uow.clock.now()
    created = {item.id for item, new in plan.writes["sites"] if new}
    schedules = {s.id: s for s in uow.schedules.find()}
    fresh = []
    for site in uow.sites.get_many(plan.replan):
        schedule = None if site.schedule_id is None else schedules.get(site.schedule_id)
        if site.id not in created:
            plan_site(uow, site, schedule, now)
        elif schedule is not None:
            fresh.append(next_deadline(uow, site, schedule, now))
    uow.deadlines.add_new([d for d in fresh if d is not None])


def _entries(plan: ImportPlan) -> list[RecordImported]:
    """One entry per client and schedule changed, and one per site changed or whose children changed."""
    events: list[RecordImported] = []
    ids = {
        kind: {_key(kind, item): item for item, _created in plan.writes[kind]}
        for kind in ("clients", "schedules")
    }
    by_site: dict[str, list[Change]] = {}
    for change in plan.changes:
        if change.action == "unchanged":
            continue
        if change.kind in ids:
            item = ids[change.kind][change.key]
            client = item.id if change.kind == "clients" else item.client_id
            events.append(_event(plan, change, item.id, client_id=client, detail=_fields(change)))
        else:
            by_site.setdefault(change.site_ref, []).append(change)
    events.extend(_site_entries(plan, by_site))
    return events


def _site_entries(plan: ImportPlan, by_site: dict[str, list[Change]]) -> list[RecordImported]:
    events = []
    for ref, changes in by_site.items():
        own = next((c for c in changes if c.kind == "sites"), None)
        site = plan.site_of[ref]
        parts = [_fields(own)] if own is not None and own.fields else []
        parts += [
            f"{c.kind.removesuffix('s')} {c.key.split(' of ')[0]} {c.action}" for c in changes if c is not own
        ]
        change = own or Change(changes[0].where, "sites", ref, "updated")
        events.append(
            _event(plan, change, site.id, client_id=site.client_id, site_id=site.id, detail="; ".join(parts))
        )
    return events


def _event(
    plan: ImportPlan,
    change: Change,
    record_id: UUID,
    *,
    client_id: UUID | None,
    detail: str,
    site_id: UUID | None = None,
) -> RecordImported:
    return RecordImported(
        tenant_id=plan.tenant_id,
        what=change.kind.removesuffix("s"),
        key=change.key,
        action=change.action,
        record_id=record_id,
        detail=detail or "-",
        site_id=site_id,
        client_id=client_id,
    )


def _key(kind: str, item: Any) -> str:
    return str(item.ref if kind == "clients" else item.name)


def _fields(change: Change | None) -> str:
    return "" if change is None or not change.fields else ", ".join(change.fields)
