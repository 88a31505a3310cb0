"""The NTP and NUT codecs: offsets computed from the four stamps, replies that are not answers refused,
NUT targets and answers read, upsd's refusals told apart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tocsin.protocols import ntp, nut

NOW = 1_790_000_000.0


@given(st.floats(-86_400, 86_400), st.floats(0, 2))
def test_a_reply_gives_back_the_servers_offset(offset: float, trip: float) -> None:
    """A server ``offset`` s ahead, half the round trip each way: the measure is that offset (to 1 µs)."""
    t1 = NOW
    query = ntp.request(t1)
    answer = ntp.reply(query, t1 + trip / 2 + offset, t1 + trip / 2 + offset)
    measure = ntp.measure(answer, t1, t1 + trip)
    assert measure.offset == pytest.approx(offset, abs=1e-6)
    assert measure.delay == pytest.approx(trip, abs=1e-6)


def test_a_reply_to_another_request_is_refused() -> None:
    """The origin stamp must be our transmit stamp (a stray or spoofed reply is not an answer)."""
    answer = ntp.reply(ntp.request(NOW - 5), NOW, NOW)
    with pytest.raises(ntp.NtpError, match="origin"):
        ntp.measure(answer, NOW, NOW + 0.01)


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (b"\x24" * 10, "bytes"),
        (ntp.reply(ntp.request(NOW), NOW, NOW, leap=3), "not synchronised"),
        (ntp.reply(ntp.request(NOW), NOW, NOW, stratum=0), "not synchronised"),
        (ntp.request(NOW), "server mode"),
    ],
)
def test_unusable_replies_are_refused_with_the_reason(answer: bytes, problem: str) -> None:
    """Short, unsynchronised, kiss-o'-death (stratum 0) or client-mode packets are refused."""
    with pytest.raises(ntp.NtpError, match=problem):
        ntp.measure(answer, NOW, NOW)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("ups@127.0.0.1:3493", nut.UpsTarget("ups", "127.0.0.1", 3493)),
        ("eaton@nas", nut.UpsTarget("eaton", "nas", 3493)),
        ("ups@nas.room:4000", nut.UpsTarget("ups", "nas.room", 4000)),
    ],
)
def test_nut_targets(text: str, target: nut.UpsTarget) -> None:
    """``ups@host[:port]`` as NUT's own tools write it."""
    assert nut.parse_target(text) == target


@pytest.mark.parametrize("text", ["", "ups", "@host", "ups@", "ups@host:0", "ups@host:x", "u p s@host"])
def test_bad_nut_targets_say_the_form(text: str) -> None:
    """A target that is not ``ups@host[:port]`` is refused with the expected form."""
    with pytest.raises(nut.NutError, match=r"ups@host|port"):
        nut.parse_target(text)


def test_nut_answers() -> None:
    """A VAR line gives its value (escapes undone); ERR and strangers are refused."""
    assert nut.get_var("ups", "ups.status") == b"GET VAR ups ups.status\n"
    assert nut.read_var('VAR ups ups.status "OB LB"\n', "ups", "ups.status") == "OB LB"
    assert nut.read_var('VAR ups ups.status "say \\"hi\\""', "ups", "ups.status") == 'say "hi"'
    assert nut.status_flags("OB  LB") == frozenset({"OB", "LB"})
    with pytest.raises(nut.NutError, match="UNKNOWN-UPS"):
        nut.read_var("ERR UNKNOWN-UPS", "ups", "ups.status")
    with pytest.raises(nut.NutError, match="answered"):
        nut.read_var('VAR other ups.status "OL"', "ups", "ups.status")
    with pytest.raises(nut.NutError):
        nut.get_var("ups;rm", "ups.status")
