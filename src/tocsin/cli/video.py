"""``tocsin video worker``: record the node's cameras, cut clips around alarms, raise camera health;
``tocsin video window``: a site's clip window; ``tocsin video test-pattern``: a camera to point at."""

from __future__ import annotations

import json
import time
from typing import Any
from uuid import UUID

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.clips import MAX_POST, MAX_PRE, Clip, SiteVideo
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.services import video_clips, video_retention
from tocsin.simulators.mjpeg import MjpegServer
from tocsin.workers.process import run_until_signalled
from tocsin.workers.video.supervisor import VideoSupervisor, settings_of


def register_commands(video: click.Group) -> None:
    """Add this module's commands to ``tocsin video``."""
    video.add_command(worker)
    video.add_command(window)
    video.add_command(test_pattern)
    video.add_command(purge)
    video.add_command(hold)
    video.add_command(release)


@click.command()
def worker() -> None:
    """Record every camera into its ring buffer, cut clips around alarms and raise camera health, until
    stopped (Ctrl-C). ``tocsin serve`` runs the same beside the console."""
    node = bootstrap(load_settings())
    supervisor = VideoSupervisor(node.store, node.keys, node.clock, settings_of(node.settings))
    click.echo(f"Recording cameras into {supervisor.settings.folder} (Ctrl-C stops).")
    try:
        run_until_signalled(supervisor.run)
    finally:
        node.close()


@click.command()
@click.argument("site_ref")
@click.option(
    "--pre", type=click.IntRange(0, MAX_PRE), required=True, help="Seconds before the first signal."
)
@click.option("--post", type=click.IntRange(1, MAX_POST), required=True, help="Seconds after it.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="The window as JSON.")
def window(site_ref: str, pre: int, post: int, tenant_ref: str | None, as_json: bool) -> None:
    """Set the clip window of a site's alarms (defaults: 10 s before, 20 s after)."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))

        def change(uow: Any) -> SiteVideo:
            sites = uow.sites.find(ref=site_ref)
            if not sites:
                raise InvalidInput(f"No site with reference {site_ref!r}: check the site reference.")
            return video_clips.set_window(uow, sites[0].id, pre, post, "cli")

        found = node.store.write(change, scope)
    finally:
        node.close()
    if as_json:
        click.echo(
            json.dumps(
                {"site_ref": site_ref, "pre_seconds": found.pre_seconds, "post_seconds": found.post_seconds}
            )
        )
    else:
        click.echo(
            f"Site {site_ref}: clips from {found.pre_seconds} s before to {found.post_seconds} s after."
        )


@click.command("test-pattern")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8554, show_default=True, type=click.IntRange(0, 65535))
@click.option("--fps", default=10.0, show_default=True, type=click.FloatRange(1, 30))
def test_pattern(host: str, port: int, fps: float) -> None:
    """Serve generated test-pattern cameras as MJPEG over HTTP (/cam/NAME.mjpg; /control/NAME/MODE)."""
    server = MjpegServer(host, port)
    server.cameras.fps = fps
    server.start()
    click.echo(f"Test-pattern cameras on http://{host}:{server.port}/cam/NAME.mjpg (Ctrl-C stops).")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


@click.command()
@click.option("--dry-run", is_flag=True, help="Only list the clips that would be deleted.")
@click.option("--json", "as_json", is_flag=True, help="The clips deleted as a JSON list.")
def purge(dry_run: bool, as_json: bool) -> None:
    """Delete the clips past their camera's retention limit (no legal hold), each one in the logbook.
    The video supervisor does it every hour; this runs it now."""
    node = bootstrap(load_settings())
    try:
        clips = settings_of(node.settings).clips

        def delete(name: str) -> None:
            path = (clips / name).resolve()
            if clips.resolve() in path.parents:
                path.unlink(missing_ok=True)

        done = node.store.write(
            lambda uow: video_retention.purge(uow, delete, dry_run=dry_run), Scope.system()
        )
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps([_clip_json(clip) for clip in done.clips], indent=2))
        return
    verb = "would be deleted" if dry_run else "deleted"
    click.echo(f"{len(done.clips)} clip(s) {verb} ({done.bytes / 1e6:.1f} MB).")


@click.command()
@click.argument("clip_id", type=click.UUID)
@click.option("--requisition", required=True, help="The requisition's reference (authority and number).")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
def hold(clip_id: UUID, requisition: str, tenant_ref: str | None) -> None:
    """Keep a clip past its camera's retention for a requisition (a legal hold), in the logbook."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        held = node.store.write(lambda uow: video_retention.hold(uow, clip_id, requisition, "cli"), scope)
    finally:
        node.close()
    click.echo(f"Clip {held.id} of camera {held.camera_name} kept for requisition {held.hold}.")


@click.command()
@click.argument("clip_id", type=click.UUID)
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
def release(clip_id: UUID, tenant_ref: str | None) -> None:
    """Lift a clip's legal hold: its camera's retention limit applies again."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        done = node.store.write(lambda uow: video_retention.release(uow, clip_id, "cli"), scope)
    finally:
        node.close()
    click.echo(f"Clip {done.id} of camera {done.camera_name}: legal hold lifted.")


def _clip_json(clip: Clip) -> dict[str, Any]:
    return {
        "id": str(clip.id),
        "alarm_id": str(clip.alarm_id),
        "camera_id": str(clip.camera_id),
        "camera_name": clip.camera_name,
        "start": clip.start.isoformat(),
        "end": clip.end.isoformat(),
        "size": clip.size,
        "sha256": clip.sha256,
    }
