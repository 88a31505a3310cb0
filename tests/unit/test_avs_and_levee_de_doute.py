"""AVS-01 scoring on the standard's levels, and the levée de doute's rules: who may request the police
for which alarm, what a guard's findings make, and the input refused."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from tocsin.domain import verification as v
from tocsin.domain.alarms import Alarm, AlarmHeld, WrongState
from tocsin.domain.avs import avs_score
from tocsin.domain.errors import InvalidInput

NOW = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
ME, OTHER = UUID(int=1), UUID(int=2)


def alarm(alarm_class: str = "intrusion", state: str = "taken", holder: UUID | None = ME) -> Alarm:
    return Alarm(
        id=UUID(int=9),
        tenant_id=UUID(int=7),
        alarm_class=alarm_class,
        priority=4,
        opened_at=NOW,
        last_signal_at=NOW,
        state=state,  # type: ignore[arg-type]
        holder_id=holder,
        holder_name="Ann",
    )


def found(method: str, outcome: str, threat: str = "none") -> v.Verification:
    return v.Verification(UUID(int=3), UUID(int=7), UUID(int=9), NOW, method, outcome, threat)


@pytest.mark.parametrize(
    ("results", "level"),
    [
        ([], 1),  # an alarm and nothing more: limited information
        ([("inconclusive", "none")], 1),
        ([("not_confirmed", "none")], 0),  # checked, nothing there: no call for service
        ([("not_confirmed", "none"), ("inconclusive", "none")], 0),
        ([("confirmed", "presence")], 2),  # human presence
        ([("confirmed", "none")], 2),  # confirmed without a threat named: a presence
        ([("confirmed", "property")], 3),  # threat to property
        ([("not_confirmed", "none"), ("confirmed", "property")], 3),  # a confirmation wins
        ([("confirmed", "presence"), ("confirmed", "life")], 4),  # threat to life, the highest found
    ],
)
def test_an_intrusion_scores_the_highest_threat_confirmed(results: list[tuple[str, str]], level: int) -> None:
    """Each of the standard's five levels, from what the verifications found."""
    assert avs_score("intrusion", results) == level


@pytest.mark.parametrize(
    ("alarm_class", "results", "level"),
    [
        ("duress", [], 4),
        ("duress", [("not_confirmed", "none")], 4),  # the person may not be free to say
        ("panic", [], 2),
        ("hold_up", [("not_confirmed", "none")], 2),
        ("hold_up", [("confirmed", "life")], 4),
        ("fire", [], 1),
    ],
)
def test_alarms_a_person_raises_have_a_floor(
    alarm_class: str, results: list[tuple[str, str]], level: int
) -> None:
    """Duress scores 4 and panic or hold-up at least 2, whatever a check found."""
    assert avs_score(alarm_class, results) == level


def test_an_ecv_counts_as_a_positive_verification_but_scores_limited_information() -> None:
    """Two numbers called allow a police request (ECV) yet say nothing of a threat (level 1)."""
    assert v.positive([], ecv_made=True) == ["ecv"]
    assert avs_score("intrusion", v.results([], ecv_made=True)) == 1
    assert v.positive([found("video", "not_confirmed"), found("guard", "confirmed", "property")], False) == [
        "guard"
    ]


def test_an_unverified_intrusion_is_refused_to_the_police_and_gendarmerie_only() -> None:
    """No positive verification: police and gendarmerie refused (L613-6); the fire service allowed."""
    for kind in ("police", "Gendarmerie"):
        with pytest.raises(v.NotVerified, match="L613-6"):
            v.allow_request(alarm(), kind, [], "")
    assert v.allow_request(alarm(), "fire", [], "") == "fire request"
    assert v.allow_request(alarm(), "police", ["video", "ecv"], "") == "verified: video, ecv"
    assert v.allow_request(alarm("fire"), "police", [], "") == "fire alarm"


@pytest.mark.parametrize("alarm_class", ["panic", "hold_up", "duress"])
def test_alarms_a_person_raises_pass_with_a_note(alarm_class: str) -> None:
    """Panic, hold-up and duress need no verification, but a note saying why."""
    with pytest.raises(InvalidInput, match="needs a note"):
        v.allow_request(alarm(alarm_class), "police", [], "  ")
    assert v.allow_request(alarm(alarm_class), "police", [], "Hold-up button, no answer").startswith("person")


def test_only_the_holder_acts_and_bad_input_is_named() -> None:
    """Not taken, held by another, an unknown method, outcome, threat or findings: each refused."""
    with pytest.raises(WrongState, match="take it before"):
        v.may_act(alarm(state="new", holder=None), ME, "recording a verification")
    with pytest.raises(AlarmHeld, match="Ann holds"):
        v.may_act(alarm(), OTHER, "x")
    with pytest.raises(InvalidInput, match="not recorded by hand"):
        v.check_verification("guard", "confirmed", "none", "")
    with pytest.raises(InvalidInput, match="Unknown verification outcome"):
        v.check_verification("video", "maybe", "none", "")
    with pytest.raises(InvalidInput, match="Only a confirmed"):
        v.check_verification("audio", "not_confirmed", "life", "")
    with pytest.raises(InvalidInput, match="Unknown findings"):
        v.check_findings("aliens")
    with pytest.raises(InvalidInput, match="message given is required"):
        v.check_request(" ", "", "")
    with pytest.raises(InvalidInput, match="ETA"):
        v.check_eta(-1)
    assert v.check_verification("video", "confirmed", "none", " seen ") == ("confirmed", "presence", "seen")
    assert v.check_findings("confirmed_intrusion") == ("confirmed", "property")
