"""OASIS CAP 1.2 (Common Alerting Protocol): write an alert, read one after validating it against the
official schema (``cap_schema/CAP-v1.2.xsd``, © OASIS Open 2010, shipped unchanged).

Sans-I/O: bytes in, typed values out. Documents are parsed with entities, DTDs and remote resources
forbidden (``defuse="always"``, ``allow="none"``), so a hostile document cannot expand or fetch anything.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources

import xmlschema

NS = "urn:oasis:names:tc:emergency:cap:1.2"
_Q = f"{{{NS}}}"
CATEGORIES = ("Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra")
CATEGORIES_ALL = (*CATEGORIES, "CBRNE", "Other")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")


class CapInvalid(ValueError):
    """The document is not a valid CAP 1.2 alert; the message is the validator's reason."""


@dataclass(frozen=True, slots=True)
class CapInfo:
    language: str
    category: str
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str = ""
    description: str = ""
    instruction: str = ""
    event_codes: tuple[tuple[str, str], ...] = ()
    parameters: tuple[tuple[str, str], ...] = ()
    area_desc: str = ""
    circle: str = ""  # "lat,lon radius_km"
    polygon: str = ""  # "lat,lon lat,lon …" (closed)


@dataclass(frozen=True, slots=True)
class CapAlert:
    identifier: str
    sender: str
    sent: datetime
    status: str = "Actual"
    msg_type: str = "Alert"
    scope: str = "Restricted"
    restriction: str = ""
    note: str = ""
    incidents: str = ""
    infos: tuple[CapInfo, ...] = field(default_factory=tuple)


@cache
def schema() -> xmlschema.XMLSchema:
    """The official CAP 1.2 schema, loaded once."""
    path = resources.files("tocsin.protocols").joinpath("cap_schema/CAP-v1.2.xsd")
    with resources.as_file(path) as file:
        return xmlschema.XMLSchema(str(file))


def cap_time(value: datetime) -> str:
    """A CAP date-time: seconds, an explicit offset ("+00:00", never "Z")."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _add(parent: ET.Element, name: str, text: str) -> ET.Element:
    child = ET.SubElement(parent, _Q + name)
    child.text = text
    return child


def _pairs(parent: ET.Element, name: str, pairs: tuple[tuple[str, str], ...]) -> None:
    for key, value in pairs:
        pair = ET.SubElement(parent, _Q + name)
        _add(pair, "valueName", key)
        _add(pair, "value", value)


def _info(parent: ET.Element, info: CapInfo) -> None:
    node = ET.SubElement(parent, _Q + "info")
    _add(node, "language", info.language)
    _add(node, "category", info.category)
    _add(node, "event", info.event)
    for name, value in (
        ("urgency", info.urgency),
        ("severity", info.severity),
        ("certainty", info.certainty),
    ):
        _add(node, name, value)
    _pairs(node, "eventCode", info.event_codes)
    for name, value in (("headline", info.headline), ("description", info.description)):
        if value:
            _add(node, name, value)
    if info.instruction:
        _add(node, "instruction", info.instruction)
    _pairs(node, "parameter", info.parameters)
    if info.area_desc:
        area = ET.SubElement(node, _Q + "area")
        _add(area, "areaDesc", info.area_desc)
        if info.polygon:
            _add(area, "polygon", info.polygon)
        if info.circle:
            _add(area, "circle", info.circle)


def write(alert: CapAlert) -> bytes:
    """The alert as a CAP 1.2 XML document (UTF-8)."""
    ET.register_namespace("", NS)
    root = ET.Element(_Q + "alert")
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", cap_time(alert.sent))
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "scope", alert.scope)
    if alert.restriction:
        _add(root, "restriction", alert.restriction)
    if alert.note:
        _add(root, "note", alert.note)
    if alert.incidents:
        _add(root, "incidents", alert.incidents)
    for info in alert.infos:
        _info(root, info)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def validate(document: bytes) -> ET.Element:
    """The document's root after validation against the CAP 1.2 schema, or CapInvalid with the reason."""
    try:
        resource = xmlschema.XMLResource(document, defuse="always", allow="none")
        error = next(schema().iter_errors(resource), None)
    except (xmlschema.XMLResourceError, ET.ParseError, xmlschema.XMLSchemaException, ValueError) as exc:
        raise CapInvalid(f"not well-formed or forbidden XML: {exc}") from None
    if error is not None:
        path = f" at {error.path}" if error.path else ""
        raise CapInvalid(f"{error.reason or error.message}{path}")
    root = resource.root
    if not isinstance(root, ET.Element):  # pragma: no cover - XMLResource parses with ElementTree
        raise CapInvalid("the document has no element tree")
    return root


def _text(node: ET.Element, name: str) -> str:
    found = node.find(_Q + name)
    return "" if found is None or found.text is None else found.text.strip()


def _read_pairs(node: ET.Element, name: str) -> tuple[tuple[str, str], ...]:
    return tuple((_text(p, "valueName"), _text(p, "value")) for p in node.findall(_Q + name))


def _read_info(node: ET.Element) -> CapInfo:
    area = node.find(_Q + "area")
    return CapInfo(
        language=_text(node, "language") or "en-US",
        category=_text(node, "category"),
        event=_text(node, "event"),
        urgency=_text(node, "urgency"),
        severity=_text(node, "severity"),
        certainty=_text(node, "certainty"),
        headline=_text(node, "headline"),
        description=_text(node, "description"),
        instruction=_text(node, "instruction"),
        event_codes=_read_pairs(node, "eventCode"),
        parameters=_read_pairs(node, "parameter"),
        area_desc="" if area is None else _text(area, "areaDesc"),
        circle="" if area is None else _text(area, "circle"),
        polygon="" if area is None else _text(area, "polygon"),
    )


def read(document: bytes) -> CapAlert:
    """A CAP 1.2 alert from its XML, validated first (CapInvalid with the validator's reason)."""
    root = validate(document)
    return CapAlert(
        identifier=_text(root, "identifier"),
        sender=_text(root, "sender"),
        sent=datetime.fromisoformat(_text(root, "sent")),
        status=_text(root, "status"),
        msg_type=_text(root, "msgType"),
        scope=_text(root, "scope"),
        restriction=_text(root, "restriction"),
        note=_text(root, "note"),
        incidents=_text(root, "incidents"),
        infos=tuple(_read_info(n) for n in root.findall(_Q + "info")),
    )


def point_of(info: CapInfo) -> tuple[float, float] | None:
    """A point for the info's area: a circle's centre, else a polygon's mean vertex."""
    try:
        if info.circle:
            lat, lon = info.circle.split()[0].split(",")
            return float(lat), float(lon)
        if info.polygon:
            points = [p.split(",") for p in info.polygon.split()]
            return sum(float(p[0]) for p in points) / len(points), sum(float(p[1]) for p in points) / len(
                points
            )
    except (ValueError, IndexError):
        return None
    return None
