"""FIFO queues with dead-letter queues and message move tasks, through boto3 (query protocol): the
same-type rule for RedrivePolicy and move task destinations, the dead-letter move from a FIFO
source (group kept, a new SequenceNumber, the deduplication id replaced by the MessageId, the rest
of the group delivered), and move tasks that bring groups back in order."""

import json
import time

import pytest

from sqs_helpers import raises_sqs_error
from test_move_tasks import wait_for_status


def arn_of(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]


def redrive(dlq_arn, max_receives=1):
    return json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receives})


@pytest.fixture
def fifo(make_queue, unique_name):
    """fifo(**attributes) -> the URL of a new FIFO queue."""

    def make(**attributes):
        return make_queue(unique_name() + ".fifo", Attributes={"FifoQueue": "true", **attributes})

    return make


@pytest.fixture
def pair(sqs, fifo):
    """(source url, dead-letter queue url, dead-letter queue arn): FIFO, maxReceiveCount 1."""
    dlq_url = fifo()
    dlq_arn = arn_of(sqs, dlq_url)
    return fifo(RedrivePolicy=redrive(dlq_arn)), dlq_url, dlq_arn


def send_batch(sqs, url, messages):
    """messages: (body, group) pairs; the body is the deduplication id."""
    got = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "MessageBody": body, "MessageGroupId": group,
         "MessageDeduplicationId": body} for i, (body, group) in enumerate(messages)])
    assert "Failed" not in got, got
    return sorted(got["Successful"], key=lambda e: int(e["Id"]))


def receive(sqs, url, n=10, **kwargs):
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=n, AttributeNames=["All"],
                               **kwargs).get("Messages", [])


def bodies(msgs):
    return [m["Body"] for m in msgs]


def fail_once(sqs, url):
    """Receives everything (groups of at most 10) once, for a second, and lets it come back."""
    while receive(sqs, url, VisibilityTimeout=1):
        pass
    time.sleep(1.1)


def drain(sqs, url):
    """Everything in `url`, deleting as it goes (so that every group comes out whole)."""
    out = []
    for _ in range(100):
        got = receive(sqs, url, VisibilityTimeout=30)
        if not got:
            return out
        out += got
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    raise AssertionError("the queue did not drain")


def in_group(msgs, group):
    return [m for m in msgs if m["Attributes"]["MessageGroupId"] == group]


# --- a FIFO queue needs a FIFO dead-letter queue ------------------------------------------------


@pytest.mark.parametrize("action", ["create", "set"])
def test_a_fifo_source_needs_a_fifo_dead_letter_queue(sqs, make_queue, unique_name, fifo, action):
    standard_arn = arn_of(sqs, make_queue())
    with raises_sqs_error("InvalidParameterValue") as info:
        if action == "create":
            sqs.create_queue(QueueName=unique_name() + ".fifo", Attributes={
                "FifoQueue": "true", "RedrivePolicy": redrive(standard_arn)})
        else:
            sqs.set_queue_attributes(QueueUrl=fifo(),
                                     Attributes={"RedrivePolicy": redrive(standard_arn)})
    assert info.value.response["Error"]["Message"].endswith(
        "Reason: Dead-letter queue must be the same type of queue as the source queue.")


@pytest.mark.parametrize("action", ["create", "set"])
def test_a_standard_source_needs_a_standard_dead_letter_queue(sqs, make_queue, unique_name, fifo,
                                                              action):
    fifo_arn = arn_of(sqs, fifo())
    with raises_sqs_error("InvalidParameterValue") as info:
        if action == "create":
            sqs.create_queue(QueueName=unique_name(),
                             Attributes={"RedrivePolicy": redrive(fifo_arn)})
        else:
            sqs.set_queue_attributes(QueueUrl=make_queue(),
                                     Attributes={"RedrivePolicy": redrive(fifo_arn)})
    assert "same type of queue" in info.value.response["Error"]["Message"]


def test_a_fifo_dead_letter_queue_is_accepted(sqs, fifo):
    dlq_arn = arn_of(sqs, fifo())
    url = fifo(RedrivePolicy=redrive(dlq_arn, 4))
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert json.loads(attrs["RedrivePolicy"]) == {"deadLetterTargetArn": dlq_arn,
                                                  "maxReceiveCount": 4}
    assert attrs["FifoQueue"] == "true"


# --- the dead-letter move --------------------------------------------------------------------


def test_moved_message_keeps_its_group_and_gets_a_new_sequence_number(sqs, pair):
    src_url, dlq_url, _ = pair
    direct = sqs.send_message(QueueUrl=dlq_url, MessageBody="direct", MessageGroupId="other",
                              MessageDeduplicationId="d0")
    [sent] = send_batch(sqs, src_url, [("poison", "g")])
    src_arn = arn_of(sqs, src_url)
    fail_once(sqs, src_url)
    assert receive(sqs, src_url) == []  # received once already: it moves instead

    got = drain(sqs, dlq_url)
    assert sorted(bodies(got)) == ["direct", "poison"]
    [moved] = [m for m in got if m["Body"] == "poison"]
    attrs = moved["Attributes"]
    assert moved["MessageId"] == sent["MessageId"]
    assert attrs["MessageGroupId"] == "g"
    # AWS: in a FIFO dead-letter queue the deduplication id is replaced by the MessageId.
    assert attrs["MessageDeduplicationId"] == sent["MessageId"]
    assert attrs["DeadLetterQueueSourceArn"] == src_arn
    assert attrs["ApproximateReceiveCount"] == "2"
    # A sequence number of the dead-letter queue, after what it held before.
    assert int(attrs["SequenceNumber"]) > int(direct["SequenceNumber"])
    assert attrs["SequenceNumber"] != sent["SequenceNumber"]


def test_the_group_is_not_blocked_by_a_message_that_moved(sqs, pair):
    src_url, dlq_url, _ = pair
    send_batch(sqs, src_url, [("poison", "g")])
    fail_once(sqs, src_url)
    send_batch(sqs, src_url, [("next", "g"), ("later", "g")])
    # "poison" moves; the same receive goes on with the rest of its group, in order.
    got = receive(sqs, src_url, n=1, VisibilityTimeout=30)
    assert bodies(got) == ["next"]
    assert bodies(receive(sqs, dlq_url, VisibilityTimeout=0)) == ["poison"]
    assert receive(sqs, src_url) == []  # "next" is in flight: the group waits for it
    sqs.delete_message(QueueUrl=src_url, ReceiptHandle=got[0]["ReceiptHandle"])
    assert bodies(receive(sqs, src_url)) == ["later"]


def test_order_is_kept_in_the_dead_letter_queue(sqs, pair):
    src_url, dlq_url, _ = pair
    sent = send_batch(sqs, src_url, [(f"a{i}", "a") for i in range(5)] +
                      [(f"b{i}", "b") for i in range(5)])
    fail_once(sqs, src_url)
    assert receive(sqs, src_url) == []
    got = drain(sqs, dlq_url)
    assert bodies(in_group(got, "a")) == [f"a{i}" for i in range(5)]
    assert bodies(in_group(got, "b")) == [f"b{i}" for i in range(5)]
    seqs = [int(m["Attributes"]["SequenceNumber"]) for m in in_group(got, "a")]
    assert seqs == sorted(seqs) and len(set(seqs)) == 5
    by_body = {e["MessageId"]: e for e in sent}
    for m in got:
        assert m["MessageId"] in by_body
        assert m["Attributes"]["MessageDeduplicationId"] == m["MessageId"]


def test_two_messages_with_one_deduplication_id_both_reach_the_dead_letter_queue(sqs, fifo):
    dlq_url = fifo()
    dlq_arn = arn_of(sqs, dlq_url)
    src_url = fifo(RedrivePolicy=redrive(dlq_arn), DeduplicationScope="messageGroup")
    for group in ("g1", "g2"):  # per-group deduplication: the same id twice, two messages
        sqs.send_message(QueueUrl=src_url, MessageBody=group, MessageGroupId=group,
                         MessageDeduplicationId="same")
    fail_once(sqs, src_url)
    assert receive(sqs, src_url) == []
    assert sorted(bodies(drain(sqs, dlq_url))) == ["g1", "g2"]


# --- move tasks on a FIFO dead-letter queue ----------------------------------------------------


def dead_letter(sqs, src_url, messages):
    sent = send_batch(sqs, src_url, messages)
    fail_once(sqs, src_url)
    assert receive(sqs, src_url) == []
    return sent


def test_move_task_back_to_the_source_keeps_groups_and_order(sqs, pair):
    src_url, dlq_url, dlq_arn = pair
    sent = dead_letter(sqs, src_url, [("a1", "a"), ("b1", "b"), ("a2", "a"), ("b2", "b"),
                                      ("a3", "a")])
    sqs.start_message_move_task(SourceArn=dlq_arn)
    task = wait_for_status(sqs, dlq_arn, {"COMPLETED", "FAILED"})
    assert task["Status"] == "COMPLETED" and task["ApproximateNumberOfMessagesMoved"] == 5
    got = drain(sqs, src_url)
    assert bodies(in_group(got, "a")) == ["a1", "a2", "a3"]
    assert bodies(in_group(got, "b")) == ["b1", "b2"]
    first_seq = max(int(e["SequenceNumber"]) for e in sent)
    for m in got:
        # A redriven message is a new one: new id, new sequence number, counted from 1 again.
        assert m["MessageId"] not in {e["MessageId"] for e in sent}
        assert int(m["Attributes"]["SequenceNumber"]) > first_seq
        assert m["Attributes"]["ApproximateReceiveCount"] == "1"
        assert "DeadLetterQueueSourceArn" not in m["Attributes"]


def test_move_task_to_a_fifo_destination_keeps_groups_and_order(sqs, fifo, pair):
    src_url, dlq_url, dlq_arn = pair
    dest_url = fifo()
    dead_letter(sqs, src_url, [(f"m{i}", f"g{i % 3}") for i in range(9)])
    sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, dest_url),
                                MaxNumberOfMessagesPerSecond=20)
    task = wait_for_status(sqs, dlq_arn, {"COMPLETED", "FAILED"})
    assert task["Status"] == "COMPLETED" and task["ApproximateNumberOfMessagesMoved"] == 9
    got = drain(sqs, dest_url)
    for g in range(3):
        assert bodies(in_group(got, f"g{g}")) == [f"m{i}" for i in range(9) if i % 3 == g]
    assert receive(sqs, src_url) == [] and receive(sqs, dlq_url) == []


def test_move_task_destination_must_be_fifo_too(sqs, make_queue, pair):
    _, _, dlq_arn = pair
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, make_queue()))
    assert "same type" in info.value.response["Error"]["Message"]
