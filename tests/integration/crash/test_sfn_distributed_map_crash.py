"""A Distributed Map survives kill -9: the parent resumes and asks for the same map run, whose
children (STANDARD, durable, named after the map run and the item) are followed where they exist
and started where they do not, so every item runs exactly once and the parent finishes with every
result, in item order. The same holds in the middle of a redrive of the map run: children
redriven before the kill are followed, not redriven twice, and those that succeeded the first time
are left alone."""

import json

from sfn_helpers import ROLE, definition, json10, sfn_client, wait_finished, wait_until

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


def started(servers, data, machine_name, machine, payload):
    """A server on `data`, a state machine, and its execution "parent" started with `payload`."""
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    arn = sfn.create_state_machine(name=machine_name, definition=machine,
                                   roleArn=ROLE)["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn, name="parent",
                             input=json.dumps(payload))["executionArn"]
    return server, sfn, ex


def finished_after_restart(servers, data, ex):
    """The server back on `data`; the parent then succeeds with every item's result, in order."""
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    d = wait_finished(sfn, ex, timeout=60)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == [{"done": i} for i in range(ITEMS)]
    return server, sfn


def test_kill_while_a_distributed_map_runs(servers, tmp_path):
    data = tmp_path / "data"
    server, sfn, ex = started(servers, data, "fan", MACHINE, list(range(ITEMS)))
    runs = wait_until(lambda: sfn.list_map_runs(executionArn=ex)["mapRuns"])
    map_run = runs[0]["mapRunArn"]
    # Kill once some children have finished and others run or wait their turn.
    assert wait_until(
        lambda: sfn.describe_map_run(mapRunArn=map_run)["executionCounts"]["succeeded"] >= 6,
        timeout=20)
    before = {c["name"]: c for c in children(sfn, map_run)}
    assert 6 <= len(before) < ITEMS, len(before)
    server.kill()

    server, sfn = finished_after_restart(servers, data, ex)

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


# Items 1 and 3 (among the first four, which start together) fail until their execution is
# redriven; every item waits 1 s first (so a kill finds some children redriven and running). A
# child that fails stops the others (no tolerance); items 4 and later never start the first time.
REDRIVE_MACHINE = definition({
    "Fan": {"Type": "Map", "MaxConcurrency": 4, "Label": "Again",
            "ItemSelector": {"i.$": "$$.Map.Item.Value"},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "W",
                "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
                           "P": {"Type": "Pass", "QueryLanguage": "JSONata", "End": True,
                                 "Output": "{% ($states.input.i in [1, 3] and "
                                           "$states.context.Execution.RedriveCount = 0) ? "
                                           "$error('odd') : {'done': $states.input.i} %}"}}},
            "End": True},
}, "Fan")


def test_kill_while_a_map_run_is_redriven(servers, tmp_path):
    data = tmp_path / "data"
    server, sfn, ex = started(servers, data, "again", REDRIVE_MACHINE, list(range(ITEMS)))
    d = wait_finished(sfn, ex, timeout=30)
    assert d["status"] == "FAILED", d
    map_run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    # The children the failed map run stopped have stopped.
    assert wait_until(lambda: all(c["status"] != "RUNNING" for c in children(sfn, map_run)))
    first = {c["name"]: c for c in children(sfn, map_run)}
    succeeded_first = {n for n, c in first.items() if c["status"] == "SUCCEEDED"}
    assert len(first) < ITEMS, first  # some never started

    status, body = json10(server.endpoint, "RedriveExecution", {"executionArn": ex})
    assert status == 200, body

    def redriven_and_done():
        status, m = json10(server.endpoint, "DescribeMapRun", {"mapRunArn": map_run})
        return m["executionCounts"]["succeeded"] >= len(succeeded_first) + 4
    assert wait_until(redriven_and_done, timeout=30)
    server.kill()

    server, sfn = finished_after_restart(servers, data, ex)
    after = children(sfn, map_run)
    assert len(after) == ITEMS and {c["status"] for c in after} == {"SUCCEEDED"}
    by_name = {c["name"]: c for c in after}
    for child_name, c in first.items():
        assert by_name[child_name]["executionArn"] == c["executionArn"]
    for c in after:
        events = sfn.get_execution_history(executionArn=c["executionArn"])["events"]
        types = [e["type"] for e in events]
        assert types.count("ExecutionStarted") == 1, types
        # Redriven at most once; never if it had succeeded before the redrive.
        assert types.count("ExecutionRedriven") == (0 if c["name"] in succeeded_first
                                                    or c["name"] not in first else 1), (c, types)
    types = [e["type"] for e in sfn.get_execution_history(executionArn=ex,
                                                          maxResults=1000)["events"]]
    assert types.count("ExecutionRedriven") == 1 and types.count("MapRunRedriven") == 1, types
    assert types[-4:] == ["MapRunSucceeded", "MapStateSucceeded", "MapStateExited",
                          "ExecutionSucceeded"], types
    status, m = json10(server.endpoint, "DescribeMapRun", {"mapRunArn": map_run})
    assert m["status"] == "SUCCEEDED" and m["redriveCount"] == 1, m
    assert m["executionCounts"]["succeeded"] == ITEMS, m
    assert server.stop() == 0


LIMITED = definition({
    "Fan": {"Type": "Map", "MaxConcurrencyPath": "$.mc", "ItemsPath": "$.items",
            "Label": "Limited",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                "StartAt": "W",
                "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}},
            "End": True},
}, "Fan")


def test_update_map_run_survives_a_restart(servers, tmp_path):
    data = tmp_path / "data"
    server, sfn, ex = started(servers, data, "limited", LIMITED,
                              {"mc": 1, "items": list(range(12))})
    map_run = wait_until(lambda: sfn.list_map_runs(executionArn=ex)["mapRuns"])[0]["mapRunArn"]
    sfn.update_map_run(mapRunArn=map_run, toleratedFailureCount=2,
                       toleratedFailurePercentage=25.5)
    server.kill()  # acknowledged: durable

    server = servers(data)
    sfn = sfn_client(server.endpoint)
    m = wait_until(lambda: sfn.describe_map_run(mapRunArn=map_run))
    # MaxConcurrency from the Path (the parent's history), the tolerance from UpdateMapRun.
    assert m["maxConcurrency"] == 1 and m["toleratedFailureCount"] == 2, m
    assert m["toleratedFailurePercentage"] == 25.5, m
    assert m["status"] == "RUNNING" and m["executionCounts"]["running"] <= 1, m
    sfn.update_map_run(mapRunArn=map_run, maxConcurrency=4)
    server.kill()

    server = servers(data)
    sfn = sfn_client(server.endpoint)
    m = wait_until(lambda: sfn.describe_map_run(mapRunArn=map_run))
    assert m["maxConcurrency"] == 4 and m["toleratedFailureCount"] == 2, m
    # The resumed map run obeys 4: more than one child at a time, never more than 4.
    seen = 0
    while sfn.describe_execution(executionArn=ex)["status"] == "RUNNING":
        running = sfn.describe_map_run(mapRunArn=map_run)["executionCounts"]["running"]
        assert running <= 4
        seen = max(seen, running)
    assert seen > 1
    assert wait_finished(sfn, ex, timeout=30)["status"] == "SUCCEEDED"

    # Ended, then rebuilt after another restart: the same limits.
    server.kill()
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    m = sfn.describe_map_run(mapRunArn=map_run)
    assert m["status"] == "SUCCEEDED" and m["maxConcurrency"] == 4, m
    assert m["toleratedFailureCount"] == 2 and m["toleratedFailurePercentage"] == 25.5, m
    assert server.stop() == 0


EXPRESS_CHILDREN = definition({
    "Fan": {"Type": "Map", "Label": "Quick", "ToleratedFailureCount": 1,
            "ItemBatcher": {"MaxItemsPerBatch": 2},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "C",
                "States": {"C": {"Type": "Choice",
                                 "Choices": [{"Variable": "$.Items[0]", "NumericEquals": 0,
                                              "Next": "F"}],
                                 "Default": "P"},
                           "F": {"Type": "Fail", "Error": "Zero"},
                           "P": {"Type": "Pass", "End": True}}},
            "End": True},
}, "Fan")


def test_an_ended_map_run_of_express_children_is_described_after_a_restart(servers, tmp_path):
    data = tmp_path / "data"
    server, sfn, ex = started(servers, data, "quick", EXPRESS_CHILDREN, list(range(5)))
    assert wait_finished(sfn, ex)["status"] == "SUCCEEDED"
    map_run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    status, before = json10(server.endpoint, "DescribeMapRun", {"mapRunArn": map_run})
    assert status == 200 and before["status"] == "SUCCEEDED", before
    assert before["executionCounts"]["failed"] == 1 and before["itemCounts"]["total"] == 5
    server.kill()

    server = servers(data)
    status, after = json10(server.endpoint, "DescribeMapRun", {"mapRunArn": map_run})
    assert status == 200, after
    for key in ("executionArn", "status", "startDate", "stopDate", "maxConcurrency",
                "toleratedFailureCount", "toleratedFailurePercentage", "itemCounts",
                "executionCounts", "redriveCount"):
        assert after[key] == before[key], (key, before, after)
    status, runs = json10(server.endpoint, "ListMapRuns", {"executionArn": ex})
    assert [r["mapRunArn"] for r in runs["mapRuns"]] == [map_run], runs
    assert server.stop() == 0


# Each item's child sends {"i": I} to the queue the item names: a child whose queue does not exist
# fails. MaxConcurrency 1 runs them in item order, so items 0 and 1 succeed and item 2 fails the
# map run (no tolerance).
SEND_EACH = definition({
    "Fan": {"Type": "Map", "MaxConcurrency": 1, "Label": "Send",
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "S",
                "States": {"S": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                                 "Parameters": {"QueueUrl.$": "$.q",
                                                "MessageBody.$": "States.JsonToString($)"},
                                 "ResultSelector": {"id.$": "$.MessageId"},
                                 "End": True}}},
            "End": True},
}, "Fan")


def drain(sqs, url):
    """Every message in the queue (received and deleted)."""
    bodies, idle = [], 0
    while idle < 2:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                  WaitTimeSeconds=1).get("Messages", [])
        idle = idle + 1 if not got else 0
        for m in got:
            bodies.append((json.loads(m["Body"])["i"], m["MessageId"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return sorted(bodies)


def test_a_redrive_after_a_restart_keeps_the_express_children_that_succeeded(servers, tmp_path):
    """EXPRESS children live in memory; their map run's summary keeps, durably, which succeeded and
    their results. After kill -9, a redrive of the parent runs only the child that failed: the
    ones that succeeded do not send again, and their results are those of before the kill."""
    from sfn_helpers import aws_client

    data = tmp_path / "data"
    server = servers(data)
    sqs = aws_client("sqs", server.endpoint)
    sent = sqs.create_queue(QueueName="sent")["QueueUrl"]
    late = sent.replace("/sent", "/late")  # created only before the redrive
    items = [{"i": 0, "q": sent}, {"i": 1, "q": sent}, {"i": 2, "q": late}]
    sfn = sfn_client(server.endpoint)
    arn = sfn.create_state_machine(name="send-each", definition=SEND_EACH,
                                   roleArn=ROLE)["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn, name="parent",
                             input=json.dumps(items))["executionArn"]
    d = wait_finished(sfn, ex, timeout=30)
    assert d["status"] == "FAILED" and d["error"] == "States.ExceedToleratedFailureThreshold", d
    map_run = sfn.list_map_runs(executionArn=ex)["mapRuns"][0]["mapRunArn"]
    first = drain(sqs, sent)
    assert [i for i, _ in first] == [0, 1], first
    server.kill()

    server = servers(data)
    sqs = aws_client("sqs", server.endpoint)
    sfn = sfn_client(server.endpoint)
    sqs.create_queue(QueueName="late")
    status, body = json10(server.endpoint, "RedriveExecution", {"executionArn": ex})
    assert status == 200, body
    d = wait_finished(sfn, ex, timeout=30)
    assert d["status"] == "SUCCEEDED", d
    late_sent = drain(sqs, late)
    assert [i for i, _ in late_sent] == [2], late_sent
    # Items 0 and 1 did not run again; their results are the messages they sent before the kill.
    assert drain(sqs, sent) == []
    assert json.loads(d["output"]) == [{"id": first[0][1]}, {"id": first[1][1]},
                                       {"id": late_sent[0][1]}]
    status, m = json10(server.endpoint, "DescribeMapRun", {"mapRunArn": map_run})
    assert status == 200 and m["status"] == "SUCCEEDED" and m["redriveCount"] == 1, m
    assert m["executionCounts"]["succeeded"] == 3 and m["executionCounts"]["total"] == 3, m
    assert server.stop() == 0
