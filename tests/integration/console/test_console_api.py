"""The console's own HTTP surface: its files at /console/, GET /_sluice/events (history, queue
counts, pipe counters, an Express execution's end) and GET /_sluice/express-executions."""

import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from sluice_server import running_server
from conftest import SseStream
from sfn_helpers import aws_client


def get(endpoint, path, headers=None, method="GET"):
    request = urllib.request.Request(endpoint + path, headers=headers or {}, method=method)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as r:
            return r.status, r.headers, r.read()  # headers: looked up case-insensitively
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# ---- the console's files ----

def test_console_page_is_served_with_its_script_and_etag(sluice):
    status, headers, body = get(sluice.endpoint, "/console/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b'<script src="app.js">' in body
    etag = headers["ETag"]
    assert etag.startswith('"') and len(etag) > 4
    assert headers["Cache-Control"] == "no-cache"

    status, headers, body = get(sluice.endpoint, "/console/", {"If-None-Match": etag})
    assert status == 304 and body == b""

    status, headers, script = get(sluice.endpoint, "/console/app.js")
    assert status == 200
    assert headers["Content-Type"] == "text/javascript; charset=utf-8"
    # The bundle carries the layout library and calls the APIs the console documents.
    assert b"AWSStepFunctions." in script and b"/_sluice/events" in script
    assert headers["ETag"] != etag

    status, headers, _ = get(sluice.endpoint, "/console/style.css")
    assert status == 200 and headers["Content-Type"] == "text/css; charset=utf-8"


def test_console_paths_redirect_and_refuse(sluice):
    status, headers, _ = get(sluice.endpoint, "/console")
    assert status == 301 and headers["Location"] == "/console/"
    status, _, body = get(sluice.endpoint, "/console/missing.js")
    assert status == 404 and b"missing.js" in body
    status, headers, _ = get(sluice.endpoint, "/console/", method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD"


# ---- GET /_sluice/events: refusals ----

def test_events_needs_exactly_one_stream(sluice):
    for query in ("", "?queues&execution=arn%3Ax", "?other=1", "?pipes&queues"):
        status, headers, body = get(sluice.endpoint, "/_sluice/events" + query)
        assert status == 400, query
        assert headers["Content-Type"] == "application/json"
        assert json.loads(body)["error"] == "InvalidParameter"
    status, _, body = get(sluice.endpoint, "/_sluice/events?queues", method="POST")
    assert status == 405 and json.loads(body)["error"] == "MethodNotAllowed"


def test_events_of_an_unknown_execution_is_404(sluice):
    arn = "arn:aws:states:us-east-1:000000000000:execution:nope:nope"
    status, _, body = get(sluice.endpoint,
                          "/_sluice/events?execution=" + urllib.parse.quote(arn, safe=""))
    assert status == 404
    assert json.loads(body) == {"error": "ExecutionDoesNotExist",
                                "message": f"Execution Does Not Exist: '{arn}'"}


# ---- the queue counts stream ----

def counts_of(event, queue):
    return next((q for q in event["queues"] if q["name"] == queue), None)


def wait_counts(stream, queue, want, timeout=10.0):
    deadline = time.monotonic() + timeout
    seen = None
    while time.monotonic() < deadline:
        seen = counts_of(stream.next_event("queues", deadline - time.monotonic()), queue)
        if seen and all(seen[k] == v for k, v in want.items()):
            return seen
    raise AssertionError(f"{queue}: wanted {want}, last saw {seen}")


def test_queue_counts_are_pushed_when_they_change(sse, sqs):
    queue = name("counts")
    url = sqs.create_queue(QueueName=queue)["QueueUrl"]
    stream = sse("queues")
    assert stream.status == 200
    assert stream.headers["content-type"] == "text/event-stream"
    assert "content-length" not in stream.headers
    assert stream.headers["connection"] == "close"
    first = stream.next_event("queues")  # at once, not after a tick
    assert counts_of(first, queue) == {"name": queue, "visible": 0, "inFlight": 0, "delayed": 0}

    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{i}")
    sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=60)
    wait_counts(stream, queue, {"visible": 3, "delayed": 1, "inFlight": 0})
    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, VisibilityTimeout=60)
    wait_counts(stream, queue, {"visible": 1, "inFlight": 2, "delayed": 1})
    sqs.delete_queue(QueueUrl=url)
    deadline = time.monotonic() + 10
    while counts_of(stream.next_event("queues"), queue) is not None:
        assert time.monotonic() < deadline, "a deleted queue stays in the stream"


def test_counts_are_not_repeated_while_nothing_changes(sse, sqs):
    queue = name("quiet")
    sqs.create_queue(QueueName=queue)
    stream = sse("queues")
    stream.next_event("queues")
    # Ticks are a second apart; with no change in 2.5 s nothing but comments may arrive.
    deadline = time.monotonic() + 2.5
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            f = stream.frame(left)
        except TimeoutError:
            break
        assert f is not None and f[0] is None, f"unexpected frame {f}"


# ---- the execution history stream ----

CALLBACK_MACHINE = {
    "StartAt": "Prepare",
    "States": {
        "Prepare": {"Type": "Pass", "Result": {"n": 1}, "Next": "Wait for callback"},
        "Wait for callback": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "QUEUE_URL", "MessageBody": {"token.$": "$$.Task.Token"}},
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "End": True},
    },
}


def start_waiting_execution(sqs, sfn):
    queue = sqs.create_queue(QueueName=name("tokens"))["QueueUrl"]
    definition = json.dumps(CALLBACK_MACHINE).replace("QUEUE_URL", queue)
    machine = sfn.create_state_machine(
        name=name("streamed"), definition=definition,
        roleArn="arn:aws:iam::000000000000:role/console")["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, input='{"x": 1}')["executionArn"]
    token = None
    deadline = time.monotonic() + 10
    while token is None and time.monotonic() < deadline:
        got = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", [])
        if got:
            token = json.loads(got[0]["Body"])["token"]
    assert token, "the task never sent its token"
    return arn, token


def test_history_events_stream_as_they_are_appended(sse, sqs, sfn):
    arn, token = start_waiting_execution(sqs, sfn)
    stream = sse("execution=" + urllib.parse.quote(arn, safe=""))
    assert stream.status == 200
    before = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    sfn.send_task_success(taskToken=token, output='{"ok": true}')
    streamed = []
    while not streamed or streamed[-1]["type"] != "ExecutionSucceeded":
        streamed.append(stream.next_event("history"))
    # Nothing falls between the history read before and the events streamed after.
    ids = [e["id"] for e in streamed]
    assert ids == list(range(before[-1]["id"] + 1, ids[-1] + 1))
    assert [e["type"] for e in streamed] == [
        "TaskSucceeded", "TaskStateExited", "PassStateEntered", "PassStateExited",
        "ExecutionSucceeded"]
    # Each streamed event is the one GetExecutionHistory gives, member for member. Events are
    # streamed as the journal is handed them: GetExecutionHistory has them once they commit.
    deadline = time.monotonic() + 5
    while True:
        full = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
        if full[-1]["id"] >= ids[-1] or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    by_id = {e["id"]: e for e in full}
    for e in streamed:
        want = by_id[e["id"]]
        assert e["type"] == want["type"]
        assert e.get("previousEventId") == want.get("previousEventId")
        assert abs(e["timestamp"] - want["timestamp"].timestamp()) < 0.002
        detail = next(k for k in e if k.endswith("EventDetails"))
        assert e[detail] == want[detail]


def test_only_the_named_execution_is_streamed(sse, sqs, sfn):
    watched, watched_token = start_waiting_execution(sqs, sfn)
    other, other_token = start_waiting_execution(sqs, sfn)
    stream = sse("execution=" + urllib.parse.quote(watched, safe=""))
    sfn.send_task_success(taskToken=other_token, output='{"other": true}')
    sfn.send_task_success(taskToken=watched_token, output='{"watched": true}')
    first = stream.next_event("history")
    assert first["type"] == "TaskSucceeded"
    # The other execution's TaskSucceeded came first but is not on this stream.
    assert json.loads(first["taskSucceededEventDetails"]["output"]) == {"watched": True}
    events = [first]
    while events[-1]["type"] != "ExecutionSucceeded":
        events.append(stream.next_event("history"))
    assert len(events) == 5


def test_a_stopped_execution_streams_its_abort(sse, sqs, sfn):
    arn, _ = start_waiting_execution(sqs, sfn)
    stream = sse("execution=" + urllib.parse.quote(arn, safe=""))
    sfn.stop_execution(executionArn=arn, error="Console.Stop", cause="from the test")
    types = []
    while not types or types[-1] != "ExecutionAborted":
        e = stream.next_event("history")
        types.append(e["type"])
    assert e["executionAbortedEventDetails"] == {"error": "Console.Stop", "cause": "from the test"}


# ---- stream lifetime ----

def test_streams_end_when_the_server_drains():
    with running_server() as server:
        stream = SseStream(server.port, "queues")
        stream.next_event("queues")
        started = time.monotonic()
        assert server.stop() == 0
        assert time.monotonic() - started < 10
        # Whatever was pending, the stream then ends with the connection.
        while True:
            f = stream.frame(5)
            if f is None:
                break
        stream.close()


def test_a_reader_that_leaves_does_not_disturb_the_server(sluice, sqs):
    for _ in range(20):
        s = SseStream(sluice.port, "queues")
        s.next_event("queues")
        s.sock.shutdown(socket.SHUT_RDWR)
        s.close()
    queue = name("after")
    url = sqs.create_queue(QueueName=queue)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="still fine")
    assert sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"] == "still fine"
    status, _, _ = get(sluice.endpoint, "/health")
    assert status == 200


# ---- pipes: states and counters ----

def pipe_of(event, pipe):
    return next((p for p in event["pipes"] if p["name"] == pipe), None)


def test_pipe_counters_are_pushed_when_they_change(sluice, sse, sqs, sfn):
    source = name("piped")
    url = sqs.create_queue(QueueName=source)["QueueUrl"]
    source_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    machine = sfn.create_state_machine(
        name=name("piped"), roleArn="arn:aws:iam::000000000000:role/console",
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
    )["stateMachineArn"]
    pipes = aws_client("pipes", sluice.endpoint)
    pipe = name("pipe")
    pipes.create_pipe(Name=pipe, Source=source_arn, Target=machine,
                      RoleArn="arn:aws:iam::000000000000:role/console",
                      SourceParameters={"SqsQueueParameters": {"BatchSize": 1}},
                      TargetParameters={"StepFunctionStateMachineParameters": {
                          "InvocationType": "FIRE_AND_FORGET"}})
    stream = sse("pipes")
    assert stream.status == 200 and stream.headers["content-type"] == "text/event-stream"
    first = pipe_of(stream.next_event("pipes"), pipe)  # at once, not after a tick
    assert first is not None
    assert set(first) == {"name", "currentState", "desiredState", "messagesConsumed",
                          "messagesFiltered", "messagesFailed", "batches", "batchesFailed",
                          "executionsStarted", "invocations", "batchesInFlight"}
    assert first["desiredState"] == "RUNNING" and first["messagesConsumed"] == 0

    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": i}))
    deadline = time.monotonic() + 15
    seen = first
    while not (seen["messagesConsumed"] == 3 and seen["executionsStarted"] == 3
               and seen["batchesInFlight"] == 0):
        assert time.monotonic() < deadline, f"last saw {seen}"
        seen = pipe_of(stream.next_event("pipes", deadline - time.monotonic()), pipe) or seen
    assert seen["currentState"] == "RUNNING" and seen["messagesFailed"] == 0
    assert len(sfn.list_executions(stateMachineArn=machine)["executions"]) == 3

    pipes.stop_pipe(Name=pipe)
    while seen["currentState"] != "STOPPED":
        assert time.monotonic() < deadline + 10, f"last saw {seen}"
        seen = pipe_of(stream.next_event("pipes"), pipe) or seen
    assert seen["desiredState"] == "STOPPED" and seen["messagesConsumed"] == 3
    pipes.delete_pipe(Name=pipe)


# ---- Express executions, kept in memory ----

EXPRESS_MACHINE = {
    "StartAt": "Hold",
    "States": {
        "Hold": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
        "Done": {"Type": "Pass", "Parameters": {"got.$": "$.n"}, "End": True},
    },
}


def express_listing(sluice):
    status, headers, body = get(sluice.endpoint, "/_sluice/express-executions")
    assert status == 200 and headers["Content-Type"] == "application/json"
    return json.loads(body)["executions"]


def test_express_executions_are_listed_described_and_streamed(sluice, sse, sfn):
    machine = sfn.create_state_machine(
        name=name("express"), type="EXPRESS", definition=json.dumps(EXPRESS_MACHINE),
        roleArn="arn:aws:iam::000000000000:role/console")["stateMachineArn"]
    arn = sfn.start_execution(stateMachineArn=machine, name="first",
                              input='{"n": 1}')["executionArn"]
    assert ":express:" in arn
    running = next(x for x in express_listing(sluice) if x["executionArn"] == arn)
    assert running["status"] == "RUNNING" and running["name"] == "first"
    assert running["stateMachineArn"] == machine and "stopDate" not in running

    quoted = urllib.parse.quote(arn, safe="")
    stream = sse("execution=" + quoted)
    assert stream.status == 200
    ended = stream.next_event("ended", 10)  # pushed when it ends
    assert ended["executionArn"] == arn and ended["status"] == "SUCCEEDED"
    assert json.loads(ended["output"]) == {"got": 1}
    assert ended["input"] == '{"n": 1}'

    status, _, body = get(sluice.endpoint, "/_sluice/express-executions/" + quoted)
    described = json.loads(body)
    assert status == 200 and described == ended
    # DescribeExecution's members, timestamps in epoch seconds.
    assert described["stopDate"] >= described["startDate"] > 1.6e9

    sync = sfn.start_sync_execution(stateMachineArn=machine, name="second", input='{"n": 2}')
    listed = express_listing(sluice)
    arns = [x["executionArn"] for x in listed]
    assert arns.index(sync["executionArn"]) < arns.index(arn)  # newest first
    assert next(x for x in listed if x["executionArn"] == arn)["status"] == "SUCCEEDED"

    # One that already ended: its `ended` at once.
    stream = sse("execution=" + urllib.parse.quote(sync["executionArn"], safe=""))
    assert stream.next_event("ended", 5)["status"] == "SUCCEEDED"


def test_express_executions_kept_are_bounded(sluice, sfn):
    machine = sfn.create_state_machine(
        name=name("many"), type="EXPRESS",
        definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}),
        roleArn="arn:aws:iam::000000000000:role/console")["stateMachineArn"]
    first = sfn.start_sync_execution(stateMachineArn=machine)["executionArn"]
    for _ in range(100):
        sfn.start_sync_execution(stateMachineArn=machine)
    listed = express_listing(sluice)
    assert len([x for x in listed if x["status"] != "RUNNING"]) == 100
    assert first not in [x["executionArn"] for x in listed]
    status, _, body = get(sluice.endpoint, "/_sluice/express-executions/"
                          + urllib.parse.quote(first, safe=""))
    assert status == 404 and json.loads(body)["error"] == "ExecutionDoesNotExist"
    status, _, body = get(sluice.endpoint, "/_sluice/express-executions", method="POST")
    assert status == 405
