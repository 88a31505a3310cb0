"""Requisitions, exports and the register through the API, on SQLite and PostgreSQL, over a real clip cut
from a real stream and the node's real key: a supervisor enters a requisition, exports the camera's
footage against it (MP4, custody sheet, signed manifest), downloads the zip, whose files verify, records
the delivery; an export without a reason or requisition is refused (422) with nothing written; the
register lists the export and filters by camera and user, as JSON and CSV; operators and clients are
refused (403), another site's supervisor gets 404; every change is its logbook entry."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_support import Stack, console_csrf, make_stack
from tests.integration.test_api_clips import _alarm_with_clip
from tocsin.bootstrap import create_signing_key


@pytest.fixture
def stack(tmp_path: Path, fresh_db_url: str) -> Iterator[Stack]:
    """The app on each database, with a room, users (a supervisor, one over site B only) and the key."""
    for made in make_stack(tmp_path, fresh_db_url):
        create_signing_key(made.node.settings)
        made.add_user("super", "supervisor")
        made.add_user("super-a", "supervisor", site_ids=(made.room.site_a,))
        yield made


def _clip(stack: Stack) -> Any:
    """A clip of a camera of site B around an alarm there (real footage); the clock then after it."""
    _alarm, stored = _alarm_with_clip(stack)
    if stack.clock.now() < stored.end + timedelta(minutes=1):
        stack.clock.set(stored.end + timedelta(minutes=1))
    return stored


def as_user(stack: Stack, username: str) -> tuple[TestClient, dict[str, str]]:
    browser = stack.session(username)
    return browser, {"X-CSRF-Token": console_csrf(browser)}


def _requisition(browser: TestClient, csrf: dict[str, str], camera_id: str, **extra: Any) -> dict[str, Any]:
    response = browser.post(
        "/api/v1/video/requisitions",
        json={
            "authority": "Police nationale, Valmont",
            "reference": "PN-2026-118",
            "received_at": "2026-12-01T08:00:00Z",
            "request": "Gate camera, the night of the burglary",
            "camera_ids": [camera_id],
            "asked_from": "2026-11-30T22:00:00Z",
            "asked_to": "2026-12-01T02:00:00Z",
            **extra,
        },
        headers=csrf,
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def _export_body(stored: Any, **extra: Any) -> dict[str, Any]:
    return {
        "camera_id": str(stored.camera_id),
        "from": (stored.start - timedelta(seconds=5)).isoformat(),
        "to": (stored.end + timedelta(seconds=5)).isoformat(),
        **extra,
    }


def test_a_supervisor_exports_against_a_requisition_and_downloads_it(stack: Stack, tmp_path: Path) -> None:
    """Requisition, export, list, download (files verify), delivery, the register and every entry."""
    stored = _clip(stack)
    browser, csrf = as_user(stack, "super")
    requisition = _requisition(browser, csrf, str(stored.camera_id))
    assert requisition["camera_ids"] == [str(stored.camera_id)]
    assert requisition["delivered_at"] is None
    made = browser.post(
        "/api/v1/video/exports", json=_export_body(stored, requisition_id=requisition["id"]), headers=csrf
    )
    assert made.status_code == 201, made.text
    export = made.json()
    assert export["files"] == ["clip.mp4", "custody.pdf", "manifest.json", "manifest.sig.json"]
    assert export["reason"] == "Police nationale, Valmont PN-2026-118"
    assert export["exported_by"] == "super"
    assert export["frames"] > 0
    listed = browser.get("/api/v1/video/exports").json()
    assert [x["id"] for x in listed] == [export["id"]]

    zipped = browser.get(f"/api/v1/video/exports/{export['id']}/download")
    assert zipped.status_code == 200, zipped.text
    assert zipped.headers["content-type"] == "application/zip"
    out = tmp_path / "downloaded"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        archive.extractall(out)
    folder = out / f"export-{export['id']}"
    assert sorted(p.name for p in folder.iterdir()) == sorted(export["files"])
    assert stack.node.verify_export(folder) == []
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["requisition"]["reference"] == "PN-2026-118"
    assert manifest["export_id"] == export["id"]

    delivered = browser.patch(
        f"/api/v1/video/requisitions/{requisition['id']}",
        json={"note": "USB key to Cpt. Martin"},
        headers=csrf,
    )
    assert delivered.status_code == 200, delivered.text
    assert delivered.json()["delivery_note"] == "USB key to Cpt. Martin"
    again = browser.patch(f"/api/v1/video/requisitions/{requisition['id']}", json={}, headers=csrf)
    assert again.status_code == 409
    twice = browser.post(
        "/api/v1/video/requisitions",
        json={"authority": "X", "reference": "PN-2026-118", "received_at": "2026-12-01T08:00:00Z"},
        headers=csrf,
    )
    assert twice.status_code == 409

    (exported,) = stack.entries("clip.exported")
    assert exported["export_id"] == export["id"]
    assert exported["requisition_id"] == requisition["id"]
    assert len(stack.entries("requisition.recorded")) == 1
    assert [e["note"] for e in stack.entries("requisition.delivered")] == ["USB key to Cpt. Martin"]
    assert [e["user"] for e in stack.entries("export.downloaded")] == ["super"]
    assert [e["hold"] for e in stack.entries("clip.held")] == ["PN-2026-118"]


def test_the_register_lists_views_and_exports_filtered_as_json_and_csv(stack: Stack) -> None:
    """A playback and an export are lines; filtering by camera or user keeps the right ones; CSV too."""
    stored = _clip(stack)
    operator, op_csrf = as_user(stack, "operator")
    viewed = operator.post(
        f"/api/v1/cameras/{stored.camera_id}/views",
        json={
            "mode": "playback",
            "start": stored.start.isoformat(),
            "end": stored.end.isoformat(),
            "reason": "alarm_verification",
        },
        headers=op_csrf,
    )
    assert viewed.status_code == 201, viewed.text
    browser, csrf = as_user(stack, "super")
    made = browser.post(
        "/api/v1/video/exports", json=_export_body(stored, reason="theft at the gate"), headers=csrf
    )
    assert made.status_code == 201, made.text
    assert made.json()["requisition_id"] is None
    now = stack.clock.now()
    period = {"from": (now - timedelta(days=1)).isoformat(), "to": (now + timedelta(days=1)).isoformat()}
    lines = browser.get("/api/v1/video/register", params=period).json()
    assert [(x["mode"], x["user"], x["reason"]) for x in lines] == [
        ("playback", "operator", "alarm_verification"),
        ("export", "super", "theft at the gate"),
    ]
    assert all(x["camera_id"] == str(stored.camera_id) for x in lines)
    mine = browser.get("/api/v1/video/register", params={**period, "user": "super"}).json()
    assert [x["mode"] for x in mine] == ["export"]
    other = browser.get(
        "/api/v1/video/register", params={**period, "camera": str(stack.clock.new_id())}
    ).json()
    assert other == []
    table = browser.get("/api/v1/video/register.csv", params=period)
    assert table.status_code == 200
    assert table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert [r["mode"] for r in rows] == ["playback", "export"]
    assert rows[1]["reason"] == "theft at the gate"


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ({}, "needs a reason or a requisition"),
        ({"reason": "  "}, "needs a reason or a requisition"),
        ({"reason": "ab"}, "3 to 200 characters"),
        ({"reason": "x" * 201}, "3 to 200 characters"),
    ],
)
def test_an_export_without_a_reason_or_requisition_is_refused(
    stack: Stack, extra: dict[str, Any], needle: str
) -> None:
    """422 naming what is missing; no file, no record, no entry."""
    stored = _clip(stack)
    browser, csrf = as_user(stack, "super")
    refused = browser.post("/api/v1/video/exports", json=_export_body(stored, **extra), headers=csrf)
    assert refused.status_code == 422, refused.text
    assert needle in refused.text
    assert browser.get("/api/v1/video/exports").json() == []
    assert stack.entries("clip.exported") == []
    exports = stack.node.exports_folder
    assert not exports.exists() or not any(exports.iterdir())


def test_an_export_where_no_footage_is_kept_is_refused(stack: Stack) -> None:
    """A time range with no clip: 422 saying footage is kept around alarms."""
    stored = _clip(stack)
    browser, csrf = as_user(stack, "super")
    body = _export_body(stored, reason="theft at the gate")
    body["from"] = (stored.start - timedelta(hours=3)).isoformat()
    body["to"] = (stored.start - timedelta(hours=2)).isoformat()
    refused = browser.post("/api/v1/video/exports", json=body, headers=csrf)
    assert refused.status_code == 422
    assert "footage is kept around alarms" in refused.text


def test_operators_and_clients_are_refused_and_another_sites_supervisor_gets_404(stack: Stack) -> None:
    """Operators: 403 on every route (no export control for them); client: 403; a supervisor over site A
    does not see site B's camera, export or register lines."""
    stored = _clip(stack)  # on site B
    browser, csrf = as_user(stack, "super")
    made = browser.post(
        "/api/v1/video/exports", json=_export_body(stored, reason="theft at the gate"), headers=csrf
    )
    assert made.status_code == 201, made.text
    export_id = made.json()["id"]
    for username in ("operator", "client-a"):
        other, other_csrf = as_user(stack, username)
        assert other.get("/api/v1/video/exports").status_code == 403
        assert other.get("/api/v1/video/requisitions").status_code == 403
        assert other.get("/api/v1/video/register").status_code == 403
        assert other.get(f"/api/v1/video/exports/{export_id}/download").status_code == 403
        posted = other.post(
            "/api/v1/video/exports", json=_export_body(stored, reason="curious"), headers=other_csrf
        )
        assert posted.status_code == 403
    site_a, a_csrf = as_user(stack, "super-a")
    assert site_a.get("/api/v1/video/exports").json() == []
    assert site_a.get(f"/api/v1/video/exports/{export_id}/download").status_code == 404
    refused = site_a.post(
        "/api/v1/video/exports", json=_export_body(stored, reason="theft at the gate"), headers=a_csrf
    )
    assert refused.status_code == 404
    assert site_a.get("/api/v1/video/register").json() == []
    assert len(stack.entries("clip.exported")) == 1
