"""Mechanical translation between domain dataclasses and rows with the same field names."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar
from uuid import UUID

from tocsin.domain.sites import Schedule, ScheduleWindow

T = TypeVar("T")


def _to_column(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_to_json_item(v) for v in value]
    return value


def _to_json_item(value: Any) -> Any:
    if hasattr(value, "as_json"):
        return value.as_json()
    return str(value) if isinstance(value, UUID) else value


def row_values(item: Any) -> dict[str, Any]:
    """The row's column values for a domain object."""
    return {f.name: _to_column(getattr(item, f.name)) for f in dataclasses.fields(item)}


def to_domain(cls: type[T], row: Any) -> T:
    """Build the domain object from a row (or any object with the same attribute names)."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]  # cls is always a dataclass here
        value = getattr(row, f.name)
        if isinstance(value, list):
            if cls is Schedule and f.name == "windows":
                value = tuple(ScheduleWindow.from_json(w) for w in value)
            elif f.name.endswith("_ids"):  # lists of references are stored as text
                value = tuple(UUID(v) for v in value)
            else:
                value = tuple(value)
        elif isinstance(value, dict):
            value = dict(value)
        values[f.name] = value
    return cls(**values)
