"""The OpenAPI schema: the committed copy is what is served; the docs work offline; schemathesis finds
no server error and no response outside the schema.

Regenerate the committed copy after changing the API:
    .venv/bin/python manage.py export_openapi_schema --api api.v1.api --output api/openapi.json --indent 2 --sorted
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from .conftest import add_session_and_loan, make_token

pytestmark = pytest.mark.django_db

COMMITTED = Path(django_settings.BASE_DIR) / "api" / "openapi.json"
REGENERATE = "manage.py export_openapi_schema --api api.v1.api --output api/openapi.json --indent 2 --sorted"


def test_the_committed_schema_is_the_served_one(client):
    served = client.get("/api/v1/openapi.json")

    assert served.status_code == 200
    assert json.loads(COMMITTED.read_text()) == served.json(), f"api/openapi.json is stale: run {REGENERATE}"
    assert served.json()["openapi"].startswith("3.")


def test_the_docs_load_swagger_from_our_own_static_files(client):
    response = client.get("/api/v1/docs")
    page = response.content.decode()

    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources, page
    assert all(src.startswith(django_settings.STATIC_URL) for src in sources), sources
    for src in sources:
        assert finders.find(src.removeprefix(django_settings.STATIC_URL)), f"{src} is not among the static files"
    assert "cdn" not in page.lower()


def test_every_operation_documents_its_errors_and_needs_a_token():
    schema = json.loads(COMMITTED.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "404", "422"} <= set(operation["responses"]), f"{method} {path}"
            assert operation["security"] == [{"TokenAuth": []}], f"{method} {path}"
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorOut"), f"{method} {path} {status}"


# --- schemathesis -----------------------------------------------------------------------------------
# Run against the served schema in the normal suite: a few deterministic examples per operation, as the
# region lead (she reads, writes and records repayments in north), over the shared test world. Cases are
# drawn with schemathesis' strategies and plain hypothesis (its lazy pytest loader does not run under
# pytest 9), with random ids, with the world's real ids, and with schema-violating (negative) input.

OPERATIONS = [
    (method.upper(), path)
    for path, operations in json.loads(COMMITTED.read_text())["paths"].items()
    for method in operations
]
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def _real_ids(w) -> dict[str, int]:
    return {
        "participant_id": w.case.participant_id,
        "case_id": w.case.pk,
        "session_id": w.session.pk,
        "loan_id": w.loan.pk,
    }


@pytest.fixture
def keep_connection():
    """As Django's test client does: a WSGI request must not close the test's connection (its open transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("variant", ["random ids", "real ids", "negative"])
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_conforms_to_its_schema(world, keep_connection, method, path, variant):
    from django.core.wsgi import get_wsgi_application
    from hypothesis import given
    from schemathesis import GenerationMode

    w = add_session_and_loan(world)
    headers = {"Authorization": f"Bearer {make_token(w.lead, w.programme)}"}
    served = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operation = served[path][method]
    names = {p["name"] for p in operation.definition.raw.get("parameters", []) if p["in"] == "path"}
    strategy = operation.as_strategy(
        generation_mode=GenerationMode.NEGATIVE if variant == "negative" else GenerationMode.POSITIVE,
        path_parameters={k: v for k, v in _real_ids(w).items() if k in names} if variant != "random ids" else None,
    )
    calls = []

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=6,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        sent = dict(headers)
        if "Idempotency-Key" not in (case.headers or {}) and path.endswith("/repayments"):
            sent["Idempotency-Key"] = f"schemathesis-{len(calls):06d}"
        response = case.call_and_validate(headers=sent, checks=CHECKS)
        calls.append(response.status_code)

    run()
    assert calls, "no case was run"
    if variant != "negative":
        assert 401 not in calls, "the token was not accepted: the run would prove nothing"
    if variant == "real ids" and method == "GET":
        assert 200 in calls
