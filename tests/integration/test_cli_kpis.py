"""`tocsin kpis` on SQLite and PostgreSQL: a period's figures as text, JSON (the API's object), CSV and
a PDF file; an empty period says so; bad input is one error line, exit 2, and no file written."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.integration.cli_support import tocsin
from tests.integration.helpers import Room, make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.domain import alarms as a
from tocsin.domain.scope import Scope
from tocsin.testing import FakeClock

T0 = datetime(2026, 11, 30, 8, tzinfo=UTC)
PERIOD = ("--from", "2026-11-30T00:00:00+00:00", "--to", "2026-12-01T00:00:00+00:00")


def _alarm(room: Room, minutes: int, take: float, outcome: str, cause: str) -> a.Alarm:
    opened = T0 + timedelta(minutes=minutes)
    return a.Alarm(
        id=uuid.uuid4(),
        tenant_id=room.tenant_id,
        alarm_class="intrusion",
        priority=4,
        opened_at=opened,
        last_signal_at=opened,
        site_id=room.site_a,
        client_id=room.client_a,
        site_ref="A1",
        site_name="Site A",
        state="settled",
        first_taken_at=opened + timedelta(seconds=take),
        settled_at=opened + timedelta(seconds=take + 60),
        outcome=outcome,
        cause=cause,
    )


@pytest.fixture
def tenant(db_url: str) -> Iterator[str]:
    """A room of its own with three intrusions on 30 November, taken in 10, 20 and 70 s, two false."""
    store = SqlStore(db_url, FakeClock())
    try:
        ref = f"k{uuid.uuid4().hex[:10]}"
        room = make_room(store, ref=ref)
        alarms = [
            _alarm(room, 0, 10, "false", "animal"),
            _alarm(room, 30, 20, "false", "weather"),
            _alarm(room, 90, 70, "real", "intrusion"),
        ]
        store.write(lambda uow: uow.alarms.add(alarms), Scope.system())
        yield ref
    finally:
        store.close()


def _env(db_url: str, tmp_path: Path) -> dict[str, str]:
    return {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


def test_json_is_the_apis_object(db_url: str, tmp_path: Path, tenant: str) -> None:
    """Three alarms, two false; take p50 20 s, p90 70 s; 2 of 3 within 30 s, EN 50518's 80 % missed."""
    done = tocsin(_env(db_url, tmp_path), "kpis", *PERIOD, "--tenant", tenant, "--json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert (body["alarms"], body["settled"], body["false"], body["empty"]) == (3, 3, 2, False)
    overall = next(t for t in body["timings"] if t["alarm_class"] == "*" and t["measure"] == "take")
    assert (overall["p50"], overall["p90"]) == (20.0, 70.0)
    assert [(w["seconds"], w["count"], w["met"]) for w in overall["within"]] == [
        (30, 2, False),
        (60, 2, False),
    ]
    assert len(body["per_hour"]) == 24
    dispatch = body["dispatch"]  # no event in this room: the NFPA 1225 section is there, at zero
    assert (dispatch["events"], dispatch["no_unit"]) == (0, 0)
    assert [x["interval"] for x in dispatch["intervals"]] == ["processing", "turnout", "travel"]


def test_text_and_csv(db_url: str, tmp_path: Path, tenant: str) -> None:
    """The text names the figures and what was missed; the CSV parses with every section."""
    env = _env(db_url, tmp_path)
    text = tocsin(env, "kpis", *PERIOD, "--tenant", tenant).stdout
    assert "3 alarm(s), 3 settled, 2 false (66.7%)" in text
    assert "66.7%<=30s MISSED" in text
    assert "Dispatch (NFPA 1225): 0 event(s), 0 without a unit alerted" in text
    rows = list(csv.DictReader(io.StringIO(tocsin(env, "kpis", *PERIOD, "--tenant", tenant, "--csv").stdout)))
    causes = {r["key"]: r["count"] for r in rows if r["section"] == "cause"}
    assert causes == {"animal": "1", "weather": "1", "intrusion": "1"}


def test_the_pdf_is_written(db_url: str, tmp_path: Path, tenant: str) -> None:
    """A PDF in French whose first page holds the title and the period."""
    out = tmp_path / "kpis.pdf"
    done = tocsin(
        _env(db_url, tmp_path), "kpis", *PERIOD, "--tenant", tenant, "--pdf", str(out), "--language", "fr"
    )
    assert done.returncode == 0, done.stderr
    assert f"Wrote {out}" in done.stdout
    pdf = pdfium.PdfDocument(out.read_bytes())
    try:
        text = pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()
    assert "Indicateurs de performance" in text
    assert "2026-11-30 00:00" in text


def test_an_empty_period_says_so(db_url: str, tmp_path: Path, tenant: str) -> None:
    """A day with nothing: one line says so; the JSON says empty."""
    env = _env(db_url, tmp_path)
    day = ("--from", "2026-10-01T00:00:00Z", "--to", "2026-10-02T00:00:00Z")
    assert "No alarm and no signal in this period." in tocsin(env, "kpis", *day, "--tenant", tenant).stdout
    assert json.loads(tocsin(env, "kpis", *day, "--tenant", tenant, "--json").stdout)["empty"] is True


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--from", "2026-11-30T00:00:00"), "no offset"),
        (("--to", "yesterday"), "not a time"),
        (("--from", "2026-12-02T00:00:00Z", "--to", "2026-12-01T00:00:00Z"), "before"),
        (("--json", "--csv"), "one of"),
        (("--tenant", "nobody-here"), "nobody-here"),
        (("--pdf", "/nonexistent/folder/k.pdf"), "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    db_url: str, tmp_path: Path, tenant: str, args: tuple[str, ...], said: str
) -> None:
    """Each mistake is one 'error:' line naming it, exit 2, nothing printed on stdout."""
    done = tocsin(_env(db_url, tmp_path), "kpis", *args)
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith("error: ")
    assert said in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stdout == ""


def test_a_tenants_targets_are_set_shown_and_given_back(db_url: str, tmp_path: Path, tenant: str) -> None:
    """Setting take to 20:90 changes the report's targets; settle keeps the node's; --reset gives it back."""
    env = _env(db_url, tmp_path)
    shown = tocsin(env, "kpis", "targets", "--tenant", tenant)
    assert shown.stdout.startswith("take: 80 % ≤ 30 s, 98.5 % ≤ 60 s (the node's setting)")
    done = tocsin(env, "kpis", "targets", "--tenant", tenant, "--take", "20:90")
    assert done.returncode == 0, done.stderr
    assert "take: 90 % ≤ 20 s\nsettle: none (the node's setting)" in done.stdout
    body = json.loads(tocsin(env, "kpis", *PERIOD, "--tenant", tenant, "--json").stdout)
    assert body["targets"]["take"] == [{"seconds": 20, "percent": 90}]
    tocsin(env, "kpis", "targets", "--tenant", tenant, "--settle", "")
    assert "settle: none\n" in tocsin(env, "kpis", "targets", "--tenant", tenant).stdout
    assert "(the node's setting)" in tocsin(env, "kpis", "targets", "--tenant", tenant, "--reset").stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [(("--take", "30"), "seconds:percent"), (("--reset", "--take", "30:80"), "--reset alone")],
)
def test_bad_targets_are_one_line_and_nothing_changes(
    db_url: str, tmp_path: Path, tenant: str, args: tuple[str, ...], said: str
) -> None:
    """A malformed target, or --reset with a value: one error line, exit 2, the node's targets hold."""
    env = _env(db_url, tmp_path)
    done = tocsin(env, "kpis", "targets", "--tenant", tenant, *args)
    assert (done.returncode, done.stdout) == (2, "")
    assert said in done.stderr
    assert "(the node's setting)" in tocsin(env, "kpis", "targets", "--tenant", tenant).stdout
