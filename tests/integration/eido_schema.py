"""The published NENA EIDO JSON schema (an OpenAPI 3.0 document), as a JSON Schema validator."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml

FIXTURE = Path(__file__).parents[1] / "fixtures" / "eido" / "openapi.yaml"
NUMBERS = ("minItems", "maxItems", "minLength", "maxLength")


def _clean(node: Any) -> Any:
    """References into the NIEM component files accept anything; numbers typed as text become numbers."""
    if isinstance(node, list):
        return [_clean(v) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if not ref.strip().startswith("#"):
            return {}
        node = {**node, "$ref": ref.strip()}
    return {
        k: int(v.strip(" ,")) if k in NUMBERS and isinstance(v, str) else _clean(v) for k, v in node.items()
    }


@cache
def eido_validator() -> Any:
    document = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    schema = {
        "$ref": "#/components/schemas/EmergencyIncidentDataObjectType",
        "components": _clean(document["components"]),
    }
    return jsonschema_rs.Draft7Validator(schema)
