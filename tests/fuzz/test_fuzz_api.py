"""schemathesis against the served OpenAPI document of an app with every plugin (issues 14 and 21).

Generic over whatever the document holds: every operation is fuzzed with examples of valid data
(every check schemathesis has: no 5xx, answers match the document, valid requests are not
refused) and of invalid data (no 5xx, answers match the document, invalid requests are refused,
a broken Authorization header is sent as generated). Bounded by ``FUZZ_EXAMPLES`` per operation
and mode: 25 in ``make test`` (about 2 minutes on 2 cores), ``make fuzz`` runs 300.
"""
from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from PIL import Image
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.specs.openapi.formats import unregister_string_format
from webtest import TestApp

from imagemonkey.plugins import installed_plugins
from imagemonkey.testing import auth, new_client, new_moderator

FUZZ_EXAMPLES = int(os.environ.get("IMAGEMONKEY_FUZZ_EXAMPLES", "25"))
NEGATIVE_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
                   response_schema_conformance, negative_data_rejection]


def picture(seed: int) -> bytes:
    """A small PNG of random blocks: the fuzzer's files are images (random bytes are a 422 the document states)."""
    blocks = np.random.default_rng(seed).integers(0, 256, (3, 4, 3), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(blocks, "RGB").resize((32, 24), Image.NEAREST).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def image_files() -> Iterator[None]:
    """While fuzzing, ``format: binary`` values are real images."""
    schemathesis.openapi.format("binary", st.integers(0, 2**32 - 1).map(picture))
    yield
    unregister_string_format("binary")


@pytest.fixture
def fuzzed_app(app_factory: Callable[..., TestApp]) -> tuple[TestApp, dict[str, str]]:
    testapp = app_factory(plugins=tuple(sorted(installed_plugins())), **{"imagemonkey.moderation": "post"})
    new_client(testapp)  # a contributor besides the moderator, so ids of others exist
    return testapp, auth(new_moderator(testapp))


def fuzz_operation(operation: Any, headers: dict[str, str], mode: GenerationMode, negative_checks: list[Any]) -> None:
    """Run ``FUZZ_EXAMPLES`` generated requests of ``mode`` against ``operation``; raises on the first failure."""
    checks = None if mode == GenerationMode.POSITIVE and operation.label not in SEMANTIC_REFUSALS else negative_checks

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        header = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
        if header is not None and header.mode == GenerationMode.NEGATIVE:
            case.call_and_validate(checks=checks)  # its broken Authorization header is the case: keep it
        else:
            case.call_and_validate(headers=headers, checks=checks)

    run()


def without_cursors(document: dict[str, Any]) -> dict[str, Any]:
    """The document without ``cursor`` parameters: cursors are opaque values only the server makes (a forged
    one is a 400, which the hand-made regression tests cover), so the fuzzer cannot generate valid ones."""
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "parameters" in operation:
                operation["parameters"] = [p for p in operation["parameters"] if p.get("name") != "cursor"]
    return document


#: Queries in the query language (docs/query.md): a grammar no JSON schema describes, so the fuzzer draws its
#: ``q`` values from these; malformed queries (a 400 with the position) are the query tests' regression cases.
EXAMPLE_QUERIES = ["dog", "dog & ~cat", "(car | truck) & person", '"cell phone"', "dogs", "verified:dog",
                   "annotated:dog & width >= 10"]


def with_example_queries(document: dict[str, Any]) -> dict[str, Any]:
    """The document with every ``q`` parameter, and every JSON body's ``query`` (a release's), drawn from
    :data:`EXAMPLE_QUERIES`."""
    for item in document["paths"].values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("name") == "q":
                    parameter["schema"] = {"type": "string", "enum": EXAMPLE_QUERIES}
            body = operation.get("requestBody", {}) if isinstance(operation, dict) else {}
            properties = body.get("content", {}).get("application/json", {}).get("schema", {}).get("properties", {})
            if "query" in properties:
                properties["query"] = {"type": "string", "enum": EXAMPLE_QUERIES}
    return document


#: Operations whose rules refuse some schema-valid values with a 422 that no JSON schema can state (a common
#: password, an expiry already past, a wrong password, an outline proposal's box outside the image or a proposal past
#: the per-contributor rate, a promoted label's parent that is not in the catalog): their valid examples get the
#: negative checks (no 5xx, answers as documented).
SEMANTIC_REFUSALS = {"POST /api/v1/accounts", "POST /api/v1/me/tokens", "POST /api/v1/me/password", "DELETE /api/v1/me",
                     "POST /api/v1/annotate/segment", "POST /api/v1/label-suggestions/{name}/promote"}
#: Operations that end the fuzzer's own log-in: fuzzed last, so that every other operation runs logged in.
ENDS_SESSION = {"DELETE /api/v1/sessions", "DELETE /api/v1/sessions/current"}


def summary(exc: BaseException) -> str:
    """The failure's title, status and curl line (schemathesis's own report, shortened)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    keep = [line for line in lines if line.startswith(("-", "[", "curl", "`", "Expected", "Valid", "Response"))]
    return " | ".join(keep[:8]) or (lines[0] if lines else type(exc).__name__)


def other_properties_ignored(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the server reads bodies: properties it does not name are ignored, not refused.

    ``obj()`` documents no other property (``additionalProperties: false``), so valid cases never carry one; for
    invalid cases an extra property is not a mistake the server must refuse (docs/plugins.md).
    """
    pending: list[Any] = [document]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if value.get("additionalProperties") is False:
                del value["additionalProperties"]
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return document


#: Where "invalid is refused" cannot hold, the other negative checks still run: the vote batch answers invalid items
#: with a result each (200) by design, and a multipart body carries text only (a label "made" a number arrives as
#: the text of the number, a valid label).
NOT_REFUSED = {"POST /api/v1/votes", "POST /api/v1/images", "POST /api/v1/playground/predictions"}


def document_for(testapp: TestApp, mode: GenerationMode) -> Any:
    """The served document as the fuzzer uses it for ``mode`` (no cursors; valid cases draw queries from the
    examples, invalid ones break the document's own ``q`` schema; extra properties ignored when invalid)."""
    document = without_cursors(testapp.get("/api/v1/openapi.json").json)
    document = with_example_queries(document) if mode == GenerationMode.POSITIVE else other_properties_ignored(document)
    schema = schemathesis.openapi.from_dict(document)
    schema.app = testapp.app
    return schema


@pytest.mark.usefixtures("image_files")
def test_every_operation_of_the_document(fuzzed_app: tuple[TestApp, dict[str, str]]) -> None:
    testapp, headers = fuzzed_app
    failures: list[str] = []
    operations = 0
    runs = [(mode, result.ok()) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            for result in document_for(testapp, mode).get_all_operations()]
    for mode, operation in sorted(runs, key=lambda run: run[1].label in ENDS_SESSION):  # stable: log-outs last
        operations += 1
        checks = NEGATIVE_CHECKS
        if mode == GenerationMode.NEGATIVE and operation.label in NOT_REFUSED:
            checks = [check for check in NEGATIVE_CHECKS if check is not negative_data_rejection]
        try:
            fuzz_operation(operation, headers, mode, checks)
        except Unsatisfiable:  # nothing invalid to send (no parameters, or only free-form strings)
            continue
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure, reported together
            failures.append(f"{operation.label} [{mode.value}]: {summary(exc)}")
    assert operations >= 40
    assert not failures, "\n\n".join(failures)
