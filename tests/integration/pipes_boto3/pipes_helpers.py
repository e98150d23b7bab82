"""Helpers of the EventBridge Pipes suite: waiting, reading executions, queues and /metrics."""

import json
import re
import time
import urllib.request
import uuid

import boto3
from botocore.config import Config

ACCOUNT = "000000000000"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/pipes-boto3"
DUMMY_CREDS = dict(aws_access_key_id="x", aws_secret_access_key="x", region_name=REGION)

# Amazon States Language definitions the tests use.
PASS = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}


def aws_client(service, endpoint, validate=True):
    # One attempt: a retry would hide a server error. inject_host_prefix=False: StartSyncExecution
    # would go to sync-127.0.0.1. parameter_validation=False lets a test send what botocore's own
    # checks would refuse, so the server's answer is what it sees.
    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5,
                    read_timeout=30, inject_host_prefix=False, parameter_validation=validate)
    return boto3.session.Session().client(service, endpoint_url=endpoint, config=config,
                                          **DUMMY_CREDS)


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def function_arn(name):
    """The ARN of a Lambda function the suite's backend serves (conftest.FUNCTIONS)."""
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


def wait_until(fn, timeout=10.0, interval=0.05, what="the condition"):
    """Polls fn() until it returns something truthy and returns it; fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout}s (last: {value!r})")
        time.sleep(interval)


def queue_arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]


def queue_counts(sqs, url):
    """(visible, in flight) as GetQueueAttributes reports them."""
    a = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"])


def queue_empty(sqs, url):
    return queue_counts(sqs, url) == (0, 0)


def send_all(sqs, url, bodies, **kwargs):
    """Sends the bodies with SendMessageBatch (10 a call); returns the message ids in order."""
    ids = []
    for start in range(0, len(bodies), 10):
        entries = [dict(Id=str(i), MessageBody=b, **kwargs)
                   for i, b in enumerate(bodies[start:start + 10])]
        answer = sqs.send_message_batch(QueueUrl=url, Entries=entries)
        assert not answer.get("Failed"), answer.get("Failed")
        by_id = {e["Id"]: e["MessageId"] for e in answer["Successful"]}
        ids += [by_id[str(i)] for i in range(len(entries))]
    return ids


def drain(sqs, url, wait=0):
    """Receives (and deletes) every message visible now; returns them with all attributes."""
    out = []
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=wait,
                                  AttributeNames=["All"], MessageAttributeNames=["All"],
                                  VisibilityTimeout=30).get("Messages", [])
        if not got:
            return out
        out += got
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


def executions(sfn, machine_arn):
    """Every execution of the machine, oldest first (ListExecutions is newest first)."""
    out, kwargs = [], {"stateMachineArn": machine_arn}
    while True:
        page = sfn.list_executions(**kwargs)
        out += page["executions"]
        if not page.get("nextToken"):
            break
        kwargs["nextToken"] = page["nextToken"]
    return list(reversed(out))


def execution_inputs(sfn, machine_arn):
    """[(execution name, parsed input)] of every execution, oldest first."""
    return [(e["name"], json.loads(sfn.describe_execution(executionArn=e["executionArn"])["input"]))
            for e in executions(sfn, machine_arn)]


def wait_for_records(sfn, machine_arn, n, timeout=10.0):
    """Waits until the machine's executions hold `n` records in all; returns execution_inputs."""
    def enough():
        got = execution_inputs(sfn, machine_arn)
        return got if sum(len(i) for _, i in got) >= n else None
    return wait_until(enough, timeout, what=f"{n} records in executions of {machine_arn}")


def describe_state(pipes, name):
    return pipes.describe_pipe(Name=name)["CurrentState"]


def wait_for_state(pipes, name, state, timeout=10.0):
    wait_until(lambda: describe_state(pipes, name) == state, timeout,
               what=f"pipe {name} {state}")


def error_of(excinfo):
    """(code, message, HTTP status, parsed response) of a botocore ClientError."""
    r = excinfo.value.response
    return r["Error"]["Code"], r["Error"]["Message"], r["ResponseMetadata"]["HTTPStatusCode"], r


def metric(endpoint, name, pipe):
    """The value of `name{pipe="..."}` on /metrics, or None when the series is not there."""
    with urllib.request.urlopen(endpoint + "/metrics", timeout=5) as r:
        text = r.read().decode()
    m = re.search(r"^" + re.escape(f'{name}{{pipe="{pipe}"}}') + r" (\S+)$", text, re.M)
    return float(m.group(1)) if m else None
