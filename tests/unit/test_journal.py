"""The local journal: torn tails repaired before appending, checksums checked, replays streamed."""

from __future__ import annotations

from pathlib import Path

from structlog.testing import capture_logs

from tests.unit.test_committer import signal
from tocsin.adapters.journal import FileJournal
from tocsin.testing import FakeClock


def replayed(journal: FileJournal, batch: int = 100) -> list[str]:
    return [s.raw for chunk in journal.take(batch) for s in chunk]


def test_a_torn_tail_is_repaired_before_the_next_append(tmp_path: Path) -> None:
    """After a power cut mid-write, the next append (after a restart) starts on a clean line, so the
    acknowledged record written after it is not glued to the torn one and lost."""
    clock = FakeClock()
    FileJournal(tmp_path).append([signal(clock, 1)])
    with (tmp_path / "signals.jsonl").open("ab") as handle:
        handle.write(b'1234abcd {"id": "to')
    journal = FileJournal(tmp_path)  # the receiver restarted
    with capture_logs() as logs:
        journal.append([signal(clock, 2)])
    assert replayed(journal) == ["frame 1", "frame 2"]
    assert [e["event"] for e in logs] == ["journal.torn_tail_repaired"]


def test_a_torn_tail_is_ignored_by_a_replay_and_complete_records_are_not(tmp_path: Path) -> None:
    """A replay reads every complete record before a torn tail and reports the tail, which was never
    acknowledged."""
    clock = FakeClock()
    journal = FileJournal(tmp_path)
    journal.append([signal(clock, n) for n in range(3)])
    with (tmp_path / "signals.jsonl").open("ab") as handle:
        handle.write(b"0badf00d {")
    with capture_logs() as logs:
        assert replayed(journal) == ["frame 0", "frame 1", "frame 2"]
    assert [e["event"] for e in logs] == ["journal.torn_tail_ignored"]


def test_a_damaged_record_is_quarantined_and_reported(tmp_path: Path) -> None:
    """A complete record whose checksum fails is set aside in the quarantine file and reported once; the
    records around it are replayed, unchanged."""
    clock = FakeClock()
    journal = FileJournal(tmp_path)
    journal.append([signal(clock, n) for n in range(3)])
    path = tmp_path / "signals.jsonl"
    path.write_bytes(path.read_bytes().replace(b"frame 1", b"frame 7"))  # a flipped bit on disk
    with capture_logs() as logs:
        assert replayed(journal) == ["frame 0", "frame 2"]
        assert replayed(journal) == ["frame 0", "frame 2"]  # the store was down: the replay is tried again
    assert [e["event"] for e in logs] == ["journal.record_quarantined"]
    assert logs[0]["line"] == 2
    assert b"frame 7" in journal.quarantine.read_bytes()
    assert journal.quarantine.read_bytes().count(b"\n") == 1


def test_a_replay_streams_in_batches(tmp_path: Path) -> None:
    """A replay hands the records over in batches of the size asked, read as they are needed."""
    clock = FakeClock()
    journal = FileJournal(tmp_path)
    journal.append([signal(clock, n) for n in range(5)])
    batches = journal.take(2)
    assert [s.raw for s in next(batches)] == ["frame 0", "frame 1"]
    assert [len(b) for b in batches] == [2, 1]
    journal.done()
    assert not journal.pending()


def test_records_written_before_checksums_are_still_replayed(tmp_path: Path) -> None:
    """A journal left by an older receiver (plain JSON lines) is replayed after an upgrade."""
    clock = FakeClock()
    journal = FileJournal(tmp_path)
    journal.append([signal(clock, 1)])
    path = tmp_path / "signals.jsonl"
    _, _, text = path.read_bytes().partition(b" ")
    path.write_bytes(text)
    assert replayed(journal) == ["frame 1"]
