"""The default procedures of the room's own alarms (issue 16: station health alarms "with their own
procedures"): they speak of the room, not of a site to call back."""

from __future__ import annotations

import pytest

from tocsin.domain import plans as p


@pytest.mark.parametrize(
    "alarm_class",
    [
        "clock_offset",
        "clock_unsynchronised",
        "ups_on_battery",
        "ups_low_battery",
        "ups_unreachable",
        "storage_low",
        "process_silent",
    ],
)
def test_a_station_alarm_sends_the_operator_to_the_station_page_and_the_on_call(alarm_class: str) -> None:
    steps = p.default_steps(alarm_class)
    assert [s.kind for s in steps] == ["free_text", "free_text"]
    assert "station page" in steps[0].instruction
    assert "degraded-mode kit" in steps[1].instruction
    assert all(s.mandatory for s in steps)


def test_an_unresponsive_operator_is_checked_on_and_their_alarms_taken_back() -> None:
    steps = p.default_steps("operator_unresponsive")
    assert "operator" in steps[0].instruction
    assert "returned to the queue" in steps[1].instruction


def test_a_site_fault_still_has_the_technical_procedure() -> None:
    assert [s.kind for s in p.default_steps("ac_loss")] == ["call_site", "inform_client"]
