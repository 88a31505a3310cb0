"""The `tocsin` command run in this process (no interpreter start-up), with its real error handling:
the exit status, standard output and standard error as a user would see them."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import pytest

from tocsin.cli.main import main


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


def run_cli(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str, stdin: str = "") -> Ran:
    """Run ``tocsin ARGS`` with these settings in the environment and ``stdin`` as standard input."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    out, err = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Ran(code, out.getvalue(), err.getvalue())
