"""The signal worker: the process that writes the logbook entries of stored signals and fires due
deadlines (``tocsin worker``), and the child of ``tocsin receiver`` that runs one beside it."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
import time

import structlog

from tocsin.bootstrap import Node, heartbeat, signal_processor
from tocsin.services.loops import run_loops

log = structlog.get_logger(__name__)

PR_SET_PDEATHSIG = 1
WORKER_NICENESS = 10  # under a storm the receiver's ACK path gets the processor first; entries catch up
_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None  # loaded before any fork


async def run_signal_worker(node: Node, stop: asyncio.Event) -> None:
    """Process stored signals and fire due deadlines until ``stop``; if either loop fails, both stop
    and :class:`~tocsin.services.loops.LoopFailed` is raised."""
    processor = signal_processor(node)
    beat = heartbeat(node, "worker").run  # a worker that dies raises process_silent (docs/station.md)
    await run_loops("worker", [processor.run, node.scheduler.run, beat], stop)


class WorkerChild:
    """A ``tocsin worker`` started beside the receiver, restarted if it dies, stopped with it.

    The worker runs at a lower CPU priority (niceness 10): when an alarm storm needs both processors,
    acknowledging what panels send (durably) comes first and the entries catch up after; measured on
    two cores, this raised the receiver's throughput by a third and shortened the time until the last
    entry was written. A worker that dies soon after starting is restarted after a pause that doubles
    each time, up to a minute, so a lasting fault (the database refusing it, say) is not retried in a
    tight loop. On Linux the child is also told to stop if the receiver itself dies (even by SIGKILL),
    so no orphan worker outlives it."""

    RESTART_AFTER = 1.0  # seconds before the first restart
    MAX_PAUSE = 60.0  # seconds between restarts of a worker that keeps dying
    HEALTHY_AFTER = 30.0  # seconds a worker must live for the pause to start again from RESTART_AFTER

    async def run(self, stop: asyncio.Event) -> None:
        pause = self.RESTART_AFTER
        while not stop.is_set():
            started = time.monotonic()
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tocsin.cli",
                "worker",
                stdout=asyncio.subprocess.DEVNULL,
                preexec_fn=_child_setup if os.name == "posix" else None,
            )
            exited = asyncio.ensure_future(child.wait())
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({exited, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not exited.done():
                stopping.cancel()
                await _stop_child(child)
                return
            stopping.cancel()
            if time.monotonic() - started > self.HEALTHY_AFTER:
                pause = self.RESTART_AFTER
            log.warning("worker.child_exited", exit_code=child.returncode, restart_in=pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
            pause = min(pause * 2, self.MAX_PAUSE)


async def _stop_child(child: asyncio.subprocess.Process) -> None:
    """SIGTERM (the worker finishes its batch and drains once more), then SIGKILL after 30 s."""
    with contextlib.suppress(ProcessLookupError):
        child.terminate()
    try:
        await asyncio.wait_for(child.wait(), 30)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            child.kill()
        await child.wait()


def _child_setup() -> None:
    """In the child, before it runs: a lower CPU priority, and (Linux) SIGTERM when the parent dies."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    os.nice(WORKER_NICENESS)
