"""The degraded-mode kit printed in a child process.

A kit of thousands of sites and units is seconds of ReportLab; run in ``tocsin serve``'s own process, it
held the interpreter's lock that long every hour and every request waited behind it (a recommendation's
p50 doubled while it ran). One child process, started at the first kit and kept for the next ones,
prints it instead; the server only gathers the kit (one read) and writes the file.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from tocsin.adapters.kit_pdf import render_kit
from tocsin.services.kit import StationKit


class KitPrinter:
    """``printer(kit, language)``: the kit's PDF, printed by a child process, times in ``zone``."""

    def __init__(self, zone: str) -> None:
        self._zone = zone
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def __call__(self, kit: StationKit, language: str) -> bytes:
        with self._lock:
            if self._pool is None:  # spawned, not forked: the server's threads and locks stay behind
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            pool = self._pool
        try:
            return pool.submit(render_kit, kit, language, self._zone).result()
        except BrokenProcessPool:  # the child died (killed, out of memory): a new one next time
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            raise

    def close(self) -> None:
        """Stop the child process, if one was started."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
