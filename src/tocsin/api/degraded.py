"""Degraded mode, the server's side: when the store stops answering, the API says so at once.

A database can fail loudly (refused connections, errors: the store raises ``StoreUnavailable``) or
silently (a partitioned network, a hung server: a statement waits forever, the statement timeout being
the server's own). The guard handles both without timing out healthy work:

- a request that has waited :data:`SUSPECT_AFTER` seconds makes the guard ask the store a trivial
  question (one probe at a time, shared by every waiting request). If the answer comes within
  ``deadline`` seconds the store is alive and the request goes on, however long it takes (an import);
  if not, the store is *down*: the waiting requests are answered 503 with a sentence, and their threads
  are left to finish when the database answers again (their answers are dropped);
- a ``StoreUnavailable`` raised anywhere marks the store down too (see :mod:`tocsin.api.errors`);
- while the store is down every ``/api/`` request and ``/health`` are answered 503 at once, and live
  sockets are refused, so no thread waits on a silent database; a probe is asked every
  :data:`PROBE_EVERY` seconds and the first that answers marks the store up again.

While the store is down the console page still opens for a session the node checked in the last
:data:`REMEMBER_FOR` seconds (kept in memory, at most :data:`REMEMBER_AT_MOST` sessions), so a console
reloaded during an outage shows its kept queue and notes (docs/degraded.md); nothing else is served.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tocsin.domain.users import Principal
from tocsin.services.auth import token_hash

log = structlog.get_logger(__name__)

SUSPECT_AFTER = 2.0  # seconds a request runs before the guard asks whether the store still answers
PROBE_EVERY = 1.0  # seconds between probes while the store is down
REMEMBER_FOR = 3600.0  # seconds a checked session may open the console page while the store is down
REMEMBER_AT_MOST = 2000  # sessions remembered (the least recently checked are forgotten first)
DOWN_DETAIL = (
    "The server cannot reach its database: the room is in degraded mode. Keep working on paper and"
    " in the console (notes are kept in this browser and written when the database answers again)."
)
DOWN_DETAIL_FR = (
    "Le serveur n'atteint plus sa base de données : la salle est en mode dégradé. Continuez sur papier"
    " et dans la console (les notes sont gardées dans ce navigateur et écrites au retour de la base)."
)


class StoreGuard:
    """Whether the store answers, as the API last saw it; probes it while it does not."""

    def __init__(self, probe: Callable[[], object], deadline: float) -> None:
        self._probe = probe
        self.deadline = deadline
        self.down_since: float | None = None
        self.reason = ""
        self._probing: asyncio.Future[bool] | None = None
        self._sessions: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    @property
    def down(self) -> bool:
        """Whether the store is taken as not answering."""
        return self.down_since is not None

    def mark_down(self, reason: str) -> None:
        """The store failed or did not answer in time."""
        if self.down_since is None:
            self.down_since = time.monotonic()
            self.reason = reason
            log.warning("store.down", reason=reason)

    def mark_up(self) -> None:
        """A probe answered."""
        if self.down_since is not None:
            log.warning("store.up", down_for=round(time.monotonic() - self.down_since, 1))
        self.down_since = None
        self.reason = ""

    async def answers(self) -> bool:
        """Whether the store answers a probe within the deadline (at once False while it is down)."""
        if self.down:
            return False
        probe = self._start_probe()
        try:
            return await asyncio.wait_for(asyncio.shield(probe), self.deadline)
        except TimeoutError:
            self.mark_down(f"the database did not answer within {self.deadline:g} s")
            return False

    def _start_probe(self) -> asyncio.Future[bool]:
        if self._probing is None or self._probing.done():
            self._probing = asyncio.ensure_future(self._ask())
        return self._probing

    async def _ask(self) -> bool:
        try:
            await asyncio.to_thread(self._probe)
        except Exception as exc:  # any failure of the store: down, with its sentence
            self.mark_down(str(exc) or type(exc).__name__)
            return False
        self.mark_up()
        return True

    async def watch(self, stop: asyncio.Event) -> None:
        """Until ``stop``: while the store is down, probe it every :data:`PROBE_EVERY` seconds."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), PROBE_EVERY)
            if self.down:
                self._start_probe()  # a probe stranded on a silent database is not started twice
        if self._probing is not None and not self._probing.done():
            self._probing.cancel()  # the thread ends with the database; nobody waits for it

    # ---- sessions checked recently, for the console page during an outage
    def remember(self, token: str, principal: Principal) -> None:
        """A session the node just checked against the store."""
        key = token_hash(token)
        self._sessions[key] = (principal, time.monotonic())
        self._sessions.move_to_end(key)
        while len(self._sessions) > REMEMBER_AT_MOST:
            self._sessions.popitem(last=False)

    def recall(self, token: str) -> Principal | None:
        """The principal of a session checked in the last :data:`REMEMBER_FOR` seconds, if any."""
        found = self._sessions.get(token_hash(token))
        if found is None or time.monotonic() - found[1] > REMEMBER_FOR:
            return None
        return found[0]

    def forget(self, token: str) -> None:
        """A session logged out."""
        self._sessions.pop(token_hash(token), None)


def _fast_refused(path: str) -> bool:
    return path.startswith("/api/") or path == "/health"


class StoreGuardMiddleware:
    """Answers 503 at once while the store is down, and cuts requests stranded on a silent store."""

    def __init__(self, app: ASGIApp, *, guard: StoreGuard) -> None:
        self.app = app
        self.guard = guard
        self._stranded: set[asyncio.Future[Any]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "websocket" and self.guard.down:
            await send({"type": "websocket.close", "code": 1013, "reason": "degraded"})
            return
        if scope["type"] != "http" or path.startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if self.guard.down and _fast_refused(path):
            await _unavailable(scope, send)
            return
        await self._within_deadline(scope, receive, send)

    async def _within_deadline(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = {"started": False, "cut": False}

        async def guarded_send(message: Message) -> None:
            if state["cut"]:
                return  # answered 503 already: what the stranded request says now goes nowhere
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded_send))
        while True:
            done, _ = await asyncio.wait({task}, timeout=SUSPECT_AFTER)
            if done:
                task.result()
                return
            if state["started"] or await self.guard.answers():
                continue  # a body on its way, or a store that answers: slow work, not an outage
            if task.done():  # it ended while the probe was asked
                task.result()
                return
            state["cut"] = True
            self._stranded.add(task)
            task.add_done_callback(self._forget_stranded)
            await _unavailable(scope, send)
            return

    def _forget_stranded(self, task: asyncio.Future[Any]) -> None:
        self._stranded.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.info("store.cut_request_ended", error=repr(task.exception()))


async def _unavailable(scope: Scope, send: Send) -> None:
    """503 with the one error shape of the API, in the caller's language when it says French (``/health``
    keeps its own shape: ``degraded``, no detail)."""
    headers = dict(scope.get("headers") or [])
    french = headers.get(b"accept-language", b"").lower().startswith(b"fr")
    if scope.get("path") == "/health":
        body = json.dumps({"status": "degraded"})
    else:
        body = json.dumps({"error": "store_unavailable", "detail": DOWN_DETAIL_FR if french else DOWN_DETAIL})
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", b"5"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})
