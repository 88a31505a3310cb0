"""``tocsin events emsi ID`` and ``tocsin events sheet ID -o FILE``: an event's EMSI message (the Hub
Santé JSON form) and its printable sheet (PDF), without the console.

``events emsi`` prints the EMSI document itself: its field names are the standard's.
"""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.scope import Scope
from tocsin.i18n.catalogue import LANGUAGES
from tocsin.services.event_liaison import emsi_of, gather

TENANT_HELP = "Look in this tenant only (default: every tenant)."


@click.command("emsi")
@click.argument("event_id", type=click.UUID)
@click.option("--tenant", "tenant_ref", help=TENANT_HELP)
def emsi(event_id: UUID, tenant_ref: str | None) -> None:
    """Print an event's situation as EMSI (ISO/TR 22351) in the Hub Santé JSON form."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref)) if tenant_ref else Scope.system()
        found = node.store.read(lambda uow: gather(uow, event_id), scope)
        document = emsi_of(found, "tocsin-cli", node.clock.new_id())
    finally:
        node.close()
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@click.command("sheet")
@click.argument("event_id", type=click.UUID)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The PDF file to write.",
)
@click.option(
    "--language", default="en", show_default=True, type=click.Choice(LANGUAGES), help="Its language."
)
@click.option("--tenant", "tenant_ref", help=TENANT_HELP)
def sheet(event_id: UUID, output: Path, language: str, tenant_ref: str | None) -> None:
    """Write an event's printable sheet as a PDF: the event, the partners told and their answers, the
    report, the corrections and the timeline."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref)) if tenant_ref else Scope.system()
        found = node.store.read(lambda uow: gather(uow, event_id), scope)
        pdf = node.event_sheet_pdf(found, language, "tocsin events sheet")
    finally:
        node.close()
    output.write_bytes(pdf)
    click.echo(
        f"Sheet of event {event_id} ({found.incident.type_code}, {found.incident.state},"
        f" {len(found.requests)} partner request(s), report {'written' if found.report else 'missing'})"
        f" written to {output}."
    )
