"""The admin API (/_sluice/) against the real server: listing a queue's messages without receiving
them, resets, and its errors. What the listing shows is checked against what SQS itself answers
afterwards (the receive counts, that the messages are still receivable)."""

import hashlib
import json
import time
import urllib.request

import pytest

ROLE = "arn:aws:iam::000000000000:role/admin-tests"
PASS_MACHINE = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}})
WAIT_MACHINE = json.dumps({"StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 3600, "End": True}}})
# A Distributed Map whose STANDARD children wait an hour.
DISTRIBUTED_WAIT_MACHINE = json.dumps({"StartAt": "Each", "States": {"Each": {
    "Type": "Map", "ItemsPath": "$.items", "End": True,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                      "StartAt": "Hold", "States": {
                          "Hold": {"Type": "Wait", "Seconds": 3600, "End": True}}}}}})


def wait_for_map_run_children(sfn, parent, count, timeout=10):
    """The map run of `parent` once `count` of its children run; returns its ARN."""
    deadline = time.monotonic() + timeout
    while True:
        runs = sfn.list_map_runs(executionArn=parent)["mapRuns"]
        if runs:
            arn = runs[0]["mapRunArn"]
            children = sfn.list_executions(mapRunArn=arn)["executions"]
            if len(children) == count:
                return arn
        assert time.monotonic() < deadline, f"{count} children of {parent} did not start"
        time.sleep(0.05)


def messages_path(name, query=""):
    return f"/_sluice/queues/{name}/messages" + (f"?{query}" if query else "")


def test_listing_shows_messages_without_receiving_them(admin, sqs):
    url = sqs.create_queue(QueueName="peek-standard")["QueueUrl"]
    sent = [sqs.send_message(QueueUrl=url, MessageBody=f"body-{i}",
                             MessageAttributes={"kind": {"DataType": "String",
                                                         "StringValue": f"k{i}"},
                                                "blob": {"DataType": "Binary",
                                                         "BinaryValue": b"\x00\x01"}})
            for i in range(3)]
    before_ms = int(time.time() * 1000)

    for _ in range(2):  # looking twice changes nothing
        status, body = admin("GET", messages_path("peek-standard"))
        assert status == 200, body
        assert body["queue"] == "peek-standard"
        assert "nextToken" not in body
        listed = body["messages"]
        assert [m["MessageId"] for m in listed] == [s["MessageId"] for s in sent]
        for i, m in enumerate(listed):
            assert m["Body"] == f"body-{i}"
            assert m["MD5OfBody"] == hashlib.md5(f"body-{i}".encode()).hexdigest()
            assert m["State"] == "visible"
            assert m["Attributes"]["ApproximateReceiveCount"] == "0"
            assert "ApproximateFirstReceiveTimestamp" not in m["Attributes"]
            assert abs(int(m["Attributes"]["SentTimestamp"]) - before_ms) < 60_000
            assert m["MessageAttributes"]["kind"] == {"DataType": "String",
                                                      "StringValue": f"k{i}"}
            assert m["MessageAttributes"]["blob"] == {"DataType": "Binary", "BinaryValue": "AAE="}

    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"],
                              WaitTimeSeconds=1)["Messages"]
    assert sorted(m["Body"] for m in got) == ["body-0", "body-1", "body-2"]
    assert {m["Attributes"]["ApproximateReceiveCount"] for m in got} == {"1"}


def test_an_in_flight_message_shows_its_state_and_receive_count(admin, sqs):
    url = sqs.create_queue(QueueName="peek-inflight")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="taken")
    sqs.send_message(QueueUrl=url, MessageBody="waiting", DelaySeconds=600)
    got = sqs.receive_message(QueueUrl=url, VisibilityTimeout=300, AttributeNames=["All"])
    first_receive = got["Messages"][0]["Attributes"]["ApproximateFirstReceiveTimestamp"]

    status, body = admin("GET", messages_path("peek-inflight"))
    assert status == 200, body
    by_body = {m["Body"]: m for m in body["messages"]}
    taken, waiting = by_body["taken"], by_body["waiting"]
    assert taken["State"] == "in_flight"
    assert taken["Attributes"]["ApproximateReceiveCount"] == "1"
    assert taken["Attributes"]["ApproximateFirstReceiveTimestamp"] == first_receive
    assert taken["VisibleAtTimestamp"] > int(time.time() * 1000) + 200_000
    assert waiting["State"] == "delayed"
    assert waiting["Attributes"]["ApproximateReceiveCount"] == "0"

    # Still in flight for SQS too, and the queue's counts agree.
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "1"
    assert attrs["ApproximateNumberOfMessagesDelayed"] == "1"
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)


def test_fifo_messages_carry_group_sequence_and_deduplication(admin, sqs):
    url = sqs.create_queue(QueueName="peek.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    sent = sqs.send_message(QueueUrl=url, MessageBody="first", MessageGroupId="g1",
                            MessageDeduplicationId="d1")
    status, body = admin("GET", messages_path("peek.fifo"))
    assert status == 200, body
    [m] = body["messages"]
    assert m["Attributes"]["MessageGroupId"] == "g1"
    assert m["Attributes"]["MessageDeduplicationId"] == "d1"
    assert m["Attributes"]["SequenceNumber"] == sent["SequenceNumber"]


def test_paging_walks_every_message_once(admin, sqs):
    url = sqs.create_queue(QueueName="peek-paging")["QueueUrl"]
    for start in range(0, 25, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"m{i:02d}"} for i in range(start, min(start + 10, 25))])

    seen, query, pages = [], "limit=7", 0
    while True:
        status, body = admin("GET", messages_path("peek-paging", query))
        assert status == 200, body
        pages += 1
        assert len(body["messages"]) == (7 if "nextToken" in body else 25 - 21)
        seen += [m["Body"] for m in body["messages"]]
        if "nextToken" not in body:
            break
        query = f"limit=7&after={body['nextToken']}"
    assert pages == 4
    assert sorted(seen) == [f"m{i:02d}" for i in range(25)]
    assert len(set(seen)) == 25

    status, body = admin("GET", messages_path("peek-paging"))
    assert len(body["messages"]) == 25  # default limit 100


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "limit=x", "after=abc"])
def test_bad_paging_is_a_400(admin, sqs, query):
    sqs.create_queue(QueueName="peek-bad-paging")
    status, body = admin("GET", messages_path("peek-bad-paging", query))
    assert status == 400
    assert body["error"] == "InvalidParameter"
    assert body["message"]


def test_unknown_queue_and_paths_are_404s(admin):
    status, body = admin("GET", messages_path("no-such-queue"))
    assert (status, body["error"]) == (404, "QueueDoesNotExist")
    assert "no-such-queue" in body["message"]
    status, body = admin("POST", "/_sluice/queues/no-such-queue/reset")
    assert (status, body["error"]) == (404, "QueueDoesNotExist")
    status, body = admin("POST", "/_sluice/state-machines/no-such-machine/reset")
    assert (status, body["error"]) == (404, "StateMachineDoesNotExist")
    status, body = admin("GET", "/_sluice/nothing-here")
    assert (status, body["error"]) == (404, "NotFound")
    status, body = admin("GET", "/_sluice/reset")
    assert (status, body["error"]) == (405, "MethodNotAllowed")


def test_queue_reset_purges_without_the_purge_interval(admin, sqs):
    url = sqs.create_queue(QueueName="reset-one")["QueueUrl"]
    other = sqs.create_queue(QueueName="reset-other")["QueueUrl"]
    sqs.send_message(QueueUrl=other, MessageBody="kept")
    for round_ in range(2):  # twice within a minute: PurgeQueue would refuse the second
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": f"r{round_}-{i}"} for i in range(3)])
        sqs.receive_message(QueueUrl=url, VisibilityTimeout=300)  # one in flight
        status, body = admin("POST", "/_sluice/queues/reset-one/reset")
        assert status == 200, body
        assert body == {"reset": "queue", "purgedMessages": 3}
        status, body = admin("GET", messages_path("reset-one"))
        assert body["messages"] == []
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0"
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "0"
    sqs.send_message(QueueUrl=url, MessageBody="after")
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in got] == ["after"]
    assert [m["Body"] for m in admin("GET", messages_path("reset-other"))[1]["messages"]] == [
        "kept"]


def test_state_machine_reset_stops_and_deletes_its_executions(admin, sfn):
    hold = sfn.create_state_machine(name="hold", definition=WAIT_MACHINE,
                                    roleArn=ROLE)["stateMachineArn"]
    other = sfn.create_state_machine(name="other-hold", definition=WAIT_MACHINE,
                                     roleArn=ROLE)["stateMachineArn"]
    runs = [sfn.start_execution(stateMachineArn=hold)["executionArn"] for _ in range(2)]
    untouched = sfn.start_execution(stateMachineArn=other)["executionArn"]

    status, body = admin("POST", "/_sluice/state-machines/hold/reset")
    assert status == 200, body
    assert body == {"reset": "stateMachine", "stoppedExecutions": 2, "deletedExecutions": 2}
    for arn in runs:
        with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
            sfn.describe_execution(executionArn=arn)
    assert sfn.list_executions(stateMachineArn=hold)["executions"] == []
    assert sfn.describe_execution(executionArn=untouched)["status"] == "RUNNING"
    assert sfn.describe_state_machine(stateMachineArn=hold)["status"] == "ACTIVE"
    # The machine runs again as before.
    again = sfn.start_execution(stateMachineArn=hold)["executionArn"]
    assert [e["executionArn"] for e in sfn.list_executions(stateMachineArn=hold)["executions"]] \
        == [again]


def test_reset_everything_empties_every_list(admin, sqs, sfn, pipes):
    source = sqs.create_queue(QueueName="all-source")["QueueUrl"]
    target = sqs.create_queue(QueueName="all-target")["QueueUrl"]
    sqs.create_queue(QueueName="all.fifo", Attributes={"FifoQueue": "true"})
    sqs.send_message(QueueUrl=source, MessageBody="x")
    arn = lambda u: sqs.get_queue_attributes(QueueUrl=u, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    pipes.create_pipe(Name="all-pipe", Source=arn(source), Target=arn(target), RoleArn=ROLE)
    sfn.create_state_machine(name="all-pass", definition=PASS_MACHINE, roleArn=ROLE)
    hold = sfn.create_state_machine(name="all-hold", definition=WAIT_MACHINE,
                                    roleArn=ROLE)["stateMachineArn"]
    running = sfn.start_execution(stateMachineArn=hold)["executionArn"]
    mapper = sfn.create_state_machine(name="all-map", definition=DISTRIBUTED_WAIT_MACHINE,
                                      roleArn=ROLE)["stateMachineArn"]
    parent = sfn.start_execution(stateMachineArn=mapper, input='{"items": [1, 2]}')["executionArn"]
    map_run = wait_for_map_run_children(sfn, parent, 2)
    sfn.create_activity(name="all-activity")

    status, body = admin("POST", "/_sluice/reset")
    assert status == 200, body
    # The executions: the Wait one, the map's parent and its 2 children.
    assert body == {"reset": "all", "pipes": 1, "stateMachines": 3, "activities": 1, "queues": 3,
                    "executions": 4}

    assert sqs.list_queues().get("QueueUrls", []) == []
    assert sfn.list_state_machines()["stateMachines"] == []
    assert sfn.list_activities()["activities"] == []
    assert pipes.list_pipes()["Pipes"] == []
    for arn in (running, parent):
        with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
            sfn.describe_execution(executionArn=arn)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_map_run(mapRunArn=map_run)
    # A machine made again under an old name has none of the old executions.
    hold = sfn.create_state_machine(name="all-hold", definition=WAIT_MACHINE,
                                    roleArn=ROLE)["stateMachineArn"]
    assert sfn.list_executions(stateMachineArn=hold)["executions"] == []
    sfn.delete_state_machine(stateMachineArn=hold)

    # Everything can be made again under the same names at once.
    again = sqs.create_queue(QueueName="all-source")["QueueUrl"]
    assert admin("GET", messages_path("all-source"))[1]["messages"] == []
    sqs.send_message(QueueUrl=again, MessageBody="new")
    sfn.create_state_machine(name="all-pass", definition=PASS_MACHINE, roleArn=ROLE)

    status, body = admin("POST", "/_sluice/reset")
    assert body == {"reset": "all", "pipes": 0, "stateMachines": 1, "activities": 0, "queues": 1,
                    "executions": 0}



def test_reset_executions_stay_deleted_after_kill_and_restart(tmp_path):
    """The deletion is durable: after a reset and a kill -9, the restarted server neither lists nor
    resumes the executions it had (a resumed one would show RUNNING again)."""
    from sfn_helpers import aws_client
    from sluice_server import SluiceServer

    def reset(endpoint):
        request = urllib.request.Request(endpoint + "/_sluice/reset", method="POST", data=b"")
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    server = SluiceServer(data_dir=tmp_path / "data").start()
    try:
        sfn = aws_client("stepfunctions", server.endpoint)
        hold = sfn.create_state_machine(name="kept-hold", definition=WAIT_MACHINE,
                                        roleArn=ROLE)["stateMachineArn"]
        mapper = sfn.create_state_machine(name="kept-map", definition=DISTRIBUTED_WAIT_MACHINE,
                                          roleArn=ROLE)["stateMachineArn"]
        runs = [sfn.start_execution(stateMachineArn=hold)["executionArn"] for _ in range(3)]
        parent = sfn.start_execution(stateMachineArn=mapper,
                                     input='{"items": [1, 2, 3]}')["executionArn"]
        wait_for_map_run_children(sfn, parent, 3)
        assert reset(server.endpoint)["executions"] == 7

        server.kill()
        server.start()
        sfn = aws_client("stepfunctions", server.endpoint)
        for arn in runs + [parent]:
            with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
                sfn.describe_execution(executionArn=arn)
        for name, definition in (("kept-hold", WAIT_MACHINE),
                                 ("kept-map", DISTRIBUTED_WAIT_MACHINE)):
            arn = sfn.create_state_machine(name=name, definition=definition,
                                           roleArn=ROLE)["stateMachineArn"]
            assert sfn.list_executions(stateMachineArn=arn)["executions"] == []
        body = reset(server.endpoint)
        assert body["executions"] == 0 and body["stateMachines"] == 2
    finally:
        server.stop()
        server.cleanup()
