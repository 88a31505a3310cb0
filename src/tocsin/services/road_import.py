"""Importing a road network: a room's own OpenStreetMap extract, converted offline to GeoJSON.

The whole document is read and checked first (:mod:`tocsin.domain.road_import`): a bad feature is
refused with its number and nothing is written. Then, in one transaction, the stored road network is
replaced by the new one (the addresses stay), ``geo_revision`` is bumped (every node's road graph, and
its geocoder index, rebuild within seconds) and the import's entry is written in the system logbook.
"""

from __future__ import annotations

from dataclasses import dataclass

from tocsin.domain.logbook import NewEntry
from tocsin.domain.road_import import features_of, read_roads
from tocsin.domain.scope import Scope
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store, UnitOfWork


@dataclass(frozen=True, slots=True)
class RoadSummary:
    """What an import did (``--json`` prints it: a stable interface)."""

    source: str
    nodes: int
    segments: int
    ways: int
    skipped: int
    revision: int

    def as_json(self) -> dict[str, int | str]:
        return {
            "source": self.source,
            "nodes": self.nodes,
            "segments": self.segments,
            "ways": self.ways,
            "skipped": self.skipped,
            "revision": self.revision,
        }


def import_roads(store: Store, clock: Clock, source: str, text: str, *, actor: str = "cli") -> RoadSummary:
    """Check then import a GeoJSON road network in place of the stored one."""
    roads = read_roads(features_of(text))

    def write(uow: UnitOfWork) -> int:
        uow.geo.replace_roads(roads.nodes, roads.segments)
        revision = uow.geo.addresses_changed(clock.now())
        uow.note(
            NewEntry(
                kind="geo.roads_imported",
                message="geo.roads_imported",
                actor=actor,
                tenant_id=None,
                params={
                    "source": source,
                    "nodes": len(roads.nodes),
                    "segments": len(roads.segments),
                    "skipped": roads.skipped,
                },
            )
        )
        return revision

    revision = store.write(write, Scope.system())
    return RoadSummary(source, len(roads.nodes), len(roads.segments), roads.ways, roads.skipped, revision)
