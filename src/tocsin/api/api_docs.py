"""``/docs``: the API's interactive documentation, served entirely from this node.

Swagger UI's files come from the pinned ``swagger-ui-dist`` npm package, vendored into
``web/static/vendor/swagger-ui/`` like the console's assets; the page starts it from a script file of
ours, so it runs under the same Content-Security-Policy as the console (no inline script, nothing from
the internet).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Tocsin API</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="/openapi.json"></div>
  <script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    """The API documentation page (Swagger UI, offline)."""
    return HTMLResponse(PAGE)
