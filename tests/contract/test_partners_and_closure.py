"""Telling partners and closing events through the handlers, on the in-memory twin, SQLite and
PostgreSQL: the matrix suggests by type or category and priority, a template with an empty required
field is refused and nothing is written, a request is acknowledged once, the radio channel, closing
refused without a report and allowed with one, corrections filed and resolved, tenants kept apart."""

from __future__ import annotations

from typing import Any

import pytest

from tests.contract.support import Backend, World
from tocsin.domain import commands as dc
from tocsin.domain import incidents as i
from tocsin.domain import partner_commands as pc
from tocsin.domain.closure import ReportMissing
from tocsin.domain.errors import Conflict, InvalidInput, NotFound
from tocsin.domain.resources import Partner
from tocsin.domain.scope import Scope
from tocsin.services import event_liaison as el
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import HANDLERS
from tocsin.testing import FakeHasher

DEPS = Deps(hasher=FakeHasher())
TEMPLATES = (
    {"code": "police", "name": "Police", "text": "{type_code} {priority} at {address}, call {caller_phone}"},
    {"code": "info", "name": "Info", "text": "{type_code} at {address}. {summary?}"},
)


def run(backend: Backend, command: Any, scope: Scope) -> Any:
    return backend.write(lambda uow: HANDLERS.run(command, uow, "ann", DEPS), scope)


def entries(backend: Backend) -> list[str]:
    return backend.read(lambda uow: [e.kind for e in uow.logbook.read(Scope.system())])


def setup(backend: Backend, world: World) -> tuple[i.Incident, Scope, Partner]:
    """Tenant 1's matrix: police for police events up to P3, info to the police for any P1; a fight."""
    scope = Scope.tenant(world.t1.id)
    police = run(backend, dc.AddPartner(world.t1.id, "Police nationale", "police", ("17",)), scope)
    partner = str(police.id)
    rules = (
        {
            "partner_id": partner,
            "category": "police",
            "max_priority": 3,
            "channel": "phone",
            "template_code": "police",
        },
        {"partner_id": partner, "max_priority": 1, "channel": "phone", "template_code": "info"},
    )
    run(backend, pc.SetMatrix(world.t1.id, rules, TEMPLATES, "Admin"), scope)
    place = i.Place(48.85, 2.35, "3 rue de la Paix")
    opened = run(backend, i.CreateIncident(world.t1.id, "FIGHT", place, by="Ann"), scope)
    return opened.incident, scope, police


def test_the_matrix_suggests_by_category_and_priority(backend: Backend, world: World) -> None:
    """A P2 fight (police category) is suggested to the police once; a P4 noise is suggested to nobody."""
    fight, scope, police = setup(backend, world)
    found = backend.read(lambda uow: el.gather(uow, fight.id), scope)
    assert [(s.partner.id, s.template_code, s.sent) for s in found.suggestions] == [
        (police.id, "police", False)
    ]
    noise = run(backend, i.CreateIncident(world.t1.id, "NOISE", i.Place(48.8, 2.3, "x"), by="Ann"), scope)
    quiet = backend.read(lambda uow: el.gather(uow, noise.incident.id), scope)
    assert quiet.suggestions == []


def test_a_template_with_an_empty_field_is_refused_and_nothing_is_written(
    backend: Backend, world: World
) -> None:
    """The event has no caller phone: the request names caller_phone and writes nothing; given with the
    request, it is sent, recorded with its message, and the event's suggestion reads 'sent'."""
    fight, scope, police = setup(backend, world)
    before = entries(backend)
    command = pc.RequestPartner(fight.id, police.id, "phone", "police", "Ann")
    with pytest.raises(InvalidInput, match="caller_phone"):
        run(backend, command, scope)
    assert sorted(entries(backend)) == sorted(before)
    assert backend.read(lambda uow: uow.liaison.requests(fight.id), scope) == []
    sent = run(backend, pc.RequestPartner(**{**_fields(command), "fields": {"caller_phone": "0611"}}), scope)
    assert sent.message == "FIGHT P2 at 3 rue de la Paix, call 0611"
    assert sorted(entries(backend)) == sorted([*before, "incident.partner_requested"])
    found = backend.read(lambda uow: el.gather(uow, fight.id), scope)
    assert [s.sent for s in found.suggestions] == [True]
    assert found.incident.timeline[-1].kind == "incident.partner_requested"


def _fields(command: Any) -> dict[str, Any]:
    return {name: getattr(command, name) for name in command.__dataclass_fields__}


def test_a_request_is_acknowledged_once_with_its_reference(backend: Backend, world: World) -> None:
    """The partner's reference is kept with the time; a second acknowledgment is refused."""
    fight, scope, police = setup(backend, world)
    sent = run(backend, pc.RequestPartner(fight.id, police.id, "phone", "info", "Ann"), scope)
    acked = run(backend, pc.AcknowledgePartner(fight.id, sent.id, "Ann", "PN-2026-114"), scope)
    assert (acked.acknowledged, acked.reference, acked.ack_by) == (True, "PN-2026-114", "Ann")
    with pytest.raises(Conflict, match="PN-2026-114"):
        run(backend, pc.AcknowledgePartner(fight.id, sent.id, "Ann", "again"), scope)
    stored = backend.read(lambda uow: uow.liaison.request(sent.id), scope)
    assert stored is not None
    assert stored.reference == "PN-2026-114"


def test_closing_needs_the_report_and_closing_with_it_is_one_transaction(
    backend: Backend, world: World
) -> None:
    """Closed without a report: refused, the event stays open; an unknown outcome code refused and
    nothing written; with a report: closed, the report kept with its APCO dispositions."""
    fight, scope, _police = setup(backend, world)
    with pytest.raises(ReportMissing):
        run(backend, i.UpdateIncident(fight.id, "Ann", state="closed"), scope)
    with pytest.raises(InvalidInput, match="nonsense"):
        run(backend, pc.CloseWithReport(fight.id, ("nonsense",), "text", "Ann"), scope)
    assert backend.read(lambda uow: uow.incidents.get(fight.id), scope).state == "open"  # type: ignore[union-attr]
    assert backend.read(lambda uow: uow.liaison.report(fight.id), scope) is None
    closed = run(backend, pc.CloseWithReport(fight.id, ("arrest", "transported"), "Two held.", "Ann"), scope)
    assert closed.state == "closed"
    report = backend.read(lambda uow: uow.liaison.report(fight.id), scope)
    assert report is not None
    assert report.dispositions == ("ARREST", "TRANSPORTED")
    assert [t.kind for t in closed.timeline][-2:] == ["incident.reported", "incident.updated"]


def test_radio_and_corrections_stay_in_their_tenant(backend: Backend, world: World) -> None:
    """A radio channel is assigned; a correction is filed, listed for tenant 1 only, resolved once;
    tenant 2 neither reads nor resolves it, nor reaches the event."""
    fight, scope, _police = setup(backend, world)
    radio = run(backend, pc.AssignRadio(fight.id, "TKG 12", "Ann", "Groupe 3"), scope)
    assert radio.text() == "TKG 12 / Groupe 3"
    filed = run(backend, pc.FileCorrection(fight.id, "address", "3 rue de la Paix", "Is no. 5", "Ann"), scope)
    other = Scope.tenant(world.t2.id)
    assert backend.read(lambda uow: uow.liaison.corrections(), other) == []
    with pytest.raises(NotFound):
        run(backend, pc.ResolveCorrection(filed.id, "done", "Eve"), other)
    with pytest.raises(NotFound):
        run(backend, pc.AssignRadio(fight.id, "X", "Eve"), other)
    done = run(backend, pc.ResolveCorrection(filed.id, "Address fixed in the BAN import", "Admin"), scope)
    assert done.state == "resolved"
    assert backend.read(lambda uow: [c.state for c in uow.liaison.corrections(state=None)], scope) == [
        "resolved"
    ]
    with pytest.raises(Conflict):
        run(backend, pc.ResolveCorrection(filed.id, "again", "Admin"), scope)


def test_a_rule_naming_another_tenants_partner_is_refused(backend: Backend, world: World) -> None:
    """Tenant 2 cannot point its matrix at tenant 1's partner: not found, and its matrix stays empty."""
    other = Scope.tenant(world.t2.id)
    rule = {"partner_id": str(world.partner.id), "channel": "phone", "template_code": "info"}
    with pytest.raises(NotFound):
        run(backend, pc.SetMatrix(world.t2.id, (rule,), TEMPLATES, "Eve"), other)
    assert backend.read(lambda uow: uow.liaison.matrix(world.t2.id), other).rules == ()
