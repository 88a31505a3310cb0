"""Alembic environment: always run through :mod:`tocsin.adapters.store.migrate`, never alone."""

from __future__ import annotations

from alembic import context

from tocsin.adapters.store import (
    degraded_rows,  # noqa: F401 - registers the client-keyed writes
    geo_rows,  # noqa: F401 - registers the geographic tables
    incident_rows,  # noqa: F401 - registers the incident tables
    kpi_rows,  # noqa: F401 - registers the KPI targets table
    partner_rows,  # noqa: F401 - registers the partner and closure tables
    plan_rows,  # noqa: F401 - registers the action plan tables
    unit_rows,  # noqa: F401 - registers the units' engagements and status history
)
from tocsin.adapters.store.rows import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
