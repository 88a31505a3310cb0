"""The room itself: shifts, the handover between them, the operator dead-man, and the page for them.

- ``/api/v1/shifts``: who is on shift and who the dead-man is asking now (``room.supervise``);
  ``/api/v1/shifts/me``, ``…/start``, ``…/end``: the caller's own shift (``console.use``).
- ``/api/v1/handovers``: the handovers waiting for the incoming operator; ``…/draft``: the summary Tocsin
  prepares from what the caller sees open; ``POST`` submits one (the author's shift ends),
  ``…/{id}/acknowledge`` acknowledges it, once (the acknowledger's shift starts).
- ``/api/v1/deadman``: the caller's dead-man; ``…/confirm`` answers it, ``…/heartbeat`` is the console's
  sign of activity (keyboard or mouse, throttled).

Everything is the caller's tenant's: a handover of another tenant answers 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep, principal_of
from tocsin.api.permissions import api_router
from tocsin.api.routes.pages import WEB
from tocsin.api.schemas import Out
from tocsin.domain import shifts as s
from tocsin.domain.errors import TocsinError
from tocsin.domain.scope import Scope
from tocsin.domain.users import Principal, SessionExpired
from tocsin.i18n.ui import ui_strings
from tocsin.services import deadman, handover
from tocsin.services.handlers.shifts import current_shift
from tocsin.services.unit_of_work import UnitOfWork

USE, SUPERVISE, HANDLE, READ, DISPATCH = (
    "console.use",
    "room.supervise",
    "alarms.handle",
    "alarms.read",
    "events.dispatch",
)
PENDING_SHOWN = 20
router = APIRouter()
api = api_router("/api/v1", "room")
templates = Jinja2Templates(directory=WEB / "templates")
HandoverId = Annotated[UUID, Path(description="The handover's id")]


class ShiftOut(Out):
    id: UUID
    tenant_id: UUID
    user_id: UUID
    username: str
    name: str
    started_at: datetime
    ended_at: datetime | None


class HandoverOut(Out):
    id: UUID
    tenant_id: UUID
    from_user_id: UUID
    from_name: str
    text: str
    submitted_at: datetime
    open_alarms: int
    open_events: int
    follow_ups: int
    instructions: int
    acknowledged_by: str
    acknowledged_at: datetime | None


class DraftOut(Out):
    """The summary Tocsin prepares for the outgoing operator to edit."""

    text: str
    alarms: list[str]
    events: list[str]
    follow_ups: list[str]
    instructions: list[str]
    counts: dict[str, int]


class RoomOut(Out):
    """Who is on shift, and whom the dead-man is asking now."""

    on_shift: list[ShiftOut]
    asked: list[dict[str, Any]]


class MyShiftOut(Out):
    shift: ShiftOut | None


class DeadmanOut(Out):
    """Where the caller stands with the dead-man: ``none``, ``idle`` (watched) or ``asked``."""

    stage: str
    due_at: datetime | None
    held: int
    answer_within: int


class HandoverIn(BaseModel):
    text: str = Field(min_length=1, max_length=s.HANDOVER_MAX, description="The handover, as edited")


def _who(principal: Principal) -> s.Who:
    return s.Who(principal.user_id, principal.username, principal.display_name or principal.username)


def _tenant(principal: Principal, permission: str) -> Scope:
    """The caller's tenant, once the permission is checked (shifts and handovers are the room's)."""
    principal.scope_for(permission)
    return Scope.tenant(principal.tenant_id)


@api.get("/shifts")
def room_now(node: NodeDep, principal: PrincipalDep) -> RoomOut:
    """Who is on shift now, and whom the dead-man is asking (``room.supervise``)."""
    scope = _tenant(principal, SUPERVISE)

    def read(uow: UnitOfWork) -> RoomOut:
        on_shift = [ShiftOut.model_validate(x) for x in uow.shifts.find(ended_at=None)]
        asked = [
            {
                "user_id": d.payload.get("user_id"),
                "name": d.payload.get("name"),
                "stage": d.payload.get("stage"),
                "due_at": d.due_at.isoformat(),
            }
            for d in uow.deadlines.pending(deadman.KIND)
            if d.tenant_id == principal.tenant_id
        ]
        return RoomOut(on_shift=on_shift, asked=asked)

    return node.store.read(read, scope)


@api.get("/shifts/me")
def my_shift(node: NodeDep, principal: PrincipalDep) -> MyShiftOut:
    """The caller's running shift, or none."""
    scope = _tenant(principal, USE)
    found = node.store.read(lambda uow: current_shift(uow, principal.user_id), scope)
    return MyShiftOut(shift=None if found is None else ShiftOut.model_validate(found))


@api.post("/shifts/start", status_code=201)
def start_shift(node: NodeDep, principal: CheckedPrincipalDep) -> ShiftOut:
    """Go on shift (refused while on shift); a logbook entry."""
    scope = _tenant(principal, USE)
    command = s.StartShift(principal.tenant_id, _who(principal))
    return ShiftOut.model_validate(node.messagebus.handle(command, scope=scope, actor=principal.actor))


@api.post("/shifts/end")
def end_shift(node: NodeDep, principal: CheckedPrincipalDep) -> ShiftOut:
    """End one's shift without a handover (refused when not on shift); a logbook entry."""
    scope = _tenant(principal, USE)
    command = s.EndShift(principal.tenant_id, _who(principal))
    return ShiftOut.model_validate(node.messagebus.handle(command, scope=scope, actor=principal.actor))


@api.get("/handovers")
def pending_handovers(node: NodeDep, principal: PrincipalDep) -> list[HandoverOut]:
    """The handovers waiting for me: no one has acknowledged them yet and I did not write them, newest
    first (at most 20)."""
    scope = _tenant(principal, USE)
    found = node.store.read(lambda uow: uow.handovers.find(acknowledged_at=None), scope)
    found = [x for x in found if x.from_user_id != principal.user_id]
    found.sort(key=lambda x: x.submitted_at, reverse=True)
    return [HandoverOut.model_validate(x) for x in found[:PENDING_SHOWN]]


@api.get("/handovers/draft")
def handover_draft(node: NodeDep, principal: PrincipalDep) -> DraftOut:
    """The summary of what the caller sees open now, in their language, to edit and submit."""
    principal.scope_for(USE)
    scope = principal.scope_for(READ)
    with_events = principal.can(DISPATCH)
    summary = node.store.read(
        lambda uow: handover.prepare(uow, principal.language, with_events=with_events), scope
    )
    return DraftOut.model_validate(summary.as_json())


@api.post("/handovers", status_code=201)
def submit_handover(node: NodeDep, principal: CheckedPrincipalDep, body: HandoverIn) -> HandoverOut:
    """Hand over: the text as edited; the author's shift ends with it. Both are logbook entries."""
    scope = _tenant(principal, USE)
    command = s.SubmitHandover(principal.tenant_id, _who(principal), body.text)
    return HandoverOut.model_validate(node.messagebus.handle(command, scope=scope, actor=principal.actor))


@api.post("/handovers/{handover_id}/acknowledge")
def acknowledge_handover(
    handover_id: HandoverId, node: NodeDep, principal: CheckedPrincipalDep
) -> HandoverOut:
    """Acknowledge a handover, once (a second time answers 409 and changes nothing); the
    acknowledger's shift starts if it had not."""
    scope = _tenant(principal, USE)
    command = s.AcknowledgeHandover(principal.tenant_id, _who(principal), handover_id)
    return HandoverOut.model_validate(node.messagebus.handle(command, scope=scope, actor=principal.actor))


@api.get("/deadman")
def my_deadman(node: NodeDep, principal: PrincipalDep) -> DeadmanOut:
    """The caller's dead-man: ``none`` (holding nothing), ``idle`` (watched), ``asked`` (answer it)."""
    scope = principal.scope_for(HANDLE)
    found = node.store.read(
        lambda uow: deadman.status(uow, principal.tenant_id, principal.actor, principal.user_id), scope
    )
    return DeadmanOut.model_validate(found)


def _presence(node: NodeDep, principal: Principal, *, heartbeat: bool) -> DeadmanOut:
    scope = principal.scope_for(HANDLE)
    command = s.ConfirmPresence(principal.tenant_id, _who(principal), heartbeat=heartbeat)
    return DeadmanOut.model_validate(node.messagebus.handle(command, scope=scope, actor=principal.actor))


@api.post("/deadman/confirm")
def confirm_presence(node: NodeDep, principal: CheckedPrincipalDep) -> DeadmanOut:
    """Answer the dead-man: I am here (a logbook entry when one was asked)."""
    return _presence(node, principal, heartbeat=False)


@api.post("/deadman/heartbeat")
def heartbeat(node: NodeDep, principal: CheckedPrincipalDep) -> DeadmanOut:
    """The console saw the operator use the keyboard or mouse: the dead-man starts again (it does not
    answer a question already asked)."""
    return _presence(node, principal, heartbeat=True)


@router.get("/console/room", include_in_schema=False)
def room_page(request: Request) -> Response:
    """The shift and handover page: its script reads and writes the routes above."""
    try:
        principal = principal_of(request)
    except (SessionExpired, TocsinError):
        return RedirectResponse("/login", status_code=303)
    t = ui_strings(principal.language)
    allowed = principal.can(USE)
    context = {
        "lang": principal.language,
        "t": t,
        "allowed": allowed,
        "supervisor": principal.can(SUPERVISE),
        "csrf_token": principal.csrf_token or "",
    }
    return templates.TemplateResponse(request, "room.html", context, status_code=200 if allowed else 403)


router.include_router(api)
