"""schemathesis against the OpenAPI document: generated requests as an admin (an operator's
permissions and user administration), on the
in-process app over a real SQLite database; no answer is a 500, and every answer matches the document
(status declared, body of the declared schema, declared content type).

Bounded and repeatable: at most 25 examples per operation, derandomized, no shrinking database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks

from tests.integration.api_support import Stack, make_stack

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The app on SQLite with a room and its users."""
    yield from make_stack(tmp_path_factory.mktemp("schemathesis"))


@pytest.fixture(scope="module")
def api_schema(stack: Stack) -> Any:
    """The app's own OpenAPI document, limited to /api/v1, called in process."""
    return schemathesis.openapi.from_asgi("/openapi.json", stack.app).include(path_regex="^/api/v1")


@pytest.fixture(scope="module")
def token(stack: Stack) -> str:
    """An admin's bearer token: every operator permission, and user administration besides."""
    return stack.node.auth.create_token("admin", "schemathesis", None)


def test_the_api_answers_as_its_document_says(api_schema: Any, token: str) -> None:
    """Generated requests never get a 500 and every answer conforms to the OpenAPI document."""
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case: Any) -> None:
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        try:
            call()
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
