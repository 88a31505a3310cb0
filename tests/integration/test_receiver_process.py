"""The `tocsin receiver` and `tocsin worker` processes: a loop that dies takes the process down loudly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.integration.receiver_support import free_port

INJECT = textwrap.dedent(
    """
    import asyncio, sys
    from {module} import {cls}

    async def broken(self, stop):
        await asyncio.sleep(0.5)
        raise RuntimeError("injected failure")

    {cls}.run = broken  # the component the wiring uses, failing as a real fault would
    from tocsin.cli.main import main
    main(sys.argv[1:])
    """
)


def run_with_a_failing_loop(
    module: str, cls: str, args: list[str], url: str, var: Path
) -> subprocess.CompletedProcess[str]:
    """Run the real CLI command in a child process whose ``cls.run`` loop fails half a second in."""
    env = {**os.environ, "TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(var), "TOCSIN_LOG_LEVEL": "INFO"}
    script = INJECT.format(module=module, cls=cls)
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("module", "cls"),
    [
        ("tocsin.services.supervision", "LinkSupervisor"),
        ("tocsin.services.committer", "GroupCommitter"),
        ("tocsin.services.intake", "AccountDirectory"),
    ],
)
def test_a_receiver_loop_that_dies_stops_the_receiver_with_an_error(
    fresh_db_url: str, tmp_path: Path, module: str, cls: str
) -> None:
    """`tocsin receiver` whose supervision, group commit or account reload loop raises exits non-zero
    with a `process.loop_failed` error event naming the loop, instead of listening on half-working."""
    port = free_port()
    args = ["receiver", "--host", "127.0.0.1", "--dc09-port", str(port), "--processing", "none"]
    done = run_with_a_failing_loop(module, cls, args, fresh_db_url, tmp_path)
    assert done.returncode == 70, done.stderr
    assert "event='process.loop_failed'" in done.stderr
    assert f"loop {cls}." in done.stderr
    assert "injected failure" in done.stderr
    assert "error: The receiver stopped because its loop" in done.stderr


def test_a_worker_loop_that_dies_stops_the_worker_with_an_error(fresh_db_url: str, tmp_path: Path) -> None:
    """`tocsin worker` whose signal processor raises exits non-zero instead of firing deadlines alone."""
    done = run_with_a_failing_loop(
        "tocsin.services.signal_processing", "SignalProcessor", ["worker"], fresh_db_url, tmp_path
    )
    assert done.returncode == 70, done.stderr
    assert "event='process.loop_failed'" in done.stderr
    assert "loop SignalProcessor." in done.stderr
