"""`tocsin geo import-ban` and `tocsin geo search|reverse` on both databases: a generated BAN file is
imported, imported again (updates, no duplicates), and refused whole when its header or a line is bad."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.adapters.store.geo_rows import AddressRow
from tocsin.cli.main import main
from tocsin.domain.scope import Scope
from tocsin.protocols.ban import address_id
from tocsin.testing.addresses import ban_lines

COUNT = 1_200


@pytest.fixture
def env(tmp_path: Path, fresh_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI's settings point at an empty migrated database of this test's own."""
    monkeypatch.setenv("TOCSIN_DATABASE_URL", fresh_db_url)
    monkeypatch.setenv("TOCSIN_VAR_DIR", str(tmp_path / "var"))
    return fresh_db_url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process: exit code, standard output, standard error."""
    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def write_ban(path: Path, count: int = COUNT, *, changed: str | None = None) -> Path:
    lines = list(ban_lines(count, seed=7))
    if changed is not None:
        lines[1] = lines[1].replace(";entrée;", f";{changed};")  # an untouched column: same address
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _with_latitude(line: str, latitude: str) -> str:
    fields = line.split(";")
    fields[13] = latitude  # lat, in the BAN's column order
    return ";".join(fields)


def table(url: str) -> tuple[int, int]:
    """How many addresses the table holds, and the revision."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            count = connection.execute(select(func.count()).select_from(AddressRow)).scalar_one()
            revision = connection.execute(text("SELECT revision FROM geo_revision")).scalar()
            return int(count), int(revision or 0)
    finally:
        engine.dispose()


def test_import_then_reimport_updates_without_duplicates(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first import adds every address; the second finds them all and updates them; one logbook
    entry each, in the system chain."""
    file = write_ban(tmp_path / "adresses-45.csv")
    code, out, err = run(capsys, "geo", "import-ban", str(file), "--json")
    assert code == 0, err
    first = json.loads(out)
    assert {k: first[k] for k in ("source", "addresses", "added", "updated", "skipped", "revision")} == {
        "source": "adresses-45.csv",
        "addresses": COUNT,
        "added": COUNT,
        "updated": 0,
        "skipped": 0,
        "revision": 1,
    }
    assert table(env) == (COUNT, 1)
    code, out, err = run(capsys, "geo", "import-ban", str(write_ban(file, changed="segment")), "--json")
    assert code == 0, err
    second = json.loads(out)
    assert (second["added"], second["updated"], second["revision"]) == (0, COUNT, 2)
    assert table(env) == (COUNT, 2)
    store = SqlStore(env, SystemClock())
    try:
        entries = store.read(lambda uow: list(uow.logbook.read(Scope.system())), Scope.system())
    finally:
        store.close()
    imports = [e for e in entries if e.kind == "geo.addresses_imported"]
    assert [(e.chain, e.params["added"], e.params["updated"]) for e in imports] == [
        ("system", COUNT, 0),
        ("system", 0, COUNT),
    ]


def test_the_progress_bar_and_summary_read_well(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --json: both passes show, then one summary line."""
    file = write_ban(tmp_path / "adresses-45.csv", 50)
    code, out, err = run(capsys, "geo", "import-ban", str(file))
    assert code == 0, err
    assert "50 addresses from adresses-45.csv: 50 added, 0 updated" in out


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda lines: ["id;numero;voie\n", *lines[1:]], "Line 1 is not a BAN header"),
        (lambda lines: [*lines[:900], "broken;line\n", *lines[900:]], "Line 901 has 2 fields"),
        (lambda lines: [*lines[:-1], _with_latitude(lines[-1], "147.5")], "Line 1201: Latitude"),
    ],
)
def test_a_bad_file_is_refused_whole_with_its_line(
    env: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    damage,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    """A bad header, or one bad line even far down the file: one error line, exit 2, nothing written."""
    file = tmp_path / "adresses-45.csv"
    file.write_text("".join(damage(list(ban_lines(COUNT, seed=7)))), encoding="utf-8")
    code, _out, err = run(capsys, "geo", "import-ban", str(file))
    assert code == 2
    assert err.startswith(f"error: {message}"), err
    assert "Nothing was imported" in err
    assert len(err.strip().splitlines()) == 1
    assert table(env) == (0, 0)


def test_a_file_not_in_utf8_is_refused(env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Latin-1 bytes: the line is named and nothing is written."""
    file = tmp_path / "adresses-45.csv"
    file.write_bytes("".join(ban_lines(10, seed=7)).encode("utf-8") + "1;é\n".encode("latin-1"))
    code, _, err = run(capsys, "geo", "import-ban", str(file))
    assert code == 2
    assert "Line 12" in err
    assert "UTF-8" in err
    assert table(env) == (0, 0)


def test_search_and_reverse_after_an_import(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI finds an imported address with a typo, by JSON, and the nearest address to its point."""
    lines = list(ban_lines(COUNT, seed=7))
    file = tmp_path / "adresses-45.csv"
    file.write_text("".join(lines), encoding="utf-8")
    assert run(capsys, "geo", "import-ban", str(file), "--json")[0] == 0
    fields = lines[500].split(";")
    key, number, street, city, lon, lat = fields[0], fields[2], fields[4], fields[7], fields[12], fields[13]
    typo = street[:-2] + street[-1] if len(street.split()[-1]) >= 6 else street
    code, out, err = run(capsys, "geo", "search", f"{typo} {number} {city}", "--json")
    assert code == 0, err
    answer = json.loads(out)
    assert answer["message"] is None
    assert answer["candidates"][0]["address_id"] == address_id(key)
    assert answer["candidates"][0]["precision"] == "address"
    code, out, err = run(capsys, "geo", "reverse", lat, lon, "--json")
    assert code == 0, err
    assert json.loads(out)["candidates"][0]["address_id"] == address_id(key)
    code, out, _ = run(capsys, "geo", "search", "zzqx wvvy")
    assert code == 0
    assert "No address matches 'zzqx wvvy'" in out
    assert "click the place on the map" in out


def test_search_refuses_an_empty_query(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    """An empty search is one clear error line."""
    code, _, err = run(capsys, "geo", "search", "  ")
    assert code == 2
    assert err.startswith("error: Type something to search")
