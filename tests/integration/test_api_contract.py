"""The API's contract: explicit response models (allow-lists), declared security schemes, errors, bodies."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.api_support import Stack, make_stack
from tests.integration.scope_walk import build_world
from tocsin.adapters.store import auth_store, repositories
from tocsin.adapters.store.mapping import to_domain

SECRET = "LEAKED-SECRET-FIELD"
ERRORS = {"401", "403", "404", "409", "422"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The app with every kind of record in it (units, partners, contacts, tokens, two tenants)."""
    for stack in make_stack(tmp_path_factory.mktemp("contract")):
        build_world(stack)
        yield stack


@functools.cache
def _leaky(cls: type[Any]) -> type[Any]:
    """The domain class with one more field, as if someone added a secret to it tomorrow."""
    return dataclasses.make_dataclass(
        f"Leaky{cls.__name__}",
        [("api_secret", str, dataclasses.field(default=SECRET))],
        bases=(cls,),
        slots=True,
        frozen=cls.__dataclass_params__.frozen,  # type: ignore[attr-defined]
    )


def _leaky_to_domain(cls: type[Any], row: Any) -> Any:
    found = to_domain(cls, row)
    return _leaky(cls)(**{f.name: getattr(found, f.name) for f in dataclasses.fields(cls)})


def test_a_field_added_to_a_domain_object_never_leaves_the_api(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every record the store returns gains a secret field; no API answer shows it."""
    monkeypatch.setattr(repositories, "to_domain", _leaky_to_domain)
    monkeypatch.setattr(auth_store, "to_domain", _leaky_to_domain)
    admin = stack.session("admin")
    users = admin.get("/api/v1/users").json()
    operator = next(u for u in users if u["username"] == "operator")
    paths = [
        "/api/v1/me",
        "/api/v1/clients",
        f"/api/v1/clients/{stack.room.client_b}",
        "/api/v1/sites",
        f"/api/v1/sites/{stack.room.site_b}",
        "/api/v1/units",
        "/api/v1/partners",
        "/api/v1/schedules",
        "/api/v1/users",
        f"/api/v1/users/{operator['id']}",
        f"/api/v1/users/{operator['id']}/tokens",
        "/api/v1/video/requisitions",
        "/api/v1/video/exports",
    ]
    for path in paths:
        response = admin.get(path)
        assert response.status_code == 200, (path, response.text)
        assert SECRET not in response.text, path
        assert "api_secret" not in response.text, path
        assert "password_hash" not in response.text, path
        assert "token_hash" not in response.text, path


def test_the_site_file_shows_secrets_only_as_flags(stack: Stack) -> None:
    """A contact's spoken password is shown as set or not, never as its hash."""
    site = stack.session("admin").get(f"/api/v1/sites/{stack.room.site_b}").json()
    contact = site["contacts"][0]
    assert contact["password_set"] is True
    assert contact["duress_set"] is False
    assert "password_hash" not in contact


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        if path.startswith("/api/v1"):
            for method, operation in item.items():
                yield method, path, operation


def test_the_document_declares_both_security_schemes_on_every_operation(stack: Stack) -> None:
    """The session cookie and the bearer token are declared, and every API operation accepts either."""
    spec = stack.client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["session"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "tocsin_session",
        "description": schemes["session"]["description"],
    }
    assert schemes["bearer"]["type"] == "http"
    assert schemes["bearer"]["scheme"] == "bearer"
    for method, path, operation in _operations(spec):
        declared = {name for requirement in operation["security"] for name in requirement}
        assert declared == {"session", "bearer"}, (method, path)


def test_every_operation_declares_its_errors_and_a_typed_body(stack: Stack) -> None:
    """401, 403, 404, 409 and 422 answer {error, detail}; each success names its model."""
    spec = stack.client.get("/openapi.json").json()
    assert spec["components"]["schemas"]["ErrorOut"]["required"] == ["error", "detail"]
    for method, path, operation in _operations(spec):
        responses = operation["responses"]
        assert set(responses) >= ERRORS, (method, path)
        for status in ERRORS:
            schema = responses[status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
        ok = next(s for s in responses if s.startswith("2"))
        files = {"application/pdf", "video/mp4", "image/jpeg", "application/zip"} & set(
            responses[ok]["content"]
        )
        if files:  # a file (the evidence, a clip, a picture, an export), not JSON
            assert responses[ok]["content"][files.pop()]["schema"]["format"] == "binary", (method, path)
            continue
        if "text/csv" in responses[ok]["content"]:  # a table to export (the KPIs), not JSON
            assert responses[ok]["content"]["text/csv"]["schema"] == {"type": "string"}, (method, path)
            continue
        schema = responses[ok]["content"]["application/json"]["schema"]
        typed = schema.get("$ref") or schema.get("items", {}).get("$ref")
        assert typed, (method, path, schema)
