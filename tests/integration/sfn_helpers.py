"""Shared by the Step Functions suites: clients, definitions, and a raw AWS JSON 1.0 caller.

Debian's boto3 (1.26) predates versions, aliases and ValidateStateMachineDefinition, so
`json10()` calls those actions the way every SDK does on the wire (POST /, X-Amz-Target
AWSStepFunctions.<Action>, a JSON body) and returns (HTTP status, parsed body).
"""

import json
import time
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

ACCOUNT = "000000000000"
REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/sluice-test"
PREFIX = f"arn:aws:states:{REGION}:{ACCOUNT}:"
DUMMY_CREDS = dict(aws_access_key_id="x", aws_secret_access_key="x", region_name=REGION)


def aws_client(service, endpoint, read_timeout=30):
    # inject_host_prefix=False: StartSyncExecution is modelled with the host prefix "sync-", which
    # would send it to sync-127.0.0.1. One attempt, so a server error is not hidden by a retry.
    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5,
                    read_timeout=read_timeout, inject_host_prefix=False)
    return boto3.session.Session().client(service, endpoint_url=endpoint, config=config,
                                          **DUMMY_CREDS)


def sfn_client(endpoint):
    return aws_client("stepfunctions", endpoint)


def json10(endpoint, action, body):
    req = urllib.request.Request(
        endpoint + "/", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/x-amz-json-1.0",
                 "X-Amz-Target": f"AWSStepFunctions.{action}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def error_name(body):
    """The error name as SDKs read it from __type ("...#StateMachineDoesNotExist")."""
    return body.get("__type", "").split("#")[-1]


def definition(states, start):
    return json.dumps({"StartAt": start, "States": states})


PASS = definition({"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}, "P")

# Pass -> Choice -> Map(3 x Pass) -> Succeed, the benchmark machine.
PASS_CHOICE_MAP = definition({
    "Prepare": {"Type": "Pass", "Result": {"items": [1, 2, 3], "go": True}, "Next": "Decide"},
    "Decide": {"Type": "Choice",
               "Choices": [{"Variable": "$.go", "BooleanEquals": True, "Next": "Each"}],
               "Default": "Stop"},
    "Each": {"Type": "Map", "ItemsPath": "$.items",
             "ItemProcessor": {"StartAt": "Item",
                               "States": {"Item": {"Type": "Pass", "End": True}}},
             "Next": "Done"},
    "Done": {"Type": "Succeed"},
    "Stop": {"Type": "Fail", "Error": "NoGo", "Cause": "go was false"},
}, "Prepare")


def wait_definition(seconds):
    return definition({
        "W": {"Type": "Wait", "Seconds": seconds, "Next": "P"},
        "P": {"Type": "Pass", "End": True},
    }, "W")


def wait_until(fn, timeout=10.0, interval=0.05):
    """Polls fn() until it returns something truthy; returns it (or the last value)."""
    deadline = time.monotonic() + timeout
    value = fn()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = fn()
    return value


def wait_finished(sfn, execution_arn, timeout=10.0):
    """DescribeExecution until the execution is no longer RUNNING; returns the description."""
    def done():
        d = sfn.describe_execution(executionArn=execution_arn)
        return d if d["status"] != "RUNNING" else None
    d = wait_until(done, timeout=timeout)
    assert d, f"{execution_arn} still RUNNING after {timeout}s"
    return d


def wire_history(endpoint, execution_arn):
    """Every event of an execution, oldest first, read on the wire: Debian's botocore drops the
    members it predates (assignedVariables, evaluationFailedEventDetails, ...)."""
    events, body = [], {"executionArn": execution_arn, "maxResults": 1000}
    while True:
        status, page = json10(endpoint, "GetExecutionHistory", body)
        assert status == 200, page
        events += page["events"]
        if not page.get("nextToken"):
            return events
        body["nextToken"] = page["nextToken"]
