"""Ways to make a database stop answering, for the degraded-mode tests (docs/degraded.md)."""

from __future__ import annotations

import sqlite3


class SqliteLock:
    """Another process's connection that holds SQLite's write lock (a stuck tool, a hung process): reads
    go on, no write can start."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.link: sqlite3.Connection | None = None

    def cut(self) -> None:
        self.link = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.link.execute("BEGIN IMMEDIATE")

    def restore(self) -> None:
        if self.link is not None:
            self.link.execute("ROLLBACK")
            self.link.close()
            self.link = None
