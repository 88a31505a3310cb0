"""Intake benchmark: the receiver's hot path in one process, without sockets.

Feeds N Contact ID alarm frames from 50 accounts, 50 at a time, to ``SignalIntake.receive`` with the
real group committer on SQLite (durable before each answer, as ``tocsin receiver`` runs it; the entries
are not written), and prints the CPU time per frame: every thread of the process (the store writes run
on the committer's threads) and the event loop's thread alone (what each ACK waits for). CPU time holds
on a loaded machine where wall-clock figures do not. Figures are printed, never asserted.

    python benchmarks/intake.py [--frames N] [--rounds R] [--profile FILE]

``--profile`` writes a cProfile of the event loop's thread (CPU time) to FILE.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

from receiver import alarm, prepare_tocsin

from tocsin.adapters.clock import SystemClock
from tocsin.bootstrap import ReceiverParts, bootstrap, receiver_parts
from tocsin.config import Settings

ACCOUNTS = 50


async def feed(parts: ReceiverParts, frames: int, profile: str | None) -> tuple[float, float]:
    """Answer ``frames`` frames; return CPU µs per frame, all threads and the event loop's."""
    stop = asyncio.Event()
    committer = asyncio.create_task(parts.committer.run(stop))
    rows = [[alarm(f"{0xB000 + a:04X}", n) for a in range(ACCOUNTS)] for n in range(frames // ACCOUNTS + 1)]
    await asyncio.gather(*(parts.intake.receive(f, "tcp:9000") for f in rows[0]))  # accounts cached
    profiler = cProfile.Profile(time.thread_time) if profile else None
    cpu, loop = time.process_time(), time.thread_time()
    if profiler is not None:
        profiler.enable()
    for row in rows[1:]:
        answers = await asyncio.gather(*(parts.intake.receive(f, "tcp:9000") for f in row))
        if not all(answer is not None and b'ACK"' in answer for answer in answers):
            raise SystemExit(f"a frame was not acknowledged: {answers[0]!r}")
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    cpu, loop = time.process_time() - cpu, time.thread_time() - loop
    stop.set()
    await committer
    done = ACCOUNTS * (len(rows) - 1)
    return cpu / done * 1e6, loop / done * 1e6


def one_round(frames: int, profile: str | None) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        prepare_tocsin(url, Path(folder), ACCOUNTS)
        node = bootstrap(Settings(database_url=url, var_dir=Path(folder)), clock=SystemClock())
        parts = receiver_parts(node, process_signals=False)
        gc.freeze()  # as `tocsin receiver` does with what it loaded at start
        try:
            return asyncio.run(feed(parts, frames, profile))
        finally:
            node.close()
            gc.unfreeze()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="write a cProfile of the event loop's thread to this file")
    args = parser.parse_args()
    print(f"Intake benchmark: {args.frames} Contact ID frames from {ACCOUNTS} accounts, SQLite, no sockets.")
    figures = []
    for _ in range(args.rounds):
        every, loop = one_round(args.frames, args.profile)
        figures.append((every, loop))
        print(f"  {every:6.1f} µs CPU per frame (all threads), {loop:6.1f} µs on the event loop")
    alls, loops = sorted(f[0] for f in figures), sorted(f[1] for f in figures)
    print(
        f"over {args.rounds} rounds: {statistics.median(alls):.1f} µs per frame (median; best {alls[0]:.1f}),"
        f" {statistics.median(loops):.1f} on the event loop (best {loops[0]:.1f})"
    )


if __name__ == "__main__":
    sys.exit(main())
