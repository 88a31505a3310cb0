"""The units' words: the crew's page renders in English and French with only defined keys, the unit
page's and the board's scripts ask for defined keys, and every unit entry reads in both languages."""

from __future__ import annotations

import re

import pytest

from tests.unit.test_ui_strings import SCRIPT_KEY, WEB, _env
from tocsin.domain import units as u
from tocsin.domain.resources import UNIT_STATUSES
from tocsin.i18n import LANGUAGES
from tocsin.i18n.catalogue import render
from tocsin.i18n.ui import UI, ui_strings
from tocsin.i18n.units import MESSAGES


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("allowed", [True, False])
def test_the_crew_page_renders_in_each_language(lang: str, allowed: bool) -> None:
    """unit.html renders with only defined names, embeds its strings, shows no raw key."""
    context = {
        "lang": lang,
        "t": ui_strings(lang),
        "csrf_token": "token-1",
        "allowed": allowed,
        "display_name": "R11",
    }
    html = _env().get_template("unit.html").render(context)
    assert f'<html lang="{lang}"' in html
    shown = re.sub(r'<script id="ui-strings".*?</script>', "", html, flags=re.S)
    assert not re.search(r">\s*[a-z]+\.[a-z_.]+\s*<", shown)


def test_the_scripts_ask_for_defined_keys() -> None:
    """T("…") in unit.js and event-board.js, and the keys they build from statuses and flags, exist."""
    for script in ("unit.js", "event-board.js"):
        keys = set(SCRIPT_KEY.findall((WEB / "static" / script).read_text()))
        assert keys
        assert sorted(keys - set(UI)) == []
    for status in UNIT_STATUSES:
        assert f"unit.status.{status}" in UI
    for flag in u.FLAGS:
        assert f"unit.flag.{flag}" in UI


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_unit_entry_reads_in_both_languages(key: str) -> None:
    """Each message renders its words (statuses, flags, report kinds) in the reader's language."""
    params = {
        "callsign": "R11", "unit_kind": "guard", "station": "Base", "type_code": "FIRE", "address": "Quai",
        "status": "on_scene", "previous": "en_route", "latitude": 48.8, "longitude": 2.3,
        "flag": "ack_overdue", "seconds": 60, "report_kind": "reinforcement", "text": "x",
    }  # fmt: skip
    english, french = render(key, params, "en"), render(key, params, "fr")
    assert "{" not in english + french
    assert english != french
