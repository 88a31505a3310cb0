"""The demo room: ``tocsin demo seed`` fills a store with a living operations room in a fictional town.

The plan is drawn from a seed by :mod:`tocsin.demo.plan` (pure, deterministic). Applying it
goes through the directory's command handlers, so every record has its logbook entry; the many small
commands run in one transaction, which is all or nothing and quick on SQLite. The geographic
reference is shared by every tenant and has no repository yet, so the caller injects the function
that loads it (bootstrap's :func:`~tocsin.bootstrap.demo_seeder` does).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from tocsin.demo import matrix as demo_matrix
from tocsin.demo.plan import DEFAULT_SEED, DemoPlan, SitePlan, plan_demo
from tocsin.demo.town import Town
from tocsin.domain import camera_commands as cc
from tocsin.domain import commands as c
from tocsin.domain.errors import Conflict
from tocsin.domain.geo import Address, RoadNode, RoadSegment
from tocsin.domain.partner_commands import SetMatrix
from tocsin.domain.scope import Scope
from tocsin.domain.sites import normalize_spoken_word
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import HANDLERS
from tocsin.services.ports import SecretHasher
from tocsin.services.unit_of_work import Store, UnitOfWork

ACTOR = "demo"

# One user per role, with printed credentials: (user name, role, display name, client reference or None).
DEMO_USERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("operator", "operator", "Camille Operator", None),
    ("supervisor", "supervisor", "Dominique Supervisor", None),
    ("admin", "admin", "Alex Admin", None),
    ("unit", "unit", "Ronde 11", None),  # the display name is the unit's callsign: its card shows
    ("client", "client", "Client Portal", "__first__"),
)


# The demo's transmitters send a periodic test at least once a day (the simulated panels send several an
# hour), so a test is missed only when a panel really falls silent, not in a storm after the seed.
DEMO_TEST_SECONDS = 24 * 3600
DEMO_CAMERA_SITES = 4  # the first sites each get a camera, fed by `tocsin video test-pattern`
DEMO_CAMERA_PORT = 8554  # where `tocsin serve --simulate-cameras` serves the test pattern


def demo_password(username: str) -> str:
    """The demo users' password, printed at seeding: never use the demo room in production."""
    return f"{username}-demo-room"


GeoLoader = Callable[[Sequence[RoadNode], Sequence[RoadSegment], Sequence[Address]], bool]
"""Stores a road network and its addresses; returns False when a reference was already there."""


class DemoAlreadySeeded(Conflict):
    """The demo tenant exists already: seeding twice would duplicate the room."""


@dataclass
class DemoSummary:
    """What a seed wrote, for the command's report and for seeding steps added later.

    Extend it here (users per role, say): ``counts`` keeps its insertion order when printed, and the
    ids let a later step attach grants to the demo's clients and sites.
    """

    seed: int
    tenant_id: UUID
    tenant_ref: str
    tenant_name: str
    town: str
    client_ids: dict[str, UUID] = field(default_factory=dict)  # by client reference
    site_ids: dict[str, UUID] = field(default_factory=dict)  # by site reference
    counts: dict[str, int] = field(default_factory=dict)  # what -> how many, in report order
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (user name, password, role)
    geo_counts: dict[str, int] = field(default_factory=dict)  # empty when a reference was kept

    def lines(self) -> list[str]:
        """The report, a few lines of plain text."""
        geo = (
            ", ".join(f"{count:,} {what}" for what, count in self.geo_counts.items())
            if self.geo_counts
            else "a geographic reference was already stored; it was kept and the town's streets not added"
        )
        lines = [
            f"Demo room {self.tenant_ref!r} ({self.tenant_name}) seeded from seed {self.seed}:",
            "  " + ", ".join(f"{count:,} {what}" for what, count in self.counts.items()) + ";",
            f"  {self.town}: {geo}.",
        ]
        if self.users:
            lines.append("Log in with (user / password / role):")
            lines.extend(f"  {u:<11} {p:<22} {r}" for u, p, r in self.users)
        return lines


class _HashOnce:
    """The node's hasher, but each distinct word is hashed once.

    The demo draws its spoken passwords from a short list and Argon2 is slow on purpose, so contacts
    with the same word share one hash (and its salt). Only demo data may take this shortcut.
    """

    def __init__(self, inner: SecretHasher) -> None:
        self._inner = inner
        self._known: dict[str, str] = {}

    def warm(self, secrets: Iterable[str]) -> None:
        """Hash these words now, a few at a time, outside any transaction."""
        todo = sorted(set(secrets) - set(self._known))
        with ThreadPoolExecutor(max_workers=4, thread_name_prefix="demo-hash") as pool:
            self._known.update(zip(todo, pool.map(self._inner.hash, todo), strict=True))

    def hash(self, secret: str) -> str:
        if secret not in self._known:
            self._known[secret] = self._inner.hash(secret)
        return self._known[secret]

    def verify(self, hashed: str, secret: str) -> bool:
        return self._inner.verify(hashed, secret)


def _spoken_words(plan: DemoPlan) -> set[str]:
    words = {w for s in plan.sites for k in s.contacts for w in (k.password, k.duress_word) if w}
    return {normalize_spoken_word(w) for w in words}


def seed_demo(
    store: Store, hasher: SecretHasher, load_geo: GeoLoader, seed: int = DEFAULT_SEED
) -> DemoSummary:
    """Write the demo room drawn from ``seed``; refuse, changing nothing, if it is already there."""
    plan = plan_demo(seed)
    if store.read(lambda uow: uow.tenants.find(ref=plan.tenant_ref), Scope.system()):
        raise _already_seeded(plan)
    fast = _HashOnce(hasher)
    fast.warm(_spoken_words(plan))
    town = plan.town
    geo_loaded = load_geo(town.nodes, town.segments, town.addresses)
    summary = store.write(lambda uow: apply_plan(uow, plan, Deps(hasher=fast)), Scope.system())
    if geo_loaded:
        summary.geo_counts.update(
            {
                "road nodes": len(town.nodes),
                "road segments": len(town.segments),
                "addresses": len(town.addresses),
            }
        )
    return summary


def _already_seeded(plan: DemoPlan) -> DemoAlreadySeeded:
    return DemoAlreadySeeded(
        f"The demo room is already seeded: tenant {plan.tenant_ref!r} exists, and nothing was changed."
        " To start again, seed an empty database (for the default one, remove var/tocsin.db and run"
        " `tocsin db upgrade`)."
    )


def apply_plan(uow: UnitOfWork, plan: DemoPlan, deps: Deps) -> DemoSummary:
    """Create the tenant and its directory through the command handlers, in the caller's transaction."""
    if uow.tenants.find(ref=plan.tenant_ref):
        raise _already_seeded(plan)

    def run(command: c.Command) -> Any:
        return HANDLERS.run(command, uow, ACTOR, deps)

    tenant = run(c.CreateTenant(ref=plan.tenant_ref, name=plan.tenant_name))
    summary = DemoSummary(plan.seed, tenant.id, tenant.ref, tenant.name, plan.town.name)
    for client in plan.clients:
        summary.client_ids[client.ref] = run(c.CreateClient(tenant.id, client.ref, client.name)).id
    schedules = {
        s.name: run(c.CreateSchedule(tenant.id, s.name, windows=s.windows, holidays=s.holidays)).id
        for s in plan.schedules
    }
    for index, site in enumerate(plan.sites):
        summary.site_ids[site.ref] = _add_site(
            run,
            uow,
            site,
            tenant_id=tenant.id,
            client_id=summary.client_ids[site.client_ref],
            schedule_id=schedules[site.schedule],
            town=plan.town,
        )
        if index < DEMO_CAMERA_SITES:
            run(cc.AddCamera(summary.site_ids[site.ref], _camera(site)))
    for unit in plan.units:
        run(c.AddUnit(tenant_id=tenant.id, **_fields(unit)))
    partner_ids: dict[str, UUID] = {}
    for partner in plan.partners:
        added = run(c.AddPartner(tenant_id=tenant.id, **_fields(partner)))
        partner_ids.setdefault(added.kind, added.id)
    run(_demo_matrix(tenant.id, partner_ids))
    _add_users(run, uow, summary)
    summary.counts.update(_counts(plan))
    return summary


def _demo_matrix(tenant_id: UUID, partner_ids: dict[str, UUID]) -> SetMatrix:
    """The demo room's notification matrix, its partner kinds turned into the partners just added."""
    rules = tuple(
        {
            "partner_id": str(partner_ids[kind]),
            "type_code": type_code,
            "category": category,
            "max_priority": priority,
            "channel": channel,
            "template_code": template,
        }
        for kind, type_code, category, priority, channel, template in demo_matrix.RULES
        if kind in partner_ids
    )
    return SetMatrix(tenant_id, rules, demo_matrix.TEMPLATES, ACTOR)


def _add_users(run: Callable[[c.Command], Any], uow: UnitOfWork, summary: DemoSummary) -> None:
    first_client = next(iter(summary.client_ids.values()))
    for username, role, display_name, client in DEMO_USERS:
        password = demo_password(username)
        user = run(c.AddUser(summary.tenant_id, username, display_name, password))
        clients = (first_client,) if client else ()
        run(c.GrantRole(user.id, role, clients))
        if role == "unit":  # the crew's login reports for the unit of its callsign
            found = uow.units.find(tenant_id=summary.tenant_id, callsign=display_name)
            if found:
                uow.users.update(dataclasses.replace(user, unit_id=found[0].id))
        summary.users.append((username, password, role))


def _add_site(
    run: Callable[[c.Command], Any],
    uow: UnitOfWork,
    site: SitePlan,
    *,
    tenant_id: UUID,
    client_id: UUID,
    schedule_id: UUID,
    town: Town,
) -> UUID:
    """The site, its transmitter (with its periodic test interval), its zones and its call list."""
    created = run(
        c.CreateSite(
            tenant_id=tenant_id,
            client_id=client_id,
            ref=site.ref,
            name=site.name,
            address=site.address,
            postcode=town.postcode,
            city=town.name,
            latitude=site.latitude,
            longitude=site.longitude,
            notes=site.notes,
            schedule_id=schedule_id,
        )
    )
    account = run(c.AddAccount(site_id=created.id, number=site.account_number, receiver="1", line="1"))
    # AddAccount has no test interval yet: set on the record, in the same transaction as its entry.
    uow.accounts.update(dataclasses.replace(account, test_seconds=DEMO_TEST_SECONDS))
    for zone in site.zones:
        run(c.AddZone(site_id=created.id, **_fields(zone)))
    for contact in site.contacts:
        run(c.AddContact(site_id=created.id, **_fields(contact)))
    return created.id  # type: ignore[no-any-return]


def _camera(site: SitePlan) -> dict[str, Any]:
    """A demo camera over the site's entrance, fed by the local test pattern (nothing downloaded)."""
    return {
        "name": "Entrance",
        "latitude": site.latitude + 0.0001,
        "longitude": site.longitude,
        "bearing": 180.0,
        "view_angle": 70.0,
        "view_range": 30.0,
        "mjpeg_url": f"http://127.0.0.1:{DEMO_CAMERA_PORT}/cam/{site.ref}.mjpg",
        "authorisation_ref": f"PREF-DEMO-{site.ref}",
        "purposes": ("protection_of_buildings", "prevention_of_theft"),
        "retention_days": 15,
        "signage": True,
    }


def _fields(plan: Any) -> dict[str, Any]:
    """A plan record's fields, named as its command's (a shallow copy: values stay as they are)."""
    return {f.name: getattr(plan, f.name) for f in dataclasses.fields(plan)}


def _counts(plan: DemoPlan) -> dict[str, int]:
    return {
        "clients": len(plan.clients),
        "sites": len(plan.sites),
        "transmitters": len(plan.sites),
        "zones": sum(len(s.zones) for s in plan.sites),
        "contacts": sum(len(s.contacts) for s in plan.sites),
        "schedules": len(plan.schedules),
        "units": len(plan.units),
        "partners": len(plan.partners),
        "notification matrices": 1,
        "cameras": min(DEMO_CAMERA_SITES, len(plan.sites)),
    }
