"""ACK, NAK, DUH and RSP are themselves valid DC-09 frames that echo the right fields."""

from __future__ import annotations

import pytest

from tests.unit.protocols.dc09_support import KEYS, NOW, fixed_key
from tocsin.protocols.dc09 import UnknownKey, ack, crc16, decode, duh, encode, nak, rsp


def _frame(*, key: bytes | None = None, timestamp: bool = True, extended: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    raw = encode(
        "SIA-DCS",
        "0317",
        "12345A",
        "Nri1/BA501",
        receiver="579BDF",
        line="789ABC",
        extended=extended,
        timestamp=NOW if timestamp or key else None,
        key=key,
    )
    return decode(raw, fixed_key(key))


def _echoes(answer_raw: bytes, token: str, *, key: bytes | None = None):  # type: ignore[no-untyped-def]
    answer = decode(answer_raw, fixed_key(key))
    assert answer.id_token == token
    assert (answer.sequence, answer.receiver, answer.line, answer.account) == (
        "0317",
        "579BDF",
        "789ABC",
        "12345A",
    )
    return answer


def test_plain_ack_echoes_header_and_carries_time() -> None:
    """A plain ACK echoes sequence, receiver, line and account, with the receiver's time."""
    answer = _echoes(ack(_frame(), NOW), "ACK")
    assert answer.encrypted is False
    assert answer.timestamp == NOW
    assert answer.data == ""


def test_plain_ack_without_timestamp_when_frame_had_none() -> None:
    """A frame without timestamp gets an ACK without timestamp, as such panels expect."""
    answer = _echoes(ack(_frame(timestamp=False), NOW), "ACK")
    assert answer.timestamp is None


@pytest.mark.parametrize("bits", [128, 192, 256])
def test_encrypted_ack(bits: int) -> None:
    """An encrypted frame gets an encrypted *ACK with the receiver's time, readable with the same key."""
    raw = ack(_frame(key=KEYS[bits]), NOW, KEYS[bits])
    assert raw[9:15] == b'"*ACK"'
    answer = _echoes(raw, "ACK", key=KEYS[bits])
    assert answer.encrypted is True
    assert answer.timestamp == NOW


def test_encrypted_ack_needs_the_key() -> None:
    """Acknowledging an encrypted frame without its key is refused rather than sent in clear."""
    with pytest.raises(UnknownKey):
        ack(_frame(key=KEYS[128]), NOW)


def test_nak_is_plain_with_receiver_time() -> None:
    """The NAK is the standard's plain "NAK"0000R0L0A0[] with the receiver's time."""
    raw = nak(NOW)
    assert raw == encode_nak_text()
    answer = decode(raw)
    assert (answer.id_token, answer.encrypted, answer.sequence, answer.account) == ("NAK", False, "0000", "0")
    assert answer.timestamp == NOW


def encode_nak_text() -> bytes:
    """The expected NAK bytes, built by hand from the standard's layout."""
    message = b'"NAK"0000R0L0A0[]_12:30:45,03-01-2024'
    return b"\n%04X%04X%s\r" % (crc16(message), len(message), message)


def test_duh_echoes_decoded_frame() -> None:
    """A DUH for a decoded frame echoes its header and is never encrypted."""
    answer = _echoes(duh(_frame(key=KEYS[128])), "DUH")
    assert answer.encrypted is False


def test_duh_reads_header_from_raw_bytes() -> None:
    """A DUH for an undecodable frame echoes what can be read of its header."""
    raw = encode(
        "SIA-DCS", "0317", "12345A", "x", receiver="579BDF", line="789ABC", timestamp=NOW, key=KEYS[128]
    )
    _echoes(duh(None, raw), "DUH")


def test_duh_for_unreadable_bytes() -> None:
    """A DUH for garbage is a valid frame with sequence 0000 and account 0."""
    answer = decode(duh(None, b"\x00garbage"))
    assert (answer.id_token, answer.sequence, answer.account) == ("DUH", "0000", "0")
    assert decode(duh(None)).id_token == "DUH"


@pytest.mark.parametrize("key", [None, KEYS[256]])
def test_rsp_answers_key_change(key: bytes | None) -> None:
    """A [K…] frame gets an RSP echoing the K block, encrypted when the frame was."""
    frame = _frame(key=key, extended=("K00112233445566778899AABBCCDDEEFF",))
    answer = _echoes(rsp(frame, NOW, key), "RSP", key=key)
    assert answer.extended == ("K00112233445566778899AABBCCDDEEFF",)
    assert answer.encrypted is (key is not None)
