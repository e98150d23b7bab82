"""Tests of the order workflow, run against Sluice started as this folder's README says:

    sluice --template template.yaml --mock-config mocks.json --wait-time-scale 0

SLUICE_ENDPOINT names the server (default http://127.0.0.1:9324). Each test case of mocks.json is
one path through the workflow; the states it does not list run for real (the reports really land on
the results queue).
"""

import json
import os
import time
import uuid

import boto3
import pytest
from botocore.config import Config

ENDPOINT = os.environ.get("SLUICE_ENDPOINT", "http://127.0.0.1:9324")
ACCOUNT = "000000000000"


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=Config(inject_host_prefix=False))


@pytest.fixture(scope="module")
def sfn():
    return client("stepfunctions")


@pytest.fixture(scope="module")
def sqs():
    return client("sqs")


@pytest.fixture(scope="module")
def machine_arn(sfn):
    return f"arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:order-flow-dev"


def run(sfn, arn, order):
    execution = sfn.start_execution(stateMachineArn=arn, name=f"t-{uuid.uuid4().hex[:12]}",
                                    input=json.dumps(order))["executionArn"]
    for _ in range(200):
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            return described, sfn.get_execution_history(executionArn=execution)["events"]
        time.sleep(0.05)
    raise AssertionError(f"{execution} still running")


def report_for(sqs, order_id):
    url = sqs.get_queue_url(QueueName="order-results-dev")["QueueUrl"]
    for _ in range(20):
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                     WaitTimeSeconds=1).get("Messages", []):
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            body = json.loads(m["Body"])
            if body["id"] == order_id:
                return body
    raise AssertionError(f"no report for {order_id}")


def test_a_charged_order_is_reported(sfn, sqs, machine_arn):
    described, _ = run(sfn, machine_arn + "#HappyPath", {"id": "o-1", "amount": 12})
    assert described["status"] == "SUCCEEDED"
    assert report_for(sqs, "o-1") == {"id": "o-1", "outcome": "charged"}


def test_a_busy_payment_service_is_retried(sfn, sqs, machine_arn):
    described, events = run(sfn, machine_arn + "#BusyTwice", {"id": "o-2", "amount": 5})
    assert described["status"] == "SUCCEEDED"
    failures = [e for e in events if e["type"] == "TaskFailed"]
    assert [e["taskFailedEventDetails"]["error"] for e in failures] == [
        "Lambda.TooManyRequestsException"] * 2
    assert report_for(sqs, "o-2")["outcome"] == "charged"


def test_a_declined_payment_is_reported_and_fails_the_order(sfn, sqs, machine_arn):
    described, _ = run(sfn, machine_arn + "#Declined", {"id": "o-3", "amount": 999})
    assert described["status"] == "FAILED"
    assert described["error"] == "OrderFailed"
    assert report_for(sqs, "o-3") == {"id": "o-3", "outcome": "failed", "error": "PaymentDeclined"}


def test_an_order_on_the_queue_starts_the_workflow(sfn, sqs, machine_arn):
    # The pipe starts the workflow with a batch of one order, taken from the message body by its
    # input template. Started by the pipe there is no test case, so Save calls DynamoDB for real,
    # which Sluice does not serve: the execution fails there, saying how to mock it.
    url = sqs.get_queue_url(QueueName="orders-dev")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"id": "o-4", "amount": 7}))
    for _ in range(100):
        started = [e for e in sfn.list_executions(stateMachineArn=machine_arn)["executions"]
                   if json.loads(sfn.describe_execution(executionArn=e["executionArn"])["input"])
                   == [{"id": "o-4", "amount": 7}]]
        if started and started[0]["status"] != "RUNNING":
            break
        time.sleep(0.1)
    assert started, "the pipe started no execution for o-4"
    described = sfn.describe_execution(executionArn=started[0]["executionArn"])
    assert described["status"] == "FAILED"
    assert described["error"] == "States.Runtime"
    assert "dynamodb:putItem" in described["cause"]
