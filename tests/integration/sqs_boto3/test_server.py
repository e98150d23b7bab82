"""The server's command line and lifecycle as a user meets them: flags that shape URLs and ARNs,
limits, idle connections, and a SIGTERM that answers pending long polls and exits 0. Each test
starts its own server."""

import socket
import subprocess
import threading
import urllib.parse
import time

import botocore.exceptions
import pytest

from conftest import sqs_client
from sluice_server import SluiceServer, sluice_binary
from sqs_helpers import post, raises_sqs_error

FLAGS = ["--listen", "--data-dir", "--durability", "--sync-interval-ms", "--map-size",
         "--public-url", "--region", "--account-id", "--max-body-bytes", "--idle-timeout-seconds",
         "--request-timeout-seconds", "--max-connections", "--log-level", "--queue-deleted-recently", "--index-snapshot", "--help", "--version"]


@pytest.fixture
def start():
    started = []

    def run(*args):
        server = SluiceServer(args=list(args)).start()
        started.append(server)
        return server

    yield run
    for server in started:
        server.cleanup()


def test_help_lists_every_flag():
    p = subprocess.run([str(sluice_binary()), "--help"], capture_output=True, text=True, timeout=10)
    assert p.returncode == 0
    for flag in FLAGS:
        assert flag in p.stdout, flag


def test_version():
    p = subprocess.run([str(sluice_binary()), "--version"], capture_output=True, text=True,
                       timeout=10)
    assert p.returncode == 0
    assert p.stdout.strip()


@pytest.mark.parametrize("args", [["--no-such-flag"], ["--durability", "sometimes"],
                                  ["--account-id", "12345"], ["--listen", "nowhere"]])
def test_bad_flags_exit_non_zero(args, tmp_path):
    p = subprocess.run([str(sluice_binary()), "--data-dir", str(tmp_path), *args],
                       capture_output=True, text=True, timeout=10)
    assert p.returncode != 0
    assert p.stderr.strip()


def test_public_url_region_and_account(start):
    server = start("--public-url", "http://sqs.example.test:4567", "--region", "eu-west-3",
                   "--account-id", "123456789012")
    sqs = sqs_client(server.endpoint)
    url = sqs.create_queue(QueueName="flags")["QueueUrl"]
    assert url == "http://sqs.example.test:4567/123456789012/flags"
    assert sqs.get_queue_url(QueueName="flags")["QueueUrl"] == url
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    arn = attrs["QueueArn"]
    assert arn == "arn:aws:sqs:eu-west-3:123456789012:flags"
    # The URL names the queue by its path: it works whatever host the client reached us on.
    sqs.send_message(QueueUrl=url, MessageBody="via public url")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "via public url"
    assert server.stop() == 0


def test_queue_url_of_another_account_is_not_our_queue(start):
    server = start()
    sqs = sqs_client(server.endpoint)
    sqs.create_queue(QueueName="mine")
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.send_message(QueueUrl=f"{server.endpoint}/111111111111/mine", MessageBody="x")
    assert server.stop() == 0


def test_idle_timeout_does_not_cut_a_long_poll(start):
    server = start("--idle-timeout-seconds", "1")
    sqs = sqs_client(server.endpoint)
    url = sqs.create_queue(QueueName="idle")["QueueUrl"]
    began = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=3)
    assert time.monotonic() - began >= 2.8
    time.sleep(1.5)  # the pooled keep-alive connection is closed by now; the client reconnects
    assert url in sqs.list_queues()["QueueUrls"]
    assert server.stop() == 0


def test_sigterm_answers_pending_long_polls_and_exits_0(start):
    server = start()
    sqs = sqs_client(server.endpoint)
    url = sqs.create_queue(QueueName="shutdown")["QueueUrl"]
    poller_client = sqs_client(server.endpoint)
    poller_client.list_queues()  # connected and served: the long poll below reaches the server
    result = {}

    def poll():
        began = time.monotonic()
        try:
            resp = poller_client.receive_message(QueueUrl=url, WaitTimeSeconds=20)
            result["messages"] = resp.get("Messages", [])
        except Exception as e:  # noqa: BLE001 - recorded and asserted below
            result["error"] = e
        result["seconds"] = time.monotonic() - began

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(1)
    began = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - began < 5
    poller.join(timeout=25)
    assert "error" not in result, result
    assert result["messages"] == [] and result["seconds"] < 5


def test_body_over_max_body_bytes_is_413(start):
    server = start("--max-body-bytes", "2048")
    status, _, _ = post(server, "Action=ListQueues&pad=" + "p" * 4096)
    assert status == 413
    assert server.healthy()
    status, _, _ = post(server, "Action=ListQueues&Version=2012-11-05")
    assert status == 200
    assert server.stop() == 0


def test_full_map_answers_500_and_keeps_serving(start):
    """--map-size 1 (MiB) fills after a few hundred KiB: the send that does not fit gets the AWS
    5xx (InternalFailure), the server stays up, and everything acknowledged before is intact."""
    server = start("--map-size", "1")
    sqs = sqs_client(server.endpoint)
    url = sqs.create_queue(QueueName="fills-up")["QueueUrl"]
    body = "x" * (60 * 1024)
    acked = []
    error = None
    for _ in range(100):
        try:
            acked.append(sqs.send_message(QueueUrl=url, MessageBody=body)["MessageId"])
        except botocore.exceptions.ClientError as e:
            error = e
            break
    assert error is not None, "a 1 MiB map never filled up"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert error.response["Error"]["Code"] == "InternalFailure"
    assert acked, "nothing fitted at all"
    assert server.healthy()
    seen = set()
    handles = []
    for _ in range(len(acked) + 5):
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                   VisibilityTimeout=60).get("Messages", [])
        if not msgs:
            break
        for m in msgs:
            assert m["Body"] == body
            seen.add(m["MessageId"])
            handles.append(m["ReceiptHandle"])
    assert seen == set(acked)
    # Deleting makes room again: the same server takes the send that did not fit before. LMDB
    # reuses the pages a commit freed from the commit after next, so each delete goes alone.
    for h in handles[:5]:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=h)
    assert sqs.send_message(QueueUrl=url, MessageBody=body)["MessageId"]


def raw_connection(server):
    host, port = server.endpoint.removeprefix("http://").rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=10)


def read_status(sock):
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else None


def test_a_client_trickling_its_request_gets_408_and_others_are_served(start):
    server = start("--request-timeout-seconds", "1")
    sqs = sqs_client(server.endpoint)
    url = sqs.create_queue(QueueName="slow-neighbour")["QueueUrl"]
    slow = raw_connection(server)
    began = time.monotonic()
    slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                 b"\r\nContent-Length: 100\r\n\r\nAction=")
    sqs.send_message(QueueUrl=url, MessageBody="still served")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "still served"
    assert read_status(slow) == 408
    assert 0.9 <= time.monotonic() - began < 5
    slow.close()
    assert server.stop() == 0


def test_too_many_header_fields_get_431(start):
    server = start()
    sock = raw_connection(server)
    head = "GET /health HTTP/1.1\r\n" + "".join(f"X-H{i}: v\r\n" for i in range(129))
    sock.sendall((head + "\r\n").encode())
    assert read_status(sock) == 431
    sock.close()
    assert server.healthy()
    assert server.stop() == 0


def test_connections_over_max_connections_get_503_and_the_rest_are_served(start):
    server = start("--max-connections", "3")
    time.sleep(0.5)  # the start-up health checks' connections are closed
    held = [raw_connection(server) for _ in range(3)]
    for sock in held:  # each is accepted and served
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_status(sock) == 200
    extra = raw_connection(server)
    extra.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert read_status(extra) == 503
    extra.close()
    held[0].sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert read_status(held[0]) == 200
    for sock in held:
        sock.close()
    time.sleep(0.3)  # the server sees the closes
    sqs = sqs_client(server.endpoint)
    url = sqs.create_queue(QueueName="after-the-crowd")["QueueUrl"]
    assert url.endswith("/after-the-crowd")
    assert server.stop() == 0


def read_response(sock, data=b""):
    """One HTTP response framed by Content-Length: (status, body, the bytes read past it); `data`
    is what an earlier call read past its response."""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "connection closed"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed"
        body += chunk
    return int(head.split(b" ", 2)[1]), body[:length], body[length:]


def test_sends_faster_than_commits_are_throttled_and_nothing_acknowledged_is_lost(start):
    """--max-uncommitted-mib 1: two pipelined sends of 600,000 bytes reach the server before the
    first one's commit is answered, so together they would pass the limit: the second gets
    RequestThrottled at once (403, the query protocol's Sender error), the first is stored, and
    the same send goes through once the backlog is empty."""
    server = start("--max-uncommitted-mib", "1")
    sqs = sqs_client(server.endpoint)
    url = sqs.create_queue(QueueName="overload")["QueueUrl"]

    def send_request(body):
        form = urllib.parse.urlencode({"Action": "SendMessage", "Version": "2012-11-05",
                                       "QueueUrl": url, "MessageBody": body}).encode()
        return (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                b"\r\nContent-Length: " + str(len(form)).encode() + b"\r\n\r\n" + form)

    sock = raw_connection(server)
    sock.sendall(send_request("a" * 600_000) + send_request("b" * 600_000))
    status1, body1, rest = read_response(sock)
    assert status1 == 200, body1
    assert b"<MessageId>" in body1
    status2, body2, _ = read_response(sock, rest)
    assert status2 == 403, body2
    assert b"<Type>Sender</Type>" in body2
    assert b"<Code>RequestThrottled</Code>" in body2
    assert b"<Message>Request is throttled.</Message>" in body2
    sock.close()
    # Throttled, not failed: the same send goes through once the first has committed.
    again = sqs.send_message(QueueUrl=url, MessageBody="b" * 600_000)["MessageId"]
    got = {}
    while True:
        msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                   VisibilityTimeout=120).get("Messages", [])
        if not msgs:
            break
        got.update((m["MessageId"], m["Body"][0]) for m in msgs)
    assert sorted(got.values()) == ["a", "b"] and again in got
    assert server.healthy()
    assert server.stop() == 0


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MiB tmpfs: a filesystem that really fills up. Mounting needs root (CAP_SYS_ADMIN)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {p.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_answers_500_keeps_serving_reads_and_deletes_and_recovers(small_disk):
    ballast = small_disk / "ballast"
    ballast.write_bytes(b"\0" * (2 << 20))
    data_dir = small_disk / "data"
    server = SluiceServer(data_dir=str(data_dir)).start()
    try:
        sqs = sqs_client(server.endpoint)
        url = sqs.create_queue(QueueName="full-disk")["QueueUrl"]
        body = "d" * (100 * 1024)
        acked, error = [], None
        for _ in range(200):
            try:
                acked.append(sqs.send_message(QueueUrl=url, MessageBody=body)["MessageId"])
            except botocore.exceptions.ClientError as e:
                error = e
                break
        assert error is not None, "an 8 MiB disk never filled up"
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        assert error.response["Error"]["Code"] == "InternalFailure"
        assert len(acked) > 5
        assert server.healthy()
        # Full: reads and deletes still work.
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2)["Messages"]
        assert len(got) == 2 and all(m["Body"] == body for m in got)
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        deleted = {m["MessageId"] for m in got}
        # Space comes back: the same server takes sends again, without a restart.
        ballast.unlink()
        later = sqs.send_message(QueueUrl=url, MessageBody="after the disk had room")["MessageId"]
        assert server.stop() == 0
        # Nothing half-written: after a restart, exactly what was acknowledged is there.
        server = SluiceServer(data_dir=str(data_dir)).start()
        sqs = sqs_client(server.endpoint)
        seen = {}
        while True:
            msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                       VisibilityTimeout=120).get("Messages", [])
            if not msgs:
                break
            seen.update((m["MessageId"], m["Body"]) for m in msgs)
        assert set(seen) == (set(acked) - deleted) | {later}
        assert all(b == body for mid, b in seen.items() if mid != later)
        assert server.stop() == 0
    finally:
        server.cleanup()
