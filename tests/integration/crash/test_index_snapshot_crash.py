"""The queue index snapshot (storage/queue/index_snapshot.h) across clean and unclean stops: a
SIGTERM saves it and the next start reads it instead of scanning, with every message, its state
(delayed, in flight), FIFO group order and the deduplication window intact; writes after it make it
stale, so a SIGKILL that follows them never brings back an old view, even when the old file is
still there."""

import shutil
import time

from conftest import sqs_client

SNAPSHOT = "queue-index.snapshot"
DUE_S = 6  # delay and visibility timeout that must outlast the restart


def counts(sqs, url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return (int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"]),
            int(a["ApproximateNumberOfMessagesDelayed"]))


def send_all(sqs, url, bodies, extra):
    ids = {}
    for i in range(0, len(bodies), 10):
        entries = [dict(Id=str(j), MessageBody=b, **extra(b)) for j, b in enumerate(bodies[i:i + 10])]
        r = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        assert not r.get("Failed"), r
        for ok in r["Successful"]:
            ids[entries[int(ok["Id"])]["MessageBody"]] = ok["MessageId"]
    return ids


def drain(sqs, url, want, deadline_s=30):
    """Receives and deletes until `want` messages came (or the deadline); returns their bodies in
    the order received."""
    got = []
    deadline = time.monotonic() + deadline_s
    while len(got) < want and time.monotonic() < deadline:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                   VisibilityTimeout=60).get("Messages", [])
        if msgs:
            sqs.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
        got += [m["Body"] for m in msgs]
    return got


def recovery_line(server):
    lines = [l for l in server.log_tail(200).splitlines() if "queues recovered" in l]
    assert lines, server.log_tail()
    return lines[-1]


def test_clean_shutdown_restart_reads_snapshot_and_keeps_everything(servers, tmp_path):
    data = tmp_path / "data"
    server = servers(data)
    assert "index snapshot missing" in recovery_line(server)
    sqs = sqs_client(server.endpoint)
    std = sqs.create_queue(QueueName="snap-std")["QueueUrl"]
    fifo = sqs.create_queue(QueueName="snap.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    std_ids = send_all(sqs, std, [f"s{i}" for i in range(200)], extra=lambda b: {})
    send_all(sqs, std, [f"late{i}" for i in range(10)], extra=lambda b: {"DelaySeconds": DUE_S})
    fifo_bodies = [f"{g}-{i}" for i in range(20) for g in ("ga", "gb", "gc")]
    fifo_ids = send_all(sqs, fifo, fifo_bodies, extra=lambda b: {
        "MessageGroupId": b.split("-")[0], "MessageDeduplicationId": "d" + b})
    held = sqs.receive_message(QueueUrl=std, MaxNumberOfMessages=10, VisibilityTimeout=DUE_S)["Messages"]
    blocked = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=1, VisibilityTimeout=DUE_S)
    assert blocked["Messages"][0]["Body"] == "ga-0"
    due = time.monotonic() + DUE_S + 0.2
    before = (counts(sqs, std), counts(sqs, fifo))
    assert before[0] == (190, 10, 10)

    assert server.stop() == 0
    assert (data / SNAPSHOT).exists()
    server = servers(data)
    assert "index snapshot used" in recovery_line(server)
    assert not (data / SNAPSHOT).exists()
    sqs = sqs_client(server.endpoint)
    assert (counts(sqs, std), counts(sqs, fifo)) == before
    # The held group stays blocked until its message's visibility ends.
    first = sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10)["Messages"]
    assert all(not m["Body"].startswith("ga-") for m in first)
    sqs.change_message_visibility_batch(QueueUrl=fifo, Entries=[
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
        for i, m in enumerate(first)])
    time.sleep(max(0.0, due - time.monotonic()))  # the held and delayed messages come due
    got = drain(sqs, std, 210)
    assert sorted(got) == sorted([f"s{i}" for i in range(200)] + [f"late{i}" for i in range(10)])
    assert {m["Body"] for m in held} <= set(got)
    got = drain(sqs, fifo, 60)
    assert sorted(got) == sorted(fifo_bodies)
    for g in ("ga", "gb", "gc"):
        assert [b for b in got if b.startswith(g)] == [f"{g}-{i}" for i in range(20)]
    # The deduplication window outlived the restart.
    again = sqs.send_message(QueueUrl=fifo, MessageBody="gb-3", MessageGroupId="gb",
                             MessageDeduplicationId="dgb-3")
    assert again["MessageId"] == fifo_ids["gb-3"]
    assert len(std_ids) == 200


def test_writes_after_snapshot_then_kill_lose_nothing(servers, tmp_path):
    data = tmp_path / "data"
    server = servers(data)
    sqs = sqs_client(server.endpoint)
    url = sqs.create_queue(QueueName="snap-stale")["QueueUrl"]
    send_all(sqs, url, [f"a{i}" for i in range(100)], extra=lambda b: {})
    assert server.stop() == 0
    saved = tmp_path / "saved.snapshot"
    shutil.copy(data / SNAPSHOT, saved)

    server = servers(data)
    assert "index snapshot used" in recovery_line(server)
    sqs = sqs_client(server.endpoint)
    send_all(sqs, url, [f"b{i}" for i in range(50)], extra=lambda b: {})
    gone = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60)["Messages"]
    sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(gone)])
    held = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=5, VisibilityTimeout=60)["Messages"]
    assert counts(sqs, url) == (135, 5, 0)
    server.kill()

    # As a crash leaves it: no snapshot (the start consumed it), so the start scans.
    server = servers(data)
    assert "index snapshot missing" in recovery_line(server)
    assert counts(sqs_client(server.endpoint), url) == (135, 5, 0)
    server.kill()

    # And with the old file put back, it is recognised as stale, not used.
    shutil.copy(saved, data / SNAPSHOT)
    server = servers(data)
    assert "index snapshot stale" in recovery_line(server)
    sqs = sqs_client(server.endpoint)
    assert counts(sqs, url) == (135, 5, 0)
    got = drain(sqs, url, 135)
    deleted = {m["Body"] for m in gone}
    in_flight = {m["Body"] for m in held}
    want = {f"a{i}" for i in range(100)} | {f"b{i}" for i in range(50)}
    assert sorted(got) == sorted(want - deleted - in_flight)
