"""Telling partners: the tenant's notification matrix (which partner services an event's type and
priority call for, and on which channel), message templates filled from the event, the requests sent
with the acknowledgment or reference each partner gave, and the radio channel of an event.

A template names the event's fields in braces: ``{address}`` must have a value, ``{caller_phone?}`` may
be empty. A request whose template needs a field the event lacks is refused with that field named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from tocsin.domain.errors import Conflict, InvalidInput
from tocsin.domain.incidents import Incident
from tocsin.domain.nomenclature import CATEGORIES, CODE_MAX, HIGHEST, LOWEST
from tocsin.domain.resources import Partner

CHANNELS = ("phone", "email", "radio")
TEMPLATE_MAX, NAME_MAX, REFERENCE_MAX, NOTE_MAX, RADIO_MAX = 2000, 200, 100, 2000, 100
RULES_MAX, TEMPLATES_MAX, FIELD_VALUE_MAX = 500, 200, 500
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
_FIELD = re.compile(r"\{([a-z_]+)(\??)\}")
# What a template may name, each read from the event (or given by the operator with the request).
FIELDS = (
    "event_id",
    "type_code",
    "type_label_en",
    "type_label_fr",
    "priority",
    "address",
    "latitude",
    "longitude",
    "caller_name",
    "caller_phone",
    "summary",
    "opened_at",
    "radio",
    "partner",
    "operator",
)


def check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise InvalidInput(f"Channel {channel!r} is unknown; use one of {', '.join(CHANNELS)}.")
    return channel


def _code(code: str, what: str) -> str:
    code = code.strip()
    if not _CODE.match(code):
        raise InvalidInput(f"A {what} code is 1 to 32 letters, digits, '_', '.' or '-', not {code!r}.")
    return code


@dataclass(frozen=True, slots=True)
class Template:
    """A message model: ``text`` with ``{field}`` (required) and ``{field?}`` (may be empty) slots."""

    tenant_id: UUID
    code: str
    name: str
    text: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", _code(self.code, "template"))
        if not self.name.strip() or len(self.name) > NAME_MAX:
            raise InvalidInput(f"Template {self.code}: its name is 1 to {NAME_MAX} characters.")
        if not self.text.strip() or len(self.text) > TEMPLATE_MAX:
            raise InvalidInput(f"Template {self.code}: its text is 1 to {TEMPLATE_MAX} characters.")
        unknown = sorted({name for name, _ in _FIELD.findall(self.text)} - set(FIELDS))
        if unknown:
            raise InvalidInput(
                f"Template {self.code} names unknown fields ({', '.join(unknown)}); "
                f"a template may name {', '.join(FIELDS)}."
            )

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n, optional in _FIELD.findall(self.text) if not optional))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for n, _ in _FIELD.findall(self.text)))


@dataclass(frozen=True, slots=True)
class MatrixRule:
    """Events of this type (or category, or any when both are empty) at this priority or more urgent
    are told to this partner, on this channel, with this template."""

    tenant_id: UUID
    partner_id: UUID
    channel: str
    template_code: str
    type_code: str = ""
    category: str = ""
    max_priority: int = LOWEST

    def __post_init__(self) -> None:
        check_channel(self.channel)
        object.__setattr__(self, "template_code", _code(self.template_code, "template"))
        object.__setattr__(self, "type_code", self.type_code.strip().upper())
        if len(self.type_code) > CODE_MAX:
            raise InvalidInput(f"An event type code is at most {CODE_MAX} characters.")
        if self.category and self.category not in CATEGORIES:
            raise InvalidInput(f"Category {self.category!r} is unknown; use one of {', '.join(CATEGORIES)}.")
        if not HIGHEST <= self.max_priority <= LOWEST:
            raise InvalidInput(f"A rule's priority is from {HIGHEST} (most urgent) to {LOWEST}.")

    def applies(self, incident: Incident, category: str) -> bool:
        return (
            incident.priority <= self.max_priority
            and (not self.type_code or self.type_code == incident.type_code)
            and (not self.category or self.category == category)
        )

    def reason(self) -> str:
        what = " ".join(x for x in (self.type_code, self.category) if x) or "any event"
        return f"{what}, P{self.max_priority} or more urgent"


@dataclass(frozen=True, slots=True)
class Matrix:
    """A tenant's notification matrix: its rules in order and the templates they use."""

    rules: tuple[MatrixRule, ...] = ()
    templates: tuple[Template, ...] = ()

    def __post_init__(self) -> None:
        if len(self.rules) > RULES_MAX or len(self.templates) > TEMPLATES_MAX:
            raise InvalidInput(f"A matrix has at most {RULES_MAX} rules and {TEMPLATES_MAX} templates.")
        codes = [t.code for t in self.templates]
        if len(set(codes)) != len(codes):
            raise InvalidInput("Each template code appears once in a matrix.")
        missing = sorted({r.template_code for r in self.rules} - set(codes))
        if missing:
            raise InvalidInput(f"Rules name templates the matrix lacks: {', '.join(missing)}.")

    def template(self, code: str) -> Template:
        for template in self.templates:
            if template.code == code:
                return template
        raise InvalidInput(
            f"No template {code!r} in this room's matrix; templates: "
            f"{', '.join(t.code for t in self.templates) or 'none yet'}."
        )


@dataclass(frozen=True, slots=True)
class RadioAssignment:
    """The radio channel (and talk-group) an event's units and partners talk on."""

    incident_id: UUID
    tenant_id: UUID
    channel: str
    talkgroup: str
    assigned_at: datetime
    by: str

    def __post_init__(self) -> None:
        for name in ("channel", "talkgroup"):
            value = getattr(self, name).strip()
            if len(value) > RADIO_MAX:
                raise InvalidInput(f"A radio {name} is at most {RADIO_MAX} characters.")
            object.__setattr__(self, name, value)
        if not self.channel:
            raise InvalidInput("Name the radio channel to assign (a talk-group is optional).")

    def text(self) -> str:
        return f"{self.channel} / {self.talkgroup}" if self.talkgroup else self.channel


@dataclass(frozen=True, slots=True)
class PartnerRequest:
    """What was sent to a partner about an event, when, to whom, and what they answered."""

    id: UUID
    tenant_id: UUID
    incident_id: UUID
    partner_id: UUID
    partner_name: str
    partner_kind: str
    channel: str
    address: str
    template_code: str
    message: str
    sent_at: datetime
    sent_by: str
    acked_at: datetime | None = None
    ack_by: str = ""
    reference: str = ""
    ack_note: str = ""

    @property
    def acknowledged(self) -> bool:
        return self.acked_at is not None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A partner the matrix says to tell about an event, and whether it has been told."""

    partner: Partner
    channel: str
    template_code: str
    reason: str
    sent: bool


def event_fields(
    incident: Incident, radio: RadioAssignment | None, partner: Partner | None, operator: str
) -> dict[str, str]:
    """The values a template can name, from the event as it stands."""
    located = incident.latitude is not None and incident.longitude is not None
    return {
        "event_id": str(incident.id),
        "type_code": incident.type_code,
        "type_label_en": incident.type_label_en,
        "type_label_fr": incident.type_label_fr,
        "priority": f"P{incident.priority}",
        "address": incident.address,
        "latitude": f"{incident.latitude:.6f}" if located else "",
        "longitude": f"{incident.longitude:.6f}" if located else "",
        "caller_name": incident.caller_name,
        "caller_phone": incident.caller_phone,
        "summary": incident.summary,
        "opened_at": incident.opened_at.strftime("%Y-%m-%d %H:%M UTC"),
        "radio": "" if radio is None else radio.text(),
        "partner": "" if partner is None else partner.name,
        "operator": operator,
    }


def render(template: Template, values: Mapping[str, str], given: Mapping[str, str]) -> str:
    """The message: the template filled from the event's values, the operator's ``given`` ones first.
    Refused, naming the fields, when a required one is empty."""
    for name, value in given.items():
        if name not in FIELDS:
            raise InvalidInput(f"Field {name!r} is unknown; a template may name {', '.join(FIELDS)}.")
        if len(value) > FIELD_VALUE_MAX:
            raise InvalidInput(f"Field {name} is at most {FIELD_VALUE_MAX} characters.")
    filled = {**values, **{k: v.strip() for k, v in given.items() if v.strip()}}
    empty = [name for name in template.required if not filled.get(name, "").strip()]
    if empty:
        raise InvalidInput(
            f"Template {template.code} needs {', '.join(empty)}, empty on this event: fill "
            f"{'it' if len(empty) == 1 else 'them'} in (on the event or with the request), or choose "
            "another template."
        )
    return _FIELD.sub(lambda m: filled.get(m.group(1), ""), template.text).strip()[:TEMPLATE_MAX]


def suggest(
    matrix: Matrix,
    incident: Incident,
    category: str,
    partners: Iterable[Partner],
    requests: Iterable[PartnerRequest],
) -> list[Suggestion]:
    """The partners the matrix says to tell about this event, in the matrix's order, each once."""
    by_id = {p.id: p for p in partners}
    told = {r.partner_id for r in requests}
    found: dict[UUID, Suggestion] = {}
    for rule in matrix.rules:
        partner = by_id.get(rule.partner_id)
        if partner is None or partner.id in found or not rule.applies(incident, category):
            continue
        found[partner.id] = Suggestion(
            partner, rule.channel, rule.template_code, rule.reason(), partner.id in told
        )
    return list(found.values())


def acknowledge(request: PartnerRequest, at: datetime, by: str, reference: str, note: str) -> PartnerRequest:
    """The request with the partner's acknowledgment (and its reference) recorded, once."""
    if request.acknowledged:
        raise Conflict(
            f"This request was acknowledged at {request.acked_at:%H:%M:%S} by {request.ack_by}"
            f" (reference {request.reference or 'none'}): write a note on the event to add more."
        )
    reference, note = reference.strip(), note.strip()
    if len(reference) > REFERENCE_MAX:
        raise InvalidInput(f"A partner's reference is at most {REFERENCE_MAX} characters.")
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"A note is at most {NOTE_MAX} characters.")
    return replace(request, acked_at=at, ack_by=by, reference=reference, ack_note=note)
