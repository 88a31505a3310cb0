"""``/api/v1/logbook``: read the main courante and write notes in it."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep
from tocsin.domain.commands import WriteNote
from tocsin.domain.scope import Scope
from tocsin.services import queries

router = APIRouter(prefix="/api/v1/logbook", tags=["logbook"])


@router.get("")
def read_logbook(
    node: NodeDep,
    principal: PrincipalDep,
    after: Annotated[int, Query(ge=0, description="Only entries after this sequence")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Entries I may see: the newest ``limit``, or those after ``after``; oldest first."""
    scope = principal.scope_for("logbook.read")

    def read(uow: Any) -> dict[str, Any]:
        found = (
            queries.entries_after(uow, scope, after, limit)
            if after
            else queries.latest_entries(uow, scope, limit)
        )
        return {
            "seq": queries.chain_head(uow, principal.tenant_id),
            "entries": [queries.entry_view(e, principal.language) for e in found],
        }

    return node.store.read(read, Scope.system())


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    site_id: UUID | None = None


@router.post("/notes", status_code=201)
def write_note(body: NoteIn, node: NodeDep, principal: CheckedPrincipalDep) -> JSONResponse:
    """Write a note in the logbook (about one of my sites, or the room)."""
    scope = principal.scope_for("logbook.write")
    entry = node.messagebus.handle(
        WriteNote(tenant_id=principal.tenant_id, text=body.text, site_id=body.site_id),
        scope=scope,
        actor=principal.actor,
    )
    return JSONResponse({"entry": queries.entry_view(entry, principal.language)}, status_code=201)
