"""`GET /api/v1/sites/{id}/map` on the demo town: a site's own streets for a map with no tile server,
only for those who may see the site."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import migrated_sqlite
from tests.integration.helpers import make_room
from tocsin.api.app import create_app
from tocsin.bootstrap import Node, bootstrap, demo_seeder
from tocsin.config import Settings
from tocsin.demo.plan import DemoPlan, SitePlan, plan_demo
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.street_map import MAX_RADIUS_M, BoundingBox, distance_m
from tocsin.services.demo import DemoSummary
from tocsin.testing import FakeClock, FakeHasher

SEED = 11
PASSWORD = "correct horse battery"


@dataclass
class Town:
    """The demo room on SQLite behind the API, and tokens for the callers the tests need."""

    node: Node
    http: TestClient
    plan: DemoPlan
    summary: DemoSummary
    tokens: dict[str, str]
    other_site: Any  # a site of the second tenant, which has no coordinates

    def get(self, who: str, url: str) -> Any:
        return self.http.get(url, headers={"Authorization": f"Bearer {self.tokens[who]}"})

    def site_id(self, site: SitePlan) -> str:
        return str(self.summary.site_ids[site.ref])


def _two_clients_sites(plan: DemoPlan) -> tuple[SitePlan, SitePlan]:
    first = plan.sites[0]
    return first, next(s for s in plan.sites if s.client_ref != first.client_ref)


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Town]:
    """The demo town seeded once; a client-role user over one site; a second tenant with its admin."""
    folder = tmp_path_factory.mktemp("site-map")
    url = migrated_sqlite(folder / "tocsin.db")
    node = bootstrap(Settings(database_url=url, var_dir=folder), hasher=FakeHasher(), clock=FakeClock())
    summary = demo_seeder(node)(SEED)
    plan = plan_demo(SEED)
    mine, _ = _two_clients_sites(plan)
    bus = node.messagebus
    scope = Scope.tenant(summary.tenant_id)
    client = bus.handle(
        c.AddUser(summary.tenant_id, "map-client", "Map Client", PASSWORD), scope=scope, actor="t"
    )
    bus.handle(c.GrantRole(client.id, "client", (), (summary.site_ids[mine.ref],)), scope=scope, actor="t")
    other = make_room(node.store)
    other_scope = Scope.tenant(other.tenant_id)
    admin = bus.handle(
        c.AddUser(other.tenant_id, "map-other-admin", "Other Admin", PASSWORD), scope=other_scope, actor="t"
    )
    bus.handle(c.GrantRole(admin.id, "admin"), scope=other_scope, actor="t")
    tokens = {
        who: node.auth.create_token(who, "map", None) for who in ("operator", "map-client", "map-other-admin")
    }
    with TestClient(create_app(node), follow_redirects=False) as http:
        yield Town(node, http, plan, summary, tokens, other.site_a)
    node.close()


def _in(box: dict[str, float], point: list[float], margin_deg: float = 0.0) -> bool:
    return (
        box["south"] - margin_deg <= point[0] <= box["north"] + margin_deg
        and box["west"] - margin_deg <= point[1] <= box["east"] + margin_deg
    )


def test_a_demo_site_gets_its_own_streets(town: Town) -> None:
    """The site's map holds the streets around it (its own among them), each touching the frame, none far."""
    site = town.plan.sites[0]
    response = town.get("operator", f"/api/v1/sites/{town.site_id(site)}/map")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"site", "radius_m", "bbox", "streets", "truncated"}
    assert body["site"] == {
        "id": town.site_id(site),
        "ref": site.ref,
        "name": site.name,
        "address": site.address,
        "latitude": pytest.approx(site.latitude),
        "longitude": pytest.approx(site.longitude),
    }
    assert body["radius_m"] == 350
    assert body["truncated"] is False
    box = body["bbox"]
    expected = BoundingBox.around(site.latitude, site.longitude, 350)
    assert box == pytest.approx(
        {"south": expected.south, "west": expected.west, "north": expected.north, "east": expected.east}
    )
    streets = body["streets"]
    assert len(streets) >= 4
    assert any(street["name"] in site.address for street in streets)
    longest_segment = max(s.length_m for s in town.plan.town.segments)
    centre = (site.latitude, site.longitude)
    for street in streets:
        assert street["name"]
        assert len(street["points"]) >= 2
        assert any(_in(box, p) for p in street["points"]), street["name"]
        assert all(
            distance_m(centre, tuple(p)) <= 350 * 2**0.5 + longest_segment + 1 for p in street["points"]
        )


def test_segments_are_joined_into_lines(town: Town) -> None:
    """Consecutive segments of a street come as one line: fewer lines than segments touching the frame."""
    site = town.plan.sites[0]
    body = town.get("operator", f"/api/v1/sites/{town.site_id(site)}/map").json()
    segments = sum(len(street["points"]) - 1 for street in body["streets"])
    assert len(body["streets"]) < segments
    assert max(len(street["points"]) for street in body["streets"]) >= 4


def test_a_wider_radius_shows_more_and_a_radius_beyond_the_limit_is_refused(town: Town) -> None:
    """The radius widens the frame up to 1,000 m; beyond it the answer is a 422 naming the limit."""
    url = f"/api/v1/sites/{town.site_id(town.plan.sites[0])}/map"
    near = town.get("operator", url).json()
    wide = town.get("operator", f"{url}?radius_m={MAX_RADIUS_M}").json()
    assert wide["radius_m"] == MAX_RADIUS_M
    assert wide["bbox"]["north"] > near["bbox"]["north"]
    count = lambda body: sum(len(s["points"]) for s in body["streets"])  # noqa: E731 - a one-line measure
    assert count(wide) > count(near)
    refused = town.get("operator", f"{url}?radius_m={MAX_RADIUS_M + 1}")
    assert refused.status_code == 422
    assert set(refused.json()) == {"error", "detail"}


def test_a_client_sees_its_own_sites_map_and_not_another_clients(town: Town) -> None:
    """A client-role user scoped to one site reads that site's map; another client's site answers 404."""
    mine, theirs = _two_clients_sites(town.plan)
    assert town.get("map-client", f"/api/v1/sites/{town.site_id(mine)}/map").status_code == 200
    response = town.get("map-client", f"/api/v1/sites/{town.site_id(theirs)}/map")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert theirs.name not in response.text


def test_another_tenants_user_gets_404(town: Town) -> None:
    """An administrator of another tenant cannot read the demo room's site maps, not even their streets."""
    site = town.plan.sites[0]
    response = town.get("map-other-admin", f"/api/v1/sites/{town.site_id(site)}/map")
    assert response.status_code == 404
    assert site.name not in response.text
    assert "streets" not in response.json()


def test_a_site_without_coordinates_has_no_streets(town: Town) -> None:
    """A site with no latitude or longitude answers 200 with null coordinates, no frame and no streets."""
    response = town.get("map-other-admin", f"/api/v1/sites/{town.other_site}/map")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["site"]["latitude"] is None
    assert body["site"]["longitude"] is None
    assert body["bbox"] is None
    assert body["streets"] == []
    assert body["truncated"] is False
