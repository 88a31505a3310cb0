"""Call-backs over HTTP: the word check's results, duress, who may record a call, the numbers allowed,
callers outside the alarm's site, and the word found nowhere (response, logbook, server log)."""

from __future__ import annotations

import json
import logging
from typing import Any
from uuid import UUID

import pytest

from tests.integration.api_support import Stack
from tests.integration.test_api_alarms import accounts, actor, raise_alarm, stack
from tocsin.domain import commands as c
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account, Contact

__all__ = ["accounts", "stack"]  # the module's fixtures, shared with the alarms API tests
PASSWORD_WORD = "tulip garden"
DURESS_WORD = "red kestrel"
MOBILE, OFFICE = "+33 6 11 22 33 44", "+33 1 40 00 00 00"
SECRET_WORDS = (PASSWORD_WORD, DURESS_WORD, "plainly wrong")


@pytest.fixture(scope="module")
def keyholder(stack: Stack) -> Contact:
    """Site A's first contact, with a password and a duress word."""
    command = c.AddContact(
        stack.room.site_a,
        1,
        "Alice Keyholder",
        (MOBILE, OFFICE),
        password=PASSWORD_WORD,
        duress_word=DURESS_WORD,
    )
    contact: Contact = stack.node.messagebus.handle(
        command, scope=Scope.tenant(stack.room.tenant_id), actor="t"
    )
    return contact


def taken(stack: Stack, account: Account, frame: str) -> tuple[str, Any]:
    alarm_id = raise_alarm(stack, account, frame)["id"]
    operator = actor(stack, "operator")
    assert operator.post(f"/api/v1/alarms/{alarm_id}/take").status_code == 200
    return alarm_id, operator


def call_body(contact: UUID | None, number: str, outcome: str, word: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"contact_id": None if contact is None else str(contact), "number": number}
    body["outcome"] = outcome
    if word is not None:
        body["word"] = word
    return body


def test_password_wrong_word_no_word_and_ecv_over_http(
    stack: Stack, accounts: dict[str, Account], keyholder: Contact, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    alarm_id, operator = taken(stack, accounts["a"], "1130 01 071")
    url = f"/api/v1/alarms/{alarm_id}/calls"
    site = operator.post(url, call_body(None, "+33 1 99 99 99 99", "no_answer"))
    assert site.status_code == 200, site.text
    assert (site.json()["result"], site.json()["call_order"], site.json()["contact_id"]) == ("none", 0, None)
    right = operator.post(url, call_body(keyholder.id, MOBILE, "answered", "Tulip  Garden"))
    assert right.status_code == 200, right.text
    assert right.json()["result"] == "password"
    assert right.json()["contact_name"] == "Alice Keyholder"
    assert right.json()["alarm"]["alarm_class"] == "intrusion"
    wrong = operator.post(url, call_body(keyholder.id, OFFICE, "answered", "plainly wrong"))
    assert wrong.json()["result"] == "wrong"
    none = operator.post(url, call_body(keyholder.id, OFFICE, "answered"))
    assert none.json()["result"] == "none"
    file = operator.get(f"/api/v1/alarms/{alarm_id}").json()
    assert [x["result"] for x in file["calls"]] == ["none", "password", "wrong", "none"]
    assert file["ecv"] is True
    assert set(file["calls"][0]) == {
        "id", "alarm_id", "at", "contact_id", "contact_name", "call_order", "number", "outcome", "result",
        "by",
    }  # fmt: skip
    answers = json.dumps([site.json(), right.json(), wrong.json(), none.json(), file]).casefold()
    entries = json.dumps(stack.entries("alarm.call"), default=str).casefold()
    assert len(stack.entries("alarm.call")) >= 4
    for word in SECRET_WORDS:
        assert word not in answers
        assert word not in entries
        assert word not in caplog.text.casefold()


def test_the_duress_word_answers_duress_and_makes_a_p1_duress_alarm_at_the_top(
    stack: Stack, accounts: dict[str, Account], keyholder: Contact, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    alarm_id, operator = taken(stack, accounts["a"], "1130 01 081")
    answer = operator.post(
        f"/api/v1/alarms/{alarm_id}/calls", call_body(keyholder.id, MOBILE, "answered", "RED kestrel")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] == "duress"
    alarm = answer.json()["alarm"]
    assert (alarm["alarm_class"], alarm["priority"], alarm["state"]) == ("duress", 1, "taken")
    queue = operator.get("/api/v1/alarms").json()
    assert queue[0]["priority"] == 1
    assert alarm_id in {x["id"] for x in queue if x["alarm_class"] == "duress"}
    duress = [e for e in stack.entries("alarm.duress_word") if e["alarm_id"] == alarm_id]
    assert len(duress) == 1
    assert duress[0]["original_class"] == "intrusion"
    everything = json.dumps(
        [
            answer.json(),
            stack.entries("alarm.call"),
            duress,
            operator.get(f"/api/v1/alarms/{alarm_id}").json(),
        ],
        default=str,
    ).casefold()
    assert DURESS_WORD not in everything
    assert DURESS_WORD not in caplog.text.casefold()


def test_only_the_holder_calls_and_only_the_contacts_numbers(
    stack: Stack, accounts: dict[str, Account], keyholder: Contact
) -> None:
    alarm_id, _operator = taken(stack, accounts["a"], "1130 01 091")
    url = f"/api/v1/alarms/{alarm_id}/calls"
    other = actor(stack, "operator2")
    refused = other.post(url, call_body(keyholder.id, MOBILE, "answered", PASSWORD_WORD))
    assert refused.status_code == 409
    assert "Operator holds this alarm" in refused.json()["detail"]
    operator = actor(stack, "operator")
    not_theirs = operator.post(url, call_body(keyholder.id, "+33 7 00 00 00 00", "no_answer"))
    assert not_theirs.status_code == 422
    assert "not a number of Alice Keyholder" in not_theirs.json()["detail"]
    bad = operator.post(url, call_body(keyholder.id, MOBILE, "maybe"))
    assert bad.status_code == 422
    assert operator.get(f"/api/v1/alarms/{alarm_id}").json()["calls"] == []


@pytest.mark.parametrize("who", ["elsewhere", "client-b", "site-b"])
def test_callers_outside_the_alarms_site_get_404_and_record_nothing(
    stack: Stack, accounts: dict[str, Account], keyholder: Contact, who: str
) -> None:
    alarm_id, _operator = taken(stack, accounts["a"], "1130 01 101")
    caller = actor(stack, who)
    answer = caller.post(f"/api/v1/alarms/{alarm_id}/calls", call_body(keyholder.id, MOBILE, "no_answer"))
    assert answer.status_code == 404, answer.text
    assert actor(stack, "admin").get(f"/api/v1/alarms/{alarm_id}").json()["calls"] == []
