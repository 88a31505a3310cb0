"""A camera that sends H.264: a generated test pattern encoded once (libx264, 25 fps, a keyframe every
2 s, B-frames) and served in a loop as MPEG-TS over HTTP at its own pace, as an encoder's HTTP output.

For the benchmarks and tests of stream copy (``/cam/<name>.ts``); the demo uses the MJPEG pattern.
"""

from __future__ import annotations

import io
import threading
import time
from fractions import Fraction
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import av
from PIL import Image

from tocsin.simulators.mjpeg import Pattern

CHUNK_SECONDS = 0.04


def encode_pattern(width: int = 1280, height: int = 720, seconds: float = 4.0, fps: int = 25) -> bytes:
    """The test pattern as an MPEG-TS of H.264 (about 2 Mbit/s)."""
    pattern = Pattern(width, height, "h264")
    out_bytes = io.BytesIO()
    with av.open(out_bytes, "w", format="mpegts") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "veryfast", "g": str(2 * fps), "bf": "2", "b": "2000k"}
        for index in range(round(seconds * fps)):
            image = Image.open(io.BytesIO(pattern.frame(index / fps))).convert("RGB")
            frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]  # PyAV's stub
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return out_bytes.getvalue()


class _Handler(BaseHTTPRequestHandler):
    server: H264Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet."""

    def do_GET(self) -> None:
        """Serve the loop, paced, until the client goes or the server stops."""
        if not self.path.endswith(".ts"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "video/mp2t")
        self.end_headers()
        data, rate = self.server.data, self.server.bytes_per_second
        step = max(188, int(rate * CHUNK_SECONDS) // 188 * 188)
        started, sent = time.monotonic(), 0
        try:
            while not self.server.stopping.is_set():
                offset = sent % len(data)
                self.wfile.write(data[offset : offset + step])
                sent += min(step, len(data) - offset)
                time.sleep(max(0.0, started + sent / rate - time.monotonic()))
        except (BrokenPipeError, ConnectionResetError):
            return


class H264Server(ThreadingHTTPServer):
    """Serves one encoded loop to every ``/cam/<name>.ts`` at its own bit rate."""

    daemon_threads = True

    def __init__(self, data: bytes, seconds: float, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__((host, port), _Handler)
        self.data = data
        self.bytes_per_second = len(data) / seconds
        self.stopping = threading.Event()

    def url(self, name: str) -> str:
        """The address of camera ``name``."""
        return f"http://127.0.0.1:{self.server_address[1]}/cam/{name}.ts"

    def start(self) -> H264Server:
        """Serve in a background thread."""
        threading.Thread(target=self.serve_forever, name="h264-sim", daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.stopping.set()
        self.shutdown()
        self.server_close()
