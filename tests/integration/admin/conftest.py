"""Fixtures of the admin API suite (/_sluice/, driven with urllib, checked with boto3).

`admin_server`: one sluice for this suite alone (a reset deletes everything on its server, so it
must never share the session server of the other suites). Every test starts from a reset server.
`admin(method, path)`: one admin request, returning (status, parsed JSON body). `sqs`, `sfn`,
`pipes`: boto3 clients for the server (SQS over the query protocol).
"""

import json
import urllib.error
import urllib.request

import pytest

from sfn_helpers import aws_client
from sluice_server import assert_still_running, running_server


@pytest.fixture(scope="session")
def admin_server():
    with running_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _admin_server_survives_each_test(request):
    yield
    assert_still_running(request, "admin_server")


def call(endpoint, method, path, timeout=60):
    request = urllib.request.Request(endpoint + path, method=method,
                                     data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type"), json.loads(response.read())
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), json.loads(e.read())


@pytest.fixture
def admin(admin_server):
    def run(method, path):
        status, content_type, body = call(admin_server.endpoint, method, path)
        assert content_type == "application/json"
        return status, body

    status, body = run("POST", "/_sluice/reset")
    assert status == 200, body
    return run


@pytest.fixture
def sqs(admin_server):
    return aws_client("sqs", admin_server.endpoint)


@pytest.fixture
def sfn(admin_server):
    return aws_client("stepfunctions", admin_server.endpoint)


@pytest.fixture
def pipes(admin_server):
    return aws_client("pipes", admin_server.endpoint)
