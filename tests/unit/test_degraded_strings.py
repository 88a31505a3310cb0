"""Degraded mode's texts: every key degraded.js and console.js's kept-note notice use exists in English
and French, and the banner's script and style load nothing from the internet."""

from __future__ import annotations

import re
from pathlib import Path

from tocsin.i18n.degraded import KIT
from tocsin.i18n.ui import UI

STATIC = Path(__file__).resolve().parents[2] / "src" / "tocsin" / "web" / "static"
KEY = re.compile(r"""["'](degraded\.[\w.]+|note\.kept)["']""")


def test_every_key_the_scripts_use_is_defined_in_both_languages() -> None:
    """Keys named in degraded.js and console.js (the ternary's included) are UI strings in EN and FR."""
    used = {k for name in ("degraded.js", "console.js") for k in KEY.findall((STATIC / name).read_text())}
    assert {"degraded.server", "degraded.live", "degraded.kept", "note.kept"} <= used
    for key in used:
        assert set(UI[key]) == {"en", "fr"}, key


def test_the_kit_speaks_both_languages_with_the_same_parameters() -> None:
    """Every heading of the paper kit exists in English and French, with the same {names}."""
    for key, texts in KIT.items():
        assert set(texts) == {"en", "fr"}, key
        assert set(re.findall(r"\{(\w+)\}", texts["en"])) == set(re.findall(r"\{(\w+)\}", texts["fr"])), key


def test_nothing_is_loaded_from_the_internet() -> None:
    """The banner's script and style name no remote URL."""
    for name in ("degraded.js", "degraded.css"):
        text = (STATIC / name).read_text()
        assert not re.search(r"https?://", text), name
