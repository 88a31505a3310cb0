"""``tocsin site``: what an operator does to a site from the command line (test mode, for now)."""

from __future__ import annotations

from datetime import timedelta

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import parse_instant, resolve_tenant
from tocsin.domain.alarms import SetTestMode
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope


@click.group()
def site() -> None:
    """Sites: test mode."""


@site.command("test-mode")
@click.argument("site_ref")
@click.option("--until", "until_text", help="When test mode ends (ISO 8601; without offset: UTC).")
@click.option("--minutes", type=click.IntRange(1, 7 * 24 * 60), help="Test mode for so many minutes.")
@click.option("--end", is_flag=True, help="End test mode now.")
@click.option("--account", default="", help="Only this transmitter (its number); default: the whole site.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
def test_mode(
    *,
    site_ref: str,
    until_text: str | None,
    minutes: int | None,
    end: bool,
    account: str,
    tenant_ref: str | None,
) -> None:
    """Put a site (or one transmitter) in test mode, or end it: its events are logged and raise no
    alarm; zones left in alarm when it ends make a technical alarm."""
    if sum((until_text is not None, minutes is not None, end)) != 1:
        raise InvalidInput("Give exactly one of --until, --minutes or --end.")
    until = parse_instant(until_text, "--until")
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref))
        sites = node.store.read(lambda uow: uow.sites.find(ref=site_ref), scope)
        if not sites:
            raise InvalidInput(f"No site with reference {site_ref!r}: check the site reference.")
        if minutes is not None:
            until = node.clock.now() + timedelta(minutes=minutes)
        command = SetTestMode(site_id=sites[0].id, until=until, by="cli", account=account)
        node.messagebus.handle(command, scope=scope, actor="cli")
    finally:
        node.close()
    what = f"transmitter #{account.upper()} of {site_ref}" if account else f"site {site_ref}"
    if until is None:
        click.echo(f"Test mode of {what} ended.")
    else:
        click.echo(f"Test mode for {what} until {until.isoformat()}.")
