"""`tocsin partners add|list|matrix|set-matrix` on SQLite and PostgreSQL, in process: a room's partners
added with their channels, a matrix set from a JSON file and printed, bad input one error line, exit 2,
nothing changed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.cli_support import tocsin
from tests.integration.helpers import make_room
from tocsin.adapters.store.database import SqlStore
from tocsin.testing import FakeClock


@pytest.fixture
def room_ref(db_url: str) -> Iterator[str]:
    """A room of its own (its reference)."""
    store = SqlStore(db_url, FakeClock())
    try:
        ref = f"pa{uuid.uuid4().hex[:10]}"
        make_room(store, ref=ref)
        yield ref
    finally:
        store.close()


def env_of(db_url: str, tmp_path: Path) -> dict[str, str]:
    return {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


def test_partners_are_added_and_a_matrix_set_from_a_file(db_url: str, tmp_path: Path, room_ref: str) -> None:
    """Two partners with phones, email and radio; the matrix file's rules and templates come back."""
    env = env_of(db_url, tmp_path)
    samu = tocsin(
        env, "partners", "add", "SAMU 41", "--kind", "samu", "--phone", "15", "--radio", "ANTARES 41",
        "--tenant", room_ref, "--json",
    )  # fmt: skip
    assert samu.returncode == 0, samu.stderr
    added = json.loads(samu.stdout)
    assert (added["kind"], added["phones"], added["radio"]) == ("samu", ["15"], "ANTARES 41")
    listed = json.loads(tocsin(env, "partners", "list", "--tenant", room_ref, "--json").stdout)
    assert [p["name"] for p in listed] == ["SAMU 41"]
    matrix = {
        "rules": [
            {"category": "medical", "partner_id": added["id"], "channel": "radio", "template_code": "s"}
        ],
        "templates": [{"code": "s", "name": "SAMU", "text": "{type_label_fr} au {address}"}],
    }
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(matrix), encoding="utf-8")
    done = tocsin(env, "partners", "set-matrix", str(path), "--tenant", room_ref)
    assert done.returncode == 0, done.stderr
    assert "1 rules, 1 templates" in done.stdout
    shown = json.loads(tocsin(env, "partners", "matrix", "--tenant", room_ref, "--json").stdout)
    assert shown["rules"][0]["partner_id"] == added["id"]
    assert shown["templates"][0]["required"] == ["type_label_fr", "address"]
    text = tocsin(env, "partners", "matrix", "--tenant", room_ref).stdout
    assert "medical" in text
    assert "SAMU 41 by radio" in text


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["partners", "add", "X", "--kind", "army"], None, "Invalid value for '--kind'"),
        (["partners", "set-matrix", "{path}"], "not json", "not a JSON document"),
        (["partners", "set-matrix", "{path}"], '{"rules": 3}', "lists 'rules' and 'templates'"),
        (
            ["partners", "set-matrix", "{path}"],
            json.dumps({"templates": [{"code": "t", "name": "T", "text": "{colour}"}]}),
            "unknown fields (colour)",
        ),
        (
            ["partners", "set-matrix", "{path}"],
            json.dumps(
                {"rules": [{"partner_id": str(uuid.UUID(int=5)), "channel": "phone", "template_code": "t"}]}
            ),
            "No partner",
        ),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    *, db_url: str, tmp_path: Path, room_ref: str, args: list[str], content: str | None, message: str
) -> None:
    """An unknown kind, a file that is not a matrix, an unknown field, a partner not in the room."""
    env = env_of(db_url, tmp_path)
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = tocsin(env, *[a.format(path=path) for a in args], "--tenant", room_ref)
    assert done.returncode == 2
    err = done.stderr.strip()
    assert err.startswith("error:")
    assert message in err
    assert len(err.splitlines()) == 1
    assert json.loads(tocsin(env, "partners", "matrix", "--tenant", room_ref, "--json").stdout) == {
        "rules": [],
        "templates": [],
    }
