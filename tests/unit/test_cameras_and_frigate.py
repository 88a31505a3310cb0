"""The camera record's rules and Frigate's messages, read without I/O."""

from __future__ import annotations

import json
import uuid

import pytest
import structlog

from tocsin.domain.cameras import Camera
from tocsin.domain.errors import InvalidInput
from tocsin.protocols import frigate
from tocsin.receivers.frigate import SnapshotRefused, fetch_snapshot


def camera(**extra: object) -> Camera:
    return Camera(id=uuid.uuid4(), tenant_id=uuid.uuid4(), site_id=uuid.uuid4(), name="Gate", **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "extra",
    [
        {"retention_days": 31},
        {"retention_days": 0},
        {"bearing": 10.0},
        {"privacy_masks": (((0, 0), (1, 1), (1, 0), (0, 1)),)},
        {"privacy_masks": (((0, 0), (0.5, 0.5), (1, 1)),)},
        {"snapshot_url": "ftp://cam/snap.jpg"},
    ],
)
def test_incoherent_camera_records_are_refused(extra: dict[str, object]) -> None:
    """Retention outside 1..30, a partial field of view, a crossed or flat mask, a wrong scheme: refused."""
    with pytest.raises(InvalidInput):
        camera(**extra)


def test_masks_read_from_json_lists_become_tuples() -> None:
    """A mask stored as JSON lists comes back as tuples of points."""
    found = camera(privacy_masks=[[[0, 0], [0.5, 0], [0.5, 0.5]]])
    assert found.privacy_masks == (((0.0, 0.0), (0.5, 0.0), (0.5, 0.5)),)


def test_only_new_people_and_vehicles_are_detections() -> None:
    """A new person is read; an update, a dog, a false positive and garbage are not."""
    after = {"id": "e1", "camera": "gate", "label": "person", "score": 0.8, "start_time": 1.0}
    message = {"type": "new", "after": after}
    assert frigate.read_event(json.dumps(message).encode()) == frigate.Detection(
        "e1", "gate", "person", 0.8, 1.0, ()
    )
    assert frigate.read_event(json.dumps(message | {"type": "update"}).encode()) is None
    assert frigate.read_event(json.dumps({"type": "new", "after": after | {"label": "dog"}}).encode()) is None
    assert (
        frigate.read_event(json.dumps({"type": "new", "after": after | {"false_positive": True}}).encode())
        is None
    )
    assert frigate.read_event(b"\xff") is None


def test_camera_status_topics_are_read() -> None:
    """`frigate/<cam>/status/<role>` with online/offline/disabled is a status; other topics are not."""
    assert frigate.read_status("frigate", "frigate/gate/status/detect", b"offline") == frigate.CameraStatus(
        "gate", "detect", "offline"
    )
    assert frigate.read_status("frigate", "frigate/gate/motion", b"ON") is None
    assert frigate.read_status("frigate", "frigate/gate/status/detect", b"weird") is None


def _review(kind: str = "new", severity: str = "alert", **data: object) -> bytes:
    after = {
        "id": "1718987129.308396-fqk5ka",
        "camera": "gate",
        "start_time": 1718987129.308396,
        "end_time": None if kind != "end" else 1718987140.5,
        "severity": severity,
        "thumb_path": "/media/frigate/clips/review/thumb-gate-1718987129.308396-fqk5ka.webp",
        "data": {
            "detections": ["1718987128.947436-g92ztx", "1718987129.1-abc"],
            "objects": ["person-verified", "dog"],
            "sub_labels": [],
            "zones": ["yard"],
            "audio": [],
        }
        | data,
    }
    return json.dumps({"type": kind, "before": after, "after": after}).encode()


@pytest.mark.parametrize("kind", ["new", "update", "end"])
def test_an_alert_review_with_a_person_is_read_whatever_its_type(kind: str) -> None:
    """new, update and end of an alert holding a person: its id, camera, objects (``-verified``
    dropped), zones and tracked objects' ids."""
    found = frigate.read_review(_review(kind))
    assert found is not None
    assert (found.kind, found.review_id, found.camera) == (kind, "1718987129.308396-fqk5ka", "gate")
    assert found.objects == ("person", "dog")
    assert found.label == "person"
    assert found.zones == ("yard",)
    assert found.detections == ("1718987128.947436-g92ztx", "1718987129.1-abc")
    assert (found.end_time is None) == (kind != "end")


def test_a_detection_review_and_an_alert_without_people_or_vehicles_are_not_read() -> None:
    """Severity ``detection`` is Frigate's "worth a look", not an alarm; an alert of a dog is not ours."""
    with structlog.testing.capture_logs() as logs:
        assert frigate.read_review(_review(severity="detection")) is None
        assert frigate.read_review(_review(objects=["dog", "cat"])) is None
        assert frigate.read_review(_review(objects=["truck"])) is not None
    assert logs == []  # nothing wrong with them: not logged


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"\xff\xfe",
        b"null",
        b"[]",
        json.dumps({"type": "new"}).encode(),
        json.dumps({"type": "new", "after": []}).encode(),
        json.dumps({"type": "new", "after": {"id": "r", "camera": "gate"}}).encode(),
        json.dumps({"type": "gone", "after": {"id": "r", "camera": "gate", "start_time": 1}}).encode(),
        json.dumps({"type": "new", "after": {"id": "r", "camera": "g", "start_time": "x"}}).encode(),
        json.dumps({"type": "new", "after": {"id": "r", "camera": "g", "start_time": 1, "data": 3}}).encode(),
        b" " * (frigate.MAX_MESSAGE + 1),
    ],
)
def test_a_malformed_or_oversize_review_is_none_and_logged(payload: bytes) -> None:
    """Not Frigate's JSON, a missing field, a wrong type or more than MAX_MESSAGE bytes: None, a log line,
    never an exception."""
    with structlog.testing.capture_logs() as logs:
        assert frigate.read_review(payload) is None
    assert [e["event"] for e in logs] == ["frigate.review_unreadable"]


def test_a_review_s_lists_are_bounded() -> None:
    """A hundred tracked objects or zones are cut (the alert is still read), long ids shortened."""
    found = frigate.read_review(
        _review(detections=[f"{i}-{'x' * 150}" for i in range(120)], zones=[f"z{i}" for i in range(100)])
    )
    assert found is not None
    assert len(found.detections) == frigate.MAX_IDS
    assert all(len(d) <= 100 for d in found.detections)
    assert len(found.zones) == 16


def test_frigate_availability_is_read() -> None:
    """``online`` and ``offline`` (any case, spaces) are read; anything else is None."""
    assert frigate.read_available(b"online") == "online"
    assert frigate.read_available(b" Offline\n") == "offline"
    assert frigate.read_available(b"maybe") is None
    assert frigate.read_available(b"") is None


@pytest.mark.parametrize(
    ("content_type", "body", "problem"),
    [
        ("image/jpeg", b"\xff\xd8\xff\xe0 a picture", ""),
        ("image/jpeg; charset=binary", b"\xff\xd8\xff\xdb", ""),
        ("text/html", b"\xff\xd8\xff\xe0", "not image/jpeg"),
        ("", b"\xff\xd8\xff\xe0", "no content type"),
        ("image/jpeg", b"<html>", "not a JPEG"),
        ("image/jpeg", b"\xff\xd8\xff" + b"\0" * 10, "larger than 8 bytes"),
    ],
)
def test_a_snapshot_answer_is_kept_only_as_a_jpeg_within_the_limit(
    content_type: str, body: bytes, problem: str
) -> None:
    """The content type, the size read (one byte past the limit tells) and the JPEG's first bytes."""
    found = frigate.snapshot_problem(content_type, body, limit=8 if problem.startswith("larger") else 100)
    assert (problem in found) if problem else found == ""


def test_a_snapshot_address_that_is_not_http_is_refused_before_any_request() -> None:
    """file://, ftp://: refused without opening anything."""
    for url in ("file:///etc/passwd", "ftp://frigate/x.jpg"):
        with pytest.raises(SnapshotRefused, match="not http"):
            fetch_snapshot(url)
