"""Reading a site import file (CSV or JSON) into checked records, before anything touches the store.

Both formats become the same rows: a record type (``client``, ``schedule``, ``site``, ``account``,
``zone``, ``contact``, ``instruction``), its values, and where it stands in the file (``line 14`` of a
CSV, ``sites[12].contacts[0]`` of a JSON document) so every problem names its row. Each row is checked
on its own with the domain's own rules (the same as ``tocsin site add`` and the API), then the file as a
whole: a key given twice (two sites with one reference, one zone number twice on a site) is a problem.
Every problem is collected; the import writes nothing unless there are none (see
:mod:`tocsin.services.site_import`). Secrets arrive in clear here and are hashed before they are stored.

Pure: no I/O.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from tocsin.domain.errors import InvalidInput
from tocsin.domain.schedules import DEFAULT_GRACE_SECONDS, check_schedule, parse_window
from tocsin.domain.sites import Account, Contact, Schedule, ScheduleWindow, Site, Zone
from tocsin.domain.tenancy import check_name, check_ref

RECORDS = ("client", "schedule", "site", "account", "zone", "contact", "instruction")
CHILDREN = ("accounts", "zones", "contacts", "instructions")
MAX_PROBLEMS = 50
_NIL = UUID(int=0)


@dataclass(frozen=True, slots=True)
class Row:
    """One record of the file, as read."""

    where: str
    record: str
    values: Mapping[str, Any]


# ---------------------------------------------------------------- the two formats


def read_csv(text: str) -> list[Row]:
    """Rows of a CSV file with a header; the ``record`` column gives each row's type."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or "record" not in reader.fieldnames:
        raise InvalidInput(
            "The CSV file needs a header line with a 'record' column (see docs/site-import.md)."
        )
    rows = []
    for values in reader:
        if not any((v or "").strip() for k, v in values.items() if k is not None):
            continue  # a blank line
        extra = values.pop(None, None)
        where = f"line {reader.line_num}"
        if extra:
            raise InvalidInput(f"{where}: more values than the header has columns.")
        record = (values.get("record") or "").strip().lower()
        rows.append(Row(where, record, {k: (v or "").strip() for k, v in values.items()}))
    return rows


def read_json(text: str) -> list[Row]:
    """Rows of a JSON document: ``clients``, ``schedules`` and ``sites`` lists, each site with its
    ``accounts``, ``zones``, ``contacts`` and ``instructions``."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"The JSON file is not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    if not isinstance(document, dict):
        raise InvalidInput(
            "The JSON file must hold one object with 'clients', 'schedules' and 'sites' lists."
        )
    unknown = set(document) - {"format", "clients", "schedules", "sites"}
    if unknown:
        raise InvalidInput(f"Unknown top-level key(s) {', '.join(sorted(unknown))} in the JSON file.")
    return list(_json_rows(document))


def _json_rows(document: Mapping[str, Any]) -> Iterator[Row]:
    for key, record in (("clients", "client"), ("schedules", "schedule"), ("sites", "site")):
        for index, item in enumerate(_json_list(document, key, key)):
            where = f"{key}[{index}]"
            if not isinstance(item, dict):
                raise InvalidInput(f"{where}: each entry must be an object.")
            values = {k: v for k, v in item.items() if k not in CHILDREN or record != "site"}
            yield Row(where, record, values)
            if record == "site":
                yield from _site_children(item, where)


def _site_children(site: Mapping[str, Any], where: str) -> Iterator[Row]:
    for key in CHILDREN:
        for index, child in enumerate(_json_list(site, key, f"{where}.{key}")):
            place = f"{where}.{key}[{index}]"
            if not isinstance(child, dict):
                raise InvalidInput(f"{place}: each entry must be an object.")
            yield Row(place, key.removesuffix("s"), {**child, "site": site.get("ref", "")})


def _json_list(parent: Mapping[str, Any], key: str, where: str) -> list[Any]:
    found = parent.get(key, [])
    if not isinstance(found, list):
        raise InvalidInput(f"{where} must be a list.")
    return found


def read_file(name: str, text: str) -> list[Row]:
    """Rows of a file, by its name's extension (``.csv`` or ``.json``)."""
    lowered = name.lower()
    if lowered.endswith(".json"):
        return read_json(text)
    if lowered.endswith(".csv"):
        return read_csv(text)
    raise InvalidInput(f"{name}: give a .csv or a .json file (see docs/site-import.md).")


# ---------------------------------------------------------------- values


class _Values:
    """Typed access to a row's values: empty CSV cells and missing JSON keys are absent."""

    def __init__(self, row: Row) -> None:
        self._row = row

    def raw(self, name: str) -> Any:
        value = self._row.values.get(name)
        return None if value is None or (isinstance(value, str) and not value.strip()) else value

    def text(self, name: str, default: str = "") -> str:
        value = self.raw(name)
        return default if value is None else str(value).strip()

    def required(self, name: str) -> str:
        value = self.text(name)
        if not value:
            raise InvalidInput(f"'{name}' is missing.")
        return value

    def integer(self, name: str) -> int | None:
        value = self.raw(name)
        if value is None:
            return None
        try:
            return int(str(value).strip())
        except ValueError:
            raise InvalidInput(f"'{name}' must be a whole number, not {value!r}.") from None

    def number(self, name: str) -> float | None:
        value = self.raw(name)
        if value is None:
            return None
        try:
            return float(str(value).strip().replace(",", "."))
        except ValueError:
            raise InvalidInput(f"'{name}' must be a number, not {value!r}.") from None

    def words(self, name: str) -> tuple[str, ...]:
        """A list: a JSON array, or ';'-separated in a CSV cell."""
        value = self.raw(name)
        if value is None:
            return ()
        items = value if isinstance(value, list) else str(value).split(";")
        return tuple(str(i).strip() for i in items if str(i).strip())

    def secret(self, name: str) -> str | None:
        value = self.raw(name)
        return None if value is None else str(value)


# ---------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class ClientSpec:
    where: str
    ref: str
    name: str


@dataclass(frozen=True, slots=True)
class ScheduleSpec:
    where: str
    name: str
    client: str | None
    windows: tuple[ScheduleWindow, ...]
    holidays: tuple[str, ...]
    grace_seconds: int


@dataclass(frozen=True, slots=True)
class SiteSpec:
    where: str
    client: str
    schedule: str | None
    site: Site  # ids are placeholders until the plan finds or makes them


@dataclass(frozen=True, slots=True)
class AccountSpec:
    where: str
    site: str
    account: Account


@dataclass(frozen=True, slots=True)
class ZoneSpec:
    where: str
    site: str
    zone: Zone


@dataclass(frozen=True, slots=True)
class ContactSpec:
    where: str
    site: str
    contact: Contact
    password: str | None = field(default=None, repr=False)
    duress_word: str | None = field(default=None, repr=False)


@dataclass
class Parsed:
    """The file's records, checked one by one and as a whole; ``problems`` empty when all are good."""

    clients: list[ClientSpec] = field(default_factory=list)
    schedules: list[ScheduleSpec] = field(default_factory=list)
    sites: list[SiteSpec] = field(default_factory=list)
    accounts: list[AccountSpec] = field(default_factory=list)
    zones: list[ZoneSpec] = field(default_factory=list)
    contacts: list[ContactSpec] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)  # where each was (skipped: see the service)
    problems: list[str] = field(default_factory=list)
    failed_sites: set[str] = field(default_factory=set)  # references of site rows with a problem
    rows: int = 0


def _client(v: _Values, where: str) -> ClientSpec:
    ref = check_ref(v.required("ref"), "client")
    return ClientSpec(where, ref, check_name(v.required("name"), "client"))


def _schedule(v: _Values, where: str) -> ScheduleSpec:
    minutes = v.integer("grace_minutes")
    grace = DEFAULT_GRACE_SECONDS if minutes is None else minutes * 60
    windows = tuple(parse_window(w) for w in v.words("windows"))
    schedule = Schedule(_NIL, _NIL, v.required("name"), windows=windows, holidays=v.words("holidays"))
    holidays = check_schedule(schedule, grace)
    return ScheduleSpec(where, schedule.name, v.text("client") or None, windows, holidays, grace)


def _site(v: _Values, where: str) -> SiteSpec:
    site = Site(
        id=_NIL,
        tenant_id=_NIL,
        client_id=_NIL,
        ref=v.required("ref"),
        name=v.required("name"),
        address=v.text("address"),
        postcode=v.text("postcode"),
        city=v.text("city"),
        latitude=v.number("latitude"),
        longitude=v.number("longitude"),
        time_zone=v.text("time_zone", "Europe/Paris"),
        notes=v.text("notes"),
    )
    return SiteSpec(where, v.required("client"), v.text("schedule") or None, site)


def _account(v: _Values, where: str) -> AccountSpec:
    account = Account(
        id=_NIL,
        tenant_id=_NIL,
        site_id=_NIL,
        number=v.required("number"),
        receiver=v.text("receiver", "0"),
        line=v.text("line", "0"),
        profile=v.text("profile") or None,
        supervision_seconds=v.integer("supervision_seconds"),
        test_seconds=v.integer("test_seconds"),
    )
    if account.test_seconds is not None and account.test_seconds < 60:
        raise InvalidInput("'test_seconds' is at least 60.")
    return AccountSpec(where, v.required("site"), account)


def _zone(v: _Values, where: str) -> ZoneSpec:
    zone = Zone(_NIL, _NIL, _NIL, v.required("number"), v.required("name"), v.text("kind", "intrusion"))
    return ZoneSpec(where, v.required("site"), zone)


def _contact(v: _Values, where: str) -> ContactSpec:
    order = v.integer("call_order")
    if order is None:
        raise InvalidInput("'call_order' is missing.")
    contact = Contact(
        _NIL, _NIL, _NIL, order, v.required("name"), v.words("phones"), v.text("role", "keyholder")
    )
    password, duress = v.secret("password"), v.secret("duress_word")
    if (
        password is not None
        and duress is not None
        and password.strip().casefold() == duress.strip().casefold()
    ):
        raise InvalidInput("the password and the duress word must differ.")
    return ContactSpec(where, v.required("site"), contact, password, duress)


_READERS: dict[str, tuple[str, Callable[[_Values, str], Any]]] = {
    "client": ("clients", _client),
    "schedule": ("schedules", _schedule),
    "site": ("sites", _site),
    "account": ("accounts", _account),
    "zone": ("zones", _zone),
    "contact": ("contacts", _contact),
}


def parse_rows(rows: list[Row], progress: Callable[[int], None] | None = None) -> Parsed:
    """Check every row, then the keys across the file; collect the problems (at most
    :data:`MAX_PROBLEMS`, each naming its row)."""
    parsed = Parsed(rows=len(rows))
    for row in rows:
        if progress is not None:
            progress(1)
        if row.record == "instruction":
            parsed.instructions.append(row.where)
            continue
        reader = _READERS.get(row.record)
        if reader is None:
            parsed.problems.append(
                f"{row.where}: unknown record {row.record!r}: use one of {', '.join(RECORDS)}."
            )
            continue
        try:
            getattr(parsed, reader[0]).append(reader[1](_Values(row), row.where))
        except InvalidInput as exc:
            parsed.problems.append(f"{row.where} ({row.record}): {_sentence(exc)}")
            if row.record == "site":
                parsed.failed_sites.add(str(row.values.get("ref", "")).strip())
    _duplicates(parsed)
    return parsed


def _sentence(exc: InvalidInput) -> str:
    text = str(exc)
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[:2].isupper() else text


def _duplicates(parsed: Parsed) -> None:
    keyed: list[tuple[str, list[tuple[str, object]]]] = [
        ("client", [(c.where, c.ref) for c in parsed.clients]),
        ("schedule", [(s.where, s.name) for s in parsed.schedules]),
        ("site", [(s.where, s.site.ref) for s in parsed.sites]),
        ("transmitter", [(a.where, a.account.label) for a in parsed.accounts]),
        ("zone", [(z.where, (z.site, z.zone.number)) for z in parsed.zones]),
        ("contact", [(c.where, (c.site, c.contact.call_order)) for c in parsed.contacts]),
    ]
    for what, items in keyed:
        first: dict[object, str] = {}
        for where, key in items:
            if key in first:
                parsed.problems.append(f"{where}: {what} {_key_text(key)} is already given at {first[key]}.")
            else:
                first[key] = where


def _key_text(key: object) -> str:
    if isinstance(key, tuple):
        site, number = key
        return f"{number} of site {site}"
    return str(key)
