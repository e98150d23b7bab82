"""JSONata and workflow variables through the AWS CLI, as a user types it: a JSONata machine from a
file, its history with assignedVariables, DescribeStateMachine's variableReferences,
start-sync-execution and test-state --variables.

Debian's awscli (2.9) predates TestState and the variables members of the Step Functions model,
and it always sends StartSyncExecution and TestState to the "sync-" host. botocore's own
"sdk-extras" mechanism (AWS_DATA_PATH=tests/integration/botocore_data) adds those members and
operations to the CLI's model and turns the host prefix off, as AWS_DISABLE_HOST_PREFIX_INJECTION
does in newer CLIs. The CLI still builds and parses every request from the model: nothing here
talks to the server around it."""

import json
import os
import uuid

import pytest

from aws_cli import AWS, cli_runner, ok
from sfn_helpers import PREFIX, ROLE, sfn_client, wait_finished

pytestmark = pytest.mark.skipif(AWS is None, reason="no aws CLI installed")

EXTRAS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "botocore_data")

JSONATA = {"QueryLanguage": "JSONata", "StartAt": "Prepare", "States": {
    "Prepare": {"Type": "Pass", "Next": "Total",
                "Assign": {"items": "{% $states.input.items %}", "label": "order",
                           "ratio": 0.5}},
    "Total": {"Type": "Pass", "End": True,
              "Output": {"label": "{% $label %}", "total": "{% $sum($items) * $ratio %}",
                         "max": "{% $max($items) %}"}}}}


@pytest.fixture(scope="module")
def aws(sluice, tmp_path_factory):
    """aws(*args, env=None) -> (exit code, parsed JSON stdout or None, stderr)."""
    run = cli_runner(sluice.endpoint, "stepfunctions", tmp_path_factory.mktemp("aws"))
    return lambda *args, env=None: run(*args, env={"AWS_DATA_PATH": EXTRAS, **(env or {})})


@pytest.fixture
def cleanup(sluice):
    """A list of state machine ARNs to delete after the test (through boto3: it is quicker)."""
    arns = []
    yield arns
    sfn = sfn_client(sluice.endpoint)
    for arn in arns:
        sfn.delete_state_machine(stateMachineArn=arn)


def test_jsonata_machine_from_a_file_and_its_history(aws, sluice, cleanup, tmp_path):
    name = f"cli-jsonata-{uuid.uuid4().hex[:8]}"
    (tmp_path / "def.json").write_text(json.dumps(JSONATA, indent=2))
    arn = ok(aws("create-state-machine", "--name", name, "--role-arn", ROLE,
                 "--definition", f"file://{tmp_path / 'def.json'}"))["stateMachineArn"]
    cleanup.append(arn)
    assert arn == f"{PREFIX}stateMachine:{name}"
    d = ok(aws("describe-state-machine", "--state-machine-arn", arn))
    assert json.loads(d["definition"]) == JSONATA
    assert d["variableReferences"] == {"Total": ["items", "label", "ratio"]}

    ex = ok(aws("start-execution", "--state-machine-arn", arn, "--name", "first",
                "--input", '{"items": [1, 2, 3]}'))["executionArn"]
    assert wait_finished(sfn_client(sluice.endpoint), ex)["status"] == "SUCCEEDED"
    events = ok(aws("get-execution-history", "--execution-arn", ex))["events"]
    assert [e["type"] for e in events] == ["ExecutionStarted", "PassStateEntered",
                                           "PassStateExited", "PassStateEntered",
                                           "PassStateExited", "ExecutionSucceeded"]
    prepared = events[2]["stateExitedEventDetails"]
    assert prepared["assignedVariables"] == {"items": "[1,2,3]", "label": '"order"',
                                             "ratio": "0.5"}
    assert prepared["assignedVariablesDetails"] == {"truncated": False}
    assert "assignedVariables" not in events[4]["stateExitedEventDetails"]
    assert json.loads(events[-1]["executionSucceededEventDetails"]["output"]) == {
        "label": "order", "total": 3, "max": 3}


def test_evaluation_failed_and_an_invalid_definition(aws, sluice, cleanup, tmp_path):
    broken = dict(JSONATA, States=dict(JSONATA["States"], Total={
        "Type": "Pass", "End": True, "Output": {"v": "{% $nope %}"}}))
    name = f"cli-jsonata-{uuid.uuid4().hex[:8]}"
    (tmp_path / "broken.json").write_text(json.dumps(broken))
    arn = ok(aws("create-state-machine", "--name", name, "--role-arn", ROLE,
                 "--definition", f"file://{tmp_path / 'broken.json'}"))["stateMachineArn"]
    cleanup.append(arn)
    ex = sfn_client(sluice.endpoint).start_execution(stateMachineArn=arn,
                                                      input='{"items":[1]}')["executionArn"]
    d = wait_finished(sfn_client(sluice.endpoint), ex)
    assert d["status"] == "FAILED" and d["error"] == "States.QueryEvaluationError", d
    events = ok(aws("get-execution-history", "--execution-arn", ex, "--reverse-order",
                    "--max-items", "2"))["events"]
    assert [e["type"] for e in events] == ["ExecutionFailed", "EvaluationFailed"]
    assert events[1]["evaluationFailedEventDetails"] == {
        "cause": d["cause"], "error": "States.QueryEvaluationError", "location": "Output/v",
        "state": "Total"}

    (tmp_path / "invalid.json").write_text(json.dumps(dict(JSONATA, States=dict(
        JSONATA["States"], Total={"Type": "Pass", "End": True, "InputPath": "$.x"}))))
    rc, _, err = aws("create-state-machine", "--name", name + "-bad", "--role-arn", ROLE,
                     "--definition", f"file://{tmp_path / 'invalid.json'}")
    assert rc != 0 and "InvalidDefinition" in err, err
    assert ("The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for "
            "the 'JSONPath' QueryLanguage at /States/Total") in err, err


def test_start_sync_execution_and_test_state_with_variables(aws, cleanup):
    name = f"cli-jsonata-sync-{uuid.uuid4().hex[:8]}"
    arn = ok(aws("create-state-machine", "--name", name, "--role-arn", ROLE, "--type", "EXPRESS",
                 "--definition", json.dumps(JSONATA)))["stateMachineArn"]
    cleanup.append(arn)
    out = ok(aws("start-sync-execution", "--state-machine-arn", arn,
                 "--input", '{"items": [4, 6]}'))
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"]) == {"label": "order", "total": 5, "max": 6}

    state = {"Type": "Pass", "QueryLanguage": "JSONata", "End": True,
             "Output": {"greeting": "{% 'hello ' & $who %}", "n": "{% $states.input.n %}"},
             "Assign": {"count": "{% $count + 1 %}"}}
    out = ok(aws("test-state", "--definition", json.dumps(state), "--input", '{"n": 7}',
                 "--variables", '{"who": "cli", "count": 41}', "--inspection-level", "DEBUG"))
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"]) == {"greeting": "hello cli", "n": 7}
    assert json.loads(out["inspectionData"]["variables"]) == {"who": "cli", "count": 42}
    assert json.loads(out["inspectionData"]["input"]) == {"n": 7}
