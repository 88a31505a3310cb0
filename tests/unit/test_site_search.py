"""The site search: words folded (case, accents), every word needed, the best matches first, bounded,
and only the sites of the caller's scope."""

from __future__ import annotations

import pytest

from tocsin.domain import commands as c
from tocsin.domain import site_admin as s
from tocsin.domain.errors import Conflict, InvalidInput
from tocsin.domain.scope import Scope
from tocsin.services.handlers.registry import Deps
from tocsin.services.messagebus import MessageBus
from tocsin.services.site_search import fold, search_sites
from tocsin.testing import FakeClock, FakeHasher, InMemoryStore


def test_fold_drops_case_and_accents() -> None:
    assert fold("École Œuvre") == "ecole oeuvre"
    assert fold("RÉPUBLIQUE") == "republique"
    assert fold("Æsop Straße") == "aesop strasse"
    assert fold("Москва") == "москва"  # other scripts keep their letters


def test_search_ranks_bounds_and_keeps_to_the_scope() -> None:
    store = InMemoryStore(FakeClock())
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    tenant = bus.handle(c.CreateTenant("t", "T"), scope=Scope.system(), actor="t")
    scope = Scope.tenant(tenant.id)
    mine = bus.handle(c.CreateClient(tenant.id, "A", "A"), scope=scope, actor="t")
    other = bus.handle(c.CreateClient(tenant.id, "B", "B"), scope=scope, actor="t")
    made = {}
    for ref, name, client, city in (
        ("GAR-1", "Garage du Pont", mine, "Bron"),
        ("PH-2", "Pharmacie du Garage", mine, "Lyon"),
        ("GAR-3", "Garage Élysée", other, "Lyon"),
    ):
        made[ref] = bus.handle(
            c.CreateSite(tenant.id, client.id, ref, name, city=city), scope=scope, actor="t"
        )
    bus.handle(c.AddAccount(made["PH-2"].id, "BEEF"), scope=scope, actor="t")
    bus.handle(c.AddContact(made["GAR-3"].id, 1, "Mme Roussel", password="garage"), scope=scope, actor="t")

    def refs(q: str, where: Scope = scope, limit: int = 20) -> list[str]:
        return [x.ref for x in store.read(lambda uow: search_sites(uow, q, limit), where)]

    assert refs("garage") == ["GAR-1", "GAR-3", "PH-2"]  # names starting with the word first, by name
    assert refs("garage elysee") == ["GAR-3"]
    assert refs("ph-2") == ["PH-2"]
    assert refs("beef") == ["PH-2"]
    assert refs("garage lyon") == ["GAR-3", "PH-2"]
    assert refs("roussel") == ["GAR-3"]
    assert refs("") == []
    assert refs("garage", limit=1) == ["GAR-1"]
    assert refs("garage", Scope(tenant.id, client_ids=frozenset({mine.id}))) == ["GAR-1", "PH-2"]


def test_zone_numbers_stay_unique_and_a_contacts_order_takes_every_contact() -> None:
    store = InMemoryStore(FakeClock())
    bus = MessageBus(store, Deps(hasher=FakeHasher()))
    tenant = bus.handle(c.CreateTenant("t", "T"), scope=Scope.system(), actor="t")
    scope = Scope.tenant(tenant.id)
    client = bus.handle(c.CreateClient(tenant.id, "A", "A"), scope=scope, actor="t")
    site = bus.handle(c.CreateSite(tenant.id, client.id, "S", "S"), scope=scope, actor="t")
    one = bus.handle(c.AddZone(site.id, "1", "Door"), scope=scope, actor="t")
    bus.handle(c.AddZone(site.id, "2", "Window"), scope=scope, actor="t")
    for command in (c.AddZone(site.id, "1", "Again"), s.UpdateZone(site.id, one.id, number="2")):
        with pytest.raises(Conflict, match="already exists on site S"):
            bus.handle(command, scope=scope, actor="t")
    first = bus.handle(c.AddContact(site.id, 1, "First"), scope=scope, actor="t")
    with pytest.raises(InvalidInput, match="every contact"):
        bus.handle(s.ReorderContacts(site.id, (first.id, first.id)), scope=scope, actor="t")
