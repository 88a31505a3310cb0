"""The receiver's local journal: JSON Lines appended with fsync, replayed into the store later.

While a replay is running, new signals go to a fresh file, so nothing written during the replay is
forgotten when the replayed file is removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from tocsin.domain.signals import Signal

_UUIDS = ("id", "tenant_id", "account_id", "site_id")
_TIMES = ("received_at", "occurred_at")

CURRENT = "signals.jsonl"
REPLAYING = "signals.replaying.jsonl"


def _encode(signal: Signal) -> str:
    values: dict[str, Any] = {}
    for name in Signal.__slots__:
        value = getattr(signal, name)
        if isinstance(value, UUID | datetime):
            value = value.isoformat() if isinstance(value, datetime) else str(value)
        elif name == "events":
            value = [dict(e) for e in value]
        values[name] = value
    return json.dumps(values, separators=(",", ":"))


def _decode(line: str) -> Signal:
    values = json.loads(line)
    for name in _UUIDS:
        if values.get(name):
            values[name] = UUID(values[name])
    for name in _TIMES:
        if values.get(name):
            values[name] = datetime.fromisoformat(values[name])
    values["events"] = tuple(values.get("events") or ())
    return Signal(**values)


class FileJournal:
    """``folder/signals.jsonl`` (current) and ``folder/signals.replaying.jsonl`` (being replayed)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._current = folder / CURRENT
        self._replaying = folder / REPLAYING
        self._lock = threading.Lock()

    def append(self, signals: Sequence[Signal]) -> None:
        text = "".join(_encode(s) + "\n" for s in signals)
        with self._lock, self._current.open("a", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())

    def take(self) -> list[Signal]:
        with self._lock:
            if not self._replaying.exists() and self._current.exists():
                self._current.replace(self._replaying)
        if not self._replaying.exists():
            return []
        lines = self._replaying.read_text(encoding="utf-8").splitlines()
        # A torn last line (a crash mid-write) was never acknowledged: it is skipped.
        signals = []
        for line in lines:
            try:
                signals.append(_decode(line))
            except (ValueError, TypeError, KeyError):
                continue
        return signals

    def done(self) -> None:
        self._replaying.unlink(missing_ok=True)

    def pending(self) -> bool:
        """Whether anything waits for a replay."""
        return self._current.exists() or self._replaying.exists()


def backlog(folder: Path) -> int:
    """How many signals wait for a replay in a journal folder (lines in its files); creates nothing."""
    total = 0
    for name in (CURRENT, REPLAYING):
        with contextlib.suppress(FileNotFoundError), (folder / name).open("rb") as handle:
            total += sum(1 for _ in handle)
    return total
