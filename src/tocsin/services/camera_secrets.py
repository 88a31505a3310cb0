"""A camera's password, kept like a transmitter's key: in its own file in the node's key folder (mode
0600, outside the database), named by a reference the camera row holds. It is never returned by the
API or the CLI and never written to the logbook; only whether one is set is shown.

The file is written before the change that names it and deleted again if that change is refused, so a
camera never points to a missing file; a replaced or removed camera's old file is deleted after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from tocsin.domain.cameras import Camera
from tocsin.domain.errors import InvalidInput
from tocsin.services.ports import Clock, KeyStore

T = TypeVar("T")
MAX_PASSWORD = 200


def with_password(keys: KeyStore, clock: Clock, password: str | None, change: Callable[[str | None], T]) -> T:
    """Put ``password`` (if any) in a new key file, run ``change(ref)``; remove the file if it fails."""
    if password is not None and not 1 <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(f"A camera password is 1 to {MAX_PASSWORD} characters.")
    ref = None if password is None else f"cam-{clock.new_id()}"
    if ref is not None and password is not None:
        keys.put(ref, password.encode())
    try:
        return change(ref)
    except BaseException:
        if ref is not None:
            keys.delete(ref)
        raise


def forget_old(keys: KeyStore, before: Camera | None, after: Camera | None) -> None:
    """Delete the key file the camera no longer names (replaced, or the camera removed)."""
    old = None if before is None else before.credential_ref
    if old is not None and (after is None or after.credential_ref != old):
        keys.delete(old)


def password_of(keys: KeyStore, camera: Camera) -> str | None:
    """The camera's password, for the video worker that opens its stream (never for a person)."""
    if camera.credential_ref is None:
        return None
    found = keys.get(camera.credential_ref)
    return None if found is None else found.decode()
