"""The AWS CLI with dead-letter queues, redrive and permissions, as a user types it. Debian's awscli
(2.9) has no message move task commands; those tests run when the CLI under test has them (e.g.
SLUICE_AWS_CLI pointing at a newer aws) and are skipped otherwise. Every test leaves the shared
queues empty."""

import json
import subprocess
import time

import pytest

from test_aws_cli import AWS, aws, ok  # noqa: F401  (the `aws` fixture)

pytestmark = pytest.mark.skipif(AWS is None, reason="no aws CLI installed")


@pytest.fixture(scope="module")
def cli_queues(aws):
    """(dlq url, dlq arn, source url): the source's RedrivePolicy names the DLQ, count 1."""
    suffix = str(int(time.time() * 1000))[-8:]
    dlq = ok(aws("create-queue", "--queue-name", f"cli-dlq-{suffix}"))["QueueUrl"]
    dlq_arn = ok(aws("get-queue-attributes", "--queue-url", dlq, "--attribute-names",
                     "QueueArn"))["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "1"})
    src = ok(aws("create-queue", "--queue-name", f"cli-src-{suffix}", "--attributes",
                 json.dumps({"RedrivePolicy": policy})))["QueueUrl"]
    yield dlq, dlq_arn, src
    aws("delete-queue", "--queue-url", src)
    aws("delete-queue", "--queue-url", dlq)


def has_move_tasks():
    p = subprocess.run([AWS, "sqs", "list-message-move-tasks", "help"], capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL,
                       env={"PATH": "/usr/bin:/bin", "AWS_PAGER": ""})
    return p.returncode == 0 and "source-arn" in p.stdout


def test_redrive_policy_and_dead_letter_move(aws, cli_queues):
    dlq, dlq_arn, src = cli_queues
    attrs = ok(aws("get-queue-attributes", "--queue-url", src, "--attribute-names",
                   "RedrivePolicy"))["Attributes"]
    assert json.loads(attrs["RedrivePolicy"]) == {"deadLetterTargetArn": dlq_arn,
                                                  "maxReceiveCount": 1}
    ok(aws("send-message", "--queue-url", src, "--message-body", "cli poison"))
    first = ok(aws("receive-message", "--queue-url", src, "--visibility-timeout", "0"))
    assert first["Messages"][0]["Body"] == "cli poison"
    assert ok(aws("receive-message", "--queue-url", src)) is None  # moved, nothing delivered
    moved = ok(aws("receive-message", "--queue-url", dlq, "--attribute-names", "All",
                   "--visibility-timeout", "0"))["Messages"][0]
    assert moved["Body"] == "cli poison"
    assert moved["Attributes"]["DeadLetterQueueSourceArn"].endswith(src.rsplit("/", 1)[1])
    ok(aws("delete-message", "--queue-url", dlq, "--receipt-handle", moved["ReceiptHandle"]))
    sources = ok(aws("list-dead-letter-source-queues", "--queue-url", dlq))
    assert sources["queueUrls"] == [src]


def test_bad_redrive_policy_is_an_error(aws, cli_queues):
    _, _, src = cli_queues
    rc, _, err = aws("set-queue-attributes", "--queue-url", src, "--attributes",
                     json.dumps({"RedrivePolicy": '{"maxReceiveCount": "5"}'}))
    assert rc != 0
    assert "InvalidParameterValue" in err
    assert "deadLetterTargetArn" in err


def test_add_and_remove_permission(aws, cli_queues):
    _, _, src = cli_queues
    ok(aws("add-permission", "--queue-url", src, "--label", "cli-grant", "--aws-account-ids",
           "111122223333", "--actions", "SendMessage", "ReceiveMessage"))
    policy = json.loads(ok(aws("get-queue-attributes", "--queue-url", src, "--attribute-names",
                               "Policy"))["Attributes"]["Policy"])
    [statement] = policy["Statement"]
    assert statement["Sid"] == "cli-grant"
    assert statement["Action"] == ["SQS:SendMessage", "SQS:ReceiveMessage"]
    rc, _, err = aws("remove-permission", "--queue-url", src, "--label", "other")
    assert rc != 0 and "InvalidParameterValue" in err
    ok(aws("remove-permission", "--queue-url", src, "--label", "cli-grant"))
    attrs = ok(aws("get-queue-attributes", "--queue-url", src, "--attribute-names", "Policy"))
    assert attrs is None or "Policy" not in attrs.get("Attributes", {})


def test_message_move_task(aws, cli_queues):
    if not has_move_tasks():
        pytest.skip(f"{AWS} has no message move task commands (awscli 2.9 predates them)")
    dlq, dlq_arn, src = cli_queues
    ok(aws("send-message", "--queue-url", src, "--message-body", "round trip"))
    ok(aws("receive-message", "--queue-url", src, "--visibility-timeout", "0"))
    ok(aws("receive-message", "--queue-url", src))  # moves it
    handle = ok(aws("start-message-move-task", "--source-arn", dlq_arn))["TaskHandle"]
    assert handle
    deadline = time.monotonic() + 20
    while True:
        [task] = ok(aws("list-message-move-tasks", "--source-arn", dlq_arn))["Results"]
        if task["Status"] != "RUNNING" or time.monotonic() > deadline:
            break
    assert task["Status"] == "COMPLETED"
    back = ok(aws("receive-message", "--queue-url", src))["Messages"][0]
    assert back["Body"] == "round trip"
    ok(aws("delete-message", "--queue-url", src, "--receipt-handle", back["ReceiptHandle"]))
    rc, _, err = aws("cancel-message-move-task", "--task-handle", handle)
    assert rc != 0 and "ResourceNotFoundException" in err
