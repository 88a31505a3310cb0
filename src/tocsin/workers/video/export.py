"""An export's files: the clip with a visible watermark, and a manifest of SHA-256 signed with the
node's key, so an authority can check that nothing was changed since (``tocsin video verify-export``).

The folder holds ``clip.mp4`` (the clip encoded again with, on every frame, the exporting user's name,
the time of the export and the requisition), ``manifest.json`` (canonical JSON, RFC 8785: the node, the
requisition, the clip and its original SHA-256, each file with its SHA-256 and size) and
``manifest.sig.json`` (the Ed25519 signature of ``manifest.json``'s bytes and the key's id).
"""

from __future__ import annotations

import base64
import hashlib
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from PIL import ImageDraw

from tocsin.protocols.canonical_json import canonical_json
from tocsin.services.ports import SignatureVerifier, Signer

CLIP = "clip.mp4"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig.json"
FORMAT = "tocsin-export/1"


def sha256_of(path: Path) -> str:
    """A file's SHA-256, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def watermark(source: Path, target: Path, text: str) -> int:
    """Encode ``source`` again into ``target`` with ``text`` written on every frame; how many frames."""
    frames = 0
    with av.open(str(source)) as given, av.open(str(target), "w", format="mp4") as out:
        video = given.streams.video[0]
        stream = out.add_stream("libx264", rate=25)
        stream.width = video.codec_context.width // 2 * 2
        stream.height = video.codec_context.height // 2 * 2
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, 1000)
        stream.codec_context.time_base = Fraction(1, 1000)
        stream.options = {"preset": "veryfast", "crf": "23"}
        for frame in given.decode(video):
            image = frame.to_image()  # type: ignore[no-untyped-call]  # PyAV's stub
            draw = ImageDraw.Draw(image)
            box = draw.textbbox((6, image.height - 20), text)
            draw.rectangle((box[0] - 3, box[1] - 3, box[2] + 3, box[3] + 3), fill=(0, 0, 0))
            draw.text((6, image.height - 20), text, fill=(255, 255, 255))
            marked = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            marked = marked.reformat(width=stream.width, height=stream.height, format="yuv420p")
            if frame.pts is not None and frame.time_base is not None:
                marked.pts = round(frame.pts * frame.time_base * 1000)
            marked.time_base = Fraction(1, 1000)
            out.mux(stream.encode(marked))
            frames += 1
        out.mux(stream.encode(None))
    return frames


def write_manifest(folder: Path, facts: dict[str, Any], signer: Signer) -> str:
    """Write the manifest of the folder's clip and its signature; the manifest's SHA-256."""
    clip = folder / CLIP
    manifest = {
        "format": FORMAT,
        **facts,
        "files": [{"name": CLIP, "sha256": sha256_of(clip), "size": clip.stat().st_size}],
    }
    data = canonical_json(manifest)
    (folder / MANIFEST).write_bytes(data)
    signature = {"key_id": signer.key_id, "signature": base64.b64encode(signer.sign(data)).decode()}
    (folder / SIGNATURE).write_text(json.dumps(signature, indent=2) + "\n")
    return hashlib.sha256(data).hexdigest()


def verify(folder: Path, verifier: SignatureVerifier) -> list[str]:
    """What is wrong with an export folder (nothing: an empty list): the signature, then each file."""
    try:
        data = (folder / MANIFEST).read_bytes()
        signature = json.loads((folder / SIGNATURE).read_text())
        manifest = json.loads(data)
    except (OSError, ValueError) as exc:
        return [f"the manifest or its signature cannot be read ({exc})"]
    problems = []
    try:
        valid = verifier.verify(signature["key_id"], data, base64.b64decode(signature["signature"]))
    except (KeyError, TypeError, ValueError):
        valid = False
    if not valid:
        problems.append(f"the manifest's signature does not verify with key {signature.get('key_id')!r}")
    for entry in manifest.get("files", []):
        path = folder / str(entry.get("name", ""))
        if path.parent != folder or not path.is_file():
            problems.append(f"{entry.get('name')}: missing")
        elif sha256_of(path) != entry.get("sha256"):
            problems.append(f"{entry.get('name')}: its SHA-256 differs from the manifest's (changed)")
    return problems
