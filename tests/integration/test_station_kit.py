"""The degraded-mode kit (docs/degraded.md): ``GET /api/v1/station/kit.pdf`` for supervisors in their
scope, ``tocsin station kit -o FILE``, and the hourly copies ``tocsin serve`` writes into the data
folder. Its first page is rendered to an image (an A4 page with ink); its text holds the open alarms,
the sites' instructions and call lists with phones, the units and the partners' numbers; never a
password hash, and nothing outside the caller's scope."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.integration.alarm_support import send
from tests.integration.api_support import Stack, make_stack
from tests.integration.cli_support import tocsin
from tocsin.bootstrap import kit_refresher
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain.instructions import GiveInstruction
from tocsin.domain.plans import ActionPlan, PlanStep
from tocsin.domain.scope import Scope

KEYHOLDER_A, PHONE_A = "Martine Keyholder", "+33 6 11 22 33 44"
KEYHOLDER_B, PHONE_B = "Bruno Secondsite", "+33 6 55 66 77 88"
POLICE_LINE, PATROL = "+33 1 45 45 45 45", "Patrol Kilo"


@dataclass
class Kit:
    stack: Stack
    password_hash: str


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kit]:
    """A room with an intrusion on site A (with its plan, a temporary instruction and a keyholder), a
    fire on site B (its own keyholder), an open event, a unit and the police's number."""
    for stack in make_stack(tmp_path_factory.mktemp("kit")):
        yield Kit(stack, furnish(stack))


def furnish(stack: Stack) -> str:
    """Fill the room (see :func:`kit`); the hash of site A's keyholder's password."""
    room, node, clock = stack.room, stack.node, stack.clock
    scope = Scope.tenant(room.tenant_id)
    bus = node.messagebus
    accounts = {}
    for site, name, phone, number in (
        (room.site_a, KEYHOLDER_A, PHONE_A, "A100"),
        (room.site_b, KEYHOLDER_B, PHONE_B, "B200"),
    ):
        bus.handle(c.AddContact(site, 1, name, (phone,), password="tulip garden"), scope=scope, actor="t")
        accounts[site] = bus.handle(c.AddAccount(site, number), scope=scope, actor="t")
    bus.handle(c.AddUnit(room.tenant_id, PATROL, "patrol", station="North"), scope=scope, actor="t")
    police = c.AddPartner(room.tenant_id, "Police nationale", "police", (POLICE_LINE,))
    bus.handle(police, scope=scope, actor="t")
    steps = (PlanStep("free_text", "Call the keyholder, then send a guard"),)
    plan = ActionPlan(clock.new_id(), room.tenant_id, "intrusion", steps, client_id=room.client_a)
    node.store.write(lambda uow: uow.plans.put_plan(plan), scope)
    ends = clock.now() + timedelta(days=1)
    instruction = GiveInstruction(room.site_a, "note", "Back door alarm faulty", None, ends, "t")
    bus.handle(instruction, scope=scope, actor="t")
    send(node.store, clock, accounts[room.site_a], "1130 01 001")  # an intrusion on A
    send(node.store, clock, accounts[room.site_b], "1110 01 002")  # a fire on B
    event = i.CreateIncident(
        room.tenant_id, "FIGHT", i.Place(site_id=room.site_a), by="t", caller_phone="0611"
    )
    bus.handle(event, scope=scope, actor="t")
    stack.add_user("sup", "supervisor")
    stack.add_user("sup-a", "supervisor", client_ids=(room.client_a,))
    contact = node.store.read(lambda uow: uow.contacts.find(site_id=room.site_a)[0], scope)
    return contact.password_hash or ""


def text_of(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    finally:
        pdf.close()


def test_the_first_page_renders_and_holds_what_the_room_needs_on_paper(kit: Kit) -> None:
    """An A4 first page with ink; the alarms, the plan, the instruction, the call lists, the unit and
    the police's number in the text; no password hash."""
    response = kit.stack.session("sup").get("/api/v1/station/kit.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    data = response.content
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[0].render(scale=1).to_pil().convert("L")
    finally:
        pdf.close()
    width, height = image.size
    assert (abs(width - 595), abs(height - 842)) <= (1, 1)  # A4 at 72 dpi
    assert sum(image.histogram()[:128]) > 2000, "the first page is (almost) blank"
    text = text_of(data)
    for expected in (
        "Degraded-mode kit",
        "Open alarms",
        "SA Site A",
        "SB Site B",
        "Call the keyholder, then send a guard",
        "Back door alarm faulty",
        KEYHOLDER_A,
        PHONE_A,
        KEYHOLDER_B,
        PHONE_B,
        PATROL,
        POLICE_LINE,
        "0611",
    ):
        assert expected in text, expected
    assert kit.password_hash
    assert kit.password_hash not in text
    assert "tulip" not in text


def test_a_supervisor_of_one_client_gets_that_clients_part_only(kit: Kit) -> None:
    """Client A's supervisor: site A's alarm and call list, nothing of site B."""
    response = kit.stack.session("sup-a").get("/api/v1/station/kit.pdf?lang=fr")
    assert response.status_code == 200, response.text
    text = text_of(response.content)
    assert "Kit du mode dégradé" in text
    assert KEYHOLDER_A in text
    assert KEYHOLDER_B not in text
    assert PHONE_B not in text
    assert "Site B" not in text


def test_an_operator_may_not_print_the_kit(kit: Kit) -> None:
    """The kit is the supervisors': an operator gets 403 with the reason."""
    response = kit.stack.session("operator").get("/api/v1/station/kit.pdf")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    bad = kit.stack.session("sup").get("/api/v1/station/kit.pdf?lang=de")
    assert bad.status_code == 422


def test_the_hourly_refresh_writes_each_tenants_kit_in_each_language(kit: Kit, tmp_path: Path) -> None:
    """The loop's work: one file per tenant and language in the data folder's kit/, replaced whole."""
    refresher = kit_refresher(kit.stack.node)
    refresher.folder = tmp_path / "kit"
    written = refresher.write_all()
    tenant = kit.stack.node.store.read(lambda uow: uow.tenants.get(kit.stack.room.tenant_id), Scope.system())
    assert tenant is not None
    assert {p.name for p in written} >= {f"kit-{tenant.ref}-en.pdf", f"kit-{tenant.ref}-fr.pdf"}
    assert KEYHOLDER_B in text_of((tmp_path / "kit" / f"kit-{tenant.ref}-en.pdf").read_bytes())
    assert not list((tmp_path / "kit").glob("*.part"))


def test_the_command_writes_the_kit(kit: Kit, tmp_path: Path) -> None:
    """`tocsin station kit -o FILE --tenant REF` writes the PDF and says what is in it; a wrong tenant
    is one error line and no file."""
    node = kit.stack.node
    tenant = node.store.read(lambda uow: uow.tenants.get(kit.stack.room.tenant_id), Scope.system())
    assert tenant is not None
    env = {"TOCSIN_DATABASE_URL": node.settings.database_url, "TOCSIN_VAR_DIR": str(tmp_path)}
    out = tmp_path / "kit.pdf"
    done = tocsin(env, "station", "kit", "-o", str(out), "--tenant", tenant.ref, "--language", "fr")
    assert done.returncode == 0, done.stderr
    assert "2 open alarm(s), 1 open event(s), 2 site(s)" in done.stdout
    assert KEYHOLDER_A in text_of(out.read_bytes())
    missing = tmp_path / "none.pdf"
    bad = tocsin(env, "station", "kit", "-o", str(missing), "--tenant", "nope")
    assert bad.returncode == 2
    assert bad.stderr.startswith("error: No tenant")
    assert not missing.exists()


def test_the_station_page_links_the_kit_in_the_readers_language(kit: Kit) -> None:
    """A supervisor's station page offers the kit to download."""
    page = kit.stack.session("sup").get("/console/station")
    assert page.status_code == 200
    assert 'href="/api/v1/station/kit.pdf?lang=en"' in page.text
    assert "Degraded-mode kit (PDF)" in page.text


def test_the_loop_writes_at_once_and_stops_when_told(kit: Kit, tmp_path: Path) -> None:
    """`tocsin serve`'s loop writes the kits when it starts, then waits its hour until told to stop."""
    refresher = kit_refresher(kit.stack.node)
    refresher.folder = tmp_path / "kit"

    async def run_until_written() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(refresher.run(stop))
        await asyncio.sleep(0)  # the loop starts: its first write is under way in a thread
        stop.set()  # the write ends, then the loop stops instead of waiting its hour
        await task

    asyncio.run(asyncio.wait_for(run_until_written(), 60))
    assert len(list(refresher.folder.glob("kit-*.pdf"))) >= 2  # English and French
