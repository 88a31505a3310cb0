"""``tocsin plan``: a client's or a site's action plan (consignes) for an alarm class."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from tocsin.bootstrap import Node, bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain import plans as p
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.services import checklists
from tocsin.services.unit_of_work import UnitOfWork


@click.group()
def plan() -> None:
    """Action plans: what operators do, step by step, for a class of alarm."""


def _steps_from_file(path: Path) -> tuple[p.PlanStep, ...]:
    """The steps of a JSON file: a list of steps, or an object with ``steps``."""
    try:
        loaded: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path} cannot be read: {exc}.") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path} is not JSON: {exc.msg} at line {exc.lineno}.") from None
    raw = loaded.get("steps") if isinstance(loaded, dict) else loaded
    if not isinstance(raw, list) or not all(isinstance(s, dict) for s in raw):
        raise InvalidInput(
            f'{path}: give the steps as a list of {{"kind", "instruction", "mandatory"}} objects'
            ' (or an object with "steps").'
        )
    steps = []
    for number, step in enumerate(raw, start=1):
        mandatory = step.get("mandatory", True)
        if not isinstance(mandatory, bool):
            raise InvalidInput(f"{path}: step {number}'s mandatory must be true or false.")
        try:
            steps.append(p.PlanStep(str(step.get("kind", "")), str(step.get("instruction", "")), mandatory))
        except InvalidInput as exc:
            raise InvalidInput(f"{path}: step {number}: {exc}") from None
    return p.check_steps(steps)


def _owner(node: Node, scope: Scope, client_ref: str | None, site_ref: str | None) -> tuple[str, Any]:
    if (client_ref is None) == (site_ref is None):
        raise InvalidInput("Give exactly one of --client or --site.")
    if site_ref is not None:
        sites = node.store.read(lambda uow: uow.sites.find(ref=site_ref), scope)
        if not sites:
            raise InvalidInput(f"No site with reference {site_ref!r}: check the site reference.")
        return "site", sites[0]
    clients = node.store.read(lambda uow: uow.clients.find(ref=client_ref), scope)
    if not clients:
        raise InvalidInput(f"No client with reference {client_ref!r}: check the client reference.")
    return "client", clients[0]


def _shown(source: str, alarm_class: str, steps: tuple[p.PlanStep, ...]) -> dict[str, Any]:
    return {
        "alarm_class": alarm_class,
        "source": source,
        "steps": [{"kind": s.kind, "instruction": s.instruction, "mandatory": s.mandatory} for s in steps],
    }


_OWNER = (
    click.option("--client", "client_ref", help="The client's reference (its plan is a template)."),
    click.option("--site", "site_ref", help="The site's reference (its plan replaces the client's)."),
    click.option("--class", "alarm_class", required=True, help="The alarm class (intrusion, fire, duress…)."),
    click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several)."),
)


def _owner_options(fn: Any) -> Any:
    for option in reversed(_OWNER):
        fn = option(fn)
    return fn


@plan.command("set")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@_owner_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def set_plan(
    *,
    file: Path,
    client_ref: str | None,
    site_ref: str | None,
    alarm_class: str,
    tenant_ref: str | None,
    as_json: bool,
) -> None:
    """Write the plan for a class from FILE.json: a list of steps, each {"kind", "instruction",
    "mandatory"}; kinds: view_clip, call_site, call_contacts, check_password, dispatch_guard,
    request_police, request_fire, request_medical, inform_client, free_text."""
    p.check_class(alarm_class)
    steps = _steps_from_file(file)
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        kind, owner = _owner(node, scope, client_ref, site_ref)
        command = p.SetActionPlan(
            alarm_class,
            steps,
            "cli",
            client_id=owner.id if kind == "client" else None,
            site_id=owner.id if kind == "site" else None,
        )
        written = node.messagebus.handle(command, scope=scope, actor="cli")
    finally:
        node.close()
    if as_json:
        click.echo(
            json.dumps(_shown(written.source, alarm_class, written.steps), indent=2, ensure_ascii=False)
        )
        return
    mandatory = sum(s.mandatory for s in steps)
    click.echo(
        f"Plan for {alarm_class} alarms of {kind} {owner.ref}: {len(steps)} step(s), {mandatory} mandatory."
    )


@plan.command("show")
@_owner_options
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
def show_plan(
    *, client_ref: str | None, site_ref: str | None, alarm_class: str, tenant_ref: str | None, as_json: bool
) -> None:
    """Show the plan in force for a class: a site's own, else its client's, else the default."""
    p.check_class(alarm_class)
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        kind, owner = _owner(node, scope, client_ref, site_ref)

        def read(uow: UnitOfWork) -> tuple[str, tuple[p.PlanStep, ...]]:
            if kind == "site":
                return checklists.plan_in_force(uow, alarm_class, owner.id, owner.client_id)
            return checklists.plan_in_force(uow, alarm_class, None, owner.id)

        source, steps = node.store.read(read, scope)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(_shown(source, alarm_class, steps), indent=2, ensure_ascii=False))
        return
    click.echo(f"Plan for {alarm_class} alarms of {kind} {owner.ref} ({source}):")
    for number, step in enumerate(steps, start=1):
        mark = "*" if step.mandatory else " "
        click.echo(f"{number:>2}.{mark} {step.kind:<16} {step.instruction}")
    click.echo("(* mandatory)")
