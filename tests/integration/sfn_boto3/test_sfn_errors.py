"""Step Functions errors as clients see them: the error names and messages of the model, HTTP
400, the JSON 1.0 error shape, and input validation."""

import json

import pytest

from sfn_helpers import PASS, PREFIX, ROLE, definition, error_name
from sfn_fixtures import machine, name, raw, sfn  # noqa: F401 (fixtures)


def test_missing_resources(sfn):
    missing = f"{PREFIX}stateMachine:does-not-exist"
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist) as e:
        sfn.start_execution(stateMachineArn=missing)
    assert e.value.response["Error"]["Message"] == f"State Machine Does Not Exist: '{missing}'"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    ex = f"{PREFIX}execution:does-not-exist:x"
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.describe_execution(executionArn=ex)
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.get_execution_history(executionArn=ex)
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.describe_activity(activityArn=f"{PREFIX}activity:does-not-exist")
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_map_run(mapRunArn=f"{PREFIX}mapRun:m/label:0a1b")


def test_invalid_arns_names_and_definitions(sfn, machine):
    with pytest.raises(sfn.exceptions.InvalidArn) as e:
        sfn.describe_state_machine(stateMachineArn="not_a_valid_arn")
    assert e.value.response["Error"]["Message"] == "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'"
    with pytest.raises(sfn.exceptions.InvalidArn) as e:
        sfn.create_state_machine(name="x", definition=PASS, roleArn="not-a-role")
    assert e.value.response["Error"]["Message"] == "Invalid Role Arn: 'not-a-role'"
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.create_state_machine(name="has space", definition=PASS, roleArn=ROLE)
    with pytest.raises(sfn.exceptions.InvalidDefinition) as e:
        sfn.create_state_machine(name="bad-def", definition='{"StartAt":"X"}', roleArn=ROLE)
    assert e.value.response["Error"]["Message"].startswith(
        "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED:")
    arn = machine(PASS)
    with pytest.raises(sfn.exceptions.InvalidExecutionInput) as e:
        sfn.start_execution(stateMachineArn=arn, input="{not json")
    assert e.value.response["Error"]["Message"].startswith(
        "Invalid State Machine Execution Input: '")
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.start_execution(stateMachineArn=arn, name="a/b")
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.list_executions(stateMachineArn=arn, statusFilter="DONE")
    assert e.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(sfn.exceptions.InvalidToken):
        sfn.list_state_machines(nextToken="not-a-token")
    with pytest.raises(sfn.exceptions.MissingRequiredParameter):
        sfn.update_state_machine(stateMachineArn=arn)


def test_wire_error_shape_and_unknown_actions(raw):
    status, body = raw("DescribeStateMachine", {"stateMachineArn": f"{PREFIX}stateMachine:nope"})
    assert status == 400
    assert body["__type"] == "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist"
    assert body["message"] == f"State Machine Does Not Exist: '{PREFIX}stateMachine:nope'"
    status, body = raw("CreateStateMachine", {"name": "x"})
    assert status == 400 and error_name(body) == "ValidationException"
    assert "Value null at 'definition'" in body["message"]
    status, body = raw("CreateStateMachine", {"name": 5, "definition": PASS, "roleArn": ROLE})
    assert status == 400 and error_name(body) == "SerializationException"
    status, body = raw("NoSuchAction", {})
    assert status == 400 and error_name(body) == "UnknownOperationException"


def test_large_input_is_rejected(sfn, machine):
    arn = machine(PASS)
    big = json.dumps({"x": "y" * 262144})
    with pytest.raises(sfn.exceptions.ClientError) as e:
        sfn.start_execution(stateMachineArn=arn, input=big)
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_filter_regex_numbers_std_regex_cannot_take_are_an_invalid_definition(sfn, machine):
    # A JSONPath filter regex runs on std::regex, which overflows reading a back reference of many
    # digits and unrolls a repetition into that many states: such a path is refused at creation
    # (docs/parity/states.md), where a regex with smaller numbers runs as written.
    def with_filter(regex):
        return definition({"F": {"Type": "Pass", "InputPath": f"$.items[?(@.x =~ /{regex}/)].x",
                                 "End": True}}, "F")

    # r"\\\7...": a literal backslash, then back reference number 77777777777777777777
    for regex in (r"\\\77777777777777777777", "a{100000000}", "a{1,99999}"):
        with pytest.raises(sfn.exceptions.InvalidDefinition) as e:
            sfn.create_state_machine(name="bad-regex", definition=with_filter(regex), roleArn=ROLE)
        assert e.value.response["Error"]["Message"].startswith(
            "Invalid State Machine Definition: '"), regex
        assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    arn = machine(with_filter("a{2,9999}"), type="EXPRESS")
    out = sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps(
        {"items": [{"x": "a"}, {"x": "aaa"}, {"x": "b"}]}))
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"]) == ["aaa"]
