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
