"""Shared by the mocked-service-integration suite: the mock configuration its server loads, boto3
clients, and waiting for an execution to end."""

import time
import uuid

import boto3
from botocore.config import Config

DUMMY_CREDS = dict(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
ROLE = "arn:aws:iam::000000000000:role/sfn-mocks"

PUT_OK = {"SdkHttpMetadata": {"HttpStatusCode": 200}, "Attributes": {"id": {"S": "order-1"}}}

# The test cases, per state machine name, and the mocked responses they use.
MOCK_CONFIG = {
    "StateMachines": {
        "mocked-orders": {"TestCases": {
            "Happy": {"Put": "PutOk", "Notify": "PublishOk"},
            "Throttled": {"Put": "PutThrottled"},
            "OnlyPut": {"Put": "PutOk"},
        }},
        "mocked-retry": {"TestCases": {
            "FailTwiceThenSucceed": {"Call": "FailTwiceThenOk"},
            "RunsOut": {"Call": "FailTwice"},
        }},
        "mocked-lambda": {"TestCases": {
            "Happy": {"Function": "FunctionOk", "Invoke": "InvokeOk"},
        }},
        "mocked-callback": {"TestCases": {
            "Approved": {"Ask": "Approval"},
        }},
        "mocked-hybrid": {"TestCases": {
            "LookupOnly": {"Lookup": "LookupOk"},
        }},
        "mocked-express": {"TestCases": {
            "Happy": {"Put": "PutOk"},
        }},
        "mocked-redrive": {"TestCases": {
            "FailsThenFixed": {"Call": "ThrowThenReturn"},
        }},
        "mocked-map": {"TestCases": {
            "EachItem": {"Put": "PutPerItem"},
        }},
        # A Distributed Map: the states of its item processor run in child executions.
        "mocked-distributed": {"TestCases": {
            "EachChild": {"Put": "PutInChild"},
        }},
        "mocked-distributed-express": {"TestCases": {
            "EachChild": {"Put": "PutInChild"},
        }},
        # A nested execution (states:startExecution.sync:2): the parent's test case does not
        # reach it; its own test case is named in the StateMachineArn the Task passes, or the
        # Task itself is mocked.
        "mocked-nested-parent": {"TestCases": {
            "ChildRunsItsOwnCase": {},
            "TaskMocked": {"StartChild": "ChildDescribed"},
            "ChildUnmocked": {"Put": "PutOk"},
        }},
        "mocked-nested-child": {"TestCases": {
            "Happy": {"Put": "PutInChild"},
        }},
    },
    "MockedResponses": {
        "PutOk": {"0": {"Return": PUT_OK}},
        "PublishOk": {"0": {"Return": {"MessageId": "mocked-message-id"}}},
        "PutThrottled": {"0": {"Throw": {
            "Error": "DynamoDB.ProvisionedThroughputExceededException",
            "Cause": "The level of configured provisioned throughput for the table was exceeded."}}},
        "FailTwiceThenOk": {
            "0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded"}},
            "2": {"Return": {"StatusCode": 200, "Payload": {"attempt": "third"}}}},
        "FailTwice": {
            "0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded"}}},
        "FunctionOk": {"0": {"Return": {"greeting": "hello from a mocked function"}}},
        "InvokeOk": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "mocked invoke"}}}},
        "Approval": {"0": {"Return": {"approved": True, "by": "mock"}}},
        "LookupOk": {"0": {"Return": {"Item": {"sku": {"S": "sku-42"}, "stock": {"N": "7"}}}}},
        "ThrowThenReturn": {"0": {"Throw": {"Error": "Broken", "Cause": "first run"}},
                            "1": {"Return": {"fixed": True}}},
        "PutPerItem": {"0": {"Return": "first"}, "1-2": {"Return": "second or third"}},
        "PutInChild": {"0": {"Return": {"mocked": "in a child execution"}}},
        "ChildDescribed": {"0": {"Return": {"Status": "SUCCEEDED",
                                            "Output": {"from": "the mocked task"}}}},
    },
}


def client(service, endpoint):
    # inject_host_prefix=False: StartSyncExecution would otherwise go to sync-127.0.0.1.
    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5,
                    read_timeout=70, inject_host_prefix=False)
    return boto3.session.Session().client(service, endpoint_url=endpoint, config=config,
                                          **DUMMY_CREDS)


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def wait_for_end(sfn, arn, timeout=30):
    """DescribeExecution until the execution is no longer RUNNING; returns the description."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING":
            return d
        time.sleep(0.05)
    raise AssertionError(f"{arn} still RUNNING after {timeout}s")
