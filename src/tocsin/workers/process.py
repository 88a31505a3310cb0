"""How a long-running Tocsin process runs: memory settled, SIGINT/SIGTERM as a stop, uvloop."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from collections.abc import Callable, Coroutine
from typing import Any


def settle_memory() -> None:
    """Take what was loaded at start (modules, mappings, accounts) out of the garbage collector's view.

    It lives as long as the process, yet every full collection walked it: pauses of 30 to 50 ms that
    stalled the event loop and made the receiver's p99. Collected once here, then frozen."""
    gc.collect()
    gc.freeze()


def run_until_signalled(main: Callable[[asyncio.Event], Coroutine[Any, Any, None]]) -> None:
    """Run ``main(stop)`` on uvloop; SIGINT and SIGTERM set ``stop``."""
    settle_memory()

    async def guarded() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await main(stop)

    try:
        import uvloop  # noqa: PLC0415 - the faster event loop, where the platform has it
    except ImportError:  # pragma: no cover - Windows
        asyncio.run(guarded())
    else:
        uvloop.run(guarded())
