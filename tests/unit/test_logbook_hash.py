"""The logbook hash is computed member by member and the JSON columns are serialized once; the hash is
still SHA-256 of ``canonical_json(entry_material(entry))``, byte for byte, for every entry."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from tocsin.domain.logbook import GENESIS_HASH, ChainHead, LogbookEntry, NewEntry, SubjectRef
from tocsin.protocols.canonical_json import canonical_json
from tocsin.services import logbook
from tocsin.testing import FakeClock

PARAMS = {
    "code": "130",
    "zone": "007",
    "label_fr": 'Intrusion é \u2028 "q" \x01\x7f\\',
    "restore": False,
    "n": 12,
    "none": None,
    "list": [1, "a", {"z": 1, "a": 2}],
}
ENTRY = LogbookEntry(
    id=UUID("0192f0a1-7c3e-7d40-8a1b-3c5d7e9f0a1b"),
    chain="tenant:5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e",
    seq=42,
    tenant_id=UUID("5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e"),
    recorded_at=datetime(2026, 11, 30, 15, 4, 5, 123456, tzinfo=UTC),
    occurred_at=datetime(2026, 11, 30, 16, 4, 5, tzinfo=timezone(timedelta(hours=1))),
    actor="receiver",
    kind="signal.received",
    message="signal.received",
    params=PARAMS,
    subjects=(SubjectRef("site", "abc"), SubjectRef("signal", "déf")),
    client_id=UUID("11111111-2222-4333-8444-555555555555"),
    site_id=None,
    data=dict(PARAMS),
    prev_hash="ab" * 32,
    hash="",
)
# Computed by the code that wrote the logbook before this encoding (dictionary, then canonical_json).
GOLDEN = "84bcd94b38699c91694cbcddff0f25917a009fd6d670cf65cedf03769dbfeee2"
GOLDEN_UNUSUAL = "46ee5d76f31fb8f2ed327996440336898da41bde727b8d6a1598aa8648130c08"

SAFE_INT = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
SCALARS = st.none() | st.booleans() | SAFE_INT | st.text() | st.floats(allow_nan=False, allow_infinity=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
OBJECTS = st.dictionaries(st.text(max_size=6), VALUES, max_size=5)
UUIDS = st.none() | st.uuids()


def reference_hash(entry: LogbookEntry) -> str:
    """The hash as defined: SHA-256 of the canonical JSON of the entry's fields but its hash."""
    return hashlib.sha256(canonical_json(logbook.entry_material(entry))).hexdigest()


def test_known_entries_keep_their_golden_hashes() -> None:
    """Entries hash to the values the previous code computed (escapes, non-ASCII, floats, odd keys)."""
    unusual = replace(
        ENTRY,
        params={"x": 1.5, "clé": "v", "\U0001f600": 1, "\ue000": 2, "é": [0.1, 1e21, -0.0]},
        data={"t": 3.0},
        occurred_at=None,
        tenant_id=None,
        chain="system",
        actor="Zoé",
    )
    assert logbook.entry_hash(ENTRY) == reference_hash(ENTRY) == GOLDEN
    assert logbook.entry_hash(unusual) == reference_hash(unusual) == GOLDEN_UNUSUAL


FIELDS = st.fixed_dictionaries(
    {
        "params": OBJECTS,
        "data": OBJECTS,
        "same": st.booleans(),
        "text": st.text(),
        "seq": st.integers(min_value=1, max_value=2**53 - 1),
        "ids": st.tuples(UUIDS, UUIDS, UUIDS),
        "subjects": st.lists(st.tuples(st.text(max_size=5), st.text(max_size=8)), max_size=3),
    }
)


@given(FIELDS)
def test_every_entry_hashes_as_its_canonical_dictionary(drawn: dict[str, Any]) -> None:
    """For any JSON params and data, the member-by-member hash equals the dictionary form's."""
    ids = drawn["ids"]
    entry = replace(
        ENTRY,
        params=drawn["data"] if drawn["same"] else drawn["params"],
        data=drawn["data"],
        actor=drawn["text"],
        message=drawn["text"][::-1],
        seq=drawn["seq"],
        tenant_id=ids[0],
        client_id=ids[1],
        site_id=ids[2],
        subjects=tuple(SubjectRef(k, i) for k, i in drawn["subjects"]),
    )
    assert logbook.entry_hash(entry) == reference_hash(entry)


def test_chained_entries_carry_the_defined_hash_and_store_the_text_they_hashed() -> None:
    """A new entry's hash is the defined one; its stored JSON texts read back as its params and data."""
    new = NewEntry(
        kind="note", message="logbook.note", actor="op", tenant_id=None, params=PARAMS, data=PARAMS
    )
    store = _Recording()
    (entry,) = logbook.append_batch(store, FakeClock(), [new])  # type: ignore[arg-type]
    assert entry.hash == reference_hash(entry)
    (texts,) = store.texts
    assert [json.loads(t) for t in texts] == [PARAMS, [], PARAMS]


class _Recording:
    """A logbook store that keeps the JSON texts it is given to store."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str, str]] = []

    def lock_head(self, chain: str) -> ChainHead:
        return ChainHead(chain, 0, GENESIS_HASH)

    def encode(self, entries: list[LogbookEntry], json_texts: list[tuple[str, str, str]]) -> None:
        self.texts.extend(json_texts)

    def append_many(self, entries: list[LogbookEntry], encoded: object = None) -> None:
        return None
