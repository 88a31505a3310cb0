"""The FastAPI application: the API under /api/v1, the console pages, the live WebSocket, /health.

Every HTTP answer goes through :class:`tocsin.api.security.SecurityHeaders`; the live WebSocket admits
only same-origin browsers, and the hub closes the sockets of sessions that ended.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Query, WebSocket
from fastapi.staticfiles import StaticFiles

from tocsin import __version__
from tocsin.api import api_docs, errors
from tocsin.api.degraded import StoreGuard, StoreGuardMiddleware
from tocsin.api.deps import credential_of, principal_of, source_of
from tocsin.api.live import LiveHub
from tocsin.api.routes import (
    admin_pages,
    alarms,
    cameras,
    clips,
    directory,
    directory_admin,
    event_debrief,
    event_partners,
    event_types,
    events,
    geo,
    health,
    kit,
    kpis,
    logbook,
    me,
    pages,
    plans,
    recommendation,
    room,
    schedules,
    security,
    signals,
    site_edit,
    site_pages,
    station,
    unit_page,
    units,
    users,
    verification,
    video,
    video_pages,
)
from tocsin.api.security import SecurityHeaders
from tocsin.bootstrap import Node
from tocsin.domain.errors import TocsinError
from tocsin.domain.logbook import LogbookEntry
from tocsin.domain.scope import Scope
from tocsin.services.checkpoints import schedule_checkpoints

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


def create_app(
    node: Node,
    *,
    run_services: bool = False,
    checkpoint_every: int = 300,
    companions: Sequence[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = (),
    receiver_status: Callable[[], dict[str, Any]] | None = None,
) -> FastAPI:
    """The app for a node; ``run_services`` also runs the scheduler and the logbook signer, and each
    companion (the DC-09 receiver, say) runs beside the app until it stops. ``receiver_status`` tells
    the detailed health about a receiver running in this process."""
    hub = LiveHub(node.store, node.clock, node.auth.ended)
    guard = StoreGuard(lambda: _probe(node), node.settings.api_store_deadline)
    node.bus.subscribe(LogbookEntry, hub.publish_threadsafe)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        hub.start(asyncio.get_running_loop())
        stop = asyncio.Event()
        tasks = [
            asyncio.create_task(hub.follow(stop)),
            asyncio.create_task(hub.watch_sessions(stop)),
            asyncio.create_task(_flush_refusals(node, stop)),
            asyncio.create_task(guard.watch(stop)),
        ]
        if run_services:
            node.geocoder.warm_up()  # the address index builds in the background
            node.router.warm_up()  # and the road graph
            every = timedelta(seconds=checkpoint_every)
            schedule_checkpoints(node.scheduler, node.store, node.signer(), every, node.signed_heads())
            tasks.append(asyncio.create_task(node.scheduler.run(stop)))
        tasks.extend(asyncio.create_task(companion(stop)) for companion in companions)
        yield
        stop.set()
        for task in tasks:
            await task
        await asyncio.to_thread(node.auth.refusals.flush, everything=True)

    app = FastAPI(
        title="Tocsin",
        version=__version__,
        description="Operations room: alarm receiving, video protection, command and dispatch.",
        openapi_url="/openapi.json",
        docs_url=None,  # served by api_docs, with Swagger UI's files from our own static folder
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.node = node
    app.state.hub = hub
    app.state.guard = guard
    app.state.receiver_status = receiver_status
    errors.install(app)
    app.add_middleware(StoreGuardMiddleware, guard=guard)  # inside SecurityHeaders: its 503s get them
    app.add_middleware(
        SecurityHeaders,
        behind_tls_proxy=node.settings.behind_tls_proxy,
        tile_origin=node.settings.map_tiles_origin,
    )
    for module in (
        health,
        pages,
        admin_pages,
        me,
        logbook,
        directory,
        directory_admin,
        site_edit,
        site_pages,
        alarms,
        plans,
        signals,
        users,
        verification,
        security,
        schedules,
        cameras,
        clips,
        api_docs,
        events,
        event_partners,
        event_debrief,
        recommendation,
        event_types,
        station,
        room,
        kit,
        geo,
        units,
        unit_page,
        kpis,
        video,
        video_pages,
    ):
        _add_routes(app, module.router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    @app.websocket("/api/v1/live")
    async def live(websocket: WebSocket, after: Annotated[int, Query(ge=0)] = 0) -> None:
        if not same_origin(websocket):
            await asyncio.to_thread(_refuse_origin, node, websocket)
            await websocket.close(code=4403, reason="This page's origin may not open the live logbook.")
            return
        try:
            principal = await asyncio.to_thread(principal_of, websocket)
            if not principal.can("unit.report"):  # a crew's page gets its unit's feed (LiveHub.serve)
                principal.scope_for("logbook.read")
        except TocsinError as exc:
            await websocket.close(code=4401, reason=str(exc)[:120])
            return
        await websocket.accept()
        await hub.serve(websocket, principal, after, credential_of(websocket))

    return app


def _add_routes(app: FastAPI, router: APIRouter) -> None:
    """A module's routes, added to the app's own list. ``include_router`` would keep each module's router
    as a branch that FastAPI walks twice a request (to match, then to handle), every route of every module
    before ours: about a millisecond a request. The routes already carry their router's prefix, tags,
    dependencies and answers (FastAPI copies them when a route is declared), so nothing else changes."""
    app.router.routes.extend(router.routes)
    app.router._mark_routes_changed()  # FastAPI caches its routes by version


def _probe(node: Node) -> None:
    """The store's trivial question: the chains' heads, and whether a write could start (raises when it
    cannot answer; a silent database makes it wait, which the guard times)."""
    node.store.read(lambda uow: uow.logbook.chains(), Scope.system())
    writable = getattr(node.store, "check_writable", None)  # SQLite: another process may hold the lock
    if writable is not None:
        writable(node.settings.api_store_deadline)


def same_origin(websocket: WebSocket) -> bool:
    """Whether a WebSocket comes from one of our own pages. Browsers always send ``Origin`` on a
    WebSocket, so a page of another site cannot ride the console's cookie; a client that sends none
    (a script with a bearer token) is no browser and is judged by its credentials alone."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    host = websocket.headers.get("host", "")
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host.lower()


def _refuse_origin(node: Node, websocket: WebSocket) -> None:
    origin = websocket.headers.get("origin", "")[:100]
    node.auth.refuse(None, "-", source_of(websocket), f"WebSocket from another origin ({origin})", "live")


async def _flush_refusals(node: Node, stop: asyncio.Event, every: float = 5.0) -> None:
    """Until ``stop``: write the counts of refusals whose minute is over."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
        await asyncio.to_thread(node.auth.refusals.flush)


def server_config(app: FastAPI, host: str, port: int) -> Any:
    """How uvicorn serves the app: without a ``server`` banner (the version helps only an attacker),
    trusting ``X-Forwarded-Proto`` from a proxy on this machine only (uvicorn's default)."""
    import uvicorn  # noqa: PLC0415 - the server loads only for the command that serves

    return uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False)
