"""The console and /docs in Chromium under the node's security headers: nothing inline, nothing foreign,
no framing."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from typing import Any

from tests.e2e.conftest import Server, post_note_as
from tests.e2e.test_console import log_in


def _watch(page: Any, server: Server) -> tuple[list[str], list[str]]:
    """Requests that leave the node, and CSP violations the page reports."""
    foreign: list[str] = []
    violations: list[str] = []
    ours = (server.url, server.url.replace("http://", "ws://"), "data:")
    page.on("request", lambda r: None if r.url.startswith(ours) else foreign.append(r.url))
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return foreign, violations


def test_the_console_runs_under_the_csp(browser: Any, server: Server) -> None:
    """The console logs in, connects live and shows its logbook with no CSP violation."""
    page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    foreign, violations = _watch(page, server)
    page.goto(f"{server.url}/login")
    console = log_in(browser, server, "bob")
    console_foreign, console_violations = _watch(console, server)
    console.reload()
    console.wait_for_selector('[data-testid="connection"][data-state="connected"]')
    assert foreign + console_foreign == []
    assert violations + console_violations == []


def test_docs_render_offline_under_the_csp(browser: Any, server: Server) -> None:
    """/docs lists the API's operations with every file from this node and no CSP violation."""
    page = browser.new_context().new_page()
    foreign, violations = _watch(page, server)
    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert page.locator(".opblock-summary-path").count() > 3
    assert foreign == []
    assert violations == []


def test_the_console_cannot_be_framed(browser: Any, server: Server) -> None:
    """A page of another origin that frames the console gets nothing: the browser refuses the frame."""
    console = log_in(browser, server, "alice")
    page = console.context.new_page()
    page.set_content(f'<iframe id="f" src="{server.url}/console" width="800" height="600"></iframe>')
    page.wait_for_load_state("load")  # the page's load waits for its frames
    framed = [f for f in page.frames if f is not page.main_frame]
    assert framed
    assert framed[0].url.startswith("chrome-error:")  # refused: the console never rendered in the frame


def test_logging_out_in_one_tab_ends_the_live_feed_of_the_other(browser: Any, server: Server) -> None:
    """Two tabs of one session: Log out in the first, and the second says "Session ended" within a few
    seconds, stops receiving entries and does not try to reconnect."""
    first = log_in(browser, server, "bob")
    second = first.context.new_page()  # same browser context: same session cookie
    second.goto(f"{server.url}/console")
    second.wait_for_selector('[data-testid="connection"][data-state="connected"]')
    first.get_by_role("button", name="Log out").click()
    first.wait_for_url(f"{server.url}/login")
    second.wait_for_selector('[data-testid="connection"][data-state="signed_out"]', timeout=20_000)
    assert "Session ended" in second.locator('[data-testid="connection"]').inner_text()
    alice = log_in(browser, server, "alice")
    post_note_as(server, alice, "Written after bob logged out")
    alice.locator('[data-testid="logbook"] tr', has_text="Written after bob logged out").wait_for()
    second.wait_for_timeout(1500)  # time enough for an entry to arrive, were the socket still open
    assert second.locator('[data-testid="logbook"] tr', has_text="Written after bob logged out").count() == 0
    assert second.locator('[data-testid="connection"]').get_attribute("data-state") == "signed_out"


OPEN_LIVE = """(url) => new Promise((done) => {
  const got = [];
  const socket = new WebSocket(url);
  socket.onmessage = (event) => got.push(event.data);
  socket.onclose = (event) => done({ closed: event.code, got });
  setTimeout(() => { done({ closed: null, got }); socket.close(); }, 4000);
})"""


def test_a_page_of_another_origin_cannot_read_the_live_logbook(browser: Any, server: Server) -> None:
    """Logged in, the browser's cookie goes with a WebSocket that a page of another origin (another port
    of the same host: same site, so the cookie is sent) opens to the live logbook: the node refuses it and
    the page reads nothing; the console's own page, with the same cookie, is served."""
    console = log_in(browser, server, "alice")
    live_url = server.url.replace("http://", "ws://") + "/api/v1/live"
    with _foreign_page_server() as foreign_url:
        foreign = console.context.new_page()
        foreign.goto(foreign_url)
        refused = foreign.evaluate(OPEN_LIVE, live_url)
    assert refused["got"] == []
    assert refused["closed"] is not None
    served = console.evaluate(OPEN_LIVE, live_url)
    assert served["got"]  # the same cookie from our own page: the live protocol answers


@contextlib.contextmanager
def _foreign_page_server() -> Iterator[str]:
    """A plain HTTP server on another port of 127.0.0.1, serving an empty page: another origin."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>elsewhere</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
