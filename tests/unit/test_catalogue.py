"""Every logbook message reads in English and French."""

from __future__ import annotations

import dataclasses
import uuid

from tocsin.domain import events
from tocsin.i18n import LANGUAGES, render
from tocsin.i18n.catalogue import MESSAGES


def _all_events() -> list[type[events.Event]]:
    found, pending = [], list(events.Event.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def test_every_event_message_has_both_languages() -> None:
    """Each event's message key is in the catalogue in every language."""
    for cls in _all_events():
        if not cls.KIND:  # a base of several kinds (AlarmEvent), never recorded itself
            continue
        assert cls.MESSAGE in MESSAGES, cls
        assert set(MESSAGES[cls.MESSAGE]) == set(LANGUAGES), cls


def test_events_round_trip_through_their_logbook_data() -> None:
    """An event rebuilt from its recorded data equals the original."""
    event = events.SiteCreated(
        tenant_id=uuid.uuid4(), site_id=uuid.uuid4(), client_id=uuid.uuid4(), ref="S1", name="Bakery"
    )
    assert events.event_class("site.created") is events.SiteCreated
    assert events.SiteCreated.from_data(event.to_data()) == event
    assert dataclasses.asdict(event)["ref"] == "S1"


def test_render_uses_the_reader_language_and_translates_words() -> None:
    """The same parameters read in French with the domain words translated."""
    params = {"what": "account", "label": "R0 L0 #1234"}
    assert render("site.child_added", params, "fr") == "Transmetteur R0 L0 #1234 ajouté au site"
    assert render("site.child_added", params, "en") == "Transmitter R0 L0 #1234 added to the site"


def test_render_never_fails_on_unknown_keys_or_missing_parameters() -> None:
    """An unknown key or a missing parameter still gives readable text."""
    assert render("no.such.key", {"a": 1}) == "no.such.key {'a': 1}"
    assert "Site" in render("site.created", {}, "en")


def test_only_the_kind_of_thing_is_translated() -> None:
    """A user named 'unit' stays 'unit'; the word for the kind of thing is translated."""
    assert render("user.created", {"username": "unit"}, "en") == "User unit created"
    assert render("resource.added", {"what": "unit", "label": "VL 1"}, "fr") == "Moyen VL 1 ajouté"


def test_a_list_parameter_reads_as_words_not_as_a_python_list() -> None:
    params = {
        "by": "Alice",
        "type_code": "FIRE",
        "address": "1 rue X",
        "outcomes": ["handled", "transported"],
        "dispositions": ("ASSISTED",),
        "text": "ok",
    }
    text = render("incident.reported", params)
    assert "handled, transported (ASSISTED)" in text
    assert "[" not in text
