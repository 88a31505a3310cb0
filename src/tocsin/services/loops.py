"""Long-running loops run together, and fail together.

A process (the receiver, the worker) runs its loops (listeners, group commit, supervision, account
reloads, signal processing, deadlines) in one :class:`asyncio.TaskGroup`. A loop that raises, or that
ends before the process was told to stop, cancels the others; one ``process.loop_failed`` error event is
logged and :class:`LoopFailed` is raised, so the process exits with an error instead of running on
half-working: a receiver that acknowledges frames nobody commits is worse than one that is down.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import structlog

log = structlog.get_logger(__name__)
Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


class LoopFailed(Exception):
    """One loop of a process failed or ended on its own: the whole process stops."""


def loop_name(loop: Loop) -> str:
    """A readable name for a loop: ``GroupCommitter.run``, ``listeners``."""
    while isinstance(loop, functools.partial):
        loop = loop.func
    owner = getattr(loop, "__self__", None)
    name = getattr(loop, "__name__", "loop")
    return f"{type(owner).__name__}.{name}" if owner is not None else str(name)


async def _supervised(process: str, loop: Loop, stop: asyncio.Event) -> None:
    name = loop_name(loop)
    try:
        await loop(stop)
    except LoopFailed:
        raise
    except Exception as exc:
        raise LoopFailed(
            f"The {process} stopped because its loop {name} failed ({type(exc).__name__}: {exc}); "
            f"see the log for the cause, fix it and start the {process} again."
        ) from exc
    if not stop.is_set():
        raise LoopFailed(
            f"The {process} stopped because its loop {name} ended on its own; "
            f"see the log for the cause and start the {process} again."
        )


async def run_loops(process: str, loops: Sequence[Loop], stop: asyncio.Event) -> None:
    """Run every ``loop(stop)`` until ``stop`` is set and all have returned; if one fails or returns
    early, cancel the others, log ``process.loop_failed`` and raise :class:`LoopFailed`."""
    try:
        async with asyncio.TaskGroup() as group:
            for loop in loops:
                group.create_task(_supervised(process, loop, stop), name=loop_name(loop))
    except* LoopFailed as failed:
        first = failed.exceptions[0]
        log.exception("process.loop_failed", process=process, reason=str(first), exc_info=first)
        raise first from first.__cause__
