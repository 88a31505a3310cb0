"""``tocsin kpis``: the room's KPIs for a period, as text, JSON, CSV or a PDF report, without the console.

``tocsin kpis --json`` prints the object ``GET /api/v1/kpis`` answers: an interface for scripts, whose
field names stay as they are (fields may be added).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from tocsin.bootstrap import bootstrap, load_settings
from tocsin.cli.common import resolve_tenant
from tocsin.domain.errors import InvalidInput
from tocsin.domain.kpi_targets import SetKpiTargets
from tocsin.domain.kpis import ALL_CLASSES, AlarmKpis, Target, parse_targets
from tocsin.domain.scope import Scope
from tocsin.i18n.catalogue import LANGUAGES
from tocsin.services.kpis import as_json, period_of, read_kpis, to_csv


def _time(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--{name} {value!r} is not a time: write 2026-12-01T08:00:00+01:00.") from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"--{name} {value!r} has no offset: add one, such as +00:00 or Z.")
    return parsed


def _text(kpis: AlarmKpis) -> list[str]:
    start, end = kpis.period.start.isoformat(), kpis.period.end.isoformat()
    lines = [f"Period {start} to {end}"]
    if kpis.empty:
        return [*lines, "No alarm and no signal in this period.", *_dispatch_text(kpis)]
    if kpis.truncated:
        lines.append("Too many alarms: only the first 200,000 are counted; ask for a shorter period.")
    lines.append(
        f"{kpis.alarms} alarm(s), {kpis.settled} settled, {kpis.false} false ({kpis.false_rate:.1%});"
        f" {kpis.signals} signal(s), {kpis.mean_signals_per_hour:.1f} per hour"
    )
    for t in kpis.timings:
        p50 = "-" if t.p50 is None else f"{t.p50:.1f}s"
        p90 = "-" if t.p90 is None else f"{t.p90:.1f}s"
        within = "  ".join(
            f"{w.share:.1%}<={w.target.seconds:g}s {'met' if w.met else 'MISSED'}" for w in t.within
        )
        name = "all" if t.alarm_class == ALL_CLASSES else t.alarm_class
        lines.append(
            f"  {name:<15} {t.measure:<6} {t.measured:>6}/{t.alarms:<6} p50 {p50:>8} p90 {p90:>8}  {within}"
        )
    for title, rates in (("class", kpis.by_class), ("site", kpis.by_site), ("client", kpis.by_client)):
        lines.append(f"False alarms by {title}:")
        lines.extend(f"  {r.label or '-':<30} {r.false:>5}/{r.settled:<5} {r.rate:.1%}" for r in rates)
    lines.append("Causes:")
    lines.extend(f"  {c.cause or '-':<15} {c.outcome:<6} {c.count:>5} {c.share:.1%}" for c in kpis.causes)
    return [*lines, *_dispatch_text(kpis)]


def _dispatch_text(kpis: AlarmKpis) -> list[str]:
    d = kpis.dispatch
    lines = [
        f"Dispatch (NFPA 1225): {d.events} event(s), {d.no_unit} without a unit alerted"
        + (f", {d.inconsistent} step(s) out of order left out" if d.inconsistent else "")
    ]
    if d.truncated:
        lines.append("Too many events: only the first 200,000 are counted; ask for a shorter period.")
    for f in d.figures:
        p50 = "-" if f.p50 is None else f"{f.p50:.1f}s"
        p90 = "-" if f.p90 is None else f"{f.p90:.1f}s"
        goal = f"{f.share:.1%}<={f.target.seconds:g}s {'met' if f.met else 'MISSED'}" if f.samples else "-"
        lines.append(f"  {f.interval:<15} {f.samples:>6} p50 {p50:>8} p90 {p90:>8}  {goal}")
    return lines


@click.group(invoke_without_command=True)
@click.pass_context
@click.option(
    "--from", "start", help="Start of the period, ISO 8601 with an offset (default: 24 h before --to)."
)
@click.option("--to", "end", help="End of the period, excluded, ISO 8601 with an offset (default: now).")
@click.option("--tenant", "tenant_ref", help="Only this tenant (default: every tenant the node serves).")
@click.option("--json", "as_json_flag", is_flag=True, help="The API's JSON object.")
@click.option(
    "--csv", "as_csv", is_flag=True, help="One CSV table (a 'section' column tells the rows apart)."
)
@click.option(
    "--pdf", "pdf_path", type=click.Path(dir_okay=False, path_type=Path), help="Write a PDF report."
)
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True, help="The PDF's.")
def kpis(  # noqa: PLR0917 - one option each, as click passes them
    ctx: click.Context,
    start: str | None,
    end: str | None,
    tenant_ref: str | None,
    as_json_flag: bool,
    as_csv: bool,
    pdf_path: Path | None,
    language: str,
) -> None:
    """Times to take and to settle alarms per class against the targets, false-alarm rates by class,
    site and client, causes, and signals per hour, for a period (the last 24 hours by default).
    ``tocsin kpis targets`` shows or sets a tenant's own targets."""
    if ctx.invoked_subcommand is not None:
        return
    if sum((as_json_flag, as_csv, pdf_path is not None)) > 1:
        raise InvalidInput("Choose one of --json, --csv and --pdf.")
    if pdf_path is not None and not pdf_path.parent.is_dir():
        raise InvalidInput(f"--pdf {pdf_path}: the folder {pdf_path.parent} does not exist.")
    begin, until = _time("from", start), _time("to", end)
    node = bootstrap(load_settings())
    try:
        scope = Scope.tenant(resolve_tenant(node, tenant_ref)) if tenant_ref else Scope.system()
        period = period_of(node.clock, begin, until)
        report = read_kpis(node.store, scope, period, node.settings.kpi_targets)
        pdf = node.kpi_pdf(report, language, "tocsin kpis") if pdf_path is not None else None
    finally:
        node.close()
    if pdf is not None and pdf_path is not None:
        pdf_path.write_bytes(pdf)
        click.echo(f"Wrote {pdf_path} ({len(pdf):,} bytes).")
    elif as_json_flag:
        click.echo(json.dumps(as_json(report), indent=2))
    elif as_csv:
        click.echo(to_csv(report), nl=False)
    else:
        click.echo("\n".join(_text(report)))


def _shown(text: str | None, node: tuple[Target, ...]) -> str:
    if text is None:
        return f"{', '.join(t.label for t in node) or 'none'} (the node's setting)"
    return ", ".join(t.label for t in parse_targets(text)) or "none"


@kpis.command("targets")
@click.option("--tenant", "tenant_ref", help="The tenant (needed when the node serves several).")
@click.option("--take", help="Targets for the time to take, seconds:percent comma-separated ('' for none).")
@click.option(
    "--settle", help="Targets for the time to settle, seconds:percent comma-separated ('' for none)."
)
@click.option("--reset", is_flag=True, help="Give both back to the node's settings.")
def targets(tenant_ref: str | None, take: str | None, settle: str | None, reset: bool) -> None:
    """Show a tenant's KPI targets, or set them (a measure left out keeps what it had); each change
    is a logbook entry."""
    if reset and (take is not None or settle is not None):
        raise InvalidInput("Give --reset alone, or --take and --settle without it.")
    node = bootstrap(load_settings())
    try:
        tenant_id = resolve_tenant(node, tenant_ref)
        scope = Scope.tenant(tenant_id)
        own_take, own_settle = node.store.read(lambda uow: uow.kpis.tenant_targets(tenant_id), scope)
        if reset or take is not None or settle is not None:
            own_take = None if reset else own_take if take is None else take
            own_settle = None if reset else own_settle if settle is None else settle
            command = SetKpiTargets(tenant_id, own_take, own_settle)
            node.messagebus.handle(command, scope=scope, actor="cli")
            own_take, own_settle = node.store.read(lambda uow: uow.kpis.tenant_targets(tenant_id), scope)
        defaults = node.settings.kpi_targets
    finally:
        node.close()
    click.echo(f"take: {_shown(own_take, defaults.take)}")
    click.echo(f"settle: {_shown(own_settle, defaults.settle)}")
