"""Importing addresses into the shared address table: the French national address base (BAN) CSV.

The file is read twice, streaming (a département's 400,000 lines never sit in memory): a first pass
checks every line, so a bad header or line is refused with its line number before anything is written;
the second pass upserts the addresses by id in batches, one transaction each (so a long import never
holds the single writer for long), and the last transaction bumps ``geo_revision`` (every node's
geocoder then rebuilds its index) and writes the import's entry in the system logbook. Importing the
same file again updates the same rows: no duplicates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tocsin.domain.errors import InvalidInput
from tocsin.domain.geo import Address
from tocsin.domain.logbook import NewEntry
from tocsin.domain.scope import Scope
from tocsin.protocols.ban import BanFormatError, BanRecord, read_ban
from tocsin.services.ports import Clock
from tocsin.services.unit_of_work import Store, UnitOfWork

BATCH = 5_000
LineSource = Callable[[], Iterable[str]]  # opens the file anew on each call: it is read twice


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: lines read, addresses added and updated, lines skipped on purpose."""

    source: str
    addresses: int
    added: int
    updated: int
    skipped: int
    revision: int

    def as_json(self) -> dict[str, int | str]:
        """The summary as ``--json`` prints it (a stable interface)."""
        return {
            "source": self.source,
            "addresses": self.addresses,
            "added": self.added,
            "updated": self.updated,
            "skipped": self.skipped,
            "revision": self.revision,
        }


def _address(record: BanRecord) -> Address:
    try:
        return Address(
            id=record.id,
            number=record.number,
            street=record.street,
            postcode=record.postcode,
            city=record.city,
            latitude=record.latitude,
            longitude=record.longitude,
        )
    except InvalidInput as exc:
        raise InvalidInput(f"Line {record.line}: {exc} Nothing was imported.") from None


def _addresses(lines: Iterable[str]) -> Iterable[Address | None]:
    try:
        for record in read_ban(lines):
            yield None if record is None else _address(record)
    except BanFormatError as exc:
        raise InvalidInput(f"{exc} Nothing was imported.") from None


def check_ban(lines: Iterable[str]) -> tuple[int, int]:
    """Read a whole BAN file without writing; return (addresses, skipped lines) or raise at the first
    bad line."""
    addresses = skipped = 0
    for address in _addresses(lines):
        if address is None:
            skipped += 1
        else:
            addresses += 1
    return addresses, skipped


def import_ban(
    store: Store,
    clock: Clock,
    source: str,
    open_lines: LineSource,
    *,
    actor: str = "cli",
    batch: int = BATCH,
) -> ImportSummary:
    """Check then import a BAN file (see the module's docstring); ``source`` names it in the logbook."""
    count, skipped = check_ban(open_lines())
    if count == 0:
        raise InvalidInput(f"{source} holds no address with a house number: nothing was imported.")
    added = updated = 0
    pending: dict[int, Address] = {}  # by id: a key twice in one batch is written once, the last wins

    def flush() -> None:
        nonlocal added, updated
        rows = list(pending.values())
        pending.clear()
        done = store.write(lambda uow: uow.geo.put_addresses(rows), Scope.system())
        added, updated = added + done[0], updated + done[1]

    for address in _addresses(open_lines()):
        if address is not None:
            pending[address.id] = address
            if len(pending) >= batch:
                flush()
    if pending:
        flush()

    def finish(uow: UnitOfWork) -> int:
        revision = uow.geo.addresses_changed(clock.now())
        uow.note(
            NewEntry(
                kind="geo.addresses_imported",
                message="geo.addresses_imported",
                actor=actor,
                tenant_id=None,
                params={"source": source, "added": added, "updated": updated, "skipped": skipped},
            )
        )
        return revision

    revision = store.write(finish, Scope.system())
    return ImportSummary(source, count, added, updated, skipped, revision)
