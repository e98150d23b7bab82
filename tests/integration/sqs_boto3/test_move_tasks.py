"""Message move tasks (dead-letter queue redrive) through boto3 (query protocol; conftest adds the
three actions to Debian's older botocore model): back to each message's source queue or to a
DestinationArn, MaxNumberOfMessagesPerSecond, cancellation, listing, the errors, and a task that
survives a restart."""

import base64
import json
import time

import pytest

from conftest import sqs_client
from sluice_server import SluiceServer
from sqs_helpers import ACCOUNT, REGION, raises_sqs_error


def arn_of(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]


def dead_letter(sqs, source_url, bodies):
    """Sends `bodies` to a source queue whose maxReceiveCount is 1 and receives until they all
    moved to its dead-letter queue."""
    for i in range(0, len(bodies), 10):
        sqs.send_message_batch(QueueUrl=source_url, Entries=[
            {"Id": str(j), "MessageBody": b} for j, b in enumerate(bodies[i:i + 10])])
    for _ in range(100):
        got = sqs.receive_message(QueueUrl=source_url, MaxNumberOfMessages=10,
                                  VisibilityTimeout=0).get("Messages", [])
        attrs = sqs.get_queue_attributes(QueueUrl=source_url, AttributeNames=["All"])["Attributes"]
        if not got and attrs["ApproximateNumberOfMessages"] == "0" and \
                attrs["ApproximateNumberOfMessagesNotVisible"] == "0":
            return
    raise AssertionError("messages did not reach the dead-letter queue")


def drain(sqs, url):
    bodies = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60,
                                  AttributeNames=["All"]).get("Messages", [])
        if not got:
            return bodies
        bodies += [m["Body"] for m in got]


def wait_for_status(sqs, dlq_arn, statuses, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        [task] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
        if task["Status"] in statuses or time.monotonic() > deadline:
            return task
        time.sleep(0.05)


@pytest.fixture
def queues(sqs, make_queue):
    """(dlq url, dlq arn, source url, source arn): source's RedrivePolicy names dlq, count 1."""
    dlq_url = make_queue()
    dlq_arn = arn_of(sqs, dlq_url)
    src_url = make_queue(Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})
    return dlq_url, dlq_arn, src_url, arn_of(sqs, src_url)


def test_move_back_to_each_source(sqs, make_queue, queues):
    dlq_url, dlq_arn, src_url, src_arn = queues
    other_url = make_queue(Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})
    dead_letter(sqs, src_url, ["a1", "a2", "a3"])
    dead_letter(sqs, other_url, ["b1"])
    handle = sqs.start_message_move_task(SourceArn=dlq_arn)["TaskHandle"]
    assert handle
    task = wait_for_status(sqs, dlq_arn, {"COMPLETED"})
    assert task["Status"] == "COMPLETED"
    assert task["SourceArn"] == dlq_arn
    assert "DestinationArn" not in task and "TaskHandle" not in task
    assert task["ApproximateNumberOfMessagesMoved"] == 4
    assert task["ApproximateNumberOfMessagesToMove"] == 4
    assert abs(task["StartedTimestamp"] / 1000 - time.time()) < 60
    assert sorted(drain(sqs, src_url)) == ["a1", "a2", "a3"]
    assert drain(sqs, other_url) == ["b1"]
    assert drain(sqs, dlq_url) == []


def test_redriven_messages_are_new_messages(sqs, queues):
    dlq_url, dlq_arn, src_url, _ = queues
    dead_letter(sqs, src_url, ["x"])
    [dead] = sqs.receive_message(QueueUrl=dlq_url, AttributeNames=["All"])["Messages"]
    sqs.change_message_visibility(QueueUrl=dlq_url, ReceiptHandle=dead["ReceiptHandle"],
                                  VisibilityTimeout=0)
    sqs.start_message_move_task(SourceArn=dlq_arn)
    wait_for_status(sqs, dlq_arn, {"COMPLETED"})
    [back] = sqs.receive_message(QueueUrl=src_url, AttributeNames=["All"])["Messages"]
    assert back["Body"] == "x"
    assert back["MessageId"] != dead["MessageId"]
    assert back["Attributes"]["ApproximateReceiveCount"] == "1"
    assert "DeadLetterQueueSourceArn" not in back["Attributes"]


def test_move_to_a_destination(sqs, make_queue, queues):
    dlq_url, dlq_arn, src_url, _ = queues
    dest_url = make_queue()
    dest_arn = arn_of(sqs, dest_url)
    dead_letter(sqs, src_url, [f"m{i}" for i in range(15)])
    sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn)
    task = wait_for_status(sqs, dlq_arn, {"COMPLETED"})
    assert task["DestinationArn"] == dest_arn
    assert task["ApproximateNumberOfMessagesMoved"] == 15
    assert sorted(drain(sqs, dest_url)) == sorted(f"m{i}" for i in range(15))
    assert drain(sqs, src_url) == [] and drain(sqs, dlq_url) == []


def test_rate_limit_and_cancel(sqs, make_queue, queues):
    dlq_url, dlq_arn, src_url, _ = queues
    dest_url = make_queue()
    dead_letter(sqs, src_url, [f"m{i}" for i in range(6)])
    started = time.monotonic()
    handle = sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, dest_url),
                                         MaxNumberOfMessagesPerSecond=2)["TaskHandle"]
    time.sleep(1.2)
    [running] = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)["Results"]
    assert running["Status"] == "RUNNING"
    assert running["TaskHandle"] == handle
    assert running["MaxNumberOfMessagesPerSecond"] == 2
    # Two a second: after 1.2 s at most 3 (one at the start, one at 0.5 s, one at 1 s).
    assert 1 <= running["ApproximateNumberOfMessagesMoved"] <= 3
    moved = sqs.cancel_message_move_task(TaskHandle=handle)["ApproximateNumberOfMessagesMoved"]
    elapsed = time.monotonic() - started
    assert moved <= 2 * elapsed + 1
    task = wait_for_status(sqs, dlq_arn, {"CANCELLED"})
    assert task["Status"] == "CANCELLED"
    assert "TaskHandle" not in task
    assert task["ApproximateNumberOfMessagesMoved"] == moved
    time.sleep(0.7)
    in_dest, left = drain(sqs, dest_url), drain(sqs, dlq_url)
    assert len(in_dest) == moved
    assert sorted(in_dest + left) == sorted(f"m{i}" for i in range(6))
    with raises_sqs_error("ResourceNotFoundException", status=404):
        sqs.cancel_message_move_task(TaskHandle=handle)


def test_unlimited_rate_moves_a_backlog_quickly(sqs, make_queue, queues):
    dlq_url, dlq_arn, src_url, _ = queues
    dest_url = make_queue()
    dead_letter(sqs, src_url, [f"m{i}" for i in range(200)])
    started = time.monotonic()
    sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, dest_url))
    task = wait_for_status(sqs, dlq_arn, {"COMPLETED"})
    assert task["ApproximateNumberOfMessagesMoved"] == 200
    assert time.monotonic() - started < 5
    attrs = sqs.get_queue_attributes(QueueUrl=dest_url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "200"


def test_start_errors(sqs, sluice, make_queue, queues):
    dlq_url, dlq_arn, src_url, src_arn = queues
    plain_arn = arn_of(sqs, make_queue())
    missing = f"arn:aws:sqs:{REGION}:{ACCOUNT}:no-such-queue-mt"
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.start_message_move_task(SourceArn=plain_arn)
    assert info.value.response["Error"]["Message"] == \
        "Source queue must be configured as a Dead Letter Queue."
    with raises_sqs_error("ResourceNotFoundException", status=404):
        sqs.start_message_move_task(SourceArn=missing)
    with raises_sqs_error("ResourceNotFoundException", status=404):
        sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=missing)
    with raises_sqs_error("InvalidParameterValue"):
        sqs.start_message_move_task(SourceArn="not-an-arn")
    for rate in (0, 501):
        with raises_sqs_error("InvalidParameterValue"):
            sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=rate)
    dead_letter(sqs, src_url, ["a", "b", "c"])
    sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.start_message_move_task(SourceArn=dlq_arn)
    assert "Only one active task is allowed" in info.value.response["Error"]["Message"]


def test_list_and_cancel_errors(sqs, queues):
    _, dlq_arn, _, _ = queues
    assert sqs.list_message_move_tasks(SourceArn=dlq_arn).get("Results", []) == []
    for bad in (0, 11):
        with raises_sqs_error("InvalidParameterValue"):
            sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=bad)
    with raises_sqs_error("ResourceNotFoundException", status=404):
        sqs.list_message_move_tasks(SourceArn=f"arn:aws:sqs:{REGION}:{ACCOUNT}:no-such-q")
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.cancel_message_move_task(TaskHandle="garbage")
    assert info.value.response["Error"]["Message"] == "Value for parameter TaskHandle is invalid."
    unknown = base64.b64encode(json.dumps(
        {"taskId": "00000000-0000-4000-8000-000000000000", "sourceArn": dlq_arn}).encode()).decode()
    with raises_sqs_error("ResourceNotFoundException", status=404) as info:
        sqs.cancel_message_move_task(TaskHandle=unknown)
    assert info.value.response["Error"]["Message"] == "Task does not exist."


def test_list_shows_the_newest_tasks_first(sqs, make_queue, queues):
    _, dlq_arn, src_url, _ = queues
    dest_arn = arn_of(sqs, make_queue())
    dead_letter(sqs, src_url, ["only"])
    for _ in range(3):
        sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=dest_arn)
        wait_for_status(sqs, dlq_arn, {"COMPLETED"})
        time.sleep(0.01)
    tasks = sqs.list_message_move_tasks(SourceArn=dlq_arn, MaxResults=10)["Results"]
    assert len(tasks) == 3
    assert [t["ApproximateNumberOfMessagesMoved"] for t in tasks] == [0, 0, 1]
    stamps = [t["StartedTimestamp"] for t in tasks]
    assert stamps == sorted(stamps, reverse=True)
    assert len(sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]) == 1


def test_a_task_resumes_after_a_restart(tmp_path):
    """SIGTERM in the middle of a rate-limited task: after the restart it finishes, every message
    moved exactly once."""
    data_dir = tmp_path / "data"
    server = SluiceServer(data_dir=data_dir).start()
    try:
        sqs = sqs_client(server.endpoint)
        dlq_url = sqs.create_queue(QueueName="mt-dlq")["QueueUrl"]
        dlq_arn = arn_of(sqs, dlq_url)
        src_url = sqs.create_queue(QueueName="mt-src", Attributes={"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})["QueueUrl"]
        dest_url = sqs.create_queue(QueueName="mt-dest")["QueueUrl"]
        bodies = [f"m{i}" for i in range(8)]
        dead_letter(sqs, src_url, bodies)
        sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, dest_url),
                                    MaxNumberOfMessagesPerSecond=4)
        time.sleep(0.6)
        assert server.stop() == 0
        server = SluiceServer(data_dir=data_dir).start()
        sqs = sqs_client(server.endpoint)
        before = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
        assert before["Status"] in ("RUNNING", "COMPLETED")
        assert before["ApproximateNumberOfMessagesMoved"] < 8
        task = wait_for_status(sqs, dlq_arn, {"COMPLETED"})
        assert task["ApproximateNumberOfMessagesMoved"] == 8
        assert task["ApproximateNumberOfMessagesToMove"] == 8
        assert sorted(drain(sqs, dest_url)) == sorted(bodies)
        assert drain(sqs, dlq_url) == []
        assert server.stop() == 0
    finally:
        server.cleanup()
