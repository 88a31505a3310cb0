"""Retention and legal hold over a real database and real files, through the CLI in-process: a clip past
its camera's limit is deleted (file gone, record marked, `clip.purged` in the logbook), a clip under a
requisition's hold is kept until the hold is lifted, a recent one stays; `video window` sets a site's
clip window and refuses one out of bounds in one line, nothing changed."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cli_support import tocsin
from tests.integration.helpers import Room, make_room
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain import camera_commands as cc
from tocsin.domain.clips import Clip
from tocsin.domain.scope import Scope
from tocsin.services import video_clips
from tocsin.services.alarm_rules import raise_technical


@pytest.fixture
def world(tmp_path: Path, db_url: str) -> tuple[dict[str, str], SqlStore, Room]:
    """A room whose site A has a camera kept 2 days, an alarm, and the CLI's settings."""
    store = SqlStore(db_url, SystemClock())
    room = make_room(store, ref=f"ret{uuid.uuid4().hex[:8]}")
    scope = Scope.tenant(room.tenant_id)
    room.bus.handle(cc.AddCamera(room.site_a, {"name": "Gate", "retention_days": 2}), scope=scope, actor="t")
    env = {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}
    yield env, store, room
    store.close()


def _clip(env: dict[str, str], store: SqlStore, room: Room, days_old: float, name: str) -> Clip:
    """A clip of site A's camera ending ``days_old`` days ago, with its file, on an alarm of its own."""
    camera = store.read(lambda uow: uow.cameras.find(site_id=room.site_a)[0], Scope.system())
    alarm_class = CLASSES[name]
    happening = a.Happening(store.clock.now(), alarm_class, "", "1", "Alarm", "Alarme")
    store.write(lambda uow: raise_technical(uow, room.tenant_id, room.site_a, happening), Scope.system())
    found = store.read(lambda uow: uow.alarms.find(site_id=room.site_a), Scope.system())
    alarm = next(x for x in found if x.alarm_class == alarm_class)
    end = store.clock.now() - timedelta(days=days_old)
    folder = Path(env["TOCSIN_VAR_DIR"]) / "video" / "clips" / str(alarm.id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.mp4").write_bytes(b"footage " + name.encode())
    clip = Clip(
        id=uuid.uuid4(),
        tenant_id=room.tenant_id,
        site_id=room.site_a,
        alarm_id=alarm.id,
        camera_id=uuid.uuid4() if name == "gone-camera" else camera.id,
        camera_name="Gate",
        start=end - timedelta(seconds=30),
        end=end,
        file=f"{alarm.id}/{name}.mp4",
        frames=300,
        size=17,
        sha256="0" * 64,
        created_at=end,
    )
    store.write(lambda uow: uow.clips.add(clip), Scope.system())
    return clip


CLASSES = {"old": "intrusion", "held": "fire", "recent": "panic", "gone-camera": "medical"}


def _file(env: dict[str, str], clip: Clip) -> Path:
    return Path(env["TOCSIN_VAR_DIR"]) / "video" / "clips" / clip.file


def _kinds(store: SqlStore, room: Room) -> list[str]:
    """The kinds of the room's tenant's entries (a PostgreSQL module database holds other tests')."""

    def read(uow: Any) -> list[str]:
        entries = (e for h in uow.logbook.chains() for e in uow.logbook.entries(h.chain))
        return [e.kind for e in entries if e.tenant_id == room.tenant_id]

    return store.read(read, Scope.system())


def test_a_clip_past_its_limit_is_purged_and_a_held_one_kept_until_released(
    world: tuple[dict[str, str], SqlStore, Room],
) -> None:
    """3 days old on a 2-day camera: deleted; held: kept, then deleted once released; 1 day old: kept;
    a removed camera's clip follows the 30-day maximum."""
    env, store, room = world
    old, held, recent = (_clip(env, store, room, d, n) for d, n in ((3, "old"), (3, "held"), (1, "recent")))
    orphan = _clip(env, store, room, 10, "gone-camera")
    ref = store.read(lambda uow: uow.tenants.get(room.tenant_id).ref, Scope.system())
    result = tocsin(env, "video", "hold", str(held.id), "--requisition", "PN-2026-118", "--tenant", ref)
    assert result.returncode == 0, result.stderr
    mine = {str(x.id) for x in (old, held, recent, orphan)}  # a PostgreSQL module database holds others'

    def purged(result: Any) -> list[str]:
        return [c["id"] for c in json.loads(result.stdout) if c["id"] in mine]

    dry = tocsin(env, "video", "purge", "--dry-run", "--json")
    assert purged(dry) == [str(old.id)]
    assert _file(env, old).exists()
    done = tocsin(env, "video", "purge", "--json")
    assert purged(done) == [str(old.id)]
    assert not _file(env, old).exists()
    assert all(_file(env, kept).exists() for kept in (held, recent, orphan))
    stored = store.read(lambda uow: uow.clips.get(old.id), Scope.system())
    assert stored is not None
    assert stored.purged_at is not None
    assert _kinds(store, room).count("clip.purged") == 1
    assert "clip.held" in _kinds(store, room)
    released = tocsin(env, "video", "release", str(held.id), "--tenant", ref)
    assert released.returncode == 0, released.stderr
    again = tocsin(env, "video", "purge", "--json")
    assert purged(again) == [str(held.id)]
    assert not _file(env, held).exists()
    assert _kinds(store, room).count("clip.purged") == 2


def test_holding_without_a_requisition_or_a_purged_clip_is_refused(
    world: tuple[dict[str, str], SqlStore, Room],
) -> None:
    """A blank requisition, an unknown clip, a clip already purged: one error line, nothing changed."""
    env, store, room = world
    clip = _clip(env, store, room, 3, "old")
    ref = store.read(lambda uow: uow.tenants.get(room.tenant_id).ref, Scope.system())
    blank = tocsin(env, "video", "hold", str(clip.id), "--requisition", "  ", "--tenant", ref)
    assert blank.returncode == 2
    assert blank.stderr.startswith("error: Name the requisition")
    unknown = tocsin(env, "video", "hold", str(uuid.uuid4()), "--requisition", "X", "--tenant", ref)
    assert unknown.returncode != 0
    assert "No clip" in unknown.stderr
    tocsin(env, "video", "purge")
    late = tocsin(env, "video", "hold", str(clip.id), "--requisition", "PN-1", "--tenant", ref)
    assert "was purged" in late.stderr
    assert "clip.held" not in _kinds(store, room)


def test_the_clip_window_is_set_and_bounded(world: tuple[dict[str, str], SqlStore, Room]) -> None:
    """`video window SA --pre 5 --post 40` is stored and logged; --post 0 is refused in one line."""
    env, store, room = world
    ref = store.read(lambda uow: uow.tenants.get(room.tenant_id).ref, Scope.system())
    result = tocsin(env, "video", "window", "SA", "--pre", "5", "--post", "40", "--tenant", ref, "--json")
    assert json.loads(result.stdout) == {"site_ref": "SA", "pre_seconds": 5, "post_seconds": 40}
    window = store.read(lambda uow: video_clips.window_of(uow, room.site_a, room.tenant_id), Scope.system())
    assert (window.pre_seconds, window.post_seconds) == (5, 40)
    refused = tocsin(env, "video", "window", "SA", "--pre", "5", "--post", "0", "--tenant", ref)
    assert refused.returncode == 2
    assert "--post" in refused.stderr
    assert "site.video_set" in _kinds(store, room)
