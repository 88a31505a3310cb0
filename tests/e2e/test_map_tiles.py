"""TOCSIN_MAP_TILES_URL in a real browser: the room's own tile server reaches the page and its maps,
the page's CSP lets those tiles in, and no request goes to any other host."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import Server, _free_port, _prepare, log_in

# a 1x1 transparent PNG: what a tile server answers, as small as it gets
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ff"
    "ff3f0005fe02fea7d6a4b50000000049454e44ae426082"
)
SITE = {"id": "t", "ref": "T1", "name": "Tiles", "address": "", "latitude": 47.8, "longitude": 2.3}
MAP = {
    "site": SITE,
    "radius_m": 350,
    "bbox": {"south": 47.797, "west": 2.295, "north": 47.803, "east": 2.305},
    "streets": [{"name": "rue des Tests", "points": [[47.799, 2.297], [47.801, 2.303]]}],
    "truncated": False,
}
DRAW = """([id, data, tiles]) => {
  if (tiles !== null) document.body.dataset.mapTiles = tiles;
  const box = document.createElement("div");
  box.id = id;
  box.style.width = "600px";
  box.style.height = "400px";
  document.body.append(box);
  window.TocsinSiteMap.draw(box, data);
}"""


class TileServer:
    """A tile server of the room's own, on the loopback: answers every tile, remembers what it was asked."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(PNG)))
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, *_: Any) -> None:
                """Quiet."""

        self.http = ThreadingHTTPServer(("127.0.0.1", _free_port()), Handler)
        self.origin = f"http://127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture(scope="module")
def tiles() -> Iterator[TileServer]:
    served = TileServer()
    yield served
    served.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tiles: TileServer) -> Iterator[Server]:
    """`tocsin serve` with TOCSIN_MAP_TILES_URL pointing at the loopback tile server."""
    tmp: Path = tmp_path_factory.mktemp("e2e-tiles")
    settings, room = _prepare(tmp)
    port = _free_port()
    running = Server(f"http://127.0.0.1:{port}", room, settings, port, _free_port(), tmp)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TOCSIN_MAP_TILES_URL", f"{tiles.origin}/tiles/{{z}}/{{x}}/{{y}}.png")
        running.start()
    yield running
    running.stop()


def test_the_rooms_tile_server_draws_under_the_map_and_nothing_else_is_reached(
    browser: Any, server: Server, tiles: TileServer
) -> None:
    """The setting reaches the page, the map asks the room's tile server for z/x/y tiles and shows them
    (the CSP allows that origin), and every request of the page went to the node or to it."""
    page = log_in(browser, server, "alice")
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    template = f"{tiles.origin}/tiles/{{z}}/{{x}}/{{y}}.png"
    assert page.evaluate("document.body.dataset.mapTiles") == template
    page.evaluate(DRAW, ["with-tiles", MAP, None])
    page.wait_for_selector("#with-tiles .site-map-tiles img.leaflet-tile-loaded", state="attached")
    assert any(path.startswith("/tiles/") and path.endswith(".png") for path in tiles.paths)
    z, x, y = tiles.paths[0].removeprefix("/tiles/").removesuffix(".png").split("/")
    assert 12 <= int(z) <= 20
    assert int(x) > 0
    assert int(y) > 0
    assert (
        page.locator("#with-tiles path.leaflet-interactive, #with-tiles canvas").count() >= 1
    )  # streets too
    assert hosts <= {urlsplit(server.url).netloc, urlsplit(tiles.origin).netloc}, hosts


def test_without_the_setting_the_map_asks_for_no_tile(
    browser: Any, server: Server, tiles: TileServer
) -> None:
    """The same page with the setting empty (the default): the map draws its streets and no tile."""
    page = log_in(browser, server, "bob")
    asked = len(tiles.paths)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.evaluate(DRAW, ["no-tiles", MAP, ""])
    page.wait_for_selector("#no-tiles .leaflet-map-pane", state="attached")
    page.wait_for_timeout(300)  # a tile layer would ask at once; give it the chance to be wrong
    assert page.locator("#no-tiles .site-map-tiles").count() == 0
    assert len(tiles.paths) == asked
    assert hosts <= {urlsplit(server.url).netloc}, hosts
