"""The ranking's rules without a database: who is able, the plan filled scarcest first, engaged units
after, reasons in both languages, durations in words, and the turnout setting."""

from __future__ import annotations

import uuid

import pytest

from tocsin.bootstrap import recommend_settings
from tocsin.config import Settings
from tocsin.domain import recommendation as r
from tocsin.domain.errors import InvalidInput
from tocsin.domain.nomenclature import PlannedUnits
from tocsin.domain.resources import Unit
from tocsin.i18n import render

TENANT = uuid.uuid4()


def unit(callsign: str, kind: str, *capabilities: str, status: str = "available") -> Unit:
    return Unit(
        uuid.uuid4(), TENANT, callsign, kind, capabilities, status=status, latitude=47.0, longitude=2.0
    )


def test_ability_comes_from_kind_capabilities_and_the_table() -> None:
    """A police patrol with intervention is a PATROUILLE, a dog handler a MAITRE_CHIEN, a keyholder
    without intervention no AGENT_SECURITE; a kind spelled like the line fills it; ANY takes anyone."""
    patrol, dog = unit("PM 1", "police", "intervention"), unit("Cyno", "guard", "intervention", "dog")
    keyholder, engine = unit("Clé", "keyholder", "keyholding"), unit("FPT 1", "FPT")
    assert r.able(patrol, "PATROUILLE")
    assert r.able(dog, "MAITRE_CHIEN")
    assert not r.able(patrol, "MAITRE_CHIEN")
    assert not r.able(keyholder, "AGENT_SECURITE")
    assert r.able(engine, "fpt")
    assert not r.able(engine, "PATROUILLE")
    assert r.able(keyholder, r.ANY)


def test_the_scarce_line_chooses_first_and_engaged_units_come_after() -> None:
    """2 patrols + 1 dog: the only dog unit, though fastest, is kept for the dog line; an engaged
    faster patrol is ranked after every available one and proposed for nothing."""
    dog = unit("Cyno", "police", "intervention", "dog")
    slow, slower = unit("PM 2", "police", "intervention"), unit("PM 3", "police", "intervention")
    busy = unit("PM 0", "police", "intervention", status="en_route")
    keyholder = unit("Clé", "keyholder", "keyholding")
    estimates = [
        r.Estimate(busy, 30.0, "road", 400.0),
        r.Estimate(slower, 300.0, "road", 3000.0),
        r.Estimate(dog, 60.0, "road", 700.0),
        r.Estimate(slow, 120.0, "road", 1500.0),
        r.Estimate(keyholder, 10.0, "road", 100.0),
    ]
    plan = (PlannedUnits("PATROUILLE", 2), PlannedUnits("MAITRE_CHIEN", 1))
    result = r.rank(plan, estimates)
    assert [x.estimate.unit.callsign for x in result.ranked] == ["Cyno", "PM 2", "PM 3", "PM 0"]
    assert result.able == 4
    lines = {line.unit_type: [u.callsign for u in line.chosen] for line in result.plan}
    assert lines == {"MAITRE_CHIEN": ["Cyno"], "PATROUILLE": ["PM 2", "PM 3"]}
    busy_rank = result.ranked[-1]
    assert not busy_rank.available
    assert busy_rank.fills is None
    assert busy_rank.reason.key == "recommend.busy.road"
    assert render(busy_rank.reason.key, busy_rank.reason.params, "fr").startswith(
        "Actuellement en route\u00a0: la libérer"
    )


def test_a_line_nobody_can_fill_says_how_many_are_missing() -> None:
    """A fire with police units only: every fire line is missing, nothing proposed."""
    result = r.rank(
        (PlannedUnits("FPT", 2),), [r.Estimate(unit("PM 1", "police", "intervention"), 60.0, "road", 1.0)]
    )
    assert result.ranked == ()
    assert result.plan[0].missing == 2


def test_reasons_say_why_in_both_languages() -> None:
    """The first: "Fastest able unit"; the next: how far behind; no position: said so."""
    first, second = unit("A", "guard", "intervention"), unit("B", "guard", "intervention")
    lost = unit("C", "guard", "intervention")
    lost.latitude = lost.longitude = None
    estimates = [
        r.Estimate(first, 100.0, "road", 900.0),
        r.Estimate(second, 145.0, "distance", 1200.0),
        r.Estimate(lost, None, "none", None),
    ]
    ranked = r.rank((PlannedUnits("PATROUILLE", 1),), estimates).ranked
    texts = [render(x.reason.key, x.reason.params, "en") for x in ranked]
    assert texts[0].startswith("Fastest able unit: 1 min 40 s by road + 1 min turnout = 2 min 40 s")
    assert texts[0].endswith("proposed as PATROUILLE")
    assert texts[1].startswith("45 s after the fastest: about 2 min 25 s (1.2 km straight")
    assert texts[2] == "Position unknown: no time can be given"
    assert render(ranked[0].reason.key, ranked[0].reason.params, "fr").startswith("Unité apte la plus rapide")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 s"), (45.4, "45 s"), (60, "1 min"), (250, "4 min 10 s"), (3900, "1 h 05 min")],
)
def test_durations_read_the_same_in_both_languages(seconds: float, text: str) -> None:
    """Seconds under a minute, minutes and seconds, hours and minutes."""
    assert r.duration_text(seconds) == text


def test_the_turnout_setting_is_merged_over_the_defaults_or_refused() -> None:
    """TOCSIN_TURNOUT_SECONDS overrides some kinds; a malformed value is one clear error."""
    settings = recommend_settings(Settings(turnout_seconds='{"Guard": 45, "*": 90}'))
    assert settings.turnout["guard"] == 45
    assert r.turnout_for("drone", settings.turnout) == 90
    assert r.turnout_for("keyholder", settings.turnout) == 300
    with pytest.raises(InvalidInput, match="TOCSIN_TURNOUT_SECONDS"):
        recommend_settings(Settings(turnout_seconds='{"guard": "soon"}'))
