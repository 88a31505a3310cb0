"""``tocsin db``: the database schema."""

from __future__ import annotations

import click

from tocsin.bootstrap import database_in_use, load_settings, upgrade_database


@click.group()
def db() -> None:
    """Create and migrate the database."""


@db.command()
def upgrade() -> None:
    """Bring the database to this version's schema (safe to run again)."""
    settings = load_settings()
    before, after = upgrade_database(settings)
    where = database_in_use(settings)
    if before == after:
        click.echo(f"The database is already at schema revision {after} ({where}).")
    else:
        click.echo(f"The database was migrated from {before or 'empty'} to revision {after} ({where}).")
