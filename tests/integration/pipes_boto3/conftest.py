"""Fixtures of the EventBridge Pipes suite (boto3 against the real server).

`lambdas`: a local HTTP server (Python's http.server in a thread) that plays the Lambda functions
a pipe may call (as target or enrichment); it records every invocation. `pipes_server`: one sluice
for the suite, started with a --lambda-endpoint flag per function. `pipes`, `sqs`, `sfn`: boto3
clients for it (SQS over the query protocol, Step Functions over JSON 1.0, Pipes over REST-JSON).
`make_queue`, `state_machine`, `make_pipe`: create uniquely named resources and delete them after
the test.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipes_helpers import ROLE, aws_client, queue_arn, unique
from cleanup import deleted_afterwards
from sluice_server import assert_still_running, running_server


def _count(record):
    """The record's ApproximateReceiveCount, or None when the item is no SQS record."""
    if isinstance(record, dict):
        return (record.get("attributes") or {}).get("ApproximateReceiveCount")
    return None


def _enriched(items):
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append(dict(item, enrichedBy="lambda"))
        else:
            out.append({"value": item, "enrichedBy": "lambda"})
    return out


def _function_error(kind, message):
    return {"errorType": kind, "errorMessage": message}


# What each function answers for a payload (the JSON array a pipe sends). Functions that fail
# "on the first attempt" look at the records' ApproximateReceiveCount, so a retried batch
# (count "2") succeeds: what comes back, and when, is what the tests check.
FUNCTIONS = {
    # Succeeds, answers nothing in particular.
    "pb-record": lambda items: {"ok": True},
    # Takes a while: a batch stays in flight long enough to stop or delete a pipe under it.
    "pb-slow": lambda items: (time.sleep(0.15), {"ok": True})[1],
    # Holds its batch long enough for a test to look at the pipe meanwhile.
    "pb-hold": lambda items: (time.sleep(0.5), {"ok": True})[1],
    # Fails the records whose body starts with "fail", on their first attempt.
    "pb-partial": lambda items: {"batchItemFailures": [
        {"itemIdentifier": r["messageId"]} for r in items
        if str(r.get("body", "")).startswith("fail") and _count(r) == "1"]},
    # Names a message that is not in the batch, on the first attempt.
    "pb-unknown-id": lambda items: (
        {"batchItemFailures": [{"itemIdentifier": "no-such-message-id"}]}
        if any(_count(r) == "1" for r in items) else {}),
    # A function error (Lambda's error shape), on the first attempt.
    "pb-broken": lambda items: (
        _function_error("OrderNotFound", "no such order")
        if any(_count(r) == "1" for r in items) else {"ok": True}),
    # Enrichments: add "enrichedBy"; the flaky one fails on the first attempt.
    "pb-enrich": _enriched,
    "pb-flaky-enrich": lambda items: (
        _function_error("EnrichmentDown", "try again")
        if any(_count(r) == "1" for r in items) else _enriched(items)),
}


class Lambdas:
    """POST /lambda/<name> runs FUNCTIONS[name] on the JSON payload and records the call (its
    payload, invocation type, and when it arrived and ended: monotonic "at" and "end", and
    "wall_ms", the wall clock at arrival, to compare with the records' timestamps)."""

    def __init__(self):
        self.calls = []
        self.lock = threading.Lock()
        lambdas = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n).decode() if n else ""
                name = self.path.split("?")[0].rsplit("/", 1)[-1]
                payload = json.loads(raw) if raw else None
                call = {"function": name, "payload": payload, "at": time.monotonic(),
                        "wall_ms": time.time() * 1000,
                        "invocation_type": self.headers.get("X-Amz-Invocation-Type")}
                with lambdas.lock:
                    lambdas.calls.append(call)
                fn = FUNCTIONS.get(name)
                status, answer = (200, fn(payload)) if fn else (404, {"message": name})
                call["end"] = time.monotonic()
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def flags(self):
        args = []
        for name in FUNCTIONS:
            args += ["--lambda-endpoint", f"{name}={self.url}/lambda/{name}"]
        return args

    def invocations(self, function, token=None):
        """The calls of `function`, in arrival order; with `token`, only those whose payload
        mentions it (each test marks its message bodies with a token of its own)."""
        with self.lock:
            calls = [c for c in self.calls if c["function"] == function]
        if token is not None:
            calls = [c for c in calls if token in json.dumps(c["payload"])]
        return calls

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def lambdas():
    backend = Lambdas()
    yield backend
    backend.close()


@pytest.fixture(scope="session")
def pipes_server(lambdas):
    with running_server(lambdas.flags()) as server:
        yield server


@pytest.fixture(autouse=True)
def _pipes_server_survives_each_test(request):
    """Names the test during which the suite's server died."""
    yield
    assert_still_running(request, "pipes_server")


@pytest.fixture(scope="session")
def pipes(pipes_server):
    return aws_client("pipes", pipes_server.endpoint)


@pytest.fixture(scope="session")
def raw_pipes(pipes_server):
    """A pipes client without botocore's parameter validation."""
    return aws_client("pipes", pipes_server.endpoint, validate=False)


@pytest.fixture(scope="session")
def sqs(pipes_server):
    return aws_client("sqs", pipes_server.endpoint)


@pytest.fixture(scope="session")
def sfn(pipes_server):
    return aws_client("stepfunctions", pipes_server.endpoint)


@pytest.fixture
def make_queue(sqs):
    """make_queue(prefix="q", fifo=False, **attributes) -> (url, arn); deleted afterwards."""
    with deleted_afterwards(lambda url: sqs.delete_queue(QueueUrl=url)) as urls:

        def make(prefix="q", fifo=False, **attributes):
            name = unique(prefix) + (".fifo" if fifo else "")
            attrs = {k: str(v) for k, v in attributes.items()}
            if fifo:
                attrs["FifoQueue"] = "true"
            url = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
            urls.append(url)
            return url, queue_arn(sqs, url)

        yield make


@pytest.fixture
def state_machine(sfn):
    """state_machine(definition dict, type="STANDARD") -> ARN; deleted afterwards."""
    with deleted_afterwards(lambda arn: sfn.delete_state_machine(stateMachineArn=arn)) as arns:

        def make(definition, type="STANDARD", prefix="sm"):
            arn = sfn.create_state_machine(name=unique(prefix), definition=json.dumps(definition),
                                           roleArn=ROLE, type=type)["stateMachineArn"]
            arns.append(arn)
            return arn

        yield make


@pytest.fixture
def make_pipe(pipes):
    """make_pipe(source, target, name=None, **CreatePipe kwargs) -> (name, CreatePipe answer);
    the pipe is deleted after the test."""
    with deleted_afterwards(lambda name: pipes.delete_pipe(Name=name)) as names:

        def make(source, target, name=None, **kwargs):
            name = name or unique("pipe")
            answer = pipes.create_pipe(Name=name, Source=source, Target=target, RoleArn=ROLE,
                                       **kwargs)
            names.append(name)
            return name, answer

        yield make
