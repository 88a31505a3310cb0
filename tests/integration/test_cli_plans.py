"""`tocsin plan set|show` and `tocsin site instruct|instructions`, in process, on SQLite and PostgreSQL:
the JSON output, and bad input as one `error:` line, exit 2, nothing changed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.helpers import make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.cli.main import main
from tocsin.testing import FakeClock

STEPS = [
    {"kind": "call_site", "instruction": "Call the depot's guard post."},
    {"kind": "dispatch_guard", "instruction": "Send the nearest patrol.", "mandatory": False},
]


@pytest.fixture
def tenant(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A room in the database (its tenant's reference), the CLI pointed at it."""
    monkeypatch.setenv("TOCSIN_DATABASE_URL", db_url)
    monkeypatch.setenv("TOCSIN_VAR_DIR", str(tmp_path / "var"))
    store = SqlStore(db_url, FakeClock())
    ref = f"pl{uuid.uuid4().hex[:10]}"  # unique: the PostgreSQL database is shared by the module's tests
    try:
        make_room(store, ref=ref)
        yield ref
    finally:
        store.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_plan_set_and_show_for_a_client_and_a_site(
    tenant: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The client's plan applies to its site until the site gets its own; show says whose it is."""
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps({"steps": STEPS}), encoding="utf-8")
    shown = as_json(capsys, "plan", "show", "--site", "SA", "--class", "intrusion", "--tenant", tenant)
    assert shown["source"] == "default"
    written = as_json(
        capsys, "plan", "set", str(plan_file), "--client", "A", "--class", "intrusion", "--tenant", tenant
    )
    assert written["source"] == "client"
    shown = as_json(capsys, "plan", "show", "--site", "SA", "--class", "intrusion", "--tenant", tenant)
    assert shown == {
        "alarm_class": "intrusion",
        "source": "client",
        "steps": [{**STEPS[0], "mandatory": True}, STEPS[1]],
    }
    plan_file.write_text(json.dumps(STEPS[1:]), encoding="utf-8")  # a bare list of steps
    code, out, _ = run(
        capsys, "plan", "set", str(plan_file), "--site", "SA", "--class", "intrusion", "--tenant", tenant
    )
    assert code == 0
    assert "1 step(s), 0 mandatory" in out
    code, out, _ = run(capsys, "plan", "show", "--site", "SA", "--class", "intrusion", "--tenant", tenant)
    assert "(site)" in out
    assert "dispatch_guard" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[]", "at least one step"),
        ('[{"kind": "pray", "instruction": "x"}]', "step 1: Unknown step kind 'pray'"),
        ("{not json", "is not JSON"),
    ],
)
def test_a_bad_plan_file_is_one_line_and_changes_nothing(
    tenant: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    """An empty plan, an unknown kind or a broken file: one error line, exit 2, the default stays."""
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(content, encoding="utf-8")
    code, _, err = run(
        capsys, "plan", "set", str(plan_file), "--client", "A", "--class", "fire", "--tenant", tenant
    )
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    shown = as_json(capsys, "plan", "show", "--client", "A", "--class", "fire", "--tenant", tenant)
    assert shown["source"] == "default"


def test_site_instruct_lists_and_cancels_and_refuses_a_backwards_window(
    tenant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An instruction from a client's call is listed in force, cancelled by id; one ending before it
    starts is one error line and nothing is written."""
    code, _, err = run(
        capsys,
        "site",
        "instruct",
        "SA",
        "--text",
        "Closed for the holidays",
        "--from",
        "2030-01-10",
        "--until",
        "2030-01-02",
        "--tenant",
        tenant,
    )
    assert code == 2
    assert "before it starts" in err
    assert as_json(capsys, "site", "instructions", "SA", "--tenant", tenant) == []
    given = as_json(
        capsys,
        "site",
        "instruct",
        "SA",
        "--kind",
        "keyholder",
        "--text",
        "Mr X has the keys",
        "--minutes",
        "120",
        "--caller",
        "Mrs Martin",
        "--tenant",
        tenant,
    )
    assert (given["kind"], given["in_force"], given["caller"]) == ("keyholder", True, "Mrs Martin")
    listed = as_json(capsys, "site", "instructions", "SA", "--tenant", tenant)
    assert [x["id"] for x in listed] == [given["id"]]
    cancelled = as_json(capsys, "site", "instruct", "SA", "--cancel", given["id"], "--tenant", tenant)
    assert cancelled["state"] == "cancelled"
    assert as_json(capsys, "site", "instructions", "SA", "--tenant", tenant) == []
    assert len(as_json(capsys, "site", "instructions", "SA", "--all", "--tenant", tenant)) == 1
