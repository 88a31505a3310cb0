"""The DC-09 receiver over real sockets: stored before acknowledged, every case answered right."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.receiver_support import KEY, Receiving, frame, running_receiver, send_tcp, send_udp
from tocsin.protocols import dc09


@pytest.fixture
def rx(fresh_db_url: str, tmp_path: Path) -> Iterator[Receiving]:
    """A receiver on each database kind."""
    with running_receiver(fresh_db_url, tmp_path) as receiving:
        yield receiving


def wait_for(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def test_a_contact_id_alarm_over_tcp_is_stored_then_acked(rx: Receiving) -> None:
    """An ADM-CID burglary is acknowledged, and stored with its decoding, once."""
    answers = send_tcp(rx.port, [frame("1234", 1, "1130 01 015")])
    reply = dc09.decode(answers[0])
    assert reply.id_token == "ACK"
    assert reply.sequence == "0001"
    stored = [s for s in rx.signals() if s.account_number == "1234"]
    assert len(stored) == 1
    assert stored[0].events[0]["code"] == "130"
    assert stored[0].site_id == rx.room.site_a
    wait_for(lambda: len(rx.entries("signal.received")) == 1)


def test_sia_dcs_over_udp(rx: Receiving) -> None:
    """A SIA DCS frame by UDP gets its ACK in a datagram and is stored."""
    reply = dc09.decode(send_udp(rx.port, frame("1234", 2, "Nri1/BA501", token="SIA-DCS")))
    assert reply.id_token == "ACK"
    assert [e["code"] for e in rx.signals()[0].events] == ["BA"]


def test_an_encrypted_frame_gets_an_encrypted_ack(rx: Receiving) -> None:
    """With the account's AES key the frame is read and the ACK comes back encrypted."""
    answer = send_tcp(rx.port, [frame("5678", 3, "1130 01 015", key=KEY)])[0]
    assert answer.startswith(b"\n")
    assert b'"*ACK"' in answer
    assert dc09.decode(answer, lambda *_: KEY).id_token == "ACK"
    assert rx.signals()[0].events[0]["code"] == "130"


def test_a_wrong_key_gets_duh_and_the_raw_frame_is_kept(rx: Receiving) -> None:
    """A frame the receiver cannot decrypt is answered DUH, kept raw, and raises a technical alarm."""
    answer = send_tcp(rx.port, [frame("5678", 4, "1130 01 015", key=bytes(16))])[0]
    assert b'"DUH"' in answer
    stored = rx.signals()
    assert stored[0].answer == "DUH"
    assert stored[0].problem is not None
    wait_for(lambda: len(rx.entries("signal.problem")) == 1)


def test_an_unknown_account_is_acked_stored_and_flagged(rx: Receiving) -> None:
    """A transmitter nobody declared is acknowledged (so it stops retrying), stored, and flagged."""
    answer = send_tcp(rx.port, [frame("9999", 5, "1130 01 015")])[0]
    assert b'"ACK"' in answer
    assert rx.signals()[0].problem == "unknown account"
    wait_for(lambda: len(rx.entries("signal.problem")) == 1)


def test_a_corrupt_frame_gets_a_nak_with_our_time_and_changes_nothing(rx: Receiving) -> None:
    """A frame with a bad CRC is answered NAK carrying the receiver's timestamp; nothing is stored."""
    good = frame("1234", 6, "1130 01 015")
    bad = good[:1] + b"0000" + good[5:]
    answer = send_tcp(rx.port, [bad])[0]
    nak = dc09.decode(answer)
    assert nak.id_token == "NAK"
    assert nak.timestamp is not None
    assert rx.signals() == []


def test_a_stale_timestamp_gets_a_nak(rx: Receiving) -> None:
    """A frame stamped ten minutes ago is outside the window: NAK with our time, nothing stored."""
    from datetime import UTC, datetime, timedelta  # noqa: PLC0415

    old = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    raw = dc09.encode("ADM-CID", "0007", "1234", "1130 01 015", receiver="1", line="1", timestamp=old)
    assert b'"NAK"' in send_tcp(rx.port, [raw])[0]
    assert rx.signals() == []


def test_the_timestamp_window_is_40_s_before_and_20_s_after_unless_configured(
    fresh_db_url: str, tmp_path: Path
) -> None:
    """By default 30 s late or 10 s early is accepted, 60 s late or 40 s early gets the NAK; a room
    whose panels' clocks drift more widens the window in its settings (TOCSIN_DC09_ACCEPT_BEFORE/AFTER)."""
    from datetime import UTC, datetime, timedelta  # noqa: PLC0415

    def stamped(seconds: int, seq: int) -> bytes:
        moment = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=seconds)
        return dc09.encode("ADM-CID", seq, "1234", "1130 01 015", receiver="1", line="1", timestamp=moment)

    with running_receiver(fresh_db_url, tmp_path / "default") as rx:
        answers = send_tcp(rx.port, [stamped(-30, 1), stamped(10, 2), stamped(-60, 3), stamped(40, 4)])
    assert [b'"ACK"' in a for a in answers] == [True, True, False, False]
    assert all(b'"NAK"' in a for a in answers[2:])
    with running_receiver(
        fresh_db_url, tmp_path / "wide", dc09_accept_before=120, dc09_accept_after=60
    ) as rx:
        answers = send_tcp(rx.port, [stamped(-60, 5), stamped(40, 6), stamped(-150, 7)])
    assert [b'"ACK"' in a for a in answers] == [True, True, False]


def test_a_retransmission_is_acked_again_but_stored_once(rx: Receiving) -> None:
    """The same message sent three times (the panel missed our ACK) is stored once."""
    raw = frame("1234", 8, "1130 01 015")
    answers = send_tcp(rx.port, [raw, raw, raw])
    assert all(b'"ACK"' in a for a in answers)
    assert len(rx.signals()) == 1


def test_a_retransmission_after_a_restart_is_still_stored_once(fresh_db_url: str, tmp_path: Path) -> None:
    """The receiver stored a frame and stopped (a crash before the ACK left, say); the panel sends it
    again to the restarted receiver: ACKed, not stored a second time."""
    raw = frame("1234", 42, "1130 01 015")
    with running_receiver(fresh_db_url, tmp_path / "first") as rx:
        assert b'"ACK"' in send_tcp(rx.port, [raw])[0]
        account_signals = [s for s in rx.signals() if s.account_number == "1234"]
    assert len(account_signals) == 1
    with running_receiver(fresh_db_url, tmp_path / "second") as rx:
        assert b'"ACK"' in send_tcp(rx.port, [raw])[0]
        stored = [s for s in rx.signals() if s.sequence == "0042"]
    assert len(stored) == 1


def test_null_supervision_polls_are_acked_not_stored(rx: Receiving) -> None:
    """NULL polls keep the link alive: acknowledged, not stored one by one."""
    raw = dc09.encode("NULL", "0009", "1234", "", receiver="1", line="1")
    assert b'"ACK"' in send_tcp(rx.port, [raw])[0]
    assert rx.signals() == []


def test_garbage_on_one_connection_does_not_disturb_another(rx: Receiving) -> None:
    """A connection sending nonsense is answered or closed; a good panel beside it is served."""
    import socket  # noqa: PLC0415

    with socket.create_connection(("127.0.0.1", rx.port), timeout=5) as noisy:
        noisy.sendall(b"\nHELLO THERE\r" * 30)
        answers = send_tcp(rx.port, [frame("1234", 10, "1130 01 015")])
    assert b'"ACK"' in answers[0]


def _account_with_profile(rx: Receiving, number: str, profile: str) -> None:
    from tocsin.domain import commands as c  # noqa: PLC0415
    from tocsin.domain.scope import Scope  # noqa: PLC0415

    rx.node.messagebus.handle(
        c.AddAccount(rx.room.site_a, number, "1", "1", profile=profile),
        scope=Scope.tenant(rx.room.tenant_id),
        actor="t",
    )


def test_a_local_time_panel_is_accepted_only_through_its_profile(rx: Receiving) -> None:
    """A panel stamping Paris time is NAKed by default, but accepted (and stored in UTC) with its profile."""
    from datetime import UTC, datetime  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    _account_with_profile(rx, "4321", "local-time")
    paris = datetime.now(ZoneInfo("Europe/Paris")).replace(microsecond=0)
    as_written = paris.replace(tzinfo=UTC)  # what the panel puts on the wire: local digits, no zone
    plain = dc09.encode(
        "ADM-CID", "0011", "1234", "1130 01 015", receiver="1", line="1", timestamp=as_written
    )
    quirky = dc09.encode(
        "ADM-CID", "0012", "4321", "1130 01 015", receiver="1", line="1", timestamp=as_written
    )
    answers = send_tcp(rx.port, [plain, quirky])
    assert b'"NAK"' in answers[0]  # the default never loosens: one hour off is outside the window
    assert b'"ACK"' in answers[1]
    (stored,) = [s for s in rx.signals() if s.account_number == "4321"]
    assert stored.occurred_at == paris.astimezone(UTC)


def test_a_binary_crc_panel_is_accepted_only_through_its_profile(rx: Receiving) -> None:
    """A panel sending its CRC as two raw bytes is read only when its account names that profile."""
    _account_with_profile(rx, "4322", "binary-crc")

    def binary(raw: bytes) -> bytes:
        crc = int(raw[1:5], 16)
        return raw[:1] + crc.to_bytes(2, "big") + raw[5:]

    quirky = binary(frame("4322", 13, "1130 01 015"))
    plain = binary(frame("1234", 14, "1130 01 015"))
    answers = send_tcp(rx.port, [quirky, plain])
    assert b'"ACK"' in answers[0]
    assert b'"ACK"' not in answers[1]
    assert [s.account_number for s in rx.signals()] == ["4322"]


def test_random_bytes_never_stop_the_receiver(rx: Receiving) -> None:
    """Hostile bytes on many connections get a NAK, a DUH or a closed socket; a real panel is still served."""
    import random  # noqa: PLC0415
    import socket  # noqa: PLC0415

    draw = random.Random(2026)  # noqa: S311 - reproducible fuzz input, not security
    good = frame("1234", 20, "1130 01 015")
    for _ in range(40):
        size = draw.randint(1, 300)
        junk = bytes(draw.randrange(256) for _ in range(size))
        if draw.random() < 0.5:  # mutate a real frame instead
            cut = draw.randrange(len(good))
            junk = good[:cut] + junk[:8] + good[cut + 1 :]
        with socket.create_connection(("127.0.0.1", rx.port), timeout=5) as sock:
            sock.sendall(b"\n" + junk + b"\r")
            sock.settimeout(1)
            try:
                answer = sock.recv(4096)
            except TimeoutError:
                answer = b""
        assert answer == b"" or any(word in answer for word in (b'"NAK"', b'"DUH"', b'"ACK"'))
    assert b'"ACK"' in send_tcp(rx.port, [frame("1234", 21, "1130 01 016")])[0]


def test_key_change_data_gets_an_rsp(rx: Receiving) -> None:
    """A frame carrying [K…] key-change data is stored and answered RSP, echoing the K block."""
    from datetime import UTC, datetime  # noqa: PLC0415

    stamp = datetime.now(UTC).replace(microsecond=0)
    raw = dc09.encode(
        "SIA-DCS",
        "0022",
        "5678",
        "Nri1/RP0000",
        receiver="1",
        line="1",
        extended=("K00112233445566778899AABBCCDDEEFF",),
        timestamp=stamp,
        key=KEY,
    )
    answer = send_tcp(rx.port, [raw])[0]
    reply = dc09.decode(answer, lambda *_: KEY)
    assert reply.id_token == "RSP"
    assert reply.extended == ("K00112233445566778899AABBCCDDEEFF",)
    assert len(rx.signals()) == 1


@pytest.mark.parametrize(
    ("flags", "account"), [((), "1234"), (("--encrypted", "--udp"), "5678")], ids=["tcp-plain", "udp-aes"]
)
def test_simulate_panels_talks_to_the_receiver(
    rx: Receiving, tmp_path: Path, flags: tuple[str, ...], account: str
) -> None:
    """`tocsin simulate panels` plays the declared transmitters (with their keys) against a receiver and
    reports every frame acknowledged, each answer read by our codec; the events among them are stored."""
    from tests.integration.test_cli import tocsin  # noqa: PLC0415

    env = {
        "TOCSIN_DATABASE_URL": rx.node.settings.database_url,
        "TOCSIN_VAR_DIR": str(rx.node.settings.var_dir),
    }
    run = ["simulate", "panels", "--count", "1", "--rate", "20", "--seconds", "1.5", "--port", str(rx.port)]
    out = tocsin(env, *run, *flags)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("1 panels (declared transmitters) over " + ("UDP" if flags else "TCP"))
    summary = out.stdout.splitlines()[1]
    sent = int(summary.split("sent ")[1].split(",")[0])
    assert sent >= 10
    assert f"acknowledged {sent}, refused 0, failed 0, bad answers 0" in summary
    wait_for(lambda: any(s.account_number == account for s in rx.signals()))
