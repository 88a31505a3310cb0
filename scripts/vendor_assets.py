"""Copy the console's third-party assets from node_modules into src/tocsin/web/static/vendor/.

The packages are pinned in package.json/package-lock.json and installed with `npm ci`; Tocsin serves
these copies itself, so an air-gapped operations room needs no CDN. Safe to run again.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "src" / "tocsin" / "web" / "static" / "vendor"

FONT_FILES = [
    f"inter-{subset}-{weight}-normal.woff2"
    for subset in ("latin", "latin-ext")
    for weight in (400, 500, 600, 700)
]
COPIES: list[tuple[str, str]] = [
    *[(f"@fontsource/inter/files/{name}", f"fonts/{name}") for name in FONT_FILES],
    ("@fontsource/inter/LICENSE", "fonts/LICENSE-inter.txt"),
    ("leaflet/dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet/dist/leaflet.css", "leaflet/leaflet.css"),
    ("leaflet/dist/images", "leaflet/images"),
    ("leaflet/LICENSE", "leaflet/LICENSE.txt"),
    ("axe-core/axe.min.js", "axe/axe.min.js"),
    ("axe-core/LICENSE", "axe/LICENSE.txt"),
]


def main() -> int:
    """Copy every asset; exit 1 with the way out when node_modules is missing."""
    if not MODULES.is_dir():
        print("error: node_modules is missing: run `npm ci` first.", file=sys.stderr)  # noqa: T201
        return 1
    for source, target in COPIES:
        src, dst = MODULES / source, VENDOR / target
        if not src.exists():
            print(f"error: {src} is missing: run `npm ci` again.", file=sys.stderr)  # noqa: T201
            return 1
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, dst)
    print(f"{len(COPIES)} assets copied to {VENDOR.relative_to(ROOT)}.")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
