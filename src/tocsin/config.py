"""Settings, from the environment (``TOCSIN_…``) or a ``.env`` file. Read by bootstrap only."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


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
