"""``/api/v1/geo``: find a place by what the caller says (addresses and the room's sites) or by a point.

Addresses are the installation's shared reference (no tenant owns a street): searching them needs
``console.use``, the right of those who take calls. Sites belong to a tenant and are searched in the
caller's ``directory.read`` scope only. A search that finds nothing answers 200 with no candidates and a
``message`` the console shows, offering a click on the map instead.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from tocsin.api.deps import NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.api.schemas import BoundingBoxOut, StreetOut
from tocsin.domain.geocoding import MAX_LIMIT, MAX_QUERY_CHARS, GeoCandidate, nothing_found
from tocsin.domain.street_map import DEFAULT_RADIUS_M, MAX_RADIUS_M, MIN_RADIUS_M
from tocsin.services import geocoding, queries

router = api_router("/api/v1/geo", "geo")


class CandidateOut(BaseModel):
    """A place found: an address, a street or a site, with its position and a score in [0, 1]."""

    kind: Literal["address", "site"]
    label: str
    score: float = Field(ge=0, le=1)
    latitude: float | None
    longitude: float | None
    precision: Literal["address", "nearby_number", "street", "site", "none"] = Field(
        description="address: the number asked for; nearby_number: the street lacks it, the nearest"
        " number it has; street: no number asked, the middle of the street; site: a site's position;"
        " none: a site with no coordinates."
    )
    address_id: int | None = None
    number: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    site_id: str | None = None
    distance_m: float | None = Field(default=None, description="Metres from the point (reverse only).")


class SearchOut(BaseModel):
    """Candidates best first; none: ``message`` says so and offers a map click."""

    query: str
    candidates: list[CandidateOut]
    message: str | None


class ReverseOut(BaseModel):
    """The addresses nearest a point, nearest first; none: ``message`` says so."""

    latitude: float
    longitude: float
    candidates: list[CandidateOut]
    message: str | None


def _out(candidate: GeoCandidate) -> CandidateOut:
    return CandidateOut.model_validate(asdict(candidate))


@router.get("/search")
def search(
    node: NodeDep,
    principal: PrincipalDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="What was typed.")],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    kind: Annotated[Literal["all", "address", "site"], Query(description="What to look for.")] = "all",
) -> SearchOut:
    """Addresses (typos, missing accents, abbreviations and any word order forgiven) and the caller's
    sites (by reference, name or address), best first."""
    found: list[GeoCandidate] = []
    if kind in ("all", "address"):
        principal.scope_for("console.use")  # 403 for a role that takes no calls
        found += node.geocoder.search(q, limit).candidates
    if kind in ("all", "site"):
        scope = principal.scope_for("directory.read")
        found += node.store.read(lambda uow: geocoding.search_sites(uow, q, limit), scope)
    found = sorted(found, key=lambda c: -c.score)[:limit]
    return SearchOut(
        query=q, candidates=[_out(c) for c in found], message=None if found else nothing_found(q)
    )


@router.get("/reverse")
def reverse(
    node: NodeDep,
    principal: PrincipalDep,
    lat: Annotated[float, Query(ge=-90, le=90, description="Latitude, WGS 84 degrees.")],
    lon: Annotated[float, Query(ge=-180, le=180, description="Longitude, WGS 84 degrees.")],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 3,
) -> ReverseOut:
    """The addresses nearest a point (a click on the map), nearest first, with their distance."""
    principal.scope_for("console.use")
    found = node.geocoder.reverse(lat, lon, limit)
    return ReverseOut(
        latitude=lat,
        longitude=lon,
        candidates=[_out(c) for c in found],
        message=None if found else "No address within about 6 km of this point: keep its coordinates.",
    )


class StreetsOut(BaseModel):
    """The town's own streets around a point, for a map drawn with no tile server."""

    latitude: float
    longitude: float
    radius_m: int
    bbox: BoundingBoxOut
    streets: list[StreetOut]
    truncated: bool


def _deg(value: float) -> float:
    return round(value, 6)


@router.get("/streets")
def streets(
    node: NodeDep,
    principal: PrincipalDep,
    lat: Annotated[float, Query(ge=-90, le=90, description="Latitude, WGS 84 degrees.")],
    lon: Annotated[float, Query(ge=-180, le=180, description="Longitude, WGS 84 degrees.")],
    radius_m: Annotated[
        int, Query(ge=MIN_RADIUS_M, le=MAX_RADIUS_M, description="Half the side of the square frame.")
    ] = DEFAULT_RADIUS_M,
) -> StreetsOut:
    """The streets within ``radius_m`` of a point as lines of [latitude, longitude] points (the call
    screen's and the events' map). Streets belong to no tenant: the right to take calls is enough."""
    scope = principal.scope_for("console.use")
    found = node.store.read(lambda uow: queries.streets_around(uow, lat, lon, radius_m), scope)
    box = found.box
    return StreetsOut(
        latitude=lat,
        longitude=lon,
        radius_m=radius_m,
        bbox=BoundingBoxOut(
            south=_deg(box.south), west=_deg(box.west), north=_deg(box.north), east=_deg(box.east)
        ),
        streets=[
            StreetOut(name=line.name, points=[(_deg(a), _deg(b)) for a, b in line.points])
            for line in found.lines
        ],
        truncated=found.truncated,
    )
