"""DC-09 interoperability with independent implementations: dc09-spt (a panel) and pysiaalarm (a receiver).

No sockets here: each peer's own message-building and parsing code is called directly, so these tests
check the wire format byte for byte; test_interop_sockets.py drives the same peers over TCP and UDP.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

pysiaalarm = pytest.importorskip("pysiaalarm")
dc09_spt_msg = pytest.importorskip("dc09_spt.msg")

from dc09_spt.msg import dc03_msg, dc05_msg, dc09_msg  # noqa: E402
from pysiaalarm import SIAAccount, SIAEvent  # noqa: E402
from pysiaalarm.event import NAKEvent  # noqa: E402

from tocsin.protocols import contact_id, sia_dcs  # noqa: E402
from tocsin.protocols.dc09 import FormatError, Frame, ack, decode, encode, nak  # noqa: E402

STAMP = datetime(2024, 3, 1, 12, 30, 45, tzinfo=UTC)
ACCOUNT = "12AB"
# pysiaalarm takes the key as a string of hex characters and uses those characters' bytes as the key.
PYSIA_KEYS = {128: "0123456789ABCDEF", 192: "0123456789ABCDEF01234567", 256: "0123456789ABCDEF" * 2}


def _pysia(raw: bytes, key: str | None = None, *, timeband: tuple[int, int] | None = None) -> SIAEvent:
    """Parse a frame the way pysiaalarm's servers do: strip LF/CR, then SIAEvent.from_line."""
    account = SIAAccount(ACCOUNT, key, allowed_timeband=timeband)
    event = SIAEvent.from_line(raw.decode("ascii").strip(), {ACCOUNT: account})
    assert isinstance(event, SIAEvent)
    return event


# ------------------------------------------------------------------ dc09-spt (panel) → our decoder


@pytest.mark.parametrize("sequence", [1, 9])
def test_dc09_spt_sia_dcs_frame_decodes(sequence: int) -> None:
    """A SIA DCS frame built by dc09-spt (dc03event + dc09block) decodes to the same fields."""
    payload = dc03_msg.dc03event(ACCOUNT, {"code": "FA", "area": "1", "zone": "501"})
    raw = dc09_msg(ACCOUNT, receiver=0x12, line=3).dc09block(sequence, "SIA-DCS", payload).encode()
    frame = decode(raw)
    assert (frame.id_token, frame.sequence, frame.receiver, frame.line) == (
        "SIA-DCS",
        f"{sequence:04d}",
        "12",
        "3",
    )
    assert frame.account == ACCOUNT
    (event,) = sia_dcs.parse(frame.data, account=frame.account)
    assert (event.code, event.partition, event.zone_or_user) == ("FA", "1", "501")


def test_dc09_spt_opening_by_user_decodes() -> None:
    """dc09-spt puts the user after user-related codes (OP) and the area after area codes (BA)."""
    payload = dc03_msg.dc03event(ACCOUNT, {"code": "OP", "area": "2", "user": "7", "time": "10:23"})
    frame = decode(dc09_msg(ACCOUNT, line=0).dc09block(2, "SIA-DCS", payload).encode())
    (event,) = sia_dcs.parse(frame.data, account=frame.account)
    assert (event.code, event.zone_or_user, event.partition, event.time) == ("OP", "7", "2", "10:23")


def test_dc09_spt_contact_id_frame_decodes() -> None:
    """A Contact ID frame built by dc09-spt (dc05event + dc09block) decodes to the same event."""
    payload = dc05_msg.dc05event(ACCOUNT, {"code": "130", "q": "3", "area": "2", "zone": "15"})
    raw = dc09_msg(ACCOUNT, line=0).dc09block(7, "ADM-CID", payload).encode()
    frame = decode(raw)
    assert (frame.id_token, frame.sequence, frame.receiver, frame.line) == ("ADM-CID", "0007", None, "0")
    event = contact_id.parse(frame.data, account=frame.account)
    assert event == contact_id.ContactIdEvent(ACCOUNT, "restore", "130", "02", "015")


def test_dc09_spt_null_poll_decodes() -> None:
    """dc09-spt's link-test poll (NULL) decodes, with empty data."""
    frame = decode(dc09_msg(ACCOUNT, line=0).dc09poll().encode())
    assert (frame.id_token, frame.data, frame.sequence) == ("NULL", "", "0000")


def test_dc09_spt_hex_sequence_beyond_nine_needs_its_profile() -> None:
    """dc09-spt writes sequence numbers in hex: 10 becomes "000A", not DC-09's 4 decimal digits.

    The default decoder refuses such a frame rather than guess; the ``hex-sequence`` profile (named on
    the panel's account) reads it, and the ACK echoing "000A" satisfies dc09-spt's answer check.
    """
    block = dc09_msg(ACCOUNT, line=0)
    raw = block.dc09block(10, "SIA-DCS", dc03_msg.dc03event(ACCOUNT, {"code": "RP"})).encode()
    with pytest.raises(FormatError):
        decode(raw)
    frame = decode(raw, profile="hex-sequence")
    assert frame.sequence == "000A"
    assert dc09_msg(ACCOUNT).dc09answer(10, ack(frame, STAMP).decode())[0] == "ACK"


def test_dc09_spt_accepts_our_ack_and_reads_our_nak() -> None:
    """dc09-spt's answer checker (length, CRC, sequence) accepts our ACK, and reads our NAK's time."""
    block = dc09_msg(ACCOUNT, receiver=1, line=2)
    frame = decode(block.dc09block(5, "SIA-DCS", dc03_msg.dc03event(ACCOUNT, {"code": "RP"})).encode())
    assert block.dc09answer(5, ack(frame, STAMP).decode())[0] == "ACK"
    answer, offset = block.dc09answer(5, nak(STAMP).decode())
    assert answer == "NAK"
    assert offset is not None


def test_dc09_spt_cannot_encrypt() -> None:
    """dc09-spt cannot build encrypted frames: it was written for the unmaintained pycrypto and fails on
    pycryptodome. Encrypted interop is covered by pysiaalarm below and the standard's encrypted example
    in tests/fixtures/dc09/golden.json."""
    with pytest.raises(TypeError):
        dc09_msg(ACCOUNT, key=b"0123456789ABCDEF").dc09block(1, "SIA-DCS", "#12AB|NRP]")


# ------------------------------------------------------------------ our encoder → pysiaalarm (receiver)


@pytest.mark.parametrize("bits", [None, 128, 192, 256])
def test_pysiaalarm_reads_our_sia_dcs(bits: int | None) -> None:
    """pysiaalarm parses our SIA-DCS frames (plain and encrypted) to the same fields as our decoder."""
    key = PYSIA_KEYS[bits] if bits else None
    raw = encode(
        "SIA-DCS",
        42,
        ACCOUNT,
        "Nri1/BA501",
        receiver="5",
        line="0",
        extended=("X002E12345",),
        timestamp=STAMP,
        key=key.encode() if key else None,
    )
    ours = decode(raw, lambda *_: key.encode() if key else None)
    theirs = _pysia(raw, key)
    assert theirs.valid_message
    (event,) = sia_dcs.parse(ours.data, account=ours.account)
    assert (theirs.message_type.value, theirs.encrypted) == (ours.id_token, ours.encrypted)
    assert (theirs.sequence, theirs.receiver, theirs.line, theirs.account) == (
        "0042",
        "R5",
        "L0",
        ours.account,
    )
    assert (theirs.code, theirs.ri, theirs.message) == (event.code, event.partition, event.zone_or_user)
    assert theirs.timestamp == ours.timestamp == STAMP
    assert theirs.x_data == ours.extended[0]


@pytest.mark.parametrize("bits", [None, 128, 256])
def test_pysiaalarm_reads_our_contact_id(bits: int | None) -> None:
    """pysiaalarm parses our ADM-CID frames to the same qualifier, code, partition and zone as ours."""
    key = PYSIA_KEYS[bits] if bits else None
    raw = encode(
        "ADM-CID",
        7,
        ACCOUNT,
        "3130 02 015",
        receiver="5",
        line="0",
        timestamp=STAMP,
        key=key.encode() if key else None,
    )
    ours = contact_id.parse(decode(raw, lambda *_: key.encode() if key else None).data)
    theirs = _pysia(raw, key)
    assert theirs.valid_message
    assert (theirs.event_qualifier, theirs.event_type, theirs.partition, theirs.ri) == (
        "3",
        ours.code,
        "02",
        "015",
    )
    assert ours.qualifier == "restore"
    assert theirs.code == "BH"  # pysiaalarm's own mapping of a 130 restore (BH, "burglary restore")


@pytest.mark.parametrize("bits", [None, 192])
def test_pysiaalarm_reads_our_null_poll(bits: int | None) -> None:
    """pysiaalarm parses our NULL polls (it reports them as code RP)."""
    key = PYSIA_KEYS[bits] if bits else None
    raw = encode(
        "NULL", 3, ACCOUNT, "", receiver="5", line="0", timestamp=STAMP, key=key.encode() if key else None
    )
    theirs = _pysia(raw, key)
    assert theirs.valid_message
    assert (theirs.code, theirs.timestamp) == ("RP", STAMP)


# ------------------------------------------------------------------ pysiaalarm's answers → our decoder


def _check_echo(answer: Frame, event_raw: bytes) -> None:
    sent = decode(event_raw, lambda *_: PYSIA_KEYS[128].encode())
    assert (answer.sequence, answer.receiver, answer.line, answer.account) == (
        sent.sequence,
        sent.receiver,
        sent.line,
        sent.account,
    )


@pytest.mark.parametrize("bits", [None, 128])
def test_pysiaalarm_ack_decodes(bits: int | None) -> None:
    """pysiaalarm's ACK (plain, or *ACK with '0' filler and no '|') decodes and echoes our header."""
    key = PYSIA_KEYS[bits] if bits else None
    raw = encode(
        "SIA-DCS",
        42,
        ACCOUNT,
        "Nri1/BA501",
        receiver="5",
        line="0",
        timestamp=STAMP,
        key=key.encode() if key else None,
    )
    answer = decode(_pysia(raw, key).create_response(), lambda *_: key.encode() if key else None)
    assert (answer.id_token, answer.encrypted) == ("ACK", bits is not None)
    _check_echo(answer, raw)


def test_pysiaalarm_nak_decodes() -> None:
    """pysiaalarm's NAK for a stale timestamp decodes: plain, sequence 0000, with its own time."""
    raw = encode("SIA-DCS", 42, ACCOUNT, "Nri1/BA501", receiver="5", line="0", timestamp=STAMP)
    answer = decode(_pysia(raw, timeband=(40, 20)).create_response())
    assert (answer.id_token, answer.encrypted, answer.sequence, answer.account) == ("NAK", False, "0000", "0")
    assert answer.timestamp is not None


def test_pysiaalarm_format_error_nak_decodes() -> None:
    """pysiaalarm's NAK for an unparsable line ("NAK"0000L0R0A0[], line before receiver) decodes."""
    answer = decode(NAKEvent().create_response())
    assert (answer.id_token, answer.receiver, answer.line, answer.account) == ("NAK", "0", "0", "0")


def test_pysiaalarm_duh_decodes() -> None:
    """pysiaalarm's DUH for an unknown SIA code decodes and echoes our header."""
    raw = encode("SIA-DCS", 42, ACCOUNT, "Nri1/ZX501", receiver="5", line="0", timestamp=STAMP)
    answer = decode(_pysia(raw).create_response())
    assert answer.id_token == "DUH"
    _check_echo(answer, raw)


def test_pysiaalarm_rsp_decodes() -> None:
    """pysiaalarm's RSP to a [K…] key-change frame decodes (it echoes its own key as K x-data)."""
    raw = encode(
        "SIA-DCS",
        42,
        ACCOUNT,
        "Nri1/RP000",
        receiver="5",
        line="0",
        extended=("K00112233445566778899AABBCCDDEEFF",),
        timestamp=STAMP,
    )
    answer = decode(_pysia(raw, None).create_response())
    assert answer.id_token == "RSP"
    _check_echo(answer, raw)


def test_pysiaalarm_answers_without_receiver_are_broken() -> None:
    """pysiaalarm writes the Python value None for a missing R prefix ("ACK"0042NoneL0…), so its
    answers to frames without R are not DC-09; we refuse them, and the tests above send R."""
    raw = encode("SIA-DCS", 42, ACCOUNT, "Nri1/BA501", line="0", timestamp=STAMP)
    response = _pysia(raw).create_response()
    assert b"None" in response
    with pytest.raises(FormatError):
        decode(response)
