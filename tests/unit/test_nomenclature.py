"""The nomenclature: the shipped types, their priority rules, départ réflexe, missing answers and refusals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.domain import incidents as i
from tocsin.domain.apco import INCIDENT_CATEGORIES
from tocsin.domain.errors import InvalidInput
from tocsin.domain.nomenclature import assess, check_answers, parse_type, type_data
from tocsin.services.nomenclature import shipped_types

TYPES = {t.code: t for t in shipped_types()}
NOW = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


def test_the_shipped_nomenclature_covers_the_rooms_types_and_maps_each_to_apco() -> None:
    """About 30 types, each with French and English labels, questions and a valid APCO 2.103 code."""
    assert len(TYPES) >= 25
    for needed in (
        "FIRE_BUILDING", "FIRE_VEHICLE", "FIRE_VEGETATION", "INJURED_PERSON", "CARDIAC_ARREST", "ASSAULT",
        "BURGLARY_IN_PROGRESS", "SUSPICIOUS_PERSON", "ROAD_ACCIDENT", "GAS_LEAK", "PUBLIC_DISORDER",
        "LOST_CHILD", "LONE_WORKER_ALARM",
    ):  # fmt: skip
        assert needed in TYPES
    for kind in TYPES.values():
        assert kind.apco in INCIDENT_CATEGORIES
        assert kind.label_fr
        assert kind.label_en
        assert kind.questions
        assert parse_type(type_data(kind)) == kind
        assert all(code in TYPES for code in kind.compatible)


def test_answers_raise_and_lower_the_priority_within_one_to_five() -> None:
    """A road accident starts P3; a victim raises it, three victims and a motorbike more; none lowers it."""
    kind = TYPES["ROAD_ACCIDENT"]
    assert assess(kind, {}).priority == 3
    assert assess(kind, {"victims": 1.0}).priority == 2
    assert assess(kind, {"victims": 3.0, "vehicle_kinds": "motorbike"}).priority == 1
    assert assess(kind, {"victims": 0.0}).priority == 4
    burglary = TYPES["BURGLARY_IN_PROGRESS"]
    assert assess(burglary, {"intruders_inside": False}).priority == 3
    assert assess(TYPES["NOISE"], {"repeated": False}).priority == 5


def test_a_reflex_answer_means_immediate_dispatch_at_priority_one() -> None:
    """Someone inside a burning building, someone trapped after a crash, a cardiac arrest by its type."""
    fire = assess(TYPES["FIRE_BUILDING"], {"people_inside": True})
    assert fire.reflex
    assert fire.priority == 1
    assert "people_inside" in fire.reasons
    assert not assess(TYPES["FIRE_BUILDING"], {"people_inside": False}).reflex
    assert assess(TYPES["ROAD_ACCIDENT"], {"trapped": True}).reflex
    assert assess(TYPES["CARDIAC_ARREST"], {}).reflex


def test_missing_essential_questions_are_flagged_and_the_next_one_named() -> None:
    """Unanswered essential questions are listed; the next question follows the type's order."""
    kind = TYPES["FIRE_BUILDING"]
    first = assess(kind, {})
    assert "people_inside" in first.missing
    assert first.next_question == "people_inside"
    later = assess(kind, {"people_inside": False})
    assert "people_inside" not in later.missing
    assert later.next_question == "smoke_visible"


def test_answers_of_the_wrong_kind_or_to_unknown_questions_are_refused() -> None:
    """A number where yes/no is asked, a choice not offered, a question the type does not ask."""
    kind = TYPES["ROAD_ACCIDENT"]
    with pytest.raises(InvalidInput, match="yes or no"):
        check_answers(kind, {"trapped": "yes"})
    with pytest.raises(InvalidInput, match="one of"):
        check_answers(kind, {"vehicle_kinds": "tank"})
    with pytest.raises(InvalidInput, match="no question 'colour'"):
        check_answers(kind, {"colour": "red"})
    with pytest.raises(InvalidInput, match="number"):
        check_answers(kind, {"victims": True})
    assert check_answers(kind, {"victims": 2}) == {"victims": 2.0}


def test_a_type_that_does_not_hold_together_is_refused() -> None:
    """An APCO code not in the standard, a rule on a question not asked, a priority out of range."""
    good = type_data(TYPES["GAS_LEAK"])
    with pytest.raises(InvalidInput, match="APCO"):
        parse_type({**good, "apco": "NOPE"})
    with pytest.raises(InvalidInput, match="not asked"):
        parse_type({**good, "reflex": [{"question": "ghost", "op": "is", "value": True}]})
    with pytest.raises(InvalidInput, match="default_priority"):
        parse_type({**good, "default_priority": 9})


def _incident(
    code: str, lat: float, lon: float, minutes_ago: float, state: i.IncidentState = "open"
) -> i.Incident:
    kind = TYPES[code]
    at = NOW - timedelta(minutes=minutes_ago)
    return i.Incident(
        id=uuid4(), tenant_id=uuid4(), type_code=code, type_label_en=kind.label_en,
        type_label_fr=kind.label_fr, apco=kind.apco, priority=3, reflex=False, state=state, origin="call",
        opened_at=at, updated_at=at,
        created_by="t", latitude=lat, longitude=lon,
    )  # fmt: skip


def test_a_call_near_an_open_event_of_a_compatible_type_is_offered_as_the_same() -> None:
    """Within 300 m and 30 minutes, same or compatible type, still open: nearest first; others are not."""
    here = i.Place(48.8566, 2.3522)
    near = _incident("ROAD_ACCIDENT", 48.8575, 2.3522, 5)  # about 100 m
    compatible = _incident("INJURED_PERSON", 48.8580, 2.3522, 2)  # about 155 m
    far = _incident("ROAD_ACCIDENT", 48.8700, 2.3522, 5)  # about 1.5 km
    old = _incident("ROAD_ACCIDENT", 48.8566, 2.3522, 45)
    other_type = _incident("NOISE", 48.8566, 2.3522, 1)
    closed = _incident("ROAD_ACCIDENT", 48.8566, 2.3522, 1, state="closed")
    found = i.duplicates(TYPES["ROAD_ACCIDENT"], here, NOW, [far, old, other_type, closed, compatible, near])
    assert [c.incident for c in found] == [near, compatible]
    assert found[0].distance_m is not None
    assert 90 < found[0].distance_m < 110


def test_states_move_forward_back_one_step_and_never_out_of_closed() -> None:
    """open → on_scene skips ahead; on_scene → dispatched steps back; closed stays closed."""
    incident = _incident("FIGHT", 48.0, 2.0, 0)
    on_scene = i.move(incident, "on_scene", NOW)
    assert i.move(on_scene, "dispatched", NOW).state == "dispatched"
    with pytest.raises(InvalidInput):
        i.move(on_scene, "open", NOW)
    closed = i.move(on_scene, "closed", NOW)
    assert closed.closed_at == NOW
    with pytest.raises(InvalidInput, match="closed"):
        i.move(closed, "open", NOW)
    with pytest.raises(InvalidInput, match="closed"):
        i.still_open(closed)


@given(data=st.data())
@settings(max_examples=200, deadline=None)
def test_any_answers_give_a_priority_from_one_to_five_and_reflex_means_one(data: st.DataObject) -> None:
    """Whatever a caller answers, within what a type asks, the priority stays in 1..5 and a départ
    réflexe is always priority 1."""
    kind = data.draw(st.sampled_from(sorted(TYPES.values(), key=lambda t: t.code)))
    answers: dict[str, bool | float | str] = {}
    for question in kind.questions:
        if not data.draw(st.booleans()):
            continue
        if question.kind == "yes_no":
            answers[question.id] = data.draw(st.booleans())
        elif question.kind == "number":
            answers[question.id] = data.draw(st.floats(min_value=0, max_value=10_000))
        elif question.kind == "choice":
            answers[question.id] = data.draw(st.sampled_from(question.choices))
        else:
            answers[question.id] = data.draw(st.text(max_size=20))
    result = assess(kind, check_answers(kind, answers))
    assert 1 <= result.priority <= 5
    if result.reflex:
        assert result.priority == 1
    assert set(result.missing) <= {q.id for q in kind.questions if q.essential}
