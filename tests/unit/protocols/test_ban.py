"""The BAN CSV reader: the real header, columns found by name, bad headers and lines named by number."""

from __future__ import annotations

import pytest

from tocsin.protocols.ban import HEADER, BanFormatError, BanRecord, address_id, read_ban

LINE = (
    "45234_0120_00012_bis;45234_0120;12;bis;Rue Victor Hugo;45990;45234;Valmont-sur-Loire;;;"
    "620000.0;6740000.0;2.301234;47.801234;entrée;;;VALMONT SUR LOIRE;RUE VICTOR HUGO;commune;commune;1;"
)


def test_a_line_of_the_real_file_reads_as_an_address() -> None:
    """Number and repetition join, the BAN key gives a stable id in the imported range."""
    records = list(read_ban([HEADER + "\n", LINE + "\n"]))
    assert records == [
        BanRecord(
            line=2,
            id=address_id("45234_0120_00012_bis"),
            number="12 bis",
            street="Rue Victor Hugo",
            postcode="45990",
            city="Valmont-sur-Loire",
            latitude=47.801234,
            longitude=2.301234,
        )
    ]
    assert address_id("45234_0120_00012_bis") == address_id("45234_0120_00012_bis")
    assert 2**62 <= address_id("x") < 2**63
    assert address_id("45234_0120_00012") != address_id("45234_0120_00012_bis")


def test_columns_are_found_by_name_and_a_bom_is_ignored() -> None:
    """An older or newer file with other columns, in another order, reads the same."""
    header = "\ufefflat;lon;nom_commune;code_postal;nom_voie;rep;numero;id;extra"
    line = "47.8;2.3;Valmont;45990;rue des Lilas;;3;k1;whatever"
    (record,) = read_ban([header, line])
    assert record is not None
    assert (record.number, record.street, record.latitude) == (
        "3",
        "rue des Lilas",
        47.8,
    )


def test_a_place_without_a_number_is_skipped_and_blank_lines_ignored() -> None:
    """numero 99999 is a named place (lieu-dit): read as None; an empty line is nothing."""
    place = LINE.replace(";12;bis;", ";99999;;", 1)
    assert list(read_ban([HEADER, place, ""])) == [None]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "The file is empty"),
        (["id,numero,nom_voie"], "Line 1 is separated by ','"),
        (["id;numero;voie"], "Line 1 is not a BAN header: the columns rep, nom_voie, code_postal"),
        ([HEADER, LINE.replace("2.301234", "east")], "Line 2: lon 'east' is not a number"),
        ([HEADER, LINE.replace("47.801234", "nan")], "Line 2: lat 'nan' is not a finite number"),
        ([HEADER, LINE, LINE.replace(";Rue Victor Hugo;", ";;")], "Line 3: nom_voie is empty"),
        ([HEADER, LINE + ";x"], "Line 2 has 24 fields where the header has 23"),
        ([HEADER, LINE.replace("45234_0120_00012_bis;", ";", 1)], "Line 2: id is empty"),
        ([HEADER, LINE.replace(";bis;", ";" + "b" * 20 + ";")], "numero+rep is longer than 16"),
    ],
)
def test_bad_input_names_the_line_and_the_problem(lines: list[str], message: str) -> None:
    """Each bad header or line is refused with what is wrong and where."""
    with pytest.raises(BanFormatError, match=message.replace("(", r"\(").replace("+", r"\+")):
        list(read_ban(lines))
