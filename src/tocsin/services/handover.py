"""The handover's summary, prepared by Tocsin for the outgoing operator to edit: the open alarms and
events, the follow-ups waiting, the temporary instructions in force on their sites (bounded lists, in
the caller's scope and language)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from tocsin.domain.instructions import TemporaryInstruction
from tocsin.i18n.room import HANDOVER_WORDS
from tocsin.services.unit_of_work import UnitOfWork

LISTED = 50  # items of each kind written out; the counts are whole
EVENT_STATES = ("open", "dispatched", "on_scene", "closing")


@dataclass
class Summary:
    """What is open as the shift ends: lines per section, and whole counts."""

    alarms: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    text: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "alarms": self.alarms,
            "events": self.events,
            "follow_ups": self.follow_ups,
            "instructions": self.instructions,
            "counts": self.counts,
            "text": self.text,
        }


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


def prepare(uow: UnitOfWork, language: str = "en", *, with_events: bool = True) -> Summary:
    """The summary of what the caller's scope sees open now."""
    words = HANDOVER_WORDS.get(language, HANDOVER_WORDS["en"])
    now = uow.clock.now()
    summary = Summary()
    open_alarms = uow.alarms.find(states=("new", "taken"), limit=500)
    settled = uow.alarms.find(states=("settled",), limit=500)
    waiting = [x for x in settled if x.follow_up_until is not None and x.follow_up_until > now]
    sites: set[UUID] = set()
    for alarm in open_alarms:
        title = alarm.title_fr if language == "fr" and alarm.title_fr else alarm.title_en
        holder = f" ({words['held']} {alarm.holder_name})" if alarm.holder_name else ""
        priority = words["room"] if alarm.priority == 0 else f"P{alarm.priority}"  # the room's own panel
        summary.alarms.append(f"{priority} {alarm.site_ref} {title}{holder}".replace("  ", " ").strip())
        if alarm.site_id is not None:
            sites.add(alarm.site_id)
    for alarm in waiting:
        until = _stamp(alarm.follow_up_until) if alarm.follow_up_until else ""
        summary.follow_ups.append(f"{alarm.site_ref} {alarm.alarm_class} {words['until']} {until}".strip())
    events = uow.incidents.find(states=EVENT_STATES, limit=500, light=True) if with_events else []
    for event in events:
        label = event.type_label_fr if language == "fr" else event.type_label_en
        summary.events.append(f"P{event.priority} {label} {event.address} ({event.state})".strip())
        if event.site_id is not None:
            sites.add(event.site_id)
    instructions = _instructions(uow, sorted(sites)[:LISTED], now)
    for item in instructions:
        summary.instructions.append(f"{item.text} ({words['until']} {_stamp(item.ends_at)})")
    summary.counts = {
        "alarms": len(open_alarms),
        "events": len(events),
        "follow_ups": len(waiting),
        "instructions": len(instructions),
    }
    summary.text = _text(summary, words, now)
    return summary


def _instructions(uow: UnitOfWork, site_ids: list[UUID], now: datetime) -> list[TemporaryInstruction]:
    found: list[TemporaryInstruction] = []
    for site_id in site_ids:
        found.extend(i for i in uow.plans.instructions(site_id) if i.in_force(now))
    return found


def _section(title: str, lines: list[str], words: dict[str, str]) -> list[str]:
    shown = [f"- {line}" for line in lines[:LISTED]] or [f"- {words['none']}"]
    if len(lines) > LISTED:
        shown.append("- " + words["more"].format(n=len(lines) - LISTED))
    return [f"{title} ({len(lines)})", *shown, ""]


def _text(summary: Summary, words: dict[str, str], now: datetime) -> str:
    lines = [f"{words['title']} · {_stamp(now)}", ""]
    lines += _section(words["alarms"], summary.alarms, words)
    lines += _section(words["events"], summary.events, words)
    lines += _section(words["follow_ups"], summary.follow_ups, words)
    lines += _section(words["instructions"], summary.instructions, words)
    lines += [words["notes"], ""]
    return "\n".join(lines)
