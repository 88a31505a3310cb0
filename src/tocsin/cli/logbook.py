"""``tocsin logbook``: read, export, sign and verify the main courante."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import IO

import click

from tocsin.bootstrap import Node, bootstrap, create_signing_key, load_settings
from tocsin.cli.common import parse_instant
from tocsin.domain.errors import InvalidInput
from tocsin.domain.logbook import LogbookEntry
from tocsin.domain.scope import Scope
from tocsin.i18n import LANGUAGES, render
from tocsin.services import logbook as logbook_service
from tocsin.services.checkpoints import sign_and_keep
from tocsin.services.logbook_export import FORMATS, write_export

EXIT_BROKEN = 1


def _scope(node: Node, tenant_ref: str | None) -> Scope:
    if tenant_ref is None:
        return Scope.system()
    found = node.store.read(lambda uow: uow.tenants.find(ref=tenant_ref), Scope.system())
    if not found:
        raise InvalidInput(f"No tenant with reference {tenant_ref!r}: check `--tenant`.")
    return Scope.tenant(found[0].id)


def _line(entry: LogbookEntry, language: str) -> str:
    when = entry.recorded_at.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"
    return (
        f"{when}  {entry.chain}#{entry.seq}  {entry.kind:<18} {entry.actor:<14} "
        f"{render(entry.message, entry.params, language)}"
    )


@click.group()
def logbook() -> None:
    """The main courante: append-only, hash-chained, signed."""


tenant_option = click.option("--tenant", "tenant_ref", help="Only this tenant (its reference).")
lang_option = click.option(
    "--lang", type=click.Choice(LANGUAGES), default="en", show_default=True, help="Language."
)


@logbook.command()
@click.option("-n", "--lines", default=20, show_default=True, type=click.IntRange(1, 100_000))
@tenant_option
@lang_option
def tail(lines: int, tenant_ref: str | None, lang: str) -> None:
    """Show the newest entries, oldest first."""
    node = bootstrap(load_settings())
    try:
        scope = _scope(node, tenant_ref)
        newest = node.store.read(
            lambda uow: list(uow.logbook.read(scope, limit=lines, newest_first=True)), scope
        )
    finally:
        node.close()
    for entry in reversed(newest):
        click.echo(_line(entry, lang))


@logbook.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--since", help="From this time (ISO 8601, inclusive).")
@click.option("--until", help="Up to this time (ISO 8601, exclusive).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@tenant_option
@lang_option
def export(
    *,
    fmt: str,
    since: str | None,
    until: str | None,
    output: Path | None,
    tenant_ref: str | None,
    lang: str,
) -> None:
    """Export entries as JSON Lines or CSV, in chain and sequence order."""
    start, end = parse_instant(since, "--since"), parse_instant(until, "--until")
    if start and end and start >= end:
        raise InvalidInput("--since must be earlier than --until.")
    node = bootstrap(load_settings())
    try:
        scope = _scope(node, tenant_ref)

        def run(out: IO[str]) -> int:
            return node.store.read(
                lambda uow: write_export(uow.logbook.read(scope, since=start, until=end), fmt, out, lang),
                scope,
            )

        if output is None:
            count = run(sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = run(handle)
    finally:
        node.close()
    if output is not None:
        click.echo(f"{count} entries written to {output}.", err=True)


@logbook.command()
def keygen() -> None:
    """Create the Ed25519 key that signs checkpoints (TOCSIN_LOGBOOK_KEY_FILE)."""
    path, key_id = create_signing_key(load_settings())
    click.echo(f"Signing key {key_id} written to {path} (keep it off the database server's backups);")
    click.echo(f"auditors verify with the public key {path}.pub.")


@logbook.command()
def checkpoint() -> None:
    """Sign the head of every chain that moved since its last checkpoint."""
    node = bootstrap(load_settings())
    try:
        signer, kept = node.signer(), node.signed_heads()
        made = node.store.write(lambda uow: sign_and_keep(uow, signer, kept), Scope.system())
    finally:
        node.close()
    for c in made:
        click.echo(f"Signed {c.chain} at entry {c.seq} with key {c.key_id}.")
    if not made:
        click.echo("Every chain was already signed at its head.")


@logbook.command()
@click.option(
    "--public-key",
    "public_keys",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Public key(s) to check signatures with (default: this node's key).",
)
@click.option(
    "--signed-heads",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The newest checkpoints the node signed (default: the .heads.json file beside its key).",
)
@click.option(
    "--checkpoint-every",
    default=300,
    show_default=True,
    type=click.IntRange(1, 86_400),
    help="Seconds between checkpoints, as given to `tocsin serve`: unsigned entries spanning twice this"
    " are a breach (stale checkpoint).",
)
def verify(public_keys: tuple[Path, ...], signed_heads: Path | None, checkpoint_every: int) -> None:
    """Prove the logbook was not altered: exit 0 when every chain holds, 1 at the first break."""
    node = bootstrap(load_settings())
    try:
        own_key = node.settings.effective_key_file
        verifier = node.verifier(list(public_keys)) if public_keys or own_key.exists() else None
        # Read before the database snapshot: what it names was committed before the snapshot began.
        rule = logbook_service.CheckpointRule(
            signed=node.signed_heads(signed_heads).load(),
            stale_after=timedelta(seconds=2 * checkpoint_every),
        )
        reports = node.store.read(
            lambda uow: logbook_service.verify_all(uow.logbook, verifier or _NO_KEYS, rule), Scope.system()
        )
    finally:
        node.close()
    _report(reports, has_key=verifier is not None)


def _report(reports: list[logbook_service.ChainReport], *, has_key: bool) -> None:
    entries = sum(r.entries for r in reports)
    checkpoints = sum(r.checkpoints for r in reports)
    broken = [r for r in reports if r.breach is not None]
    if checkpoints and not has_key:
        raise InvalidInput(
            "The logbook has signed checkpoints but no public key was found: give"
            " --public-key or set TOCSIN_LOGBOOK_KEY_FILE."
        )
    if broken:
        click.echo(f"BROKEN: {broken[0].breach}", err=True)
        sys.exit(EXIT_BROKEN)
    click.echo(f"OK: {len(reports)} chains, {entries} entries, {checkpoints} signed checkpoints hold.")
    if checkpoints == 0:
        click.echo("warning: no signed checkpoint yet: run `tocsin logbook checkpoint`.", err=True)


class _NoKeys:
    def verify(self, key_id: str, data: bytes, signature: bytes) -> bool:
        return False


_NO_KEYS = _NoKeys()
