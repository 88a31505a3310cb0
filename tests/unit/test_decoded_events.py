"""Decoded events are typed values (frozen, slotted) that keep their stored JSON form."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tocsin.domain.signals import DecodedEvent, Signal
from tocsin.protocols import dc09
from tocsin.services.intake import classify, parse_events

STAMP = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _events(token: str, data: str) -> tuple[DecodedEvent, ...]:
    events, problem = parse_events(dc09.decode(dc09.encode(token, 1, "1234", data, timestamp=STAMP)))
    assert problem is None
    return events


def test_contact_id_and_sia_frames_decode_to_frozen_classified_events() -> None:
    """A Contact ID burglary and two SIA events come out as DecodedEvent values, classified."""
    (burglary,) = _events("ADM-CID", "1130 01 015")
    assert (burglary.protocol, burglary.code, burglary.qualifier, burglary.zone) == (
        "contact-id",
        "130",
        "new",
        "015",
    )
    assert (burglary.alarm_class, burglary.restore) == ("intrusion", False)
    alarm, restore = _events("SIA-DCS", "Nri1/BA501/BR501")
    assert (alarm.code, alarm.partition, alarm.qualifier, restore.restore) == ("BA", "1", None, True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        burglary.code = "110"  # type: ignore[misc]
    assert not hasattr(burglary, "__dict__")


def test_a_recurring_payload_is_parsed_once_and_read_the_same() -> None:
    """Events are parsed once per payload (a bounded cache): the same payload gives the same events, a
    payload not understood gives its problem each time, and the cache stops at its bound."""
    first, second = _events("ADM-CID", "3401 02 007"), _events("ADM-CID", "3401 02 007")
    assert first == second
    assert (first[0].code, first[0].qualifier, first[0].zone) == ("401", "restore", "007")
    bad = dc09.decode(dc09.encode("ADM-CID", 1, "1234", "9130 01 015", timestamp=STAMP))
    for _ in range(2):
        events, problem = parse_events(bad)
        assert events == ()
        assert problem is not None
        assert "qualifier" in problem
    for n in range(classify.PAYLOADS_REMEMBERED + 10):
        classify.events_of("ADM-CID", f"1130 01 {n % 1000:03d}{n // 1000}")
    assert classify.events_of.cache_info().currsize == classify.PAYLOADS_REMEMBERED


def test_the_stored_form_is_unchanged_and_reads_back_equal() -> None:
    """to_json gives the keys stored before (``class``, no qualifier for SIA); a Signal built from that
    form holds the same typed events, which still read like the mapping."""
    (burglary,) = _events("ADM-CID", "1130 01 015")
    (sia,) = _events("SIA-DCS", "Nri1/BA501")
    stored = burglary.to_json()
    assert list(stored) == [
        "protocol", "code", "qualifier", "partition", "zone", "class", "label_en", "label_fr", "restore",
    ]  # fmt: skip
    assert "qualifier" not in sia.to_json()
    signal = Signal(uuid4(), STAMP, "n1", "tcp:9000", "raw", "ACK", events=(stored, sia.to_json()))  # type: ignore[arg-type]
    assert signal.events == (burglary, sia)
    assert signal.events[0]["class"] == "intrusion"
    assert dict(signal.events[1]) == sia.to_json()


@given(
    protocol=st.sampled_from(["contact-id", "sia-dcs"]),
    text=st.text(max_size=12),
    restore=st.booleans(),
    qualifier=st.none() | st.sampled_from(["new", "restore", "status"]),
)
def test_any_event_survives_its_stored_form(
    protocol: str, text: str, restore: bool, qualifier: str | None
) -> None:
    """to_json then from_json gives back an equal event, and the mapping view equals the stored form."""
    event = DecodedEvent(protocol, text, text, text, "other", text, text, restore, qualifier)  # type: ignore[arg-type]
    assert DecodedEvent.from_json(event.to_json()) == event
    assert dict(event) == event.to_json()
