"""Property tests: the decoder never fails with anything but FrameError; framing never loses bytes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.protocols.dc09_support import KEYS, NOW, fixed_key
from tocsin.protocols.dc09 import MAX_FRAME, FormatError, Frame, FrameError, decode, encode, split_frames
from tocsin.protocols.dc09.encode import wrap

_ALPHABET = b'\n\r"*#[]|_:,-/ 0123456789ABCDEFLNRSIAKCMDUHXY'
wire_bytes = st.binary(max_size=300) | st.lists(st.sampled_from(list(_ALPHABET)), max_size=200).map(bytes)


def _decodes_or_frame_error(raw: bytes) -> None:
    for profile in (None, "binary-crc"):
        try:
            result = decode(raw, fixed_key(KEYS[128]), profile=profile)
        except FrameError:
            continue
        assert isinstance(result, Frame)


@settings(max_examples=400)
@given(wire_bytes)
def test_decode_arbitrary_bytes(raw: bytes) -> None:
    """Arbitrary bytes decode to a Frame or raise FrameError, never another exception."""
    _decodes_or_frame_error(raw)


@settings(max_examples=400)
@given(st.binary(max_size=200) | st.lists(st.sampled_from(list(_ALPHABET)), max_size=150).map(bytes))
def test_decode_arbitrary_messages_with_valid_crc(message: bytes) -> None:
    """Arbitrary messages wrapped with a correct CRC and length reach the parser and never crash it."""
    _decodes_or_frame_error(wrap(message))
    _decodes_or_frame_error(wrap(b'"SIA-DCS"0001L0#1234[' + message))
    _decodes_or_frame_error(wrap(b'"*SIA-DCS"0001L0#1234[' + message.hex().encode()))


@given(st.text(alphabet="0123456789ABCDEF", min_size=32, max_size=96))
def test_decode_random_ciphertext(ciphertext: str) -> None:
    """Random ciphertext (garbage under a valid header) is a FrameError, not a crash."""
    usable = ciphertext[: len(ciphertext) - len(ciphertext) % 32]
    _decodes_or_frame_error(wrap(b'"*SIA-DCS"0001L0#1234[' + usable.encode()))


def _is_subsequence(parts: list[bytes], buffer: bytes) -> bool:
    position = 0
    for part in parts:
        found = buffer.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


@given(st.lists(wire_bytes, max_size=8))
def test_split_frames_never_invents_bytes(chunks: list[bytes]) -> None:
    """Frames and rest appear in order in the buffer; each frame is LF..CR with no inner LF or CR."""
    buffer = b"".join(chunks)
    try:
        frames, rest = split_frames(buffer)
    except FrameError:
        return
    assert _is_subsequence([*frames, rest], buffer)
    assert buffer.endswith(rest)
    for frame in frames:
        assert frame.startswith(b"\n")
        assert frame.endswith(b"\r")
        assert b"\n" not in frame[1:]
        assert b"\r" not in frame[:-1]


@given(
    st.lists(st.integers(min_value=1, max_value=9999), min_size=1, max_size=6),
    st.binary(max_size=20).filter(lambda junk: b"\n" not in junk and b"\r" not in junk),
    st.data(),
)
def test_split_frames_never_loses_frames(sequences: list[int], junk: bytes, data: st.DataObject) -> None:
    """Valid frames, in any cut of the stream, come out whole and in order, garbage dropped."""
    frames = [encode("SIA-DCS", seq, "1234", "Nri1/BA501", timestamp=NOW) for seq in sequences]
    stream = junk + b"".join(frames)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=5)))
    received: list[bytes] = []
    pending = b""
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        found, pending = split_frames(pending + stream[start:end])
        received.extend(found)
    assert received == frames
    assert pending == b""


def test_split_frames_refuses_endless_frame() -> None:
    """A frame start with no CR for more than MAX_FRAME bytes is a format error."""
    _, rest = split_frames(b"\n" + b"A" * (MAX_FRAME - 1))
    assert len(rest) == MAX_FRAME
    with pytest.raises(FormatError, match="No CR"):
        split_frames(b"\n" + b"A" * MAX_FRAME)
