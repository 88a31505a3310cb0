"""The console's pages: login, logout and the console shell (server-rendered, no CDN)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from tocsin.api.deps import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    NodeDep,
    get_node,
    over_tls,
    set_session_cookie,
    source_of,
)
from tocsin.domain.errors import TocsinError
from tocsin.domain.scope import Scope
from tocsin.domain.users import LANGUAGES, AuthenticationFailed, Principal, SessionExpired, Throttled
from tocsin.i18n.ui import ui_strings
from tocsin.services import queries
from tocsin.services.unit_of_work import UnitOfWork

WEB = Path(__file__).resolve().parents[2] / "web"
templates = Jinja2Templates(directory=WEB / "templates")
router = APIRouter(include_in_schema=False)
MAX_NAMES = 5000  # sites and clients a page names; beyond, the console asks the API per site


def negotiate_language(request: Request) -> str:
    """``?lang=``, else the browser's preference, else English."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return "en"


def _login_page(request: Request, lang: str, error: str | None, username: str, status: int) -> Response:
    token = secrets.token_urlsafe(24)
    context = {"lang": lang, "t": ui_strings(lang), "csrf_token": token, "error": error, "username": username}
    response = templates.TemplateResponse(request, "login.html", context, status_code=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request))
    return response


def _secure(request: Request) -> bool:
    return over_tls(request)


def _store_down(request: Request) -> bool:
    """Whether the API takes the store as not answering (degraded mode, docs/degraded.md)."""
    guard = getattr(request.app.state, "guard", None)
    return guard is not None and guard.down


def _current(request: Request) -> Principal | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    guard = getattr(request.app.state, "guard", None)
    if guard is not None and guard.down:  # degraded mode: a session checked recently opens the page
        recalled: Principal | None = guard.recall(token)
        return recalled
    try:
        principal = get_node(request).auth.from_session(token, source_of(request))
    except SessionExpired:
        return None
    if guard is not None:
        guard.remember(token, principal)
    return principal


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/console", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    if _current(request) is not None:
        return RedirectResponse("/console", status_code=303)
    return _login_page(request, negotiate_language(request), None, "", 200)


@router.post("/login")
def login(
    request: Request,
    node: NodeDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    lang = negotiate_language(request)
    t = ui_strings(lang)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        node.auth.refuse(
            None, username[:64] or "-", source_of(request), "missing or forged CSRF token", "POST /login"
        )
        return _login_page(request, lang, t["login.error.expired"], username, 400)
    try:
        result = node.auth.login(username, password, source_of(request))
    except Throttled as exc:
        return _login_page(
            request, lang, t["login.error.throttled"].format(seconds=exc.retry_after), username, 429
        )
    except AuthenticationFailed:
        return _login_page(request, lang, t["login.error.failed"], username, 401)
    response = RedirectResponse("/console", status_code=303)
    set_session_cookie(response, request, result.token)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(
    request: Request, node: NodeDep, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    principal = _current(request)
    if principal is not None:
        node.auth.check_csrf(principal, csrf_token, source_of(request), "POST /logout")
        node.auth.logout(principal)
        guard = getattr(request.app.state, "guard", None)
        if guard is not None:
            guard.forget(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/console", response_class=HTMLResponse)
def console(request: Request, node: NodeDep) -> Response:
    principal = _current(request)
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    layout = layout_for(principal)
    live = principal.can("logbook.read")
    down = _store_down(request)  # degraded mode: the page opens with what the browser kept
    context: dict[str, Any] = {
        "lang": principal.language,
        "t": ui_strings(principal.language),
        "csrf_token": principal.csrf_token,
        "user": {
            "username": principal.username,
            "display_name": principal.display_name,
            "roles": list(principal.roles),
            "tenant_name": "" if down else _tenant_name(node, principal),
        },
        "layout": layout,
        "live": live,
        "can_note": principal.can("logbook.write"),
        # what the alarm screen offers: the queue (read), the action keys (handle), close and take over
        # (supervise); the server checks each act again, these only keep dead keys off the screen
        "can_read_alarms": principal.can("alarms.read") and layout != "unit",
        "can_handle_alarms": principal.can("alarms.handle") and layout == "operator",
        "can_supervise": principal.can("room.supervise") and layout == "operator",
        "can_dispatch": principal.can("events.dispatch") and layout == "operator",
        "can_open_sites": principal.can("directory.read") and layout == "operator",
        "can_manage_users": principal.can("users.manage")
        and principal.scope_for("users.manage").whole_tenant,
        "sites": _my_sites(node, principal) if layout == "client" and not down else [],
        "unit": _my_unit(node, principal) if layout == "unit" and not down else None,
        "names": _names(node, principal) if live and not down else {"sites": {}, "clients": {}},
        "store_down": down,
        "room_time_zone": node.settings.room_time_zone,
        "languages": list(LANGUAGES),
        "map_tiles_url": node.settings.map_tiles_url,
    }
    return templates.TemplateResponse(request, "console.html", context)


def layout_for(principal: Principal) -> str:
    """Which screen a user lands on: the operator's, a unit's or a client's (by permission, not name)."""
    if principal.can("console.use"):
        return "operator"
    if principal.can("unit.report"):
        return "unit"
    return "client"


def _tenant_name(node: NodeDep, principal: Principal) -> str:
    try:
        me = node.store.read(lambda uow: queries.me(uow, principal), Scope.tenant(principal.tenant_id))
    except TocsinError:
        return ""
    return me["tenant"]["name"] if me["tenant"] else ""


def _names(node: NodeDep, principal: Principal) -> dict[str, dict[str, Any]]:
    """The names of the sites and clients whose logbook entries this user reads (up to MAX_NAMES)."""
    scope = principal.scope_for("logbook.read")

    def read(uow: UnitOfWork) -> dict[str, dict[str, Any]]:
        clients = {str(c.id): c.name for c in uow.clients.find()[:MAX_NAMES]}
        sites = {str(s.id): [s.name, str(s.client_id)] for s in uow.sites.find()[:MAX_NAMES]}
        return {"sites": sites, "clients": clients}

    try:
        return node.store.read(read, scope)
    except TocsinError:
        return {"sites": {}, "clients": {}}


def _my_sites(node: NodeDep, principal: Principal) -> list[dict[str, str]]:
    """A client's sites, as their directory scope shows them (none without ``directory.read``)."""
    if not principal.can("directory.read"):
        return []
    scope = principal.scope_for("directory.read")

    def read(uow: UnitOfWork) -> list[dict[str, str]]:
        clients = {c.id: c.name for c in uow.clients.find()}
        return [
            {
                "ref": s.ref,
                "name": s.name,
                "client": clients.get(s.client_id, ""),
                "address": ", ".join(x for x in (s.address, f"{s.postcode} {s.city}".strip()) if x),
            }
            for s in sorted(uow.sites.find(), key=lambda s: s.name)[:MAX_NAMES]
        ]

    return node.store.read(read, scope)


def _my_unit(node: NodeDep, principal: Principal) -> dict[str, str] | None:
    """The unit this user's login is linked to (``user.unit_id``); else the unit whose callsign is this
    user's name or display name, if the tenant has one."""
    names = {principal.username.casefold(), principal.display_name.casefold()}

    def read(uow: UnitOfWork) -> dict[str, str] | None:
        user = uow.users.get(principal.user_id)
        linked = None if user is None or user.unit_id is None else uow.units.get(user.unit_id)
        for unit in [linked] if linked is not None else uow.units.find():
            if unit.callsign.casefold() in names:
                return {
                    "callsign": unit.callsign,
                    "kind": unit.kind,
                    "status": unit.status,
                    "station": unit.station,
                }
        return None

    return node.store.read(read, Scope.tenant(principal.tenant_id))
