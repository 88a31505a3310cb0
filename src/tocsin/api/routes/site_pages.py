"""``/console/sites``: the console's sites page: search a site, read its file and, with the permissions
for it, edit it (fields, zones, contacts, accounts, schedule, action plans, temporary instructions) and
create clients and sites.

The page is a shell: its script (``static/sites.js``) works through the same ``/api/v1`` routes as any
client, with the session's CSRF token, so every change is checked, scoped and logged there. The flags
given to the script only keep controls the caller may not use off the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from tocsin.api.deps import principal_of
from tocsin.domain.alarms import ALARM_CLASSES
from tocsin.domain.errors import TocsinError
from tocsin.domain.instructions import INSTRUCTION_KINDS
from tocsin.domain.plans import STEP_KINDS
from tocsin.domain.sites import PROFILES
from tocsin.domain.users import SessionExpired
from tocsin.i18n.ui import ui_strings

WEB = Path(__file__).resolve().parents[2] / "web"
templates = Jinja2Templates(directory=WEB / "templates")
router = APIRouter(include_in_schema=False)
READ = "directory.read"
# the classes a plan is usually written for, first; the others follow in the list
PLAN_CLASSES = ("intrusion", "fire", "panic", "hold_up", "duress", "medical", "technical", "other")
ZONE_KINDS = ("intrusion", "fire", "panic", "hold_up", "medical", "technical", "tamper", "other")


@router.get("/console/sites")
def sites_page(request: Request) -> Response:
    """The sites page (``directory.read``); edit controls follow the caller's permissions."""
    try:
        principal = principal_of(request)
    except (SessionExpired, TocsinError):
        return RedirectResponse("/login", status_code=303)
    t = ui_strings(principal.language)
    allowed = principal.can(READ)
    whole = allowed and principal.scope_for(READ).whole_tenant
    can = {
        "write": principal.can("directory.write"),
        "create_client": principal.can("directory.write")
        and principal.scope_for("directory.write").whole_tenant,
        "plans": principal.can("room.supervise"),
        "instructions": principal.can("alarms.handle"),
    }
    config: dict[str, Any] = {
        "can": can,
        "whole_tenant": whole,
        "plan_classes": [k for k in PLAN_CLASSES if k in ALARM_CLASSES],
        "step_kinds": list(STEP_KINDS),
        "zone_kinds": list(ZONE_KINDS),
        "instruction_kinds": list(INSTRUCTION_KINDS),
        "profiles": list(PROFILES),
    }
    context = {
        "lang": principal.language,
        "t": t,
        "allowed": allowed,
        "csrf_token": principal.csrf_token,
        "config": config,
        "can": can,
    }
    return templates.TemplateResponse(request, "sites.html", context, status_code=200 if allowed else 403)
