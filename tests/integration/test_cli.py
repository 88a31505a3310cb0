"""The `tocsin` command as an administrator uses it: real databases, the command run in this process
(`tests/integration/cli_support.py`; `test_cli_process.py` runs each command group as a real process)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path

import pytest

from tests.integration.cli_support import tocsin, tocsin_process
from tests.integration.helpers import make_room
from tocsin.adapters.clock import SystemClock
from tocsin.adapters.store.database import SqlStore
from tocsin.domain.scope import Scope


@pytest.fixture
def env(tmp_path: Path, db_url: str) -> dict[str, str]:
    """Settings for a migrated database and a signing key in a temporary folder."""
    return {"TOCSIN_DATABASE_URL": db_url, "TOCSIN_VAR_DIR": str(tmp_path / "var")}


def _seed(db_url: str) -> str:
    """A room in the database; its tenant's reference (PostgreSQL's test database holds others too)."""
    store = SqlStore(db_url, SystemClock())
    ref = f"cli{uuid.uuid4().hex[:10]}"  # unique: the PostgreSQL database is shared by the module's tests
    try:
        make_room(store, ref=ref)
    finally:
        store.close()  # even on failure: a connection left to the garbage collector fails a later test
    return ref


def test_db_upgrade_is_idempotent(tmp_path: Path) -> None:
    """The first upgrade migrates an empty SQLite database; the second says it is up to date. (Real
    processes: the `db` group's test of the entry point, see test_cli_process.py.)"""
    env = {"TOCSIN_VAR_DIR": str(tmp_path / "var"), "TOCSIN_DATABASE_URL": ""}
    first = tocsin_process(env, "db", "upgrade")
    assert first.returncode == 0, first.stderr
    assert "from empty to revision" in first.stdout
    assert (tmp_path / "var" / "tocsin.db").exists()
    second = tocsin_process(env, "db", "upgrade")
    assert "already at schema revision" in second.stdout


def test_export_jsonl_and_csv_carry_every_entry(env: dict[str, str], db_url: str) -> None:
    """Both export formats list the entries with their hashes, in order."""
    _seed(db_url)
    jsonl = tocsin(env, "logbook", "export", "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert len(records) >= 5
    assert {"seq", "hash", "prev_hash", "text", "kind"} <= set(records[0])
    rows = list(csv.DictReader(io.StringIO(tocsin(env, "logbook", "export", "--format", "csv").stdout)))
    assert [r["hash"] for r in rows] == [r["hash"] for r in records]


def test_export_since_until_bounds_the_entries(env: dict[str, str], db_url: str) -> None:
    """--since is inclusive, --until exclusive, both on the recording time."""
    _seed(db_url)
    everything = tocsin(env, "logbook", "export").stdout.splitlines()
    assert tocsin(env, "logbook", "export", "--until", "2000-01-01").stdout == ""
    future = tocsin(env, "logbook", "export", "--since", "2999-01-01T00:00:00Z")
    assert future.stdout == ""
    assert len(tocsin(env, "logbook", "export", "--since", "2000-01-01").stdout.splitlines()) == len(
        everything
    )


def test_tail_shows_the_newest_entries_in_french(env: dict[str, str], db_url: str) -> None:
    """Tail renders entries in the language asked for."""
    _seed(db_url)
    out = tocsin(env, "logbook", "tail", "-n", "2", "--lang", "fr")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 2
    assert "Site SB (Site B) créé" in lines[-1]


def test_keygen_checkpoint_then_verify(env: dict[str, str], db_url: str) -> None:
    """A signed logbook verifies with exit 0; the public key alone is enough."""
    _seed(db_url)
    assert tocsin(env, "logbook", "keygen").returncode == 0
    signed = tocsin(env, "logbook", "checkpoint")
    assert "Signed" in signed.stdout, signed.stderr
    ok = tocsin(env, "logbook", "verify")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK:")
    public = Path(env["TOCSIN_VAR_DIR"]) / "keys" / "logbook-signing.pem.pub"
    only_public = tocsin(
        {**env, "TOCSIN_LOGBOOK_KEY_FILE": "/nonexistent"},
        "logbook",
        "verify",
        "--public-key",
        str(public),
    )
    assert only_public.returncode == 0, only_public.stderr


def test_verify_exits_1_naming_the_broken_entry(env: dict[str, str], db_url: str) -> None:
    """A forged checkpoint (here: signed by a stranger's key) fails verification with exit 1."""
    _seed(db_url)
    assert tocsin(env, "logbook", "keygen").returncode == 0
    assert tocsin(env, "logbook", "checkpoint").returncode == 0
    stranger = {**env, "TOCSIN_VAR_DIR": env["TOCSIN_VAR_DIR"] + "-stranger"}
    assert tocsin(stranger, "logbook", "keygen").returncode == 0
    out = tocsin(stranger, "logbook", "verify")
    assert out.returncode == 1
    assert out.stderr.startswith("BROKEN: chain ")


@pytest.mark.parametrize(
    ("args", "extra_env", "message"),
    [
        (("logbook", "export", "--since", "yesterday"), {}, "is not a date or time"),
        (("logbook", "tail", "--tenant", "nobody"), {}, "No tenant with reference"),
        (("logbook", "checkpoint"), {}, "tocsin logbook keygen"),
        (("logbook", "tail"), {"TOCSIN_DATABASE_URL": "mysql://x@y/z"}, "SQLite or PostgreSQL"),
        (
            ("logbook", "tail"),
            {"TOCSIN_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/x"},
            "cannot be used",
        ),
    ],
)
def test_errors_are_one_clear_line(
    env: dict[str, str], args: tuple[str, ...], extra_env: dict[str, str], message: str
) -> None:
    """Bad input or an unusable database gives one line and a non-zero exit, no traceback."""
    out = tocsin({**env, **extra_env}, *args)
    assert out.returncode != 0
    assert message in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_an_unmigrated_database_says_how_to_fix_it(tmp_path: Path) -> None:
    """Commands on a database without the schema point to `tocsin db upgrade`."""
    env = {"TOCSIN_DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"}
    out = tocsin(env, "logbook", "tail")
    assert out.returncode == 2
    assert "tocsin db upgrade" in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("db",),
        ("db", "upgrade"),
        ("logbook",),
        ("logbook", "export"),
        ("logbook", "verify"),
        ("logbook", "tail"),
        ("logbook", "checkpoint"),
        ("logbook", "keygen"),
        ("alarms",),
        ("alarms", "list"),
        ("alarms", "rule", "set"),
        ("site", "test-mode"),
        ("account", "add"),
    ],
)
def test_every_command_has_help(args: tuple[str, ...]) -> None:
    """--help works on every command and sub-command."""
    out = tocsin({}, *args, "--help")
    assert out.returncode == 0
    assert "Usage:" in out.stdout


def test_user_add_reads_the_password_from_stdin_and_the_user_can_log_in(
    env: dict[str, str], db_url: str
) -> None:
    """`tocsin user add` takes the password on standard input, never as an argument, and grants the role."""
    _seed(db_url)
    tenants = tocsin(env, "logbook", "tail", "-n", "1").stdout  # the seeded tenant's chain exists
    assert tenants
    store = SqlStore(db_url, SystemClock())
    ref = store.read(lambda uow: uow.tenants.find(), Scope.system())[-1].ref
    store.close()
    out = tocsin(
        env,
        "user",
        "add",
        "zoe",
        "--role",
        "client",
        "--tenant",
        ref,
        "--scope",
        "client:A",
        stdin="a long enough password\n",
    )
    assert out.returncode == 0, out.stderr
    assert "client over client:A" in out.stdout
    from tocsin.bootstrap import bootstrap  # noqa: PLC0415
    from tocsin.config import Settings  # noqa: PLC0415

    node = bootstrap(Settings(database_url=db_url, var_dir=Path(env["TOCSIN_VAR_DIR"])))
    try:
        principal = node.auth.login("zoe", "a long enough password", "127.0.0.1").principal
    finally:
        node.close()
    assert principal.roles == ("client",)
    assert principal.scope_for("directory.read").client_ids
    short = tocsin(env, "user", "add", "yann", "--role", "operator", "--tenant", ref, stdin="short\n")
    assert short.returncode == 2
    assert "at least 10 characters" in short.stderr


def test_account_add_with_a_key_and_a_category_then_list(env: dict[str, str], db_url: str) -> None:
    """`tocsin account add` reads the key on stdin, takes an EN 50136-1 category for the interval, and
    `tocsin account list --json` shows the transmitter with its site; bad input changes nothing."""
    tenant = _seed(db_url)
    add = ["account", "add", "C0FFEE", "--site", "SA", "--tenant", tenant, "--receiver", "12", "--line", "3"]
    listing = ["account", "list", "--tenant", tenant, "--json"]
    both = tocsin(env, *add, "--category", "SP4", "--supervision", "60")
    assert both.returncode != 0
    assert "either --category or --supervision" in both.stderr
    bad_key = tocsin(env, *add, "--key-stdin", stdin="not hex\n")
    assert bad_key.returncode != 0
    assert "hexadecimal" in bad_key.stderr
    assert json.loads(tocsin(env, *listing).stdout) == []

    out = tocsin(env, *add, "--key-stdin", "--category", "sp4", stdin="00112233445566778899aabbccddeeff\n")
    assert out.returncode == 0, out.stderr
    assert "R12 L3 #C0FFEE (encrypted) connected to SA" in out.stdout
    (listed,) = json.loads(tocsin(env, *listing).stdout)
    assert listed["number"] == "C0FFEE"
    assert (listed["receiver"], listed["line"], listed["site_ref"]) == ("12", "3", "SA")
    assert listed["encrypted"] is True
    assert (listed["supervision_seconds"], listed["category"]) == (180, "SP4")
    assert listed["allow_cleartext"] is False


def test_account_add_allows_cleartext_on_request_and_refuses_an_identity_another_tenant_holds(
    env: dict[str, str], db_url: str
) -> None:
    """`--allow-cleartext` is stored and listed (text and JSON); the same receiver, line and number in a
    second tenant exits 2 with one line saying "another tenant" (not which), storing no account and
    leaving no key file."""
    store = SqlStore(db_url, SystemClock())
    first, second = (f"id{uuid.uuid4().hex[:10]}" for _ in range(2))
    make_room(store, ref=first)
    make_room(store, ref=second)
    store.close()
    number = uuid.uuid4().hex[:8].upper()
    add = ["account", "add", number, "--site", "SA", "--receiver", "7", "--line", "7", "--key-stdin"]
    key = "00112233445566778899aabbccddeeff\n"
    out = tocsin(env, *add, "--tenant", first, "--allow-cleartext", stdin=key)
    assert out.returncode == 0, out.stderr
    assert f"R7 L7 #{number} (encrypted, cleartext also accepted) connected to SA" in out.stdout
    (listed,) = json.loads(tocsin(env, "account", "list", "--tenant", first, "--json").stdout)
    assert (listed["encrypted"], listed["allow_cleartext"]) == (True, True)
    text = tocsin(env, "account", "list", "--tenant", first).stdout
    assert "cleartext also accepted" in text

    keys = Path(env["TOCSIN_VAR_DIR"]) / "keys" / "transmitters"
    key_files = sorted(keys.iterdir())
    refused = tocsin(env, *add, "--tenant", second, stdin=key)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1
    assert f"R7 L7 #{number} is already declared by another tenant" in refused.stderr
    assert first not in refused.stderr
    assert json.loads(tocsin(env, "account", "list", "--tenant", second, "--json").stdout) == []
    assert sorted(keys.iterdir()) == key_files
