"""A site file's editing: its fields, zones and contacts, each change a logbook entry in its transaction.

The records are read and written through the caller's scoped repositories, so a record outside the
scope is not found. A contact's secrets are hashed here and never leave: the entries name the secret
that changed, not its value.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from tocsin.domain import site_admin as s
from tocsin.domain.alarms import OPEN_STATES
from tocsin.domain.errors import Conflict, InvalidInput, NotFound
from tocsin.domain.sites import Contact, Site, Zone, normalize_spoken_word
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.unit_of_work import UnitOfWork

LOGGED_MAX = 300  # a value shown in an entry (notes may be long): cut, the record keeps it whole


def _site(uow: UnitOfWork, site_id: Any) -> Site:
    site = uow.sites.get(site_id)
    if site is None:
        raise NotFound(f"No site {site_id} in your scope: search the sites to find it.")
    return site


def _shown(value: Any) -> str:
    text = "-" if value in (None, "") else str(value)
    return text if len(text) <= LOGGED_MAX else text[: LOGGED_MAX - 1] + "…"


def update_site(cmd: s.UpdateSite, uow: UnitOfWork, actor: str, _deps: Deps) -> Site:
    site = _site(uow, cmd.site_id)
    unknown = sorted(set(cmd.changes) - set(s.SITE_FIELDS))
    if unknown:
        raise InvalidInput(
            f"A site has no field {', '.join(unknown)}: change one of {', '.join(s.SITE_FIELDS)}."
        )
    changed = {k: v for k, v in cmd.changes.items() if getattr(site, k) != v}
    if not changed:
        return site
    shown: dict[str, tuple[Any, Any]] = {}
    if "client_id" in changed:
        shown["client_id"] = _check_move(uow, site, changed["client_id"])
    updated = Site(**{**dataclasses.asdict(site), **changed})  # validated again as a whole
    uow.sites.update(updated)
    names = [f for f in s.SITE_FIELDS if f in changed]
    for n in names:
        shown.setdefault(n, (getattr(site, n), getattr(updated, n)))
    uow.record(
        s.SiteUpdated(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=updated.client_id,
            site_ref=site.ref,
            fields=", ".join(names),
            before="; ".join(f"{n}={_shown(shown[n][0])}" for n in names),
            after="; ".join(f"{n}={_shown(shown[n][1])}" for n in names),
        ),
        actor,
    )
    return updated


def _check_move(uow: UnitOfWork, site: Site, client_id: Any) -> tuple[str, str]:
    """A site moves to another client of its tenant only with nothing live that names its client: no
    alarm open, no temporary instruction not ended, no schedule of its present client. Its history (closed
    alarms, ended instructions, the logbook) stays with the client it was recorded under. Answers the two
    clients' references, for the entry."""
    old, new = uow.clients.get(site.client_id), uow.clients.get(client_id)
    if new is None or new.tenant_id != site.tenant_id:
        raise NotFound(f"No client {client_id} in your scope: create the client first.")
    if uow.alarms.find(states=OPEN_STATES, site_id=site.id, limit=1):
        raise Conflict(
            f"Site {site.ref} has alarms not closed: close them before it moves to another client."
        )
    if uow.plans.instructions(site.id, open_only=True):
        raise Conflict(
            f"Site {site.ref} has temporary instructions not ended:"
            " end them before it moves to another client."
        )
    schedule = None if site.schedule_id is None else uow.schedules.get(site.schedule_id)
    if schedule is not None and schedule.client_id not in (None, new.id):
        raise Conflict(
            f"Site {site.ref} follows {schedule.name}, a schedule of its present client: give it a shared"
            " schedule or none before it moves."
        )
    return (str(site.client_id) if old is None else old.ref), new.ref


def _changed(
    uow: UnitOfWork, site: Site, actor: str, *, what: str, child: Any, label: str, action: str, fields: str
) -> None:
    uow.record(
        s.SiteChildChanged(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=site.client_id,
            site_ref=site.ref,
            what=what,
            child_id=child,
            label=label,
            action=action,
            fields=fields or "-",
        ),
        actor,
    )


def _zone(uow: UnitOfWork, site: Site, zone_id: Any) -> Zone:
    zone = uow.zones.get(zone_id)
    if zone is None or zone.site_id != site.id:
        raise NotFound(f"No zone {zone_id} on site {site.ref}: read the site's file for its zones.")
    return zone


def check_zone_number_free(uow: UnitOfWork, site: Site, number: str, zone_id: Any = None) -> None:
    """A panel reports each zone by its number: two zones of a site may not share one."""
    taken = [z for z in uow.zones.find(site_id=site.id, number=number.strip()) if z.id != zone_id]
    if taken:
        raise Conflict(
            f"Zone {number.strip()} already exists on site {site.ref} ({taken[0].name}):"
            " give this zone another number, or change that one."
        )


def update_zone(cmd: s.UpdateZone, uow: UnitOfWork, actor: str, _deps: Deps) -> Zone:
    site = _site(uow, cmd.site_id)
    zone = _zone(uow, site, cmd.zone_id)
    asked = {"number": cmd.number, "name": cmd.name, "kind": cmd.kind}
    changed = {k: v.strip() for k, v in asked.items() if v is not None and v.strip() != getattr(zone, k)}
    if not changed:
        return zone
    if "kind" in changed and not changed["kind"]:
        raise InvalidInput("A zone needs a kind (intrusion, fire, panic…).")
    if "number" in changed:
        check_zone_number_free(uow, site, changed["number"], zone.id)
    updated = Zone(**{**dataclasses.asdict(zone), **changed})
    uow.zones.update(updated)
    detail = ", ".join(f"{k} {_shown(getattr(zone, k))} → {_shown(v)}" for k, v in changed.items())
    label = f"{updated.number} {updated.name}"
    _changed(uow, site, actor, what="zone", child=zone.id, label=label, action="changed", fields=detail)
    return updated


def remove_zone(cmd: s.RemoveZone, uow: UnitOfWork, actor: str, _deps: Deps) -> Zone:
    site = _site(uow, cmd.site_id)
    zone = _zone(uow, site, cmd.zone_id)
    uow.zones.remove(zone)
    label = f"{zone.number} {zone.name}"
    _changed(uow, site, actor, what="zone", child=zone.id, label=label, action="removed", fields=zone.kind)
    return zone


def _contact(uow: UnitOfWork, site: Site, contact_id: Any) -> Contact:
    contact = uow.contacts.get(contact_id)
    if contact is None or contact.site_id != site.id:
        raise NotFound(f"No contact {contact_id} on site {site.ref}: read the site's file for its contacts.")
    return contact


def _contact_changes(cmd: s.UpdateContact, contact: Contact) -> dict[str, Any]:
    """The contact's plain fields that change (the secrets are handled apart)."""
    changes: dict[str, Any] = {}
    for name in ("call_order", "name", "role"):
        value = getattr(cmd, name)
        if value is not None and value != getattr(contact, name):
            changes[name] = value
    if cmd.phones is not None and tuple(cmd.phones) != contact.phones:
        changes["phones"] = tuple(p.strip() for p in cmd.phones if p.strip())
    if "role" in changes and not str(changes["role"]).strip():
        raise InvalidInput("A contact needs a role (keyholder, manager…).")
    return changes


def _secret_changes(cmd: s.UpdateContact, contact: Contact, deps: Deps) -> tuple[dict[str, Any], list[str]]:
    """The hashes to store and what the logbook says of them (which secret changed, never its value)."""
    if (cmd.password is not None and cmd.clear_password) or (
        cmd.duress_word is not None and cmd.clear_duress
    ):
        raise InvalidInput("Set a secret or clear it, not both.")
    changes: dict[str, Any] = {}
    said: list[str] = []
    for word, clear, attr, label in (
        (cmd.password, cmd.clear_password, "password_hash", "password"),
        (cmd.duress_word, cmd.clear_duress, "duress_hash", "duress_word"),
    ):
        if word is not None:
            spoken = normalize_spoken_word(word)
            if not spoken:
                what = label.replace("_", " ")
                raise InvalidInput(f"The {what} may not be blank: give a word, or clear it.")
            changes[attr] = deps.hasher.hash(spoken)
            said.append(f"{label} set")
        elif clear and getattr(contact, attr) is not None:
            changes[attr] = None
            said.append(f"{label} cleared")
    return changes, said


def update_contact(cmd: s.UpdateContact, uow: UnitOfWork, actor: str, deps: Deps) -> Contact:
    site = _site(uow, cmd.site_id)
    contact = _contact(uow, site, cmd.contact_id)
    changes = _contact_changes(cmd, contact)
    hashes, secrets = _secret_changes(cmd, contact, deps)
    if not changes and not hashes:
        return contact
    updated = Contact(**{**dataclasses.asdict(contact), **changes, **hashes})
    uow.contacts.update(updated)
    shown = [
        f"phones {' / '.join(contact.phones) or '-'} → {' / '.join(updated.phones) or '-'}"
        if k == "phones"
        else f"{k} {_shown(getattr(contact, k))} → {_shown(getattr(updated, k))}"
        for k in changes
    ]
    label = f"{updated.call_order}. {updated.name}"
    fields = ", ".join(shown + secrets)
    _changed(uow, site, actor, what="contact", child=contact.id, label=label, action="changed", fields=fields)
    return updated


def remove_contact(cmd: s.RemoveContact, uow: UnitOfWork, actor: str, _deps: Deps) -> Contact:
    site = _site(uow, cmd.site_id)
    contact = _contact(uow, site, cmd.contact_id)
    uow.contacts.remove(contact)
    label = f"{contact.call_order}. {contact.name}"
    _changed(uow, site, actor, what="contact", child=contact.id, label=label, action="removed", fields="")
    return contact


def reorder_contacts(cmd: s.ReorderContacts, uow: UnitOfWork, actor: str, _deps: Deps) -> list[Contact]:
    site = _site(uow, cmd.site_id)
    contacts = {c.id: c for c in uow.contacts.find(site_id=site.id)}
    if len(cmd.contact_ids) != len(set(cmd.contact_ids)) or set(cmd.contact_ids) != set(contacts):
        raise InvalidInput(
            f"Give every contact of site {site.ref} once, in the new call order ({len(contacts)} contact(s))."
        )
    ordered: list[Contact] = []
    for order, contact_id in enumerate(cmd.contact_ids, start=1):
        contact = contacts[contact_id]
        if contact.call_order != order:
            contact = Contact(**{**dataclasses.asdict(contact), "call_order": order})
            uow.contacts.update(contact)
        ordered.append(contact)
    label = ", ".join(f"{c.call_order}. {c.name}" for c in ordered)
    _changed(
        uow,
        site,
        actor,
        what="site",
        child=site.id,
        label=_shown(label),
        action="reordered",
        fields="call order",
    )
    return ordered


HANDLERS = (
    Handlers()
    .add(s.UpdateSite, update_site)
    .add(s.UpdateZone, update_zone)
    .add(s.RemoveZone, remove_zone)
    .add(s.UpdateContact, update_contact)
    .add(s.RemoveContact, remove_contact)
    .add(s.ReorderContacts, reorder_contacts)
)
