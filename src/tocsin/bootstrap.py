"""The composition root: the only module that names concrete adapters and wires them together.

Entrypoints (CLI, API, receivers, workers) ask for a :class:`Node`; tests pass their own twins.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import ssl
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from pydantic import ValidationError
from sqlalchemy import make_url

from tocsin.adapters import journal, signing
from tocsin.adapters.bus.memory import InProcessBus
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.geo.address_index import build_index
from tocsin.adapters.hashing import Argon2Hasher
from tocsin.adapters.journal import FileJournal
from tocsin.adapters.keystore import FileKeyStore
from tocsin.adapters.routing.graph import build_graph
from tocsin.adapters.station import NtpClient, NutClient, disk_usage
from tocsin.adapters.store import fleet_store, geo_store, migrate
from tocsin.adapters.store.database import SqlStore, SqlUnitOfWork, Timeouts
from tocsin.config import Settings
from tocsin.domain.errors import InvalidInput, StoreUnavailable
from tocsin.domain.geo import Address, RoadNode, RoadSegment
from tocsin.domain.kpis import AlarmKpis
from tocsin.domain.recommendation import TURNOUT_S
from tocsin.domain.requisitions import VideoExport
from tocsin.domain.resources import Unit
from tocsin.domain.scope import Scope
from tocsin.i18n.catalogue import LANGUAGES
from tocsin.protocols.nut import NutError, parse_target
from tocsin.services import heartbeat as heartbeats
from tocsin.services import supervision, video_export
from tocsin.services.auth import Authenticator
from tocsin.services.committer import GroupCommitter
from tocsin.services.demo import DemoSummary, seed_demo
from tocsin.services.event_liaison import EventLiaison
from tocsin.services.evidence import EvidenceFile
from tocsin.services.geocoding import Geocoder
from tocsin.services.handlers import alarms as alarm_handlers
from tocsin.services.handlers import plans as plan_handlers
from tocsin.services.handlers import schedules as schedule_handlers
from tocsin.services.handlers import shifts as shift_handlers
from tocsin.services.handlers import units as unit_handlers
from tocsin.services.handlers.registry import Deps
from tocsin.services.intake import AccountDirectory, SignalIntake
from tocsin.services.kit import KitRefresher, StationKit
from tocsin.services.messagebus import MessageBus
from tocsin.services.outbox import Outbox
from tocsin.services.ports import Bus, Clock, KeyStore, SecretHasher, SignatureVerifier, SignedHeads, Signer
from tocsin.services.recommendation import Recommender, RecommendSettings, UnitsReader, repository_units
from tocsin.services.routing import RoadRouter
from tocsin.services.scheduler import Scheduler
from tocsin.services.signal_processing import BATCH, SignalProcessor
from tocsin.services.station import StationMonitor, StationSettings
from tocsin.services.supervision import LinkSupervisor
from tocsin.services.unit_of_work import Store, UnitOfWork
from tocsin.services.video_custody import CustodySheet


def load_settings() -> Settings:
    """Settings from the environment; a malformed value is one clear error."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"TOCSIN_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise InvalidInput(f"The settings are not valid ({problems}): fix them and retry.") from None


@dataclass
class Node:
    """One Tocsin node's services, wired."""

    settings: Settings
    clock: Clock
    store: Store
    bus: Bus
    messagebus: MessageBus
    scheduler: Scheduler
    hasher: SecretHasher
    auth: Authenticator
    keys: KeyStore
    geocoder: Geocoder
    router: RoadRouter
    recommender: Recommender
    _signer: Signer | None = field(default=None, repr=False)

    def signer(self) -> Signer:
        """The checkpoint signer, loaded from the key file on first use."""
        if self._signer is None:
            self._signer = signing.load_signer(self.settings.effective_key_file)
        return self._signer

    def signed_heads(self, path: Path | None = None) -> SignedHeads:
        """The newest checkpoints this node signed, kept beside its key (or in ``path``)."""
        return signing.SignedHeadsFile(path or signing.heads_path(self.settings.effective_key_file))

    def verifier(self, public_keys: list[Path] | None = None) -> SignatureVerifier:
        """A verifier for the given public keys, or for this node's own key."""
        return signing.load_verifier(public_keys or [self.settings.effective_key_file])

    def evidence_pdf(self, file: EvidenceFile, language: str = "en") -> bytes:
        """An alarm's evidence file printed as a PDF (ReportLab is loaded on first use)."""
        from tocsin.adapters.evidence_pdf import render_evidence  # noqa: PLC0415 - only this needs ReportLab

        return render_evidence(file, language)

    def kpi_pdf(self, kpis: AlarmKpis, language: str = "en", made_by: str = "") -> bytes:
        """A period's KPI report printed as a PDF (ReportLab is loaded on first use)."""
        from tocsin.adapters.kpi_pdf import render_kpis  # noqa: PLC0415 - only this needs ReportLab

        return render_kpis(kpis, language, made_at=self.clock.now(), made_by=made_by)

    def event_sheet_pdf(self, found: EventLiaison, language: str = "en", made_by: str = "") -> bytes:
        """An event's printable sheet as a PDF (ReportLab is loaded on first use)."""
        from tocsin.adapters.event_sheet_pdf import render_sheet  # noqa: PLC0415 - only this needs ReportLab

        return render_sheet(found, language, made_by)

    def custody_pdf(self, sheet: CustodySheet, language: str = "en") -> bytes:
        """An export's chain-of-custody sheet printed as a PDF (ReportLab is loaded on first use)."""
        from tocsin.adapters.custody_pdf import render_custody  # noqa: PLC0415 - only this needs ReportLab

        return render_custody(sheet, language)

    @property
    def exports_folder(self) -> Path:
        """Where exports made through the API are kept (``var/video/exports/<id>``)."""
        return Path(self.settings.var_dir) / "video" / "exports"

    def make_export(
        self,
        job: video_export.ExportJob,
        folder: Path,
        scope: Scope,
        *,
        language: str = "en",
        delivered: bool = False,
    ) -> VideoExport:
        """Make an export's files in ``folder`` (new or empty: the watermarked footage, the custody sheet
        in ``language``, the signed manifest) and record it (its record and entry, in one transaction).
        Anything refused or failed removes the folder: no export is left half made or unrecorded."""
        from tocsin.adapters import export_files  # noqa: PLC0415 - only this needs PyAV

        signer = self.signer()  # fail now, with the way out, if the node has no key
        maker = export_files.Maker(
            node_name=self.settings.node_name,
            signer=signer,
            now=self.clock.now(),
            public_key_name=signing.public_path(self.settings.effective_key_file).name,
            print_sheet=lambda sheet: self.custody_pdf(sheet, language),
        )
        try:
            digest, frames = export_files.make_files(
                maker, job, Path(self.settings.var_dir) / "video" / "clips", folder
            )
            done = video_export.ExportFiles(str(folder.resolve()), digest, signer.key_id, frames)
            export: VideoExport = self.store.write(
                lambda uow: video_export.record_export(uow, job, done, delivered=delivered), scope
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return export

    def verify_export(self, folder: Path, public_keys: list[Path] | None = None) -> list[str]:
        """What is wrong with an export folder (nothing: an empty list), checked with the given public
        keys or this node's own."""
        from tocsin.adapters import export_files  # noqa: PLC0415 - only this needs PyAV

        return export_files.verify(folder, self.verifier(public_keys))

    def kit_pdf(self, kit: StationKit, language: str = "en") -> bytes:
        """The degraded-mode kit printed as a PDF, times in the room's zone (docs/degraded.md)."""
        from tocsin.adapters.kit_pdf import render_kit  # noqa: PLC0415 - only this needs ReportLab

        return render_kit(kit, language, self.settings.room_time_zone)

    def journal_backlog(self) -> int:
        """Signals this node's receiver journaled while the database was away, waiting for a replay."""
        return journal.backlog(self.settings.var_dir / "journal")

    def close(self) -> None:
        """Release the store's connections and threads."""
        self.store.close()


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    store: Store | None = None,
    bus: Bus | None = None,
    hasher: SecretHasher | None = None,
    signer: Signer | None = None,
) -> Node:
    """Wire a node. Without a ``store``, open the configured database and check its schema."""
    settings = settings or load_settings()
    clock = clock or SystemClock()
    bus = bus or InProcessBus()
    hasher = hasher or Argon2Hasher()
    if store is None:
        refuse_missing_database(settings)
        timeouts = Timeouts(settings.database_connect_timeout, settings.database_statement_timeout)
        sql_store = SqlStore(settings.effective_database_url, clock, timeouts)
        try:
            migrate.check_ready(sql_store.write_engine, sql_store.url)
        except StoreUnavailable as exc:
            sql_store.close()
            if "TOCSIN_DATABASE_URL" in str(exc):  # it names the database already
                raise
            where = database_in_use(settings)
            raise StoreUnavailable(f"{str(exc).rstrip('.')} (database: {where}).") from None
        except Exception:
            sql_store.close()
            raise
        store = sql_store
    store.on_commit(Outbox(bus))
    return Node(
        settings=settings,
        clock=clock,
        store=store,
        bus=bus,
        messagebus=MessageBus(
            store,
            Deps(hasher=hasher, deadman_idle=settings.deadman_idle, deadman_confirm=settings.deadman_confirm),
        ),
        scheduler=_scheduler(store, clock),
        hasher=hasher,
        auth=Authenticator(store, clock, hasher),
        keys=FileKeyStore(settings.var_dir / "keys" / "transmitters"),
        geocoder=Geocoder(store, build_index, clock),
        router=RoadRouter(store, build_graph, clock),
        recommender=Recommender(recommend_settings(settings), _units_reader(store)),
        _signer=signer,
    )


def _units_reader(store: Store) -> UnitsReader:
    """How recommendations read a tenant's units: one light SQL read on a SQL store, the units already
    built kept until their row changes."""
    if not isinstance(store, SqlStore):
        return repository_units
    fleet = fleet_store.FleetReader()

    def read(uow: UnitOfWork, tenant_id: UUID) -> list[Unit]:
        if not isinstance(uow, SqlUnitOfWork):  # pragma: no cover - a SqlStore makes SQL units of work
            return repository_units(uow, tenant_id)
        return fleet(uow.session.connection(), tenant_id)

    return read


def recommend_settings(settings: Settings) -> RecommendSettings:
    """How recommendations time units: the cutoff, the fallback's detour and speed, turnout by kind."""
    turnout = dict(TURNOUT_S)
    if settings.turnout_seconds.strip():
        try:
            given = json.loads(settings.turnout_seconds)
        except ValueError:
            given = None
        valid = isinstance(given, dict) and all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 3600
            for k, v in given.items()
        )
        if not valid or not isinstance(given, dict):
            raise InvalidInput(
                "TOCSIN_TURNOUT_SECONDS is a JSON object of whole seconds (0 to 3600) by unit kind, such as"
                ' {"guard": 45, "*": 60}: fix it and retry.'
            )
        turnout.update({k.casefold(): v for k, v in given.items()})
    return RecommendSettings(
        cutoff_s=settings.recommend_cutoff_s,
        detour=settings.recommend_detour,
        speed_kmh=settings.recommend_speed_kmh,
        turnout=turnout,
    )


def database_in_use(settings: Settings) -> str:
    """Which database the settings lead to, and why: named in every error about it (no password)."""
    shown = make_url(settings.effective_database_url).render_as_string(hide_password=True)
    if settings.database_url:
        return f"{shown}, from TOCSIN_DATABASE_URL"
    return (
        f"{shown}, the default: TOCSIN_DATABASE_URL is not set, so SQLite under TOCSIN_VAR_DIR"
        f" ({settings.var_dir}) from the current folder {Path.cwd()}"
    )


def refuse_missing_database(settings: Settings) -> None:
    """An SQLite file that does not exist is refused, not created empty: a command run from the wrong
    folder must not silently start a second, empty room."""
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database)
    if not path.exists():
        raise StoreUnavailable(
            f"No database at {path.resolve()} ({database_in_use(settings)}): run this from the project"
            " folder, set TOCSIN_DATABASE_URL, or create a new database there with `tocsin db upgrade`."
        )


def upgrade_database(settings: Settings) -> tuple[str | None, str]:
    """Migrate the configured database to this version's schema (idempotent)."""
    return migrate.upgrade(settings.effective_database_url)


def create_signing_key(settings: Settings) -> tuple[Path, str]:
    """Create the logbook signing key file; return its path and key id."""
    path = settings.effective_key_file
    return path, signing.create_key_file(path).key_id


def demo_seeder(node: Node) -> Callable[[int], DemoSummary]:
    """What ``tocsin demo seed`` runs: the demo room written to this node's database, the demo town's
    geographic reference loaded beside it (in its own transaction, through the single writer)."""
    store = node.store
    if not isinstance(store, SqlStore):
        raise InvalidInput(
            "The demo room is written to a SQL database (SQLite or PostgreSQL), not to an in-memory store."
        )

    def load_geo(
        nodes: Sequence[RoadNode], segments: Sequence[RoadSegment], addresses: Sequence[Address]
    ) -> bool:
        def run(uow: UnitOfWork) -> bool:
            if not isinstance(uow, SqlUnitOfWork):  # pragma: no cover - a SqlStore makes SQL units of work
                raise TypeError("a SQL store gave a unit of work without a session")
            connection = uow.session.connection()
            if geo_store.has_geo_reference(connection):
                return False
            geo_store.insert_geo_reference(connection, nodes, segments, addresses)
            geo_store.bump_address_revision(connection, node.clock.now())  # geocoders rebuild
            return True

        return store.write(run, Scope.system())

    return lambda seed: seed_demo(store, node.hasher, load_geo, seed)


@dataclass
class ReceiverParts:
    """The alarm intake of a node and the background loops it needs beside the listeners."""

    intake: SignalIntake
    committer: GroupCommitter
    supervisor: LinkSupervisor
    processor: SignalProcessor | None
    accounts: AccountDirectory

    def loops(self) -> list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]]:
        """Coroutines to run until the receiver stops: group commit, supervision flushes, account
        reloads and, when this process processes its signals, the signal processor."""
        loops: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = [
            self.committer.run,
            self.supervisor.run,
            self.accounts.run,
        ]
        if self.processor is not None:
            loops.append(self.processor.run)
        return loops


def receiver_parts(node: Node, *, process_signals: bool = True) -> ReceiverParts:
    """The alarm intake of this node: account directory, group commit with its journal, link supervision
    (deadlines re-armed from this start, so our own downtime raises no false alarms) and, unless another
    process does it (``tocsin worker``), the signal processor, woken by each commit."""
    committer = GroupCommitter(node.store, FileJournal(node.settings.var_dir / "journal"))
    processor = signal_processor(node) if process_signals else None
    if processor is not None:
        committer.on_stored.append(processor.wake)
    supervisor = LinkSupervisor(node.store, node.clock)
    node.store.write(
        lambda uow: supervision.rearm_after_restart(uow, node.clock.now(), node.settings.node_name),
        Scope.system(),
    )
    accounts = AccountDirectory(node.store, node.clock)
    accounts.load()
    window = (
        timedelta(seconds=node.settings.dc09_accept_before),
        timedelta(seconds=node.settings.dc09_accept_after),
    )
    intake = SignalIntake(
        committer,
        accounts,
        node.keys,
        node.clock,
        node.settings.node_name,
        supervisor=supervisor,
        window=window,
    )
    intake.remember_stored(node.store)
    return ReceiverParts(intake, committer, supervisor, processor, accounts)


def _scheduler(store: Store, clock: Clock) -> Scheduler:
    """The node's scheduler, knowing every kind of deadline the node arms."""
    scheduler = Scheduler(store, clock)
    scheduler.register(supervision.KIND, supervision.on_silence)
    scheduler.register(heartbeats.KIND, heartbeats.on_silent)
    for kind, handler in alarm_handlers.DEADLINES.items():
        scheduler.register(kind, handler)
    for kind, handler in plan_handlers.DEADLINES.items():
        scheduler.register(kind, handler)
    for kind, handler in schedule_handlers.DEADLINES.items():
        scheduler.register(kind, handler)
    for kind, handler in unit_handlers.DEADLINES.items():
        scheduler.register(kind, handler)
    for kind, handler in shift_handlers.DEADLINES.items():  # the operator dead-man
        scheduler.register(kind, handler)
    return scheduler


ROW_LOCKING_BATCH = 1000  # signals per processing transaction where the database locks rows


def signal_processor(node: Node) -> SignalProcessor:
    """What writes the entries of stored signals.

    On SQLite a batch holds the database's one write lock while it is written, and the receiver's commits
    wait behind it, so batches stay small; PostgreSQL locks rows, and larger batches spare it round trips
    and commits (measured: 5,600 to 5,900 → 7,300 signals/s for a worker alone). But an operator's action
    waits behind a whole batch's write (the logbook chain is the tenant's), so a room may set its own
    (``TOCSIN_PROCESSING_BATCH``)."""
    if node.settings.processing_batch is not None:
        return SignalProcessor(node.store, node.clock, batch=node.settings.processing_batch)
    row_locking = isinstance(node.store, SqlStore) and node.store.dialect == "postgresql"
    return SignalProcessor(node.store, node.clock, batch=ROW_LOCKING_BATCH if row_locking else BATCH)


def dc09_tls(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context of the DC-09 TCP listener, when a certificate and key are configured."""
    if settings.dc09_tls_cert is None and settings.dc09_tls_key is None:
        return None
    if settings.dc09_tls_cert is None or settings.dc09_tls_key is None:
        raise InvalidInput("DC-09 over TLS needs both TOCSIN_DC09_TLS_CERT and TOCSIN_DC09_TLS_KEY.")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(settings.dc09_tls_cert, settings.dc09_tls_key)
    except (OSError, ssl.SSLError) as exc:
        raise InvalidInput(f"The DC-09 TLS certificate or key cannot be used: {exc}.") from None
    return context


def station_monitor(node: Node) -> StationMonitor:
    """The watch over this node's clock (NTP), power (NUT) and data folder (docs/station.md)."""
    settings = node.settings
    servers = tuple(s.strip() for s in settings.ntp_servers.split(",") if s.strip())
    power = None
    if settings.nut_ups.strip():
        try:
            power = NutClient(parse_target(settings.nut_ups))
        except NutError as exc:
            raise InvalidInput(f"TOCSIN_NUT_UPS: {exc}") from None
    watched = StationSettings(
        node=settings.node_name,
        data_path=str(settings.var_dir),
        ntp_servers=servers,
        clock_max_offset=settings.clock_max_offset,
        silent_after=settings.station_silent_after,
        storage_min_free_mb=settings.storage_min_free_mb,
        check_every=settings.station_check_every,
    )
    time_source = NtpClient(node.clock) if servers else None
    return StationMonitor(
        node.store, node.clock, watched, time_source=time_source, power=power, disk=disk_usage
    )


def kit_refresher(node: Node) -> KitRefresher:
    """The hourly degraded-mode kits of ``tocsin serve``, in the data folder's ``kit/`` (docs/degraded.md)."""
    return KitRefresher(
        node.store,
        node.kit_pdf,
        node.settings.var_dir / "kit",
        node.settings.kit_every,
        LANGUAGES,
    )


def heartbeat(node: Node, process: str) -> heartbeats.Heartbeat:
    """This process's heartbeat (``tocsin serve``, ``receiver`` or ``worker``): a deadline that, left to
    come due, raises a ``process_silent`` alarm (docs/station.md)."""
    return heartbeats.Heartbeat(
        node.store,
        node.clock,
        node.settings.node_name,
        process,
        os.getpid(),
        silent_after=node.settings.process_silent_after,
    )
