"""Alarm code tables and classification."""

from __future__ import annotations

import pytest

from tocsin.protocols.alarm_codes import (
    ALARM_CLASSES,
    CONTACT_ID_CODES,
    SIA_CODES,
    SIA_RESTORES,
    classify_contact_id,
    classify_sia,
    restores,
)

REQUIRED_CONTACT_ID = [
    *map(str, range(100, 103)),
    *map(str, range(110, 119)),
    *map(str, range(120, 125)),
    *map(str, range(130, 140)),
    *map(str, range(140, 147)),
    *map(str, range(150, 160)),
    *map(str, range(300, 315)),
    *map(str, range(320, 328)),
    *map(str, range(330, 334)),
    *map(str, range(400, 410)),
    "441",
    *map(str, range(570, 575)),
    "601",
    "602",
    "607",
]
REQUIRED_SIA = [
    "BA",
    "BR",
    "BT",
    "BJ",
    "BB",
    "BU",
    "FA",
    "FR",
    "FT",
    "PA",
    "PR",
    "HA",
    "HR",
    "MA",
    "TA",
    "TR",
    "AT",
    "AR",
    "YT",
    "YR",
    "OP",
    "CL",
    "OR",
    "CR",
    "RP",
    "RX",
    "LB",
    "LR",
    "UX",
]


def test_required_contact_id_codes_present() -> None:
    """The Contact ID ranges real panels use are all in the table."""
    assert set(REQUIRED_CONTACT_ID) <= set(CONTACT_ID_CODES)


def test_required_sia_codes_present() -> None:
    """The common SIA codes are all in the table."""
    assert set(REQUIRED_SIA) <= set(SIA_CODES)


def test_every_entry_has_labels_and_a_known_class() -> None:
    """Every code has an English and a French label and one of the eleven classes."""
    for info in [*CONTACT_ID_CODES.values(), *SIA_CODES.values()]:
        assert info.alarm_class in ALARM_CLASSES
        assert info.label_en.strip()
        assert info.label_fr.strip()


def test_restore_pairs_point_to_known_codes() -> None:
    """Each alarm/restore pair names two codes of the table, in the same class."""
    for alarm, restore in SIA_RESTORES.items():
        assert SIA_CODES[alarm].alarm_class == SIA_CODES[restore].alarm_class
    assert restores("BA") == "BR"
    assert restores("FA") == "FR"
    assert restores("BR") is None


@pytest.mark.parametrize(
    ("code", "alarm_class", "is_restore"),
    [
        ("BA", "intrusion", False),
        ("BR", "intrusion", True),
        ("FA", "fire", False),
        ("HA", "duress", False),
        ("PA", "panic", False),
        ("MA", "medical", False),
        ("TA", "tamper", False),
        ("AT", "technical", False),
        ("OP", "open_close", False),
        ("RP", "test", False),
        ("ZZ", "other", False),
    ],
)
def test_classify_sia(code: str, alarm_class: str, is_restore: bool) -> None:
    """SIA codes classify to their class and restore flag; unknown codes are 'other'."""
    result = classify_sia(code)
    assert (result.alarm_class, result.is_restore) == (alarm_class, is_restore)


@pytest.mark.parametrize(
    ("code", "qualifier", "alarm_class", "is_restore"),
    [
        ("130", "new", "intrusion", False),
        ("130", "restore", "intrusion", True),
        ("110", "new", "fire", False),
        ("121", "new", "duress", False),
        ("100", "status", "medical", False),
        ("301", "new", "technical", False),
        ("602", "new", "test", False),
        ("381", "new", "supervision", False),
        ("137", "new", "tamper", False),
        ("999", "restore", "other", True),
    ],
)
def test_classify_contact_id(code: str, qualifier: str, alarm_class: str, is_restore: bool) -> None:
    """Contact ID codes classify under their qualifier; unknown codes are 'other'."""
    result = classify_contact_id(code, qualifier)
    assert (result.alarm_class, result.is_restore) == (alarm_class, is_restore)


def test_contact_id_open_close_labels() -> None:
    """For 4xx codes the qualifier says opening or closing, in both languages, and is no restore."""
    opening, closing = classify_contact_id("401", "new"), classify_contact_id("401", "restore")
    assert "opening" in opening.label_en
    assert "arrêt" in opening.label_fr
    assert "closing" in closing.label_en
    assert "en service" in closing.label_fr
    assert not opening.is_restore
    assert not closing.is_restore


def test_labels_in_both_languages() -> None:
    """Labels come in English and French."""
    result = classify_sia("BA")
    assert (result.label_en, result.label_fr) == ("Burglary alarm", "Alarme intrusion")
