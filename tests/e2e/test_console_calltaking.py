"""The call-taking screen and the events map, as operators live with them: Chromium against a real
`tocsin serve` whose geographic reference is the demo town. A call taken with the keyboard alone (I, the
caller, the type by search, the questions, an address typed with a typo, the narrative, Ctrl+Enter)
opens an event that a second operator's board AND map show without reload; its CAP export validates
against the official XSD and the logbook's chain verifies."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from tests.e2e.conftest import Server, _free_port, _prepare, log_in, shoot
from tests.e2e.test_console import _axe
from tocsin.adapters.store import geo_store
from tocsin.bootstrap import bootstrap
from tocsin.cli.main import cli
from tocsin.demo.plan import DEFAULT_SEED, plan_demo
from tocsin.domain.scope import Scope
from tocsin.protocols import cap

ROWS = '[data-testid="event-rows"] tr'
MARKERS = '[data-testid="events-map-marker"]'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The e2e room (alice, bob…) on a node whose streets and addresses are the demo town's."""
    tmp = tmp_path_factory.mktemp("calltaking")
    settings, room = _prepare(tmp)
    town = plan_demo(DEFAULT_SEED).town  # its streets and addresses only: 12 rue Victor Hugo is one
    node = bootstrap(settings)

    def load(uow: Any) -> None:
        connection = uow.session.connection()
        geo_store.insert_geo_reference(connection, town.nodes, town.segments, town.addresses)
        geo_store.bump_address_revision(connection, node.clock.now())

    try:
        node.store.write(load, Scope.system())
    finally:
        node.close()
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    running.start()
    yield running
    running.stop()


def _session(page: Any) -> str:
    return str({c["name"]: c["value"] for c in page.context.cookies()}["tocsin_session"])


def _get(server: Server, page: Any, path: str) -> tuple[bytes, str]:
    request = urllib.request.Request(  # noqa: S310 - loopback server of this test
        f"{server.url}{path}", headers={"Cookie": f"tocsin_session={_session(page)}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return response.read(), response.headers.get("Content-Type", "")


def test_a_call_taken_by_keyboard_reaches_another_operators_board_and_map(  # noqa: PLR0915 - one story
    browser: Any, server: Server
) -> None:
    alice = log_in(browser, server, "alice", size=(1280, 720))
    bob = log_in(browser, server, "bob")
    alice.keyboard.press("i")
    screen = alice.locator('[data-testid="call-screen"]')
    screen.wait_for(state="visible", timeout=20000)
    alice.wait_for_function("() => document.activeElement && document.activeElement.id === 'cs-caller'")
    alice.keyboard.type("Jeanne Martin")
    alice.keyboard.press("Tab")
    alice.keyboard.type("0611223344")
    alice.keyboard.press("Tab")
    alice.keyboard.type("feu habit")  # French words, no accent: the building fire
    alice.locator('[data-testid="cs-types"] li[data-code="FIRE_BUILDING"]').wait_for(timeout=20000)
    alice.keyboard.press("Enter")
    priority = alice.locator('[data-testid="cs-priority"]')
    alice.wait_for_function("() => document.getElementById('cs-priority').dataset.priority === '2'")
    # the first question has the focus: people inside? not known yet; Tab to smoke visible: yes → P1
    assert alice.evaluate("document.activeElement.dataset.question") == "people_inside"
    alice.keyboard.press("Tab")
    alice.keyboard.press("ArrowDown")  # — → yes
    alice.wait_for_function("() => document.getElementById('cs-priority').dataset.priority === '1'")
    assert priority.text_content() == "P1"
    assert alice.locator('[data-testid="cs-reflex"]').is_hidden()
    alice.keyboard.press("Shift+Tab")
    alice.keyboard.press("ArrowDown")  # people inside: yes → départ réflexe at once
    alice.locator('[data-testid="cs-reflex"]').wait_for(state="visible", timeout=20000)
    alice.locator('[data-testid="cs-place"]').focus()
    alice.keyboard.type("12 rue Victr Hugo")  # a typo
    first = alice.locator('[data-testid="cs-places"] li').first
    first.wait_for(timeout=20000)
    assert "Victor Hugo" in (first.text_content() or "")
    alice.keyboard.press("Enter")
    alice.locator('[data-testid="cs-place-set"]', has_text="12 rue Victor Hugo").wait_for(timeout=20000)
    alice.locator('[data-testid="cs-map"].leaflet-container').wait_for(timeout=20000)
    alice.locator('[data-testid="cs-note"]').focus()
    alice.keyboard.type("Smoke from the second floor")
    alice.keyboard.press("Enter")
    assert alice.locator('[data-testid="cs-narrative"] li').count() == 1
    shoot(alice, "call-screen-1280x720")
    alice.keyboard.press("Control+Enter")
    alice.wait_for_function("() => document.getElementById('call-screen').dataset.lastEvent")
    event_id = alice.evaluate("document.getElementById('call-screen').dataset.lastEvent")
    assert alice.locator('[data-testid="cs-caller"]').input_value() == ""  # ready for the next call
    assert alice.locator('[data-testid="cs-questions"] select').count() == 0

    row = bob.locator(ROWS, has_text="Building fire")
    row.wait_for(timeout=20000)
    assert "P1" in (row.text_content() or "")
    assert "IMMEDIATE DISPATCH" in (row.text_content() or "")
    assert "Victor Hugo" in (row.text_content() or "")
    bob.locator(f'{MARKERS}[data-id="{event_id}"]').wait_for(timeout=20000)
    assert bob.url.endswith("/console")  # never reloaded
    shoot(bob, "events-map-1920x1080")

    body, kind = _get(server, bob, f"/api/v1/events/{event_id}")
    event = json.loads(body)
    assert (event["caller_name"], event["caller_phone"]) == ("Jeanne Martin", "0611223344")
    assert event["answers"] == {"people_inside": True, "smoke_visible": True}
    assert any("Smoke from the second floor" in n["text"] for n in event["notes"])
    xml, kind = _get(server, bob, f"/api/v1/events/{event_id}/cap")
    assert kind.startswith("application/cap+xml")
    cap.validate(xml)

    env = {"TOCSIN_DATABASE_URL": server.settings.database_url, "TOCSIN_VAR_DIR": str(server.tmp)}
    verified = CliRunner().invoke(cli, ["logbook", "verify"], env=env)
    assert verified.exit_code == 0, verified.output
    assert verified.output.startswith("OK:")

    closed = urllib.request.Request(  # noqa: S310 - loopback server of this test
        f"{server.url}/api/v1/events/{event_id}/close",
        data=json.dumps({"outcomes": ["handled"], "text": "Handled on scene."}).encode(),
        headers={
            "Content-Type": "application/json",
            "X-CSRF-Token": alice.locator('meta[name="csrf-token"]').get_attribute("content"),
            "Cookie": f"tocsin_session={_session(alice)}",
        },
        method="POST",
    )
    with urllib.request.urlopen(closed, timeout=10):  # noqa: S310 - loopback
        pass
    bob.locator(f'{MARKERS}[data-id="{event_id}"]').wait_for(state="detached", timeout=20000)
    row.wait_for(state="detached", timeout=20000)


def test_an_address_that_matches_nothing_says_so_and_a_map_click_places_it(
    browser: Any, server: Server
) -> None:
    bob = log_in(browser, server, "bob", size=(1280, 720))
    _post(server, bob, "/api/v1/events", {"type_code": "NOISE", **_victor_hugo(server, bob)})
    bob.locator(MARKERS).first.wait_for(timeout=20000)  # the map opens on the open events' town
    bob.keyboard.press("i")
    bob.locator('[data-testid="call-screen"]').wait_for(state="visible", timeout=20000)
    bob.locator('[data-testid="cs-place"]').focus()
    bob.keyboard.type("zzqx wvvy")
    message = bob.locator('[data-testid="cs-place-message"]')
    message.wait_for(state="visible", timeout=20000)
    assert "click" in (message.text_content() or "")
    frame = bob.locator('[data-testid="cs-map"]')
    bob.locator('[data-testid="cs-map"].leaflet-container').wait_for(timeout=20000)
    box = frame.bounding_box()
    assert box is not None
    bob.mouse.click(box["x"] + box["width"] / 2 + 20, box["y"] + box["height"] / 2 + 10)
    bob.wait_for_function("() => document.getElementById('cs-place-set').textContent.length > 0")
    assert bob.locator('[data-testid="cs-place-message"]').is_hidden()
    serious = [(v["id"], v["help"]) for v in _axe(bob) if v["impact"] in ("serious", "critical")]
    assert serious == []  # axe-core on the open screen, its map and the events map behind it
    bob.keyboard.press("Escape")
    bob.locator('[data-testid="call-screen"]').wait_for(state="hidden", timeout=20000)


def _post(server: Server, page: Any, path: str, body: dict[str, Any]) -> Any:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    request = urllib.request.Request(  # noqa: S310 - loopback server of this test
        f"{server.url}{path}",
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "X-CSRF-Token": token,
            "Cookie": f"tocsin_session={cookies['tocsin_session']}",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        return json.load(response)


def test_a_second_call_for_the_same_gas_leak_is_linked_not_opened_again(browser: Any, server: Server) -> None:
    """A gas leak at 12 rue Victor Hugo is open; a French supervisor takes a second call there: the
    screen (in French) offers it before creating, Enter on « Rattacher » and Ctrl+Enter attach the call
    to it (a note of the event), and no new event is opened."""
    dominique = log_in(browser, server, "dominique")
    opened = _post(
        server,
        dominique,
        "/api/v1/events",
        {"type_code": "GAS_LEAK", "address": "12 rue Victor Hugo", **_victor_hugo(server, dominique)},
    )["event"]
    before = len(json.loads(_get(server, dominique, "/api/v1/events?limit=1000")[0]))
    dominique.keyboard.press("i")
    dominique.locator('[data-testid="call-screen"]').wait_for(state="visible", timeout=20000)
    assert dominique.locator("#cs-title").text_content() == "Appel entrant"
    dominique.keyboard.type("Voisin")
    dominique.locator('[data-testid="cs-type"]').focus()
    dominique.keyboard.type("fuite gaz")
    dominique.locator('[data-testid="cs-types"] li[data-code="GAS_LEAK"]').wait_for(timeout=20000)
    dominique.keyboard.press("Enter")
    dominique.locator('[data-testid="cs-place"]').focus()
    dominique.keyboard.type("12 victor hugo")
    dominique.locator('[data-testid="cs-places"] li').first.wait_for(timeout=20000)
    dominique.keyboard.press("Enter")
    offered = dominique.locator(f'#cs-duplicate-list li[data-id="{opened["id"]}"]')
    offered.wait_for(timeout=20000)
    offered.locator("button").focus()
    dominique.keyboard.press("Enter")
    assert "is-chosen" in (offered.get_attribute("class") or "")
    dominique.keyboard.press("Control+Enter")
    dominique.wait_for_function("() => document.getElementById('call-screen').dataset.lastEvent")
    assert dominique.evaluate("document.getElementById('call-screen').dataset.lastEvent") == opened["id"]
    assert len(json.loads(_get(server, dominique, "/api/v1/events?limit=1000")[0])) == before
    event = json.loads(_get(server, dominique, f"/api/v1/events/{opened['id']}")[0])
    assert any("Voisin" in n["text"] for n in event["notes"])


def _victor_hugo(server: Server, page: Any) -> dict[str, float]:
    found = json.loads(_get(server, page, "/api/v1/geo/search?q=12+rue+victor+hugo&kind=address&limit=1")[0])
    best = found["candidates"][0]
    return {"latitude": best["latitude"], "longitude": best["longitude"]}
