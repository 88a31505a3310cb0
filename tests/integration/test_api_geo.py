"""`GET /api/v1/geo/search` and `/geo/reverse` over the demo town: addresses for those who take calls,
sites only in the caller's own scope, nothing for a caller who is not logged in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.helpers import make_room
from tocsin.adapters.store import migrate
from tocsin.api.app import create_app
from tocsin.bootstrap import Node, bootstrap, demo_seeder
from tocsin.config import Settings
from tocsin.demo.plan import DEFAULT_SEED, DemoPlan, SitePlan, plan_demo
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.services.demo import DemoSummary
from tocsin.testing import FakeClock, FakeHasher

SEED = DEFAULT_SEED  # its town has a rue Victor Hugo
PASSWORD = "correct horse battery"
SECRET_SITE = "Entrepôt Zéphyrin"  # the second tenant's site: no one of the first may find it


@dataclass
class Room:
    node: Node
    http: TestClient
    plan: DemoPlan
    summary: DemoSummary
    tokens: dict[str, str]

    def get(self, who: str | None, url: str, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return self.http.get(url, params=params, headers=headers)


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Room]:
    """The demo room once; a client-role user over one site; a second tenant with a site and an admin."""
    folder = tmp_path_factory.mktemp("geo")
    url = f"sqlite:///{folder / 'tocsin.db'}"
    migrate.upgrade(url)
    node = bootstrap(Settings(database_url=url, var_dir=folder), hasher=FakeHasher(), clock=FakeClock())
    summary = demo_seeder(node)(SEED)
    plan = plan_demo(SEED)
    bus = node.messagebus
    scope = Scope.tenant(summary.tenant_id)
    client = bus.handle(
        c.AddUser(summary.tenant_id, "geo-client", "Geo Client", PASSWORD), scope=scope, actor="t"
    )
    mine = plan.sites[0]
    bus.handle(c.GrantRole(client.id, "client", (), (summary.site_ids[mine.ref],)), scope=scope, actor="t")
    other = make_room(node.store)
    other_scope = Scope.tenant(other.tenant_id)
    bus.handle(
        c.CreateSite(tenant_id=other.tenant_id, client_id=other.client_a, ref="ZX9", name=SECRET_SITE),
        scope=other_scope,
        actor="t",
    )
    admin = bus.handle(
        c.AddUser(other.tenant_id, "geo-other", "Other", PASSWORD), scope=other_scope, actor="t"
    )
    bus.handle(c.GrantRole(admin.id, "admin"), scope=other_scope, actor="t")
    tokens = {
        who: node.auth.create_token(who, "geo", None) for who in ("operator", "geo-client", "geo-other")
    }
    with TestClient(create_app(node), follow_redirects=False) as http:
        yield Room(node, http, plan, summary, tokens)
    node.close()


def _address(room: Room, number: str, street: str) -> Any:
    return next(a for a in room.plan.town.addresses if a.number == number and a.street == street)


def test_an_operator_finds_an_address_with_a_typo_and_the_number_last(room: Room) -> None:
    """`vicor hugo 12`: the house, first, with its position and a score."""
    response = room.get("operator", "/api/v1/geo/search", q="vicor hugo 12", kind="address", limit=3)
    assert response.status_code == 200, response.text
    body = response.json()
    wanted = _address(room, "12", "rue Victor Hugo")
    best = body["candidates"][0]
    assert body["message"] is None
    assert best["kind"] == "address"
    assert best["precision"] == "address"
    assert best["address_id"] == wanted.id
    assert (best["latitude"], best["longitude"]) == (wanted.latitude, wanted.longitude)
    assert best["label"] == "12 rue Victor Hugo, 45990 Valmont-sur-Loire"
    assert 0 < best["score"] <= 1


def test_sites_are_found_by_name_or_reference_in_scope(room: Room) -> None:
    """A demo site by its reference and by its name with a typo; kind=all mixes sites and addresses."""
    site: SitePlan = room.plan.sites[3]
    by_ref = room.get("operator", "/api/v1/geo/search", q=site.ref, kind="site").json()["candidates"]
    assert by_ref[0]["site_id"] == str(room.summary.site_ids[site.ref])
    assert by_ref[0]["score"] == 1.0
    longest = max(site.name.split(), key=len)
    typo = site.name.replace(longest, longest[:-2] + longest[-1]) if len(longest) >= 5 else site.name
    by_name = room.get("operator", "/api/v1/geo/search", q=typo, kind="site").json()["candidates"]
    assert str(room.summary.site_ids[site.ref]) in [c["site_id"] for c in by_name]
    mixed = room.get("operator", "/api/v1/geo/search", q=site.ref).json()["candidates"]
    assert mixed[0]["kind"] == "site"


def test_nothing_found_is_an_answer_that_offers_the_map(room: Room) -> None:
    """No candidate: 200, an empty list and a message the console shows."""
    body = room.get("operator", "/api/v1/geo/search", q="zzqx wvvy").json()
    assert body["candidates"] == []
    assert "click the place on the map" in body["message"]


def test_reverse_gives_the_nearest_addresses(room: Room) -> None:
    """A click beside a house gives that house first, with its distance."""
    house = room.plan.town.addresses[42]
    body = room.get(
        "operator", "/api/v1/geo/reverse", lat=house.latitude + 0.00001, lon=house.longitude, limit=2
    ).json()
    assert next(c["address_id"] for c in body["candidates"]) == house.id
    assert 0 < body["candidates"][0]["distance_m"] < 2
    assert len(body["candidates"]) == 2
    far = room.get("operator", "/api/v1/geo/reverse", lat=-45.0, lon=100.0).json()
    assert far["candidates"] == []
    assert far["message"]


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/v1/geo/search", {"q": ""}),
        ("/api/v1/geo/search", {"q": "x" * 201}),
        ("/api/v1/geo/search", {"q": "gare", "limit": 0}),
        ("/api/v1/geo/search", {"q": "gare", "limit": 51}),
        ("/api/v1/geo/search", {"q": "gare", "kind": "unit"}),
        ("/api/v1/geo/search", {"q": "   "}),
        ("/api/v1/geo/reverse", {"lat": 91, "lon": 2}),
        ("/api/v1/geo/reverse", {"lat": 47}),
        ("/api/v1/geo/reverse", {"lat": "north", "lon": 2}),
    ],
)
def test_bad_input_is_a_clear_422(room: Room, url: str, params: dict[str, Any]) -> None:
    """Out-of-range or missing parameters: 422 naming the problem."""
    response = room.get("operator", url, **params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/v1/geo/search?q=gare", "/api/v1/geo/reverse?lat=47.8&lon=2.3"])
def test_nothing_without_a_login(room: Room, url: str) -> None:
    """No session, no token: 401."""
    assert room.http.get(url).status_code == 401


def test_a_client_searches_only_its_own_sites(room: Room) -> None:
    """A client takes no calls (403 for addresses) and finds only the site it is granted."""
    assert room.get("geo-client", "/api/v1/geo/search", q="rue victor hugo").status_code == 403
    assert room.get("geo-client", "/api/v1/geo/reverse", lat=47.8, lon=2.3).status_code == 403
    mine, theirs = room.plan.sites[0], room.plan.sites[1]
    found = room.get("geo-client", "/api/v1/geo/search", q=mine.ref, kind="site").json()["candidates"]
    assert [c["site_id"] for c in found] == [str(room.summary.site_ids[mine.ref])]
    other = room.get("geo-client", "/api/v1/geo/search", q=theirs.ref, kind="site").json()
    assert str(room.summary.site_ids[theirs.ref]) not in [c["site_id"] for c in other["candidates"]]


def test_another_tenants_sites_are_never_found(room: Room) -> None:
    """The demo operator never finds the second tenant's site, however exactly it is named; its own
    admin does; the shared addresses answer both alike."""
    for q in (SECRET_SITE, "ZX9", "entrepot zephyrin"):
        found = room.get("operator", "/api/v1/geo/search", q=q).json()["candidates"]
        assert all(c["kind"] != "site" or "Zéphyrin" not in c["label"] for c in found), q
    theirs = room.get("geo-other", "/api/v1/geo/search", q="entrepot zephyrin", kind="site").json()
    assert theirs["candidates"][0]["label"].startswith("ZX9 Entrepôt Zéphyrin")
    ours = room.get("operator", "/api/v1/geo/search", q="12 rue victor hugo", kind="address").json()
    other = room.get("geo-other", "/api/v1/geo/search", q="12 rue victor hugo", kind="address").json()
    assert ours == other
