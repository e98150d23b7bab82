"""Distributed Map through boto3: a Map state in DISTRIBUTED mode runs each item (or batch) as a
child execution of a map run, STANDARD or EXPRESS; the parent's history shows MapRun* events and
no iterations; DescribeMapRun, ListMapRuns, UpdateMapRun and ListExecutions by mapRunArn show the
map run and its children; tolerated failures, MaxConcurrency, ItemBatcher and ItemSelector behave
as on AWS; ItemReader (S3) fails as an unreachable bucket does."""

import json
import time

import pytest

from sfn_helpers import PREFIX, ROLE, definition, wait_finished, wait_until, wire_history
from sfn_fixtures import machine, name, raw, sfn  # noqa: F401 (fixtures)


def dmap(processor_states, start="P", execution_type="STANDARD", **fields):
    state = {"Type": "Map",
             "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED",
                                                   "ExecutionType": execution_type},
                               "StartAt": start, "States": processor_states},
             "End": True}
    state.update(fields)
    return definition({"Fan": state}, "Fan")


DOUBLE = {"P": {"Type": "Pass", "Parameters": {"v.$": "$.v", "twice.$": "States.MathAdd($.v, $.v)"},
                "End": True}}
# Fails for items whose "fail" is true.
MAYBE_FAIL = {
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "BooleanEquals": True,
                                         "Next": "F"}], "Default": "P"},
    "F": {"Type": "Fail", "Error": "Item.Bad", "Cause": "bad item"},
    "P": {"Type": "Pass", "End": True},
}


def map_run_arn_of(endpoint_raw, execution_arn):
    status, body = endpoint_raw("ListMapRuns", {"executionArn": execution_arn})
    assert status == 200, body
    assert len(body["mapRuns"]) == 1, body
    return body["mapRuns"][0]["mapRunArn"]


def history_types(sfn, arn):
    return [e["type"] for e in sfn.get_execution_history(executionArn=arn,
                                                         maxResults=1000)["events"]]


@pytest.mark.parametrize("execution_type", ["STANDARD", "EXPRESS"])
def test_children_run_each_item_and_the_parent_sees_map_run_events(sfn, raw, machine,
                                                                   execution_type):
    arn = machine(dmap(DOUBLE, execution_type=execution_type, Label="Doubler",
                       ItemsPath="$.items", ItemSelector={"v.$": "$$.Map.Item.Value"}))
    machine_name = arn.split(":")[-1]
    ex = sfn.start_execution(stateMachineArn=arn,
                             input=json.dumps({"items": [1, 2, 3]}))["executionArn"]
    d = wait_finished(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == [{"v": 1, "twice": 2}, {"v": 2, "twice": 4},
                                       {"v": 3, "twice": 6}]

    events = wire_history(sfn.meta.endpoint_url, ex)
    types = [e["type"] for e in events]
    assert types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                     "MapRunSucceeded", "MapStateSucceeded", "MapStateExited",
                     "ExecutionSucceeded"], types
    started = events[types.index("MapRunStarted")]
    map_run = started["mapRunStartedEventDetails"]["mapRunArn"]
    assert map_run.startswith(f"{PREFIX}mapRun:{machine_name}/Doubler:"), map_run
    assert events[types.index("MapStateStarted")]["mapStateStartedEventDetails"] == {"length": 3}

    m = sfn.describe_map_run(mapRunArn=map_run)
    assert m["executionArn"] == ex and m["status"] == "SUCCEEDED"
    assert m["itemCounts"]["succeeded"] == 3 and m["itemCounts"]["total"] == 3
    assert m["executionCounts"]["succeeded"] == 3 and m["executionCounts"]["failed"] == 0
    assert m["maxConcurrency"] == 0 and m["toleratedFailureCount"] == 0
    assert m["toleratedFailurePercentage"] == 0.0
    assert "stopDate" in m and m["stopDate"] >= m["startDate"]

    runs = sfn.list_map_runs(executionArn=ex)["mapRuns"]
    assert [r["mapRunArn"] for r in runs] == [map_run]
    assert runs[0]["stateMachineArn"] == f"{PREFIX}stateMachine:{machine_name}/Doubler"

    children = sfn.list_executions(mapRunArn=map_run)["executions"]
    assert len(children) == 3
    assert {c["status"] for c in children} == {"SUCCEEDED"}
    assert {c["stateMachineArn"] for c in children} == {
        f"{PREFIX}stateMachine:{machine_name}/Doubler"}
    kind = "execution" if execution_type == "STANDARD" else "express"
    assert all(c["executionArn"].startswith(f"{PREFIX}{kind}:{machine_name}/Doubler:")
               for c in children), children
    if execution_type == "STANDARD":
        child = children[0]["executionArn"]
        cd = sfn.describe_execution(executionArn=child)
        assert cd["status"] == "SUCCEEDED" and cd["mapRunArn"] == map_run, cd
        assert history_types(sfn, child) == ["ExecutionStarted", "PassStateEntered",
                                             "PassStateExited", "ExecutionSucceeded"]
        sm = sfn.describe_state_machine_for_execution(executionArn=child)
        assert sm["mapRunArn"] == map_run and sm["label"] == "Doubler", sm
        assert sm["stateMachineArn"] == f"{PREFIX}stateMachine:{machine_name}/Doubler"
        processor = json.loads(sm["definition"])
        assert processor["StartAt"] == "P" and set(processor["States"]) == {"P"}, processor
        # Children are listed by their map run, not with the parent's machine.
        parents = sfn.list_executions(stateMachineArn=arn)["executions"]
        assert [e["executionArn"] for e in parents] == [ex]


def test_item_batcher_hands_children_batches(sfn, machine):
    arn = machine(dmap({"P": {"Type": "Pass", "End": True}}, execution_type="EXPRESS",
                       ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"tag.$": "$.tag"}},
                       ItemsPath="$.items"))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(
        {"tag": "t", "items": ["a", "b", "c", "d", "e"]}))["executionArn"]
    d = wait_finished(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == [
        {"Items": ["a", "b"], "BatchInput": {"tag": "t"}},
        {"Items": ["c", "d"], "BatchInput": {"tag": "t"}},
        {"Items": ["e"], "BatchInput": {"tag": "t"}}]
    run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    m = sfn.describe_map_run(mapRunArn=run)
    assert m["itemCounts"]["total"] == 5 and m["executionCounts"]["total"] == 3, m
    children = sfn.list_executions(mapRunArn=run)["executions"]
    assert sorted(c.get("itemCount") for c in children) == [1, 2, 2]


def test_a_failed_child_fails_the_map_run_without_tolerance(sfn, machine):
    arn = machine(dmap(MAYBE_FAIL, start="C"))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(
        [{"fail": False}, {"fail": True}, {"fail": False}]))["executionArn"]
    d = wait_finished(sfn, ex)
    assert d["status"] == "FAILED", d
    assert d["error"] == "States.ExceedToleratedFailureThreshold"
    events = wire_history(sfn.meta.endpoint_url, ex)
    types = [e["type"] for e in events]
    assert types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                     "MapRunFailed", "MapStateFailed", "ExecutionFailed"], types
    failed = events[types.index("MapRunFailed")]["mapRunFailedEventDetails"]
    assert failed == {"error": "States.ExceedToleratedFailureThreshold",
                      "cause": "The specified tolerated failure threshold was exceeded"}
    run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    m = sfn.describe_map_run(mapRunArn=run)
    assert m["status"] == "FAILED" and m["executionCounts"]["failed"] >= 1, m
    failed_children = sfn.list_executions(mapRunArn=run, statusFilter="FAILED")["executions"]
    assert len(failed_children) >= 1
    cd = sfn.describe_execution(executionArn=failed_children[0]["executionArn"])
    assert cd["error"] == "Item.Bad" and cd["cause"] == "bad item"


@pytest.mark.parametrize("tolerance", [{"ToleratedFailureCount": 1},
                                       {"ToleratedFailurePercentage": 50},
                                       {"ToleratedFailurePercentagePath": "$.pct"}])
def test_failures_within_the_tolerance_succeed(sfn, machine, tolerance):
    arn = machine(dmap(MAYBE_FAIL, start="C", execution_type="EXPRESS", ItemsPath="$.items",
                       **tolerance))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(
        {"pct": 50, "items": [{"fail": False}, {"fail": True}]}))["executionArn"]
    d = wait_finished(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out[0] == {"fail": False}
    assert out[1]["Error"] == "Item.Bad" and out[1]["Cause"] == "bad item"
    run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    m = sfn.describe_map_run(mapRunArn=run)
    assert m["executionCounts"]["failed"] == 1 and m["executionCounts"]["succeeded"] == 1, m


def test_max_concurrency_and_update_map_run(sfn, machine):
    # Each child waits 1 s: with MaxConcurrency 1, one runs at a time until UpdateMapRun lifts it.
    arn = machine(dmap({"W": {"Type": "Wait", "Seconds": 1, "End": True}}, start="W",
                       MaxConcurrency=1))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(list(range(6))))["executionArn"]
    run = wait_until(lambda: sfn.list_map_runs(executionArn=ex)["mapRuns"])[0]["mapRunArn"]
    m = sfn.describe_map_run(mapRunArn=run)
    assert m["status"] == "RUNNING" and m["maxConcurrency"] == 1
    assert m["executionCounts"]["running"] == 1 and m["executionCounts"]["pending"] == 5, m
    sfn.update_map_run(mapRunArn=run, maxConcurrency=10, toleratedFailureCount=3,
                       toleratedFailurePercentage=12.5)
    m = sfn.describe_map_run(mapRunArn=run)
    assert m["maxConcurrency"] == 10 and m["toleratedFailureCount"] == 3
    assert m["toleratedFailurePercentage"] == 12.5
    assert m["executionCounts"]["running"] + m["executionCounts"]["succeeded"] == 6, m
    t0 = time.monotonic()
    d = wait_finished(sfn, ex, timeout=10)
    assert d["status"] == "SUCCEEDED"
    assert time.monotonic() - t0 < 3.5  # the rest ran together, not one by one
    assert json.loads(d["output"]) == list(range(6))


def test_stopping_the_parent_aborts_the_map_run_and_its_children(sfn, machine):
    arn = machine(dmap({"W": {"Type": "Wait", "Seconds": 300, "End": True}}, start="W"))
    ex = sfn.start_execution(stateMachineArn=arn, input="[1, 2]")["executionArn"]
    run = wait_until(lambda: sfn.list_map_runs(executionArn=ex)["mapRuns"])[0]["mapRunArn"]
    assert wait_until(lambda: len(sfn.list_executions(mapRunArn=run)["executions"]) == 2)
    sfn.stop_execution(executionArn=ex)
    assert wait_until(lambda: sfn.describe_map_run(mapRunArn=run)["status"] == "ABORTED")
    children = wait_until(lambda: [c for c in sfn.list_executions(mapRunArn=run)["executions"]
                                   if c["status"] == "ABORTED"])
    assert len(children) == 2
    for c in children:
        assert sfn.describe_execution(executionArn=c["executionArn"])["status"] == "ABORTED"


def test_item_reader_fails_as_an_unreachable_bucket(sfn, machine):
    arn = machine(dmap({"P": {"Type": "Pass", "End": True}},
                       ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                                   "Parameters": {"Bucket": "b", "Key": "k.json"}}))
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    d = wait_finished(sfn, ex)
    assert d["status"] == "FAILED" and d["error"] == "States.ItemReaderFailed", d
    assert sfn.list_map_runs(executionArn=ex)["mapRuns"] == []


def test_definition_errors(sfn, raw, name):
    def create(states):
        return raw("CreateStateMachine", {"name": name(), "roleArn": ROLE,
                                          "definition": definition(states, "Fan")})

    no_type = {"Fan": {"Type": "Map", "End": True, "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P",
        "States": {"P": {"Type": "Pass", "End": True}}}}}
    status, body = create(no_type)
    assert status == 400 and body["__type"].endswith("InvalidDefinition"), body
    assert "ExecutionType" in body["message"]
    inline_label = {"Fan": {"Type": "Map", "End": True, "Label": "x", "ItemProcessor": {
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}}
    status, body = create(inline_label)
    assert status == 400 and "Label" in body["message"], body


def test_map_run_api_errors(sfn, raw, machine):
    missing = f"{PREFIX}mapRun:nothing/Label:00000000-0000-0000-0000-000000000000"
    for action, body in [("DescribeMapRun", {"mapRunArn": missing}),
                         ("UpdateMapRun", {"mapRunArn": missing, "maxConcurrency": 1}),
                         ("ListExecutions", {"mapRunArn": missing})]:
        status, out = raw(action, body)
        assert status == 400 and out["__type"].endswith("ResourceNotFound"), (action, out)
    status, out = raw("DescribeMapRun", {"mapRunArn": f"{PREFIX}activity:nope"})
    assert status == 400 and out["__type"].endswith("InvalidArn"), out
    arn = machine(dmap({"P": {"Type": "Pass", "End": True}}))
    status, out = raw("ListExecutions", {"stateMachineArn": arn, "mapRunArn": missing})
    assert status == 400 and out["__type"].endswith("ValidationException"), out
    ex = sfn.start_execution(stateMachineArn=arn, input="[1]")["executionArn"]
    assert wait_finished(sfn, ex)["status"] == "SUCCEEDED"
    run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    status, out = raw("UpdateMapRun", {"mapRunArn": run})
    assert status == 400 and out["__type"].endswith("ValidationException"), out
    status, out = raw("UpdateMapRun", {"mapRunArn": run, "toleratedFailurePercentage": 101})
    assert status == 400 and out["__type"].endswith("ValidationException"), out


def test_jsonata_distributed_map(sfn, machine):
    # JSONata: Items, ItemSelector and the ItemBatcher limits as expressions.
    arn = machine(json.dumps({
        "QueryLanguage": "JSONata", "StartAt": "Fan",
        "States": {"Fan": {
            "Type": "Map", "Items": "{% $states.input.xs %}",
            "ItemSelector": {"x": "{% $states.context.Map.Item.Value * 10 %}"},
            "ItemBatcher": {"MaxItemsPerBatch": "{% $states.input.size %}",
                            "BatchInput": {"n": "{% $count($states.input.xs) %}"}},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "P",
                "States": {"P": {"Type": "Pass",
                                 "Output": "{% $sum($states.input.Items.x) %}", "End": True}}},
            "End": True}}}))
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(
        {"xs": [1, 2, 3], "size": 2}))["executionArn"]
    d = wait_finished(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == [30, 30]


def test_no_items_and_an_express_parent(sfn, machine):
    arn = machine(dmap({"P": {"Type": "Pass", "End": True}}))
    ex = sfn.start_execution(stateMachineArn=arn, input="[]")["executionArn"]
    d = wait_finished(sfn, ex)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == [], d
    run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    m = sfn.describe_map_run(mapRunArn=run)
    assert m["status"] == "SUCCEEDED" and m["executionCounts"]["total"] == 0, m

    # An EXPRESS parent whose Distributed Map runs STANDARD children.
    express = machine(dmap(DOUBLE, ItemSelector={"v.$": "$$.Map.Item.Value"}), type="EXPRESS")
    out = sfn.start_sync_execution(stateMachineArn=express, input="[4, 5]")
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"]) == [{"v": 4, "twice": 8}, {"v": 5, "twice": 10}]
