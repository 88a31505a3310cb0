"""The receiver's local journal: checksummed JSON Lines appended with fsync, replayed into the store later.

Each record is one line, ``CRC32 JSON``: eight hex digits, the CRC32 of the JSON text, a space, then the
signal as JSON. A power cut in the middle of a write leaves a torn last line (no newline); that record was
never acknowledged (the ACK waits for the fsync), so the file is truncated back to its last complete line
before the next append, and a replay ignores such a tail. A complete line whose checksum does not match
(a damaged disk block) is neither dropped silently nor allowed to stop the replay: it is copied to
``signals.quarantine.jsonl`` and reported. A replay reads the file as a stream, a batch at a time.

While a replay is running, new signals go to a fresh file, so nothing written during the replay is
forgotten when the replayed file is removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import zlib
from collections.abc import Generator, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import structlog

from tocsin.domain.signals import Signal

log = structlog.get_logger()
_UUIDS = ("id", "tenant_id", "account_id", "site_id")
_TIMES = ("received_at", "occurred_at")
_TAIL_BLOCK = 64 * 1024

CURRENT = "signals.jsonl"
REPLAYING = "signals.replaying.jsonl"


class DamagedRecord(ValueError):
    """A complete journal line that cannot be read back: wrong checksum or not a signal."""


def encode(signal: Signal) -> bytes:
    """One journal record: the checksum of the JSON text, a space, the JSON text and a newline."""
    values: dict[str, Any] = {}
    for name in Signal.__slots__:
        value = getattr(signal, name)
        if isinstance(value, UUID | datetime):
            value = value.isoformat() if isinstance(value, datetime) else str(value)
        elif name == "events":
            value = [dict(e) for e in value]
        values[name] = value
    text = json.dumps(values, separators=(",", ":")).encode()
    return b"%08x %s\n" % (zlib.crc32(text), text)


def decode(line: bytes) -> Signal:
    """The signal in one complete record (without its newline); :class:`DamagedRecord` if it is bad."""
    if line.startswith(b"{"):  # a record written before checksums existed
        text = line
    else:
        checksum, _, text = line.partition(b" ")
        try:
            expected = int(checksum, 16)
        except ValueError:
            raise DamagedRecord("the record has no checksum") from None
        if zlib.crc32(text) != expected:
            raise DamagedRecord("the record's checksum does not match its content")
    try:
        values = json.loads(text)
        for name in _UUIDS:
            if values.get(name):
                values[name] = UUID(values[name])
        for name in _TIMES:
            if values.get(name):
                values[name] = datetime.fromisoformat(values[name])
        values["events"] = tuple(values.get("events") or ())
        return Signal(**values)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise DamagedRecord(f"the record is not a signal: {exc}") from None


def complete_length(handle: IO[bytes]) -> int:
    """The length of ``handle``'s content up to and including its last newline (0 if none)."""
    end = handle.seek(0, os.SEEK_END)
    position = end
    while position > 0:
        start = max(0, position - _TAIL_BLOCK)
        handle.seek(start)
        block = handle.read(position - start)
        newline = block.rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        position = start
    return 0


class FileJournal:
    """``folder/signals.jsonl`` (current) and ``folder/signals.replaying.jsonl`` (being replayed)."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._current = folder / CURRENT
        self._replaying = folder / REPLAYING
        self.quarantine = folder / "signals.quarantine.jsonl"
        self._lock = threading.Lock()
        self._whole = False  # whether the current file is known to end with a complete record
        self._quarantined: set[int] = set()  # lines of the replaying file already set aside

    def append(self, signals: Sequence[Signal]) -> None:
        """Write ``signals`` durably (fsync), after repairing a torn tail left by a crash."""
        data = b"".join(encode(s) for s in signals)
        with self._lock, self._current.open("ab") as handle:
            if not self._whole:
                self._repair(handle)
            self._whole = False  # until this write is known to be complete
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            self._whole = True

    def _repair(self, handle: IO[bytes]) -> None:
        with self._current.open("rb") as reader:
            size = reader.seek(0, os.SEEK_END)
            keep = complete_length(reader)
        if keep < size:
            handle.truncate(keep)
            os.fsync(handle.fileno())
            log.warning("journal.torn_tail_repaired", file=str(self._current), dropped_bytes=size - keep)

    def take(self, batch: int) -> Generator[list[Signal]]:
        """Everything journaled, in lists of at most ``batch`` signals, read from the file as it goes;
        the records stay until :meth:`done` is called."""
        with self._lock:
            if not self._replaying.exists() and self._current.exists():
                self._current.replace(self._replaying)
                self._whole = False
        if not self._replaying.exists():
            return
        with self._replaying.open("rb") as handle:
            chunk: list[Signal] = []
            for number, line in enumerate(handle, start=1):
                if not line.endswith(b"\n"):  # torn by a crash mid-write: never acknowledged
                    log.warning("journal.torn_tail_ignored", file=str(self._replaying), line=number)
                    break
                try:
                    chunk.append(decode(line[:-1]))
                except DamagedRecord as exc:
                    self._quarantine(line, number, str(exc))
                    continue
                if len(chunk) >= batch:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

    def _quarantine(self, line: bytes, number: int, reason: str) -> None:
        if number in self._quarantined:  # a replay tried again: set aside once
            return
        self._quarantined.add(number)
        with self.quarantine.open("ab") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        log.error(
            "journal.record_quarantined",
            file=str(self._replaying),
            line=number,
            reason=reason,
            quarantine=str(self.quarantine),
        )

    def done(self) -> None:
        """Forget the replayed file: its signals are in the database now."""
        self._replaying.unlink(missing_ok=True)
        self._quarantined.clear()

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
