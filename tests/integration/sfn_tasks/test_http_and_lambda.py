"""The HTTP Task and Lambda functions against a local Python HTTP server: what the backend sees,
what the workflow gets back, and the errors a Catch can name."""

import json
import os
import shutil
import ssl
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sfn_helpers import event_types, run, task
from sluice_server import SluiceServer
from conftest import client


def test_http_task_get(sfn, state_machine, backend):
    arn = state_machine(task("arn:aws:states:::http:invoke", {
        "ApiEndpoint": f"{backend.url}/api/items",
        "Method": "GET",
        "Authentication": {"ConnectionArn": "arn:aws:events:us-east-1:000000000000:connection/c/1"},
        "QueryParameters": {"page.$": "$.page"},
        "Headers": {"X-Tenant": "t1"},
    }))
    d = run(sfn, arn, {"page": 2})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["StatusCode"] == 200
    assert out["StatusText"] == "OK"
    assert out["ResponseBody"]["items"] == [1, 2]
    assert out["ResponseBody"]["query"] == "/api/items?page=2"
    assert out["Headers"]["X-Backend"] == ["yes"]
    seen = backend.seen("/api/items?page=2")[-1]
    assert seen["headers"]["X-Tenant"] == "t1"
    assert seen["headers"]["User-Agent"].startswith("Amazon|StepFunctions|HttpInvoke|")


def test_http_task_post_and_a_404_caught(sfn, state_machine, backend):
    definition = task("arn:aws:states:::http:invoke", {
        "ApiEndpoint": f"{backend.url}/api/items", "Method": "POST",
        "RequestBody": {"name.$": "$.name"}}, Next="Missing")
    del definition["States"]["T"]["End"]
    definition["States"]["Missing"] = {
        "Type": "Task", "Resource": "arn:aws:states:::http:invoke",
        "Parameters": {"ApiEndpoint": f"{backend.url}/nowhere", "Method": "GET"},
        "Catch": [{"ErrorEquals": ["States.Http.StatusCode.404"], "Next": "Done",
                   "ResultPath": "$.error"}],
        "End": True}
    definition["States"]["Done"] = {"Type": "Pass", "End": True}
    d = run(sfn, state_machine(definition), {"name": "widget"})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["error"]["Error"] == "States.Http.StatusCode.404"
    assert json.loads(out["error"]["Cause"])["StatusCode"] == 404
    post = [r for r in backend.seen("/api/items") if r["method"] == "POST"][-1]
    assert json.loads(post["body"]) == {"name": "widget"}


def test_lambda_function_arn(sfn, state_machine, backend):
    arn = state_machine(task("arn:aws:lambda:us-east-1:000000000000:function:greet"))
    d = run(sfn, arn, {"who": "ann"})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"hello": {"who": "ann"}}
    types = event_types(sfn, d["executionArn"])
    assert "LambdaFunctionScheduled" in types and "LambdaFunctionSucceeded" in types


def test_lambda_invoke(sfn, state_machine):
    arn = state_machine(task("arn:aws:states:::lambda:invoke",
                             {"FunctionName": "greet", "Payload.$": "$"}))
    d = run(sfn, arn, {"n": 1})
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["StatusCode"] == 200
    assert out["ExecutedVersion"] == "$LATEST"
    assert out["Payload"] == {"hello": {"n": 1}}


def test_lambda_errors(sfn, state_machine):
    d = run(sfn, state_machine(task("arn:aws:lambda:us-east-1:000000000000:function:broken")))
    assert d["status"] == "FAILED"
    assert d["error"] == "OrderNotFound"
    assert json.loads(d["cause"])["errorMessage"] == "no such order"
    d = run(sfn, state_machine(task("arn:aws:states:::lambda:invoke", {"FunctionName": "absent"})))
    assert d["status"] == "FAILED"
    assert d["error"] == "Lambda.ResourceNotFoundException"
    assert "Function not found" in d["cause"]


# --- HTTPS: a local TLS server whose CA the server trusts through SSL_CERT_FILE ---

def _make_certs(directory):
    def sh(*args):
        subprocess.run(args, cwd=directory, check=True, capture_output=True)
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
       "/CN=sluice test CA", "-keyout", "ca.key", "-out", "ca.pem")
    sh("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
       "-keyout", "server.key", "-out", "server.csr")
    Path(directory, "ext.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    sh("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
       "-CAcreateserial", "-days", "1", "-extfile", "ext.cnf", "-out", "server.pem")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_http_task_over_https(state_machine):
    directory = tempfile.mkdtemp(prefix="sluice-tls-")
    _make_certs(directory)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            body = b'{"secure":true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(directory, "server.pem"), os.path.join(directory, "server.key"))
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]

    old = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = os.path.join(directory, "ca.pem")
    server = SluiceServer()
    try:
        server.start()
        sfn = client("stepfunctions", server.endpoint)
        try:
            arn = sfn.create_state_machine(
                name="tls", roleArn="arn:aws:iam::000000000000:role/r",
                definition=json.dumps(task("arn:aws:states:::http:invoke", {
                    "ApiEndpoint": f"https://localhost:{port}/x", "Method": "GET"})))["stateMachineArn"]
        except sfn.exceptions.ClientError as e:
            if e.response["Error"]["Code"] == "UnknownOperationException":
                pytest.skip("this server does not serve CreateStateMachine yet")
            raise
        d = run(sfn, arn)
        assert d["status"] == "SUCCEEDED", d
        assert json.loads(d["output"])["ResponseBody"] == {"secure": True}
        # The same server by an address its certificate does not name: refused.
        bad = sfn.create_state_machine(
            name="tls-bad", roleArn="arn:aws:iam::000000000000:role/r",
            definition=json.dumps(task("arn:aws:states:::http:invoke", {
                "ApiEndpoint": f"https://127.0.0.2:{port}/x", "Method": "GET"})))["stateMachineArn"]
        d = run(sfn, bad)
        assert d["status"] == "FAILED"
        assert d["error"] == "States.Http.Socket"
        assert server.stop() == 0
    finally:
        if old is None:
            os.environ.pop("SSL_CERT_FILE", None)
        else:
            os.environ["SSL_CERT_FILE"] = old
        server.cleanup()
        httpd.shutdown()
        shutil.rmtree(directory, ignore_errors=True)
