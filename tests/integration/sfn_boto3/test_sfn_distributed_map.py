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


def test_stopping_the_parent_aborts_the_map_run_and_its_children(sfn, raw, machine):
    arn = machine(dmap({"W": {"Type": "Wait", "Seconds": 300, "End": True}}, start="W"))
    ex = sfn.start_execution(stateMachineArn=arn, input="[1, 2]")["executionArn"]
    run = wait_until(lambda: sfn.list_map_runs(executionArn=ex)["mapRuns"])[0]["mapRunArn"]
    assert wait_until(lambda: len(sfn.list_executions(mapRunArn=run)["executions"]) == 2)
    sfn.stop_execution(executionArn=ex, error="Halt", cause="by the test")
    assert wait_until(lambda: sfn.describe_map_run(mapRunArn=run)["status"] == "ABORTED")
    children = wait_until(lambda: [c for c in sfn.list_executions(mapRunArn=run)["executions"]
                                   if c["status"] == "ABORTED"])
    assert len(children) == 2
    for c in children:
        assert sfn.describe_execution(executionArn=c["executionArn"])["status"] == "ABORTED"
    # MapRunAborted, linked to MapRunStarted, right before the terminal ExecutionAborted.
    events = wire_history(sfn.meta.endpoint_url, ex)
    types = [e["type"] for e in events]
    assert types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                     "MapRunAborted", "ExecutionAborted"], types
    assert events[4]["previousEventId"] == events[3]["id"]
    assert events[5]["previousEventId"] == events[4]["id"]
    assert events[5]["executionAbortedEventDetails"] == {"error": "Halt", "cause": "by the test"}
    assert "mapRunAbortedEventDetails" not in events[4]


# Fails for an item whose "fail" is true until the execution is redriven: a STANDARD child
# redriven by its map run's redrive succeeds; an EXPRESS child (started again, RedriveCount 0)
# fails again.
FAIL_UNTIL_REDRIVEN = {"P": {
    "Type": "Pass", "QueryLanguage": "JSONata", "End": True,
    "Output": "{% ($states.input.fail and $states.context.Execution.RedriveCount = 0) "
              "? $error('bad item') : {'v': $states.input.v} %}"}}


def redrive(raw, ex):
    status, body = raw("RedriveExecution", {"executionArn": ex})
    assert status == 200, body
    return body


def describe_map_run(raw, run):
    status, body = raw("DescribeMapRun", {"mapRunArn": run})
    assert status == 200, body
    return body


def test_redrive_reruns_only_the_unsuccessful_standard_children(sfn, raw, machine):
    # MaxConcurrency 1: item 0 succeeds, item 1 fails the map run, item 2 never starts.
    arn = machine(dmap(FAIL_UNTIL_REDRIVEN, MaxConcurrency=1))
    items = [{"v": 0, "fail": False}, {"v": 1, "fail": True}, {"v": 2, "fail": False}]
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(items))["executionArn"]
    d = wait_finished(sfn, ex)
    assert d["status"] == "FAILED" and d["error"] == "States.ExceedToleratedFailureThreshold", d
    run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    m = describe_map_run(raw, run)
    assert m["status"] == "FAILED" and m["redriveCount"] == 0 and "redriveDate" not in m, m
    assert m["executionCounts"]["succeeded"] == 1 and m["executionCounts"]["failed"] == 1, m
    assert m["executionCounts"]["total"] == 2 and m["executionCounts"]["pendingRedrive"] == 0
    before = {c["name"]: c for c in sfn.list_executions(mapRunArn=run)["executions"]}
    assert len(before) == 2
    failed = [c for c in before.values() if c["status"] == "FAILED"][0]
    status, cd = raw("DescribeExecution", {"executionArn": failed["executionArn"]})
    assert cd["redriveStatus"] == "REDRIVABLE", cd  # its parent's machine is its machine

    redrive(raw, ex)
    d = wait_finished(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == [{"v": 0}, {"v": 1}, {"v": 2}]
    events = wire_history(sfn.meta.endpoint_url, ex)
    types = [e["type"] for e in events]
    assert types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                     "MapRunFailed", "MapStateFailed", "ExecutionFailed", "ExecutionRedriven",
                     "MapRunRedriven", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited",
                     "ExecutionSucceeded"], types
    redriven = events[types.index("MapRunRedriven")]
    assert redriven["mapRunRedrivenEventDetails"] == {"mapRunArn": run, "redriveCount": 1}
    assert redriven["previousEventId"] == events[types.index("ExecutionRedriven")]["id"]
    assert events[types.index("MapRunSucceeded")]["previousEventId"] == redriven["id"]

    m = describe_map_run(raw, run)
    assert m["status"] == "SUCCEEDED" and m["redriveCount"] == 1, m
    assert m["redriveDate"] >= m["startDate"] and m["stopDate"] >= m["redriveDate"], m
    counts = m["executionCounts"]
    assert counts["succeeded"] == 3 and counts["failed"] == 0 and counts["total"] == 3, counts
    assert counts["pendingRedrive"] == 0 and counts["failuresNotRedrivable"] == 0, counts
    assert [r["mapRunArn"] for r in sfn.list_map_runs(executionArn=ex)["mapRuns"]] == [run]

    after = {c["name"]: c for c in sfn.list_executions(mapRunArn=run)["executions"]}
    assert len(after) == 3 and {c["status"] for c in after.values()} == {"SUCCEEDED"}
    for child_name, c in before.items():
        # The same executions: the one that succeeded was left alone, the failed one redriven.
        assert after[child_name]["executionArn"] == c["executionArn"]
    redrives = {}
    for c in after.values():
        status, cd = raw("DescribeExecution", {"executionArn": c["executionArn"]})
        redrives[json.loads(cd["input"])["v"]] = cd.get("redriveCount", 0)
    assert redrives == {0: 0, 1: 1, 2: 0}, redrives
    failed_child = [c for c in after.values() if c["name"].endswith("_1")][0]
    child_types = history_types(sfn, failed_child["executionArn"])
    assert child_types.count("ExecutionRedriven") == 1 and child_types[-1] == "ExecutionSucceeded"


def test_redrive_restarts_unsuccessful_express_children(sfn, raw, machine):
    arn = machine(dmap(FAIL_UNTIL_REDRIVEN, execution_type="EXPRESS", MaxConcurrency=1))
    items = [{"v": 0, "fail": False}, {"v": 1, "fail": True}]
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(items))["executionArn"]
    assert wait_finished(sfn, ex)["status"] == "FAILED"
    run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    first = sfn.list_executions(mapRunArn=run)["executions"]
    assert len(first) == 2

    for n in (1, 2):
        redrive(raw, ex)
        d = wait_finished(sfn, ex)
        assert d["status"] == "FAILED", d  # an EXPRESS child runs from its start again: it fails
        m = describe_map_run(raw, run)
        assert m["status"] == "FAILED" and m["redriveCount"] == n, m
        counts = m["executionCounts"]
        assert counts["succeeded"] == 1 and counts["failed"] == 1 and counts["total"] == 2, m
        children = sfn.list_executions(mapRunArn=run)["executions"]
        # Only the failed item ran again, under the same ARN (AWS: its runs cannot be told
        # apart), with a new start date; the one that succeeded was left alone.
        assert len(children) == 2, children
        assert {c["executionArn"] for c in children} == {c["executionArn"] for c in first}
        by_arn = {c["executionArn"]: c for c in first}
        for c in children:
            if c["status"] == "SUCCEEDED":
                assert c["startDate"] == by_arn[c["executionArn"]]["startDate"]
            else:
                assert c["startDate"] > by_arn[c["executionArn"]]["startDate"]
    types = history_types(sfn, ex)
    assert types.count("MapRunRedriven") == 2 and types.count("MapRunStarted") == 1, types


def test_a_stopped_parent_redrives_its_aborted_map_run(sfn, raw, machine):
    # Each child waits 300 s the first time; redriven, it waits 0 s.
    arn = machine(dmap({"W": {"Type": "Wait", "QueryLanguage": "JSONata",
                              "Seconds": "{% $states.context.Execution.RedriveCount = 0 "
                                         "? 300 : 0 %}", "End": True}}, start="W"))
    ex = sfn.start_execution(stateMachineArn=arn, input="[1, 2]")["executionArn"]
    run = wait_until(lambda: sfn.list_map_runs(executionArn=ex)["mapRuns"])[0]["mapRunArn"]
    assert wait_until(lambda: len(sfn.list_executions(mapRunArn=run)["executions"]) == 2)
    sfn.stop_execution(executionArn=ex)
    assert wait_until(lambda: len(sfn.list_executions(mapRunArn=run,
                                                      statusFilter="ABORTED")["executions"]) == 2)
    assert describe_map_run(raw, run)["status"] == "ABORTED"
    redrive(raw, ex)
    d = wait_finished(sfn, ex)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == [1, 2], d
    types = history_types(sfn, ex)
    assert types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                     "MapRunAborted", "ExecutionAborted", "ExecutionRedriven", "MapRunRedriven",
                     "MapRunSucceeded", "MapStateSucceeded", "MapStateExited",
                     "ExecutionSucceeded"], types
    m = describe_map_run(raw, run)
    assert m["status"] == "SUCCEEDED" and m["redriveCount"] == 1, m
    assert m["executionCounts"]["succeeded"] == 2 and m["executionCounts"]["aborted"] == 0, m


def test_redrive_is_refused_as_for_any_execution(sfn, raw, machine):
    arn = machine(dmap({"P": {"Type": "Pass", "End": True}}))
    ex = sfn.start_execution(stateMachineArn=arn, input="[1]")["executionArn"]
    assert wait_finished(sfn, ex)["status"] == "SUCCEEDED"
    status, body = raw("RedriveExecution", {"executionArn": ex})
    assert status == 400 and body["__type"].endswith("ExecutionNotRedrivable"), body
    assert body["message"] == "Execution is SUCCEEDED and cannot be redriven", body


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


def test_a_map_run_is_redriven_at_most_1000_times():
    """AWS's hard limit (redrive-map-run.html): a Map Run is redriven at most 1,000 times; the
    redrive of the parent past it gets States.Runtime. Reached for real: 1,000 redrives of a parent
    whose single EXPRESS child always fails, on a server of its own with relaxed durability (no
    fsync per commit) so that they take seconds. The engine's unit test checks the same rule with
    a lower limit (tests/engine/executor/distributed_map_execution_test.cpp)."""
    from sluice_server import running_server
    from sfn_helpers import json10, sfn_client

    always_fails = {"F": {"Type": "Fail", "Error": "Item.Bad", "Cause": "bad item"}}
    with running_server(["--durability", "relaxed"]) as server:
        endpoint = server.endpoint
        sfn = sfn_client(endpoint)
        arn = sfn.create_state_machine(
            name="redrive-limit", roleArn=ROLE,
            definition=dmap(always_fails, start="F", execution_type="EXPRESS"))["stateMachineArn"]
        ex = sfn.start_execution(stateMachineArn=arn, input="[1]")["executionArn"]

        def ended():
            while True:
                status, d = json10(endpoint, "DescribeExecution", {"executionArn": ex})
                assert status == 200, d
                if d["status"] != "RUNNING":
                    return d
                time.sleep(0.001)

        assert ended()["error"] == "States.ExceedToleratedFailureThreshold"
        started = time.monotonic()
        for n in range(1, 1001):
            status, body = json10(endpoint, "RedriveExecution", {"executionArn": ex})
            assert status == 200, (n, body)
            d = ended()
            assert d["error"] == "States.ExceedToleratedFailureThreshold", (n, d)
        elapsed = time.monotonic() - started
        run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
        status, m = json10(endpoint, "DescribeMapRun", {"mapRunArn": run})
        assert m["redriveCount"] == 1000 and m["status"] == "FAILED", m

        # The 1,001st: the execution is redriven, its Map state is not.
        status, body = json10(endpoint, "RedriveExecution", {"executionArn": ex})
        assert status == 200, body
        d = ended()
        assert d["status"] == "FAILED" and d["error"] == "States.Runtime", d
        assert (f"The Map Run '{run}' was redriven 1000 times: the most a Map Run can be "
                "redriven is 1000.") in d["cause"], d
        assert d["redriveCount"] == 1001, d
        status, m = json10(endpoint, "DescribeMapRun", {"mapRunArn": run})
        assert m["redriveCount"] == 1000 and m["status"] == "FAILED", m
        events = sfn.get_execution_history(executionArn=ex, reverseOrder=True,
                                           maxResults=3)["events"]
        assert [e["type"] for e in events] == ["ExecutionFailed", "MapStateFailed",
                                               "ExecutionRedriven"], events
        print(f"1000 redrives in {elapsed:.1f} s")
