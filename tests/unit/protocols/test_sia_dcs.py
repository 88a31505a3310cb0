"""SIA DCS (DC-03/DC-04) data parsing."""

from __future__ import annotations

import pytest

from tocsin.protocols.sia_dcs import SiaDcsError, SiaEvent, parse


def test_single_event_with_account() -> None:
    """#acct|Nri1/BA501 is a new burglary alarm, area 1, zone 501, for that account."""
    assert parse("#1234|Nri1/BA501") == [SiaEvent("1234", "BA", "501", "1")]


def test_several_events_share_modifiers() -> None:
    """Events separated by '/' share the area set before them; a later ri changes it."""
    events = parse("Nri1/BA501/BR501/ri2/TA3", account="99")
    assert [(e.code, e.zone_or_user, e.partition, e.account) for e in events] == [
        ("BA", "501", "1", "99"),
        ("BR", "501", "1", "99"),
        ("TA", "3", "2", "99"),
    ]


def test_time_user_and_area_modifiers() -> None:
    """ti, id and ri modifiers are kept on the event."""
    (event,) = parse("Nti10:23/id12/ri1/OP12")
    assert (event.code, event.user, event.time, event.partition, event.zone_or_user) == (
        "OP",
        "12",
        "10:23",
        "1",
        "12",
    )


def test_standard_example_without_separators() -> None:
    """The standard's NFA129 and blocks without '/' (ri1CL0) are read."""
    assert parse("NFA129") == [SiaEvent("", "FA", "129", "")]
    (event,) = parse("#123456|Nri1CL0^VX FRONTE ^")
    assert (event.code, event.zone_or_user, event.partition, event.text) == ("CL", "0", "1", "VX FRONTE ")


def test_old_event_and_text_block() -> None:
    """An 'O' block is an old event; a trailing |A… text is attached."""
    (event,) = parse("Ori1/BA501|Aback door")
    assert (event.new, event.text) == (False, "back door")


def test_code_without_number_and_empty_account() -> None:
    """A code may have no number (RP); a bare leading '|' (pysiaalarm form) is skipped."""
    assert parse("|NRP") == [SiaEvent("", "RP", "", "")]


def test_code_starting_with_n_and_no_function_letter() -> None:
    """Data like 'NL4' (code NL) and 'BA501' (no N) are still read."""
    assert parse("NL4")[0].code == "NL"
    assert parse("BA501")[0].code == "BA"


@pytest.mark.parametrize("data", ["", "N", "Nri1/", "N12", "Atext only", "Nri1/ba501"])
def test_bad_input(data: str) -> None:
    """Data without a readable event raises SiaDcsError (a ValueError)."""
    with pytest.raises(SiaDcsError):
        parse(data)
