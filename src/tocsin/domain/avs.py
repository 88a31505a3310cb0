"""ANSI/TMA-AVS-01 alarm validation score: 0 to 4, from what the verification of an alarm found.

The standard's levels (research: shared/research/arc-anchors.md, section 3):

- **0** no call for service: the alarm was checked and nothing calls for the police;
- **1** limited information: an alarm, and nothing seen or heard that says more;
- **2** human presence probable;
- **3** threat to property: an intrusion or damage confirmed;
- **4** threat to life.

How each piece of evidence maps to a level is Tocsin's reading of those names, stated here so that anyone
can check a score by hand:

- a confirmed verification (video seen, audio heard, a guard on site) scores the threat it found:
  ``presence`` 2, ``property`` 3, ``life`` 4;
- verifications that all found nothing (``not_confirmed``) and none confirmed score 0;
- an enhanced call verification alone (two numbers called), inconclusive checks, or no check at all
  score 1;
- alarms a person raises on purpose are scored from their class as a floor: ``duress`` (a duress code
  or word: a person under threat) 4; ``panic`` and ``hold_up`` 2 (someone pressed the button). A
  verification that found nothing does not lower them: proof must be kept, and the person may not be
  free to say.

Pure: values in, an integer out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Threat = Literal["none", "presence", "property", "life"]
THREATS: tuple[Threat, ...] = ("none", "presence", "property", "life")
THREAT_LEVEL: dict[str, int] = {"none": 1, "presence": 2, "property": 3, "life": 4}
CLASS_FLOOR: dict[str, int] = {"duress": 4, "panic": 2, "hold_up": 2}
LEVELS = (0, 1, 2, 3, 4)


def avs_score(alarm_class: str, results: Iterable[tuple[str, str]]) -> int:
    """The alarm's AVS-01 level from its class and its verification results, each ``(outcome,
    threat)`` with outcome ``confirmed``, ``not_confirmed`` or ``inconclusive`` (an ECV made counts as
    an inconclusive result: calls were made, nobody saw anything)."""
    confirmed: list[int] = []
    cleared = False
    for outcome, threat in results:
        if outcome == "confirmed":
            confirmed.append(THREAT_LEVEL.get(threat, 2) if threat != "none" else 2)
        elif outcome == "not_confirmed":
            cleared = True
    floor = CLASS_FLOOR.get(alarm_class, 0)
    if confirmed:
        return max(*confirmed, floor)
    if cleared:
        return floor
    return max(1, floor)
