"""A world with two tenants, a client scoped to one site and a unit, and the tools to walk the API as each.

The walk takes every operation of the OpenAPI document, fills its path parameters and its body's ids
with records the caller must not reach, and checks the answer and the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote
from uuid import UUID, uuid4

import sqlalchemy as sa

from tests.integration.alarm_support import open_alarms, send
from tests.integration.api_support import Stack
from tests.integration.helpers import make_room
from tocsin.domain import camera_commands as cc
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain import partner_commands as pc
from tocsin.domain import shifts as sh
from tocsin.domain.clips import Clip
from tocsin.domain.instructions import GiveInstruction
from tocsin.domain.logbook import LogbookEntry
from tocsin.domain.requisitions import Requisition, VideoExport
from tocsin.domain.scope import Scope
from tocsin.services.unit_of_work import UnitOfWork

# Words only tenant 1's private records hold: none may appear in an answer to someone outside them.
PATROL, POLICE_LINE, KEYHOLDER = "PATROL-SECRET-7", "+33 1 99 99 99 99", "Keyholder Of B"
CALLER = "0699887766"  # the call-back number of an event of tenant 1
HANDOVER_NOTE = "HANDOVER-SECRET-9"  # the notes of a handover of tenant 1


@dataclass
class Persona:
    """Someone who walks the API: their token, the ids they must not reach, words they must not read."""

    name: str
    token: str
    foreign: dict[str, str]
    markers: set[str] = field(default_factory=set)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def build_world(stack: Stack) -> dict[str, Persona]:
    """Tenant 1 gets private records on both clients, a unit and a partner; tenant 2 gets its admin."""
    room, bus, node = stack.room, stack.node.messagebus, stack.node
    scope = Scope.tenant(room.tenant_id)
    account = bus.handle(c.AddAccount(room.site_b, "B0B0", "1", "1"), scope=scope, actor="t")
    zone = bus.handle(c.AddZone(room.site_b, "7", "Vault"), scope=scope, actor="t")
    contact = bus.handle(
        c.AddContact(room.site_b, 1, KEYHOLDER, ("+33 6 00 00 00 01",), password="tulip garden"),
        scope=scope,
        actor="t",
    )
    unit = bus.handle(
        c.AddUnit(room.tenant_id, PATROL, "patrol", latitude=48.85, longitude=2.35), scope=scope, actor="t"
    )
    partner = bus.handle(
        c.AddPartner(room.tenant_id, "Police nationale", "police", (POLICE_LINE,)), scope=scope, actor="t"
    )
    schedule = bus.handle(
        c.CreateSchedule(room.tenant_id, "B hours", client_id=room.client_b), scope=scope, actor="t"
    )
    camera = bus.handle(
        cc.AddCamera(room.site_b, {"name": "B vault camera", "rtsp_url": "rtsp://10.2.0.9/s"}),
        scope=scope,
        actor="t",
    )
    send(node.store, stack.clock, account, "1130 01 007")  # an alarm on site B
    alarm = open_alarms(node.store, room.site_b)[0]
    clip = _clip(stack, alarm.id, camera.id)
    requisition, export = _requisition_and_export(stack, clip)
    ends = stack.clock.now() + timedelta(days=1)
    instruction = bus.handle(
        GiveInstruction(room.site_b, "note", "B's note", None, ends, "t"), scope=scope, actor="t"
    )
    event = bus.handle(
        i.CreateIncident(room.tenant_id, "FIGHT", i.Place(site_id=room.site_b), by="t", caller_phone=CALLER),
        scope=scope,
        actor="t",
    ).incident
    template = {"code": "walk", "name": "Walk", "text": "Event {event_id} at {address}: {caller_phone}"}
    bus.handle(pc.SetMatrix(room.tenant_id, (), (template,), "t"), scope=scope, actor="t")
    partner_request = bus.handle(
        pc.RequestPartner(event.id, partner.id, "phone", "walk", "t"), scope=scope, actor="t"
    )
    correction = bus.handle(
        pc.FileCorrection(event.id, "contact", KEYHOLDER, "Number changed", "t"), scope=scope, actor="t"
    )
    stack.add_user("unit-7", "unit")
    stack.add_user("client-sa", "client", site_ids=(room.site_a,))
    node.auth.create_token("operator", "scripts", None)  # a token the walk must not reach
    operator = node.store.read(lambda uow: uow.users.find(username="operator")[0], scope)
    grant = node.store.read(lambda uow: uow.grants.find(user_id=operator.id)[0], scope)
    token = node.store.read(lambda uow: uow.auth.tokens_of(operator.id)[0], scope)
    on_duty = sh.Who(operator.id, "operator", "Operator")
    handover = bus.handle(sh.SubmitHandover(room.tenant_id, on_duty, HANDOVER_NOTE), scope=scope, actor="t")
    bus.handle(sh.StartShift(room.tenant_id, on_duty), scope=scope, actor="t")  # on shift: none may see it

    other = make_room(node.store)
    other_scope = Scope.tenant(other.tenant_id)
    admin2 = bus.handle(
        c.AddUser(other.tenant_id, "admin-two", "Admin Two", "correct horse battery"),
        scope=other_scope,
        actor="t",
    )
    bus.handle(c.GrantRole(admin2.id, "admin"), scope=other_scope, actor="t")
    # a unit's crew reads its own tenant's units: the unit it is walked with is another tenant's
    unit_elsewhere = bus.handle(
        c.AddUnit(other.tenant_id, "Unit Two", "patrol"), scope=other_scope, actor="t"
    )

    children_of_b = {
        "client_id": str(room.client_b),
        "site_id": str(room.site_b),
        "user_id": str(operator.id),
        "grant_id": str(grant.id),
        "token_id": str(token.id),
        "alarm_id": str(alarm.id),
        "contact_id": str(contact.id),
        "alarm_class": "intrusion",
        "step_id": str(alarm.id),  # no step exists before a take: any id is refused the same way
        "instruction_id": str(instruction.id),
        "unit_id": str(unit.id),
        "partner_id": str(partner.id),
        "dispatch_id": str(alarm.id),  # no dispatch of its own: the walk is refused before looking
        "schedule_id": str(schedule.id),
        "event_id": str(event.id),
        "duplicate_of": str(event.id),
        "id": str(alarm.id),  # a link's target
        "code": "WALK-NOT-A-TYPE",
        "camera_id": str(camera.id),
        "request_id": str(partner_request.id),
        "correction_id": str(correction.id),
        "zone_id": str(zone.id),
        "handover_id": str(handover.id),
        "clip_id": str(clip.id),
        "requisition_id": str(requisition.id),
        "export_id": str(export.id),
        "client_key": "0192d7a0-0000-7000-8000-00000000c0de",  # a note's key made by a console: no record
    }
    private_b = {
        str(x)
        for x in (
            account.id,
            zone.id,
            contact.id,
            schedule.id,
            room.client_b,
            room.site_b,
            alarm.id,
            camera.id,
            partner_request.id,
            correction.id,
            clip.id,
            requisition.id,
            export.id,
        )
    } | {str(event.id), CALLER, "rtsp://10.2.0.9/s", str(handover.id), HANDOVER_NOTE}
    means = {str(unit.id), str(partner.id), PATROL, POLICE_LINE}
    people = {str(operator.id), str(grant.id), str(token.id)}

    def persona(name: str, username: str, foreign: dict[str, str], markers: set[str]) -> Persona:
        return Persona(name, node.auth.create_token(username, "walk", None), foreign, markers)

    return {
        "other-tenant-admin": persona(
            "other-tenant-admin",
            "admin-two",
            {**children_of_b, "client_id": str(room.client_a), "site_id": str(room.site_a)},
            private_b | means | people | {KEYHOLDER, str(room.client_a), str(room.site_a)},
        ),
        "client-of-site-a": persona(
            "client-of-site-a", "client-sa", children_of_b, private_b | means | people | {KEYHOLDER}
        ),
        "unit": persona(
            "unit",
            "unit-7",
            {
                **children_of_b,
                "client_id": str(room.client_a),
                "site_id": str(room.site_a),
                "unit_id": str(unit_elsewhere.id),
            },
            private_b | people | {str(partner.id), POLICE_LINE, KEYHOLDER, str(room.site_a)},
        ),
    }


def _clip(stack: Stack, alarm_id: UUID, camera_id: UUID) -> Clip:
    """A clip of site B's camera around its alarm (its record: the walk never reaches the file)."""
    now = stack.clock.now()
    room = stack.room
    clip = Clip(
        id=uuid4(),
        tenant_id=room.tenant_id,
        site_id=room.site_b,
        alarm_id=alarm_id,
        camera_id=camera_id,
        camera_name="B vault camera",
        start=now - timedelta(seconds=10),
        end=now + timedelta(seconds=20),
        file=f"{alarm_id}/{camera_id}.mp4",
        frames=300,
        size=1000,
        sha256="0" * 64,
        created_at=now,
    )
    stack.node.store.write(lambda uow: uow.clips.add(clip), Scope.system())
    return clip


def _requisition_and_export(stack: Stack, clip: Clip) -> tuple[Requisition, VideoExport]:
    """A requisition of the tenant and an export of site B's clip for it (records: no file)."""
    now = stack.clock.now()
    room = stack.room
    requisition = Requisition(uuid4(), room.tenant_id, "Police nationale", "PN-WALK-1", now, "B vault")
    export = VideoExport(
        id=uuid4(),
        tenant_id=room.tenant_id,
        site_id=room.site_b,
        camera_id=clip.camera_id,
        camera_name=clip.camera_name,
        start=clip.start,
        end=clip.end,
        reason="Police nationale PN-WALK-1",
        exported_by="admin",
        exported_at=now,
        folder=f"/nonexistent/{clip.id}",
        manifest_sha256="0" * 64,
        key_id="0" * 16,
        frames=300,
        requisition_id=requisition.id,
    )

    def add(uow: UnitOfWork) -> None:
        uow.requisitions.add(requisition)
        uow.video_exports.add(export)

    stack.node.store.write(add, Scope.system())
    return requisition, export


# ---------------------------------------------------------------- bodies from the document


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    if "anyOf" in schema:  # Optional[X]: take X
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        return _resolve(spec, schema)
    return schema


FORMATTED = {"date-time": "2030-01-01T00:00:00+00:00", "date": "2030-01-01"}


def example(spec: dict[str, Any], schema: dict[str, Any], name: str, foreign: dict[str, str]) -> Any:  # noqa: PLR0911
    """A valid value for a schema, where every id is one the caller must not reach."""
    schema = _resolve(spec, schema)
    if "enum" in schema:
        return schema["enum"][0]
    if "examples" in schema:  # a field with a pattern shows a valid value
        return schema["examples"][0]
    kind = schema.get("type")
    if kind == "object":
        return {prop: example(spec, sub, prop, foreign) for prop, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(spec, schema["items"], name.removesuffix("s"), foreign)] * max(
            schema.get("minItems", 1), 1
        )
    if schema.get("format") == "uuid":
        assert name in foreign, f"no foreign id for the field {name!r}: add one to build_world"
        return foreign[name]
    if schema.get("format") in FORMATTED:
        return FORMATTED[schema["format"]]
    if kind == "string":
        return ("walker" + "x" * 20)[: max(schema.get("minLength", 6), 6)]
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    raise AssertionError(f"the walk cannot build a {schema} for {name!r}")


# Values for required query parameters: a search for the walked tenant's site B, a point in its town.
QUERY_SAMPLES = {"q": "Site B", "lat": "48.85", "lon": "2.35"}


def request_for(
    spec: dict[str, Any], path: str, operation: dict[str, Any], foreign: dict[str, str]
) -> tuple[str, Any]:
    """The URL with foreign ids in its path, and a body (or None) with foreign ids in it."""
    url, query = path, []
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            assert parameter["name"] in foreign, f"no foreign id for {parameter['name']}: add it here"
            url = url.replace("{" + parameter["name"] + "}", foreign[parameter["name"]])
        elif parameter["in"] == "query" and parameter.get("required"):
            name = parameter["name"]
            assert name in QUERY_SAMPLES, f"no sample for the required query parameter {name!r}: add it here"
            query.append(f"{name}={quote(QUERY_SAMPLES[name])}")
    url += "?" + "&".join(query) if query else ""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    body = None if content is None else example(spec, content["schema"], "body", foreign)
    return url, body


# ---------------------------------------------------------------- the database before and after

SKIPPED_TABLES = {"alembic_version", "logbook_entry", "logbook_chain", "logbook_checkpoint"}


_TABLES: dict[str, tuple[sa.Engine, list[sa.Table]]] = {}


def snapshot(stack: Stack) -> dict[str, list[str]]:
    """Every row of every table but the logbook's, as text (the logbook is checked entry by entry)."""
    url = stack.node.settings.database_url
    if url not in _TABLES:
        engine = sa.create_engine(url)
        meta = sa.MetaData()
        meta.reflect(engine)
        _TABLES[url] = (engine, [t for n, t in meta.tables.items() if n not in SKIPPED_TABLES])
    engine, tables = _TABLES[url]
    with engine.connect() as conn:
        return {
            table.name: sorted(json.dumps([str(v) for v in row]) for row in conn.execute(sa.select(table)))
            for table in tables
        }


def all_entries(stack: Stack) -> list[LogbookEntry]:
    return stack.node.store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
