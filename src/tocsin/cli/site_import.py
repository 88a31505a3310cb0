"""``tocsin site import FILE``: sites, transmitters, zones, contacts and schedules from a CSV or JSON file,
checked as a whole before anything is written, written in one transaction (docs/site-import.md)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.errors import InvalidInput
from tocsin.domain.scope import Scope
from tocsin.domain.site_import import parse_rows, read_file
from tocsin.services.site_import import ImportPlan, apply_import, hash_secrets, plan_import

LARGE = 1000  # records from which progress bars are shown (on a terminal)
SHOWN_PROBLEMS = 5


@contextlib.contextmanager
def _progress(label: str, length: int, shown: bool) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on standard error while a long step runs (none when small or not a terminal)."""
    if not shown or length == 0:
        yield None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


def _read(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name} is not UTF-8 text (byte {exc.start}): save it as UTF-8.") from None
    return text, hashlib.sha256(data).hexdigest()


def _refuse(path: Path, problems: list[str]) -> InvalidInput:
    shown = "; ".join(problems[:SHOWN_PROBLEMS])
    more = f"; and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
    return InvalidInput(f"{len(problems)} problem(s) in {path.name}, nothing written: {shown}{more}")


def _report(plan: ImportPlan, path: Path, sha256: str, *, dry_run: bool) -> dict[str, Any]:
    """What ``--json`` prints (a stable interface)."""
    return {
        "file": path.name,
        "sha256": sha256,
        "dry_run": dry_run,
        "written": not dry_run,
        "counts": plan.counts(),
        "changes": [
            {
                "where": c.where,
                "record": c.kind.removesuffix("s"),
                "key": c.key,
                "action": c.action,
                "fields": list(c.fields),
            }
            for c in plan.changes
            if c.action != "unchanged"
        ],
        "skipped": plan.skipped,
    }


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and list what would change; write nothing.")
@click.option("--tenant", "tenant_ref", help="The tenant's reference (needed when there are several).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object: counts and changes, for scripts.")
def import_file(file: Path, dry_run: bool, tenant_ref: str | None, as_json: bool) -> None:
    """Import sites, transmitters, zones, contacts and schedules from FILE (.csv or .json): checked as a
    whole first (one bad row: nothing written, the row named), then written in one transaction."""
    text, sha256 = _read(file)
    rows = read_file(file.name, text)
    shown = len(rows) >= LARGE and sys.stderr.isatty() and not as_json
    with _progress("Checking", len(rows), shown) as step:
        parsed = parse_rows(rows, step)
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        scope = Scope.tenant(tenant_id)
        plan = node.store.read(lambda uow: plan_import(uow, tenant_id, parsed), scope)
        if plan.problems:
            raise _refuse(file, plan.problems)
        if not dry_run:
            with _progress("Hashing secrets", len(plan.secrets), shown) as step:
                hash_secrets(plan, node.hasher, step)
            with _progress("Writing", len(plan.writes["sites"]), shown) as step:
                node.store.write(
                    lambda uow: apply_import(
                        uow, plan, file=file.name, sha256=sha256, actor="cli", progress=step
                    ),
                    scope,
                )
    finally:
        node.close()
    _print(plan, file, sha256, dry_run=dry_run, as_json=as_json)


def _print(plan: ImportPlan, path: Path, sha256: str, *, dry_run: bool, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(_report(plan, path, sha256, dry_run=dry_run), indent=2))
        return
    if dry_run:
        for change in plan.changes:
            if change.action != "unchanged":
                click.echo(change.line())
    for kind, counted in plan.counts().items():
        if any(counted.values()):
            click.echo(
                f"{kind:<10} {counted['created']:>7} created {counted['updated']:>7} updated"
                f" {counted['unchanged']:>7} unchanged"
            )
    for note in plan.skipped:
        click.echo(f"note: {note}")
    verb = "would be written (dry run: nothing written)" if dry_run else "written in one transaction"
    click.echo(f"{path.name}: {plan.total('created')} created, {plan.total('updated')} updated; {verb}.")
