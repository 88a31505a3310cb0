"""What the API answers: explicit response models, one per record kind.

Every route's output goes through one of these models, so only the fields named here ever leave the
node: a field added to a domain object (a secret, a hash, an internal note) stays inside until someone
adds it here on purpose. Hashed secrets are shown only as whether they are set.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from tocsin.domain.sites import Site
from tocsin.domain.street_map import StreetMap


class Out(BaseModel):
    """Base of the response models: built from domain objects' attributes, unknown ones ignored."""

    model_config = ConfigDict(from_attributes=True, extra="ignore")


class ErrorOut(Out):
    """Every error the API answers: a code and a sentence naming the problem and the way out."""

    error: str
    detail: str


class ClientOut(Out):
    id: UUID
    tenant_id: UUID
    ref: str
    name: str


class SiteOut(Out):
    id: UUID
    tenant_id: UUID
    client_id: UUID
    ref: str
    name: str
    address: str
    postcode: str
    city: str
    latitude: float | None
    longitude: float | None
    time_zone: str
    notes: str
    schedule_id: UUID | None


class AccountOut(Out):
    """A transmitter: its identifiers and the name of its key, never the key."""

    id: UUID
    tenant_id: UUID
    site_id: UUID
    number: str
    receiver: str
    line: str
    profile: str | None
    key_ref: str | None
    supervision_seconds: int | None
    station: bool = False  # the room's own alarm panel (docs/room.md)


class ZoneOut(Out):
    id: UUID
    tenant_id: UUID
    site_id: UUID
    number: str
    name: str
    kind: str


class ContactOut(Out):
    """A person to call; the spoken password and duress word only as whether they are set."""

    id: UUID
    tenant_id: UUID
    site_id: UUID
    call_order: int
    name: str
    phones: list[str]
    role: str
    password_set: bool
    duress_set: bool


class SiteFileOut(SiteOut):
    """A site with its transmitters, zones and contacts (in call order)."""

    accounts: list[AccountOut]
    zones: list[ZoneOut]
    contacts: list[ContactOut]


class MapSiteOut(Out):
    """The site a map is centred on: what its marker and its caption need."""

    id: UUID
    ref: str
    name: str
    address: str
    latitude: float | None
    longitude: float | None


class BoundingBoxOut(Out):
    """A frame in WGS 84 degrees."""

    south: float
    west: float
    north: float
    east: float


class StreetOut(Out):
    """A line to draw: one street's joined segments, as [latitude, longitude] points."""

    name: str
    points: list[tuple[float, float]]


class SiteMapOut(Out):
    """A site on its town's own streets, drawn with no tile server. A site without coordinates has no
    frame and no streets; ``truncated`` says the segment limit left the farthest ones out."""

    site: MapSiteOut
    radius_m: int
    bbox: BoundingBoxOut | None
    streets: list[StreetOut]
    truncated: bool


class UnitOut(Out):
    id: UUID
    tenant_id: UUID
    callsign: str
    kind: str
    capabilities: list[str]
    station: str
    status: str
    latitude: float | None
    longitude: float | None


class PartnerOut(Out):
    id: UUID
    tenant_id: UUID
    name: str
    kind: str
    phones: list[str]
    email: str
    notes: str
    radio: str


class ScheduleWindowOut(Out):
    days: list[int]
    opens: str
    closes: str


class ScheduleOut(Out):
    id: UUID
    tenant_id: UUID
    name: str
    client_id: UUID | None
    windows: list[ScheduleWindowOut]
    holidays: list[str]
    grace_seconds: int = 900


class SignalOut(Out):
    """A received frame as stored: raw text, decoded events, times and the answer given."""

    id: UUID
    received_at: datetime
    node: str
    listener: str
    answer: str
    raw: str
    account: str | None
    receiver: str | None
    line: str | None
    sequence: str | None
    id_token: str | None
    data: str | None
    occurred_at: datetime | None
    events: list[dict[str, Any]]
    problem: str | None
    tenant_id: UUID | None
    site_id: UUID | None


class EntryOut(Out):
    """A logbook entry as the console shows it, in the reader's language."""

    id: UUID
    chain: str
    seq: int
    recorded_at: datetime
    occurred_at: datetime | None
    actor: str
    kind: str
    text: str
    site_id: UUID | None
    client_id: UUID | None


class RefusalsOut(Out):
    """Refused logins and requests, newest first."""

    entries: list[EntryOut]


class HealthOut(Out):
    """The node's parts and the receiver as this node knows it, for supervisors."""

    status: str
    checks: dict[str, dict[str, Any]]
    receiver: dict[str, Any]
    live_consoles: int
    versions: dict[str, str]
    node: str


class LogbookPageOut(Out):
    seq: int
    entries: list[EntryOut]


class NoteOut(Out):
    entry: EntryOut | None = Field(
        default=None, description="The entry written; null when the note's client_key was written before"
    )
    replayed: bool = Field(default=False, description="The note's client_key was written before: not again")


class TenantOut(Out):
    id: UUID
    ref: str
    name: str


class MeOut(Out):
    id: UUID
    username: str
    display_name: str
    language: str
    roles: list[str]
    permissions: list[str]
    tenant: TenantOut | None


class LanguageOut(Out):
    language: str


class GrantOut(Out):
    """A role given over the whole tenant (no clients, no sites) or over some clients and sites."""

    id: UUID
    role: str
    client_ids: list[UUID]
    site_ids: list[UUID]


class UserOut(Out):
    """A user as an administrator sees them (never the password hash)."""

    id: UUID
    tenant_id: UUID
    username: str
    display_name: str
    language: str
    active: bool
    grants: list[GrantOut]


class TokenOut(Out):
    """An API token's record: its name and dates (the secret is shown once, at creation, and not kept)."""

    id: UUID
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class AlarmOut(Out):
    """An alarm as the queue shows it: what, where, how urgent, who holds it, and how it ended."""

    id: UUID
    state: str
    priority: int
    alarm_class: str
    site_id: UUID | None
    client_id: UUID | None
    site_ref: str
    site_name: str
    title_en: str
    title_fr: str
    opened_at: datetime
    last_signal_at: datetime
    signal_count: int
    accounts: list[str]
    zones: dict[str, str]
    holder_id: UUID | None
    holder_name: str
    taken_at: datetime | None
    settled_at: datetime | None
    outcome: str | None
    cause: str | None
    follow_up_until: datetime | None
    closed_at: datetime | None
    close_reason: str
    closed_by: str
    escalated_at: datetime | None
    back_to_normal: bool
    needs_rearm: bool
    reopened: int
    seconds_to_take: float | None
    seconds_to_settle: float | None
    avs_score: int | None = None  # ANSI/TMA-AVS-01, 0-4; null until a verification is recorded


class AlarmEventOut(Out):
    """One event of an alarm's history: a new event, a restore or a status."""

    at: datetime
    account: str
    code: str
    zone: str
    label_en: str
    label_fr: str
    nature: str


class SiteStatusOut(Out):
    """What the signals say of a site now: armed or not, each zone's state, and test mode."""

    site_id: UUID
    armed: bool | None
    armed_at: datetime | None
    zones: dict[str, dict[str, str]]
    test_until: datetime | None
    test_account: str


class CallAttemptOut(Out):
    """A call made for an alarm: to whom, which number, what happened, and the result of the word
    check ("password", "wrong", "none" or "duress"); the word itself is never kept."""

    id: UUID
    alarm_id: UUID
    at: datetime
    contact_id: UUID | None
    contact_name: str
    call_order: int
    number: str
    outcome: str
    result: str
    by: str


class CallRecordedOut(CallAttemptOut):
    """A recorded call, and the alarm as it now is (a duress word made it a P1 duress alarm)."""

    alarm: AlarmOut


class AlarmFileOut(AlarmOut):
    """An alarm's file: the alarm, its events, its site's status, the site's recent alarms, the calls
    made for it and whether they make an enhanced call verification (two numbers called)."""

    history: list[AlarmEventOut]
    site_status: SiteStatusOut | None
    recent: list[AlarmOut]
    calls: list[CallAttemptOut]
    ecv: bool


class ClosureCodeOut(Out):
    """A cause an alarm is settled with, and the note it writes."""

    code: str
    outcome: str
    label_en: str
    label_fr: str
    text_en: str
    text_fr: str


class AlarmRuleOut(Out):
    """A tenant's setting for an alarm class, over the tenant, a client or a site."""

    id: UUID
    alarm_class: str
    client_id: UUID | None
    site_id: UUID | None
    priority: int | None
    escalate_seconds: int | None
    group_seconds: int | None


def contact_out(contact: Any) -> ContactOut:
    """A contact with its hashed secrets turned into flags."""
    values = _fields(contact, ContactOut)
    values["password_set"] = getattr(contact, "password_hash", None) is not None
    values["duress_set"] = getattr(contact, "duress_hash", None) is not None
    return ContactOut.model_validate(values)


MAP_DECIMALS = 6  # about 0.1 m: finer than any screen shows, and a third less JSON than the stored 7


def site_map_out(site: Site, radius_m: int, streets: StreetMap | None) -> SiteMapOut:
    """A site's map (``streets`` None when the site has no coordinates), with every position rounded
    to what a map can show."""
    place = MapSiteOut.model_validate(site)
    if streets is None:
        return SiteMapOut(site=place, radius_m=radius_m, bbox=None, streets=[], truncated=False)
    box = streets.box
    return SiteMapOut(
        site=place,
        radius_m=radius_m,
        bbox=BoundingBoxOut(
            south=_deg(box.south), west=_deg(box.west), north=_deg(box.north), east=_deg(box.east)
        ),
        streets=[
            StreetOut(name=line.name, points=[(_deg(lat), _deg(lon)) for lat, lon in line.points])
            for line in streets.lines
        ],
        truncated=streets.truncated,
    )


def _deg(value: float) -> float:
    return round(value, MAP_DECIMALS)


def _fields(item: Any, model: type[Out]) -> dict[str, Any]:
    """The attributes of ``item`` the model names (and only those)."""
    return {name: getattr(item, name) for name in model.model_fields if hasattr(item, name)}
