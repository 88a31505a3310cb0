"""`GET /api/v1/geo/streets`: the town's own streets around a point, for the call screen's and the events'
map. Streets belong to no tenant: those who take calls read them alike, a client reads none."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.test_api_geo import Room, room

__all__ = ["room"]  # the module's demo room, shared with the search tests


def _victor_hugo(room: Room) -> Any:
    return next(a for a in room.plan.town.addresses if a.number == "12" and a.street == "rue Victor Hugo")


def test_the_streets_around_a_point_are_lines_in_its_frame(room: Room) -> None:
    """Around 12 rue Victor Hugo: that street among the lines, every point inside the frame."""
    house = _victor_hugo(room)
    response = room.get(
        "operator", "/api/v1/geo/streets", lat=house.latitude, lon=house.longitude, radius_m=300
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["radius_m"] == 300
    assert "rue Victor Hugo" in {s["name"] for s in body["streets"]}
    box = body["bbox"]
    assert box["south"] < house.latitude < box["north"]
    assert box["west"] < house.longitude < box["east"]
    far = room.get("operator", "/api/v1/geo/streets", lat=-45.0, lon=100.0).json()
    assert far["streets"] == []


def test_another_tenant_reads_the_same_streets_and_a_client_none(room: Room) -> None:
    """Another tenant's admin reads the same answer (nothing of ours in it); a client, 403; no login, 401."""
    house = _victor_hugo(room)
    point = {"lat": house.latitude, "lon": house.longitude}
    ours = room.get("operator", "/api/v1/geo/streets", **point).json()
    other = room.get("geo-other", "/api/v1/geo/streets", **point)
    assert other.status_code == 200
    assert other.json() == ours
    assert room.get("geo-client", "/api/v1/geo/streets", **point).status_code == 403
    assert room.http.get("/api/v1/geo/streets", params=point).status_code == 401


@pytest.mark.parametrize(
    "params",
    [
        {"lat": 91, "lon": 2},
        {"lat": 47},
        {"lat": 47, "lon": 2, "radius_m": 10},
        {"lat": 47, "lon": 2, "radius_m": 5000},
    ],
)
def test_bad_input_is_a_clear_422(room: Room, params: dict[str, Any]) -> None:
    response = room.get("operator", "/api/v1/geo/streets", **params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
