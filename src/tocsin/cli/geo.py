"""``tocsin geo``: import the French national address base, search addresses and sites, reverse geocode."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.errors import InvalidInput
from tocsin.domain.geocoding import MAX_LIMIT, GeoCandidate, nothing_found
from tocsin.domain.scope import Scope
from tocsin.services import address_import, geocoding, road_import


@click.group()
def geo() -> None:
    """Addresses and roads: import the BAN or a road network, find an address or a site, the addresses
    near a point."""


def _lines(path: Path, advance: Callable[[int], None]) -> Iterator[str]:
    """The file's lines as text, read as bytes so the progress bar can count them."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            advance(len(raw))
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput(
                    f"Line {number} of {path} is not UTF-8: a BAN file is UTF-8. Nothing was imported."
                ) from None


@geo.command("import-ban")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def import_ban(file: Path, as_json: bool) -> None:
    """Import a BAN file (adresses-XX.csv from adresse.data.gouv.fr); again: updates, no duplicates.

    The whole file is checked first: a bad header or line is refused with its line number and nothing
    is written.
    """
    node = bootstrap(load_settings())
    size = file.stat().st_size
    show = not as_json
    try:
        passes = iter(("Checking ", "Importing"))

        def open_lines() -> Iterator[str]:
            label = next(passes)
            if not show:
                yield from _lines(file, lambda _: None)
                return
            with click.progressbar(length=size, label=label) as bar:
                yield from _lines(file, bar.update)

        started = node.clock.monotonic()
        summary = address_import.import_ban(node.store, node.clock, file.name, open_lines)
        elapsed = node.clock.monotonic() - started
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps({**summary.as_json(), "seconds": round(elapsed, 2)}))
        return
    click.echo(
        f"{summary.addresses} addresses from {file.name}: {summary.added} added, {summary.updated} updated,"
        f" {summary.skipped} lines without a house number skipped, in {elapsed:.1f} s."
        " Running servers rebuild their geocoder index within seconds."
    )


def _candidate_json(candidate: GeoCandidate) -> dict[str, Any]:
    return {key: value for key, value in asdict(candidate).items() if value is not None}


def _print(candidates: list[GeoCandidate], as_json: bool, empty: str, extra: dict[str, Any]) -> None:
    if as_json:
        click.echo(json.dumps({**extra, "candidates": [_candidate_json(c) for c in candidates]}))
        return
    if not candidates:
        click.echo(empty)
        return
    for c in candidates:
        where = f"{c.latitude:.6f},{c.longitude:.6f}" if c.latitude is not None else "no position"
        distance = f"  {c.distance_m:.0f} m" if c.distance_m is not None else ""
        click.echo(f"{c.score:.2f}  {c.label}  ({c.precision}, {where}){distance}")


@geo.command()
@click.argument("text")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, MAX_LIMIT))
@click.option(
    "--kind",
    type=click.Choice(geocoding.KINDS),
    default="address",
    show_default=True,
    help="Addresses, the sites of a tenant, or both.",
)
@click.option(
    "--tenant", "tenant_ref", help="The tenant whose sites to search (needed when there are several)."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def search(text: str, limit: int, kind: str, tenant_ref: str | None, as_json: bool) -> None:
    """Find an address (typos, accents, abbreviations and word order are forgiven) or a site."""
    node = bootstrap(load_settings())
    try:
        found: list[GeoCandidate] = []
        message: str | None = None
        if kind in ("all", "site"):
            scope = Scope.tenant(resolve_tenant(node, tenant_ref))
            found += node.store.read(lambda uow: geocoding.search_sites(uow, text, limit), scope)
        if kind in ("all", "address"):
            answer = node.geocoder.search(text, limit)
            found += answer.candidates
        found = sorted(found, key=lambda c: -c.score)[:limit]
        if not found:
            message = nothing_found(text)
    finally:
        node.close()
    _print(found, as_json, message or "", {"query": text, "message": message})


@geo.command()
@click.argument("latitude", type=click.FloatRange(-90, 90))
@click.argument("longitude", type=click.FloatRange(-180, 180))
@click.option("--limit", default=3, show_default=True, type=click.IntRange(1, MAX_LIMIT))
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def reverse(latitude: float, longitude: float, limit: int, as_json: bool) -> None:
    """The addresses nearest a point (WGS 84 degrees), nearest first."""
    node = bootstrap(load_settings())
    try:
        found = node.geocoder.reverse(latitude, longitude, limit)
    finally:
        node.close()
    empty = "No address within about 6 km of this point."
    _print(found, as_json, empty, {"latitude": latitude, "longitude": longitude})


@geo.command("import-roads")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def import_roads(file: Path, as_json: bool) -> None:
    """Import a road network (GeoJSON from an OpenStreetMap extract, see docs/routing.md) in place of
    the stored one; the addresses stay.

    The whole file is checked first: a bad feature is refused with its number and nothing is written.
    """
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{file} is not UTF-8 text: a GeoJSON file is. Nothing was imported.") from None
    node = bootstrap(load_settings())
    try:
        started = node.clock.monotonic()
        summary = road_import.import_roads(node.store, node.clock, file.name, text)
        elapsed = node.clock.monotonic() - started
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps({**summary.as_json(), "seconds": round(elapsed, 2)}))
        return
    click.echo(
        f"{summary.segments} road segments and {summary.nodes} nodes from {summary.ways} ways of {file.name}"
        f" ({summary.skipped} features skipped: not roads), in {elapsed:.1f} s."
        " Running servers rebuild their road graph within seconds."
    )
