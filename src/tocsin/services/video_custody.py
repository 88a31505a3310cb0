"""The chain-of-custody sheet of an export, as plain data: what was asked and by whom, what was
extracted (camera, time range, each file and its SHA-256), who exported it and when, why, the node's
key, and how to check it. :mod:`tocsin.adapters.custody_pdf` prints it; the export lists the printed
sheet in its signed manifest, so a changed byte in it is caught like one in the footage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

CLIP = "clip.mp4"  # the watermarked footage
CUSTODY = "custody.pdf"  # this sheet, printed
MANIFEST = "manifest.json"  # each file's SHA-256, canonical JSON
SIGNATURE = "manifest.sig.json"  # the manifest's Ed25519 signature and the key's id
EXPORT_FILES = (CLIP, CUSTODY, MANIFEST, SIGNATURE)


@dataclass(frozen=True, slots=True)
class FileLine:
    """One file of the export, or one original clip it was made from."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class CustodySheet:
    """Everything the sheet prints (times are UTC)."""

    export_id: UUID
    node: str
    authority: str  # "" for an export for a stated reason
    reference: str
    received_at: datetime | None
    reason: str
    camera: str
    camera_id: UUID
    site: str
    start: datetime
    end: datetime
    files: tuple[FileLine, ...]  # the export's footage
    originals: tuple[FileLine, ...]  # the stored clips it was cut from
    exported_by: str  # name and user name
    exported_at: datetime
    key_id: str
    folder_name: str  # the folder's name, in the command to verify
    public_key_name: str  # the node's public key file (PEM), in the command to verify
