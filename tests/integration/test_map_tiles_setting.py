"""TOCSIN_MAP_TILES_URL: a malformed template is refused at start; a good one reaches the console page
and the CSP of every answer allows that one origin for images; unset, nothing but our own origin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.api_support import Stack, make_stack
from tocsin.api.security import content_security_policy
from tocsin.config import Settings

TILES = "https://tiles.room.local:8443/osm/{z}/{x}/{y}.png"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    yield from make_stack(tmp_path, map_tiles_url=TILES)


@pytest.mark.parametrize(
    "bad",
    [
        "tiles.room.local/{z}/{x}/{y}.png",  # no scheme
        "ftp://tiles.room.local/{z}/{x}/{y}.png",
        "https://tiles.room.local/{z}/{x}.png",  # no {y}
        "https://{s}.tile.example/{z}/{x}/{y}.png",  # several hosts: the CSP names one
        'https://tiles.room.local/{z}/{x}/{y}.png" onload="x',
        "https://tiles.room.local/{z}/{x}/{y}.png; script-src *",
    ],
)
def test_a_malformed_template_is_refused(bad: str) -> None:
    """Each bad value is a settings error naming what is expected."""
    with pytest.raises(ValueError, match=r"\{z\}, \{x\} and \{y\}"):
        Settings(map_tiles_url=bad)


def test_a_good_template_gives_its_origin() -> None:
    """The origin (scheme, host, port) is what the CSP allows; unset, there is none."""
    assert Settings(map_tiles_url=f" {TILES} ").map_tiles_origin == "https://tiles.room.local:8443"
    assert Settings(map_tiles_url="").map_tiles_origin is None
    assert "img-src 'self' data:;" in content_security_policy(None)


def test_the_setting_reaches_the_console_and_its_csp(stack: Stack) -> None:
    """The console page carries the template; every answer's CSP lets images come from that origin only."""
    browser = stack.session("operator")
    page = browser.get("/console")
    assert f'data-map-tiles="{TILES}"' in page.text
    csp = page.headers["content-security-policy"]
    assert "img-src 'self' data: https://tiles.room.local:8443;" in csp
    assert "connect-src 'self';" in csp  # tiles are images: nothing else may leave
    assert stack.client.get("/health").headers["content-security-policy"] == csp


def test_unset_the_page_names_no_tile_server(tmp_path: Path) -> None:
    """The default: an empty data-map-tiles and the CSP of our own origin only."""
    for stack in make_stack(tmp_path / "plain"):
        page = stack.session("operator").get("/console")
        assert 'data-map-tiles=""' in page.text
        assert page.headers["content-security-policy"] == content_security_policy(None)
