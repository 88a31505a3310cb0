"""The receiver's answers: ACK, NAK, DUH and RSP, each itself a DC-09 frame."""

from __future__ import annotations

import re
from datetime import datetime

from tocsin.protocols.dc09.encode import build, stamp
from tocsin.protocols.dc09.errors import UnknownKey
from tocsin.protocols.dc09.frame import Frame

_READABLE = re.compile(
    rb'"\*?[A-Z0-9-]+"(?P<seq>[0-9]{4})(?:R(?P<receiver>[0-9A-Fa-f]{1,6}))?'
    rb"(?:L(?P<line>[0-9A-Fa-f]{1,6}))?#(?P<account>[0-9A-Fa-f]{3,16})\["
)


def ack(frame: Frame, now: datetime, key: bytes | None = None) -> bytes:
    """Acknowledge ``frame``, echoing its sequence, receiver, line and account.

    An encrypted frame gets an encrypted ``*ACK`` carrying the receiver's time; a plain frame gets a
    plain ACK, with the receiver's time when the frame itself carried a timestamp.
    """
    return _answer("ACK", frame, now, key, extended="")


def rsp(frame: Frame, now: datetime, key: bytes | None = None) -> bytes:
    """Answer a ``[K…]`` key-change frame: like an ACK, with id RSP, echoing the ``K`` blocks received."""
    echoed = "".join(f"[{block}]" for block in frame.extended if block.startswith("K"))
    return _answer("RSP", frame, now, key, extended=echoed)


def nak(now: datetime) -> bytes:
    """Refuse a frame (e.g. timestamp out of window): never encrypted, with the receiver's time.

    The standard's form: ``"NAK"0000R0L0A0[]_HH:MM:SS,MM-DD-YYYY``.
    """
    return build("NAK", "0000", receiver="0", line="0", account_field="A0", body="]" + stamp(now))


def duh(frame: Frame | None, raw: bytes | None = None) -> bytes:
    """Say a frame was received but not understood, echoing whatever header could be read.

    With a decoded ``frame`` its fields are echoed; otherwise the header is looked for in ``raw``;
    when nothing is readable the answer is ``"DUH"0000R0L0A0[]``. Never encrypted.
    """
    if frame is not None:
        return _echo("DUH", frame, "]")
    readable = _READABLE.search(raw) if raw is not None else None
    if readable is None:
        return build("DUH", "0000", receiver="0", line="0", account_field="A0", body="]")
    receiver, line = readable["receiver"], readable["line"]
    return build(
        "DUH",
        readable["seq"].decode(),
        receiver=receiver.decode() if receiver is not None else None,
        line=line.decode() if line is not None else None,
        account_field="#" + readable["account"].decode(),
        body="]",
    )


def _answer(id_token: str, frame: Frame, now: datetime, key: bytes | None, *, extended: str) -> bytes:
    if frame.encrypted and key is None:
        raise UnknownKey(f"Account {frame.account} sent an encrypted frame: its answer needs the key.")
    moment = stamp(now) if frame.encrypted or frame.timestamp is not None else ""
    body = "]" + extended + moment
    return _echo(id_token, frame, body, key=key if frame.encrypted else None)


def _echo(id_token: str, frame: Frame, body: str, key: bytes | None = None) -> bytes:
    """Build an answer that echoes the frame's sequence, receiver, line and account."""
    return build(
        id_token,
        frame.sequence,
        receiver=frame.receiver,
        line=frame.line,
        account_field=f"#{frame.account}",
        body=body,
        key=key,
        echo=True,
    )
