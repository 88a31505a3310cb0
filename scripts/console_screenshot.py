"""Refresh docs/img/console.png and docs/img/login.png from the real demo room, served by the real node.

    .venv/bin/python scripts/console_screenshot.py    # [--out DIR] (default: docs/img)

In a temporary folder: `tocsin db upgrade`, `tocsin demo seed`, `tocsin logbook keygen`, then
`tocsin serve` on free ports; `tocsin simulate panels` sends a few seconds of traffic from the demo's
declared transmitters to its DC-09 receiver; Debian's Chromium (Playwright) logs in as the demo
operator and takes the screenshots at 1920x1080. Nothing is faked: what the picture shows is what
the node sends.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SIZE = {"width": 1920, "height": 1080}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tocsin(env: dict[str, str], *args: str) -> str:
    """Run a `tocsin` command; its output, or the run stops with its error."""
    done = subprocess.run(  # noqa: S603 - our own command line, fixed arguments
        [sys.executable, "-m", "tocsin.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"tocsin {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=1) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    sys.exit("tocsin serve did not start")


def _shoot(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a developer tool's own dependency

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page: Any = browser.new_context(viewport=SIZE, locale="en-GB").new_page()
        page.goto(f"{url}/login")
        page.screenshot(path=str(out / "login.png"))
        page.fill("#username", "operator")
        page.fill("#password", "operator-demo-room")
        page.keyboard.press("Enter")
        page.wait_for_selector('[data-testid="connection"][data-state="connected"]')
        page.wait_for_selector('[data-testid="logbook"] tr[data-level="alarm"]', timeout=30000)
        page.wait_for_timeout(7000)  # the tint of what just arrived fades: the picture shows the calm state
        page.screenshot(path=str(out / "console.png"))
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="where the PNGs go")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tocsin-shot-") as tmp:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "TOCSIN_DATABASE_URL": f"sqlite:///{Path(tmp) / 'tocsin.db'}",
            "TOCSIN_VAR_DIR": str(Path(tmp) / "var"),
        }
        _tocsin(env, "db", "upgrade")
        _tocsin(env, "demo", "seed")
        _tocsin(env, "logbook", "keygen")
        port, dc09 = _free_port(), _free_port()
        serve = [sys.executable, "-m", "tocsin.cli", "serve", "--port", str(port)]
        serve += ["--dc09-host", "127.0.0.1", "--dc09-port", str(dc09)]
        quiet = subprocess.DEVNULL
        process = subprocess.Popen(serve, env=env, stdout=quiet, stderr=quiet)  # noqa: S603 - fixed arguments
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, process)
            _tocsin(
                env,
                "simulate",
                "panels",
                "--count",
                "20",
                "--rate",
                "4",
                "--seconds",
                "8",
                "--port",
                str(dc09),
            )
            _shoot(url, args.out)
        finally:
            process.terminate()
            process.wait(timeout=20)
    sys.stdout.write(f"Wrote {args.out / 'console.png'} and {args.out / 'login.png'}\n")


if __name__ == "__main__":
    main()
