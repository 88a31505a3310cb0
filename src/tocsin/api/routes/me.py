"""``/api/v1/me``: the caller and their console language."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep
from tocsin.domain.commands import SetLanguage
from tocsin.domain.scope import Scope
from tocsin.services import queries

router = APIRouter(prefix="/api/v1", tags=["me"])


@router.get("/me")
def read_me(node: NodeDep, principal: PrincipalDep) -> dict[str, Any]:
    """Who I am: user, tenant, roles, permissions."""
    return node.store.read(lambda uow: queries.me(uow, principal), Scope.tenant(principal.tenant_id))


class LanguageIn(BaseModel):
    language: Literal["en", "fr"]


@router.put("/me/language")
def set_language(body: LanguageIn, node: NodeDep, principal: CheckedPrincipalDep) -> dict[str, str]:
    """Switch my console's language."""
    node.messagebus.handle(
        SetLanguage(user_id=principal.user_id, language=body.language),
        scope=Scope.tenant(principal.tenant_id),
        actor=principal.actor,
    )
    return {"language": body.language}
