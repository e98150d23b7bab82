"""Dead-letter moves and message move tasks survive SIGKILL: a message moves in the same commit as
the write that moves it, so after a restart every acknowledged message is in exactly one queue
(counted by body), none lost and none duplicated, and an interrupted move task resumes and
finishes. With FIFO queues on both sides, each group also keeps its order."""

import json
import threading
import time

import botocore.exceptions
import pytest

from conftest import sqs_client
from sluice_server import SluiceServer


@pytest.fixture
def servers(tmp_path):
    started = []

    def start(*args):
        server = SluiceServer(data_dir=tmp_path / "data", args=list(args)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.cleanup()


def arn_of(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]


def send_all(sqs, url, bodies):
    for i in range(0, len(bodies), 10):
        resp = sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(j), "MessageBody": b} for j, b in enumerate(bodies[i:i + 10])])
        assert len(resp.get("Successful", [])) == len(bodies[i:i + 10])


def drain(sqs, url):
    """Receives and deletes everything in `url`; returns the bodies in the order received."""
    bodies = []
    idle = 0
    while idle < 2:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=120,
                                   WaitTimeSeconds=1).get("Messages", [])
        if not msgs:
            idle += 1
            continue
        idle = 0
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
        bodies += [m["Body"] for m in msgs]
    return bodies


def assert_each_once(bodies, expected):
    seen = {}
    for b in bodies:
        seen[b] = seen.get(b, 0) + 1
    missing = set(expected) - set(seen)
    duplicated = {b: n for b, n in seen.items() if n > 1}
    strangers = set(seen) - set(expected)
    assert not missing, f"{len(missing)} of {len(expected)} messages lost"
    assert not duplicated, f"in two places or twice: {duplicated}"
    assert not strangers, f"messages nobody sent: {strangers}"


def test_kill_while_receives_move_messages_to_the_dead_letter_queue(servers):
    server = servers("--durability", "sync")
    sqs = sqs_client(server.endpoint, read_timeout=10)
    dlq = sqs.create_queue(QueueName="crash-dlq")["QueueUrl"]
    src = sqs.create_queue(QueueName="crash-src", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": arn_of(sqs, dlq), "maxReceiveCount": 1})})["QueueUrl"]
    bodies = [f"body-{i}" for i in range(600)]
    send_all(sqs, src, bodies)

    stop = threading.Event()
    receives = []

    def receiver():
        client = sqs_client(server.endpoint, read_timeout=10)
        while not stop.is_set():
            try:
                # Visibility 0: each message comes back at once, and its next receive moves it.
                got = client.receive_message(QueueUrl=src, MaxNumberOfMessages=10,
                                             VisibilityTimeout=0).get("Messages", [])
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
                return
            receives.append(len(got))

    threads = [threading.Thread(target=receiver) for _ in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
        if int(attrs["ApproximateNumberOfMessages"]) >= 100:
            break  # moves are under way
        time.sleep(0.02)
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=15)
    assert sum(receives) > 0

    restarted = servers("--durability", "sync")
    sqs = sqs_client(restarted.endpoint)
    src_attrs = sqs.get_queue_attributes(QueueUrl=src, AttributeNames=["All"])["Attributes"]
    dlq_attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
    in_src = int(src_attrs["ApproximateNumberOfMessages"]) + \
        int(src_attrs["ApproximateNumberOfMessagesNotVisible"])
    in_dlq = int(dlq_attrs["ApproximateNumberOfMessages"]) + \
        int(dlq_attrs["ApproximateNumberOfMessagesNotVisible"])
    assert in_dlq >= 100
    assert in_src + in_dlq == len(bodies), (in_src, in_dlq)
    # Draining the source moves whatever was received once already; then the DLQ holds the rest.
    got = drain(sqs, src) + drain(sqs, dlq)
    assert_each_once(got, bodies)
    assert restarted.stop() == 0


def test_kill_during_a_move_task_then_it_resumes_and_finishes(servers):
    server = servers("--durability", "sync")
    sqs = sqs_client(server.endpoint, read_timeout=10)
    dlq = sqs.create_queue(QueueName="crash-mt-dlq")["QueueUrl"]
    dlq_arn = arn_of(sqs, dlq)
    src = sqs.create_queue(QueueName="crash-mt-src", Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})["QueueUrl"]
    dest = sqs.create_queue(QueueName="crash-mt-dest")["QueueUrl"]
    bodies = [f"task-{i}" for i in range(400)]
    send_all(sqs, src, bodies)
    for _ in range(400):  # every message received once, then moved by the next receive
        got = sqs.receive_message(QueueUrl=src, MaxNumberOfMessages=10,
                                  VisibilityTimeout=0).get("Messages", [])
        attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
        if not got and int(attrs["ApproximateNumberOfMessages"]) == len(bodies):
            break
    attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
    assert int(attrs["ApproximateNumberOfMessages"]) == len(bodies)

    sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, dest),
                                MaxNumberOfMessagesPerSecond=200)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        [task] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
        if task["ApproximateNumberOfMessagesMoved"] >= 100:
            break
        time.sleep(0.02)
    server.kill()
    assert task["Status"] == "RUNNING", task

    restarted = servers("--durability", "sync")
    sqs = sqs_client(restarted.endpoint)
    [resumed] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert resumed["ApproximateNumberOfMessagesMoved"] >= task["ApproximateNumberOfMessagesMoved"]
    deadline = time.monotonic() + 20
    while resumed["Status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
        [resumed] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert resumed["Status"] == "COMPLETED", resumed
    assert resumed["ApproximateNumberOfMessagesMoved"] == len(bodies)
    assert resumed["ApproximateNumberOfMessagesToMove"] == len(bodies)
    moved = drain(sqs, dest)
    assert_each_once(moved, bodies)
    assert drain(sqs, dlq) == []
    assert restarted.stop() == 0


# --- FIFO source and FIFO dead-letter queue -----------------------------------------------------


def send_groups(sqs, url, groups, per_group):
    """Sends `per_group` messages to each of `groups` groups, in order ("g3:17" is the 18th of
    group g3; the body is also the deduplication id). Returns every body."""
    bodies = []
    for g in range(groups):
        group = [f"g{g}:{i}" for i in range(per_group)]
        for i in range(0, per_group, 10):
            resp = sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": str(j), "MessageBody": b, "MessageGroupId": f"g{g}",
                 "MessageDeduplicationId": b} for j, b in enumerate(group[i:i + 10])])
            assert len(resp.get("Successful", [])) == len(group[i:i + 10])
        bodies += group
    return bodies


def drain_fifo(sqs, url):
    """Receives and deletes everything in a FIFO queue; checks that each group comes out in order
    with increasing sequence numbers and its own MessageGroupId. Returns the bodies."""
    bodies = []
    last = {}  # group -> (index, sequence number) last received
    idle = 0
    while idle < 2:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=120,
                                   WaitTimeSeconds=1, AttributeNames=["All"]).get("Messages", [])
        if not msgs:
            idle += 1
            continue
        idle = 0
        sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
        for m in msgs:
            group, i = m["Body"].split(":")
            assert m["Attributes"]["MessageGroupId"] == group
            seq = int(m["Attributes"]["SequenceNumber"])
            if group in last:
                assert int(i) > last[group][0] and seq > last[group][1], \
                    f"group {group} out of order: {m['Body']} after {last[group]}"
            last[group] = (int(i), seq)
            bodies.append(m["Body"])
    return bodies


def test_kill_while_fifo_receives_move_messages_to_a_fifo_dead_letter_queue(servers):
    server = servers("--durability", "sync")
    sqs = sqs_client(server.endpoint, read_timeout=10)
    dlq = sqs.create_queue(QueueName="crash-dlq.fifo",
                           Attributes={"FifoQueue": "true"})["QueueUrl"]
    src = sqs.create_queue(QueueName="crash-src.fifo", Attributes={
        "FifoQueue": "true", "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": arn_of(sqs, dlq), "maxReceiveCount": 1})})["QueueUrl"]
    bodies = send_groups(sqs, src, 20, 30)

    stop = threading.Event()
    receives = []

    def receiver():
        client = sqs_client(server.endpoint, read_timeout=10)
        while not stop.is_set():
            try:
                # Visibility 0: each message comes back at once, at the head of its group, and
                # the next receive moves it and hands out the one behind it.
                got = client.receive_message(QueueUrl=src, MaxNumberOfMessages=10,
                                             VisibilityTimeout=0).get("Messages", [])
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
                return
            receives.append(len(got))

    threads = [threading.Thread(target=receiver) for _ in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
        if int(attrs["ApproximateNumberOfMessages"]) >= 100:
            break  # moves are under way
        time.sleep(0.02)
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=15)
    assert sum(receives) > 0

    restarted = servers("--durability", "sync")
    sqs = sqs_client(restarted.endpoint)
    src_attrs = sqs.get_queue_attributes(QueueUrl=src, AttributeNames=["All"])["Attributes"]
    dlq_attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
    in_src = int(src_attrs["ApproximateNumberOfMessages"]) + \
        int(src_attrs["ApproximateNumberOfMessagesNotVisible"])
    in_dlq = int(dlq_attrs["ApproximateNumberOfMessages"]) + \
        int(dlq_attrs["ApproximateNumberOfMessagesNotVisible"])
    assert in_dlq >= 100
    assert in_src + in_dlq == len(bodies), (in_src, in_dlq)
    # Draining the source moves what was received once already (the head of each group) and
    # hands out the rest in order; the dead-letter queue then holds each group's head, in order.
    got = drain_fifo(sqs, src) + drain_fifo(sqs, dlq)
    assert_each_once(got, bodies)
    assert restarted.stop() == 0


def test_kill_during_a_fifo_move_task_then_it_resumes_and_keeps_group_order(servers):
    server = servers("--durability", "sync")
    sqs = sqs_client(server.endpoint, read_timeout=10)
    dlq = sqs.create_queue(QueueName="crash-mt-dlq.fifo",
                           Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = arn_of(sqs, dlq)
    src = sqs.create_queue(QueueName="crash-mt-src.fifo", Attributes={
        "FifoQueue": "true", "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})})["QueueUrl"]
    dest = sqs.create_queue(QueueName="crash-mt-dest.fifo",
                            Attributes={"FifoQueue": "true"})["QueueUrl"]
    bodies = send_groups(sqs, src, 8, 50)
    for _ in range(1000):  # every message received once, then moved by the next receive
        got = sqs.receive_message(QueueUrl=src, MaxNumberOfMessages=10,
                                  VisibilityTimeout=0).get("Messages", [])
        attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
        if not got and int(attrs["ApproximateNumberOfMessages"]) == len(bodies):
            break
    attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["All"])["Attributes"]
    assert int(attrs["ApproximateNumberOfMessages"]) == len(bodies)

    sqs.start_message_move_task(SourceArn=dlq_arn, DestinationArn=arn_of(sqs, dest),
                                MaxNumberOfMessagesPerSecond=200)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        [task] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
        if task["ApproximateNumberOfMessagesMoved"] >= 100:
            break
        time.sleep(0.02)
    server.kill()
    assert task["Status"] == "RUNNING", task

    restarted = servers("--durability", "sync")
    sqs = sqs_client(restarted.endpoint)
    deadline = time.monotonic() + 20
    [resumed] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    while resumed["Status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
        [resumed] = sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
    assert resumed["Status"] == "COMPLETED", resumed
    assert resumed["ApproximateNumberOfMessagesMoved"] == len(bodies)
    assert_each_once(drain_fifo(sqs, dest), bodies)
    assert drain_fifo(sqs, dlq) == []
    assert restarted.stop() == 0
