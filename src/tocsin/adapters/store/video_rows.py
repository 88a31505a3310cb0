"""Typed rows of video protection: the cameras of a site and their compliance record, the clips cut
around alarms, each site's clip window, the requisitions and the exports."""

from __future__ import annotations

from datetime import date, datetime
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


class ClipRow(Base):
    __tablename__ = "alarm_clip"
    __table_args__ = (UniqueConstraint("alarm_id", "camera_id", "kind"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    site_id: Mapped[UUID] = mapped_column(ForeignKey("site.id"), index=True)
    alarm_id: Mapped[UUID] = mapped_column(ForeignKey("alarm.id"), index=True)
    camera_id: Mapped[UUID]  # no foreign key: a clip outlives its camera's removal
    camera_name: Mapped[str] = mapped_column(String(200))
    start: Mapped[datetime]
    end: Mapped[datetime]
    file: Mapped[str] = mapped_column(String(200))
    frames: Mapped[int]
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    hold: Mapped[str] = mapped_column(String(100))
    purged_at: Mapped[datetime | None]
    kind: Mapped[str] = mapped_column(String(16))  # clip (an MP4 cut from the ring) or snapshot (a JPEG)


class SiteVideoRow(Base):
    __tablename__ = "site_video"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    site_id: Mapped[UUID] = mapped_column(ForeignKey("site.id"), unique=True)
    pre_seconds: Mapped[int]
    post_seconds: Mapped[int]


class RequisitionRow(Base):
    __tablename__ = "requisition"
    __table_args__ = (UniqueConstraint("tenant_id", "reference"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    authority: Mapped[str] = mapped_column(String(100))
    reference: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[datetime]
    request: Mapped[str] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None]
    camera_ids: Mapped[list[Any]]  # migration 0027
    asked_from: Mapped[datetime | None]
    asked_to: Mapped[datetime | None]
    delivery_note: Mapped[str] = mapped_column(String(500))


class VideoExportRow(Base):
    __tablename__ = "video_export"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    site_id: Mapped[UUID] = mapped_column(ForeignKey("site.id"), index=True)
    camera_id: Mapped[UUID]  # no foreign key: an export outlives its camera's removal
    camera_name: Mapped[str] = mapped_column(String(200))
    start: Mapped[datetime]
    end: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(500))
    exported_by: Mapped[str] = mapped_column(String(200))
    exported_at: Mapped[datetime]
    folder: Mapped[str] = mapped_column(String(1000))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(64))
    frames: Mapped[int]
    requisition_id: Mapped[UUID | None] = mapped_column(ForeignKey("requisition.id"), index=True)
