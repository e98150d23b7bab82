"""Fixtures of the mocked-service-integration suite (boto3 against the real server).

`mock_server`: one sluice for the suite, started with --mock-config pointing at MOCK_CONFIG (the
AWS Step Functions Local format), written to a temporary file. `sfn`: a boto3 client for it (tests make an SQS one with mock_helpers.client).
`machine`: creates a state machine under a name the mock configuration knows.
"""

import json
import os
import tempfile

import pytest

from mock_helpers import MOCK_CONFIG, ROLE, client
from sluice_server import running_server


@pytest.fixture(scope="session")
def mock_config_path():
    fd, path = tempfile.mkstemp(prefix="sluice-mocks-", suffix=".json")
    with os.fdopen(fd, "w") as f:
        json.dump(MOCK_CONFIG, f)
    yield path
    os.remove(path)


@pytest.fixture(scope="session")
def mock_server(mock_config_path):
    with running_server(["--mock-config", mock_config_path]) as server:
        yield server


@pytest.fixture
def sfn(mock_server):
    return client("stepfunctions", mock_server.endpoint)


@pytest.fixture
def machine(sfn):
    """machine(name, definition dict, type="STANDARD") -> ARN, under a name MOCK_CONFIG knows.
    CreateStateMachine is idempotent for the same name and definition, so tests share them."""

    def make(name, definition, type="STANDARD"):
        return sfn.create_state_machine(name=name, definition=json.dumps(definition),
                                        roleArn=ROLE, type=type)["stateMachineArn"]

    return make
