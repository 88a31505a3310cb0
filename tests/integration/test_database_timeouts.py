"""PostgreSQL connections give up: a connection that never opens and a statement that never ends both
become errors, not threads waiting forever."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tocsin.adapters.store.database import SqlStore, SqlUnitOfWork, Timeouts
from tocsin.config import Settings
from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.scope import Scope
from tocsin.services.unit_of_work import UnitOfWork
from tocsin.testing import FakeClock

pytestmark = pytest.mark.postgres
ENOUGH = 30.0  # seconds: far beyond the timeouts under test, only there so a regression fails, not hangs


def _sql(uow: UnitOfWork, statement: str) -> str:
    assert isinstance(uow, SqlUnitOfWork)
    return str(uow.session.execute(text(statement)).scalar())


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port whose listener completes TCP handshakes and then never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # never accepted: the kernel queues the connections, nobody answers
        yield int(listener.getsockname()[1])


def test_a_statement_past_the_statement_timeout_fails(postgres_url: str) -> None:
    """A statement running longer than the statement timeout is cancelled by the server and reported
    as the database being unusable."""
    store = SqlStore(postgres_url, FakeClock(), Timeouts(connect=5, statement=0.3))
    try:
        assert store.read(lambda uow: _sql(uow, "SHOW statement_timeout"), Scope.system()) == "300ms"
        with pytest.raises(StoreUnavailable, match="statement timeout"):
            store.read(lambda uow: _sql(uow, "SELECT pg_sleep(3)"), Scope.system())
    finally:
        store.close()


def test_a_connection_that_never_opens_fails(silent_server: int) -> None:
    """Connecting to a server that accepts TCP and then stays silent fails after the connect timeout."""
    url = make_url("postgresql://postgres@127.0.0.1/test").set(port=silent_server)
    store = SqlStore(url.render_as_string(hide_password=False), FakeClock(), Timeouts(connect=1))
    outcome: list[BaseException | str] = []

    def connect() -> None:
        try:
            outcome.append(store.read(lambda uow: _sql(uow, "SELECT 1"), Scope.system()))
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(ENOUGH)
    assert not worker.is_alive(), "the connection attempt is still waiting"
    assert isinstance(outcome[0], StoreUnavailable)
    store.close()


def test_the_node_settings_have_sane_default_timeouts() -> None:
    """Unless told otherwise, a node's PostgreSQL connections open within 5 s and statements end in 10 s."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.database_connect_timeout, settings.database_statement_timeout) == (5.0, 10.0)
