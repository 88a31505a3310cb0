"""Call-backs on an alarm: the operator calls the site (contre-appel) and its contacts, in call order,
and checks the word the person gives against the contact's password and duress word.

The word is compared with the stored hashes and forgotten: only the result is kept ("password",
"wrong", "none" when no word was given, "duress"). A duress word is a person under threat telling us so
without the one beside them knowing: the operator is told plainly, the alarm goes to the top of the
queue as a duress alarm, and the person on the phone hears nothing different.

Enhanced call verification (TMA CS-V-01) asks for two calls to two different numbers before police
dispatch for a burglary; :func:`ecv` says whether an alarm's attempts make one.

Pure: the hash check is passed in as a function, and times are passed in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from tocsin.domain.alarms import Alarm, AlarmCommand, AlarmHeld, WrongState
from tocsin.domain.avs import CLASS_FLOOR
from tocsin.domain.errors import InvalidInput
from tocsin.domain.sites import Contact, normalize_spoken_word

CallOutcome = Literal["answered", "no_answer", "busy", "wrong_person"]
CALL_OUTCOMES: tuple[CallOutcome, ...] = ("answered", "no_answer", "busy", "wrong_person")
WordResult = Literal["password", "wrong", "none", "duress"]
WORD_MAX = 200
NUMBER_MAX = 32


@dataclass(frozen=True, slots=True)
class CallAttempt:
    """One call made for an alarm: to a contact (``contact_id``) or to the site itself (None), the
    number dialled, what happened, and the result of the word check. Never the word."""

    id: UUID
    tenant_id: UUID
    alarm_id: UUID
    at: datetime
    number: str
    outcome: str
    result: str
    contact_id: UUID | None = None
    contact_name: str = ""
    call_order: int = 0  # 0: the site itself
    user_id: UUID | None = None
    by: str = ""


def dial_form(number: str) -> str:
    """How two numbers are compared: digits and a leading ``+`` only (``01 23`` is ``0123``)."""
    kept = "".join(ch for ch in number if ch.isdigit())
    return f"+{kept}" if number.strip().startswith("+") else kept


def check_number(number: str, contact: Contact | None) -> str:
    """The number as dialled, refused when it is not the contact's (any number is the site's: sites do
    not keep a number of their own yet)."""
    number = number.strip()
    if not dial_form(number).lstrip("+") or len(number) > NUMBER_MAX:
        raise InvalidInput(f"{number!r} is not a phone number.")
    if contact is not None and dial_form(number) not in {dial_form(p) for p in contact.phones}:
        listed = ", ".join(contact.phones) or "none"
        raise InvalidInput(f"{number} is not a number of {contact.name} (their numbers: {listed}).")
    return number


def may_call(alarm: Alarm, user_id: UUID) -> None:
    """Only the operator holding a taken alarm records its calls."""
    if alarm.state != "taken":
        raise WrongState(f"This alarm is {alarm.state}: take it before recording a call.")
    if alarm.holder_id != user_id:
        raise AlarmHeld(
            f"{alarm.holder_name or 'Another operator'} holds this alarm: only they record its calls."
        )


def judge_word(
    outcome: str,
    word: str | None,
    contacts: Iterable[Contact],
    verify: Callable[[str, str], bool],
) -> WordResult:
    """The result of the word a person gave, checked against the contacts' hashes (``verify(hash,
    secret)``, the node's hasher). A duress match wins over a password match; every hash present is
    checked, so how long a check takes does not tell which matched."""
    if outcome not in CALL_OUTCOMES:
        raise InvalidInput(f"Unknown call outcome {outcome!r}: use one of {', '.join(CALL_OUTCOMES)}.")
    spoken = normalize_spoken_word(word or "")
    if not spoken:
        return "none"
    if outcome != "answered":
        raise InvalidInput("A word is only given on an answered call.")
    if len(spoken) > WORD_MAX:
        return "wrong"
    duress = password = False
    for contact in contacts:
        if contact.duress_hash and verify(contact.duress_hash, spoken):
            duress = True
        if contact.password_hash and verify(contact.password_hash, spoken):
            password = True
    if duress:
        return "duress"
    return "password" if password else "wrong"


def under_duress(alarm: Alarm) -> Alarm:
    """A duress word was given: the alarm becomes a priority 1 duress alarm, still taken by the same
    operator (never released or settled by it: the call must go on as if all were well). Its AVS-01
    score is 4, whatever was verified (see :mod:`tocsin.domain.avs`)."""
    return dataclasses.replace(alarm, alarm_class="duress", priority=1, avs_score=CLASS_FLOOR["duress"])


def ecv(attempts: Iterable[CallAttempt]) -> bool:
    """Enhanced call verification: at least two attempts, to two different numbers."""
    return len({dial_form(x.number) for x in attempts}) >= 2


@dataclass(frozen=True, slots=True)
class RecordCall(AlarmCommand):
    """Record a call attempt for the alarm I hold; ``contact_id`` None is the site itself. The word is
    checked and forgotten (never in the command's repr, so never in a log)."""

    contact_id: UUID | None = None
    number: str = ""
    outcome: str = "no_answer"
    word: str | None = field(default=None, repr=False)
