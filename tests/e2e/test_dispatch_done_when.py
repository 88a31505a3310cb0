"""Issue 14's « done when », in Chromium with two browsers against one real `tocsin serve` whose roads and
addresses are the demo town's: the room's console (1280x720) and a crew's phone (its mobile page).

A call taken on the call screen (I) becomes an event; the recommendation panel's first unit is the one
with the shortest drive time, checked against a shortest-path computation written here (a plain heapq
Dijkstra over the road graph read from the server's own database, the event snapped on its nearest
street, plus the walk off the road and the product's turnout); it is engaged from the panel; the crew's
page shows the assignment live, and the crew acknowledges, goes en route, on scene and available with
its big buttons; a partner is notified from the partners panel and its acknowledgment recorded; the
event closes with a report; the event sheet PDF downloads and its first page renders; the logbook
verifies. Everything but the independent computation and the final verify is what a user does."""

from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from tests.e2e.conftest import Server, _free_port, _prepare, log_in, shoot
from tests.e2e.test_console import _axe
from tocsin.adapters.store import geo_store
from tocsin.bootstrap import bootstrap
from tocsin.cli.main import cli
from tocsin.demo.plan import DEFAULT_SEED, plan_demo
from tocsin.domain import commands as c
from tocsin.domain import partner_commands as pc
from tocsin.domain import units as u
from tocsin.domain.scope import Scope

TOWN = plan_demo(DEFAULT_SEED).town
STREET, NUMBER = "rue Victor Hugo", "12"
TURNOUT_S = {"police": 60}  # the product's turnout for its kind (docs/routing.md)
WALK_MS = 6 / 3.6  # the walk off the road, 6 km/h (docs/routing.md)
M_PER_DEG = 6_371_008.8 * math.pi / 180
ROWS = '[data-testid="event-rows"] tr'
TEMPLATE = {"code": "police", "name": "Police", "text": "{type_code} {priority} at {address}"}


@dataclass(frozen=True)
class Roads:
    """A road graph as plain values: node positions and directed edges in seconds."""

    nodes: dict[int, tuple[float, float]]
    segments: list[tuple[int, int, float, bool]]  # from, to, seconds, one way


def _planar(lat0: float, latitude: float, longitude: float) -> tuple[float, float]:
    return longitude * M_PER_DEG * math.cos(math.radians(lat0)), latitude * M_PER_DEG


def snap(roads: Roads, latitude: float, longitude: float) -> tuple[int, float, float]:
    """The nearest segment to a point (its index), the fraction along it, the metres off the road."""
    px, py = _planar(latitude, latitude, longitude)
    best = (math.inf, -1, 0.0)
    for index, (a, b, _seconds, _oneway) in enumerate(roads.segments):
        ax, ay = _planar(latitude, *roads.nodes[a])
        bx, by = _planar(latitude, *roads.nodes[b])
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
        off = math.hypot(ax + t * dx - px, ay + t * dy - py)
        if off < best[0]:
            best = (off, index, t)
    return best[1], best[2], best[0]


def seconds_to(roads: Roads, latitude: float, longitude: float) -> dict[int, float]:
    """Every node's drive time to the point (with the walk from the road to it): the point snapped on
    its street, a plain Dijkstra over the reversed edges from there."""
    index, t, off = snap(roads, latitude, longitude)
    a, b, seconds, oneway = roads.segments[index]
    arriving: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for start, end, cost, one in roads.segments:
        arriving[end].append((start, cost))
        if not one:
            arriving[start].append((end, cost))
    best: dict[int, float] = {a: t * seconds}
    if not oneway:
        best[b] = min(best.get(b, math.inf), (1 - t) * seconds)
    queue = [(time, node) for node, time in best.items()]
    heapq.heapify(queue)
    while queue:
        time, node = heapq.heappop(queue)
        if time > best.get(node, math.inf):
            continue
        for start, cost in arriving[node]:
            if time + cost < best.get(start, math.inf):
                best[start] = time + cost
                heapq.heappush(queue, (time + cost, start))
    return {node: time + off / WALK_MS for node, time in best.items()}


def town_roads() -> Roads:
    nodes = {n.id: (n.latitude, n.longitude) for n in TOWN.nodes}
    segments = [(s.from_node, s.to_node, s.length_m / (s.speed_kmh / 3.6), s.oneway) for s in TOWN.segments]
    return Roads(nodes, segments)


def database_roads(url: str) -> Roads:
    """The road graph the server uses, read from its database with plain SQL."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            nodes = {
                int(i): (float(lat), float(lon))
                for i, lat, lon in connection.execute(text("SELECT id, latitude, longitude FROM road_node"))
            }
            rows = connection.execute(
                text("SELECT from_node, to_node, length_m, speed_kmh, oneway FROM road_segment")
            )
            segments = [(int(a), int(b), float(m) / (float(v) / 3.6), bool(o)) for a, b, m, v, o in rows]
    finally:
        engine.dispose()
    return Roads(nodes, segments)


@dataclass(frozen=True)
class Patrol:
    callsign: str
    node: int
    crew: bool  # linked to victor's login (the crew's phone)


def _patrols() -> list[Patrol]:
    """Four patrols on junctions near 12 rue Victor Hugo (not the nearest one, where an ambulance
    waits: it cannot do a patrol's job); victor's login is linked to the one that drives there first."""
    place = next(a for a in TOWN.addresses if a.street == STREET and a.number == NUMBER)
    lat0 = place.latitude
    here = _planar(lat0, place.latitude, place.longitude)
    near = sorted(TOWN.nodes, key=lambda n: math.dist(here, _planar(lat0, n.latitude, n.longitude)))
    picked = [near[k] for k in (1, 4, 7, 11)]
    times = seconds_to(town_roads(), place.latitude, place.longitude)
    first = min(picked, key=lambda n: times.get(n.id, math.inf))
    return [Patrol(f"PM {k + 1}", n.id, n is first) for k, n in enumerate(picked)] + [
        Patrol("AMB 1", near[0].id, False)
    ]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room on the demo town's roads and addresses, four police patrols and an ambulance on its
    junctions, the police told of every security event by the matrix."""
    tmp = tmp_path_factory.mktemp("donewhen")
    settings, room = _prepare(tmp)
    node = bootstrap(settings)

    def load(uow: Any) -> None:
        connection = uow.session.connection()
        geo_store.insert_geo_reference(connection, TOWN.nodes, TOWN.segments, TOWN.addresses)
        geo_store.bump_address_revision(connection, node.clock.now())

    try:
        node.store.write(load, Scope.system())
        scope = Scope.tenant(room.tenant_id)
        bus = node.messagebus
        victor = node.store.read(lambda uow: uow.users.find(username="victor")[0], scope)
        junctions = {n.id: n for n in TOWN.nodes}
        for patrol in _patrols():
            at = junctions[patrol.node]
            kind, able = (
                ("ambulance", ()) if patrol.callsign.startswith("AMB") else ("police", ("intervention",))
            )
            command = u.CreateUnit(
                room.tenant_id,
                patrol.callsign,
                kind,
                capabilities=able,
                latitude=at.latitude,
                longitude=at.longitude,
                user_id=victor.id if patrol.crew else None,
            )
            bus.handle(command, scope=scope, actor="e2e")
        police = bus.handle(
            c.AddPartner(room.tenant_id, "Police 41", "police", ("17",)), scope=scope, actor="e2e"
        )
        rule = {
            "category": "security",
            "partner_id": str(police.id),
            "channel": "phone",
            "template_code": "police",
        }
        bus.handle(pc.SetMatrix(room.tenant_id, (rule,), (TEMPLATE,), "e2e"), scope=scope, actor="e2e")
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


def _clock(cell: str) -> int:
    """The panel's ETA (m:ss or h:mm:ss) in seconds."""
    parts = [int(p) for p in cell.strip().split(":")]
    return sum(p * 60**k for k, p in enumerate(reversed(parts)))


def _take_the_call(alice: Any) -> str:
    """I, the caller, the type by search, the address, Ctrl+Enter: the new event's id."""
    alice.keyboard.press("i")
    alice.locator('[data-testid="call-screen"]').wait_for(state="visible", timeout=20000)
    alice.wait_for_function("() => document.activeElement && document.activeElement.id === 'cs-caller'")
    alice.keyboard.type("Paul Durand")
    alice.keyboard.press("Tab")
    alice.keyboard.type("0699887766")
    alice.keyboard.press("Tab")
    alice.keyboard.type("suspicious person")
    alice.locator('[data-testid="cs-types"] li[data-code="SUSPICIOUS_PERSON"]').wait_for(timeout=20000)
    alice.keyboard.press("Enter")
    alice.locator('[data-testid="cs-place"]').focus()
    alice.keyboard.type(f"{NUMBER} {STREET}")
    alice.locator('[data-testid="cs-places"] li').first.wait_for(timeout=20000)
    alice.keyboard.press("Enter")
    alice.locator('[data-testid="cs-place-set"]', has_text=f"{NUMBER} {STREET}").wait_for(timeout=20000)
    alice.keyboard.press("Control+Enter")
    alice.wait_for_function("() => document.getElementById('call-screen').dataset.lastEvent")
    alice.get_by_text("Event created: Suspicious person or vehicle · P4").wait_for(timeout=20000)
    event_id: str = alice.evaluate("document.getElementById('call-screen').dataset.lastEvent")
    alice.keyboard.press("Escape")
    return event_id


def _crew_moves(crew: Any, status: str) -> None:
    crew.locator(f'[data-testid="status-{status}"]').click()
    crew.locator(f'[data-testid="unit-status"][data-status="{status}"]').wait_for(timeout=20000)


def test_a_call_becomes_an_event_the_fastest_unit_goes_and_the_event_closes_with_its_record(  # noqa: PLR0915 - one story
    browser: Any, server: Server
) -> None:
    """The issue's whole story, in the room and on the crew's phone."""
    crew = log_in(browser, server, "victor", live=False, size=(412, 915), is_mobile=True, has_touch=True)
    crew.goto(f"{server.url}/unit")
    crew.locator('[data-testid="unit-live"][data-state="on"]').wait_for(timeout=20000)
    assert crew.locator('[data-testid="assignment-empty"]').is_visible()
    alice = log_in(browser, server, "alice")  # 1920x1080: at 1280x720 the events pane is all map

    event_id = _take_the_call(alice)
    alice.locator(ROWS, has_text=STREET).wait_for(timeout=20000)
    shoot(alice, "done-when-board-1920x1080")
    alice.keyboard.press("b")  # the board, its first (and only) event selected
    alice.keyboard.press("r")  # its file, with the units to send
    rows = alice.locator('[data-testid="recommend-row"]')
    rows.nth(3).wait_for(timeout=20000)  # the four patrols; the ambulance cannot do the job

    # the independent computation: the graph in the server's database, the event where it was placed
    event = alice.evaluate(f"fetch('/api/v1/events/{event_id}').then((r) => r.json())")
    roads = database_roads(server.settings.database_url)
    times = seconds_to(roads, event["latitude"], event["longitude"])
    units = alice.evaluate("fetch('/api/v1/units').then((r) => r.json())")
    able = [x for x in units if x["kind"] == "police" and x["status"] == "available"]
    assert len(able) == 4
    etas = {}
    for unit in able:
        index, fraction, off = snap(roads, unit["latitude"], unit["longitude"])
        assert off < 0.5  # on a junction: its snap is the junction itself
        a, b, _s, _o = roads.segments[index]
        junction = a if fraction < 0.5 else b
        etas[unit["id"]] = times[junction] + TURNOUT_S["police"]
    fastest = min(etas, key=lambda k: etas[k])
    first = rows.nth(0)
    assert first.get_attribute("data-unit-id") == fastest
    assert first.locator("input").is_checked()  # proposed
    shown = _clock(first.locator("td.num").nth(1).text_content() or "")
    assert abs(shown - etas[fastest]) <= 1.0, (shown, etas[fastest])
    ranked = [rows.nth(k).get_attribute("data-unit-id") for k in range(4)]
    assert ranked == sorted(etas, key=lambda k: etas[k])  # and the others in the same order
    callsign = next(x["callsign"] for x in units if x["id"] == fastest)
    shoot(alice, "done-when-recommendation-1920x1080")

    alice.locator('[data-testid="recommend-engage"]').click()
    alice.locator('[data-testid="recommendation"] .recommend-status', has_text="ngaged").wait_for(
        timeout=10000
    )
    alice.locator('[data-testid="event-units-panel"] li', has_text=callsign).wait_for(timeout=20000)

    crew.locator('[data-testid="assignment-address"]', has_text=STREET).wait_for(timeout=20000)
    assert crew.locator('[data-testid="unit-callsign"]').text_content() == callsign
    shoot(crew, "done-when-crew-alerted")
    for status in ("acknowledged", "en_route", "on_scene"):
        _crew_moves(crew, status)
        alice.locator('[data-testid="event-units-panel"] li', has_text=f"{callsign} · ").filter(
            has_text=re.compile({"en_route": "En route", "on_scene": "On scene"}.get(status, "Acknowledged"))
        ).wait_for(timeout=20000)
    shoot(crew, "done-when-crew-on-scene")
    crew.set_viewport_size({"width": 1280, "height": 720})  # the page on a vehicle's screen
    shoot(crew, "done-when-crew-on-scene-1280x720")
    crew.set_viewport_size({"width": 412, "height": 915})
    serious = {
        name: [(v["id"], v["help"]) for v in _axe(page) if v["impact"] in ("serious", "critical")]
        for name, page in (("crew", crew), ("room", alice))
    }
    assert serious == {"crew": [], "room": []}

    panel = alice.locator('[data-testid="event-partners"]')
    suggestion = panel.locator('[data-testid="ep-suggestions"] li', has_text="Police 41")
    suggestion.locator('[data-testid="ep-suggestion-send"]').click()
    sent = panel.locator('[data-testid="ep-requests"] li', has_text="SUSPICIOUS_PERSON")
    sent.locator('[data-testid="ep-ack-reference"]').fill("PN-41-2026-118")
    sent.locator('[data-testid="ep-ack"]').click()
    panel.locator('[data-testid="ep-requests"] li', has_text="PN-41-2026-118").wait_for(timeout=20000)

    _crew_moves(crew, "available")
    crew.locator('[data-testid="assignment-empty"]').wait_for(state="visible", timeout=20000)
    alice.locator('[data-testid="event-units-panel"] li', has_text=callsign).wait_for(
        state="detached", timeout=10000
    )

    panel.locator('[data-testid="ep-outcomes"] input[value="handled"]').check()
    panel.locator('[data-testid="ep-report-text"]').fill("Person checked and sent on his way; nothing taken.")
    shoot(alice, "done-when-closing-1920x1080")
    panel.locator('[data-testid="ep-close"]').click()
    alice.locator(ROWS, has_text=STREET).wait_for(state="detached", timeout=20000)

    with alice.expect_download() as download:
        panel.locator('[data-testid="ep-sheet"]').click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[0].render(scale=1).to_pil().convert("L")
        words = "".join(pdf[k].get_textpage().get_text_range() for k in range(len(pdf)))
    finally:
        pdf.close()
    width, height = image.size
    assert (abs(width - 595), abs(height - 842)) <= (1, 1)  # A4 at 72 dpi
    assert sum(image.histogram()[:128]) > 2000, "the first page is (almost) blank"
    squashed = words.replace("\r", "").replace("\n", "")
    assert event_id in squashed
    assert "PN-41-2026-118" in squashed

    env = {"TOCSIN_DATABASE_URL": server.settings.database_url, "TOCSIN_VAR_DIR": str(server.tmp)}
    verified = CliRunner().invoke(cli, ["logbook", "verify"], env=env)
    assert verified.exit_code == 0, verified.output
    assert verified.output.startswith("OK:")
