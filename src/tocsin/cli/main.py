"""``tocsin``: the command line. Errors are one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from tocsin import __version__
from tocsin.cli.account import account
from tocsin.cli.alarms import alarms
from tocsin.cli.camera import camera, video
from tocsin.cli.client import client
from tocsin.cli.db import db
from tocsin.cli.demo import demo
from tocsin.cli.event_debrief import debrief
from tocsin.cli.event_exports import emsi, sheet
from tocsin.cli.events import events
from tocsin.cli.frigate import frigate
from tocsin.cli.geo import geo
from tocsin.cli.kpis import kpis
from tocsin.cli.logbook import logbook
from tocsin.cli.logs import configure_logging
from tocsin.cli.partners import partners
from tocsin.cli.plan import plan
from tocsin.cli.receiver import receiver, signals, worker
from tocsin.cli.schedule import schedule
from tocsin.cli.serve import serve
from tocsin.cli.shift import shift
from tocsin.cli.simulate import simulate
from tocsin.cli.site import site
from tocsin.cli.station import station
from tocsin.cli.tenant import tenant
from tocsin.cli.units import units
from tocsin.cli.user import user
from tocsin.cli.video import register_commands as register_video_commands
from tocsin.cli.video_export import register_commands as register_export_commands
from tocsin.domain.errors import TocsinError
from tocsin.services.loops import LoopFailed

EXIT_ERROR = 2
EXIT_UNEXPECTED = 70


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tocsin")
def cli() -> None:
    """Tocsin: alarm receiving, video protection, command and dispatch.

    The database is TOCSIN_DATABASE_URL (default: SQLite under ./var).
    """


cli.add_command(account)
cli.add_command(alarms)
cli.add_command(events)
cli.add_command(partners)
events.add_command(emsi)
events.add_command(sheet)
events.add_command(debrief)
cli.add_command(client)
cli.add_command(db)
cli.add_command(demo)
cli.add_command(logbook)
cli.add_command(plan)
cli.add_command(serve)
cli.add_command(receiver)
cli.add_command(signals)
cli.add_command(simulate)
cli.add_command(site)
cli.add_command(shift)
cli.add_command(station)
cli.add_command(tenant)
cli.add_command(user)
cli.add_command(worker)
cli.add_command(schedule)
cli.add_command(geo)
cli.add_command(camera)
cli.add_command(video)
register_video_commands(video)
register_export_commands(video)
cli.add_command(frigate)
cli.add_command(units)
cli.add_command(kpis)


def main(argv: list[str] | None = None) -> Any:
    """Run the CLI, turning every error into one clear line."""
    configure_logging()
    try:
        return cli.main(args=argv, prog_name="tocsin", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_ERROR)
    except click.UsageError as exc:  # a bad option or argument: one line, not click's usage block
        where = f"{exc.ctx.command_path} --help" if exc.ctx is not None else "tocsin --help"
        click.echo(f"error: {exc.format_message()} ({where} lists the options)", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except LoopFailed as exc:  # already logged (process.loop_failed), with its traceback
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_UNEXPECTED)
    except TocsinError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("TOCSIN_DEBUG"):
            raise
        click.echo(
            f"error: unexpected failure ({type(exc).__name__}: {exc}). Set TOCSIN_DEBUG=1 for details.",
            err=True,
        )
        sys.exit(EXIT_UNEXPECTED)
