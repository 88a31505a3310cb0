"""``tocsin video requisition add|list``: the register of the authorities' requisitions;
``tocsin video export``: a clip for a requisition, watermarked, with its custody sheet and a signed
manifest;
``tocsin video verify-export``: check an export's files and signature."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import parse_instant, resolve_tenant
from tocsin.domain.errors import InvalidInput
from tocsin.domain.requisitions import Requisition
from tocsin.domain.scope import Scope
from tocsin.services import video_export
from tocsin.services.video_custody import CUSTODY, MANIFEST, SIGNATURE


def register_commands(video: click.Group) -> None:
    """Add this module's commands to ``tocsin video``."""
    video.add_command(requisition)
    video.add_command(export)
    video.add_command(verify_export)


@click.group()
def requisition() -> None:
    """The register of requisitions: who asked for which footage, and when it was delivered."""


def _requisition_json(found: Requisition) -> dict[str, Any]:
    return {
        "id": str(found.id),
        "authority": found.authority,
        "reference": found.reference,
        "received_at": found.received_at.isoformat(),
        "request": found.request,
        "delivered_at": None if found.delivered_at is None else found.delivered_at.isoformat(),
    }


@requisition.command("add")
@click.option("--authority", required=True, help="Who asks (a court, a police or gendarmerie unit).")
@click.option("--reference", required=True, help="The requisition's reference, as the authority wrote it.")
@click.option("--received", "received_text", required=True, help="When it was received (ISO 8601).")
@click.option("--request", "request_text", default="", help="What it asks for, in its own words.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="The requisition as JSON.")
def add(**options: Any) -> None:
    """Enter a requisition in the register."""
    authority, reference, request_text = options["authority"], options["reference"], options["request_text"]
    received = parse_instant(options["received_text"], "--received")
    if received is None:
        raise InvalidInput("Give when the requisition was received (--received).")
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, options["tenant_ref"])
        found = node.store.write(
            lambda uow: video_export.record_requisition(
                uow,
                tenant_id,
                authority=authority,
                reference=reference,
                received_at=received,
                request=request_text,
                actor="cli",
            ),
            Scope.tenant(tenant_id),
        )
    finally:
        node.close()
    if options["as_json"]:
        click.echo(json.dumps(_requisition_json(found), indent=2))
    else:
        click.echo(f"Requisition {found.reference} from {found.authority} entered in the register.")


@requisition.command("list")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="A JSON list.")
def list_(tenant_ref: str | None, as_json: bool) -> None:
    """The requisitions, oldest first, with when each was delivered."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        found = node.store.read(lambda uow: uow.requisitions.find(), scope)
    finally:
        node.close()
    found.sort(key=lambda r: r.received_at)
    if as_json:
        click.echo(json.dumps([_requisition_json(r) for r in found], indent=2))
        return
    for r in found:
        delivered = r.delivered_at.isoformat() if r.delivered_at else "not delivered"
        click.echo(f"{r.received_at.isoformat()}  {r.reference}  {r.authority}  {delivered}")
    click.echo(f"{len(found)} requisition(s).")


@click.command()
@click.argument("clip_id", type=click.UUID)
@click.option("--requisition", "reference", required=True, help="The requisition it answers (its reference).")
@click.option("--user", "username", required=True, help="Who exports (named in the watermark).")
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="A new folder.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option(
    "--language", type=click.Choice(["en", "fr"]), default="en", help="The custody sheet's language."
)
def export(**options: Any) -> None:
    """Export a clip for a requisition: the clip watermarked with the exporting user's name, a
    chain-of-custody sheet (PDF), a manifest of SHA-256 signed with the node's key; recorded in the
    register, the requisition marked delivered and the clip kept under its legal hold."""
    clip_id: UUID = options["clip_id"]
    reference, username, out_dir = options["reference"], options["username"], options["out_dir"]
    if out_dir.exists() and any(out_dir.iterdir()):
        raise InvalidInput(f"{out_dir} is not empty: give a new folder for the export.")
    node = bootstrap(load_settings())
    try:
        node.signer()  # fail now, with the way out, if the node has no key
        scope = Scope.tenant(resolve_tenant(node, options["tenant_ref"]))
        job = node.store.read(
            lambda uow: video_export.prepare_export(uow, clip_id, reference, username), scope
        )
        done = node.make_export(job, out_dir, scope, language=options["language"], delivered=True)
    finally:
        node.close()
    click.echo(
        f"Exported clip {clip_id} to {out_dir} ({done.frames} frames, custody sheet {CUSTODY}),"
        f" manifest SHA-256 {done.manifest_sha256}."
    )
    click.echo(f"Check it with: tocsin video verify-export {out_dir}")


@click.command("verify-export")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--public-key",
    "public_keys",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A node's public key (PEM); default: this node's own.",
)
def verify_export(folder: Path, public_keys: tuple[Path, ...]) -> None:
    """Check an export: the manifest's signature, then each file's SHA-256 against it."""
    node = bootstrap(load_settings())
    try:
        problems = node.verify_export(folder, list(public_keys) or None)
    finally:
        node.close()
    if problems:
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(1)
    manifest = json.loads((folder / MANIFEST).read_text())
    click.echo(
        f"Export verified: signed by key {json.loads((folder / SIGNATURE).read_text())['key_id']},"
        f" {len(manifest['files'])} file(s) unchanged, exported by {manifest['exported_by']['username']}"
        f" for {(manifest.get('requisition') or {}).get('reference') or manifest.get('reason', '')}."
    )
