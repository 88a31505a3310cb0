"""Every console text exists in English and French, and every key the pages use is defined."""

from __future__ import annotations

import re
from pathlib import Path

from tocsin.i18n.catalogue import LANGUAGES
from tocsin.i18n.ui import UI, ui_strings

WEB = Path(__file__).resolve().parents[2] / "src" / "tocsin" / "web"


def test_every_string_has_every_language() -> None:
    """No key lacks a language, and none is blank."""
    for key, texts in UI.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key


def test_templates_and_scripts_use_only_defined_keys() -> None:
    """Keys in t["…"] / t('…') of templates and T/t("…") of the script are all in the catalogue."""
    used: set[str] = set()
    for template in (WEB / "templates").glob("*.html"):
        used |= set(re.findall(r"""t\[["']([\w.]+)["']\]""", template.read_text()))
    script = (WEB / "static" / "console.js").read_text()
    used |= set(re.findall(r"""\bt\(["']([\w.]+)["']""", script))
    used |= {f"status.{state}" for state in re.findall(r"""showState\(["'](\w+)["']\)""", script)}
    assert used
    assert sorted(used - set(UI)) == []


def test_unknown_languages_fall_back_to_english() -> None:
    """A language Tocsin does not offer gets the English texts."""
    assert ui_strings("de") == ui_strings("en")
    assert ui_strings("fr")["logbook.title"] == "Main courante"
