"""An export's files: the footage with a visible watermark, its chain-of-custody sheet, and a manifest
of SHA-256 signed with the node's key, so an authority can check that nothing was changed since
(``tocsin video verify-export``). :func:`make_files` makes them; the node's ``make_export``
(:mod:`tocsin.bootstrap`) records the export, for the command line and the API alike.

The folder holds ``clip.mp4`` (the footage of the time range, from one clip or several, encoded again
with, on every frame, the exporting user's name, the time of the export and the requisition or reason),
``custody.pdf`` (the chain-of-custody sheet: the request, the footage, the files' SHA-256, who exported
it and when, the key's fingerprint, the command to verify, blank lines for the hand-over signatures),
``manifest.json`` (canonical JSON, RFC 8785: the node, the requisition or reason, the clips and their
original SHA-256, each file with its SHA-256 and size) and ``manifest.sig.json`` (the Ed25519 signature
of ``manifest.json``'s bytes and the key's id).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from PIL import ImageDraw

from tocsin.domain.errors import InvalidInput
from tocsin.protocols.canonical_json import canonical_json
from tocsin.services import video_export
from tocsin.services.ports import SignatureVerifier, Signer
from tocsin.services.video_custody import CLIP, CUSTODY, MANIFEST, SIGNATURE, CustodySheet, FileLine

FORMAT = "tocsin-export/1"
EDGE = timedelta(milliseconds=2)  # a frame at a window's edge, as times in ms and in seconds round


def sha256_of(path: Path) -> str:
    """A file's SHA-256, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


Source = tuple[Path, datetime]  # a clip's file and the time of its first frame


def _draw(frame: av.VideoFrame, text: str, width: int, height: int) -> av.VideoFrame:
    image = frame.to_image()  # type: ignore[no-untyped-call]  # PyAV's stub
    draw = ImageDraw.Draw(image)
    box = draw.textbbox((6, image.height - 20), text)
    draw.rectangle((box[0] - 3, box[1] - 3, box[2] + 3, box[3] + 3), fill=(0, 0, 0))
    draw.text((6, image.height - 20), text, fill=(255, 255, 255))
    marked: av.VideoFrame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
    resized: av.VideoFrame = marked.reformat(width=width, height=height, format="yuv420p")
    return resized


def watermark(
    source: Path | list[Source],
    target: Path,
    text: str,
    window: tuple[datetime, datetime] | None = None,
) -> int:
    """Encode the footage again into ``target`` with ``text`` written on every frame; how many frames.

    ``source`` is one file, or clips with the time of their first frame (oldest first): then only the
    frames inside ``window`` are kept, each once where clips overlap, timed from the first one kept."""
    sources = [(source, datetime.min.replace(tzinfo=UTC))] if isinstance(source, Path) else source
    frames = 0
    last_at: datetime | None = None
    origin: datetime | None = None
    with av.open(str(target), "w", format="mp4") as out:
        stream: av.VideoStream | None = None
        for path, first_at in sources:
            with av.open(str(path)) as given:
                video = given.streams.video[0]
                if stream is None:
                    stream = out.add_stream("libx264", rate=25)
                    stream.width = video.codec_context.width // 2 * 2
                    stream.height = video.codec_context.height // 2 * 2
                    stream.pix_fmt = "yuv420p"
                    stream.time_base = Fraction(1, 1000)
                    stream.codec_context.time_base = Fraction(1, 1000)
                    stream.options = {"preset": "veryfast", "crf": "23"}
                zero: float | None = None
                for frame in given.decode(video):
                    seconds = float(frame.time or 0.0)
                    zero = seconds if zero is None else zero
                    at = first_at + timedelta(seconds=seconds - zero)
                    if window is not None and not window[0] - EDGE <= at <= window[1] + EDGE:
                        continue
                    if last_at is not None and at <= last_at:
                        continue  # already written from an overlapping clip
                    origin = at if origin is None else origin
                    marked = _draw(frame, text, stream.width, stream.height)
                    if window is None and frame.pts is not None and frame.time_base is not None:
                        marked.pts = round(frame.pts * frame.time_base * 1000)
                    else:
                        marked.pts = round((at - origin).total_seconds() * 1000)
                    marked.time_base = Fraction(1, 1000)
                    out.mux(stream.encode(marked))
                    frames += 1
                    last_at = at
        if stream is not None:
            out.mux(stream.encode(None))
    return frames


def write_manifest(
    folder: Path, facts: dict[str, Any], signer: Signer, names: tuple[str, ...] = (CLIP,)
) -> str:
    """Write the manifest of the folder's files (``names``) and its signature; the manifest's SHA-256."""
    manifest = {
        "format": FORMAT,
        **facts,
        "files": [
            {"name": name, "sha256": sha256_of(folder / name), "size": (folder / name).stat().st_size}
            for name in names
        ],
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


@dataclass(frozen=True, slots=True)
class Maker:
    """What making an export's files needs from the node: its name, its key, the time, and the printer of
    the custody sheet."""

    node_name: str
    signer: Signer
    now: datetime
    public_key_name: str
    print_sheet: Callable[[CustodySheet], bytes]


def _facts(maker: Maker, job: video_export.ExportJob, frames: int) -> dict[str, Any]:
    """What the manifest says besides its files."""
    requisition = job.requisition
    clips = [
        {
            "id": str(c.id),
            "alarm_id": str(c.alarm_id),
            "camera_id": str(c.camera_id),
            "camera": c.camera_name,
            "site_id": str(c.site_id),
            "start": c.start.isoformat(),
            "end": c.end.isoformat(),
            "original_sha256": c.sha256,
        }
        for c in job.clips
    ]
    return {
        "node": maker.node_name,
        "export_id": str(job.export_id),
        "exported_at": maker.now.isoformat(),
        "exported_by": {"username": job.user.username, "name": job.user.display_name},
        "requisition": None
        if requisition is None
        else {
            "authority": requisition.authority,
            "reference": requisition.reference,
            "received_at": requisition.received_at.isoformat(),
        },
        "reason": job.reason,
        "range": {"start": job.start.isoformat(), "end": job.end.isoformat()},
        "clip": {**clips[0], "frames": frames},  # the first clip, as exports of one clip always said
        "clips": clips,
    }


def _sheet(maker: Maker, job: video_export.ExportJob, folder: Path) -> CustodySheet:
    requisition = job.requisition
    clip = folder / CLIP
    return CustodySheet(
        export_id=job.export_id,
        node=maker.node_name,
        authority="" if requisition is None else requisition.authority,
        reference="" if requisition is None else requisition.reference,
        received_at=None if requisition is None else requisition.received_at,
        reason=job.reason,
        camera=job.clip.camera_name,
        camera_id=job.clip.camera_id,
        site=job.site,
        start=job.start,
        end=job.end,
        files=(FileLine(CLIP, sha256_of(clip), clip.stat().st_size),),
        originals=tuple(FileLine(c.file, c.sha256, c.size) for c in job.clips),
        exported_by=f"{job.user.display_name} ({job.user.username})",
        exported_at=maker.now,
        key_id=maker.signer.key_id,
        folder_name=folder.name,
        public_key_name=maker.public_key_name,
    )


def make_files(maker: Maker, job: video_export.ExportJob, clips_dir: Path, folder: Path) -> tuple[str, int]:
    """Write an export's files into ``folder`` (made if need be): the watermarked footage, the custody
    sheet, the signed manifest; the manifest's SHA-256 and the frames kept."""
    sources = [(clips_dir / c.file, c.start) for c in job.clips]
    for path, _ in sources:
        if not path.is_file():
            raise InvalidInput(f"The file of a clip is missing from {path.parent}: nothing to export.")
    now = maker.now.astimezone(UTC)
    why = job.requisition.reference if job.requisition is not None else job.reason
    text = f"Export {job.user.display_name} ({job.user.username}) {now:%Y-%m-%d %H:%M} UTC {why}"
    folder.mkdir(parents=True, exist_ok=True)
    frames = watermark(sources, folder / CLIP, text, (job.start, job.end))
    (folder / CUSTODY).write_bytes(maker.print_sheet(_sheet(maker, job, folder)))
    digest = write_manifest(folder, _facts(maker, job, frames), maker.signer, (CLIP, CUSTODY))
    return digest, frames
