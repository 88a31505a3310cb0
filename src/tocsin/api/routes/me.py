"""``/api/v1/me``: the caller and their console language."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.api.schemas import LanguageOut, MeOut
from tocsin.domain.commands import SetLanguage
from tocsin.domain.scope import Scope
from tocsin.services import queries

router = api_router("/api/v1", "me")


@router.get("/me")
def read_me(node: NodeDep, principal: PrincipalDep) -> MeOut:
    """Who I am: user, tenant, roles, permissions."""
    # one's own tenant record and user: every user of a tenant may read these, whatever their grants
    return MeOut.model_validate(
        node.store.read(lambda uow: queries.me(uow, principal), Scope.tenant(principal.tenant_id))
    )


class LanguageIn(BaseModel):
    language: Literal["en", "fr"]


@router.put("/me/language")
def set_language(body: LanguageIn, node: NodeDep, principal: CheckedPrincipalDep) -> LanguageOut:
    """Switch my console's language."""
    node.messagebus.handle(
        SetLanguage(user_id=principal.user_id, language=body.language),
        scope=Scope.tenant(principal.tenant_id),
        actor=principal.actor,
    )
    return LanguageOut(language=body.language)
