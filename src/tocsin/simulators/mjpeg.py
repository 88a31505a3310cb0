"""A camera to point Tocsin at: a generated test pattern with moving shapes, served as MJPEG over HTTP.

Every path ``/cam/<name>.mjpg`` is a camera of its own (``multipart/x-mixed-replace``, the format IP
cameras and FFmpeg's ``mpjpeg`` demuxer speak); ``/cam/<name>.jpg`` is one snapshot. Each camera can be
told to misbehave, for the demo and the tests, with ``GET /control/<name>/<mode>``:

- ``live``: moving shapes over a gradient and a clock (the default);
- ``frozen``: the same frame again and again (a hung encoder);
- ``covered``: a black image (a hand or a bag over the lens);
- ``blurred``: the picture out of focus;
- ``down``: open streams are cut and new ones refused (503), as a camera off the network.

Frames are drawn with Pillow; nothing is downloaded and no file is read.
"""

from __future__ import annotations

import io
import math
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw, ImageFilter

BOUNDARY = "tocsinframe"
MODES = ("live", "frozen", "covered", "blurred", "down")


@dataclass(slots=True)
class Pattern:
    """Draws the frames of one camera."""

    width: int = 320
    height: int = 240
    name: str = "cam"
    _background: Image.Image | None = None

    def background(self) -> Image.Image:
        """A colour gradient with a grid, drawn once."""
        if self._background is None:
            image = Image.new("RGB", (self.width, self.height))
            draw = ImageDraw.Draw(image)
            for x in range(self.width):
                shade = int(255 * x / max(1, self.width - 1))
                draw.line([(x, 0), (x, self.height)], fill=(shade // 3, 90, 255 - shade))
            for x in range(0, self.width, 40):
                draw.line([(x, 0), (x, self.height)], fill=(200, 200, 200))
            for y in range(0, self.height, 40):
                draw.line([(0, y), (self.width, y)], fill=(200, 200, 200))
            self._background = image
        return self._background

    def frame(self, t: float, mode: str = "live") -> bytes:
        """The JPEG of time ``t`` (seconds) in ``mode``."""
        if mode == "covered":
            image = Image.new("RGB", (self.width, self.height), (3, 3, 3))
        else:
            image = self.background().copy()
            draw = ImageDraw.Draw(image)
            w, h = self.width, self.height
            cx = w / 2 + w / 3 * math.cos(t * 1.3)
            cy = h / 2 + h / 3 * math.sin(t * 0.9)
            r = h / 8
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 220, 0))
            x = (t * 60) % (w + 60) - 60
            draw.rectangle([x, h * 0.7, x + 50, h * 0.7 + 30], fill=(220, 30, 30))
            stamp = datetime.fromtimestamp(t, UTC).strftime("%H:%M:%S.%f")[:-4]
            draw.rectangle([0, 0, w, 14], fill=(0, 0, 0))
            draw.text((4, 2), f"{self.name} {stamp}", fill=(255, 255, 255))
            if mode == "blurred":
                image = image.filter(ImageFilter.GaussianBlur(radius=max(4, w // 40)))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=70)
        return out.getvalue()


@dataclass(slots=True)
class Cameras:
    """The simulated cameras' modes, shared by the server's threads."""

    fps: float = 10.0
    width: int = 320
    height: int = 240
    modes: dict[str, str] = field(default_factory=dict)
    frozen: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def mode(self, name: str) -> str:
        """The mode of camera ``name``."""
        with self.lock:
            return self.modes.get(name, "live")

    def set_mode(self, name: str, mode: str) -> None:
        """Switch camera ``name`` to ``mode``."""
        with self.lock:
            self.modes[name] = mode
            self.frozen.pop(name, None)

    def frame(self, name: str, pattern: Pattern) -> bytes:
        """The frame camera ``name`` shows now."""
        mode = self.mode(name)
        if mode == "frozen":
            with self.lock:
                held = self.frozen.get(name)
            if held is None:
                held = pattern.frame(time.time(), "live")  # noqa: TID251 - a camera draws its own clock
                with self.lock:
                    self.frozen[name] = held
            return held
        return pattern.frame(time.time(), mode)  # noqa: TID251 - a camera draws its own clock


class _Handler(BaseHTTPRequestHandler):
    server: MjpegServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: a test pattern logs nothing."""

    def do_GET(self) -> None:
        """Route a request: a stream, a snapshot or a control."""
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        cameras = self.server.cameras
        if len(parts) == 3 and parts[0] == "control" and parts[2] in MODES:
            cameras.set_mode(parts[1], parts[2])
            self._answer(200, b"ok\n", "text/plain")
        elif len(parts) == 2 and parts[0] == "cam" and "." in parts[1]:
            name, kind = parts[1].rsplit(".", 1)
            if cameras.mode(name) == "down":
                self._answer(503, b"camera down\n", "text/plain")
            elif kind == "mjpg":
                self._stream(name)
            elif kind == "jpg":
                pattern = Pattern(cameras.width, cameras.height, name)
                self._answer(200, cameras.frame(name, pattern), "image/jpeg")
            else:
                self._answer(404, b"no such camera\n", "text/plain")
        else:
            self._answer(404, b"no such camera\n", "text/plain")

    def _answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, name: str) -> None:
        cameras = self.server.cameras
        pattern = Pattern(cameras.width, cameras.height, name)
        self.send_response(200)
        self.send_header("Content-Type", f"multipart/x-mixed-replace;boundary={BOUNDARY}")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        period = 1 / cameras.fps
        due = time.monotonic()
        try:
            while not self.server.stopping.is_set() and cameras.mode(name) != "down":
                jpeg = cameras.frame(name, pattern)
                head = f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n"
                self.wfile.write(head.encode() + jpeg + b"\r\n")
                self.wfile.flush()
                due += period
                time.sleep(max(0.0, due - time.monotonic()))
        except (BrokenPipeError, ConnectionResetError):
            return


class MjpegServer(ThreadingHTTPServer):
    """The test-pattern cameras on one port (0 picks a free one; see :attr:`port`)."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", port: int = 0, cameras: Cameras | None = None) -> None:
        super().__init__((host, port), _Handler)
        self.cameras = cameras or Cameras()
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.server_address[1])

    def url(self, name: str) -> str:
        """The MJPEG address of camera ``name``."""
        return f"http://127.0.0.1:{self.port}/cam/{name}.mjpg"

    def start(self) -> MjpegServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.serve_forever, name="mjpeg-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and cut the open streams."""
        self.stopping.set()
        self.shutdown()
        self.server_close()
