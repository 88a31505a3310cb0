"""The video records (clips, clip windows, requisitions) behave the same in memory, on SQLite and on
PostgreSQL: stored and read back whole, seen through the scope of their site or tenant, a purged clip
left out of `purged_at=None`, one clip window per site, one requisition per reference in a tenant."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from uuid import UUID

import pytest

from tests.contract.support import Backend, World, add, find, get, update
from tocsin.domain import alarms as a
from tocsin.domain.clips import Clip, SiteVideo
from tocsin.domain.errors import Conflict
from tocsin.domain.requisitions import Requisition, VideoExport
from tocsin.domain.scope import Scope
from tocsin.services.alarm_rules import raise_technical

SYSTEM = Scope.system()


def _clip(backend: Backend, world: World) -> Clip:
    """A clip of a camera of site A1 around an alarm there."""
    now = backend.clock.now()
    happening = a.Happening(now, "intrusion", "", "1", "Burglary", "Cambriolage")
    backend.store.write(lambda uow: raise_technical(uow, world.t1.id, world.a1.id, happening), SYSTEM)
    alarm = backend.store.read(lambda uow: uow.alarms.find(site_id=world.a1.id)[0], SYSTEM)
    return Clip(
        id=backend.clock.new_id(),
        tenant_id=world.t1.id,
        site_id=world.a1.id,
        alarm_id=alarm.id,
        camera_id=backend.clock.new_id(),
        camera_name="Gate",
        start=now - timedelta(seconds=10),
        end=now + timedelta(seconds=20),
        file=f"{alarm.id}/gate.mp4",
        frames=300,
        size=123_456,
        sha256="ab" * 32,
        created_at=now,
    )


def test_a_clip_is_stored_whole_and_seen_through_its_sites_scope(backend: Backend, world: World) -> None:
    """Read back equal; client A's grant sees it, client B's and tenant 2 do not."""
    clip = _clip(backend, world)
    add(backend, "clips", clip)
    assert get(backend, "clips", clip.id) == clip
    assert find(backend, "clips", Scope.restricted(world.t1.id, client_ids=frozenset({world.a.id}))) == [clip]
    assert find(backend, "clips", Scope.restricted(world.t1.id, client_ids=frozenset({world.b.id}))) == []
    assert get(backend, "clips", clip.id, Scope.tenant(world.t2.id)) is None


def test_a_purged_clip_is_left_out_of_the_unpurged_and_a_hold_is_kept(backend: Backend, world: World) -> None:
    """purged_at and hold are written back; find(purged_at=None) no longer lists a purged clip."""
    clip = _clip(backend, world)
    add(backend, "clips", clip)
    assert find(backend, "clips", SYSTEM, purged_at=None) == [clip]
    held = dataclasses.replace(clip, hold="PN-1")
    update(backend, "clips", held)
    assert get(backend, "clips", clip.id).hold == "PN-1"
    purged = dataclasses.replace(held, hold="", purged_at=backend.clock.now())
    update(backend, "clips", purged)
    assert find(backend, "clips", SYSTEM, purged_at=None) == []
    assert get(backend, "clips", clip.id) == purged


def test_one_clip_window_per_site(backend: Backend, world: World) -> None:
    """A second window for the same site clashes."""
    first = SiteVideo(backend.clock.new_id(), world.t1.id, world.a1.id, 5, 30)
    add(backend, "site_videos", first)
    assert find(backend, "site_videos", SYSTEM, site_id=world.a1.id) == [first]
    with pytest.raises(Conflict):
        add(backend, "site_videos", SiteVideo(backend.clock.new_id(), world.t1.id, world.a1.id, 1, 2))


def test_a_requisition_is_the_tenants_and_its_reference_unique(backend: Backend, world: World) -> None:
    """Tenant 1 finds it by reference, tenant 2 does not see it; the same reference again clashes."""
    found = Requisition(
        id=backend.clock.new_id(),
        tenant_id=world.t1.id,
        authority="Police nationale",
        reference="PN-2026-1",
        received_at=backend.clock.now(),
        request="Gate camera, 1 Dec",
        recorded_by="cli",
    )
    add(backend, "requisitions", found)
    assert find(backend, "requisitions", Scope.tenant(world.t1.id), reference="PN-2026-1") == [found]
    assert find(backend, "requisitions", Scope.tenant(world.t2.id)) == []
    with pytest.raises(Conflict):
        add(backend, "requisitions", dataclasses.replace(found, id=backend.clock.new_id()))


def test_an_export_is_stored_whole_and_seen_through_its_sites_scope(backend: Backend, world: World) -> None:
    """An export (with and without a requisition) reads back equal; client B's grant and tenant 2 do not
    see it; a requisition that is not stored is refused."""
    now = backend.clock.now()
    requisition = Requisition(
        id=backend.clock.new_id(),
        tenant_id=world.t1.id,
        authority="Gendarmerie",
        reference="GN-7",
        received_at=now,
    )
    add(backend, "requisitions", requisition)
    export = VideoExport(
        id=backend.clock.new_id(),
        tenant_id=world.t1.id,
        site_id=world.a1.id,
        camera_id=backend.clock.new_id(),
        camera_name="Gate",
        start=now - timedelta(seconds=30),
        end=now,
        reason="Gendarmerie GN-7",
        exported_by="eve",
        exported_at=now,
        folder="0192/x",
        manifest_sha256="cd" * 32,
        key_id="0123456789abcdef",
        frames=300,
        requisition_id=requisition.id,
    )
    add(backend, "video_exports", export)
    for_reason = dataclasses.replace(export, id=backend.clock.new_id(), requisition_id=None, reason="theft")
    add(backend, "video_exports", for_reason)
    assert get(backend, "video_exports", export.id) == export
    assert get(backend, "video_exports", for_reason.id) == for_reason
    client_a = Scope.restricted(world.t1.id, client_ids=frozenset({world.a.id}))
    assert len(find(backend, "video_exports", client_a)) == 2
    assert (
        find(backend, "video_exports", Scope.restricted(world.t1.id, client_ids=frozenset({world.b.id})))
        == []
    )
    assert get(backend, "video_exports", export.id, Scope.tenant(world.t2.id)) is None
    with pytest.raises(Conflict):
        add(
            backend,
            "video_exports",
            dataclasses.replace(export, id=backend.clock.new_id(), requisition_id=now_id(backend)),
        )


def now_id(backend: Backend) -> UUID:
    """An id no record has."""
    return backend.clock.new_id()
