"""``/api/v1/logbook``: read the main courante and write notes in it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query
from pydantic import AwareDatetime, BaseModel, Field

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.api.schemas import EntryOut, LogbookPageOut, NoteOut
from tocsin.domain.commands import WriteNote
from tocsin.domain.errors import NotFound
from tocsin.services import queries
from tocsin.services.unit_of_work import UnitOfWork

router = api_router("/api/v1/logbook", "logbook")


@router.get("")
def read_logbook(
    node: NodeDep,
    principal: PrincipalDep,
    after: Annotated[int, Query(ge=0, le=2**62, description="Only entries after this sequence")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> LogbookPageOut:
    """Entries I may see: the newest ``limit``, or those after ``after``; oldest first."""

    def read(uow: UnitOfWork) -> LogbookPageOut:
        found = (
            queries.entries_after(uow, uow.scope, after, limit)
            if after
            else queries.latest_entries(uow, uow.scope, limit)
        )
        return LogbookPageOut(
            seq=queries.chain_head(uow, principal.tenant_id),
            entries=[EntryOut.model_validate(queries.entry_view(e, principal.language)) for e in found],
        )

    return node.store.read(read, principal.scope_for("logbook.read"))


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    site_id: UUID | None = None
    client_key: UUID | None = Field(
        default=None, description="A key the console made for this note: a note sent again is written once"
    )
    typed_at: AwareDatetime | None = Field(
        default=None, description="When it was typed, if earlier (a note kept while the server was away)"
    )


@router.post("/notes", status_code=201)
def write_note(body: NoteIn, node: NodeDep, principal: CheckedPrincipalDep) -> NoteOut:
    """Write a note in the logbook (about one of my sites, or the room).

    A note about a site needs that site in the caller's reading scope too: a role that may write but
    not read the directory (a unit) cannot learn a site's owner by attaching a note to its id."""
    if body.site_id is not None:
        site_id = body.site_id
        if node.store.read(lambda uow: uow.sites.get(site_id), principal.scope_for("directory.read")) is None:
            raise NotFound(f"No site {site_id} in your scope.")
    entry = node.messagebus.handle(
        WriteNote(
            tenant_id=principal.tenant_id,
            text=body.text,
            site_id=body.site_id,
            client_key=body.client_key,
            typed_at=body.typed_at,
        ),
        scope=principal.scope_for("logbook.write"),
        actor=principal.actor,
    )
    if entry is None:  # its client_key was written before
        return NoteOut(entry=None, replayed=True)
    return NoteOut(entry=EntryOut.model_validate(queries.entry_view(entry, principal.language)))
