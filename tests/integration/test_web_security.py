"""Headers, cookies, tokens, health and /docs as a browser or a script sees them over real HTTP."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.integration.api_support import PASSWORD, Stack, login, make_stack
from tests.integration.http_support import serving
from tests.integration.receiver_support import add_accounts, frame
from tocsin.api.app import create_app
from tocsin.api.deps import SESSION_COOKIE
from tocsin.api.routes import health
from tocsin.bootstrap import receiver_parts
from tocsin.domain.errors import StoreUnavailable
from tocsin.domain.scope import Scope
from tocsin.receivers.dc09 import Dc09Server, run_receiver
from tocsin.services.auth import token_hash


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def fetch(base: str, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
    """One plain HTTP request, no redirect followed, no cookie jar."""
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=20)
    try:
        body = b"" if method == "POST" else None
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room and users."""
    yield from make_stack(tmp_path)


@pytest.fixture
def base(stack: Stack) -> Iterator[str]:
    """The node's app served by uvicorn on a real port, as `tocsin serve` configures it."""
    with serving(create_app(stack.node)) as url:
        yield url


def wait_port(server: Dc09Server) -> int:
    """The receiver's port once it listens."""
    deadline = time.monotonic() + 10
    while not server.listening or server.port == 0:
        assert time.monotonic() < deadline, "the receiver did not start"
        time.sleep(0.02)
    return server.port


def cookie_of(stack: Stack, username: str) -> dict[str, str]:
    token = stack.node.auth.login(username, PASSWORD, "10.9.9.9").token
    return {"Cookie": f"{SESSION_COOKIE}={token}"}


def test_every_answer_carries_the_security_headers(stack: Stack, base: str) -> None:
    """Pages, API, static files, errors and /health all carry CSP, frame and sniffing guards, and no
    server banner; nothing allows inline script."""
    operator = cookie_of(stack, "operator")
    answers = {
        "login page": fetch(base, "/login"),
        "console": fetch(base, "/console", headers=operator),
        "api": fetch(base, "/api/v1/me", headers=operator),
        "api error": fetch(base, "/api/v1/me"),
        "not found": fetch(base, "/no/such/page"),
        "static": fetch(base, "/static/console.css"),
        "health": fetch(base, "/health"),
        "docs": fetch(base, "/docs"),
    }
    for what, answer in answers.items():
        csp = answer.headers["content-security-policy"] or ""
        assert "frame-ancestors 'none'" in csp, what
        assert re.search(r"script-src 'self'(;|$)", csp), what
        assert "unsafe-inline" not in csp, what
        assert "unsafe-eval" not in csp, what
        assert answer.headers["x-frame-options"] == "DENY", what
        assert answer.headers["x-content-type-options"] == "nosniff", what
        assert answer.headers["referrer-policy"] == "same-origin", what
        assert answer.headers["server"] is None, what
        assert answer.headers["strict-transport-security"] is None, what  # plain HTTP: no HSTS
    assert answers["static"].status == 200
    assert answers["not found"].status == 404


def test_personal_answers_are_never_stored_by_the_browser(stack: Stack, base: str) -> None:
    """Pages and API answers say no-store (Back after logout shows nothing); static assets may be cached."""
    operator = cookie_of(stack, "operator")
    for path in ("/console", "/login", "/api/v1/me", "/api/v1/logbook"):
        assert fetch(base, path, headers=operator).headers["cache-control"] == "no-store", path
    assert fetch(base, "/static/console.js").headers["cache-control"] != "no-store"


def test_over_tls_the_cookie_is_secure_and_hsts_is_sent(stack: Stack, base: str) -> None:
    """Through a TLS proxy (X-Forwarded-Proto from this machine) the session cookie is Secure, lives
    no longer than a session may, and HSTS is sent; over plain HTTP the cookie is not Secure."""
    answers = {}
    for scheme in ("https", "http"):
        page = fetch(base, "/login", headers={"X-Forwarded-Proto": scheme})
        csrf = re.search(rb'name="csrf_token" value="([^"]+)"', page.body)
        assert csrf is not None
        login_cookie = page.headers["set-cookie"].split(";")[0]
        form = f"username=operator&password={PASSWORD.replace(' ', '+')}&csrf_token={csrf[1].decode()}"
        connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=20)
        connection.request(
            "POST",
            "/login",
            body=form,
            headers={
                "X-Forwarded-Proto": scheme,
                "Cookie": login_cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 303
        session = next(c for c in response.headers.get_all("set-cookie") or [] if SESSION_COOKIE in c)
        answers[scheme] = (session.lower(), response.headers["strict-transport-security"])
    cookie, hsts = answers["https"]
    assert "; secure" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "max-age=50400" in cookie  # 14 hours, the session's absolute maximum
    assert hsts is not None
    assert hsts.startswith("max-age=")
    cookie, hsts = answers["http"]
    assert "; secure" not in cookie
    assert "max-age=50400" in cookie
    assert hsts is None


def test_a_setting_says_a_tls_proxy_fronts_the_node(tmp_path: Path) -> None:
    """With TOCSIN_BEHIND_TLS_PROXY the cookie is Secure and HSTS is sent even without the proxy's header."""
    for stack in make_stack(tmp_path, behind_tls_proxy=True):
        with serving(create_app(stack.node)) as base:
            assert fetch(base, "/login").headers["strict-transport-security"] is not None
        browser = stack.browser()
        response = login(browser, "operator", PASSWORD)
        assert "secure" in response.headers["set-cookie"].lower()


def test_an_anonymous_api_call_is_told_how_to_authenticate(stack: Stack, base: str) -> None:
    """No credentials: 401 authentication_required with a Bearer challenge; an expired session cookie
    keeps session_expired; a bad token is invalid_token."""
    anonymous = fetch(base, "/api/v1/me")
    assert anonymous.status == 401
    assert anonymous.json() == {
        "error": "authentication_required",
        "detail": "You are not logged in: log in, or send an API token (Authorization: Bearer …).",
    }
    assert (anonymous.headers["www-authenticate"] or "").startswith("Bearer")
    bad_token = fetch(base, "/api/v1/me", headers={"Authorization": "Bearer nope"})
    assert bad_token.status == 401
    assert bad_token.json()["error"] == "invalid_token"  # type: ignore[index]
    assert 'error="invalid_token"' in (bad_token.headers["www-authenticate"] or "")
    operator = cookie_of(stack, "operator")
    stack.clock.advance(hours=15)
    expired = fetch(base, "/api/v1/me", headers=operator)
    assert expired.json()["error"] == "session_expired"  # type: ignore[index]
    assert (expired.headers["www-authenticate"] or "").startswith("Bearer")


def test_api_tokens_expire_by_default(stack: Stack, base: str) -> None:
    """A token made without a lifetime works for 90 days, then answers 401."""
    token = stack.node.auth.create_token("operator", "script")
    headers = {"Authorization": f"Bearer {token}"}
    assert fetch(base, "/api/v1/me", headers=headers).status == 200
    stack.clock.advance(days=89)
    assert fetch(base, "/api/v1/me", headers=headers).status == 200
    stack.clock.advance(days=2)
    late = fetch(base, "/api/v1/me", headers=headers)
    assert late.status == 401
    assert late.json()["error"] == "invalid_token"  # type: ignore[index]


def test_anonymous_health_shows_no_internals(stack: Stack, base: str) -> None:
    """/health says only ok: no database, user, error text or version for an anonymous caller."""
    answer = fetch(base, "/health")
    assert answer.status == 200
    assert answer.json() == {"status": "ok"}


def test_anonymous_health_says_degraded_without_the_reason(
    stack: Stack, base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the store failing, /health answers 503 degraded and nothing of the error; a supervisor's
    detailed health gives the reason."""
    reason = "db.internal:5432 refused user tocsin: password authentication failed"

    def failing(*_args: object) -> int:
        raise StoreUnavailable(reason)

    admin = cookie_of(stack, "admin")
    monkeypatch.setattr(health.queries, "chain_head", failing)
    answer = fetch(base, "/health")
    assert answer.status == 503
    assert answer.json() == {"status": "degraded"}
    detailed = fetch(base, "/api/v1/health", headers=admin)
    assert detailed.status == 503
    assert detailed.json()["checks"]["store"]["detail"] == reason  # type: ignore[index]


def test_a_supervisor_sees_the_detailed_health(stack: Stack, base: str) -> None:
    """The detailed health gives an admin the database, the receiver and the consoles; an operator
    gets 403 and an anonymous caller 401."""
    detailed = fetch(base, "/api/v1/health", headers=cookie_of(stack, "admin"))
    assert detailed.status == 200
    body = detailed.json()
    assert isinstance(body, dict)
    assert body["checks"]["store"] == {"ok": True, "database": "sqlite"}
    assert body["receiver"] == {"last_signal_at": None, "journal_backlog": 0, "in_process": False}
    assert body["live_consoles"] == 0
    assert "python" in body["versions"]
    assert fetch(base, "/api/v1/health", headers=cookie_of(stack, "operator")).status == 403
    assert fetch(base, "/api/v1/health").status == 401


def test_docs_work_offline(stack: Stack, base: str) -> None:
    """/docs loads Swagger UI from this node only: no external URL, every asset served here."""
    page = fetch(base, "/docs")
    assert page.status == 200
    text = page.body.decode()
    assert "http://" not in text
    assert "https://" not in text
    assert '="//' not in text
    assets = re.findall(r'(?:src|href)="([^"]+)"', text)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in assets
    for asset in assets:
        if asset.startswith("data:"):
            continue
        assert asset.startswith("/"), asset
        assert fetch(base, asset).status == 200, asset
    assert "<script>" not in text  # every script is a file: the page keeps the CSP


def test_cli_tokens_expire_after_90_days_or_as_told(stack: Stack) -> None:
    """`tocsin user token` makes a token valid 90 days; `--expires-in DAYS` (and the older `--days`)
    sets another lifetime."""
    env = {
        **os.environ,
        "TOCSIN_DATABASE_URL": stack.node.settings.database_url,
        "TOCSIN_VAR_DIR": str(stack.node.settings.var_dir),
    }
    lifetimes = []
    for flags in ([], ["--expires-in", "5"], ["--days", "7"]):
        out = subprocess.run(
            [sys.executable, "-m", "tocsin.cli", "user", "token", "operator", *flags],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        hashed = token_hash(out.stdout.strip())
        token = stack.node.store.read(lambda uow, h=hashed: uow.auth.token_by_hash(h), Scope.system())
        assert token is not None
        assert token.expires_at is not None
        lifetimes.append((token.expires_at - token.created_at).days)
    assert lifetimes == [90, 5, 7]


def test_the_detailed_health_reports_a_receiver_in_this_process(stack: Stack) -> None:
    """With the DC-09 receiver beside the app (as `tocsin serve` runs it), the detailed health gives its
    port, its open connections and the time of the last signal the store received."""
    stack.clock.set(datetime.now(UTC))  # frames carry the real time
    add_accounts(stack.node, stack.room)
    parts = receiver_parts(stack.node)
    server = Dc09Server(parts.intake.receive, "127.0.0.1", 0)
    app = create_app(
        stack.node,
        companions=[lambda stop: run_receiver(server, parts.loops(), stop)],
        receiver_status=server.status,
    )
    admin = cookie_of(stack, "admin")
    with (
        serving(app) as base,
        socket.create_connection(("127.0.0.1", wait_port(server)), timeout=10) as panel,
    ):
        panel.sendall(frame("1234", 1, "1130 01 015"))
        assert b'"ACK"' in panel.recv(4096)  # acknowledged: the signal is stored
        receiver = fetch(base, "/api/v1/health", headers=admin).json()["receiver"]  # type: ignore[index]
        assert receiver["in_process"] is True
        assert receiver["listening"] is True
        assert receiver["port"] == server.port
        assert receiver["connections"] == 1
        assert receiver["journal_backlog"] == 0
        assert receiver["last_signal_at"] is not None
