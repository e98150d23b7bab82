"""Fixtures of the boto3 Step Functions suite: a client, a raw JSON 1.0 caller, and state
machines that are deleted after the test. Test modules import them by name (a conftest.py here
would shadow the shared one, which other suites import from)."""

import json
import re
import uuid

import pytest

from sfn_helpers import ROLE, json10, sfn_client, wait_finished, wire_history


@pytest.fixture
def sfn(sluice):
    return sfn_client(sluice.endpoint)


@pytest.fixture
def raw(sluice):
    """raw(action, body) -> (HTTP status, parsed JSON body)."""
    return lambda action, body: json10(sluice.endpoint, action, body)


@pytest.fixture
def name(request):
    """name(prefix=None) -> a resource name unique in the session."""

    def make(prefix=None):
        base = prefix or re.sub(r"[^A-Za-z0-9_-]", "-", request.node.name)[:40]
        return f"{base}-{uuid.uuid4().hex[:8]}"

    return make


@pytest.fixture
def machine(sfn, name):
    """machine(definition, **CreateStateMachine kwargs) -> ARN; deleted after the test."""
    arns = []

    def make(definition, **kwargs):
        kwargs.setdefault("name", name())
        kwargs.setdefault("roleArn", ROLE)
        arn = sfn.create_state_machine(definition=definition, **kwargs)["stateMachineArn"]
        arns.append(arn)
        return arn

    yield make
    for arn in arns:
        try:
            sfn.delete_state_machine(stateMachineArn=arn)
        except sfn.exceptions.ClientError:
            pass


@pytest.fixture
def execute(sluice, sfn, machine):
    """execute(definition, payload) -> (DescribeExecution, history on the wire) once it ended."""

    def run(definition, payload=None, **kwargs):
        arn = machine(definition, **kwargs)
        ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(
            {} if payload is None else payload))["executionArn"]
        d = wait_finished(sfn, ex)
        return d, wire_history(sluice.endpoint, ex)

    return run
