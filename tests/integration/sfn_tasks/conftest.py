"""Fixtures of the Task-integration suite (boto3 against the real server).

`backend`: a local HTTP server (Python's http.server in a thread) that plays the third-party API of
the HTTP Task and the Lambda functions' endpoints; it records every request. `sfn_server`: one
sluice for the suite, started with --lambda-endpoint flags pointing at the backend. `sfn`, `sqs`:
boto3 clients for it. `state_machine`: creates state machines (and deletes them afterwards); the
suite skips when the server does not serve CreateStateMachine yet (UnknownOperationException).
"""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

from sluice_server import running_server

DUMMY_CREDS = dict(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
ROLE = "arn:aws:iam::000000000000:role/sfn-tasks"


class Backend:
    """Routes: POST /lambda/<name> answers as a Lambda function; /api/... as a REST API."""

    def __init__(self):
        self.requests = []
        self.lock = threading.Lock()
        backend = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n).decode() if n else ""

            def _answer(self, status, body, content_type="application/json", headers=None):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _handle(self):
                body = self._body()
                with backend.lock:
                    backend.requests.append(
                        {"method": self.command, "path": self.path, "body": body,
                         "headers": dict(self.headers)})
                path = self.path.split("?")[0]
                if path == "/lambda/greet":
                    return self._answer(200, json.dumps({"hello": json.loads(body or "null")}))
                if path == "/lambda/broken":
                    return self._answer(200, json.dumps(
                        {"errorType": "OrderNotFound", "errorMessage": "no such order"}))
                if path == "/api/items":
                    if self.command == "GET":
                        return self._answer(200, json.dumps({"items": [1, 2], "query": self.path}),
                                            headers={"X-Backend": "yes"})
                    return self._answer(201, body or "{}")
                return self._answer(404, json.dumps({"message": "not found: " + path}))

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def seen(self, path_prefix):
        with self.lock:
            return [r for r in self.requests if r["path"].startswith(path_prefix)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def backend():
    b = Backend()
    yield b
    b.close()


@pytest.fixture(scope="session")
def sfn_server(backend):
    with running_server([
        "--lambda-endpoint", f"greet={backend.url}/lambda/greet",
        "--lambda-endpoint", f"broken={backend.url}/lambda/broken",
    ]) as server:
        yield server


def client(service, endpoint, read_timeout=70):
    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5,
                    read_timeout=read_timeout)
    return boto3.session.Session().client(service, endpoint_url=endpoint, config=config,
                                          **DUMMY_CREDS)


@pytest.fixture
def sfn(sfn_server):
    return client("stepfunctions", sfn_server.endpoint)


@pytest.fixture
def sqs(sfn_server):
    return client("sqs", sfn_server.endpoint)


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def state_machine(sfn):
    """state_machine(definition dict, name=None) -> ARN; skips the test when the server does not
    serve CreateStateMachine yet."""
    arns = []

    def make(definition, name=None, type="STANDARD"):
        try:
            arn = sfn.create_state_machine(name=name or unique("sm"), definition=json.dumps(definition),
                                           roleArn=ROLE, type=type)["stateMachineArn"]
        except botocore.exceptions.ClientError as e:
            if e.response["Error"]["Code"] == "UnknownOperationException":
                pytest.skip("this server does not serve CreateStateMachine yet")
            raise
        arns.append(arn)
        return arn

    yield make
    for arn in arns:
        try:
            sfn.delete_state_machine(stateMachineArn=arn)
        except botocore.exceptions.ClientError:
            pass


@pytest.fixture
def activity(sfn):
    """activity() -> a new activity's ARN (skips when CreateActivity is not served yet)."""
    arns = []

    def make():
        try:
            arn = sfn.create_activity(name=unique("act"))["activityArn"]
        except botocore.exceptions.ClientError as e:
            if e.response["Error"]["Code"] == "UnknownOperationException":
                pytest.skip("this server does not serve CreateActivity yet")
            raise
        arns.append(arn)
        return arn

    yield make
    for arn in arns:
        try:
            sfn.delete_activity(activityArn=arn)
        except botocore.exceptions.ClientError:
            pass
