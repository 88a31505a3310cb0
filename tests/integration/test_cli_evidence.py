"""`tocsin alarms evidence ID -o FILE` on SQLite and PostgreSQL: the PDF written for a verified alarm
reported to the police, and bad input one error line, exit 2, no file written."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.integration.alarm_support import open_alarms, send
from tests.integration.helpers import make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.cli.main import main
from tocsin.domain import alarms as a
from tocsin.domain import commands as c
from tocsin.domain import verification as v
from tocsin.domain.scope import Scope
from tocsin.testing import FakeClock

OPERATOR = uuid.UUID(int=1)


@pytest.fixture
def alarm_id(db_url: str) -> Iterator[str]:
    """An intrusion verified on video, reported to the police, in a room of its own."""
    clock = FakeClock()
    store = SqlStore(db_url, clock)
    try:
        room = make_room(store, ref=f"ev{uuid.uuid4().hex[:10]}")
        scope = Scope.tenant(room.tenant_id)
        account = room.bus.handle(
            c.AddAccount(room.site_a, uuid.uuid4().hex[:8].upper()), scope=scope, actor="t"
        )
        police = room.bus.handle(c.AddPartner(room.tenant_id, "Police", "police"), scope=scope, actor="t")
        send(store, clock, account, "1130 01 001")
        (alarm,) = open_alarms(store, room.site_a)
        for command in (
            a.TakeAlarm(alarm.id, OPERATOR, "Ann"),
            v.RecordVerification(
                alarm.id, OPERATOR, "Ann", method="video", outcome="confirmed", threat="property"
            ),
            v.RequestAuthority(
                alarm.id, OPERATOR, "Ann", partner_id=police.id, message="Break-in", reference="R-9"
            ),
        ):
            room.bus.handle(command, scope=scope, actor="t")
        yield str(alarm.id)
    finally:
        store.close()


def run(monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path, *args: str) -> int:
    monkeypatch.setenv("TOCSIN_DATABASE_URL", db_url)
    monkeypatch.setenv("TOCSIN_VAR_DIR", str(tmp_path / "var"))
    try:
        main(list(args))
    except SystemExit as exited:
        return int(exited.code or 0)
    return 0


def test_the_evidence_pdf_is_written(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    tmp_path: Path,
    alarm_id: str,
) -> None:
    """A PDF naming the alarm and the police's reference, in French when asked."""
    out = tmp_path / "evidence.pdf"
    assert (
        run(monkeypatch, db_url, tmp_path, "alarms", "evidence", alarm_id, "-o", str(out), "--language", "fr")
        == 0
    )
    said = capsys.readouterr().out
    assert "AVS 3" in said
    assert "1 request(s)" in said
    pdf = pdfium.PdfDocument(out.read_bytes())
    try:
        text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()
    assert alarm_id in text
    assert "R-9" in text
    assert "Dossier de preuve" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alarms", "evidence", str(uuid.UUID(int=77)), "-o", "{out}"], "No alarm"),
        (["alarms", "evidence", "not-an-id", "-o", "{out}"], "not a valid UUID"),
        (["alarms", "evidence", str(uuid.UUID(int=77))], "Missing option"),
    ],
)
def test_bad_input_is_one_line_and_writes_no_file(
    *,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    """An unknown alarm, a bad id or no output file: one error line, exit 2, no file."""
    out = tmp_path / "nothing.pdf"
    assert run(monkeypatch, db_url, tmp_path, *[x.format(out=out) for x in args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:")
    assert message in err
    assert len(err.splitlines()) == 1
    assert not out.exists()
