"""Typed rows of video protection: the cameras of a site and their compliance record."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Date, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.adapters.store.rows import Base


class CameraRow(Base):
    __tablename__ = "camera"
    __table_args__ = (UniqueConstraint("site_id", "name"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    site_id: Mapped[UUID] = mapped_column(ForeignKey("site.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    bearing: Mapped[float | None] = mapped_column(Float)
    view_angle: Mapped[float | None] = mapped_column(Float)
    view_range: Mapped[float | None] = mapped_column(Float)
    rtsp_url: Mapped[str] = mapped_column(String(500))
    mjpeg_url: Mapped[str] = mapped_column(String(500))
    snapshot_url: Mapped[str] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(100))
    credential_ref: Mapped[str | None] = mapped_column(String(128))
    frigate_name: Mapped[str] = mapped_column(String(64), index=True)
    authorisation_ref: Mapped[str] = mapped_column(String(100))
    authorisation_expires: Mapped[date | None] = mapped_column(Date)
    purposes: Mapped[list[Any]]
    retention_days: Mapped[int]
    signage: Mapped[bool]
    privacy_masks: Mapped[list[Any]]
