"""The AWS CLI against Sluice, as a user types it: `aws --endpoint-url URL sqs ...` with dummy
credentials. Debian's awscli (2.9, /usr/bin/aws) speaks the SQS query protocol. $SLUICE_AWS_CLI
overrides which `aws` is run."""

import json

import pytest

from aws_cli import AWS, cli_runner, ok  # noqa: F401  (ok: also imported by sibling modules)
from sqs_helpers import ACCOUNT, md5_hex

pytestmark = pytest.mark.skipif(AWS is None, reason="no aws CLI installed")


@pytest.fixture(scope="module")
def aws(sluice, tmp_path_factory):
    """aws(*args, env=None) -> (exit code, parsed JSON stdout or None, stderr)."""
    return cli_runner(sluice.endpoint, "sqs", tmp_path_factory.mktemp("aws"))


@pytest.fixture(scope="module")
def cli_queue(aws):
    """One queue for the tests of this module (each CLI call costs a second or more); every test
    leaves it empty."""
    name = "cli-shared"
    rc, out, err = aws("create-queue", "--queue-name", name)
    assert rc == 0, err
    yield name, out["QueueUrl"]
    aws("delete-queue", "--queue-url", out["QueueUrl"])



def test_create_get_url_list_delete(aws, sluice, unique_name):
    name = unique_name("cli")
    url = ok(aws("create-queue", "--queue-name", name, "--attributes", "VisibilityTimeout=45",
                 "--tags", "team=core"))["QueueUrl"]
    assert url == f"{sluice.endpoint}/{ACCOUNT}/{name}"
    assert ok(aws("get-queue-url", "--queue-name", name))["QueueUrl"] == url
    assert url in ok(aws("list-queues", "--queue-name-prefix", name))["QueueUrls"]
    assert ok(aws("delete-queue", "--queue-url", url)) is None
    out = ok(aws("list-queues", "--queue-name-prefix", name))
    assert out is None or url not in out.get("QueueUrls", [])


def test_send_receive_delete(aws, cli_queue):
    _, url = cli_queue
    body = 'cli <body> & "quotes"'
    sent = ok(aws("send-message", "--queue-url", url, "--message-body", body,
                  "--message-attributes", '{"k":{"DataType":"String","StringValue":"v"}}'))
    assert sent["MD5OfMessageBody"] == md5_hex(body)
    got = ok(aws("receive-message", "--queue-url", url, "--max-number-of-messages", "10",
                 "--attribute-names", "All", "--message-attribute-names", "All",
                 "--wait-time-seconds", "1"))
    [msg] = got["Messages"]
    assert msg["MessageId"] == sent["MessageId"]
    assert msg["Body"] == body
    assert msg["MessageAttributes"]["k"]["StringValue"] == "v"
    assert msg["Attributes"]["ApproximateReceiveCount"] == "1"
    ok(aws("delete-message", "--queue-url", url, "--receipt-handle", msg["ReceiptHandle"]))
    attrs = ok(aws("get-queue-attributes", "--queue-url", url, "--attribute-names", "All"))
    assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "0"
    assert attrs["Attributes"]["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_batches(aws, cli_queue):
    _, url = cli_queue
    entries = [{"Id": f"e{i}", "MessageBody": f"body {i}"} for i in range(3)]
    out = ok(aws("send-message-batch", "--queue-url", url, "--entries", json.dumps(entries)))
    assert sorted(e["Id"] for e in out["Successful"]) == ["e0", "e1", "e2"]
    msgs = []
    for _ in range(10):
        got = ok(aws("receive-message", "--queue-url", url, "--max-number-of-messages", "10"))
        msgs += (got or {}).get("Messages", [])
        if len(msgs) == 3:
            break
    assert sorted(m["Body"] for m in msgs) == ["body 0", "body 1", "body 2"]
    handles = [{"Id": f"d{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)]
    out = ok(aws("change-message-visibility-batch", "--queue-url", url, "--entries",
                 json.dumps([dict(h, VisibilityTimeout=60) for h in handles])))
    assert len(out["Successful"]) == 3
    out = ok(aws("delete-message-batch", "--queue-url", url, "--entries", json.dumps(handles)))
    assert len(out["Successful"]) == 3


def test_change_message_visibility(aws, cli_queue):
    _, url = cli_queue
    ok(aws("send-message", "--queue-url", url, "--message-body", "cmv"))
    [msg] = ok(aws("receive-message", "--queue-url", url, "--visibility-timeout", "60"))["Messages"]
    ok(aws("change-message-visibility", "--queue-url", url, "--receipt-handle",
           msg["ReceiptHandle"], "--visibility-timeout", "0"))
    [again] = ok(aws("receive-message", "--queue-url", url))["Messages"]
    assert again["MessageId"] == msg["MessageId"]
    ok(aws("delete-message", "--queue-url", url, "--receipt-handle", again["ReceiptHandle"]))


def test_attributes(aws, cli_queue):
    name, url = cli_queue
    ok(aws("set-queue-attributes", "--queue-url", url, "--attributes",
           "VisibilityTimeout=90,MaximumMessageSize=4096"))
    attrs = ok(aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                   "VisibilityTimeout", "MaximumMessageSize", "QueueArn"))["Attributes"]
    assert attrs == {"VisibilityTimeout": "90", "MaximumMessageSize": "4096",
                     "QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"}


def test_tags(aws, cli_queue):
    _, url = cli_queue
    ok(aws("tag-queue", "--queue-url", url, "--tags", "a=1,b=2"))
    ok(aws("untag-queue", "--queue-url", url, "--tag-keys", "a"))
    assert ok(aws("list-queue-tags", "--queue-url", url))["Tags"] == {"b": "2"}


def test_purge(aws, cli_queue):
    _, url = cli_queue
    ok(aws("send-message", "--queue-url", url, "--message-body", "purged"))
    ok(aws("purge-queue", "--queue-url", url))
    attrs = ok(aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                   "ApproximateNumberOfMessages"))["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0"


def test_missing_queue_error(aws, unique_name):
    rc, out, err = aws("get-queue-url", "--queue-name", unique_name("missing"))
    assert rc in (254, 255), (rc, err)
    assert "AWS.SimpleQueueService.NonExistentQueue" in err


def test_invalid_attribute_error(aws, unique_name):
    rc, out, err = aws("create-queue", "--queue-name", unique_name("bad"), "--attributes",
                       "VisibilityTimeout=99999")
    assert rc in (254, 255), (rc, err)
    assert "InvalidAttributeValue" in err


def test_existing_queue_with_other_attributes_error(aws, cli_queue):
    name, _ = cli_queue
    rc, out, err = aws("create-queue", "--queue-name", name, "--attributes", "DelaySeconds=7")
    assert rc in (254, 255), (rc, err)
    assert "QueueAlreadyExists" in err or "QueueNameExists" in err
