"""The logbook as files people and other systems read: JSON Lines and CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from tocsin.domain.logbook import LogbookEntry
from tocsin.services.queries import entry_view

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = (
    "chain",
    "seq",
    "id",
    "recorded_at",
    "occurred_at",
    "tenant_id",
    "client_id",
    "site_id",
    "actor",
    "kind",
    "text",
    "message",
    "params",
    "subjects",
    "data",
    "prev_hash",
    "hash",
)


def entry_record(entry: LogbookEntry, language: str = "en") -> dict[str, Any]:
    """One entry as a flat JSON object: what the console shows, plus everything that proves it."""
    return entry_view(entry, language) | {
        "tenant_id": None if entry.tenant_id is None else str(entry.tenant_id),
        "message": entry.message,
        "params": dict(entry.params),
        "subjects": [s.as_json() for s in entry.subjects],
        "data": dict(entry.data),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def write_export(entries: Iterable[LogbookEntry], fmt: str, out: IO[str], language: str = "en") -> int:
    """Write entries to ``out`` in ``fmt``; return how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    count = 0
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS) if fmt == "csv" else None
    if writer is not None:
        writer.writeheader()
    for entry in entries:
        record = entry_record(entry, language)
        if writer is None:
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        else:
            for name in ("params", "subjects", "data"):
                record[name] = json.dumps(record[name], ensure_ascii=False, sort_keys=True)
            writer.writerow(record)
        count += 1
    return count
