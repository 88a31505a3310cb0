"""A test-only RTSP server: a generated test pattern, H.264, served by Debian's GStreamer RTSP server.

Run with the system Python, which has GObject introspection (``/usr/bin/python3``; the project's virtual
environment may not have ``gi``)::

    /usr/bin/python3 tests/support/rtsp_server.py [--port 0] [--path /cam] [--width 640] [--height 360]

It serves ``rtsp://127.0.0.1:<port><path>`` (``videotestsrc`` moving ball with a clock, ``x264enc`` tuned
for zero latency, one keyframe a second, ``rtph264pay``), prints ``ready <port>`` on standard output once
it listens (``--port 0``: a free port), and runs until it is terminated. ``--probe`` only checks that the
packages are there (exit 0) or names what is missing (exit 3). Debian's packages:
``gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-plugins-base gstreamer1.0-plugins-good
gstreamer1.0-plugins-ugly gstreamer1.0-rtsp`` (``x264enc`` is in ``-ugly``).
"""

from __future__ import annotations

import argparse
import signal
import sys


def say(text: str, *, error: bool = False) -> None:
    """One line for whoever started the server (``ready <port>``) or for its log."""
    stream = sys.stderr if error else sys.stdout
    stream.write(text + "\n")
    stream.flush()


ELEMENTS = ("videotestsrc", "x264enc", "rtph264pay", "timeoverlay")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--path", default="/cam")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--fps", type=int, default=15)
    parser.add_argument("--probe", action="store_true")
    args = parser.parse_args()
    try:
        import gi  # noqa: PLC0415 - the system's, checked here

        gi.require_version("Gst", "1.0")
        gi.require_version("GstRtspServer", "1.0")
        from gi.repository import GLib, Gst, GstRtspServer  # noqa: PLC0415
    except (ImportError, ValueError) as exc:
        say(f"missing: GObject introspection or the GStreamer RTSP server ({exc})", error=True)
        return 3
    Gst.init(None)
    missing = [name for name in ELEMENTS if Gst.ElementFactory.find(name) is None]
    if missing:
        say(f"missing GStreamer elements: {', '.join(missing)}", error=True)
        return 3
    if args.probe:
        return 0
    launch = (
        f"( videotestsrc is-live=true pattern=ball ! "
        f"video/x-raw,width={args.width},height={args.height},framerate={args.fps}/1 ! "
        "timeoverlay ! videoconvert ! "
        f"x264enc tune=zerolatency speed-preset=ultrafast key-int-max={args.fps} bitrate=800 ! "
        "rtph264pay name=pay0 pt=96 config-interval=1 )"
    )
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        say(f"cannot listen on port {args.port}", error=True)
        return 1
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    say(f"ready {server.get_bound_port()}")
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
