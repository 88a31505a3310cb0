"""Typed rows of degraded mode: the client-made keys of writes replayed after an outage."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.adapters.store.rows import Base


class ClientWriteRow(Base):
    """A write a console keyed itself (a note typed while the server was away): written once per key."""

    __tablename__ = "client_write"
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), primary_key=True)
    client_key: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(64))
    written_at: Mapped[datetime]
