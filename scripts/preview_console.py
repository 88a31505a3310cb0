"""Preview the console without a server: render the pages, drive them in Chromium, check, screenshot.

    .venv/bin/python scripts/vendor_assets.py      # once, after `npm ci`
    .venv/bin/python scripts/preview_console.py    # [--out DIR] [--docs]

The templates are rendered with Jinja2 and sample context into DIR (default: the temp dir's ``preview/``),
beside a copy of the static files. Debian's Chromium (Playwright) opens them at http://tocsin.test:
Playwright answers every request from DIR, fakes the API (notes, language) and plays the server side of the
live WebSocket (hello, catch-up, live entries, a dropped link, a snapshot, an ended session). So the
console's behaviour is checked as well as its look: keys, focus, no duplicate, reconnection; then axe-core
runs on each screen. A request to any other host fails the run. Screenshots land in DIR; ``--docs`` also
refreshes docs/img/console.png and docs/img/login.png.

A developer tool, not part of the test suite: the browser tests in tests/e2e drive the real server.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tocsin.i18n.catalogue import LANGUAGES
from tocsin.i18n.ui import ui_strings

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "src" / "tocsin" / "web"
AXE = WEB / "static" / "vendor" / "axe-core" / "axe.min.js"
DOCS_IMG = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1920, "height": 1080}
ZONE = "Europe/Paris"
ROWS = '[data-testid="logbook"] tr'
CHAIN = "tenant:0b7c6f0e-5a43-4d0e-9a53-3d2f1f4a8e11"

# A morning in the room: (minutes ago, actor, kind, English, French), oldest first.
SAMPLE: list[tuple[int, str, str, str, str]] = [
    (
        410,
        "user:nadia",
        "auth.login",
        "nadia logged in from 10.20.1.11",
        "nadia s'est connectée depuis 10.20.1.11",
    ),
    (
        402,
        "user:nadia",
        "logbook.note",
        "Note: Night shift started, 2 operators, supervisor on call",
        "Note\u00a0: Début de la vacation de nuit, 2 opérateurs, superviseur d'astreinte",
    ),
    (
        371,
        "scheduler",
        "deadline.fired",
        "Deadline test_signal S-0412 came due",
        "Échéance test_signal S-0412 atteinte",
    ),
    (
        366,
        "user:nadia",
        "logbook.note",
        "Note: S-0412 Boulangerie Martin: test signal late, transmitter called",
        "Note\u00a0: S-0412 Boulangerie Martin\u00a0: test cyclique en retard, transmetteur appelé",
    ),
    (
        344,
        "user:nadia",
        "logbook.note",
        "Note: S-0412 test signal received after manual poll, closed",
        "Note\u00a0: S-0412 test cyclique reçu après interrogation, clos",
    ),
    (
        301,
        "user:carla",
        "auth.login_failed",
        "Failed login as carla from 10.20.1.22 (wrong password)",
        "Échec de connexion de carla depuis 10.20.1.22 (mot de passe erroné)",
    ),
    (
        299,
        "user:carla",
        "auth.login",
        "carla logged in from 10.20.1.22",
        "carla s'est connectée depuis 10.20.1.22",
    ),
    (
        262,
        "cli",
        "client.created",
        "Client C-118 (Groupe Hôtelier Azur) created",
        "Client C-118 (Groupe Hôtelier Azur) créé",
    ),
    (
        261,
        "cli",
        "site.created",
        "Site S-0977 (Hôtel Azur Gare) created",
        "Site S-0977 (Hôtel Azur Gare) créé",
    ),
    (
        260,
        "cli",
        "site.child_added",
        "Transmitter 0977-A added to the site",
        "Transmetteur 0977-A ajouté au site",
    ),
    (
        233,
        "user:dave",
        "security.refused",
        "Refused for dave from 10.20.3.5: outside his scope (site S-0331)",
        "Refusé à dave depuis 10.20.3.5\u00a0: hors de son périmètre (site S-0331)",
    ),
    (
        198,
        "user:carla",
        "logbook.note",
        "Note: Patrol 2 on site S-0977, perimeter checked, all quiet",
        "Note\u00a0: Patrouille 2 sur le site S-0977, périmètre vérifié, RAS",
    ),
    (
        151,
        "user:nadia",
        "logbook.note",
        "Note: Keyholder for S-0203 reached, on site in 20 minutes",
        "Note\u00a0: Détenteur des clés de S-0203 joint, sur site dans 20 minutes",
    ),
    (96, "user:nadia", "auth.logout", "nadia logged out", "nadia s'est déconnectée"),
    (
        95,
        "user:alice",
        "auth.login",
        "alice logged in from 10.20.1.14",
        "alice s'est connectée depuis 10.20.1.14",
    ),
    (
        88,
        "user:alice",
        "logbook.note",
        "Note: Shift handover received from night team, nothing pending",
        "Note\u00a0: Relève reçue de l'équipe de nuit, rien en cours",
    ),
    (
        41,
        "user:lefevre",
        "user.role_granted",
        "User bruno granted role operator over tenant",
        "Rôle operator donné à bruno sur tenant",
    ),
    (
        12,
        "user:alice",
        "logbook.note",
        "Note: Police patrol confirms S-0155 shop front intact",
        "Note\u00a0: La patrouille de police confirme la vitrine de S-0155 intacte",
    ),
]


def _now() -> datetime:
    return datetime.now(UTC)  # noqa: TID251 - the preview plays a server and needs the wall clock


class Checks:
    """What the preview found: each check passes or fails, with a line that says what was seen."""

    def __init__(self) -> None:
        self.results: list[tuple[bool, str]] = []

    def check(self, ok: bool, line: str) -> None:
        self.results.append((ok, line))
        sys.stdout.write(f"{'ok  ' if ok else 'FAIL'} {line}\n")

    @property
    def ok(self) -> bool:
        return all(ok for ok, _ in self.results)

    def summary(self) -> str:
        failed = sum(not ok for ok, _ in self.results)
        return f"{len(self.results) - failed} passed, {failed} failed"


def render_pages(out: Path) -> None:
    """The login and console pages, in each language, with the context the server passes."""
    env = Environment(
        loader=FileSystemLoader(WEB / "templates"), autoescape=select_autoescape(), undefined=StrictUndefined
    )
    out.mkdir(parents=True, exist_ok=True)
    user = {"username": "alice", "display_name": "Alice Moreau", "roles": ["operator"], "tenant_name": "Nord"}
    for lang in LANGUAGES:
        t = ui_strings(lang)
        login = {"lang": lang, "t": t, "csrf_token": "preview-token", "error": None, "username": ""}
        failed = {**login, "error": t["login.error.failed"], "username": "alice"}
        console = {
            **login,
            "user": user,
            "room_time_zone": ZONE,
            "languages": list(LANGUAGES),
        }
        for name, template, context in (
            (f"login-{lang}", "login.html", login),
            (f"login-{lang}-error", "login.html", failed),
            (f"console-{lang}", "console.html", console),
        ):
            (out / f"{name}.html").write_text(env.get_template(template).render(context), encoding="utf-8")
    shutil.copytree(WEB / "static", out / "static")


class FakeServer:
    """Answers the browser as Tocsin would, from the rendered pages, with a logbook in memory."""

    base = "http://tocsin.test"

    def __init__(self, context: Any, out: Path, lang: str) -> None:
        self.out, self.lang = out, lang
        self.escaped: list[str] = []
        self.sockets: list[Any] = []
        self.urls: list[str] = []
        self.note_status = 201
        start = _now()
        self.entries = [
            self._entry(i + 1, start - timedelta(minutes=ago), actor, kind, en if lang == "en" else fr)
            for i, (ago, actor, kind, en, fr) in enumerate(SAMPLE)
        ]
        context.route("**/*", self._http)
        context.route_web_socket(re.compile(r".*/api/v1/live.*"), self._live)

    @staticmethod
    def _entry(seq: int, at: datetime, actor: str, kind: str, text: str) -> dict[str, Any]:
        iso = at.isoformat()
        return {"id": f"e{seq}", "chain": CHAIN, "seq": seq, "recorded_at": iso, "occurred_at": iso,
                "actor": actor, "kind": kind, "text": text, "site_id": None, "client_id": None}  # fmt: skip

    @property
    def head(self) -> int:
        return len(self.entries)

    def add(self, actor: str, kind: str, text: str) -> dict[str, Any]:
        """A new committed entry (not yet sent to anyone)."""
        entry = self._entry(self.head + 1, _now(), actor, kind, text)
        self.entries.append(entry)
        return entry

    def send(self, message: dict[str, Any]) -> None:
        self.sockets[-1].send(json.dumps(message))

    def push(self, *entries: dict[str, Any]) -> None:
        self.send({"type": "entries", "entries": list(entries)})

    def _live(self, ws: Any) -> None:
        self.sockets.append(ws)
        self.urls.append(ws.url)
        ws.on_message(lambda _message: None)
        after = int(parse_qs(urlparse(ws.url).query).get("after", ["0"])[0])
        ws.send(json.dumps({"type": "hello", "seq": self.head, "chain": CHAIN}))
        missed = [e for e in self.entries if e["seq"] > after]
        if missed:
            ws.send(json.dumps({"type": "entries", "entries": missed}))

    def _http(self, route: Any) -> None:
        url = urlparse(route.request.url)
        if f"{url.scheme}://{url.netloc}" != self.base:
            self.escaped.append(route.request.url)
            route.abort()
            return
        lang = parse_qs(url.query).get("lang", [self.lang])[0]
        pages = {"/login": f"login-{lang}.html", "/login-error": f"login-{lang}-error.html"}
        pages["/console"] = f"console-{self.lang}.html"
        if url.path in pages:
            route.fulfill(path=str(self.out / pages[url.path]), content_type="text/html; charset=utf-8")
        elif url.path.startswith("/static/") and (self.out / url.path[1:]).is_file():
            kind = mimetypes.guess_type(url.path)[0] or "application/octet-stream"
            route.fulfill(path=str(self.out / url.path[1:]), content_type=kind)
        elif url.path == "/api/v1/logbook/notes" and route.request.method == "POST":
            self._note(route)
        elif url.path == "/api/v1/me/language" and route.request.method == "PUT":
            route.fulfill(status=200, json=json.loads(route.request.post_data or "{}"))
        else:
            route.fulfill(status=404, json={"error": "not_found", "detail": f"No {url.path} here."})

    def _note(self, route: Any) -> None:
        if self.note_status != 201:
            detail = "Your role does not allow this (write notes in the logbook): ask a supervisor."
            route.fulfill(status=self.note_status, json={"error": "forbidden", "detail": detail})
            return
        text = json.loads(route.request.post_data or "{}")["text"]
        entry = self.add("user:alice", "logbook.note", f"Note: {text}")
        self.push(entry)  # the socket wins the race against the HTTP answer: the console must not double it
        route.fulfill(status=201, json={"entry": entry})


# ---------------------------------------------------------------- behaviour, as an operator meets it
def _state(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate("""() => ({
        seq: Number(document.body.dataset.liveSeq),
        rows: document.querySelectorAll('[data-testid="logbook"] tr').length,
        top: Number(document.querySelector('[data-testid="logbook"] tr')?.dataset.seq || 0),
        fresh: document.querySelectorAll('[data-testid="logbook"] tr.is-new').length,
        focus: (({id, dataset, tagName}) => id || dataset.seq || tagName)(document.activeElement),
        connection: document.querySelector('[data-testid="connection"]').dataset.state,
        clock: document.querySelector('[data-testid="clock"]').textContent,
    })""")
    )


def flow_first_load(page: Any, server: FakeServer, checks: Checks) -> None:
    state = _state(page)
    checks.check(
        state["seq"] == server.head and state["rows"] == server.head, f"catch-up shown once: {state}"
    )
    checks.check(state["top"] == server.head and state["fresh"] == 0, "newest at the top, history not tinted")
    room = _now().astimezone(ZoneInfo(ZONE)).strftime("%H:%M")
    checks.check(
        state["clock"][:5] == room and len(state["clock"]) == 8, f"room clock {state['clock']} ({room})"
    )


def flow_live_entry(page: Any, server: FakeServer, checks: Checks) -> None:
    entry = server.add("user:bruno", "logbook.note", "Note: Unit 12 back at base, available")
    server.push(entry)
    page.wait_for_function(f"document.body.dataset.liveSeq === '{entry['seq']}'")
    server.push(entry)  # the same entry again
    page.wait_for_timeout(200)
    state = _state(page)
    checks.check(state["top"] == entry["seq"] and state["fresh"] == 1, f"live entry on top, tinted: {state}")
    checks.check(state["rows"] == server.head, "a repeated entry is not shown twice")


def flow_note_by_keyboard(page: Any, server: FakeServer, checks: Checks) -> None:
    page.keyboard.press("n")
    checks.check(_state(page)["focus"] == "note", "N puts the focus in the note field")
    text = "Keyholder called back, code word correct"
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    page.locator(ROWS, has_text=text).wait_for(timeout=5000)
    page.wait_for_timeout(300)
    count = page.locator(ROWS, has_text=text).count()
    checks.check(
        count == 1, f"the note shows once although the socket and the answer both bring it ({count})"
    )
    checks.check(
        page.input_value("#note") == "" and _state(page)["focus"] == "note", "field emptied, focus kept"
    )
    page.keyboard.press("Escape")
    checks.check(
        _state(page)["focus"] == "queue-table", f"Esc leaves the field for the queue: {_state(page)}"
    )


def flow_focus_survives_updates(page: Any, server: FakeServer, checks: Checks) -> None:
    page.keyboard.press("l")
    top = _state(page)
    checks.check(top["focus"] == str(top["top"]), f"L goes to the newest entry: {top['focus']}")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = _state(page)["focus"]
    server.push(server.add("scheduler", "deadline.fired", "Deadline test_signal S-0977 came due"))
    page.wait_for_function(f"document.body.dataset.liveSeq === '{server.head}'")
    checks.check(_state(page)["focus"] == focused, f"a new entry leaves the focus on entry {focused}")


def flow_note_error(page: Any, server: FakeServer, checks: Checks) -> None:
    server.note_status = 403
    page.keyboard.press("n")
    page.keyboard.type("Should not be recorded")
    page.keyboard.press("Enter")
    page.locator("#note-error").wait_for(state="visible", timeout=5000)
    shown = page.locator("#note-error").text_content() or ""
    checks.check("Your role does not allow this" in shown, f"the server's error is shown: {shown!r}")
    checks.check(page.input_value("#note") == "Should not be recorded", "the refused text is kept")
    server.note_status = 201
    page.fill("#note", "")
    page.keyboard.press("Escape")


def flow_help(page: Any, server: FakeServer, checks: Checks) -> None:
    page.keyboard.press("q")
    page.keyboard.press("?")
    checks.check(page.locator("#help").is_visible(), "? opens the key help")
    page.keyboard.press("Escape")
    page.wait_for_timeout(100)
    ok = not page.locator("#help").is_visible() and _state(page)["focus"] == "queue-table"
    checks.check(ok, "Esc closes it and the focus returns")


def flow_reconnect(page: Any, server: FakeServer, checks: Checks, out: Path) -> None:
    page.evaluate("document.activeElement.blur()")
    server.sockets[-1].close(code=1011, reason="preview drops the link")
    page.wait_for_selector('[data-testid="connection"][data-state="lost"]')
    text = page.locator('[data-testid="connection"]').text_content() or ""
    checks.check("Connection lost" in text, f"lost link said in words: {text.strip()!r}")
    page.screenshot(path=str(out / "console-lost.png"))
    seen = server.head
    missed = [
        server.add("user:bruno", "logbook.note", f"Note: Written while the link was down ({i})")
        for i in (1, 2)
    ]
    page.wait_for_selector('[data-testid="connection"][data-state="connected"]', timeout=5000)
    page.wait_for_function(f"document.body.dataset.liveSeq === '{missed[-1]['seq']}'")
    state = _state(page)
    checks.check(
        server.urls[-1].endswith(f"after={seen}"), f"reconnects asking after {seen}: {server.urls[-1]}"
    )
    checks.check(state["rows"] == server.head, f"caught up without duplicates: {state['rows']} rows")


def flow_snapshot_and_end(page: Any, server: FakeServer, checks: Checks) -> None:
    page.keyboard.press("l")
    kept = server.entries[-5:]
    server.send({"type": "snapshot", "seq": server.head, "entries": kept})
    page.wait_for_function("document.querySelectorAll('[data-testid=\"logbook\"] tr').length === 5")
    state = _state(page)
    checks.check(state["seq"] == server.head and state["top"] == server.head, f"snapshot replaces: {state}")
    checks.check(state["focus"] == str(server.head), "the focus stays on the same entry")
    sockets = len(server.sockets)
    server.sockets[-1].close(code=4401, reason="Your session has ended")
    page.wait_for_selector('[data-testid="connection"][data-state="signed_out"]')
    page.wait_for_timeout(2500)
    checks.check(len(server.sockets) == sockets, "an ended session is not retried")


QUEUE_DEMO = """(rows) => {
  const body = document.getElementById('queue-body');
  for (const [p, word, type, site, age, late] of rows) {
    const tr = body.insertRow(); tr.className = 'prio-row-' + p;
    tr.innerHTML = `<td><span class="prio prio-${p}">P${p} ${word}</span></td><td>${type}</td>`
      + `<td>${site}</td><td class="num"><span class="age ${late}">${age}</span></td>`;
  }
  document.getElementById('queue-empty').hidden = true;
}"""


def queue_demo(page: Any, checks: Checks, out: Path) -> None:
    """Sample queue rows (the queue itself comes later): the priority colours, words and contrast."""
    page.evaluate(
        QUEUE_DEMO,
        [
            [1, "Critical", "Fire", "S-0123 Boulangerie Martin", "0:42", ""],
            [1, "Critical", "Hold-up", "S-0977 Hôtel Azur Gare", "3:10", "is-overdue"],
            [2, "High", "Intrusion", "S-0456 Pharmacie du Centre", "1:55", "is-late"],
            [3, "Medium", "Technical", "S-0203 Entrepôt Nord", "12:04", ""],
            [4, "Low", "Test late", "S-0412 Garage Roux", "25:31", ""],
        ],
    )
    page.screenshot(path=str(out / "console-queue-demo.png"))
    axe(page, checks, "console queue demo")


def axe(page: Any, checks: Checks, name: str) -> None:
    """axe-core in the page: serious and critical violations fail, others are listed."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]
    for violation in violations:
        nodes = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        line = f"axe {name}: {violation['impact']} {violation['id']}: {violation['help']} ({nodes})"
        checks.check(violation["impact"] not in ("serious", "critical"), line)
    if not violations:
        checks.check(True, f"axe {name}: no violation")


def open_page(browser: Any, out: Path, lang: str, path: str) -> tuple[Any, Any, FakeServer]:
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR" if lang == "fr" else "en-GB")
    server = FakeServer(context, out, lang)
    page = context.new_page()
    page.goto(f"{server.base}{path}")
    page.wait_for_function("document.fonts.ready.then(() => document.fonts.check('600 15px Inter'))")
    return context, page, server


def login_screens(browser: Any, out: Path, checks: Checks) -> None:
    for lang, suffix in (("en", ""), ("fr", "-error")):
        context, page, server = open_page(browser, out, lang, f"/login{suffix}?lang={lang}")
        focus = page.evaluate("document.activeElement.id")
        checks.check(
            focus == ("password" if suffix else "username"), f"login {lang}{suffix}: focus on {focus}"
        )
        page.screenshot(path=str(out / f"login-{lang}{suffix}.png"))
        axe(page, checks, f"login {lang}{suffix}")
        checks.check(not server.escaped, f"login {lang}: nothing asked outside the room {server.escaped}")
        context.close()


def console_screens(browser: Any, out: Path, checks: Checks) -> None:
    context, page, server = open_page(browser, out, "en", "/console")
    page.wait_for_selector('[data-testid="connection"][data-state="connected"]')
    flows: list[Callable[[Any, FakeServer, Checks], None]] = [
        flow_first_load, flow_live_entry, flow_note_by_keyboard, flow_focus_survives_updates,
        flow_note_error, flow_help,
    ]  # fmt: skip
    for flow in flows:
        flow(page, server, checks)
    page.evaluate("document.activeElement.blur()")
    page.wait_for_function("!document.querySelector('tr.is-new')", timeout=10000)
    page.wait_for_timeout(1700)  # the tint's fade
    page.screenshot(path=str(out / "console-en.png"))
    axe(page, checks, "console en")
    page.keyboard.press("?")
    page.screenshot(path=str(out / "console-help.png"))
    axe(page, checks, "console help")
    page.keyboard.press("Escape")
    flow_reconnect(page, server, checks, out)
    queue_demo(page, checks, out)
    flow_snapshot_and_end(page, server, checks)
    checks.check(not server.escaped, f"console: nothing asked outside the room {server.escaped}")
    context.close()

    context, page, server = open_page(browser, out, "fr", "/console")
    page.wait_for_selector('[data-testid="connection"][data-state="connected"]')
    title = page.locator("#logbook-title").text_content() or ""
    checks.check(title.startswith("Main courante"), f"console fr: logbook title {title!r}")
    page.screenshot(path=str(out / "console-fr.png"))
    axe(page, checks, "console fr")
    context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "preview")
    parser.add_argument("--docs", action="store_true", help="also refresh docs/img/console.png and login.png")
    args = parser.parse_args()
    if not AXE.is_file():
        sys.stderr.write(
            "preview: the vendored assets are missing: run `npm ci`, then scripts/vendor_assets.py\n"
        )
        return 1
    out: Path = args.out
    shutil.rmtree(out, ignore_errors=True)
    render_pages(out)

    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a development dependency only

    checks = Checks()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            login_screens(browser, out, checks)
            console_screens(browser, out, checks)
        finally:
            browser.close()
    if args.docs and checks.ok:
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "console-en.png", DOCS_IMG / "console.png")
        shutil.copyfile(out / "login-en.png", DOCS_IMG / "login.png")
    sys.stdout.write(f"preview: {checks.summary()}; pages and screenshots in {out}\n")
    return 0 if checks.ok else 1


if __name__ == "__main__":
    sys.exit(main())
