"""Running the `tocsin` command in tests: in this process (fast) or as a real process (the entry point).

Starting a Python process and importing Tocsin costs about 1.6 s; a test that runs a dozen commands on
two databases spent most of its time there. :func:`tocsin` runs the command in this process instead,
through the same entry function as ``python -m tocsin.cli`` (:func:`tocsin.cli.main.main`, with its
one-line errors and exit codes), with its own standard input, output and error and its own environment
variables, and it restores what the entry point sets for the whole process (the logging configuration).
:func:`tocsin_process` runs a real process: each command group keeps one test through it, so a broken
entry point, exit status or stream separation still fails.

Both return a :class:`subprocess.CompletedProcess` with ``returncode``, ``stdout`` and ``stderr``.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog
from click.testing import CliRunner

from tocsin.cli.main import main


def tocsin(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI in this process as ``python -m tocsin.cli ARGS`` would, ``env`` added to the
    environment for the run only. The exit status is the ``SystemExit`` code (0 when the command
    returns); an exception that escapes the entry point (only with ``TOCSIN_DEBUG``) is written to
    stderr as a traceback with status 1, as Python does."""
    runner = CliRunner()
    code = 0
    with _logging_restored(), runner.isolation(input=stdin, env=env) as (out, err, _mixed):
        try:
            main(list(args))
        except SystemExit as exit_:
            code = _status(exit_.code)
        except Exception:  # what the interpreter would print, and exit 1 for
            traceback.print_exc(file=sys.stderr)
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = out.getvalue().decode(runner.charset)
        stderr = err.getvalue().decode(runner.charset, "backslashreplace")
    return subprocess.CompletedProcess(["tocsin", *args], code, stdout, stderr)


def tocsin_process(
    env: dict[str, str], *args: str, stdin: str | None = None, cwd: Any = None
) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a separate process (``python -m tocsin.cli``)."""
    return subprocess.run(
        [sys.executable, "-m", "tocsin.cli", *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
    )


def _status(code: object) -> int:
    """The process status ``sys.exit(code)`` gives: None is 0, a message is printed and gives 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


@contextmanager
def _logging_restored() -> Iterator[None]:
    """Put back the root logger and structlog as they were: the entry point configures both for the
    process (a handler on the run's stderr, which is closed after it)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configured, config = structlog.is_configured(), structlog.get_config()
    try:
        yield
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)
        if configured:
            structlog.configure(**config)
        else:
            structlog.reset_defaults()
