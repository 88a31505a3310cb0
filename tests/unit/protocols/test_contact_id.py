"""Contact ID (DC-05) data parsing."""

from __future__ import annotations

import pytest

from tocsin.protocols.contact_id import ContactIdError, ContactIdEvent, parse


@pytest.mark.parametrize(
    ("data", "account"),
    [
        ("#1234|1130 01 015", "1234"),
        ("1234|1130 01 015", "1234"),
        ("1130 01 015", ""),
        ("113001015", ""),
        ("18 1130 01 015", ""),
        ("98113001015", ""),
        ("1234 18 1130 01 015", "1234"),
        ("1234181130010157", "1234"),
    ],
)
def test_accepted_forms(data: str, account: str) -> None:
    """Every accepted form yields the same burglary event on partition 01, zone 015."""
    assert parse(data) == ContactIdEvent(account, "new", "130", "01", "015")


@pytest.mark.parametrize(("digit", "qualifier"), [("1", "new"), ("3", "restore"), ("6", "status")])
def test_qualifiers(digit: str, qualifier: str) -> None:
    """Q = 1, 3, 6 are new, restore and status."""
    assert parse(f"{digit}602 00 000").qualifier == qualifier


def test_account_from_frame_when_data_has_none() -> None:
    """The frame's account fills in when the data carries none."""
    assert parse("1401 02 007", account="ABCD").account == "ABCD"


def test_hex_digits_b_to_f() -> None:
    """Partitions and zones may use the hex digits B-F."""
    event = parse("1130 0B 0FC")
    assert (event.partition, event.zone_or_user) == ("0B", "0FC")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "digits"),
        ("1130 01", "digits"),
        ("2130 01 015", "qualifier"),
        ("1130 01 0Z5", "characters"),
        ("17 1130 01 015", "message type"),
    ],
)
def test_bad_input(data: str, message: str) -> None:
    """Bad Contact ID data raises ContactIdError (a ValueError) naming the problem."""
    with pytest.raises(ContactIdError, match=message):
        parse(data)
    assert issubclass(ContactIdError, ValueError)
