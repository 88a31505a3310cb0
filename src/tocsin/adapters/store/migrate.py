"""Schema migrations (Alembic), run programmatically by ``tocsin db upgrade`` and the test fixtures."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from tocsin.adapters.store.database import create_db_engine, describe_operational_error
from tocsin.domain.errors import StoreUnavailable

MIGRATIONS = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The revision this version of Tocsin expects."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise StoreUnavailable("This Tocsin package ships no migrations; reinstall it.")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(url: str) -> tuple[str | None, str]:
    """Bring the database to the newest schema; running it again changes nothing.

    Returns the revision before and after.
    """
    engine = create_db_engine(url)
    try:
        before = current_revision(engine)
        known = {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}
        if before is not None and before not in known:
            raise StoreUnavailable(
                f"The database is at schema revision {before}, which this Tocsin does not know:"
                " it was migrated by a newer version. Upgrade Tocsin, or use another database."
            )
        with engine.begin() as connection:
            config = _config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return before, head_revision()
    except OperationalError as exc:
        raise StoreUnavailable(describe_operational_error(url, exc)) from None
    finally:
        engine.dispose()


def check_ready(engine: Engine, url: str) -> None:
    """Refuse to run on a database that is unreachable or not at this version's schema."""
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise StoreUnavailable(describe_operational_error(url, exc)) from None
    head = head_revision()
    if current is None:
        raise StoreUnavailable("The database has no Tocsin schema yet: run `tocsin db upgrade`.")
    if current != head:
        raise StoreUnavailable(
            f"The database schema is at revision {current} but this Tocsin needs {head}:"
            " run `tocsin db upgrade`."
        )
