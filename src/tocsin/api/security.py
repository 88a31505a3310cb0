"""Headers every HTTP answer carries, whatever produced it (page, API, static file, error).

A pure ASGI middleware, so it also covers answers that never reach a route (404, 405, exception
handlers) and it leaves WebSockets alone. What it sends, and why, is listed in docs/console.md
("Security").
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(tile_origin: str | None = None) -> str:
    """The pages' CSP; ``tile_origin`` (the room's own tile server, a setting) may serve images."""
    images = "img-src 'self' data:" + (f" {tile_origin}" if tile_origin else "")
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",  # no inline script, no eval: every script is a file of ours
            "style-src 'self'",
            images,  # data: for the blank favicon; the room's tile server when one is set
            "font-src 'self'",
            "connect-src 'self'",  # the API and the live WebSocket, same origin only
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


CONTENT_SECURITY_POLICY = content_security_policy()
HSTS = "max-age=31536000"  # one year; no includeSubDomains: the node does not own its parent domain
ALWAYS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
)
NO_STORE_EXEMPT = ("/static/",)  # our own published assets hold nothing personal


def reached_over_tls(scope: Scope, behind_tls_proxy: bool) -> bool:
    """Whether the caller reached this node over TLS (directly, through a trusted proxy's
    ``X-Forwarded-Proto`` as uvicorn applies it, or because a setting says a TLS proxy fronts it)."""
    return behind_tls_proxy or scope.get("scheme") in ("https", "wss")


class SecurityHeaders:
    """Adds the security headers to every HTTP answer; ``Cache-Control: no-store`` to every answer but
    static assets (pages, API and errors hold personal or room data); HSTS when reached over TLS."""

    def __init__(
        self, app: ASGIApp, *, behind_tls_proxy: bool = False, tile_origin: str | None = None
    ) -> None:
        self.app = app
        self.behind_tls_proxy = behind_tls_proxy
        self.always = (("content-security-policy", content_security_policy(tile_origin)), *ALWAYS[1:])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tls = reached_over_tls(scope, self.behind_tls_proxy)
        cacheable = str(scope.get("path", "")).startswith(NO_STORE_EXEMPT)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.always:
                    headers[name] = value
                if not cacheable:
                    headers["cache-control"] = "no-store"
                if tls:
                    headers["strict-transport-security"] = HSTS
                if "server" in headers:
                    del headers["server"]
            await send(message)

        await self.app(scope, receive, send_with_headers)
