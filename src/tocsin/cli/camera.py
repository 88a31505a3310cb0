"""``tocsin camera``: declare a site's cameras with their compliance record, and list them;
``tocsin video register``: export the viewing register (R252-11) for an inspection."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import parse_instant, read_secret, resolve_tenant
from tocsin.domain import camera_commands as c
from tocsin.domain.cameras import MAX_RETENTION_DAYS, Camera
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.services import camera_secrets, video_register


@click.group()
def camera() -> None:
    """Cameras of the sites: their streams, place on the map and compliance record."""


def _mask(text: str) -> tuple[tuple[float, float], ...]:
    try:
        return tuple((float(x), float(y)) for x, y in (p.split(",") for p in text.split()))
    except ValueError:
        raise InvalidInput(
            f"--mask {text!r} is not a list of points: write 'x,y x,y x,y' with 0..1 coordinates."
        ) from None


def camera_json(camera: Camera) -> dict[str, Any]:
    """A camera as ``--json`` shows it: never its password, only whether one is set."""
    return {
        "id": str(camera.id),
        "site_id": str(camera.site_id),
        "name": camera.name,
        "latitude": camera.latitude,
        "longitude": camera.longitude,
        "bearing": camera.bearing,
        "view_angle": camera.view_angle,
        "view_range": camera.view_range,
        "rtsp_url": camera.rtsp_url,
        "mjpeg_url": camera.mjpeg_url,
        "snapshot_url": camera.snapshot_url,
        "username": camera.username,
        "has_password": camera.credential_ref is not None,
        "frigate_name": camera.frigate_name,
        "authorisation_ref": camera.authorisation_ref,
        "authorisation_expires": (
            None if camera.authorisation_expires is None else camera.authorisation_expires.isoformat()
        ),
        "purposes": list(camera.purposes),
        "retention_days": camera.retention_days,
        "signage": camera.signage,
        "privacy_masks": [[list(p) for p in m] for m in camera.privacy_masks],
    }


@camera.command()
@click.argument("site_ref")
@click.option("--name", required=True, help="The camera's name on the site.")
@click.option("--lat", "latitude", type=float, help="Latitude (WGS 84 degrees).")
@click.option("--lon", "longitude", type=float, help="Longitude (WGS 84 degrees).")
@click.option("--bearing", type=float, help="Where it looks, degrees from north.")
@click.option("--angle", "view_angle", type=float, help="Width of the field of view, degrees.")
@click.option("--range", "view_range", type=float, help="How far it usefully sees, metres.")
@click.option("--rtsp", "rtsp_url", default="", help="RTSP address (no password inside).")
@click.option("--mjpeg", "mjpeg_url", default="", help="HTTP MJPEG address.")
@click.option("--snapshot", "snapshot_url", default="", help="HTTP snapshot (JPEG) address.")
@click.option("--username", default="", help="User name for the streams.")
@click.option("--password-stdin", is_flag=True, help="Read the streams' password from standard input.")
@click.option("--frigate-name", default="", help="The camera's name in Frigate.")
@click.option("--authorisation", "authorisation_ref", default="", help="The préfecture's authorisation ref.")
@click.option("--authorisation-expires", type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD.")
@click.option("--purpose", "purposes", multiple=True, help="An authorised purpose (repeat for several).")
@click.option("--retention-days", type=int, default=MAX_RETENTION_DAYS, show_default=True, help="1 to 30.")
@click.option("--signage/--no-signage", default=False, help="Whether the public is told by signs.")
@click.option("--mask", "masks", multiple=True, help="Privacy mask 'x,y x,y x,y' (0..1), repeatable.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def add(**options: Any) -> None:
    """Declare a camera on a site, with its compliance record (retention above 30 days is refused)."""
    site_ref: str = options.pop("site_ref")
    tenant_ref: str | None = options.pop("tenant_ref")
    as_json: bool = options.pop("as_json")
    password = read_secret("Camera password") if options.pop("password_stdin") else None
    expires = options.pop("authorisation_expires")
    masks = tuple(_mask(m) for m in options.pop("masks"))
    values: dict[str, Any] = {
        **options,
        "authorisation_expires": None if expires is None else date(expires.year, expires.month, expires.day),
        "purposes": tuple(options["purposes"]),
        "privacy_masks": masks,
    }
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        sites = node.store.read(lambda uow: uow.sites.find(ref=site_ref), scope)
        if not sites:
            raise InvalidInput(f"No site with reference {site_ref!r}: check the site reference.")
        created: Camera = camera_secrets.with_password(
            node.keys,
            node.clock,
            password,
            lambda ref: node.messagebus.handle(
                c.AddCamera(sites[0].id, values, credential_ref=ref), scope=scope, actor="cli"
            ),
        )
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(camera_json(created), indent=2))
        return
    click.echo(f"Camera {created.name} added to site {site_ref} (kept {created.retention_days} days).")


@camera.command("list")
@click.argument("site_ref", required=False)
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="A JSON list, for scripts.")
def list_(site_ref: str | None, tenant_ref: str | None, as_json: bool) -> None:
    """The cameras of a site, or of every site."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))

        def read(uow: Any) -> tuple[list[Camera], dict[Any, str]]:
            sites = uow.sites.find(ref=site_ref) if site_ref else uow.sites.find()
            if site_ref and not sites:
                raise InvalidInput(f"No site with reference {site_ref!r}: check the site reference.")
            refs = {s.id: s.ref for s in sites}
            found = [k for k in uow.cameras.find() if k.site_id in refs]
            return sorted(found, key=lambda k: (refs[k.site_id], k.name)), refs

        cameras, refs = node.store.read(read, scope)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps([camera_json(k) | {"site_ref": refs[k.site_id]} for k in cameras], indent=2))
        return
    if not cameras:
        click.echo("No cameras.")
    for k in cameras:
        authorised = k.authorisation_ref or "no authorisation recorded"
        click.echo(f"{refs[k.site_id]}  {k.name}  {k.retention_days} d  {authorised}")


@click.group()
def video() -> None:
    """Video protection: the viewing register."""


@video.command()
@click.option("--from", "since_text", required=True, help="Start of the period (ISO 8601; no offset: UTC).")
@click.option("--to", "until_text", required=True, help="End of the period, excluded.")
@click.option("--json", "as_json", is_flag=True, help="A JSON list.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header line.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
def register(since_text: str, until_text: str, as_json: bool, as_csv: bool, tenant_ref: str | None) -> None:
    """Export the viewing register (who viewed which camera, when, why) for an inspection."""
    if as_json and as_csv:
        raise InvalidInput("Choose one of --json and --csv.")
    since, until = parse_instant(since_text, "--from"), parse_instant(until_text, "--to")
    if since is None or until is None:  # required options: never None here
        raise InvalidInput("Give both --from and --to.")
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        lines = node.store.read(lambda uow: video_register.register(uow, since, until), scope)
    finally:
        node.close()
    if as_csv:
        video_register.write_csv(lines, sys.stdout)
    elif as_json:
        click.echo(json.dumps([video_register.as_json(line) for line in lines], indent=2))
    else:
        for line in lines:
            span = f"{line.start} → {line.end or 'live'}"
            click.echo(f"{line.recorded_at}  {line.user}  {line.camera}  {line.mode}  {span}  {line.reason}")
        click.echo(f"{len(lines)} viewing(s).")
