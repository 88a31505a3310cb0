"""The French national address base (Base Adresse Nationale, BAN) as its ``adresses-XX.csv`` files write
it: sans-I/O, lines of text in, :class:`BanRecord` values out (the import use case makes them
:class:`~tocsin.domain.geo.Address` values).

The files of adresse.data.gouv.fr (one per département, ``adresses-45.csv``) are UTF-8, separated by
semicolons, with this header (2024 and later)::

    id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;
    nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;
    source_position;source_nom_voie;certification_commune;cad_parcelles

Only :data:`REQUIRED` columns are read, wherever they stand, so older and newer files with more or fewer
other columns import alike. ``id`` is the BAN's stable key of an address (``45234_0120_00012_bis``);
it becomes our integer id through a hash (:func:`address_id`), so a re-import updates the same rows.
A ``numero`` of 99999 marks a named place without a house number (lieu-dit): such rows are skipped.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

REQUIRED = ("id", "numero", "rep", "nom_voie", "code_postal", "nom_commune", "lon", "lat")
HEADER = (
    "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
    "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;"
    "source_position;source_nom_voie;certification_commune;cad_parcelles"
)
NO_NUMBER = "99999"
_ID_BASE = 1 << 62  # imported ids live in [2^62, 2^63): far from the small ids of a generated town
_LIMITS = {"numero+rep": 16, "nom_voie": 200, "code_postal": 16, "nom_commune": 100}


class BanFormatError(ValueError):
    """A BAN file that cannot be imported: the message names the line and the problem."""


@dataclass(frozen=True, slots=True)
class BanRecord:
    """One address line of the file, checked for form (not yet for meaning: coordinates' range)."""

    line: int
    id: int
    number: str
    street: str
    postcode: str
    city: str
    latitude: float
    longitude: float


def address_id(ban_id: str) -> int:
    """Our 63-bit id for a BAN address key: the same key always gives the same id."""
    digest = hashlib.blake2b(ban_id.encode("utf-8"), digest_size=8).digest()
    return _ID_BASE | (int.from_bytes(digest, "big") & (_ID_BASE - 1))


def _columns(header: list[str]) -> dict[str, int]:
    names = [name.strip().lstrip("\ufeff").lower() for name in header]
    if len(names) == 1 and "," in names[0]:
        raise BanFormatError(
            "Line 1 is separated by ',': a BAN file (adresses-XX.csv) is separated by ';' and starts"
            f" with: {HEADER}"
        )
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise BanFormatError(
            f"Line 1 is not a BAN header: the columns {', '.join(missing)} are missing. A BAN file"
            f" (adresses-XX.csv, separated by ';') starts with: {HEADER}"
        )
    return {name: names.index(name) for name in REQUIRED}


def _coordinate(value: str, name: str, line: int) -> float:
    try:
        number = float(value)
    except ValueError:
        raise BanFormatError(f"Line {line}: {name} {value!r} is not a number.") from None
    if not math.isfinite(number):
        raise BanFormatError(f"Line {line}: {name} {value!r} is not a finite number.")
    return number


def _record(fields: list[str], at: dict[str, int], line: int) -> BanRecord | None:
    value = {name: fields[index].strip() for name, index in at.items()}
    if value["numero"] == NO_NUMBER:
        return None
    number = f"{value['numero']} {value['rep']}".strip()
    for name, limit in _LIMITS.items():
        text = number if name == "numero+rep" else value[name]
        if not text:
            raise BanFormatError(f"Line {line}: {name} is empty; every address needs one.")
        if len(text) > limit:
            raise BanFormatError(f"Line {line}: {name} is longer than {limit} characters.")
    if not value["id"]:
        raise BanFormatError(f"Line {line}: id is empty; every BAN address has one.")
    return BanRecord(
        line=line,
        id=address_id(value["id"]),
        number=number,
        street=value["nom_voie"],
        postcode=value["code_postal"],
        city=value["nom_commune"],
        latitude=_coordinate(value["lat"], "lat", line),
        longitude=_coordinate(value["lon"], "lon", line),
    )


def read_ban(lines: Iterable[str]) -> Iterator[BanRecord | None]:
    """The addresses of a BAN file's lines (the header first): one :class:`BanRecord` per data line,
    or ``None`` for a line skipped on purpose (a place without a house number).

    Raises :class:`BanFormatError` at the first bad header or line; blank lines are ignored.
    """
    reader = csv.reader(lines, delimiter=";")
    header = next(reader, None)
    if header is None:
        raise BanFormatError(f"The file is empty: a BAN file starts with the header {HEADER}")
    at = _columns(header)
    width = len(header)
    for fields in reader:
        line = reader.line_num
        if not fields or fields == [""]:
            continue
        if len(fields) != width:
            raise BanFormatError(
                f"Line {line} has {len(fields)} fields where the header has {width}: is it cut, or does it"
                " hold a stray ';'?"
            )
        yield _record(fields, at, line)
