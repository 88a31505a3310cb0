"""``tocsin station``: the station seen from the command line; ``station kit -o FILE`` writes the
degraded-mode kit (docs/degraded.md)."""

from __future__ import annotations

from pathlib import Path

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.scope import Scope
from tocsin.i18n.catalogue import LANGUAGES
from tocsin.services.kit import gather_kit


@click.group()
def station() -> None:
    """The station itself: the degraded-mode kit."""


@station.command("kit")
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
@click.option("--tenant", "tenant_ref", help="The tenant (needed when the node has several).")
def kit(output: Path, language: str, tenant_ref: str | None) -> None:
    """Write the degraded-mode kit as a PDF: the open alarms and events, the instructions and call lists
    of their sites, the units and the partners' numbers, to work on paper when the systems fail."""
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        found = node.store.read(lambda uow: gather_kit(uow, tenant_id), Scope.tenant(tenant_id))
        pdf = node.kit_pdf(found, language)
    finally:
        node.close()
    output.write_bytes(pdf)
    click.echo(
        f"Degraded-mode kit written to {output}: {len(found.alarms)} open alarm(s), {len(found.events)}"
        f" open event(s), {len(found.sites)} site(s), {len(found.units)} unit(s),"
        f" {len(found.partners)} partner(s)."
    )
