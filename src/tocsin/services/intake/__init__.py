"""Alarm intake: a DC-09 frame in, a stored signal and the answer the panel must get out.

One module per job, read in this order: :mod:`.accounts` (the account memory), :mod:`.classify` (which
account a frame names, what events it carries), :mod:`.panel_time` (local-time panels),
:mod:`.retransmissions` (a message stored once), :mod:`.substitution` (cleartext for keyed accounts) and
:mod:`.receive` (the intake itself, in hot-path order).
"""

from __future__ import annotations

from tocsin.services.intake.accounts import MISS_TTL, AccountDirectory, KnownAccount
from tocsin.services.intake.classify import parse_events
from tocsin.services.intake.panel_time import answer_time, panel_time
from tocsin.services.intake.receive import SignalIntake
from tocsin.services.intake.retransmissions import Retransmissions
from tocsin.services.queries import signal_view  # a query; kept importable from here for old callers

__all__ = [
    "MISS_TTL",
    "AccountDirectory",
    "KnownAccount",
    "Retransmissions",
    "SignalIntake",
    "answer_time",
    "panel_time",
    "parse_events",
    "signal_view",
]
