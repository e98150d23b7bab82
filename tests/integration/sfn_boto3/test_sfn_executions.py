"""Executions through boto3: every state type, history, listing, stop, idempotent start and
Express (StartSyncExecution)."""

import json

import pytest

from sfn_helpers import (PASS, PASS_CHOICE_MAP, PREFIX, definition, wait_definition, wait_finished,
                         wait_until)
from sfn_fixtures import machine, name, raw, sfn  # noqa: F401 (fixtures)

ALL_TYPES = definition({
    "Start": {"Type": "Pass", "Parameters": {"n.$": "$.n", "items": [1, 2, 3]}, "Next": "Pick"},
    "Pick": {"Type": "Choice",
             "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Hold"}],
             "Default": "Nope"},
    "Hold": {"Type": "Wait", "Seconds": 1, "Next": "Both"},
    "Both": {"Type": "Parallel", "ResultPath": "$.both", "Next": "Each", "Branches": [
        {"StartAt": "L", "States": {"L": {"Type": "Pass", "Result": "left", "End": True}}},
        {"StartAt": "R", "States": {"R": {"Type": "Pass", "Result": "right", "End": True}}}]},
    "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.doubled",
             "ItemProcessor": {"StartAt": "D", "States": {
                 "D": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"},
                       "OutputPath": "$.v", "End": True}}},
             "Next": "Done"},
    "Done": {"Type": "Succeed"},
    "Nope": {"Type": "Fail", "Error": "NotPositive", "Cause": "n must be > 0"},
}, "Start")


def finished(sfn, arn):
    d = sfn.describe_execution(executionArn=arn)
    return d if d["status"] != "RUNNING" else None


def test_every_state_type_and_the_history(sfn, machine):
    arn = machine(ALL_TYPES)
    ex = sfn.start_execution(stateMachineArn=arn, name="all", input=json.dumps({"n": 2}))
    assert ex["executionArn"] == f"{PREFIX}execution:{arn.split(':')[-1]}:all"
    assert sfn.describe_execution(executionArn=ex["executionArn"])["status"] == "RUNNING"
    d = wait_until(lambda: finished(sfn, ex["executionArn"]))
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["both"] == ["left", "right"] and out["doubled"] == [2, 4, 6]
    assert d["stopDate"] >= d["startDate"]
    events = sfn.get_execution_history(executionArn=ex["executionArn"])["events"]
    types = [e["type"] for e in events]
    assert types[0] == "ExecutionStarted" and types[-1] == "ExecutionSucceeded"
    for t in ("PassStateEntered", "ChoiceStateEntered", "WaitStateExited", "ParallelStateStarted",
              "MapIterationSucceeded", "SucceedStateEntered"):
        assert t in types, t
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert json.loads(events[0]["executionStartedEventDetails"]["input"]) == {"n": 2}

    failed = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"n": 0}))["executionArn"]
    d = wait_until(lambda: finished(sfn, failed))
    assert d["status"] == "FAILED" and d["error"] == "NotPositive"
    assert d["cause"] == "n must be > 0"


def test_history_paging_reverse_and_metadata_only(sfn, machine):
    arn = machine(PASS)
    ex = sfn.start_execution(stateMachineArn=arn, input='{"secret":1}')["executionArn"]
    page = sfn.get_execution_history(executionArn=ex, maxResults=3, reverseOrder=True)
    assert [e["id"] for e in page["events"]] == [4, 3, 2]
    rest = sfn.get_execution_history(executionArn=ex, maxResults=3, reverseOrder=True,
                                     nextToken=page["nextToken"])
    assert [e["id"] for e in rest["events"]] == [1] and "nextToken" not in rest
    meta = sfn.get_execution_history(executionArn=ex, includeExecutionData=False)["events"]
    assert "input" not in meta[0]["executionStartedEventDetails"]


def test_list_executions_and_stop(sfn, machine):
    arn = machine(wait_definition(30))
    arns = [sfn.start_execution(stateMachineArn=arn, name=f"run-{i}")["executionArn"]
            for i in range(3)]
    listed = sfn.list_executions(stateMachineArn=arn)["executions"]
    assert [e["name"] for e in listed] == ["run-2", "run-1", "run-0"]
    assert all(e["status"] == "RUNNING" for e in listed)
    stop = sfn.stop_execution(executionArn=arns[1], error="Manual", cause="test")
    d = sfn.describe_execution(executionArn=arns[1])
    assert d["status"] == "ABORTED" and d["error"] == "Manual" and d["cause"] == "test"
    assert d["stopDate"] == stop["stopDate"]
    assert sfn.get_execution_history(executionArn=arns[1])["events"][-1]["type"] == \
        "ExecutionAborted"
    aborted = sfn.list_executions(stateMachineArn=arn, statusFilter="ABORTED")["executions"]
    assert [e["name"] for e in aborted] == ["run-1"]
    page = sfn.list_executions(stateMachineArn=arn, maxResults=2)
    assert len(page["executions"]) == 2
    rest = sfn.list_executions(stateMachineArn=arn, maxResults=2, nextToken=page["nextToken"])
    assert [e["name"] for e in rest["executions"]] == ["run-0"]
    for a in (arns[0], arns[2]):
        sfn.stop_execution(executionArn=a)


def test_start_is_idempotent_while_running(sfn, machine):
    arn = machine(wait_definition(30))
    first = sfn.start_execution(stateMachineArn=arn, name="once", input='{"a":1}')
    again = sfn.start_execution(stateMachineArn=arn, name="once", input='{"a":1}')
    assert again["executionArn"] == first["executionArn"]
    assert again["startDate"] == first["startDate"]
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=arn, name="once", input='{"a":2}')
    sfn.stop_execution(executionArn=first["executionArn"])
    with pytest.raises(sfn.exceptions.ExecutionAlreadyExists):
        sfn.start_execution(stateMachineArn=arn, name="once", input='{"a":1}')


def test_describe_state_machine_for_execution_shows_what_ran(sfn, machine):
    arn = machine(wait_definition(30))
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    sfn.update_state_machine(stateMachineArn=arn, definition=PASS)
    d = sfn.describe_state_machine_for_execution(executionArn=ex)
    assert d["definition"] == wait_definition(30) and d["stateMachineArn"] == arn
    sfn.stop_execution(executionArn=ex)


def test_start_sync_execution(sfn, machine):
    arn = machine(PASS_CHOICE_MAP, type="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=arn, name="sync-1", input="{}")
    assert r["status"] == "SUCCEEDED"
    assert json.loads(r["output"]) == [1, 2, 3]
    assert r["executionArn"].startswith(f"{PREFIX}express:{arn.split(':')[-1]}:sync-1:")
    assert r["billingDetails"]["billedMemoryUsedInMB"] == 64
    assert r["billingDetails"]["billedDurationInMilliseconds"] >= 100
    assert r["stopDate"] >= r["startDate"]
    standard = machine(PASS)
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.start_sync_execution(stateMachineArn=standard)


def test_express_executions_are_not_describable(sfn, machine):
    arn = machine(PASS, type="EXPRESS")
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert ":express:" in ex
    for call in (lambda: sfn.describe_execution(executionArn=ex),
                 lambda: sfn.get_execution_history(executionArn=ex),
                 lambda: sfn.stop_execution(executionArn=ex)):
        with pytest.raises(sfn.exceptions.InvalidArn) as e:
            call()
        assert e.value.response["Error"]["Message"] == \
            "Invalid Arn: 'Resource type not valid in this context: express'"
    with pytest.raises(sfn.exceptions.StateMachineTypeNotSupported):
        sfn.list_executions(stateMachineArn=arn)


def test_a_runaway_loop_fails_at_the_25000_event_history_limit(sfn, machine):
    """AWS ends a Standard execution whose history reaches 25,000 events: event 25,000 is
    ExecutionFailed (States.Runtime), its previous event the 24,999th real one."""
    arn = machine(definition({
        "Spin": {"Type": "Pass", "Result": {"spin": True}, "Next": "Loop"},
        "Loop": {"Type": "Choice",
                 "Choices": [{"Variable": "$.spin", "BooleanEquals": True, "Next": "Spin"}],
                 "Default": "Done"},
        "Done": {"Type": "Succeed"},
    }, "Spin"))
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    d = wait_finished(sfn, ex, timeout=120)
    assert d["status"] == "FAILED"
    assert d["error"] == "States.Runtime"
    assert d["cause"] == "The execution reached the maximum number of history events (25000)."
    last = sfn.get_execution_history(executionArn=ex, reverseOrder=True, maxResults=2)["events"]
    assert last[0]["id"] == 25000 and last[0]["previousEventId"] == 24999
    assert last[0]["type"] == "ExecutionFailed"
    assert last[0]["executionFailedEventDetails"] == {
        "error": "States.Runtime",
        "cause": "The execution reached the maximum number of history events (25000)."}
    assert last[1]["id"] == 24999 and last[1]["type"] in ("PassStateEntered", "PassStateExited",
                                                           "ChoiceStateEntered",
                                                           "ChoiceStateExited")
