"""Engines, the unit of work and the store.

SQLite is the embedded default: WAL journal, ``synchronous=FULL``, and every write transaction runs on
one writer thread and starts with ``BEGIN IMMEDIATE``, so writers queue instead of failing with
"database is locked" (another process, such as the signal worker or the CLI, is waited for: briefly at
sub-millisecond intervals, then on the busy timeout). PostgreSQL runs
writes on the caller's thread; its row locks order concurrent writers. PostgreSQL connections get a
connect timeout and a statement timeout (:class:`Timeouts`), so a database that stops answering turns
into an error, not a thread waiting forever, wherever the server can notice it. A pooled PostgreSQL
connection is checked before it is handed out without a round trip unless it sat idle (:func:`_check_alive`).
"""

from __future__ import annotations

import itertools
import select
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from tocsin.adapters.store.alarm_store import SqlAlarmStore
from tocsin.adapters.store.auth_rows import GrantRow, RoleRow, UserRow
from tocsin.adapters.store.auth_store import SqlAuthStore
from tocsin.adapters.store.client_write_store import SqlClientWrites
from tocsin.adapters.store.deadline_store import SqlDeadlineStore
from tocsin.adapters.store.geo_store import SqlGeoReference
from tocsin.adapters.store.incident_store import SqlIncidentStore
from tocsin.adapters.store.kpi_store import SqlKpiSource
from tocsin.adapters.store.liaison_store import SqlLiaisonStore
from tocsin.adapters.store.logbook_store import SqlLogbookStore
from tocsin.adapters.store.plan_store import SqlPlanStore
from tocsin.adapters.store.repositories import SqlAccountIdentities, SqlRepository
from tocsin.adapters.store.room_rows import HandoverRow, ShiftRow
from tocsin.adapters.store.rows import (
    AccountRow,
    ClientRow,
    ContactRow,
    PartnerRow,
    ScheduleRow,
    SiteRow,
    TenantRow,
    UnitRow,
    ZoneRow,
)
from tocsin.adapters.store.signal_store import SqlSignalStore
from tocsin.adapters.store.site_search_store import SqlSiteTexts
from tocsin.adapters.store.unit_rows import AssignmentRow, UnitStatusRow
from tocsin.adapters.store.verification_store import SqlVerificationStore
from tocsin.adapters.store.video_rows import (
    CameraRow,
    ClipRow,
    RequisitionRow,
    SiteVideoRow,
    VideoExportRow,
)
from tocsin.domain.cameras import Camera
from tocsin.domain.clips import Clip, SiteVideo
from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.requisitions import Requisition, VideoExport
from tocsin.domain.resources import Partner, Unit
from tocsin.domain.scope import Scope
from tocsin.domain.shifts import Handover, Shift
from tocsin.domain.sites import Account, Contact, Schedule, Site, Zone
from tocsin.domain.tenancy import Client, Tenant
from tocsin.domain.units import Assignment, StatusChange
from tocsin.domain.users import Grant, Role, User
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import UnitOfWork

R = TypeVar("R")
BUSY_TIMEOUT_MS = 30_000


def normalize_url(url: str) -> str:
    """Accept the URLs people write and pick our drivers: ``postgresql://`` means psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreUnavailable(
            f"The database URL {url!r} cannot be read: use sqlite:///PATH or postgresql://USER@HOST:PORT/DB."
        ) from None
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise StoreUnavailable(
            f"Unsupported database {parsed.drivername!r}: Tocsin runs on SQLite or PostgreSQL."
        )
    return parsed.render_as_string(hide_password=False)


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long a PostgreSQL connection may take to open, and one statement to run (seconds; 0: none).

    A value already in the URL's query (``connect_timeout``, ``options``) wins over these."""

    connect: float = 0
    statement: float = 0


def create_db_engine(
    url: str, *, writer: bool = True, timeouts: Timeouts | None = None, reads_only: bool = False
) -> Engine:
    """An engine with Tocsin's settings for the database behind ``url``.

    ``reads_only`` (PostgreSQL): a pool for read transactions, whose connections run in autocommit. A
    read then costs its statements alone, no ``BEGIN`` and no ``ROLLBACK`` round trips (READ COMMITTED
    took a snapshot per statement anyway). A statement that is not a plain ``SELECT``, or one streamed
    through a server-side cursor, opens a transaction first (:func:`_transaction_when_needed`), which
    the read's end rolls back as before. A read that needs one snapshot asks for REPEATABLE READ on its
    connection (:meth:`SqlLogbookStore.snapshot`), which opens a transaction too."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        return _sqlite_engine(url, parsed.database, writer=writer)
    connect_args = _postgres_timeouts(timeouts or Timeouts(), parsed.query)
    engine = create_engine(
        url,
        pool_size=8,
        max_overflow=8,
        connect_args=connect_args,
        **({"isolation_level": "AUTOCOMMIT"} if reads_only else {}),
    )
    event.listen(engine, "checkout", _check_alive)
    event.listen(engine, "checkin", _note_idle)
    if reads_only:
        event.listen(engine, "before_cursor_execute", _transaction_when_needed)
        event.listen(engine, "checkin", _back_to_autocommit)
    return engine


def _transaction_when_needed(
    connection: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool
) -> None:
    """Leave autocommit (psycopg then begins a transaction; the read's end or the check-in rolls it
    back) before a statement that may write or lock (anything but a plain ``SELECT``: a ``SELECT … FOR
    UPDATE`` locks until the transaction ends, a write must be rolled back as a read's always was) and
    before a streamed read (``yield_per``, ``stream_results``), whose server-side cursor lives in a
    transaction only."""
    raw = connection.connection.dbapi_connection
    if not raw.autocommit:
        return
    options = context.execution_options if context is not None else {}
    head = statement.lstrip()[:6].upper()
    if (
        head != "SELECT"
        or " FOR UPDATE" in statement
        or options.get("stream_results")
        or options.get("yield_per")
    ):
        raw.autocommit = False


def _back_to_autocommit(dbapi_connection: Any, _record: Any) -> None:
    if dbapi_connection is not None and not dbapi_connection.closed and not dbapi_connection.autocommit:
        dbapi_connection.rollback()
        dbapi_connection.autocommit = True


PING_AFTER = 10.0  # seconds a pooled PostgreSQL connection may sit idle before its checkout pings it


def _note_idle(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _check_alive(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Hand out a pooled PostgreSQL connection only if it still works, without a round trip when it was
    used a moment ago (``pool_pre_ping`` would cost one ``SELECT 1`` on every checkout, two a request).

    A server that closed the connection (restarted, or the backend was terminated) has sent its
    farewell or an end of file, so the idle socket reads as ready: that is checked with a zero-timeout
    poll, no traffic. A connection idle longer than :data:`PING_AFTER` (a firewall may have dropped it
    silently) is pinged as ``pool_pre_ping`` would. Either failure makes the pool open a fresh one."""
    if dbapi_connection.closed or _socket_readable(dbapi_connection):
        raise DisconnectionError("the server closed this connection")
    idle_since = record.info.get("idle_since")  # none yet: a connection opened for this checkout
    if idle_since is not None and time.monotonic() - idle_since > PING_AFTER:
        try:
            _ping(dbapi_connection)
        except Exception as exc:  # whatever broke, the connection is not handed out
            raise DisconnectionError(f"the connection does not answer: {exc}") from exc


def _socket_readable(dbapi_connection: Any) -> bool:
    """Whether an idle connection's socket has something to read (an end of file, an error message)."""
    try:
        fd = dbapi_connection.pgconn.socket
    except Exception:  # no socket: broken
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def _ping(dbapi_connection: Any) -> None:
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        dbapi_connection.execute("SELECT 1")
    finally:
        if not dbapi_connection.closed:
            dbapi_connection.autocommit = autocommit


def _postgres_timeouts(timeouts: Timeouts, query: Any) -> dict[str, Any]:
    """psycopg connect arguments for ``timeouts``, leaving alone what the URL already says."""
    args: dict[str, Any] = {}
    if timeouts.connect > 0 and "connect_timeout" not in query:
        args["connect_timeout"] = max(1, round(timeouts.connect))  # libpq counts whole seconds
    if timeouts.statement > 0 and "options" not in query:
        args["options"] = f"-c statement_timeout={round(timeouts.statement * 1000)}"
    return args


def _sqlite_engine(url: str, database: str | None, *, writer: bool) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if writer:
            _begin_immediate(connection)
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


SPIN_FOR = 0.2  # seconds a writer retries on its own before SQLite's busy handler takes over
SPIN_PAUSES = (0.0002, 0.0005, 0.001)  # seconds between those tries, the last one repeated


def _begin_immediate(connection: Any) -> None:
    """``BEGIN IMMEDIATE``, retried at sub-millisecond intervals while another process writes.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15… ms between tries: when the other writer (the
    signal worker, say) holds the lock for two milliseconds, a receiver's commit would still wait eight.
    So the first :data:`SPIN_FOR` seconds are tried here with the busy timeout off; after that the
    ordinary timeout applies, and its error is the one reported."""
    raw = connection.connection.dbapi_connection
    deadline = time.monotonic() + SPIN_FOR
    raw.execute("PRAGMA busy_timeout=0")
    try:
        for attempt in itertools.count():
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    break
                time.sleep(SPIN_PAUSES[min(attempt, len(SPIN_PAUSES) - 1)])
            else:
                return
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class SqlUnitOfWork(UnitOfWork):
    """A unit of work over one SQLAlchemy session."""

    def __init__(self, session: Session, scope: Scope, clock: Clock) -> None:
        super().__init__()
        self.session = session
        self.scope = scope
        self.clock = clock
        self.tenants = SqlRepository(session, scope, Tenant, TenantRow)
        self.clients = SqlRepository(session, scope, Client, ClientRow)
        self.sites = SqlRepository(session, scope, Site, SiteRow)
        self.accounts = SqlRepository(session, scope, Account, AccountRow)
        self.account_identities = SqlAccountIdentities(session)
        self.zones = SqlRepository(session, scope, Zone, ZoneRow)
        self.contacts = SqlRepository(session, scope, Contact, ContactRow)
        self.schedules = SqlRepository(session, scope, Schedule, ScheduleRow)
        self.units = SqlRepository(session, scope, Unit, UnitRow)
        self.partners = SqlRepository(session, scope, Partner, PartnerRow)
        self.users = SqlRepository(session, scope, User, UserRow)
        self.roles = SqlRepository(session, scope, Role, RoleRow)
        self.grants = SqlRepository(session, scope, Grant, GrantRow)
        self.auth = SqlAuthStore(session)
        self.signals = SqlSignalStore(session)
        self.logbook = SqlLogbookStore(session)
        self.deadlines = SqlDeadlineStore(session)
        self.alarms = SqlAlarmStore(session, scope)
        self.geo = SqlGeoReference(session)
        self.plans = SqlPlanStore(session, scope)
        self.verifications = SqlVerificationStore(session)
        self.incidents = SqlIncidentStore(session, scope)
        self.liaison = SqlLiaisonStore(session, scope)
        self.cameras = SqlRepository(session, scope, Camera, CameraRow)
        self.assignments = SqlRepository(session, scope, Assignment, AssignmentRow)
        self.unit_history = SqlRepository(session, scope, StatusChange, UnitStatusRow)
        self.kpis = SqlKpiSource(session, scope)
        self.site_texts = SqlSiteTexts(session, scope)
        self.shifts = SqlRepository(session, scope, Shift, ShiftRow)
        self.handovers = SqlRepository(session, scope, Handover, HandoverRow)
        self.clips = SqlRepository(session, scope, Clip, ClipRow)
        self.site_videos = SqlRepository(session, scope, SiteVideo, SiteVideoRow)
        self.requisitions = SqlRepository(session, scope, Requisition, RequisitionRow)
        self.video_exports = SqlRepository(session, scope, VideoExport, VideoExportRow)
        self.client_writes = SqlClientWrites(session)


class SqlStore:
    """Runs service functions in transactions on SQLite or PostgreSQL."""

    def __init__(self, url: str, clock: Clock, timeouts: Timeouts | None = None) -> None:
        self.url = normalize_url(url)
        self.clock = clock
        self.dialect = make_url(self.url).get_backend_name()
        self.write_engine = create_db_engine(self.url, writer=True, timeouts=timeouts)
        self.read_engine = (
            create_db_engine(self.url, writer=False)
            if self.dialect == "sqlite"
            else create_db_engine(self.url, timeouts=timeouts, reads_only=True)
        )
        self._write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        self._writer = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")
            if self.dialect == "sqlite"
            else None
        )
        self._after_commit: list[Callable[[list[Any]], None]] = []

    def on_commit(self, listener: Callable[[list[Any]], None]) -> None:
        """Call ``listener(entries)`` after each commit that wrote logbook entries."""
        self._after_commit.append(listener)

    def write(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        if self._writer is not None and threading.current_thread().name.startswith("sqlite-writer"):
            return self._transaction(fn, scope)  # already on the writer: nested call
        if self._writer is not None:
            return self._writer.submit(self._transaction, fn, scope).result()
        return self._transaction(fn, scope)

    def _transaction(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        try:
            with self._write_sessions() as session, session.begin():
                uow = SqlUnitOfWork(session, scope, self.clock)
                result = fn(uow)
        except OperationalError as exc:
            raise StoreUnavailable(describe_operational_error(self.url, exc)) from None
        if uow.written:
            for listener in self._after_commit:
                listener(list(uow.written))
        uow.committed()
        return result

    def read(self, fn: Callable[[UnitOfWork], R], scope: Scope) -> R:
        try:
            with self._read_sessions() as session, session.begin() as transaction:
                try:
                    return fn(SqlUnitOfWork(session, scope, self.clock))
                finally:
                    transaction.rollback()  # a read never commits, whatever fn did
        except OperationalError as exc:
            raise StoreUnavailable(describe_operational_error(self.url, exc)) from None

    def check_writable(self, timeout: float) -> None:
        """Raise :class:`StoreUnavailable` unless a write could start within ``timeout`` seconds.

        On SQLite a read goes on while another process holds the write lock, so the degraded-mode probe
        (docs/degraded.md) also takes the write lock for an instant on a connection of its own, outside
        the writer thread's queue. On PostgreSQL a read already tells (rows, not the database, lock)."""
        if self.dialect != "sqlite":
            return
        path = make_url(self.url).database or ""
        try:
            probe = sqlite3.connect(path, timeout=timeout, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            finally:
                probe.close()
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"The database takes no writes: {exc}.") from None

    def close(self) -> None:
        if self._writer is not None:
            self._writer.shutdown(wait=True)
        self.write_engine.dispose()
        self.read_engine.dispose()


def describe_operational_error(url: str, exc: OperationalError) -> str:
    """A one-line explanation of a database failure, without the password."""
    shown = make_url(url).render_as_string(hide_password=True)
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    return (
        f"The database at {shown} cannot be used: {reason}. Check that it is running and that"
        " TOCSIN_DATABASE_URL is right."
    )
