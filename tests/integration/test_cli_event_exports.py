"""`tocsin events emsi ID` and `tocsin events sheet ID -o FILE` on SQLite and PostgreSQL, in process: the
EMSI document valid against the shipped schema, the sheet's first page rendered, bad input one error
line with exit 2 and no file."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import jsonschema_rs
import pypdfium2 as pdfium
import pytest

from tests.integration.cli_support import tocsin
from tests.integration.helpers import make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import commands as c
from tocsin.domain import incidents as i
from tocsin.domain import partner_commands as pc
from tocsin.domain.scope import Scope
from tocsin.testing import FakeClock


@pytest.fixture
def event_id(db_url: str) -> Iterator[str]:
    """A gas leak told to the gas utility (acknowledged) and closed with its report, in a room of its own."""
    store = SqlStore(db_url, FakeClock())
    try:
        room = make_room(store, ref=f"ex{uuid.uuid4().hex[:10]}")
        scope = Scope.tenant(room.tenant_id)

        def do(command: object) -> object:
            return room.bus.handle(command, scope=scope, actor="t")  # type: ignore[arg-type]

        gas = do(c.AddPartner(room.tenant_id, "GRDF urgence gaz", "gas", ("0800 47 33 33",)))
        template = {"code": "gas", "name": "Gas", "text": "Gas leak at {address}, P{priority?}"}
        do(pc.SetMatrix(room.tenant_id, (), (template,), "Admin"))
        opened = do(
            i.CreateIncident(room.tenant_id, "GAS_LEAK", i.Place(47.59, 1.33, "8 rue du Four"), by="Ann")
        )
        incident = opened.incident  # type: ignore[attr-defined]
        request = do(pc.RequestPartner(incident.id, gas.id, "phone", "gas", "Ann"))  # type: ignore[attr-defined]
        do(pc.AcknowledgePartner(incident.id, request.id, "Ann", "GRDF-5521"))  # type: ignore[attr-defined]
        do(pc.CloseWithReport(incident.id, ("handled",), "Valve closed by GRDF.", "Ann"))
        yield str(incident.id)
    finally:
        store.close()


def env_of(db_url: str, tmp_path: Path) -> dict[str, str]:
    return {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


def test_emsi_prints_a_valid_document(db_url: str, tmp_path: Path, event_id: str) -> None:
    """The EMSI message of the closed event: COM, one mission for the gas utility, acknowledged."""
    done = tocsin(env_of(db_url, tmp_path), "events", "emsi", event_id)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    schema = json.loads(resources.files("tocsin").joinpath("reference/emsi.schema.json").read_text("utf-8"))
    jsonschema_rs.validator_for(schema).validate(document)
    assert (document["EVENT"]["ID"], document["EVENT"]["STATUS"]) == (event_id, "COM")
    assert document["EVENT"]["ETYPE"]["CATEGORY"] == ["EXP/GAS"]
    assert [(m["NAME"], m["STATUS"]) for m in document["MISSION"]] == [("GRDF urgence gaz", "IPR")]
    assert "GRDF-5521" in document["MISSION"][0]["FREETEXT"]


def test_sheet_writes_a_pdf_in_french(db_url: str, tmp_path: Path, event_id: str) -> None:
    """The sheet names the event, the partner's reference and the report; its first page has ink."""
    out = tmp_path / "sheet.pdf"
    done = tocsin(env_of(db_url, tmp_path), "events", "sheet", event_id, "-o", str(out), "--language", "fr")
    assert done.returncode == 0, done.stderr
    assert "1 partner request(s), report written" in done.stdout
    pdf = pdfium.PdfDocument(out.read_bytes())
    try:
        image = pdf[0].render(scale=1).to_pil().convert("L")
        text = "\n".join(pdf[n].get_textpage().get_text_range() for n in range(len(pdf)))
    finally:
        pdf.close()
    assert sum(image.histogram()[:128]) > 2000
    squashed = text.replace("\r", "").replace("\n", " ")
    for expected in (event_id, "Fiche évènement", "GRDF-5521", "Valve closed by GRDF.", "traité sur place"):
        assert expected in squashed, expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "sheet", str(uuid.UUID(int=77)), "-o", "{out}"], "No event"),
        (["events", "emsi", str(uuid.UUID(int=77))], "No event"),
        (["events", "sheet", "not-an-id", "-o", "{out}"], "not a valid UUID"),
        (["events", "sheet", str(uuid.UUID(int=77))], "Missing option"),
    ],
)
def test_bad_input_is_one_line_and_writes_no_file(
    db_url: str, tmp_path: Path, args: list[str], message: str
) -> None:
    """An unknown event, a bad id or no output file: one error line, exit 2, no file."""
    out = tmp_path / "nothing.pdf"
    done = tocsin(env_of(db_url, tmp_path), *[x.format(out=out) for x in args])
    assert done.returncode == 2
    err = done.stderr.strip()
    assert err.startswith("error:")
    assert message in err
    assert len(err.splitlines()) == 1
    assert not out.exists()
