"""The `tocsin` command run in this process (no interpreter start-up), with its real error handling:
the exit status, standard output and standard error as a user would see them (one runner for the whole
suite: :func:`tests.integration.cli_support.tocsin`; this is its form for tests that hold a monkeypatch)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.integration.cli_support import tocsin


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


def run_cli(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str, stdin: str = "") -> Ran:
    """Run ``tocsin ARGS`` with these settings in the environment and ``stdin`` as standard input."""
    del monkeypatch  # the runner sets and restores the environment itself
    done = tocsin(env, *args, stdin=stdin)
    return Ran(done.returncode, done.stdout, done.stderr)
