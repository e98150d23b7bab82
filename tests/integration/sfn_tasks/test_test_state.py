"""TestState of an http:invoke Task really calls the API (as AWS's TestState does), and answers
once the call is done; raw AWS JSON 1.0, as Debian's boto3 predates TestState."""

import json
import urllib.request


def call(endpoint, body):
    req = urllib.request.Request(
        endpoint + "/", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": "AWSStepFunctions.TestState"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def test_http_invoke_task_calls_the_api(sfn_server, backend):
    state = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
             "Parameters": {"ApiEndpoint": f"{backend.url}/api/items", "Method": "POST",
                            "RequestBody": {"sku.$": "$.sku"}},
             "ResultSelector": {"code.$": "$.StatusCode", "body.$": "$.ResponseBody"}}
    before = len(backend.seen("/api/items"))
    out = call(sfn_server.endpoint, {"definition": json.dumps(state),
                                     "input": json.dumps({"sku": "tea-42"}),
                                     "roleArn": "arn:aws:iam::000000000000:role/r"})
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"]) == {"code": 201, "body": {"sku": "tea-42"}}
    seen = backend.seen("/api/items")[before:]
    assert [(r["method"], json.loads(r["body"])) for r in seen] == [("POST", {"sku": "tea-42"})]


def test_http_invoke_error_status_fails_the_test(sfn_server, backend):
    state = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
             "Parameters": {"ApiEndpoint": f"{backend.url}/api/nothing", "Method": "GET"}}
    out = call(sfn_server.endpoint, {"definition": json.dumps(state),
                                     "roleArn": "arn:aws:iam::000000000000:role/r"})
    assert out["status"] == "FAILED"
    assert out["error"] == "States.Http.StatusCode.404", out


def test_http_invoke_exchange_at_trace(sfn_server, backend):
    state = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
             "Parameters": {"ApiEndpoint": f"{backend.url}/api/items", "Method": "POST",
                            "Headers": {"x-trace": "t1"}, "QueryParameters": {"q": "1"},
                            "RequestBody": {"sku.$": "$.sku"}}}
    body = {"definition": json.dumps(state), "input": json.dumps({"sku": "tea-7"}),
            "roleArn": "arn:aws:iam::000000000000:role/r"}
    out = call(sfn_server.endpoint, dict(body, inspectionLevel="TRACE"))
    assert out["status"] == "SUCCEEDED", out
    request = out["inspectionData"]["request"]
    assert request["method"] == "POST"
    assert request["url"] == f"{backend.url}/api/items?q=1"
    assert json.loads(request["body"]) == {"sku": "tea-7"}
    headers = request["headers"].split("\n")
    assert "x-trace: t1" in headers and "Content-Type: application/json; charset=UTF-8" in headers
    response = out["inspectionData"]["response"]
    assert response["statusCode"] == "201" and response["protocol"] == request["protocol"]
    assert json.loads(response["body"]) == {"sku": "tea-7"}
    assert response["statusMessage"]
    # DEBUG shows the processing stages but not the exchange.
    out = call(sfn_server.endpoint, dict(body, inspectionLevel="DEBUG"))
    assert out["status"] == "SUCCEEDED" and "input" in out["inspectionData"]
    assert "request" not in out["inspectionData"] and "response" not in out["inspectionData"]


def test_http_invoke_exchange_of_a_failed_call(sfn_server, backend):
    state = {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "End": True,
             "Parameters": {"ApiEndpoint": f"{backend.url}/api/nothing", "Method": "GET"}}
    out = call(sfn_server.endpoint, {"definition": json.dumps(state), "inspectionLevel": "TRACE",
                                     "roleArn": "arn:aws:iam::000000000000:role/r"})
    assert out["status"] == "FAILED" and out["error"] == "States.Http.StatusCode.404"
    assert out["inspectionData"]["request"]["method"] == "GET"
    assert out["inspectionData"]["response"]["statusCode"] == "404"
