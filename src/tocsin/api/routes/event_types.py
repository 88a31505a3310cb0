"""``/api/v1/event-types``: the tenant's nomenclature of dispatch events — read it (``events.dispatch``),
add a type or change one (``directory.write``, administrators). Every change is a logbook entry."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, JsonValue

from tocsin.api.deps import CheckedPrincipalDep, NodeDep, PrincipalDep
from tocsin.api.permissions import api_router
from tocsin.domain import incidents as i
from tocsin.domain.apco import INCIDENT_CATEGORIES
from tocsin.domain.errors import Conflict, InvalidInput, NotFound
from tocsin.domain.nomenclature import CODE_MAX, LOWEST, TEXT_MAX
from tocsin.domain.users import Principal
from tocsin.services.incident_views import type_view
from tocsin.services.nomenclature import tenant_types

router = api_router("/api/v1", "events")
DISPATCH, TYPES_WRITE = "events.dispatch", "directory.write"
Code = Annotated[str, Path(min_length=1, max_length=CODE_MAX, description="The type's code")]
Text = Annotated[str, Field(min_length=1, max_length=TEXT_MAX)]
Short = Annotated[str, Field(min_length=1, max_length=CODE_MAX)]
APCO: list[JsonValue] = [*sorted(INCIDENT_CATEGORIES)]


class QuestionIn(BaseModel):
    id: Short
    text_en: Text
    text_fr: Text
    kind: Literal["yes_no", "choice", "number", "text"]
    choices: list[Short] = Field(default_factory=list, max_length=30)
    essential: bool = False


class ConditionIn(BaseModel):
    question: Short = Field(description="A question of this type")
    op: Literal["is", "in", "at_least", "at_most"] = "is"
    value: bool | float | str | list[str]


class RuleIn(BaseModel):
    when: ConditionIn
    change: int = Field(ge=-4, le=4, description="Added to the priority (negative: more urgent)")


class PlanIn(BaseModel):
    unit_type: Short
    count: int = Field(default=1, ge=1, le=50)


class EventTypeIn(BaseModel):
    """A type of the nomenclature (docs/dispatch.md)."""

    code: Short
    label_en: Text
    label_fr: Text
    category: Literal["fire", "rescue", "medical", "police", "security", "technical", "other"] = "other"
    default_priority: int = Field(default=3, ge=1, le=LOWEST)
    apco: str = Field(json_schema_extra={"enum": APCO}, description="APCO ANS 2.103 common incident type")
    questions: list[QuestionIn] = Field(default_factory=list, max_length=50)
    rules: list[RuleIn] = Field(default_factory=list, max_length=100)
    reflex: list[ConditionIn] = Field(default_factory=list, max_length=50)
    reflex_always: bool = False
    response_plan: list[PlanIn] = Field(default_factory=list, max_length=30)
    notify: list[Short] = Field(default_factory=list, max_length=30)
    compatible: list[Short] = Field(default_factory=list, max_length=50)
    duplicate_radius_m: int = Field(default=300, ge=0, le=10_000)
    duplicate_minutes: int = Field(default=30, ge=0, le=24 * 60)
    active: bool = True


class EventTypeOut(BaseModel):
    """A type of the nomenclature, with every field ``EventTypeIn`` takes, and the tenant's id."""

    model_config = ConfigDict(extra="allow")
    code: str
    label_en: str
    label_fr: str
    default_priority: int
    apco: str


def _known(node: NodeDep, principal: Principal, scope_permission: str) -> set[str]:
    found = node.store.read(
        lambda uow: tenant_types(uow, principal.tenant_id), principal.scope_for(scope_permission)
    )
    return set(found)


def _store(node: NodeDep, principal: Principal, body: EventTypeIn) -> dict[str, Any]:
    command = i.PutIncidentType(principal.tenant_id, body.model_dump())
    kind = node.messagebus.handle(command, scope=principal.scope_for(TYPES_WRITE), actor=principal.actor)
    return type_view(kind) | {"tenant_id": str(principal.tenant_id)}


@router.get("/event-types", response_model=list[EventTypeOut])
def list_event_types(
    node: NodeDep, principal: PrincipalDep, retired: Annotated[bool, Query(description="Retired too")] = False
) -> list[dict[str, Any]]:
    """My tenant's nomenclature: codes, labels, default priority, questions, rules, départ réflexe, response
    plan, who is told, APCO 2.103 type."""
    found = node.store.read(lambda uow: tenant_types(uow, principal.tenant_id), principal.scope_for(DISPATCH))
    ordered = sorted(found.values(), key=lambda t: t.code)
    return [type_view(t) | {"tenant_id": str(principal.tenant_id)} for t in ordered if retired or t.active]


@router.post("/event-types", status_code=201, response_model=EventTypeOut)
def add_event_type(body: EventTypeIn, node: NodeDep, principal: CheckedPrincipalDep) -> dict[str, Any]:
    """Add a type to my tenant's nomenclature (``directory.write``)."""
    if body.code.strip().upper() in _known(node, principal, TYPES_WRITE):
        raise Conflict(
            f"Event type {body.code.upper()} exists: PUT /event-types/{body.code.upper()} changes it."
        )
    return _store(node, principal, body)


@router.put("/event-types/{code}", response_model=EventTypeOut)
def put_event_type(
    code: Code, body: EventTypeIn, node: NodeDep, principal: CheckedPrincipalDep
) -> dict[str, Any]:
    """Change a type of my tenant's nomenclature (``directory.write``); ``active: false`` retires it."""
    wanted = code.strip().upper()
    if wanted not in _known(node, principal, TYPES_WRITE):
        raise NotFound(f"No event type {wanted} in your nomenclature: POST /event-types adds one.")
    if body.code.strip().upper() != wanted:
        raise InvalidInput("The code in the body differs from the one in the path.")
    return _store(node, principal, body)
