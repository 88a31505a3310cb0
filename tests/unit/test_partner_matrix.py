"""The notification matrix, templates and reports as pure rules: which rule applies to which event, a
template's required and optional fields, the refusal naming the empty field, outcome codes mapped to
APCO dispositions, partner kinds and channels."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from tocsin.domain import incidents as i
from tocsin.domain import partners as p
from tocsin.domain.apco import DISPOSITIONS
from tocsin.domain.closure import OUTCOMES, Report, require_report
from tocsin.domain.errors import Conflict, InvalidInput
from tocsin.domain.resources import Partner, partner_kind
from tocsin.i18n.partners import OUTCOME_LABELS

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
TENANT = UUID(int=1)
POLICE = Partner(UUID(int=2), TENANT, "Police", "police", phones=("17",), radio="TG 1")
FIRE = Partner(UUID(int=3), TENANT, "Pompiers", "fire", email="cta@sdis.example")


def incident(code: str = "FIGHT", priority: int = 2, **extra: object) -> i.Incident:
    fields: dict[str, object] = {
        "id": UUID(int=9),
        "tenant_id": TENANT,
        "type_code": code,
        "type_label_en": "Fight",
        "type_label_fr": "Rixe",
        "apco": "FIGHT",
        "priority": priority,
        "reflex": False,
        "state": "open",
        "origin": "call",
        "opened_at": NOW,
        "updated_at": NOW,
        "created_by": "Ann",
        "address": "3 rue de la Paix",
        **extra,
    }
    return i.Incident(**fields)  # type: ignore[arg-type]


def template(text: str, code: str = "t") -> p.Template:
    return p.Template(TENANT, code, "T", text)


def rule(partner: Partner, **fields: object) -> p.MatrixRule:
    return p.MatrixRule(TENANT, partner.id, fields.pop("channel", "phone"), "t", **fields)  # type: ignore[arg-type]


def test_a_rule_applies_by_type_or_category_at_its_priority_or_more_urgent() -> None:
    """Type and category both narrow; max_priority 2 takes P1 and P2, not P3; empty matches all."""
    by_type = rule(POLICE, type_code="fight", max_priority=2)
    assert by_type.type_code == "FIGHT"
    assert by_type.applies(incident(priority=2), "police")
    assert by_type.applies(incident(priority=1), "police")
    assert not by_type.applies(incident(priority=3), "police")
    assert not by_type.applies(incident("NOISE"), "police")
    by_category = rule(POLICE, category="fire")
    assert by_category.applies(incident("FIRE_SMOKE", 4), "fire")
    assert not by_category.applies(incident(), "police")
    assert rule(POLICE).applies(incident(priority=5), "other")


def test_suggestions_follow_the_matrix_order_once_per_partner_and_say_who_was_told() -> None:
    """The first applicable rule per partner wins; a partner already asked reads 'sent'."""
    matrix = p.Matrix(
        (
            rule(FIRE, category="fire", channel="email"),
            rule(POLICE, max_priority=2),
            rule(POLICE, channel="radio"),
        ),
        (template("{address}"),),
    )
    found = p.suggest(matrix, incident(), "police", [POLICE, FIRE], [])
    assert [(s.partner.name, s.channel, s.sent) for s in found] == [("Police", "phone", False)]
    asked = p.PartnerRequest(
        UUID(int=5), TENANT, UUID(int=9), POLICE.id, "Police", "police", "phone", "17", "t", "m", NOW, "Ann"
    )
    assert [s.sent for s in p.suggest(matrix, incident(), "police", [POLICE], [asked])] == [True]


def test_a_template_names_known_fields_required_or_optional() -> None:
    """{x} is required, {x?} optional; an unknown field, a missing template or a bad code is refused."""
    made = template("{type_code} at {address}; caller {caller_phone?} {address}")
    assert made.required == ("type_code", "address")
    assert made.fields == ("type_code", "address", "caller_phone")
    with pytest.raises(InvalidInput, match="colour"):
        template("{colour}")
    with pytest.raises(InvalidInput, match="code"):
        template("{address}", code="bad code!")
    with pytest.raises(InvalidInput, match="lacks"):
        p.Matrix((rule(POLICE),), ())
    with pytest.raises(InvalidInput, match="once"):
        p.Matrix((), (template("a"), template("b")))


def test_rendering_refuses_an_empty_required_field_by_name_and_takes_the_operators_values() -> None:
    """No caller phone on the event: refused naming it; given by the operator: filled; optional ones
    may stay empty; an unknown given field is refused."""
    made = template("{priority} {type_code} at {address}, call {caller_phone}. {summary?}")
    values = p.event_fields(incident(), None, POLICE, "Ann")
    with pytest.raises(InvalidInput, match="needs caller_phone"):
        p.render(made, values, {})
    with pytest.raises(InvalidInput, match="needs caller_phone"):
        p.render(made, values, {"caller_phone": "  "})
    assert p.render(made, values, {"caller_phone": "0611"}) == "P2 FIGHT at 3 rue de la Paix, call 0611."
    with pytest.raises(InvalidInput, match="unknown"):
        p.render(made, values, {"shoe_size": "42"})


def test_event_fields_include_the_radio_channel_and_position() -> None:
    """The radio channel and talk-group, the coordinates to six places, the partner and operator."""
    radio = p.RadioAssignment(UUID(int=9), TENANT, " TKG 12 ", "Groupe 3", NOW, "Ann")
    values = p.event_fields(incident(latitude=47.5, longitude=1.25), radio, POLICE, "Ann")
    assert (values["radio"], values["latitude"], values["partner"]) == (
        "TKG 12 / Groupe 3",
        "47.500000",
        "Police",
    )
    with pytest.raises(InvalidInput, match="radio channel"):
        p.RadioAssignment(UUID(int=9), TENANT, " ", "", NOW, "Ann")


def test_partner_kinds_channels_and_addresses() -> None:
    """The eight kinds (older names read as the new ones), the address of each channel."""
    assert [partner_kind(k) for k in ("Police", "medical", "railway", "utility")] == [
        "police",
        "samu",
        "rail",
        "other",
    ]
    with pytest.raises(InvalidInput, match="gendarmerie"):
        partner_kind("army")
    assert (POLICE.address("phone"), POLICE.address("radio"), POLICE.address("email")) == ("17", "TG 1", "")
    with pytest.raises(InvalidInput, match="phone, email, radio"):
        p.check_channel("pigeon")


def test_an_acknowledgment_is_recorded_once() -> None:
    """The reference and time kept; a second one refused naming the first."""
    asked = p.PartnerRequest(
        UUID(int=5), TENANT, UUID(int=9), POLICE.id, "Police", "police", "phone", "17", "t", "m", NOW, "Ann"
    )
    acked = p.acknowledge(asked, NOW, "Bob", " PN-7 ", "")
    assert (acked.reference, acked.ack_by, acked.acknowledged) == ("PN-7", "Bob", True)
    with pytest.raises(Conflict, match="PN-7"):
        p.acknowledge(acked, NOW, "Bob", "x", "")


def test_every_outcome_maps_to_an_apco_disposition_and_reads_in_both_languages() -> None:
    """The outcome table's dispositions are all on the APCO list; each code has an EN and FR label."""
    assert set(OUTCOMES.values()) <= DISPOSITIONS
    assert set(OUTCOME_LABELS) == set(OUTCOMES)
    assert all(set(label) == {"en", "fr"} for label in OUTCOME_LABELS.values())


def test_a_report_needs_known_outcomes_and_text_and_an_event_closes_only_with_one() -> None:
    """No outcome, an unknown one, no text: refused; duplicates folded; closing without one refused."""
    with pytest.raises(InvalidInput, match="at least one"):
        Report(UUID(int=9), TENANT, (), "text", NOW, "Ann")
    with pytest.raises(InvalidInput, match="'magic'"):
        Report(UUID(int=9), TENANT, ("magic",), "text", NOW, "Ann")
    with pytest.raises(InvalidInput, match="text"):
        Report(UUID(int=9), TENANT, ("handled",), "  ", NOW, "Ann")
    report = Report(UUID(int=9), TENANT, ("handled", "handled", "report_taken"), " Done. ", NOW, "Ann")
    assert (report.outcomes, report.dispositions, report.text) == (
        ("handled", "report_taken"),
        ("ASSISTED", "REPORT"),
        "Done.",
    )
    with pytest.raises(Conflict, match="no report"):
        require_report(UUID(int=9), None)
    assert require_report(UUID(int=9), report) is report
