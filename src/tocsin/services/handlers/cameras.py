"""Cameras of a site and their viewing register.

Each handler validates through the domain (:mod:`tocsin.domain.cameras`), writes through the scoped
camera repository and records what it did in the logbook, in the caller's transaction. A password
never reaches a handler: the entry point puts it in the node's key folder first and passes its
reference, so neither the store nor the logbook ever holds it.
"""

from __future__ import annotations

import dataclasses
from uuid import UUID

from tocsin.domain import camera_commands as c
from tocsin.domain import video_events as e
from tocsin.domain.cameras import Camera, changed_fields
from tocsin.domain.errors import Conflict, InvalidInput, NotFound
from tocsin.domain.sites import Site
from tocsin.services.handlers.registry import Deps, Handlers
from tocsin.services.unit_of_work import UnitOfWork

FIXED = frozenset({"id", "tenant_id", "site_id", "credential_ref"})


def _site(uow: UnitOfWork, site_id: UUID) -> Site:
    site = uow.sites.get(site_id)
    if site is None:
        raise NotFound(f"No site {site_id} in your scope: check the site reference.")
    return site


def camera_in_scope(uow: UnitOfWork, camera_id: UUID) -> tuple[Camera, Site]:
    """The camera and its site, or NotFound when the scope does not reach it."""
    camera = uow.cameras.get(camera_id)
    site = None if camera is None else uow.sites.get(camera.site_id)
    if camera is None or site is None:
        raise NotFound(f"No camera {camera_id} in your scope: check the camera's id.")
    return camera, site


def _check_values(values: dict[str, object]) -> None:
    unknown = set(values) - {f.name for f in dataclasses.fields(Camera)} | (set(values) & FIXED)
    if unknown:
        raise InvalidInput(f"Unknown or fixed camera fields: {', '.join(sorted(unknown))}.")


def _name_free(uow: UnitOfWork, camera: Camera) -> None:
    if any(other.id != camera.id for other in uow.cameras.find(site_id=camera.site_id, name=camera.name)):
        raise Conflict(f"The site has a camera named {camera.name!r} already: choose another name.")
    if camera.frigate_name and any(
        other.id != camera.id for other in uow.cameras.find(frigate_name=camera.frigate_name)
    ):
        raise Conflict(
            f"Another camera is Frigate's {camera.frigate_name!r} already:"
            " a Frigate name points to one camera; give this one its own."
        )


def add_camera(cmd: c.AddCamera, uow: UnitOfWork, actor: str, _deps: Deps) -> Camera:
    site = _site(uow, cmd.site_id)
    _check_values(cmd.values)
    camera = Camera(
        id=uow.clock.new_id(),
        tenant_id=site.tenant_id,
        site_id=site.id,
        credential_ref=cmd.credential_ref,
        **cmd.values,  # names checked above, values by Camera itself
    )
    _name_free(uow, camera)
    uow.cameras.add(camera)
    uow.record(
        e.CameraAdded(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=site.client_id,
            camera_id=camera.id,
            name=camera.name,
            retention_days=camera.retention_days,
        ),
        actor,
    )
    return camera


def change_camera(cmd: c.ChangeCamera, uow: UnitOfWork, actor: str, _deps: Deps) -> Camera:
    before, site = camera_in_scope(uow, cmd.camera_id)
    _check_values(cmd.values)
    after = dataclasses.replace(before, **cmd.values)  # names checked above, values by Camera
    if cmd.credential_ref is not None:
        after = dataclasses.replace(after, credential_ref=cmd.credential_ref)
    fields = changed_fields(before, after)
    if not fields:
        return before
    _name_free(uow, after)
    uow.cameras.update(after)
    shown = tuple("password" if f == "credential_ref" else f for f in fields)
    uow.record(
        e.CameraChanged(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=site.client_id,
            camera_id=after.id,
            name=after.name,
            fields=shown,
        ),
        actor,
    )
    return after


def remove_camera(cmd: c.RemoveCamera, uow: UnitOfWork, actor: str, _deps: Deps) -> Camera:
    camera, site = camera_in_scope(uow, cmd.camera_id)
    uow.cameras.remove(camera)
    uow.record(
        e.CameraRemoved(
            tenant_id=site.tenant_id,
            site_id=site.id,
            client_id=site.client_id,
            camera_id=camera.id,
            name=camera.name,
        ),
        actor,
    )
    return camera


def record_view(cmd: c.RecordView, uow: UnitOfWork, actor: str, _deps: Deps) -> e.CameraViewed:
    camera, site = camera_in_scope(uow, cmd.camera_id)
    request = cmd.request
    if request.mode == "playback" and request.end is not None and request.end > uow.clock.now():
        raise InvalidInput("A playback shows recorded footage: its time range cannot end in the future.")
    event = e.CameraViewed(
        tenant_id=site.tenant_id,
        site_id=site.id,
        client_id=site.client_id,
        camera_id=camera.id,
        name=camera.name,
        mode=request.mode,
        start=request.start,
        end=request.end,
        reason=request.reason.strip(),
        user=cmd.user,
    )
    uow.record(event, actor)
    return event


HANDLERS = (
    Handlers()
    .add(c.AddCamera, add_camera)
    .add(c.ChangeCamera, change_camera)
    .add(c.RemoveCamera, remove_camera)
    .add(c.RecordView, record_view)
)
