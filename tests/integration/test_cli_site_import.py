"""`tocsin site import`, in process, on both databases: a dry run lists and writes nothing, one bad row
among thousands writes nothing and names the row, a good file is written in one transaction with its
entries, a second import changes nothing, secrets are never stored in clear, the tenant is chosen."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.integration.cli_inprocess import Ran, run_cli
from tests.integration.helpers import make_room
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.hashing import Argon2Hasher
from tocsin.adapters.store.database import SqlStore, normalize_url
from tocsin.domain.scope import Scope
from tocsin.domain.sites import normalize_spoken_word

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
COLUMNS = ["record", "ref", "name", "client", "site", "number", "receiver", "kind", "call_order", "phones"]


@pytest.fixture
def env(tmp_path: Path, fresh_db_url: str) -> dict[str, str]:
    """Two tenants (arc and other), each with clients A and B and sites SA and SB."""
    store = SqlStore(fresh_db_url, SystemClock())
    try:
        make_room(store, ref="arc")
        make_room(store, ref="other")
    finally:
        store.close()
    return {"TOCSIN_DATABASE_URL": fresh_db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


def big_csv(path: Path, sites: int, bad_at: int | None = None) -> Path:
    """A CSV of ``sites`` sites of client A, each with a transmitter, two zones and a contact; the site
    numbered ``bad_at`` gets an unknown time zone."""
    out = io.StringIO()
    writer = csv.DictWriter(out, [*COLUMNS, "time_zone"], restval="")
    writer.writeheader()
    for n in range(sites):
        ref = f"IMP-{n:05d}"
        zone = "Mars/Olympus" if n == bad_at else "Europe/Paris"
        writer.writerow({"record": "site", "ref": ref, "name": f"Shop {n}", "client": "A", "time_zone": zone})
        writer.writerow({"record": "account", "site": ref, "number": f"{0xA0000 + n:X}", "receiver": "7"})
        for zone_number in ("1", "2"):
            writer.writerow(
                {"record": "zone", "site": ref, "number": zone_number, "name": "Door", "kind": "intrusion"}
            )
        writer.writerow(
            {"record": "contact", "site": ref, "name": "Keyholder", "call_order": "1", "phones": "+33 6 00"}
        )
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def counts(env: dict[str, str]) -> tuple[int, int, int]:
    """Sites of tenant arc, all contacts, and logbook entries."""
    store = SqlStore(env["TOCSIN_DATABASE_URL"], SystemClock())
    try:
        tenant = store.read(lambda uow: uow.tenants.find(ref="arc")[0], Scope.system())
        sites = store.read(lambda uow: len(uow.sites.find()), Scope.tenant(tenant.id))
        contacts = store.read(lambda uow: len(uow.contacts.find()), Scope.system())
        entries = store.read(lambda uow: len(list(uow.logbook.read(Scope.system()))), Scope.system())
    finally:
        store.close()
    return sites, contacts, entries


def ok(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str) -> str:
    ran = run_cli(monkeypatch, env, *args)
    assert ran.code == 0, ran.stderr
    return ran.stdout


def refused(ran: Ran) -> str:
    assert ran.code == 2, (ran.stdout, ran.stderr)
    (line,) = ran.stderr.strip().splitlines()
    assert line.startswith("error: ")
    return line


def test_a_dry_run_lists_then_the_import_writes_all_and_a_second_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tmp_path: Path
) -> None:
    """--dry-run counts and lists 300 sites' records and writes nothing; the import writes them in
    one go with one entry per site and one for the file; the same file again is all unchanged."""
    path = big_csv(tmp_path / "sites.csv", 300)
    before = counts(env)
    dry = json.loads(
        ok(monkeypatch, env, "site", "import", str(path), "--dry-run", "--tenant", "arc", "--json")
    )
    assert set(dry) == {"file", "sha256", "dry_run", "written", "counts", "changes", "skipped"}
    assert (dry["dry_run"], dry["written"]) == (True, False)
    assert dry["counts"]["sites"] == {"created": 300, "updated": 0, "unchanged": 0}
    assert dry["counts"]["zones"]["created"] == 600
    assert dry["changes"][0] == {
        "where": "line 2",
        "record": "site",
        "key": "IMP-00000",
        "action": "created",
        "fields": [],
    }
    text = ok(monkeypatch, env, "site", "import", str(path), "--dry-run", "--tenant", "arc")
    assert "line 6: contact 1 of IMP-00000 created" in text
    assert counts(env) == before
    done = json.loads(ok(monkeypatch, env, "site", "import", str(path), "--tenant", "arc", "--json"))
    assert done["written"] is True
    sites, contacts, entries = counts(env)
    assert (sites, contacts) == (before[0] + 300, before[1] + 300)
    assert entries == before[2] + 300 + 1
    again = json.loads(ok(monkeypatch, env, "site", "import", str(path), "--tenant", "arc", "--json"))
    assert again["changes"] == []
    assert again["counts"]["sites"] == {"created": 0, "updated": 0, "unchanged": 300}
    edited = path.read_text(encoding="utf-8").replace("Shop 7,", "Shop seven,")
    path.write_text(edited, encoding="utf-8")
    changed = json.loads(ok(monkeypatch, env, "site", "import", str(path), "--tenant", "arc", "--json"))
    assert changed["changes"] == [
        {"where": "line 37", "record": "site", "key": "IMP-00007", "action": "updated", "fields": ["name"]}
    ]


def test_one_bad_row_among_thousands_writes_nothing_and_names_the_row(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tmp_path: Path
) -> None:
    """Site 1,500 of 2,000 has an unknown time zone: exit 2, one line naming line 7,497 and the reason;
    other problems (an unknown client, a transmitter of another tenant, a site twice) are named too."""
    before = counts(env)
    path = big_csv(tmp_path / "bad.csv", 2000, bad_at=1499)
    line = refused(run_cli(monkeypatch, env, "site", "import", str(path), "--tenant", "arc"))
    assert (
        "1 problem(s) in bad.csv, nothing written: line 7497 (site): 'Mars/Olympus' is not a known IANA"
        in line
    )
    assert counts(env) == before
    ok(monkeypatch, env, "site", "import", str(big_csv(tmp_path / "theirs.csv", 1)), "--tenant", "other")
    before = counts(env)
    rows = [
        "record,ref,name,client,site,number,receiver",
        "site,X1,Shop,NOBODY,,,",
        "site,X2,Shop,A,,,",
        "site,X2,Again,A,,,",
        "account,,,,X2,A0000,7",
        "zone,,,,X2,3,",
    ]
    (tmp_path / "mixed.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    line = refused(
        run_cli(monkeypatch, env, "site", "import", str(tmp_path / "mixed.csv"), "--tenant", "arc")
    )
    for words in (
        "line 6 (zone): 'name' is missing",
        "line 4: site X2 is already given at line 3",
        "line 2: no client 'NOBODY'",
        "line 5: transmitter R7 L0 #A0000 is already declared by another tenant",
    ):
        assert words in line
    assert counts(env) == before


def test_contacts_secrets_are_hashed_on_import_and_never_stored_in_clear(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    """The example files' passwords and duress words are nowhere in the database or the output; their
    hashes check; instructions are skipped with a note; both examples land in the chosen tenant."""
    shown = ok(monkeypatch, env, "site", "import", str(EXAMPLES / "sites.json"), "--tenant", "arc")
    shown += ok(monkeypatch, env, "site", "import", str(EXAMPLES / "sites.csv"), "--tenant", "arc", "--json")
    assert "temporary instruction(s) skipped" in shown
    secrets = ["baguette dorée", "pain rassis", "mortier vert", "pilon rouge"]
    engine = sa.create_engine(normalize_url(env["TOCSIN_DATABASE_URL"]))
    try:
        with engine.connect() as conn:
            dump = " ".join(
                str(row)
                for table in sa.inspect(conn).get_table_names()
                for row in conn.execute(sa.text(f'SELECT * FROM "{table}"'))
            )
    finally:
        engine.dispose()
    for secret in secrets:
        assert secret not in dump
        assert secret not in shown
    store = SqlStore(env["TOCSIN_DATABASE_URL"], SystemClock())
    try:
        tenant = store.read(lambda uow: uow.tenants.find(ref="arc")[0], Scope.system())
        scope = Scope.tenant(tenant.id)
        sites = {s.ref for s in store.read(lambda uow: uow.sites.find(), scope)}
        paul: Any = store.read(lambda uow: uow.contacts.find(name="Paul Martin")[0], scope)
        site = store.read(lambda uow: uow.sites.find(ref="BAK-LYON-1")[0], scope)
        pending = store.read(lambda uow: uow.deadlines.pending(), Scope.system())
    finally:
        store.close()
    assert {"BAK-LYON-1", "PHA-01"} <= sites
    assert Argon2Hasher().verify(paul.password_hash, normalize_spoken_word("Baguette  Dorée"))
    assert Argon2Hasher().verify(paul.duress_hash, "pain rassis")
    assert [d.key for d in pending if d.kind == "site.schedule" and d.key == str(site.id)]


def test_the_real_command_imports_the_example_csv(tmp_path: Path) -> None:
    """Smoke test of the real process: `tocsin site import docs/examples/sites.csv` on SQLite."""
    from tests.integration.test_cli import tocsin  # noqa: PLC0415 - the process runner of the CLI tests
    from tocsin.adapters.store import migrate  # noqa: PLC0415

    url = f"sqlite:///{tmp_path / 'smoke.db'}"
    migrate.upgrade(url)
    store = SqlStore(url, SystemClock())
    try:
        make_room(store, ref="arc")
    finally:
        store.close()
    env = {"TOCSIN_DATABASE_URL": url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}
    out = tocsin(env, "site", "import", str(EXAMPLES / "sites.csv"))
    assert out.returncode == 0, out.stderr
    assert "sites.csv: 8 created, 0 updated; written in one transaction." in out.stdout
