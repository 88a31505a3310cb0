"""The simulated panels' traffic: every alarm is restored on its own zone, and the mix keeps the demo's
queue alive without flooding it (mostly routine, burglaries a few a minute, life-safety alarms rare)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from tocsin.protocols import contact_id, sia_dcs
from tocsin.simulators.panels import TRAFFIC, Event, Panel, Traffic

FRAMES = 60_000  # 25 hours of the demo's 40 panels at a frame a minute each


def _run(panels: list[Panel], frames: int, seed: int = 1) -> list[tuple[str, Event]]:
    traffic = Traffic(random.Random(seed))  # noqa: S311 - simulated traffic
    return [(p.account, traffic.next(p)) for _ in range(frames // len(panels)) for p in panels]


def _panels() -> list[Panel]:
    return [Panel(f"{0xA000 + n:X}", zones=("001", "002", "003", "010")) for n in range(40)]


def test_every_alarm_is_followed_by_its_restore_on_the_same_zone() -> None:
    sent = _run(_panels(), FRAMES)
    open_: dict[tuple[str, str, str], int] = {}  # (account, kind, zone) -> frame index of the alarm
    restored = 0
    for index, (account, event) in enumerate(sent):
        if event.cid is None or event.kind in ("open_close", "test", "duress"):
            continue
        key = (account, event.kind, event.zone)
        if event.restore:
            assert key in open_, f"restore without its alarm: {key}"
            del open_[key]
            restored += 1
        else:
            assert key not in open_, f"a second alarm on a zone not yet restored: {key}"
            open_[key] = index
    assert restored > 3_000
    # only the alarms of each panel's last few frames may wait for their restore
    last = len(sent) - 1
    assert all(last - index <= 40 * 20 for index in open_.values()), open_


def test_restores_are_the_same_code_with_the_restore_qualifier() -> None:
    for _, event in _run(_panels(), 4_000):
        if event.cid is None or event.kind == "open_close":
            continue
        cid = contact_id.parse(event.cid)
        assert cid.qualifier == ("restore" if event.restore else "new")
        if event.zone != "000" and event.kind != "duress":
            assert cid.zone_or_user == event.zone
        assert event.sia is not None
        (sia,) = sia_dcs.parse(event.sia)
        assert sia.zone_or_user.endswith(event.zone.lstrip("0") or "0") or event.zone == "000"


def test_openings_and_closings_alternate_per_panel() -> None:
    armed: dict[str, bool] = {}
    for account, event in _run(_panels(), 8_000):
        if event.kind != "open_close":
            continue
        assert event.cid is not None
        closing = event.cid.startswith("3401")
        assert closing != armed.get(account, False)  # a disarmed panel closes, an armed one opens
        armed[account] = closing


def test_the_mix_stays_within_its_bounds() -> None:
    panels = _panels()
    sent = _run(panels, FRAMES)
    hours = FRAMES / len(panels) / 60  # a frame a minute per panel, as the demo plays them
    new = Counter(e.kind for _, e in sent if not e.restore)
    routine = new["poll"] + new["test"] + sum(1 for _, e in sent if e.kind == "open_close")
    assert routine / len(sent) > 0.85  # mostly polls, tests, openings and closings
    assert 0.5 < new["burglary"] / (hours * 60) < 4  # a few burglaries a minute at most
    for rare in ("fire", "panic", "duress"):
        assert 0.2 < new[rare] / hours < 6, (rare, new[rare] / hours)  # a few an hour, never a flood
    for technical in ("mains_loss", "low_battery", "tamper"):
        assert new[technical] > 0
    assert new["test"] / hours > 40 * 5  # every panel tests several times an hour: no missed test


def test_a_site_with_no_zones_sends_no_zone_events() -> None:
    kinds = {e.kind for _, e in _run([Panel("B001", zones=())], 5_000)}
    zoned = {k.name for k in TRAFFIC if k.zoned}
    assert kinds
    assert not kinds & zoned


def test_a_panel_with_hours_opens_only_while_its_site_is_open() -> None:
    """A site open 08:00-18:00 (UTC here): its panel's openings fall in those hours and its closings out
    of them, so the demo raises no "opened outside hours" alarm from its own simulated people."""

    def open_at(at: datetime) -> bool:
        return 8 <= at.hour < 18

    panel = Panel("B001", zones=("001",), open_at=open_at)
    traffic = Traffic(random.Random(3))  # noqa: S311 - simulated traffic
    start = datetime(2026, 12, 1, tzinfo=UTC)
    openings = closings = 0
    for minute in range(3 * 24 * 60):  # three days, a frame a minute
        at = start + timedelta(minutes=minute)
        event = traffic.next(panel, at)
        if event.kind != "open_close":
            continue
        if event.restore:  # a closing (arming): the site has closed
            closings += 1
            assert not open_at(at), at
        else:
            openings += 1
            assert open_at(at), at
    assert openings >= 3  # one a day at least
    assert closings >= 3
