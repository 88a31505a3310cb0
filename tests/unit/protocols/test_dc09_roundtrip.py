"""encode → decode gives back every field, for every id token, prefix, extension and key size."""

from __future__ import annotations

import itertools

import pytest

from tests.unit.protocols.dc09_support import KEYS, NOW, fixed_key
from tocsin.protocols.dc09 import decode, encode

TOKENS = {"SIA-DCS": "Nri1/BA501", "ADM-CID": "1130 01 015", "NULL": ""}
PREFIXES = [(None, None), ("1", None), (None, "0"), ("579BDF", "789ABC")]
EXTENDED = [(), ("X002E12345", "Y48N52545"), ("Vhttp://cam.example/1",)]


@pytest.mark.parametrize(
    ("id_token", "prefixes", "extended"),
    list(itertools.product(TOKENS, PREFIXES, EXTENDED)),
)
def test_plain_round_trip(
    id_token: str, prefixes: tuple[str | None, str | None], extended: tuple[str, ...]
) -> None:
    """A plain frame decodes to what was encoded, with and without timestamp."""
    receiver, line = prefixes
    for timestamp in (None, NOW):
        raw = encode(
            id_token,
            42,
            "12AB",
            TOKENS[id_token],
            receiver=receiver,
            line=line,
            extended=extended,
            timestamp=timestamp,
        )
        frame = decode(raw)
        assert (frame.id_token, frame.encrypted, frame.sequence) == (id_token, False, "0042")
        assert (frame.receiver, frame.line, frame.account) == (receiver, line, "12AB")
        assert (frame.data, frame.extended, frame.timestamp) == (TOKENS[id_token], extended, timestamp)


@pytest.mark.parametrize(
    ("id_token", "bits", "prefixes", "extended"),
    list(itertools.product(TOKENS, KEYS, PREFIXES, EXTENDED[:2])),
)
def test_encrypted_round_trip(
    id_token: str, bits: int, prefixes: tuple[str | None, str | None], extended: tuple[str, ...]
) -> None:
    """An encrypted frame (128/192/256-bit key) decrypts to what was encoded."""
    receiver, line = prefixes
    raw = encode(
        id_token,
        "9999",
        "123456",
        TOKENS[id_token],
        receiver=receiver,
        line=line,
        extended=extended,
        timestamp=NOW,
        key=KEYS[bits],
    )
    assert raw.startswith(b"\n")
    assert f'"*{id_token}"'.encode() in raw
    frame = decode(raw, fixed_key(KEYS[bits]))
    assert (frame.id_token, frame.encrypted, frame.sequence) == (id_token, True, "9999")
    assert (frame.receiver, frame.line, frame.account) == (receiver, line, "123456")
    assert (frame.data, frame.extended, frame.timestamp) == (TOKENS[id_token], extended, NOW)


@pytest.mark.parametrize("length", range(40))
def test_padding_fills_whole_blocks_for_every_length(length: int) -> None:
    """Whatever the data length, the encrypted region is whole AES blocks and decrypts back."""
    data = "N" + "ri1/BA501"[: length % 9] + "A" * length
    raw = encode("SIA-DCS", 1, "1234", data, timestamp=NOW, key=KEYS[128])
    ciphertext = raw[raw.index(b"[") + 1 : -1]
    assert len(ciphertext) % 32 == 0
    assert decode(raw, fixed_key(KEYS[128])).data == data


def test_key_lookup_gets_account_receiver_line() -> None:
    """The decoder asks the key lookup for the frame's (account, receiver, line)."""
    asked: list[tuple[str, str | None, str | None]] = []

    def lookup(account: str, receiver: str | None, line: str | None) -> bytes:
        asked.append((account, receiver, line))
        return KEYS[256]

    decode(encode("NULL", 5, "ABC", "", receiver="12", line="3", timestamp=NOW, key=KEYS[256]), lookup)
    assert asked == [("ABC", "12", "3")]


def test_given_pad_makes_encoding_deterministic() -> None:
    """With a given pad the encrypted frame is the same byte string every time."""
    first = encode("NULL", 1, "1234", "", timestamp=NOW, key=KEYS[128], pad="p" * 10)
    second = encode("NULL", 1, "1234", "", timestamp=NOW, key=KEYS[128], pad="p" * 10)
    assert first == second


def test_random_pad_differs_between_frames() -> None:
    """Without a given pad, two encryptions of the same message differ (random filler)."""
    frames = {encode("NULL", 1, "1234", "", timestamp=NOW, key=KEYS[128]) for _ in range(5)}
    assert len(frames) > 1


def test_binary_crc_profile() -> None:
    """Under profile "binary-crc" a CRC sent as 2 raw bytes is accepted; the default refuses it."""
    text = encode("SIA-DCS", 7, "1234", "Nri1/BA501", timestamp=NOW)
    binary = b"\n" + bytes.fromhex(text[1:5].decode()) + text[5:]
    assert decode(binary, profile="binary-crc").data == "Nri1/BA501"
    assert decode(text).data == "Nri1/BA501"
    with pytest.raises(ValueError, match="Unknown DC-09 quirk profile"):
        decode(text, profile="lenient")


def test_local_time_profile_parses_as_written() -> None:
    """Under profile "local-time" the timestamp is returned as written; the receiver converts it."""
    raw = encode("SIA-DCS", 7, "1234", "Nri1/BA501", timestamp=NOW)
    assert decode(raw, profile="local-time").timestamp == NOW
