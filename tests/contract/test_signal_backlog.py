"""The signal processor's backlog and lag read the same in memory, on SQLite and on PostgreSQL, without
taking any signal from the processor."""

from __future__ import annotations

from tests.contract.support import Backend, World
from tests.contract.test_signal_store import insert, make_signal, pending


def test_the_backlog_counts_pending_signals_and_names_the_oldest(backend: Backend, world: World) -> None:
    """Three pending signals, the oldest 7 minutes ago: (3, its time); a limit caps the count; reading
    it locks nothing (the processor still finds all three)."""
    assert backend.read(lambda uow: uow.signals.backlog(100)) == (0, None)
    signals = [make_signal(backend, world, n, minutes_ago=m) for n, m in ((1, 2), (2, 7), (3, 0))]
    insert(backend, signals)
    assert backend.read(lambda uow: uow.signals.backlog(100)) == (3, signals[1].received_at)
    assert backend.read(lambda uow: uow.signals.backlog(2))[0] == 2
    assert len(pending(backend)) == 3
