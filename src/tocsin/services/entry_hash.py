"""An entry's hash: SHA-256 of the canonical JSON (RFC 8785) of all its fields but the hash.

The hashed document is ``canonical_json(entry_material(entry))``. It is written out here member by
member, in RFC 8785's key order, from the canonical text of each value, because that runs for every
entry the signal processor writes: the JSON columns' texts (params, subjects, data) are worked out once,
``params`` reuses ``data``'s text when it is the same object, and the store writes those texts as they
are, so nothing is serialized twice. ``tests/unit/test_logbook_hash.py`` holds this form to the
dictionary form's bytes (property test) and to golden hashes computed by the code before it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from tocsin.domain.logbook import LogbookEntry, SubjectRef
from tocsin.protocols.canonical_json import canonical_string, canonical_text

_MAX_SAFE = 2**53 - 1


class JsonColumns(NamedTuple):
    """An entry's params, subjects and data as canonical JSON text: hashed, then stored as such."""

    params: str
    subjects: str
    data: str


class About(Protocol):
    """What an entry says (a new entry's fields, or a stored entry's)."""

    @property
    def tenant_id(self) -> UUID | None: ...
    @property
    def occurred_at(self) -> datetime | None: ...
    @property
    def actor(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def client_id(self) -> UUID | None: ...
    @property
    def site_id(self) -> UUID | None: ...


class Link(Protocol):
    """Where an entry sits: its id, chain, place, time and the hash before it."""

    @property
    def id(self) -> UUID: ...
    @property
    def chain(self) -> str: ...
    @property
    def seq(self) -> int: ...
    @property
    def recorded_at(self) -> datetime: ...
    @property
    def prev_hash(self) -> str: ...


def _ts(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds")


def entry_material(entry: LogbookEntry) -> dict[str, Any]:
    """Every field of the entry except its own hash, as JSON values: the definition of what is hashed."""
    return {
        "id": str(entry.id),
        "chain": entry.chain,
        "seq": entry.seq,
        "tenant_id": None if entry.tenant_id is None else str(entry.tenant_id),
        "recorded_at": _ts(entry.recorded_at),
        "occurred_at": _ts(entry.occurred_at),
        "actor": entry.actor,
        "kind": entry.kind,
        "message": entry.message,
        "params": dict(entry.params),
        "subjects": [s.as_json() for s in entry.subjects],
        "client_id": None if entry.client_id is None else str(entry.client_id),
        "site_id": None if entry.site_id is None else str(entry.site_id),
        "data": dict(entry.data),
        "prev_hash": entry.prev_hash,
    }


def entry_hash(entry: LogbookEntry) -> str:
    """The hash an entry must carry."""
    return digest(entry, entry, json_columns(entry.params, entry.subjects, entry.data))


def json_columns(
    params: Mapping[str, Any], subjects: tuple[SubjectRef, ...], data: Mapping[str, Any]
) -> JsonColumns:
    """The canonical texts of an entry's JSON fields (``params`` costs nothing when it is ``data``)."""
    data_text = canonical_text(dict(data))
    params_text = data_text if params is data else canonical_text(dict(params))
    return JsonColumns(params_text, _subjects(subjects), data_text)


def digest(about: About, link: Link, columns: JsonColumns) -> str:
    """The hash of an entry made of these parts."""
    return hashlib.sha256(_document(about, link, columns).encode("utf-8")).hexdigest()


def _document(a: About, k: Link, columns: JsonColumns) -> str:
    return (
        f'{{"actor":{_text(a.actor)},"chain":{_text(k.chain)},"client_id":{_known_id(a.client_id)},'
        f'"data":{columns.data},"id":"{k.id}","kind":{_text(a.kind)},"message":{_text(a.message)},'
        f'"occurred_at":{_time(a.occurred_at)},"params":{columns.params},"prev_hash":{_text(k.prev_hash)},'
        f'"recorded_at":{_time(k.recorded_at)},"seq":{_seq(k.seq)},"site_id":{_known_id(a.site_id)},'
        f'"subjects":{columns.subjects},"tenant_id":{_known_id(a.tenant_id)}}}'
    )


def _subjects(subjects: tuple[SubjectRef, ...]) -> str:
    if all(type(s.kind) is str and type(s.id) is str for s in subjects):
        inner = ",".join(
            f'{{"id":{canonical_string(s.id)},"kind":{canonical_string(s.kind)}}}' for s in subjects
        )
        return f"[{inner}]"
    return canonical_text([s.as_json() for s in subjects])


def _text(value: str) -> str:
    return canonical_string(value) if type(value) is str else canonical_text(value)


@lru_cache(maxsize=4096)  # tenants, clients and sites recur from entry to entry; bounded all the same
def _quoted_id(value: UUID) -> str:
    return f'"{value}"'


def _known_id(value: UUID | None) -> str:
    return "null" if value is None else _quoted_id(value)


def _time(value: datetime | None) -> str:
    return "null" if value is None else f'"{value.isoformat(timespec="microseconds")}"'


def _seq(value: int) -> str:
    return str(value) if type(value) is int and -_MAX_SAFE <= value <= _MAX_SAFE else canonical_text(value)
