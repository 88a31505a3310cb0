"""Domain values validate themselves: bad input is refused with a sentence, good input is kept."""

from __future__ import annotations

import uuid

import pytest

from tocsin.domain.errors import InvalidInput
from tocsin.domain.resources import Unit
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account, Contact, ScheduleWindow, Site, normalize_spoken_word
from tocsin.domain.tenancy import Client, Tenant

T, C, S = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def test_a_site_needs_a_known_time_zone() -> None:
    """An IANA zone the system does not know is refused, naming an example."""
    with pytest.raises(InvalidInput, match="Europe/Paris"):
        Site(id=S, tenant_id=T, client_id=C, ref="S1", name="Shop", time_zone="Mars/Olympus")
    assert Site(id=S, tenant_id=T, client_id=C, ref="S1", name="Shop", time_zone="America/Cayenne")


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 2.0), (48.0, 181.0), (48.0, None)])
def test_coordinates_must_be_on_earth_and_paired(lat: float, lon: float | None) -> None:
    """Latitude and longitude are checked for range and come together."""
    with pytest.raises(InvalidInput):
        Site(id=S, tenant_id=T, client_id=C, ref="S1", name="Shop", latitude=lat, longitude=lon)


@pytest.mark.parametrize("ref", ["", " a", "a b", "x" * 65, "-lead"])
def test_references_are_short_codes(ref: str) -> None:
    """A reference is 1-64 letters, digits, '.', '-', '_' starting with a letter or digit."""
    with pytest.raises(InvalidInput, match="reference"):
        Tenant(id=T, ref=ref, name="ARC")


def test_blank_names_are_refused() -> None:
    """A name cannot be blank."""
    with pytest.raises(InvalidInput, match="name"):
        Client(id=C, tenant_id=T, ref="c1", name="   ")


def test_account_numbers_are_hexadecimal_and_normalised() -> None:
    """Account, receiver and line are hex (upper-cased); wrong lengths are refused."""
    account = Account(id=S, tenant_id=T, site_id=S, number="12ab", receiver="a1", line="3")
    assert (account.number, account.receiver, account.line) == ("12AB", "A1", "3")
    for bad in ("12", "XYZ1", "1" * 17):
        with pytest.raises(InvalidInput, match="account number"):
            Account(id=S, tenant_id=T, site_id=S, number=bad)
    with pytest.raises(InvalidInput, match="supervision"):
        Account(id=S, tenant_id=T, site_id=S, number="1234", supervision_seconds=0)


def test_contacts_start_at_call_order_one() -> None:
    """Call order starts at 1."""
    with pytest.raises(InvalidInput, match="call order"):
        Contact(id=S, tenant_id=T, site_id=S, call_order=0, name="Mme Martin")


def test_spoken_words_ignore_case_and_spacing() -> None:
    """A password heard on the phone compares without case or extra spaces."""
    assert normalize_spoken_word("  Soleil   Levant ") == normalize_spoken_word("soleil levant")


@pytest.mark.parametrize(
    ("days", "opens", "closes"), [((), "08:00", "18:00"), ((8,), "08:00", "18:00"), ((1,), "8h", "18:00")]
)
def test_schedule_windows_are_checked(days: tuple[int, ...], opens: str, closes: str) -> None:
    """Weekdays are 1-7 and times HH:MM."""
    with pytest.raises(InvalidInput):
        ScheduleWindow(days=days, opens=opens, closes=closes)


def test_schedule_windows_round_trip_through_json() -> None:
    """A window stored as JSON comes back equal."""
    window = ScheduleWindow(days=(1, 2, 3, 4, 5), opens="07:30", closes="19:00")
    assert ScheduleWindow.from_json(window.as_json()) == window


def test_unit_status_is_from_the_status_model() -> None:
    """A unit's status is one of the known statuses."""
    with pytest.raises(InvalidInput, match="available"):
        Unit(id=S, tenant_id=T, callsign="VL 1", kind="patrol", status="napping")


def test_restricted_scope_sees_granted_clients_and_sites_only() -> None:
    """A scope limited to a client sees its sites; one limited to a site sees that site only."""
    other_client, other_site = uuid.uuid4(), uuid.uuid4()
    by_client = Scope.restricted(T, client_ids=frozenset({C}))
    assert by_client.allows_site(T, C, other_site)
    assert not by_client.allows_site(T, other_client, other_site)
    by_site = Scope.restricted(T, site_ids=frozenset({S}))
    assert by_site.allows_site(T, other_client, S)
    assert not by_site.allows_site(T, C, other_site)
    assert not Scope.tenant(T).allows_site(uuid.uuid4(), C, S)
    assert Scope.system().allows_site(uuid.uuid4(), C, S)
