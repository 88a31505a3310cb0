"""``tocsin partners``: a tenant's partner services and its notification matrix, for the administrator
who sets up a room: add a partner, list them, print the matrix, replace it from a JSON file.

``partners list --json`` and ``partners matrix --json`` are interfaces for scripts: their field names are
the API's (``GET /api/v1/partners``, ``GET /api/v1/notification-matrix``) and stay as they are; the file
``partners set-matrix`` reads has the body of ``PUT /api/v1/notification-matrix``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain import commands as c
from tocsin.domain.errors import InvalidInput
from tocsin.domain.partner_commands import SetMatrix
from tocsin.domain.resources import PARTNER_KINDS, Partner
from tocsin.domain.scope import Scope
from tocsin.services.event_liaison import matrix_view

ACTOR = "cli:partners"
TENANT_HELP = "The tenant's reference (needed when there are several)."


def _row(partner: Partner) -> dict[str, Any]:
    return {
        "id": str(partner.id),
        "tenant_id": str(partner.tenant_id),
        "name": partner.name,
        "kind": partner.kind,
        "phones": list(partner.phones),
        "email": partner.email,
        "notes": partner.notes,
        "radio": partner.radio,
    }


@click.group()
def partners() -> None:
    """Partner services (police, fire, SAMU, utilities, rail) and the notification matrix."""


@partners.command("add")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(PARTNER_KINDS), help="What service it is.")
@click.option("--phone", "phones", multiple=True, help="A phone line (repeatable; the first is called).")
@click.option("--email", default="", help="Its email address.")
@click.option("--radio", default="", help="Its radio channel or talk-group.")
@click.option("--notes", default="", help="What an operator should know.")
@click.option("--tenant", "tenant_ref", help=TENANT_HELP)
@click.option("--json", "as_json", is_flag=True, help="The partner as JSON.")
def add(
    *,
    name: str,
    kind: str,
    phones: tuple[str, ...],
    email: str,
    radio: str,
    notes: str,
    tenant_ref: str | None,
    as_json: bool,
) -> None:
    """Add a partner service to the tenant (a logbook entry)."""
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        command = c.AddPartner(tenant_id, name, kind, phones, email, notes, radio)
        added: Partner = node.messagebus.handle(command, scope=Scope.tenant(tenant_id), actor=ACTOR)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(_row(added), ensure_ascii=False))
        return
    click.echo(f"Partner {added.name} ({added.kind}) added: {added.id}")


@partners.command("list")
@click.option("--tenant", "tenant_ref", help=TENANT_HELP)
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
def list_partners(tenant_ref: str | None, as_json: bool) -> None:
    """The tenant's partner services and their channels."""
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        found = node.store.read(lambda uow: uow.partners.find(tenant_id=tenant_id), Scope.tenant(tenant_id))
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps([_row(p) for p in found], indent=2, ensure_ascii=False))
        return
    for p in found:
        lines = ", ".join(x for x in (*p.phones, p.email, p.radio) if x) or "-"
        click.echo(f"{p.id}  {p.kind:<12} {p.name}  ({lines})")


@partners.command("matrix")
@click.option("--tenant", "tenant_ref", help=TENANT_HELP)
@click.option("--json", "as_json", is_flag=True, help="The matrix as JSON (the API's form).")
def show_matrix(tenant_ref: str | None, as_json: bool) -> None:
    """The tenant's notification matrix: rules in order, then the templates."""
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        scope = Scope.tenant(tenant_id)
        view = node.store.read(lambda uow: matrix_view(uow.liaison.matrix(tenant_id)), scope)
        names = node.store.read(
            lambda uow: {str(p.id): p.name for p in uow.partners.find(tenant_id=tenant_id)}, scope
        )
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(view, indent=2, ensure_ascii=False))
        return
    for rule in view["rules"]:
        what = " ".join(x for x in (rule["type_code"], rule["category"]) if x) or "any event"
        partner = names.get(rule["partner_id"], rule["partner_id"])
        click.echo(
            f"{what:<28} P{rule['max_priority']}+  → {partner} by {rule['channel']} ({rule['template_code']})"
        )
    for template in view["templates"]:
        click.echo(f"template {template['code']}: {template['text']}")


@partners.command("set-matrix")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tenant", "tenant_ref", help=TENANT_HELP)
def set_matrix(path: Path, tenant_ref: str | None) -> None:
    """Replace the tenant's matrix and templates with a JSON file: {"rules": [...], "templates": [...]}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path} is not a JSON document ({exc}); see docs/partners.md.") from None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k, []), list) for k in ("rules", "templates")
    ):
        raise InvalidInput(f"{path}: a matrix is an object with the lists 'rules' and 'templates'.")
    if not all(isinstance(x, dict) for k in ("rules", "templates") for x in data.get(k, [])):
        raise InvalidInput(f"{path}: each rule and each template is an object.")
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        command = SetMatrix(tenant_id, tuple(data.get("rules", [])), tuple(data.get("templates", [])), ACTOR)
        matrix = node.messagebus.handle(command, scope=Scope.tenant(tenant_id), actor=ACTOR)
    finally:
        node.close()
    click.echo(f"Matrix set: {len(matrix.rules)} rules, {len(matrix.templates)} templates.")
