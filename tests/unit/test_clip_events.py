"""The clip events share one base class: a ``clip.attached`` and a ``clip.purged`` entry keep the data,
subjects, site and client, and hash they had when each class repeated the fields (golden values computed
by the code before the base class)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from tests.unit.test_logbook_hash import ENTRY
from tocsin.domain.clips import ClipAttached, ClipPurged
from tocsin.domain.events import Event
from tocsin.protocols.canonical_json import canonical_json
from tocsin.services import logbook

IDS = {
    "tenant_id": UUID("5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e"),
    "alarm_id": UUID("0192f0a1-7c3e-7d40-8a1b-000000000001"),
    "site_id": UUID("0192f0a1-7c3e-7d40-8a1b-000000000002"),
    "client_id": UUID("0192f0a1-7c3e-7d40-8a1b-000000000003"),
    "camera_id": UUID("0192f0a1-7c3e-7d40-8a1b-000000000004"),
    "clip_id": UUID("0192f0a1-7c3e-7d40-8a1b-000000000005"),
}
START = datetime(2026, 11, 30, 21, 0, 0, 250000, tzinfo=UTC)
END = datetime(2026, 11, 30, 21, 0, 30, tzinfo=UTC)
ATTACHED = ClipAttached(
    tenant_id=IDS["tenant_id"],
    alarm_id=IDS["alarm_id"],
    site_id=IDS["site_id"],
    client_id=IDS["client_id"],
    camera_id=IDS["camera_id"],
    clip_id=IDS["clip_id"],
    name="Gate",
    start=START,
    end=END,
    sha256="ab" * 32,
)
PURGED = ClipPurged(
    tenant_id=IDS["tenant_id"],
    alarm_id=IDS["alarm_id"],
    site_id=IDS["site_id"],
    client_id=IDS["client_id"],
    camera_id=IDS["camera_id"],
    clip_id=IDS["clip_id"],
    name="Gate",
    start=START,
    end=END,
    sha256="ab" * 32,
    retention_days=15,
)
GOLDEN_DATA = {
    "clip.attached": (
        '{"alarm_id":"0192f0a1-7c3e-7d40-8a1b-000000000001","camera_id":"0192f0a1-7c3e-7d40-8a1b-000000000004",'
        '"client_id":"0192f0a1-7c3e-7d40-8a1b-000000000003","clip_id":"0192f0a1-7c3e-7d40-8a1b-000000000005",'
        '"end":"2026-11-30T21:00:30+00:00","name":"Gate",'
        '"sha256":"abababababababababababababababababababababababababababababababab",'
        '"site_id":"0192f0a1-7c3e-7d40-8a1b-000000000002","start":"2026-11-30T21:00:00.250000+00:00",'
        '"tenant_id":"5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e"}'
    ),
    "clip.purged": (
        '{"alarm_id":"0192f0a1-7c3e-7d40-8a1b-000000000001","camera_id":"0192f0a1-7c3e-7d40-8a1b-000000000004",'
        '"client_id":"0192f0a1-7c3e-7d40-8a1b-000000000003","clip_id":"0192f0a1-7c3e-7d40-8a1b-000000000005",'
        '"end":"2026-11-30T21:00:30+00:00","name":"Gate","retention_days":15,'
        '"sha256":"abababababababababababababababababababababababababababababababab",'
        '"site_id":"0192f0a1-7c3e-7d40-8a1b-000000000002","start":"2026-11-30T21:00:00.250000+00:00",'
        '"tenant_id":"5f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e"}'
    ),
}
GOLDEN_HASH = {
    "clip.attached": "a056e3b0e10fe4fc46b0d66d8b55306debda75ea6f50fdf0bd85f3064bf4ef02",
    "clip.purged": "c56af59c52eeedbc19f681139627cb0b537fc89a82f985f8fb650afc75376221",
}


def _entry_hash(event: Event) -> str:
    site_id, client_id = event.site_and_client()
    data = event.to_data()
    entry = replace(
        ENTRY,
        kind=event.KIND,
        message=event.MESSAGE,
        params=data,
        data=data,
        subjects=event.subjects(),
        site_id=site_id,
        client_id=client_id,
    )
    return logbook.entry_hash(entry)


def test_each_clip_entry_keeps_its_data_and_hash() -> None:
    """Same canonical JSON, subjects, site and client, and entry hash as before the shared base class."""
    for event in (ATTACHED, PURGED):
        assert canonical_json(event.to_data()).decode() == GOLDEN_DATA[event.KIND], event.KIND
        assert [(s.kind, s.id) for s in event.subjects()] == [
            ("alarm", str(IDS["alarm_id"])),
            ("camera", str(IDS["camera_id"])),
            ("site", str(IDS["site_id"])),
        ]
        assert event.site_and_client() == (IDS["site_id"], IDS["client_id"])
        assert _entry_hash(event) == GOLDEN_HASH[event.KIND], event.KIND
        assert type(event).from_data(event.to_data()) == event
