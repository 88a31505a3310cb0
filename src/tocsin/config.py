"""Settings, from the environment (``TOCSIN_…``) or a ``.env`` file. Read by bootstrap only."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tocsin.domain.errors import InvalidInput
from tocsin.domain.kpis import Targets, parse_targets

# http(s)://host[:port]/path with {z}, {x}, {y} in any order (checked below), nothing that could break
# out of a header or an HTML attribute
_TILES = re.compile(r"(?P<origin>https?://[A-Za-z0-9.\-]+(?::\d{1,5})?)(?P<path>/[A-Za-z0-9._~/\-{}%?=&]*)")


class Settings(BaseSettings):
    """Everything a Tocsin node can be told. Secrets are never given here, only paths to them."""

    model_config = SettingsConfigDict(env_prefix="TOCSIN_", env_file=".env", extra="ignore")

    var_dir: Path = Field(default=Path("var"), description="Where local data lives.")
    database_url: str = Field(default="", description="sqlite:///PATH or postgresql://…")
    logbook_key_file: Path | None = Field(
        default=None, description="Ed25519 private key that signs logbook checkpoints."
    )
    node_name: str = Field(default="node-1", description="This node's name, in signals and logs.")
    dc09_tls_cert: Path | None = Field(default=None, description="PEM certificate for DC-09 over TLS.")
    dc09_tls_key: Path | None = Field(default=None, description="PEM private key for DC-09 over TLS.")
    room_time_zone: str = Field(default="Europe/Paris", description="IANA zone of the room's clock.")
    behind_tls_proxy: bool = Field(
        default=False,
        description="The console is reached through a TLS proxy: cookies are Secure and HSTS is sent even"
        " when the proxy's X-Forwarded-Proto does not reach us.",
    )
    dc09_accept_before: int = Field(
        default=40, ge=0, le=3600, description="Seconds a DC-09 timestamp may lag the receiver's clock."
    )
    dc09_accept_after: int = Field(
        default=20,
        ge=0,
        le=3600,
        description="Seconds a DC-09 timestamp may run ahead of the receiver's clock.",
    )

    database_connect_timeout: float = Field(
        default=5.0,
        ge=0,
        le=600,
        description="Seconds a PostgreSQL connection may take to open (0: no limit).",
    )
    database_statement_timeout: float = Field(
        default=10.0,
        ge=0,
        le=86_400,
        description="Seconds one PostgreSQL statement may run before the server cancels it (0: no limit).",
    )
    api_store_deadline: float = Field(
        default=5.0,
        gt=0,
        le=600,
        description="Seconds the API waits for the database to answer a probe, once a request has run for"
        " 2 s, before it answers 503 and goes into degraded mode (docs/degraded.md).",
    )
    kit_every: float = Field(
        default=3600.0,
        ge=0,
        le=86_400,
        description="Seconds between two degraded-mode kits written into the data folder by `tocsin serve`"
        " (0: never; docs/degraded.md).",
    )
    processing_batch: int | None = Field(
        default=None,
        ge=1,
        le=10_000,
        description="Signals per processing transaction (default: 200 on SQLite, 1,000 on PostgreSQL). An"
        " operator's action waits behind a batch's write: smaller batches answer them sooner under a storm,"
        " larger ones absorb it with fewer transactions.",
    )
    dc09_idle_timeout: float = Field(
        default=600.0, gt=0, description="Seconds a DC-09 TCP connection may stay silent before it is closed."
    )
    dc09_frame_timeout: float = Field(
        default=30.0, gt=0, description="Seconds a DC-09 frame may take from its first byte to its end."
    )
    dc09_max_connections: int = Field(
        default=10_000, ge=1, description="Open DC-09 TCP connections; past it a new one is closed at once."
    )
    dc09_max_udp_in_flight: int = Field(
        default=1_000, ge=1, description="DC-09 datagrams being answered; past it a new one is dropped."
    )
    frigate_mqtt_url: str = Field(
        default="", description="mqtt://host[:port] of a Frigate's broker: `tocsin serve` then listens to it."
    )
    frigate_prefix: str = Field(default="frigate", description="Frigate's MQTT topic prefix.")
    frigate_url: str = Field(default="", description="Frigate's web address, for snapshot and clip links.")

    # ---- the station watching itself (docs/station.md)
    ntp_servers: str = Field(
        default="",
        description="The room's NTP servers, comma-separated (host or host:port); empty: the clock is not"
        " checked and no network is reached.",
    )
    clock_max_offset: float = Field(
        default=1.0, gt=0, le=3600, description="Seconds the node's clock may be off before an alarm."
    )
    nut_ups: str = Field(
        default="",
        description="The room's UPS as NUT names it, ups@host[:port]; empty: power is not watched.",
    )
    station_silent_after: float = Field(
        default=120.0,
        ge=0,
        le=86_400,
        description="Seconds an NTP server or upsd may stay silent before its alarm (a server down, a cut).",
    )
    storage_min_free_mb: int = Field(
        default=1024, ge=0, description="MiB the data folder's disk must keep free before an alarm."
    )
    video_down_after: float = Field(
        default=30.0, gt=0, description="Seconds a camera's stream may be lost before a camera_down alarm."
    )
    video_frozen_after: float = Field(
        default=10.0, gt=0, description="Seconds of identical frames before a camera_frozen alarm."
    )
    video_tamper_after: float = Field(
        default=5.0, gt=0, description="Seconds a camera must look covered, blurred or moved before an alarm."
    )
    video_ring_seconds: float = Field(
        default=300.0, ge=30, description="Seconds of footage each camera's ring buffer keeps."
    )
    video_segment_seconds: float = Field(
        default=1.0, gt=0, le=10, description="Length of the ring buffer's segments, in seconds."
    )
    process_silent_after: float = Field(
        default=60.0,
        ge=5,
        le=86_400,
        description="Seconds a node's process may go without its heartbeat before a process_silent alarm.",
    )
    station_check_every: float = Field(
        default=30.0, ge=1, le=3600, description="Seconds between two checks of the clock, power and disk."
    )
    deadman_idle: int = Field(
        default=120,
        ge=0,
        le=86_400,
        description="Seconds an operator holding an alarm may show no activity before the console asks"
        " them to confirm (the dead-man); 0: no dead-man.",
    )
    deadman_confirm: int = Field(
        default=30,
        ge=5,
        le=3600,
        description="Seconds the operator then has to confirm before their alarms go back to the queue and"
        " supervisors are alerted.",
    )

    kpi_take_targets: str = Field(
        default="30:80,60:98.5",
        description="Targets for the time to take an alarm, seconds:percent comma-separated (EN 50518's"
        " 80 % within 30 s and 98.5 % within 60 s by default); empty: none.",
    )
    kpi_settle_targets: str = Field(
        default="",
        description="Targets for the time to settle an alarm, seconds:percent comma-separated; empty: none.",
    )
    kpi_metrics_hours: int = Field(
        default=24,
        ge=1,
        le=744,
        description="Hours back the KPI figures at /metrics cover (a sliding window).",
    )

    map_tiles_url: str = Field(
        default="",
        description="A raster XYZ tile server of the room's own, as a template with {z}, {x} and {y}"
        " (e.g. https://tiles.room.local/{z}/{x}/{y}.png): the console's maps draw its tiles under the"
        " town's streets. Empty (the default): no tiles, no request leaves the node.",
    )

    recommend_cutoff_s: int = Field(
        default=1800,
        ge=60,
        le=7200,
        description="Seconds of driving beyond which a unit is not timed for a recommendation.",
    )
    recommend_detour: float = Field(
        default=1.4,
        ge=1.0,
        le=3.0,
        description="Without a road graph: road length over straight-line distance.",
    )
    recommend_speed_kmh: float = Field(
        default=40.0,
        ge=5.0,
        le=130.0,
        description="Without a road graph: the speed a unit is assumed to drive at.",
    )
    turnout_seconds: str = Field(
        default="",
        description='Turnout seconds by unit kind, as JSON merged over the defaults, e.g. {"guard": 45,'
        ' "keyholder": 600, "*": 60} ("*": any kind not named).',
    )

    @field_validator("map_tiles_url")
    @classmethod
    def _tile_template(cls, value: str) -> str:
        value = value.strip()
        placeholders = all(f"{{{name}}}" in value for name in "zxy")
        if value and (not _TILES.fullmatch(value) or not placeholders):
            raise ValueError(
                "must be an http(s) URL template on one host holding {z}, {x} and {y}, such as"
                " https://tiles.room.local/{z}/{x}/{y}.png (no spaces, quotes or {s})"
            )
        return value

    @property
    def map_tiles_origin(self) -> str | None:
        """The tile server's origin (``https://tiles.room.local``), which the pages' CSP must allow."""
        found = _TILES.fullmatch(self.map_tiles_url)
        return found["origin"] if found else None

    @field_validator("kpi_take_targets", "kpi_settle_targets")
    @classmethod
    def _targets(cls, value: str) -> str:
        try:
            parse_targets(value)
        except InvalidInput as exc:
            raise ValueError(str(exc)) from None
        return value.strip()

    @property
    def kpi_targets(self) -> Targets:
        """The targets the KPIs measure alarms against."""
        return Targets(parse_targets(self.kpi_take_targets), parse_targets(self.kpi_settle_targets))

    @field_validator("database_url")
    @classmethod
    def _no_blank_spaces(cls, value: str) -> str:
        return value.strip()

    @property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to SQLite under ``var_dir``."""
        return self.database_url or f"sqlite:///{self.var_dir / 'tocsin.db'}"

    @property
    def effective_key_file(self) -> Path:
        """The signing key path, defaulting to ``var_dir/keys/logbook-signing.pem``."""
        return self.logbook_key_file or self.var_dir / "keys" / "logbook-signing.pem"
