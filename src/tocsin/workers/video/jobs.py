"""The shape every video process shares, both ends of it: the supervisor starts ``python -m <module>``
with its job as one JSON line on standard input (never on the command line: a camera's password is in
it), reads what the process reports on standard output, and stops it by killing it and waiting for it;
the process (a recorder, a clip cut) reads that one line and keeps FFmpeg's own chatter quiet (failures
come back to it as exceptions)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from typing import IO, Any

import av


async def start(
    module: str, job: dict[str, Any], *, errors: IO[bytes] | int | None = None
) -> asyncio.subprocess.Process:
    """Start ``python -m module`` with ``job`` on its standard input (then closed); its standard
    output piped to the caller, its errors to ``errors`` (inherited when None)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=errors,
    )
    assert process.stdin is not None  # noqa: S101 - piped above
    try:
        process.stdin.write(json.dumps(job).encode() + b"\n")
        await process.stdin.drain()
        process.stdin.close()
    except (BrokenPipeError, ConnectionResetError):  # it died at once: its exit code tells
        pass
    except BaseException:
        await stop(process)
        raise
    return process


async def stop(process: asyncio.subprocess.Process | None) -> None:
    """Kill the process if it still runs, and wait for it (no zombie left behind)."""
    if process is not None and process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


def job_text() -> str:
    """In the started process: the job's line, FFmpeg's logging quietened."""
    text = sys.stdin.readline()
    av.logging.set_level(av.logging.PANIC)
    return text


def job() -> dict[str, Any]:
    """In the started process: the job as a JSON object (see :func:`job_text`)."""
    found: dict[str, Any] = json.loads(job_text())
    return found
