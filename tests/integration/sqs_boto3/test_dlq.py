"""Dead-letter queues through boto3 (query protocol): RedrivePolicy and RedriveAllowPolicy as
GetQueueAttributes returns them and the errors for bad ones, the move of a message received more
than maxReceiveCount times, and ListDeadLetterSourceQueues with its paging."""

import json
import threading
import time

import pytest

from conftest import sqs_client
from sluice_server import http_get
from sqs_helpers import ACCOUNT, REGION, raises_sqs_error
from test_errors import metric_values


ARN_PREFIX = f"arn:aws:sqs:{REGION}:{ACCOUNT}:"


def arn_of(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]


def redrive(dlq_arn, max_receives):
    return json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receives})


@pytest.fixture
def dlq(sqs, make_queue):
    url = make_queue()
    return url, arn_of(sqs, url)


def receive_all(sqs, url, **kwargs):
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"],
                               MessageAttributeNames=["All"], **kwargs).get("Messages", [])


def test_redrive_policy_is_returned_as_sqs_formats_it(sqs, make_queue, dlq):
    _, dlq_arn = dlq
    # maxReceiveCount given as a string comes back as a number.
    url = make_queue(Attributes={"RedrivePolicy": json.dumps(
        {"maxReceiveCount": "7", "deadLetterTargetArn": dlq_arn})})
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["RedrivePolicy"] == (
        '{"deadLetterTargetArn":"%s","maxReceiveCount":7}' % dlq_arn)
    only = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])["Attributes"]
    assert only == {"RedrivePolicy": attrs["RedrivePolicy"]}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": ""})
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert "RedrivePolicy" not in attrs


def test_redrive_allow_policy_is_returned(sqs, make_queue, dlq):
    dlq_url, _ = dlq
    source_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:some-source"
    policy = {"redrivePermission": "byQueue", "sourceQueueArns": [source_arn]}
    sqs.set_queue_attributes(QueueUrl=dlq_url,
                             Attributes={"RedriveAllowPolicy": json.dumps(policy)})
    got = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["RedriveAllowPolicy"])
    assert json.loads(got["Attributes"]["RedriveAllowPolicy"]) == policy


def test_message_received_too_often_moves_to_the_dead_letter_queue(sqs, make_queue, dlq):
    dlq_url, dlq_arn = dlq
    url = make_queue(Attributes={"RedrivePolicy": redrive(dlq_arn, 2)})
    source_arn = arn_of(sqs, url)
    sent = sqs.send_message(QueueUrl=url, MessageBody="poison",
                            MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
    first = receive_all(sqs, url, VisibilityTimeout=0)
    second = receive_all(sqs, url, VisibilityTimeout=0)
    assert [m["Attributes"]["ApproximateReceiveCount"] for m in first + second] == ["1", "2"]
    # The third receive would exceed maxReceiveCount: the message moves instead.
    assert receive_all(sqs, url, VisibilityTimeout=0) == []
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0"
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "0"

    [moved] = receive_all(sqs, dlq_url)
    assert moved["MessageId"] == sent["MessageId"]
    assert moved["Body"] == "poison"
    assert moved["MessageAttributes"] == {"k": {"DataType": "String", "StringValue": "v"}}
    assert moved["Attributes"]["DeadLetterQueueSourceArn"] == source_arn
    assert moved["Attributes"]["ApproximateReceiveCount"] == "3"
    assert moved["Attributes"]["SentTimestamp"] == first[0]["Attributes"]["SentTimestamp"]
    assert (moved["Attributes"]["ApproximateFirstReceiveTimestamp"]
            == first[0]["Attributes"]["ApproximateFirstReceiveTimestamp"])
    # Asked for by name too; and absent from messages that never moved.
    sqs.change_message_visibility(QueueUrl=dlq_url, ReceiptHandle=moved["ReceiptHandle"],
                                  VisibilityTimeout=0)
    [again] = sqs.receive_message(QueueUrl=dlq_url,
                                  AttributeNames=["DeadLetterQueueSourceArn"])["Messages"]
    assert again["Attributes"] == {"DeadLetterQueueSourceArn": source_arn}
    sqs.send_message(QueueUrl=url, MessageBody="fine")
    [fine] = receive_all(sqs, url)
    assert "DeadLetterQueueSourceArn" not in fine["Attributes"]


def test_metrics_count_dead_lettered_messages(sqs, sluice, make_queue, dlq):
    def dead_lettered():
        _, body = http_get(sluice.endpoint + "/metrics")
        return metric_values(body.decode())["sluice_messages_dead_lettered_total"]

    _, dlq_arn = dlq
    url = make_queue(Attributes={"RedrivePolicy": redrive(dlq_arn, 1)})
    before = dead_lettered()
    sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "m"}
                                                  for i in range(3)])
    while receive_all(sqs, url, VisibilityTimeout=0):
        pass
    assert dead_lettered() - before == 3


def test_many_messages_move_once_each(sqs, make_queue, dlq):
    dlq_url, dlq_arn = dlq
    url = make_queue(Attributes={"RedrivePolicy": redrive(dlq_arn, 1)})
    bodies = {f"m{i}" for i in range(25)}
    for i in range(0, 25, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(j), "MessageBody": f"m{j}"} for j in range(i, min(i + 10, 25))])
    received = []
    while len(received) < 25:
        batch = receive_all(sqs, url, VisibilityTimeout=0)
        assert batch, "messages went missing before their first receive"
        received += batch
    assert {m["Body"] for m in received} == bodies
    # Every further receive moves what it finds; nothing is delivered twice.
    for _ in range(5):
        assert receive_all(sqs, url, VisibilityTimeout=0) == []
    moved = []
    while True:
        batch = receive_all(sqs, dlq_url, VisibilityTimeout=60)
        if not batch:
            break
        moved += batch
    assert sorted(m["Body"] for m in moved) == sorted(bodies)


def test_a_long_poll_on_the_dead_letter_queue_wakes_for_a_moved_message(sqs, sluice, make_queue,
                                                                        dlq):
    dlq_url, dlq_arn = dlq
    url = make_queue(Attributes={"RedrivePolicy": redrive(dlq_arn, 1)})
    sqs.send_message(QueueUrl=url, MessageBody="wake")
    receive_all(sqs, url, VisibilityTimeout=0)
    got = {}

    def poll():
        got["messages"] = sqs_client(sluice.endpoint).receive_message(
            QueueUrl=dlq_url, WaitTimeSeconds=10).get("Messages", [])

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.5)
    receive_all(sqs, url)
    poller.join(timeout=15)
    assert [m["Body"] for m in got["messages"]] == ["wake"]


@pytest.mark.parametrize("policy,reason", [
    ("not json", "Redrive policy is not a valid JSON map."),
    ("{}", "Redrive policy does not contain mandatory attribute: maxReceiveCount."),
    ('{"maxReceiveCount": 3}',
     "Redrive policy does not contain mandatory attribute: deadLetterTargetArn."),
    ('{"deadLetterTargetArn": "DLQ", "maxReceiveCount": 0}',
     "Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive."),
    ('{"deadLetterTargetArn": "DLQ", "maxReceiveCount": 1001}',
     "Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive."),
    ('{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}',
     "Invalid value for deadLetterTargetArn."),
    ('{"deadLetterTargetArn": "DLQ", "maxReceiveCount": 3, "extra": 1}',
     "Only following attributes are supported:[deadLetterTargetArn, maxReceiveCount]."),
    ('{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:no-such-dlq-x1",'
     ' "maxReceiveCount": 3}', "Dead letter target does not exist."),
])
@pytest.mark.parametrize("action", ["create", "set"])
def test_bad_redrive_policies_are_rejected(sqs, make_queue, unique_name, dlq, policy, reason,
                                          action):
    _, dlq_arn = dlq
    policy = policy.replace("DLQ", dlq_arn)
    with raises_sqs_error("InvalidParameterValue") as info:
        if action == "create":
            sqs.create_queue(QueueName=unique_name(), Attributes={"RedrivePolicy": policy})
        else:
            sqs.set_queue_attributes(QueueUrl=make_queue(), Attributes={"RedrivePolicy": policy})
    assert info.value.response["Error"]["Message"].endswith("Reason: " + reason)


@pytest.mark.parametrize("policy", [
    "nope",
    '{"redrivePermission": "sometimes"}',
    '{"redrivePermission": "byQueue"}',
    json.dumps({"redrivePermission": "allowAll", "sourceQueueArns": [f"{ARN_PREFIX}a"]}),
    json.dumps({"redrivePermission": "byQueue",
                "sourceQueueArns": [f"{ARN_PREFIX}q{i}" for i in range(11)]}),
])
def test_bad_redrive_allow_policies_are_rejected(sqs, make_queue, policy):
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.set_queue_attributes(QueueUrl=make_queue(), Attributes={"RedriveAllowPolicy": policy})
    assert "for parameter RedriveAllowPolicy is invalid" in info.value.response["Error"]["Message"]


def test_redrive_allow_policy_is_enforced_when_a_source_names_the_queue(sqs, make_queue,
                                                                        unique_name):
    allowed_name, denied_name = unique_name("allowed"), unique_name("denied")
    allowed_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{allowed_name}"
    dlq_url = make_queue(Attributes={"RedriveAllowPolicy": json.dumps(
        {"redrivePermission": "byQueue", "sourceQueueArns": [allowed_arn]})})
    dlq_arn = arn_of(sqs, dlq_url)
    make_queue(name=allowed_name, Attributes={"RedrivePolicy": redrive(dlq_arn, 3)})
    with raises_sqs_error("InvalidParameterValue"):
        make_queue(name=denied_name, Attributes={"RedrivePolicy": redrive(dlq_arn, 3)})
    denied = make_queue(name=denied_name)
    name_dlq = {"RedrivePolicy": redrive(dlq_arn, 3)}
    with raises_sqs_error("InvalidParameterValue"):
        sqs.set_queue_attributes(QueueUrl=denied, Attributes=name_dlq)
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={
        "RedriveAllowPolicy": '{"redrivePermission":"denyAll"}'})
    with raises_sqs_error("InvalidParameterValue"):
        sqs.set_queue_attributes(QueueUrl=denied, Attributes=name_dlq)
    sqs.set_queue_attributes(QueueUrl=dlq_url, Attributes={
        "RedriveAllowPolicy": '{"redrivePermission":"allowAll"}'})
    sqs.set_queue_attributes(QueueUrl=denied, Attributes=name_dlq)


def test_list_dead_letter_source_queues_pages(sqs, make_queue, unique_name, dlq):
    dlq_url, dlq_arn = dlq
    prefix = unique_name("src")
    sources = sorted(make_queue(name=f"{prefix}-{i}", Attributes={
        "RedrivePolicy": redrive(dlq_arn, 5)}) for i in range(5))
    make_queue()  # not a source
    everything = sqs.list_dead_letter_source_queues(QueueUrl=dlq_url)
    assert sorted(everything["queueUrls"]) == sources
    assert "NextToken" not in everything
    seen, token, pages = [], None, 0
    while True:
        kwargs = {"QueueUrl": dlq_url, "MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        page = sqs.list_dead_letter_source_queues(**kwargs)
        pages += 1
        assert len(page["queueUrls"]) <= 2
        seen += page["queueUrls"]
        token = page.get("NextToken")
        if not token:
            break
        assert pages < 10
    assert seen == sources
    assert pages == 3
    assert sqs.list_dead_letter_source_queues(QueueUrl=make_queue()).get("queueUrls", []) == []


@pytest.mark.parametrize("max_results", [0, 1001])
def test_list_dead_letter_source_queues_rejects_bad_max_results(sqs, dlq, max_results):
    with raises_sqs_error("InvalidParameterValue"):
        sqs.list_dead_letter_source_queues(QueueUrl=dlq[0], MaxResults=max_results)


def test_list_dead_letter_source_queues_of_missing_queue(sqs, sluice):
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.list_dead_letter_source_queues(QueueUrl=f"{sluice.endpoint}/{ACCOUNT}/no-such-dlq")
