"""``tocsin account``: connect a site's transmitter without the console."""

from __future__ import annotations

import json

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import read_secret, resolve_tenant
from tocsin.domain.commands import AddAccount
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.domain.sites import ATS_CATEGORIES, PROFILES, category_interval, category_of
from tocsin.services.unit_of_work import UnitOfWork

KEY_BYTES = (16, 24, 32)
ROOM_PANEL = ", the room's own alarm panel (its intrusion and fire alarms above everything)"


def _read_key() -> bytes:
    text = read_secret("AES key (hex)").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise InvalidInput("The key must be hexadecimal (32, 48 or 64 hex digits).") from None
    if len(key) not in KEY_BYTES:
        raise InvalidInput(f"The key is {len(key) * 8} bits: DC-09 uses AES keys of 128, 192 or 256 bits.")
    return key


@click.group()
def account() -> None:
    """Transmitters (alarm panels' communicators) and their keys."""


@account.command()
@click.argument("number")
@click.option("--site", "site_ref", required=True, help="The site's reference.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--receiver", default="0", show_default=True, help="Receiver prefix (hex).")
@click.option("--line", default="0", show_default=True, help="Line prefix (hex).")
@click.option("--key-stdin", is_flag=True, help="Read the AES key (hex) from standard input.")
@click.option("--profile", type=click.Choice(PROFILES), help="A named quirk profile for this panel.")
@click.option("--supervision", type=click.IntRange(10), help="Expected reporting interval, in seconds.")
@click.option(
    "--category",
    type=click.Choice(list(ATS_CATEGORIES), case_sensitive=False),
    help="EN 50136-1 single-path category, giving the interval (SP4: 180 s); instead of --supervision.",
)
@click.option(
    "--test-every",
    type=click.IntRange(60, 31 * 86_400),
    help="The panel's periodic test interval, in seconds: a test missing past it raises an alarm.",
)
@click.option(
    "--allow-cleartext",
    is_flag=True,
    help="Accept unencrypted frames although the account has a key (while a panel moves to encryption).",
)
@click.option(
    "--station",
    is_flag=True,
    help="The room's own alarm panel: its intrusion and fire alarms go above everything in the queue.",
)
def add(
    *,
    number: str,
    site_ref: str,
    tenant_ref: str | None,
    receiver: str,
    line: str,
    key_stdin: bool,
    profile: str | None,
    supervision: int | None,
    category: str | None,
    test_every: int | None,
    allow_cleartext: bool,
    station: bool,
) -> None:
    """Connect a transmitter to a site; its key is read from standard input, never an argument."""
    if category is not None:
        if supervision is not None:
            raise InvalidInput("Give either --category or --supervision, not both.")
        supervision = category_interval(category)
    key = _read_key() if key_stdin else None
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        scope = Scope.tenant(tenant_id)
        sites = node.store.read(lambda uow: uow.sites.find(ref=site_ref), scope)
        if not sites:
            raise InvalidInput(f"No site with reference {site_ref!r}: check --site.")
        key_ref = f"acct-{node.clock.new_id()}" if key else None
        if key is not None and key_ref is not None:
            node.keys.put(key_ref, key)  # the key file first: an account never points to a missing key
        command = AddAccount(
            sites[0].id,
            number,
            receiver,
            line,
            {},
            profile,
            key_ref,
            supervision,
            allow_cleartext,
            test_seconds=test_every,
            station=station,
        )
        try:
            created = node.messagebus.handle(command, scope=scope, actor="cli")
        except Exception:
            if key_ref is not None:
                node.keys.delete(key_ref)  # refused: no key file left behind for an account that is not
            raise
    finally:
        node.close()
    click.echo(
        f"Transmitter {created.label} ({_security(created.key_ref, allow_cleartext)}) connected"
        f" to {site_ref}{ROOM_PANEL if station else ''}."
    )


def _security(key_ref: str | None, allow_cleartext: bool) -> str:
    if key_ref is None:
        return "plain"
    return "encrypted, cleartext also accepted" if allow_cleartext else "encrypted"


@account.command("list")
@click.option("--tenant", "tenant_ref", help="Only this tenant.")
@click.option("--json", "as_json", is_flag=True, help="JSON, one object per transmitter.")
def list_accounts(tenant_ref: str | None, as_json: bool) -> None:
    """Every transmitter with its site."""
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref)) if tenant_ref else Scope.system()

        def read(uow: UnitOfWork) -> list[dict[str, object]]:
            sites = {s.id: s for s in uow.sites.find()}
            return [
                {
                    "id": str(a.id),
                    "number": a.number,
                    "receiver": a.receiver,
                    "line": a.line,
                    "site_id": str(a.site_id),
                    "site_ref": sites[a.site_id].ref,
                    "profile": a.profile,
                    "encrypted": a.key_ref is not None,
                    "supervision_seconds": a.supervision_seconds,
                    "category": category_of(a.supervision_seconds),
                    "allow_cleartext": a.allow_cleartext,
                    "test_seconds": a.test_seconds,
                    "station": a.station,
                }
                for a in uow.accounts.find()
            ]

        rows = node.store.read(read, scope)
    finally:
        node.close()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        security = _security("key" if row["encrypted"] else None, bool(row["allow_cleartext"]))
        room = ", room's own panel" if row["station"] else ""
        click.echo(
            f"R{row['receiver']} L{row['line']} #{row['number']:<8} {row['site_ref']}  ({security}{room})"
        )
