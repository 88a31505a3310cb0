"""What the demo room holds, drawn from a seed: the town, clients, schedules, sites, units, partners.

Pure and deterministic like :mod:`tocsin.demo.town`: records refer to one another by
reference and name, because ids are only given when the plan is applied to a store. Every phone
number is in a range the French regulator keeps for fiction (01 99 00, 02 61 91, 06 39 98).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tocsin.demo import names as n
from tocsin.demo import portfolios as p
from tocsin.demo.town import Town, build_town
from tocsin.domain.sites import ScheduleWindow

DEFAULT_SEED = 45990
TENANT_REF = "demo"
TENANT_NAME = "Valmont Télésurveillance"


@dataclass(frozen=True, slots=True)
class ZonePlan:
    number: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class ContactPlan:
    call_order: int
    name: str
    phones: tuple[str, ...]
    role: str
    password: str | None = None
    duress_word: str | None = None


@dataclass(frozen=True, slots=True)
class SitePlan:
    """A site at an address of the town, with its transmitter, zones and call list."""

    ref: str
    client_ref: str
    name: str
    address_id: int
    address: str
    latitude: float
    longitude: float
    schedule: str
    notes: str
    account_number: str
    zones: tuple[ZonePlan, ...]
    contacts: tuple[ContactPlan, ...]


@dataclass(frozen=True, slots=True)
class ClientPlan:
    ref: str
    name: str


@dataclass(frozen=True, slots=True)
class SchedulePlan:
    name: str
    windows: tuple[ScheduleWindow, ...]
    holidays: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitPlan:
    callsign: str
    kind: str
    capabilities: tuple[str, ...]
    station: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class PartnerPlan:
    name: str
    kind: str
    phones: tuple[str, ...]
    email: str
    notes: str
    radio: str = ""


@dataclass(frozen=True, slots=True)
class DemoPlan:
    """Everything ``tocsin demo seed`` writes, in the order it writes it."""

    seed: int
    tenant_ref: str
    tenant_name: str
    town: Town
    clients: tuple[ClientPlan, ...]
    schedules: tuple[SchedulePlan, ...]
    sites: tuple[SitePlan, ...]
    units: tuple[UnitPlan, ...]
    partners: tuple[PartnerPlan, ...]


class _Phones:
    """Distinct fictional numbers, written +33 x xx xx xx xx."""

    def __init__(self, rng: random.Random, block: str, count: int) -> None:
        self._block = block
        self._numbers = iter(rng.sample(range(10_000), count))

    def __call__(self) -> str:
        digits = f"{next(self._numbers):04d}"
        return f"+33 {self._block} {digits[:2]} {digits[2:]}"


def _account_numbers(rng: random.Random, count: int) -> list[str]:
    """Distinct four-digit hex account numbers without the digit A (Contact ID cannot send it)."""
    pool = [f"{i:04X}" for i in range(0x1000, 0x10000) if "A" not in f"{i:04X}"]
    return rng.sample(pool, count)


def _contacts(rng: random.Random, mobiles: _Phones, landlines: _Phones) -> tuple[ContactPlan, ...]:
    contacts = []
    for order in range(1, rng.randint(2, 3) + 1):
        name = f"{rng.choice(n.FIRST_NAMES)} {rng.choice(n.LAST_NAMES).upper()}"
        phones = (mobiles(), landlines()) if rng.random() < 0.3 else (mobiles(),)
        first = order == 1
        contacts.append(
            ContactPlan(
                call_order=order,
                name=name,
                phones=phones,
                role="manager" if first else "keyholder",
                password=rng.choice(n.PASSWORDS) if first else None,
                duress_word=rng.choice(n.DURESS_WORDS) if first else None,
            )
        )
    return tuple(contacts)


def _zones(rng: random.Random, profile: str) -> tuple[ZonePlan, ...]:
    extras = p.ZONE_PROFILES[profile]
    chosen = [*p.BASE_ZONES, *rng.sample(extras, rng.randint(1, min(6, len(extras))))]
    return tuple(ZonePlan(f"{i:03d}", name, kind) for i, (name, kind) in enumerate(chosen, start=1))


def _sites(rng: random.Random, town: Town) -> tuple[SitePlan, ...]:
    wanted = p.portfolio(rng)
    addresses = p.place(rng, town, wanted)
    numbers = _account_numbers(rng, len(wanted))
    mobiles = _Phones(rng, "6 39 98", 3 * len(wanted))
    landlines = _Phones(rng, "2 61 91", 3 * len(wanted))
    return tuple(
        SitePlan(
            ref=f"{want.client_ref}-{index:03d}",
            client_ref=want.client_ref,
            name=want.name,
            address_id=address.id,
            address=address.line,
            latitude=address.latitude,
            longitude=address.longitude,
            schedule=want.schedule,
            notes=rng.choice(p.SITE_NOTES),
            account_number=number,
            zones=_zones(rng, want.profile),
            contacts=_contacts(rng, mobiles, landlines),
        )
        for index, (want, address, number) in enumerate(zip(wanted, addresses, numbers, strict=True), 1)
    )


def _units(rng: random.Random, town: Town) -> tuple[UnitPlan, ...]:
    by_id = {node.id: node for node in town.nodes}
    grid_nodes = [node for node in town.nodes if node.id <= p.GRID_NODES]
    units = []
    for callsign, kind, capabilities, station in p.UNITS:
        on_patrol = kind == "guard" and rng.random() < 0.5
        node = rng.choice(grid_nodes) if on_patrol else by_id[p.STATIONS[station]]
        units.append(UnitPlan(callsign, kind, capabilities, station, node.latitude, node.longitude))
    return tuple(units)


def _partners(rng: random.Random) -> tuple[PartnerPlan, ...]:
    phones = _Phones(rng, "1 99 00", len(p.PARTNERS))
    return tuple(
        PartnerPlan(name, kind, (phones(),), email, notes, radio)
        for name, kind, email, notes, radio in p.PARTNERS
    )


def plan_demo(seed: int = DEFAULT_SEED) -> DemoPlan:
    """The whole demo room for ``seed``; the same seed always gives the same plan."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    town = build_town(rng)
    return DemoPlan(
        seed=seed,
        tenant_ref=TENANT_REF,
        tenant_name=TENANT_NAME,
        town=town,
        clients=tuple(ClientPlan(ref, name) for ref, name in p.CLIENTS),
        schedules=tuple(SchedulePlan(name, windows, holidays) for name, windows, holidays in p.schedules()),
        sites=_sites(rng, town),
        units=_units(rng, town),
        partners=_partners(rng),
    )
