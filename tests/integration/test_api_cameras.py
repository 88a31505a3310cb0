"""Cameras through the API: an admin declares them with their compliance record, operators in scope read
them, every change and every viewing is a logbook entry, the password never comes back, and the
register of viewings is exported for an inspection."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_support import PASSWORD, Stack, console_csrf, make_stack
from tests.integration.helpers import make_room
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope

SECRET = "s3cret-camera-pw"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """The app on SQLite with a room and users."""
    yield from make_stack(tmp_path)


def as_user(stack: Stack, username: str) -> tuple[TestClient, dict[str, str]]:
    browser = stack.session(username)
    return browser, {"X-CSRF-Token": console_csrf(browser)}


def camera_body(name: str = "Gate", **extra: object) -> dict[str, object]:
    return {
        "name": name,
        "latitude": 45.74,
        "longitude": 4.84,
        "bearing": 90,
        "view_angle": 60,
        "view_range": 40,
        "rtsp_url": "rtsp://10.0.0.5:554/stream1",
        "snapshot_url": "http://10.0.0.5/snap.jpg",
        "username": "viewer",
        "password": SECRET,
        "frigate_name": name.lower().replace(" ", "_"),
        "authorisation_ref": "PREF-69-2026-001",
        "authorisation_expires": "2031-01-31",
        "purposes": ["protection_of_buildings"],
        "retention_days": 15,
        "signage": True,
        "privacy_masks": [[[0, 0], [0.3, 0], [0.3, 0.2], [0, 0.2]]],
        **extra,
    }


def period_around(stack: Stack) -> dict[str, str]:
    """A day either side of the test clock's now."""
    now = stack.clock.now()
    return {"from": (now - timedelta(days=1)).isoformat(), "to": (now + timedelta(days=1)).isoformat()}


def add(stack: Stack, site: object, **extra: object) -> dict[str, object]:
    browser, csrf = as_user(stack, "admin")
    response = browser.post(f"/api/v1/sites/{site}/cameras", json=camera_body(**extra), headers=csrf)  # type: ignore[arg-type]
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_an_admin_declares_changes_and_removes_a_camera_each_in_the_logbook(stack: Stack) -> None:
    """Add, change and remove answer with the camera and each writes its logbook entry."""
    camera = add(stack, stack.room.site_a)
    assert camera["has_password"] is True
    assert camera["retention_days"] == 15
    assert camera["privacy_masks"] == [[[0, 0], [0.3, 0], [0.3, 0.2], [0, 0.2]]]
    browser, csrf = as_user(stack, "admin")
    changed = browser.patch(
        f"/api/v1/cameras/{camera['id']}", json={"retention_days": 7, "password": "new-pw"}, headers=csrf
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["retention_days"] == 7
    assert stack.entries("camera.changed")[-1]["fields"] == ["password", "retention_days"]
    assert browser.delete(f"/api/v1/cameras/{camera['id']}", headers=csrf).json()["name"] == "Gate"
    assert browser.get(f"/api/v1/cameras/{camera['id']}").status_code == 404
    assert [e["name"] for e in stack.entries("camera.added")] == ["Gate"]
    assert [e["name"] for e in stack.entries("camera.removed")] == ["Gate"]


def test_the_password_is_kept_in_the_key_folder_and_never_shown(stack: Stack) -> None:
    """The password is in a 0600 key file; no answer, list or logbook entry holds it or its file's name."""
    camera = add(stack, stack.room.site_a)
    browser, _ = as_user(stack, "operator")
    listed = browser.get(f"/api/v1/sites/{stack.room.site_a}/cameras").text
    logbook = browser.get("/api/v1/logbook").text
    stored = stack.node.store.read(lambda uow: uow.cameras.find(), Scope.system())[0]
    assert stored.credential_ref is not None
    for text in (str(camera), listed, logbook):
        assert SECRET not in text
        assert stored.credential_ref not in text
    assert stack.node.keys.get(stored.credential_ref) == SECRET.encode()


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"retention_days": 31}, "L252-5"),
        ({"rtsp_url": "rtsp://admin:pw@10.0.0.5/s"}, "must not carry a user or password"),
        ({"rtsp_url": "http://10.0.0.5/s"}, "rtsp or rtsps"),
        ({"privacy_masks": [[[0, 0], [1, 1], [1, 0], [0, 1]]]}, "crosses itself"),
        ({"privacy_masks": [[[0, 0], [1.5, 0], [1, 1]]]}, "outside the image"),
        ({"bearing": 400}, "bearing"),
    ],
)
def test_bad_camera_records_are_refused_with_a_sentence_and_nothing_stored(
    stack: Stack, extra: dict[str, object], words: str
) -> None:
    """Each bad field is a 4xx naming the problem; no camera, no entry, no key file left behind."""
    browser, csrf = as_user(stack, "admin")
    response = browser.post(
        f"/api/v1/sites/{stack.room.site_a}/cameras", json=camera_body(**extra), headers=csrf
    )
    assert response.status_code == 422, response.text
    assert words in response.json()["detail"]
    assert not stack.entries("camera.added")
    keys = stack.node.settings.var_dir / "keys" / "transmitters"
    assert not list(keys.glob("cam-*")) if keys.exists() else True


def test_a_second_camera_of_the_same_name_on_a_site_is_a_conflict(stack: Stack) -> None:
    """Two cameras of one site cannot share a name, nor two cameras of a tenant Frigate's name."""
    add(stack, stack.room.site_a)
    browser, csrf = as_user(stack, "admin")
    again = browser.post(f"/api/v1/sites/{stack.room.site_a}/cameras", json=camera_body(), headers=csrf)
    assert again.status_code == 409
    assert "already" in again.json()["detail"]
    same_frigate = camera_body(name="Other", frigate_name="gate")  # Frigate's name of the first
    again = browser.post(f"/api/v1/sites/{stack.room.site_b}/cameras", json=same_frigate, headers=csrf)
    assert again.status_code == 409
    assert "Frigate" in again.json()["detail"]


def test_operators_read_only_the_cameras_of_their_sites_and_clients_none(stack: Stack) -> None:
    """An operator over site B sees B's camera, gets 404 for A's; a client's role gets 403."""
    cam_a = add(stack, stack.room.site_a, name="A-gate")
    cam_b = add(stack, stack.room.site_b, name="B-gate")
    browser, csrf = as_user(stack, "site-b")
    assert browser.get(f"/api/v1/cameras/{cam_b['id']}").status_code == 200
    assert browser.get(f"/api/v1/cameras/{cam_a['id']}").status_code == 404
    assert browser.get(f"/api/v1/sites/{stack.room.site_a}/cameras").status_code == 404
    patch = browser.patch(f"/api/v1/cameras/{cam_b['id']}", json={"retention_days": 3}, headers=csrf)
    assert patch.status_code == 403
    client, client_csrf = as_user(stack, "client-a")
    assert client.get(f"/api/v1/cameras/{cam_a['id']}").status_code == 403
    assert client.get(f"/api/v1/sites/{stack.room.site_a}/cameras").status_code == 403
    view = {"mode": "live", "start": "2026-01-01T00:00:00Z", "reason": "patrol"}
    assert (
        client.post(f"/api/v1/cameras/{cam_a['id']}/views", json=view, headers=client_csrf).status_code == 403
    )


def test_another_tenant_reaches_none_of_our_cameras(stack: Stack) -> None:
    """A second tenant's admin gets 404 for our camera and our site's cameras, and changes nothing."""
    camera = add(stack, stack.room.site_a)
    other = make_room(stack.node.store)
    scope = Scope.tenant(other.tenant_id)
    bus = stack.node.messagebus
    admin2 = bus.handle(
        c.AddUser(other.tenant_id, "admin-two", "Admin Two", PASSWORD), scope=scope, actor="t"
    )
    bus.handle(c.GrantRole(admin2.id, "admin"), scope=scope, actor="t")
    browser, csrf = as_user(stack, "admin-two")
    assert browser.get(f"/api/v1/cameras/{camera['id']}").status_code == 404
    assert browser.get(f"/api/v1/sites/{stack.room.site_a}/cameras").status_code == 404
    assert browser.delete(f"/api/v1/cameras/{camera['id']}", headers=csrf).status_code == 404
    body = camera_body(name="Spy")
    assert (
        browser.post(f"/api/v1/sites/{stack.room.site_a}/cameras", json=body, headers=csrf).status_code == 404
    )
    view = {"mode": "live", "start": "2026-01-01T00:00:00Z", "reason": "patrol"}
    assert browser.post(f"/api/v1/cameras/{camera['id']}/views", json=view, headers=csrf).status_code == 404
    register = browser.get("/api/v1/video-register", params=period_around(stack))
    assert register.status_code == 200
    assert register.json() == []
    assert len(stack.entries("camera.added")) == 1
    assert not stack.entries("camera.viewed")


def test_a_viewing_needs_a_reason_and_lands_in_the_register(stack: Stack) -> None:
    """Views are declared with a reason; a supervisor exports them; an operator may not read the register."""
    camera = add(stack, stack.room.site_a)
    browser, csrf = as_user(stack, "operator")
    url = f"/api/v1/cameras/{camera['id']}/views"
    missing = browser.post(
        url, json={"mode": "live", "start": "2026-01-01T00:00:00Z", "reason": " "}, headers=csrf
    )
    assert missing.status_code == 422
    assert "reason is required" in missing.json()["detail"]
    future = {
        "mode": "playback",
        "start": "2026-01-01T00:00:00Z",
        "end": "2999-01-01T00:00:00Z",
        "reason": "x",
    }
    assert browser.post(url, json=future, headers=csrf).status_code == 422
    now = stack.clock.now()
    live = {"mode": "live", "start": now.isoformat(), "reason": "alarm_verification"}
    assert browser.post(url, json=live, headers=csrf).status_code == 201
    playback = {
        "mode": "playback",
        "start": "2026-01-01T00:00:00+00:00",
        "end": "2026-01-01T00:05:00+00:00",
        "reason": "Requisition PV 2026/123",
    }
    answered = browser.post(url, json=playback, headers=csrf)
    assert answered.status_code == 201, answered.text
    assert answered.json()["user"] == "operator"
    period = period_around(stack)
    assert browser.get("/api/v1/video-register", params=period).status_code == 403
    supervisor_user = "super"
    stack.add_user(supervisor_user, "supervisor")
    supervisor, _ = as_user(stack, supervisor_user)
    lines = supervisor.get("/api/v1/video-register", params=period).json()
    assert [(x["user"], x["mode"], x["reason"]) for x in lines] == [
        ("operator", "live", "alarm_verification"),
        ("operator", "playback", "Requisition PV 2026/123"),
    ]
    assert lines[1]["start"].startswith("2026-01-01T00:00:00")
    assert (
        supervisor.get("/api/v1/video-register", params=period | {"to": "2000-01-01T00:00:00Z"}).status_code
        == 422
    )


@pytest.mark.parametrize(
    ("sent", "status", "recorded"),
    [
        ({"reason_kind": "alarm_verification"}, 201, "alarm_verification"),
        ({"reason_kind": "incident_investigation"}, 201, "incident_investigation"),
        ({"reason_kind": "requisition", "reason": "PN-2026-118"}, 201, "requisition PN-2026-118"),
        ({"reason_kind": "other", "reason": "check after a storm"}, 201, "check after a storm"),
        ({"reason": "incident_investigation"}, 201, "incident_investigation"),
        ({"reason": "check after a storm"}, 201, "check after a storm"),
        ({"reason_kind": "curiosity"}, 422, None),
        ({"reason_kind": "requisition"}, 422, None),
        ({"reason_kind": "other", "reason": "ab"}, 422, None),
        ({"reason": "ab"}, 422, None),
        ({"reason": "x" * 201}, 422, None),
        ({}, 422, None),
    ],
)
def test_a_viewings_reason_is_a_listed_kind_or_typed_text(
    stack: Stack, sent: dict[str, str], status: int, recorded: str | None
) -> None:
    """A kind from the list (a requisition with its reference, other with its text) or 3-200 characters
    typed; an unknown kind, a short or long text, or nothing: 422 and no entry."""
    camera = add(stack, stack.room.site_a)
    browser, csrf = as_user(stack, "operator")
    body = {"mode": "live", "start": stack.clock.now().isoformat(), **sent}
    answered = browser.post(f"/api/v1/cameras/{camera['id']}/views", json=body, headers=csrf)
    assert answered.status_code == status, answered.text
    reasons = [e["reason"] for e in stack.entries("camera.viewed")]
    assert reasons == ([] if recorded is None else [recorded])
