"""The FastAPI application: the API under /api/v1, the console pages, the live WebSocket, /health."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, WebSocket
from fastapi.staticfiles import StaticFiles

from tocsin import __version__
from tocsin.api import errors
from tocsin.api.deps import principal_of
from tocsin.api.live import LiveHub
from tocsin.api.routes import admin_pages, directory, health, logbook, me, pages, signals, users
from tocsin.bootstrap import Node
from tocsin.domain.errors import TocsinError
from tocsin.domain.logbook import LogbookEntry
from tocsin.services.checkpoints import schedule_checkpoints

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


def create_app(
    node: Node,
    *,
    run_services: bool = False,
    checkpoint_every: int = 300,
    companions: Sequence[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = (),
) -> FastAPI:
    """The app for a node; ``run_services`` also runs the scheduler and the logbook signer, and each
    companion (the DC-09 receiver, say) runs beside the app until it stops."""
    hub = LiveHub(node.store, node.clock)
    node.bus.subscribe(LogbookEntry, hub.publish_threadsafe)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        hub.start(asyncio.get_running_loop())
        stop = asyncio.Event()
        tasks = [asyncio.create_task(hub.follow(stop))]
        if run_services:
            every = timedelta(seconds=checkpoint_every)
            schedule_checkpoints(node.scheduler, node.store, node.signer(), every)
            tasks.append(asyncio.create_task(node.scheduler.run(stop)))
        tasks.extend(asyncio.create_task(companion(stop)) for companion in companions)
        yield
        stop.set()
        for task in tasks:
            await task

    app = FastAPI(
        title="Tocsin",
        version=__version__,
        description="Operations room: alarm receiving, video protection, command and dispatch.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.node = node
    app.state.hub = hub
    errors.install(app)
    for module in (health, pages, admin_pages, me, logbook, directory, signals, users):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")

    @app.websocket("/api/v1/live")
    async def live(websocket: WebSocket, after: Annotated[int, Query(ge=0)] = 0) -> None:
        try:
            principal = await asyncio.to_thread(principal_of, websocket)
            principal.scope_for("logbook.read")
        except TocsinError as exc:
            await websocket.close(code=4401, reason=str(exc)[:120])
            return
        await websocket.accept()
        await hub.serve(websocket, principal, after)

    return app
