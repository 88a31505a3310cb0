"""The camera record's rules and Frigate's messages, read without I/O."""

from __future__ import annotations

import json
import uuid

import pytest

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
