"""Every console text exists in English and French, reads well in both, and every key the pages use exists."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tocsin.domain.resources import UNIT_STATUSES
from tocsin.domain.users import BUILTIN_ROLES
from tocsin.i18n.catalogue import LANGUAGES
from tocsin.i18n.ui import UI, ui_strings
from tocsin.protocols.alarm_codes import ALARM_CLASSES

WEB = Path(__file__).resolve().parents[2] / "src" / "tocsin" / "web"
TEMPLATES = WEB / "templates"
SCRIPT = WEB / "static" / "console.js"
STYLE = WEB / "static" / "console.css"

TEMPLATE_KEY = re.compile(r"""\bt(?:\[|\.get\()\s*["']([\w.]+)["']\s*[\],)]""")  # not "prefix." ~ name
SCRIPT_KEY = re.compile(r"""\bT\(\s*["']([\w.]+)["']\s*[,)]""")
PARAMETER = re.compile(r"\{(\w+)\}")
NBSP, NNBSP = "\u00a0", "\u202f"


def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(), undefined=StrictUndefined
    )


def _context(page: str, lang: str, layout: str = "operator") -> dict[str, Any]:
    common = {"lang": lang, "t": ui_strings(lang), "csrf_token": "token-123"}
    if page == "login.html":
        return {**common, "error": "Wrong <b>password</b>", "username": "alice"}
    user = {"username": "alice", "display_name": "Alice", "roles": [layout], "tenant_name": "Room"}
    screen = {
        "layout": layout,
        "live": layout != "unit",
        "can_note": layout != "client",
        "can_manage_users": layout == "operator",
        "can_read_alarms": layout != "unit",
        "can_handle_alarms": layout == "operator",
        "can_supervise": layout == "operator",
        "can_dispatch": layout == "operator",
        "sites": [{"ref": "SA", "name": "Site A", "client": "Client A", "address": "1 rue Haute"}],
        "unit": {"callsign": "Victor 7", "kind": "patrol", "status": "en_route", "station": "North"},
        "names": {"sites": {}, "clients": {}},
    }
    return {
        **common,
        **screen,
        "user": user,
        "room_time_zone": "Europe/Paris",
        "languages": list(LANGUAGES),
    }


def test_every_string_has_every_language() -> None:
    """No key lacks a language, none is blank, and both languages take the same parameters."""
    for key, texts in UI.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key
        assert len({frozenset(PARAMETER.findall(text)) for text in texts.values()}) == 1, key


def test_french_follows_french_typography() -> None:
    """French puts a non-breaking space before ':' ';' '!' '?' and uses the typographic apostrophe."""
    for key, texts in UI.items():
        french = texts["fr"]
        assert not re.search(rf"[^{NBSP}]:", french), key
        assert not re.search(rf"[^{NBSP}{NNBSP}][;!?]", french), key
        assert "'" not in french, key
        assert not re.search(r"\s[:;!?]", texts["en"]), key


def test_templates_and_script_use_only_defined_keys() -> None:
    """Keys in t["…"] / t.get("…") of the templates and T("…") of console.js are all in UI."""
    used = {key for page in TEMPLATES.glob("*.html") for key in TEMPLATE_KEY.findall(page.read_text())}
    script_keys = set(SCRIPT_KEY.findall(SCRIPT.read_text()))
    assert used
    assert script_keys
    assert sorted((used | script_keys) - set(UI)) == []


def test_keys_built_from_names_exist() -> None:
    """The keys the pages build from a name exist: each language's name, each built-in role."""
    for code in LANGUAGES:
        assert f"lang.{code}" in UI
    for role in BUILTIN_ROLES:
        assert f"role.{role}" in UI
    for status in UNIT_STATUSES:
        assert f"unit.status.{status}" in UI
    for alarm_class in ALARM_CLASSES:
        assert f"class.{alarm_class}" in UI


def test_the_server_messages_of_the_login_page_exist() -> None:
    """The login errors the server picks exist, the throttle one with its number of seconds."""
    for key in ("login.error.failed", "login.error.expired", "login.error.throttled"):
        assert key in UI
    assert ui_strings("fr")["login.error.throttled"].format(seconds=30).count("30") == 1


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(
    ("page", "layout"),
    [("login.html", ""), ("console.html", "operator"), ("console.html", "unit"), ("console.html", "client")],
)
def test_pages_render_every_text_in_each_language(page: str, layout: str, lang: str) -> None:
    """Each page (each role's screen) renders with only defined names and embeds no raw key."""
    html = _env().get_template(page).render(_context(page, lang, layout))
    assert f'<html lang="{lang}"' in html
    shown = re.sub(r'<script id="(ui-strings|names)".*?</script>', "", html, flags=re.S)
    assert not re.search(r">\s*[a-z]+\.[a-z_.]+\s*<", shown)  # no raw key stands as a text
    if page == "login.html":
        assert "Wrong &lt;b&gt;password&lt;/b&gt;" in html  # the error is escaped
    else:
        assert '<meta name="csrf-token" content="token-123">' in html
        embedded = re.search(r'<script id="ui-strings" type="application/json">(.*?)</script>', html, re.S)
        assert embedded is not None
        assert json.loads(embedded.group(1)) == ui_strings(lang)


def test_nothing_is_loaded_from_the_internet() -> None:
    """Pages, style and script name no remote URL: every asset is served by Tocsin."""
    for path in [*TEMPLATES.glob("*.html"), SCRIPT, STYLE]:
        text = path.read_text()
        assert not re.search(r"""(src|href)=["'](https?:)?//""", text), path
        assert not re.search(r"url\(\s*[\"']?(https?:)?//", text), path
        assert "fonts.googleapis" not in text, path


def test_unknown_languages_fall_back_to_english() -> None:
    """A language Tocsin does not offer gets the English texts."""
    assert ui_strings("de") == ui_strings("en")
    assert ui_strings("fr")["logbook.title"] == "Main courante"


def test_pages_carry_no_inline_script_nor_inline_handler() -> None:
    """Every script is a file or a JSON data block, and no element has an on… handler (CSP without inline)."""
    for page in TEMPLATES.glob("*.html"):
        text = page.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert 'src="' in tag or 'type="application/json"' in tag, (page.name, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", text), page.name
