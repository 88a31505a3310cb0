"""Rows of users, roles, grants and the node's security records (sessions, tokens, throttles)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tocsin.adapters.store.rows import Base


class UserRow(Base):
    __tablename__ = "user_account"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    active: Mapped[bool]
    unit_id: Mapped[UUID | None]


class RoleRow(Base):
    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID | None] = mapped_column(ForeignKey("tenant.id"))
    name: Mapped[str] = mapped_column(String(64))
    permissions: Mapped[list[Any]]


class GrantRow(Base):
    __tablename__ = "role_grant"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    role_id: Mapped[UUID] = mapped_column(ForeignKey("role.id"))
    client_ids: Mapped[list[Any]]
    site_ids: Mapped[list[Any]]


class AuthSessionRow(Base):
    __tablename__ = "auth_session"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None]


class ApiTokenRow(Base):
    __tablename__ = "api_token"
    id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    tenant_id: Mapped[UUID] = mapped_column(ForeignKey("tenant.id"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginThrottleRow(Base):
    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int]
    last_failure_at: Mapped[datetime]
    next_allowed_at: Mapped[datetime]
