"""The demo town and its room: deterministic, complete, and coherent with its own streets."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

import pytest

from tocsin.demo.plan import DemoPlan, plan_demo
from tocsin.demo.portfolios import french_public_holidays
from tocsin.demo.town import distance_to_segment_m, to_metres
from tocsin.domain.errors import InvalidInput
from tocsin.domain.geo import Address, RoadNode, RoadSegment, normalize_address_text
from tocsin.domain.scope import Scope
from tocsin.services.demo import DemoAlreadySeeded, seed_demo
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore

FICTIONAL_PHONE = re.compile(r"^\+33 (1 99 00|2 61 91|6 39 98) \d\d \d\d$")


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    """The plan of the default seed, drawn once for the module."""
    return plan_demo()


def _as_bytes(plan: DemoPlan) -> bytes:
    return json.dumps(dataclasses.asdict(plan), ensure_ascii=False, sort_keys=True).encode()


def test_the_same_seed_gives_a_byte_identical_room(plan: DemoPlan) -> None:
    """Drawing the room again from the same seed gives the same bytes; another seed does not."""
    assert _as_bytes(plan_demo(plan.seed)) == _as_bytes(plan)
    assert _as_bytes(plan_demo(plan.seed + 1)) != _as_bytes(plan)


def test_the_room_does_not_depend_on_the_process(plan: DemoPlan) -> None:
    """Other processes, with other string hash seeds, draw the very same room."""
    script = (
        "import dataclasses, hashlib, json; from tocsin.demo.plan import plan_demo; "
        f"print(hashlib.sha256(json.dumps(dataclasses.asdict(plan_demo({plan.seed})),"
        " ensure_ascii=False, sort_keys=True).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
        for hash_seed in ("1", "2")
    }
    assert digests == {hashlib.sha256(_as_bytes(plan)).hexdigest()}


def test_address_text_is_normalised_for_search() -> None:
    """Case, accents, punctuation between words and repeated spaces do not matter."""
    assert normalize_address_text("  12, Allée de l'Église   Valmont-sur-Loire ") == (
        "12 allee de l eglise valmont sur loire"
    )
    assert normalize_address_text("RUE DES ÉRABLES") == normalize_address_text("rue des erables")


def test_geo_values_refuse_nonsense() -> None:
    """A segment must join two nodes with a length and a speed; a node must lie on Earth."""
    with pytest.raises(InvalidInput):
        RoadSegment(id=1, from_node=1, to_node=1, length_m=10, speed_kmh=30, name="rue")
    with pytest.raises(InvalidInput):
        RoadSegment(id=1, from_node=1, to_node=2, length_m=0, speed_kmh=30, name="rue")
    with pytest.raises(InvalidInput):
        RoadNode(id=1, latitude=95.0, longitude=2.0)
    assert RoadSegment(1, 1, 2, 100.0, 36, "rue").seconds == pytest.approx(10.0)


def test_the_room_is_large_enough(plan: DemoPlan) -> None:
    """150+ sites of 5-6 clients, 15+ units at 3-4 stations, the partners, 2,000+ addresses."""
    assert len(plan.sites) >= 150
    assert 5 <= len({s.client_ref for s in plan.sites}) == len(plan.clients) <= 6
    assert len(plan.units) >= 15
    assert 3 <= len({u.station for u in plan.units}) <= 4
    assert {"police", "gendarmerie", "fire", "samu", "gas", "power", "rail", "other"} <= {
        p.kind for p in plan.partners
    }
    assert len(plan.town.addresses) >= 2_000
    assert {"guard", "keyholder", "police"} <= {u.kind for u in plan.units}
    capabilities = {c for u in plan.units for c in u.capabilities}
    assert {"intervention", "keyholding", "first_aid", "dog"} <= capabilities


def test_every_site_has_a_transmitter_zones_and_a_call_list(plan: DemoPlan) -> None:
    """3-8 zones, 2-3 contacts in call order, and only the first holds a password and duress word."""
    for site in plan.sites:
        assert 3 <= len(site.zones) <= 8
        assert [z.number for z in site.zones] == [f"{i:03d}" for i in range(1, len(site.zones) + 1)]
        assert 2 <= len(site.contacts) <= 3
        assert [c.call_order for c in site.contacts] == list(range(1, len(site.contacts) + 1))
        first, *others = site.contacts
        assert first.password
        assert first.duress_word
        assert first.password != first.duress_word
        assert all(c.password is None and c.duress_word is None for c in others)
    kinds = {z.kind for s in plan.sites for z in s.zones}
    assert {"intrusion", "fire", "panic", "tamper", "technical"} <= kinds


def test_account_numbers_are_unique_hex(plan: DemoPlan) -> None:
    """Each transmitter has its own hexadecimal account number."""
    numbers = [s.account_number for s in plan.sites]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"[0-9B-F]{4}", n) for n in numbers)


def test_every_site_stands_at_its_own_address_of_the_town(plan: DemoPlan) -> None:
    """A site's address, postcode and position are those of one address of the table, used once."""
    by_id = {a.id: a for a in plan.town.addresses}
    for site in plan.sites:
        address = by_id[site.address_id]
        assert (site.address, site.latitude, site.longitude) == (
            address.line,
            address.latitude,
            address.longitude,
        )
    assert len({s.address_id for s in plan.sites}) == len(plan.sites)


def test_schedules_are_shared_by_several_sites(plan: DemoPlan) -> None:
    """Every schedule serves two sites or more, and some serve sites of several clients."""
    users = Counter(s.schedule for s in plan.sites)
    assert set(users) == {s.name for s in plan.schedules}
    assert min(users.values()) >= 2
    clients_per_schedule = defaultdict(set)
    for site in plan.sites:
        clients_per_schedule[site.schedule].add(site.client_ref)
    assert max(len(c) for c in clients_per_schedule.values()) >= 3


def test_phone_numbers_are_fictional_and_distinct(plan: DemoPlan) -> None:
    """Every number is in a range reserved for fiction, written +33 x xx xx xx xx, and used once."""
    phones = [p for s in plan.sites for c in s.contacts for p in c.phones]
    phones += [p for partner in plan.partners for p in partner.phones]
    assert all(FICTIONAL_PHONE.match(p) for p in phones), [p for p in phones if not FICTIONAL_PHONE.match(p)]
    assert len(set(phones)) == len(phones)


def _near_its_street(address: Address, segments: list[RoadSegment], nodes: dict[int, RoadNode]) -> float:
    return min(
        distance_to_segment_m(
            (address.latitude, address.longitude),
            (nodes[s.from_node].latitude, nodes[s.from_node].longitude),
            (nodes[s.to_node].latitude, nodes[s.to_node].longitude),
        )
        for s in segments
    )


def test_addresses_lie_along_their_street(plan: DemoPlan) -> None:
    """Each door is a few metres from a segment of its street, and a street never repeats a number."""
    nodes = {n.id: n for n in plan.town.nodes}
    by_street: dict[str, list[RoadSegment]] = defaultdict(list)
    for segment in plan.town.segments:
        by_street[segment.name].append(segment)
    for address in plan.town.addresses:
        assert _near_its_street(address, by_street[address.street], nodes) < 15.0
    numbers = Counter((a.street, a.number) for a in plan.town.addresses)
    assert max(numbers.values()) == 1


def test_segments_carry_their_speed_and_true_length(plan: DemoPlan) -> None:
    """Streets at 30, avenues at 50, boulevards at 70, the ring road at 90; lengths match the map."""
    nodes = {n.id: n for n in plan.town.nodes}
    assert {s.speed_kmh for s in plan.town.segments} == {30, 50, 70, 90}
    for segment in plan.town.segments:
        a, b = nodes[segment.from_node], nodes[segment.to_node]
        (ax, ay), (bx, by) = to_metres(a.latitude, a.longitude), to_metres(b.latitude, b.longitude)
        assert segment.length_m == pytest.approx(((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5, abs=0.5)
    assert any(s.oneway for s in plan.town.segments)


def _reachable(start: int, edges: dict[int, set[int]]) -> set[int]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_every_node_can_be_driven_to_and_from(plan: DemoPlan) -> None:
    """The road graph is strongly connected, one-way streets included, and stays near the town."""
    forward: dict[int, set[int]] = defaultdict(set)
    backward: dict[int, set[int]] = defaultdict(set)
    for s in plan.town.segments:
        forward[s.from_node].add(s.to_node)
        backward[s.to_node].add(s.from_node)
        if not s.oneway:
            forward[s.to_node].add(s.from_node)
            backward[s.from_node].add(s.to_node)
    every = {n.id for n in plan.town.nodes}
    start = plan.town.nodes[0].id
    assert _reachable(start, forward) == every == _reachable(start, backward)
    assert all(
        max(abs(x), abs(y)) < 2_500 for x, y in (to_metres(n.latitude, n.longitude) for n in plan.town.nodes)
    )


def test_units_stand_on_the_road_network(plan: DemoPlan) -> None:
    """A unit's position is the position of a road node (its station, or where it patrols)."""
    positions = {(n.latitude, n.longitude) for n in plan.town.nodes}
    assert all((u.latitude, u.longitude) in positions for u in plan.units)


def test_french_public_holidays() -> None:
    """Eleven days a year, with Easter Monday, Ascension and Whit Monday moving with Easter."""
    days = french_public_holidays(2026)
    assert len(days) == 11
    assert {"2026-04-06", "2026-05-14", "2026-05-25", "2026-07-14"} <= set(days)
    assert "2027-03-29" in french_public_holidays(2027)


def test_seeding_writes_the_room_once_on_the_in_memory_store() -> None:
    """The room goes through the handlers (one logbook entry per record); a second seed is refused."""
    store = InMemoryStore(FakeClock())
    loaded: list[int] = []

    def load_geo(nodes: object, segments: object, addresses: list[Address]) -> bool:
        loaded.append(len(addresses))
        return True

    summary = seed_demo(store, FakeHasher(), load_geo, seed=3)
    plan = plan_demo(3)
    assert loaded == [len(plan.town.addresses)]
    assert summary.counts["sites"] == len(summary.site_ids) == len(plan.sites)
    assert summary.geo_counts["addresses"] == len(plan.town.addresses)
    scope = Scope.tenant(summary.tenant_id)
    entries = store.read(lambda uow: list(uow.logbook.read(scope)), scope)
    records = 1 + sum(summary.counts[k] for k in summary.counts) + 2 * len(summary.users)
    assert len(entries) == records
    unit_user = store.read(lambda uow: next(u for u in uow.users.find() if u.username == "unit"), scope)
    callsigns = store.read(lambda uow: {u.callsign for u in uow.units.find()}, scope)
    assert unit_user.display_name in callsigns  # the demo's unit user lands on a unit's own card
    tests = store.read(lambda uow: {a.test_seconds for a in uow.accounts.find()}, scope)
    assert tests == {24 * 3600}  # a periodic test a day: the demo has no missed-test storm
    with pytest.raises(DemoAlreadySeeded, match="already seeded"):
        seed_demo(store, FakeHasher(), load_geo, seed=3)
    assert loaded == [len(plan.town.addresses)]
