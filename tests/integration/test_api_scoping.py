"""Every API route keeps a user inside their grant: a user scoped to client A cannot read or change B."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.api_support import Stack, console_csrf, make_stack
from tests.integration.scope_walk import Persona, all_entries, build_world, request_for, snapshot
from tocsin.domain.logbook import chain_for


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One app for the module: these tests only read, or write notes."""
    yield from make_stack(tmp_path_factory.mktemp("scoping"))


def ids(items: list[dict[str, object]]) -> set[str]:
    return {str(i["id"]) for i in items}


def test_lists_show_only_what_the_grant_covers(stack: Stack) -> None:
    """Client A's user lists client A and its site only; the admin lists both."""
    room = stack.room
    a, admin = stack.session("client-a"), stack.session("admin")
    assert ids(a.get("/api/v1/clients").json()) == {str(room.client_a)}
    assert ids(a.get("/api/v1/sites").json()) == {str(room.site_a)}
    assert ids(admin.get("/api/v1/clients").json()) == {str(room.client_a), str(room.client_b)}
    assert ids(admin.get("/api/v1/sites").json()) == {str(room.site_a), str(room.site_b)}


def test_a_site_scoped_operator_sees_that_site_and_its_client(stack: Stack) -> None:
    """A grant over one site shows that site and its owner, nothing else."""
    b = stack.session("site-b")
    assert ids(b.get("/api/v1/sites").json()) == {str(stack.room.site_b)}
    assert ids(b.get("/api/v1/clients").json()) == {str(stack.room.client_b)}


@pytest.mark.parametrize(
    "path", ["/api/v1/clients/{client_b}", "/api/v1/sites/{site_b}", "/api/v1/sites/{site_b}/map"]
)
def test_reading_another_clients_record_is_hidden_and_logged(stack: Stack, path: str) -> None:
    """Asking for B's record by id answers 404 (no hint it exists) and writes a security entry."""
    room = stack.room
    url = path.format(client_b=room.client_b, site_b=room.site_b)
    stack.clock.advance(seconds=60)  # refusals are counted per minute: this one is the first of its minute
    before = len(stack.entries("security.refused"))
    response = stack.session("client-a").get(url)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    refused = stack.entries("security.refused")
    assert len(refused) == before + 1
    assert refused[-1]["reason"] == "outside the user's scope"
    assert stack.session("admin").get(url).status_code == 200


def test_own_site_file_is_readable_without_secrets(stack: Stack) -> None:
    """A site's file lists its children; hashed passwords never leave the store."""
    body = stack.session("client-a").get(f"/api/v1/sites/{stack.room.site_a}").json()
    assert body["ref"] == "SA"
    assert "password_hash" not in str(body)


def test_the_logbook_shows_only_the_grants_entries(stack: Stack) -> None:
    """Client A's user reads entries about client A and its site, none about B."""
    room = stack.room
    entries = stack.session("client-a").get("/api/v1/logbook").json()["entries"]
    assert entries
    assert {e["client_id"] for e in entries} == {str(room.client_a)}


def test_a_note_about_another_clients_site_is_refused(stack: Stack) -> None:
    """Writing about a site outside one's grant fails and writes nothing."""
    operator = stack.session("site-b")
    token = console_csrf(operator)
    before = len(stack.entries("logbook.note"))
    response = operator.post(
        "/api/v1/logbook/notes",
        json={"text": "x", "site_id": str(stack.room.site_a)},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 404
    assert len(stack.entries("logbook.note")) == before
    ok = operator.post(
        "/api/v1/logbook/notes",
        json={"text": "y", "site_id": str(stack.room.site_b)},
        headers={"X-CSRF-Token": token},
    )
    assert ok.status_code == 201


def test_roles_without_a_permission_are_refused(stack: Stack) -> None:
    """A client-role user may not write in the logbook (403 with the reason)."""
    client = stack.session("client-a")
    response = client.post(
        "/api/v1/logbook/notes", json={"text": "x"}, headers={"X-CSRF-Token": console_csrf(client)}
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


# Every /api/v1 operation, and how the walk checks it: "list" answers 200 with only what the caller may
# see (or 403), "scoped" names records by id and must answer 403 or 404 and change nothing, "self" acts
# on the caller alone, "own" acts on the caller alone in their own tenant (any refusal, or a change that
# touches no row and no logbook chain of the walked tenant), "create" names no record: it may create one
# in the caller's own tenant only (201, never in the walked tenant) or answer 403; "import" takes a
# document (the walk sends none: 403 or 422).
# A new route fails the walk until it is added here.
COVERED = {
    ("get", "/api/v1/me"): "self",
    ("put", "/api/v1/me/language"): "self",
    ("get", "/api/v1/logbook"): "list",
    ("post", "/api/v1/logbook/notes"): "scoped",
    ("get", "/api/v1/clients"): "list",
    ("get", "/api/v1/clients/{client_id}"): "scoped",
    ("get", "/api/v1/sites"): "list",
    ("get", "/api/v1/sites/{site_id}"): "scoped",
    ("get", "/api/v1/sites/{site_id}/map"): "scoped",
    ("post", "/api/v1/clients"): "create",
    ("post", "/api/v1/sites"): "scoped",
    ("post", "/api/v1/sites/{site_id}/accounts"): "scoped",
    ("post", "/api/v1/sites/{site_id}/contacts"): "scoped",
    ("get", "/api/v1/units"): "list",
    ("post", "/api/v1/units"): "create",
    ("get", "/api/v1/units/me"): "list",
    ("get", "/api/v1/units/me/map"): "list",
    ("get", "/api/v1/units/{unit_id}"): "scoped",
    ("post", "/api/v1/units/{unit_id}/status"): "scoped",
    ("post", "/api/v1/units/{unit_id}/position"): "scoped",
    ("post", "/api/v1/units/{unit_id}/reports"): "scoped",
    ("post", "/api/v1/events/{event_id}/engage"): "scoped",
    ("get", "/api/v1/events/{event_id}/units"): "scoped",
    ("post", "/api/v1/events/{event_id}/units/{unit_id}/release"): "scoped",
    ("get", "/api/v1/partners"): "list",
    ("get", "/api/v1/schedules"): "list",
    ("get", "/api/v1/signals"): "list",
    ("get", "/api/v1/users"): "list",
    ("post", "/api/v1/users"): "scoped",
    ("get", "/api/v1/users/{user_id}"): "scoped",
    ("post", "/api/v1/users/{user_id}/disable"): "scoped",
    ("post", "/api/v1/users/{user_id}/enable"): "scoped",
    ("put", "/api/v1/users/{user_id}/password"): "scoped",
    ("post", "/api/v1/users/{user_id}/grants"): "scoped",
    ("delete", "/api/v1/users/{user_id}/grants/{grant_id}"): "scoped",
    ("get", "/api/v1/users/{user_id}/tokens"): "scoped",
    ("delete", "/api/v1/users/{user_id}/tokens/{token_id}"): "scoped",
    ("get", "/api/v1/health"): "list",
    ("get", "/api/v1/security/refusals"): "list",
    ("get", "/api/v1/alarms"): "list",
    ("get", "/api/v1/alarms/closure-codes"): "list",
    ("get", "/api/v1/alarms/{alarm_id}"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/take"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/release"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/settle"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/close"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/notes"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/calls"): "scoped",
    ("get", "/api/v1/alarms/{alarm_id}/verification"): "scoped",
    ("get", "/api/v1/alarms/{alarm_id}/responders"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/verifications"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/dispatches"): "scoped",
    ("patch", "/api/v1/alarms/{alarm_id}/dispatches/{dispatch_id}"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/requests"): "scoped",
    ("get", "/api/v1/alarms/{alarm_id}/evidence"): "scoped",
    ("post", "/api/v1/sites/{site_id}/test-mode"): "scoped",
    ("get", "/api/v1/alarm-rules"): "list",
    ("put", "/api/v1/alarm-rules"): "scoped",
    # action plans, checklists and temporary instructions
    ("get", "/api/v1/clients/{client_id}/action-plans/{alarm_class}"): "scoped",
    ("put", "/api/v1/clients/{client_id}/action-plans/{alarm_class}"): "scoped",
    ("get", "/api/v1/sites/{site_id}/action-plans/{alarm_class}"): "scoped",
    ("put", "/api/v1/sites/{site_id}/action-plans/{alarm_class}"): "scoped",
    ("delete", "/api/v1/sites/{site_id}/action-plans/{alarm_class}"): "scoped",
    ("get", "/api/v1/alarms/{alarm_id}/steps"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/steps/{step_id}/done"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/steps/{step_id}/skip"): "scoped",
    ("get", "/api/v1/sites/{site_id}/instructions"): "scoped",
    ("post", "/api/v1/sites/{site_id}/instructions"): "scoped",
    ("delete", "/api/v1/sites/{site_id}/instructions/{instruction_id}"): "scoped",
    ("get", "/api/v1/schedules/{schedule_id}"): "scoped",
    ("post", "/api/v1/schedules"): "scoped",
    ("put", "/api/v1/schedules/{schedule_id}"): "scoped",
    ("put", "/api/v1/sites/{site_id}/schedule"): "scoped",
    ("get", "/api/v1/event-types"): "list",
    ("post", "/api/v1/event-types"): "create",
    ("put", "/api/v1/event-types/{code}"): "scoped",
    ("get", "/api/v1/events"): "list",
    ("post", "/api/v1/events"): "scoped",
    ("post", "/api/v1/events/assess"): "scoped",
    ("get", "/api/v1/events/{event_id}"): "scoped",
    ("patch", "/api/v1/events/{event_id}"): "scoped",
    ("post", "/api/v1/events/{event_id}/notes"): "scoped",
    ("post", "/api/v1/events/{event_id}/links"): "scoped",
    ("post", "/api/v1/alarms/{alarm_id}/event"): "scoped",
    ("get", "/api/v1/events/{event_id}/cap"): "scoped",
    ("get", "/api/v1/events/{event_id}/eido"): "scoped",
    ("get", "/api/v1/events/{event_id}/recommendation"): "scoped",
    ("post", "/api/v1/events/cap"): "import",
    ("get", "/api/v1/station"): "list",
    ("get", "/api/v1/kpis"): "list",
    ("get", "/api/v1/kpis/csv"): "list",
    ("get", "/api/v1/kpis/pdf"): "list",
    ("get", "/api/v1/station/kit.pdf"): "list",
    ("get", "/api/v1/geo/search"): "list",
    ("get", "/api/v1/geo/reverse"): "list",
    ("get", "/api/v1/geo/streets"): "list",
    ("post", "/api/v1/sites/{site_id}/cameras"): "scoped",
    ("get", "/api/v1/sites/{site_id}/cameras"): "scoped",
    ("get", "/api/v1/cameras/{camera_id}"): "scoped",
    ("patch", "/api/v1/cameras/{camera_id}"): "scoped",
    ("delete", "/api/v1/cameras/{camera_id}"): "scoped",
    ("post", "/api/v1/cameras/{camera_id}/views"): "scoped",
    ("get", "/api/v1/video-register"): "list",
    # an event's partners and closure, the matrix, the corrections
    ("get", "/api/v1/events/{event_id}/partners"): "scoped",
    ("post", "/api/v1/events/{event_id}/partner-requests"): "scoped",
    ("post", "/api/v1/events/{event_id}/partner-requests/{request_id}/ack"): "scoped",
    ("put", "/api/v1/events/{event_id}/radio"): "scoped",
    ("put", "/api/v1/events/{event_id}/report"): "scoped",
    ("post", "/api/v1/events/{event_id}/close"): "scoped",
    ("get", "/api/v1/events/{event_id}/emsi"): "scoped",
    ("get", "/api/v1/events/{event_id}/sheet.pdf"): "scoped",
    ("get", "/api/v1/events/{event_id}/debrief"): "scoped",
    ("post", "/api/v1/events/{event_id}/corrections"): "scoped",
    ("get", "/api/v1/corrections"): "list",
    ("post", "/api/v1/corrections/{correction_id}/resolve"): "scoped",
    ("get", "/api/v1/notification-matrix"): "list",
    ("put", "/api/v1/notification-matrix"): "scoped",
    # a site file's editing (the sites page)
    ("patch", "/api/v1/sites/{site_id}"): "scoped",
    ("post", "/api/v1/sites/{site_id}/zones"): "scoped",
    ("patch", "/api/v1/sites/{site_id}/zones/{zone_id}"): "scoped",
    ("delete", "/api/v1/sites/{site_id}/zones/{zone_id}"): "scoped",
    ("patch", "/api/v1/sites/{site_id}/contacts/{contact_id}"): "scoped",
    ("delete", "/api/v1/sites/{site_id}/contacts/{contact_id}"): "scoped",
    ("put", "/api/v1/sites/{site_id}/contacts/order"): "scoped",
    # the room itself: shifts, handovers, the dead-man ("own": the caller's own, in their own tenant)
    ("get", "/api/v1/shifts"): "list",
    ("get", "/api/v1/shifts/me"): "list",
    ("post", "/api/v1/shifts/start"): "own",
    ("post", "/api/v1/shifts/end"): "own",
    ("get", "/api/v1/handovers"): "list",
    ("get", "/api/v1/handovers/draft"): "list",
    ("post", "/api/v1/handovers"): "own",
    ("post", "/api/v1/handovers/{handover_id}/acknowledge"): "scoped",
    ("get", "/api/v1/deadman"): "list",
    ("post", "/api/v1/deadman/confirm"): "own",
    ("post", "/api/v1/deadman/heartbeat"): "own",
    ("get", "/api/v1/alarms/{alarm_id}/clips"): "scoped",
    ("get", "/api/v1/clips/{clip_id}/video"): "scoped",
    ("get", "/api/v1/clips/{clip_id}/picture"): "scoped",
    ("get", "/api/v1/cameras/{camera_id}/snapshot"): "scoped",
    # requisitions, exports and the register (supervisors)
    ("post", "/api/v1/video/requisitions"): "create",
    ("get", "/api/v1/video/requisitions"): "list",
    ("patch", "/api/v1/video/requisitions/{requisition_id}"): "scoped",
    ("post", "/api/v1/video/exports"): "scoped",
    ("get", "/api/v1/video/exports"): "list",
    ("get", "/api/v1/video/exports/{export_id}/download"): "scoped",
    ("get", "/api/v1/video/register"): "list",
    ("get", "/api/v1/video/register.csv"): "list",
}
METHODS = {"get", "put", "post", "delete", "patch"}


def operations(stack: Stack) -> list[tuple[str, str, dict[str, Any]]]:
    """Every /api/v1 operation of the OpenAPI document: lists and self first, then those naming ids
    (a refusal entry names the id asked for, and the caller may read their own refusals)."""
    spec = stack.app.openapi()
    found = [
        (method, path, operation)
        for path, item in spec["paths"].items()
        if path.startswith("/api/v1")
        for method, operation in item.items()
        if method in METHODS
    ]
    return sorted(found, key=lambda op: COVERED.get((op[0], op[1])) == "scoped")


def test_every_api_operation_is_covered_by_the_walk(stack: Stack) -> None:
    """The walk's table names exactly the operations of the OpenAPI document."""
    assert {(m, p) for m, p, _ in operations(stack)} == set(COVERED), "a new route needs its walk entry"


def test_every_api_route_needs_a_login(stack: Stack) -> None:
    """Each /api/v1 operation refuses an anonymous caller with 401 and the {error, detail} body."""
    spec = stack.app.openapi()
    anonymous = stack.browser()
    foreign = {"client_id": str(stack.room.client_b), "site_id": str(stack.room.site_b)}
    foreign |= {
        name: str(stack.room.site_b)
        for name in (
            "user_id",
            "grant_id",
            "token_id",
            "alarm_id",
            "contact_id",
            "dispatch_id",
            "unit_id",
            "partner_id",
            "schedule_id",
            "event_id",
            "duplicate_of",
            "id",
            "camera_id",
            "request_id",
            "correction_id",
            "zone_id",
            "handover_id",
            "clip_id",
            "requisition_id",
            "export_id",
            "client_key",
        )
    }
    foreign |= {
        "alarm_class": "intrusion",
        "step_id": str(stack.room.site_b),
        "instruction_id": str(stack.room.site_b),
    }
    foreign["code"] = "NOISE"
    for method, path, operation in operations(stack):
        url, body = request_for(spec, path, operation, foreign)
        response = anonymous.request(method.upper(), url, json=body)
        assert response.status_code == 401, (method, path)
        assert set(response.json()) == {"error", "detail"}


@pytest.fixture(scope="module")
def personas(stack: Stack) -> dict[str, Persona]:
    """A second tenant's admin, a client over site A only, and a unit, each with an API token."""
    return build_world(stack)


@pytest.mark.parametrize("who", ["other-tenant-admin", "client-of-site-a", "unit"])
def test_the_walk_reads_and_changes_nothing_outside_the_callers_scope(
    stack: Stack, personas: dict[str, Persona], who: str
) -> None:
    """Every operation, with ids the caller may not reach: no private record is read, none changes."""
    persona, spec = personas[who], stack.app.openapi()
    api = stack.browser("10.9.0.1")
    for method, path, operation in operations(stack):
        kind = COVERED[(method, path)]
        url, body = request_for(spec, path, operation, persona.foreign)
        before, entries_before = snapshot(stack), {e.id for e in all_entries(stack)}
        response = api.request(method.upper(), url, json=body, headers=persona.headers)
        what = (who, method, path, response.status_code, response.text[:300])
        assert response.status_code < 500, what
        sent = url + json.dumps(body)  # an error may name the id the caller sent: that is no leak
        leaked = [m for m in persona.markers if m in response.text and m not in sent]
        assert not leaked, (*what, leaked)
        if kind == "self":
            assert response.status_code == 200, what
            continue
        if kind == "own":
            assert response.status_code in {200, 201, 403, 404, 409, 422}, what
            after, walked = snapshot(stack), str(stack.room.tenant_id)
            changed = {t: set(after[t]) ^ set(before.get(t, [])) for t in after}
            assert not [r for rows in changed.values() for r in rows if walked in r], what
            fresh = [e for e in all_entries(stack) if e.id not in entries_before]
            assert all(
                e.chain != chain_for(stack.room.tenant_id) for e in fresh if e.kind != "security.refused"
            ), what
            continue
        if kind in {"create", "import"} and response.status_code == 201:
            assert response.json()["tenant_id"] != str(stack.room.tenant_id), what
            continue
        if kind == "import":  # a document in the body, none from the walk: refused, nothing changed
            assert response.status_code in {403, 422}, what
            assert snapshot(stack) == before, what
            continue
        assert response.status_code in ((200, 403) if kind == "list" else (403, 404)), what
        assert snapshot(stack) == before, what
        new_kinds = {e.kind for e in all_entries(stack) if e.id not in entries_before}  # any chain
        assert new_kinds <= {"security.refused"}, (*what, new_kinds)


def test_health_and_openapi_are_public(stack: Stack) -> None:
    """/health says ok and /openapi.json documents the API."""
    assert stack.client.get("/health").json() == {"status": "ok"}
    spec = stack.client.get("/openapi.json").json()
    assert "/api/v1/sites/{site_id}" in spec["paths"]
