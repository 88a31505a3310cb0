"""Transmitter AES keys in files (one per account, mode 0600), outside the database."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tocsin.domain.errors import InvalidInput

_REF = re.compile(r"^[A-Za-z0-9_.-]{1,128}$")


class FileKeyStore:
    """Keys as hex text in ``folder/<ref>.key``."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def _path(self, ref: str) -> Path:
        if not _REF.match(ref):
            raise InvalidInput(f"Key reference {ref!r} is not valid.")
        return self._folder / f"{ref}.key"

    def put(self, ref: str, key: bytes) -> None:
        self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._path(ref)
        temporary = path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key.hex())
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)

    def get(self, ref: str) -> bytes | None:
        try:
            return bytes.fromhex(self._path(ref).read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def delete(self, ref: str) -> None:
        self._path(ref).unlink(missing_ok=True)
