"""A Distributed Map survives kill -9: the parent resumes and asks for the same map run, whose
children (STANDARD, durable, named after the map run and the item) are followed where they exist
and started where they do not, so every item runs exactly once and the parent finishes with every
result, in item order."""

import json

from sfn_helpers import ROLE, definition, sfn_client, wait_finished, wait_until

ITEMS = 24

MACHINE = definition({
    "Fan": {"Type": "Map", "MaxConcurrency": 6, "Label": "Crash",
            "ItemSelector": {"i.$": "$$.Map.Item.Value"},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "W",
                "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
                           "P": {"Type": "Pass", "Parameters": {"done.$": "$.i"},
                                 "End": True}}},
            "End": True},
}, "Fan")


def children(sfn, map_run):
    return sfn.list_executions(mapRunArn=map_run, maxResults=1000)["executions"]


def test_kill_while_a_distributed_map_runs(servers, tmp_path):
    data = tmp_path / "data"
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    arn = sfn.create_state_machine(name="fan", definition=MACHINE,
                                   roleArn=ROLE)["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn, name="parent",
                             input=json.dumps(list(range(ITEMS))))["executionArn"]
    runs = wait_until(lambda: sfn.list_map_runs(executionArn=ex)["mapRuns"])
    map_run = runs[0]["mapRunArn"]
    # Kill once some children have finished and others run or wait their turn.
    assert wait_until(
        lambda: sfn.describe_map_run(mapRunArn=map_run)["executionCounts"]["succeeded"] >= 6,
        timeout=20)
    before = {c["name"]: c for c in children(sfn, map_run)}
    assert 6 <= len(before) < ITEMS, len(before)
    server.kill()

    server = servers(data)
    sfn = sfn_client(server.endpoint)
    d = wait_finished(sfn, ex, timeout=60)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == [{"done": i} for i in range(ITEMS)]

    after = children(sfn, map_run)
    names = [c["name"] for c in after]
    assert len(names) == ITEMS and len(set(names)) == ITEMS, names
    assert {c["status"] for c in after} == {"SUCCEEDED"}
    by_name = {c["name"]: c for c in after}
    for child_name, c in before.items():
        # Started before the kill: the same execution, not a second one.
        assert by_name[child_name]["executionArn"] == c["executionArn"]
        assert by_name[child_name]["startDate"] == c["startDate"], child_name
    for c in after:
        events = sfn.get_execution_history(executionArn=c["executionArn"])["events"]
        types = [e["type"] for e in events]
        assert types.count("ExecutionStarted") == 1 and types[-1] == "ExecutionSucceeded", types

    types = [e["type"] for e in sfn.get_execution_history(executionArn=ex,
                                                          maxResults=1000)["events"]]
    assert types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
                     "MapRunSucceeded", "MapStateSucceeded", "MapStateExited",
                     "ExecutionSucceeded"], types
    m = sfn.describe_map_run(mapRunArn=map_run)
    assert m["status"] == "SUCCEEDED" and m["executionCounts"]["succeeded"] == ITEMS, m

    # The map run of the finished parent is still there after another restart, rebuilt from the
    # parent's history and its children's records.
    server.kill()
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    again = sfn.describe_map_run(mapRunArn=map_run)
    assert again["status"] == "SUCCEEDED" and again["executionArn"] == ex, again
    assert again["executionCounts"]["succeeded"] == ITEMS
    assert again["executionCounts"]["total"] == ITEMS
    assert again["maxConcurrency"] == 6
    # The dates are those of MapRunStarted and (within the step that recorded it) MapRunSucceeded.
    assert again["startDate"] == m["startDate"] == runs[0]["startDate"], (m, again)
    assert abs((again["stopDate"] - m["stopDate"]).total_seconds()) < 1, (m, again)
    assert [r["mapRunArn"] for r in sfn.list_map_runs(executionArn=ex)["mapRuns"]] == [map_run]
    assert {c["name"] for c in children(sfn, map_run)} == set(names)
    assert server.stop() == 0
