"""SQS queue targets: filter-and-route between queues. Each event becomes one message whose body
is the event as JSON (or the rendered InputTemplate); a FIFO target takes MessageGroupId (and
MessageDeduplicationId) as literals or JSON paths into the event."""

import json

from pipes_helpers import drain, queue_empty, send_all, wait_until


def drained(sqs, url, n, timeout=10.0):
    """Waits until `n` messages were received from url (deleting them); returns them."""
    got = []

    def enough():
        got.extend(drain(sqs, url))
        return len(got) >= n
    wait_until(enough, timeout, what=f"{n} messages in {url}")
    return got


def test_filter_and_route_to_a_queue(pipes, sqs, make_queue, make_pipe):
    url, source = make_queue()
    target_url, target = make_queue("routed")
    name, _ = make_pipe(source, target, DesiredState="STOPPED", SourceParameters={
        "FilterCriteria": {"Filters": [{"Pattern": json.dumps({"body": {"route": ["b"]}})}]}})
    bodies = [json.dumps({"route": r, "n": i}) for i, r in enumerate(["a", "b", "b", "c"])]
    ids = send_all(sqs, url, bodies, MessageAttributes={
        "k": {"DataType": "String", "StringValue": "v"}})
    pipes.start_pipe(Name=name)

    got = drained(sqs, target_url, 2)
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    events = sorted((json.loads(m["Body"]) for m in got), key=lambda e: e["body"])
    assert [e["messageId"] for e in events] == [ids[1], ids[2]]
    assert [e["body"] for e in events] == [bodies[1], bodies[2]]  # the raw string, as sent
    for e in events:
        assert e["eventSource"] == "aws:sqs"
        assert e["eventSourceARN"] == source
        assert e["messageAttributes"]["k"]["stringValue"] == "v"
        assert e["attributes"]["ApproximateReceiveCount"] == "1"
    assert drain(sqs, target_url) == []


def test_template_makes_the_message_body(sqs, make_queue, make_pipe):
    url, source = make_queue()
    target_url, target = make_queue("routed")
    name, _ = make_pipe(source, target, TargetParameters={
        "InputTemplate": "order <$.body.orderId> for <$.body.who> via <aws.pipes.pipe-name>"})
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"orderId": 12, "who": "Ann"}))
    [m] = drained(sqs, target_url, 1)
    assert m["Body"] == f"order 12 for Ann via {name}"


def test_fifo_target_with_group_and_deduplication_from_the_event(pipes, sqs, make_queue,
                                                                 make_pipe):
    url, source = make_queue()
    target_url, target = make_queue("routed", fifo=True)
    parameters = {"SqsQueueParameters": {"MessageGroupId": "$.body.customer",
                                         "MessageDeduplicationId": "$.messageId"}}
    name, _ = make_pipe(source, target, TargetParameters=parameters)
    assert pipes.describe_pipe(Name=name)["TargetParameters"] == parameters
    ids = send_all(sqs, url, [json.dumps({"customer": c, "n": i})
                              for i, c in enumerate(["ann", "bo", "ann"])])
    got = drained(sqs, target_url, 3)
    by_source = {json.loads(m["Body"])["messageId"]: m for m in got}
    assert set(by_source) == set(ids)
    assert [by_source[i]["Attributes"]["MessageGroupId"] for i in ids] == ["ann", "bo", "ann"]
    assert [by_source[i]["Attributes"]["MessageDeduplicationId"] for i in ids] == ids


def test_fifo_to_fifo_keeps_groups_in_order(pipes, sqs, make_queue, make_pipe):
    url, source = make_queue(fifo=True)
    target_url, target = make_queue("routed", fifo=True)
    name, _ = make_pipe(source, target, DesiredState="STOPPED", TargetParameters={
        "InputTemplate": "<$.body>",
        "SqsQueueParameters": {"MessageGroupId": "$.attributes.MessageGroupId",
                               "MessageDeduplicationId": "$.messageId"}})
    expected = {"g1": [], "g2": []}
    for i in range(4):
        for g in expected:
            body = f"{g}-{i}"
            sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=g,
                             MessageDeduplicationId=body)
            expected[g].append(body)
    pipes.start_pipe(Name=name)

    got = drained(sqs, target_url, 8)
    by_group = {"g1": [], "g2": []}
    for m in got:
        by_group[m["Attributes"]["MessageGroupId"]].append(m["Body"])
    assert by_group == expected
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")


def test_fixed_group_id(sqs, make_queue, make_pipe):
    url, source = make_queue()
    target_url, target = make_queue("routed", fifo=True, ContentBasedDeduplication="true")
    make_pipe(source, target, TargetParameters={"SqsQueueParameters": {"MessageGroupId": "all"}})
    sqs.send_message(QueueUrl=url, MessageBody="x")
    [m] = drained(sqs, target_url, 1)
    assert m["Attributes"]["MessageGroupId"] == "all"
    assert json.loads(m["Body"])["body"] == "x"
