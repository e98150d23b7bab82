"""Queue lifecycle through boto3 (query protocol): CreateQueue, GetQueueUrl, ListQueues,
DeleteQueue, Get/SetQueueAttributes, TagQueue/UntagQueue/ListQueueTags."""

import time

import pytest

from conftest import sqs_client
from sqs_helpers import ACCOUNT, REGION, raises_sqs_error

DEFAULTS = {
    "DelaySeconds": "0",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "0",
    "VisibilityTimeout": "30",
}
# GetQueueAttributes names of a standard queue that Sluice serves now.
ATTRIBUTE_NAMES = [
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
    *DEFAULTS,
]


def test_create_queue_returns_url_under_account(sqs, sluice, unique_name):
    name = unique_name()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    try:
        assert url == f"{sluice.endpoint}/{ACCOUNT}/{name}"
    finally:
        sqs.delete_queue(QueueUrl=url)


def test_new_queue_has_default_attributes(sqs, queue):
    before = int(time.time())
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    for name, value in DEFAULTS.items():
        assert attrs[name] == value, name
    for name in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                 "ApproximateNumberOfMessagesDelayed"):
        assert attrs[name] == "0", name
    created = int(attrs["CreatedTimestamp"])
    assert before - 60 <= created <= before + 5  # epoch seconds
    assert int(attrs["LastModifiedTimestamp"]) >= created
    assert attrs["QueueArn"] == f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue.rsplit('/', 1)[1]}"


def test_create_queue_with_attributes_and_tags(sqs, make_queue):
    attributes = {
        "DelaySeconds": "5",
        "MaximumMessageSize": "2048",
        "MessageRetentionPeriod": "120",
        "ReceiveMessageWaitTimeSeconds": "2",
        "VisibilityTimeout": "45",
    }
    url = make_queue(Attributes=attributes, tags={"team": "core", "env": "test"})
    got = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert {k: got[k] for k in attributes} == attributes
    assert sqs.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "core", "env": "test"}


def test_create_queue_is_idempotent_with_same_attributes(sqs, make_queue, unique_name):
    name = unique_name()
    first = make_queue(name=name, Attributes={"VisibilityTimeout": "40"})
    again = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "40"})
    assert again["QueueUrl"] == first
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == first


def test_create_queue_with_different_attributes_fails(sqs, make_queue, unique_name):
    name = unique_name()
    make_queue(name=name, Attributes={"VisibilityTimeout": "40"})
    with raises_sqs_error("QueueAlreadyExists", "QueueNameExists"):
        sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "41"})


@pytest.mark.parametrize("name,value", [
    ("VisibilityTimeout", "43201"),
    ("VisibilityTimeout", "-1"),
    ("VisibilityTimeout", "abc"),
    ("DelaySeconds", "901"),
    ("MaximumMessageSize", "1023"),
    ("MaximumMessageSize", "1048577"),
    ("MessageRetentionPeriod", "59"),
    ("MessageRetentionPeriod", "1209601"),
    ("ReceiveMessageWaitTimeSeconds", "21"),
])
def test_create_queue_rejects_invalid_attribute_value(sqs, unique_name, name, value):
    queue_name = unique_name()
    with raises_sqs_error("InvalidAttributeValue"):
        sqs.create_queue(QueueName=queue_name, Attributes={name: value})
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.get_queue_url(QueueName=queue_name)


def test_create_queue_rejects_unknown_attribute_name(sqs, unique_name):
    with raises_sqs_error("InvalidAttributeName"):
        sqs.create_queue(QueueName=unique_name(), Attributes={"NoSuchAttribute": "1"})


@pytest.mark.parametrize("name", ["a" * 81, "has space", "bang!", "dot.ted", "slash/ed", "ünï"])
def test_create_queue_rejects_bad_names(sqs, name):
    with raises_sqs_error("InvalidParameterValue"):
        sqs.create_queue(QueueName=name)


def test_create_queue_accepts_longest_name(sqs, make_queue):
    name = "A-z_9" * 16  # 80 characters
    assert make_queue(name=name).endswith("/" + name)


def test_create_queue_rejects_empty_name(sqs):
    with raises_sqs_error("InvalidParameterValue", "MissingParameter"):
        sqs.create_queue(QueueName="")


def test_get_queue_url(sqs, make_queue, unique_name):
    name = unique_name()
    url = make_queue(name=name)
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url
    assert sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=ACCOUNT)["QueueUrl"] == url


def test_get_queue_url_of_missing_queue(sqs, unique_name):
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.get_queue_url(QueueName=unique_name())


def test_queue_names_are_case_sensitive(sqs, make_queue, unique_name):
    name = unique_name("CaseQ")
    make_queue(name=name)
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.get_queue_url(QueueName=name.lower())


def test_list_queues_by_prefix(sqs, make_queue, unique_name):
    prefix = unique_name("lst")
    urls = sorted(make_queue(name=f"{prefix}-{i}") for i in range(3))
    other = make_queue()
    listed = sqs.list_queues(QueueNamePrefix=prefix)["QueueUrls"]
    assert sorted(listed) == urls
    assert other in sqs.list_queues()["QueueUrls"]
    assert "QueueUrls" not in sqs.list_queues(QueueNamePrefix=prefix + "-nothing-has-this")


def test_list_queues_pages_with_max_results_and_next_token(sqs, make_queue, unique_name):
    prefix = unique_name("page")
    urls = {make_queue(name=f"{prefix}-{i}") for i in range(5)}
    seen, pages, token = [], 0, None
    while True:
        kwargs = {"QueueNamePrefix": prefix, "MaxResults": 2}
        if token:
            kwargs["NextToken"] = token
        page = sqs.list_queues(**kwargs)
        pages += 1
        assert len(page.get("QueueUrls", [])) <= 2
        seen += page.get("QueueUrls", [])
        token = page.get("NextToken")
        if not token:
            break
        assert pages < 10, "NextToken never ends"
    assert sorted(seen) == sorted(urls)  # every queue exactly once
    assert pages == 3


def test_list_queues_paginator(sqs, make_queue, unique_name):
    prefix = unique_name("pgr")
    urls = {make_queue(name=f"{prefix}-{i}") for i in range(3)}
    paginator = sqs.get_paginator("list_queues")
    seen = [u for p in paginator.paginate(QueueNamePrefix=prefix, PaginationConfig={"PageSize": 1})
            for u in p.get("QueueUrls", [])]
    assert sorted(seen) == sorted(urls)


@pytest.mark.parametrize("max_results", [0, 1001])
def test_list_queues_rejects_bad_max_results(sqs, max_results):
    with raises_sqs_error("InvalidParameterValue"):
        sqs.list_queues(MaxResults=max_results)


def test_delete_queue(sqs, unique_name):
    name = unique_name()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="gone with the queue")
    sqs.delete_queue(QueueUrl=url)
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.get_queue_url(QueueName=name)
    assert url not in sqs.list_queues(QueueNamePrefix=name).get("QueueUrls", [])
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.send_message(QueueUrl=url, MessageBody="x")
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.delete_queue(QueueUrl=url)
    # The name is free again at once (AWS's 60-second wait is --queue-deleted-recently on).
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == url
    try:
        assert "Messages" not in sqs.receive_message(QueueUrl=url)
    finally:
        sqs.delete_queue(QueueUrl=url)


def test_queue_deleted_recently_when_the_flag_is_on(servers, tmp_path):
    server = servers(tmp_path / "data", "--queue-deleted-recently", "on")
    sqs = sqs_client(server.endpoint)
    url = sqs.create_queue(QueueName="again")["QueueUrl"]
    sqs.delete_queue(QueueUrl=url)
    with raises_sqs_error(
            "AWS.SimpleQueueService.QueueDeletedRecently",
            message="You must wait 60 seconds after deleting a queue before you can create "
                    "another with the same name."):
        sqs.create_queue(QueueName="again")
    # Other names are not held back.
    sqs.create_queue(QueueName="other")


@pytest.mark.slow
def test_recreated_queue_starts_empty(sqs, make_queue, unique_name):
    name = unique_name()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    for i in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"old {i}")
    handle = sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
    sqs.delete_queue(QueueUrl=url)
    time.sleep(61)
    assert make_queue(name=name) == url
    try:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
    except sqs.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "ReceiptHandleIsInvalid", e.response
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0"
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "0"
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)


@pytest.mark.parametrize("name", ATTRIBUTE_NAMES)
def test_get_each_queue_attribute_by_name(sqs, queue, name):
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=[name])["Attributes"]
    assert list(attrs) == [name]
    if name in DEFAULTS:
        assert attrs[name] == DEFAULTS[name]


def test_get_queue_attributes_all_includes_every_name(sqs, queue):
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert set(ATTRIBUTE_NAMES) <= set(attrs)
    assert "FifoQueue" not in attrs  # a standard queue reports no FIFO attributes


def test_get_queue_attributes_without_names_returns_none(sqs, queue):
    assert "Attributes" not in sqs.get_queue_attributes(QueueUrl=queue)


def test_get_queue_attributes_rejects_unknown_name(sqs, queue):
    with raises_sqs_error("InvalidAttributeName"):
        sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["NoSuchAttribute"])


def test_message_counts(sqs, queue):
    for i in range(3):
        sqs.send_message(QueueUrl=queue, MessageBody=f"visible {i}")
    sqs.send_message(QueueUrl=queue, MessageBody="delayed", DelaySeconds=60)
    sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1, VisibilityTimeout=60)
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "2"
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "1"
    assert attrs["ApproximateNumberOfMessagesDelayed"] == "1"


def test_set_queue_attributes(sqs, queue):
    created = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["CreatedTimestamp"])
    time.sleep(1.1)  # timestamps are in seconds
    new = {
        "DelaySeconds": "3",
        "MaximumMessageSize": "4096",
        "MessageRetentionPeriod": "600",
        "ReceiveMessageWaitTimeSeconds": "1",
        "VisibilityTimeout": "90",
    }
    sqs.set_queue_attributes(QueueUrl=queue, Attributes=new)
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert {k: attrs[k] for k in new} == new
    assert int(attrs["LastModifiedTimestamp"]) > int(created["Attributes"]["CreatedTimestamp"])
    assert attrs["CreatedTimestamp"] == created["Attributes"]["CreatedTimestamp"]


@pytest.mark.parametrize("name,value", [
    ("VisibilityTimeout", "43201"),
    ("DelaySeconds", "-1"),
    ("MaximumMessageSize", "100"),
    ("MessageRetentionPeriod", "30"),
    ("ReceiveMessageWaitTimeSeconds", "x"),
])
def test_set_queue_attributes_rejects_invalid_value(sqs, queue, name, value):
    with raises_sqs_error("InvalidAttributeValue"):
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={name: value})
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=[name])["Attributes"]
    assert attrs[name] == DEFAULTS[name]  # nothing changed


@pytest.mark.parametrize("name", ["NoSuchAttribute", "ApproximateNumberOfMessages", "QueueArn"])
def test_set_queue_attributes_rejects_unknown_or_read_only_name(sqs, queue, name):
    with raises_sqs_error("InvalidAttributeName"):
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={name: "1"})


def test_tag_untag_list(sqs, queue):
    assert sqs.list_queue_tags(QueueUrl=queue).get("Tags", {}) == {}
    sqs.tag_queue(QueueUrl=queue, Tags={"a": "1", "b": "2"})
    sqs.tag_queue(QueueUrl=queue, Tags={"b": "22", "c": "<&>\"'"})
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"] == {"a": "1", "b": "22", "c": "<&>\"'"}
    sqs.untag_queue(QueueUrl=queue, TagKeys=["a", "never-set"])
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"] == {"b": "22", "c": "<&>\"'"}
    sqs.untag_queue(QueueUrl=queue, TagKeys=["b", "c"])
    assert sqs.list_queue_tags(QueueUrl=queue).get("Tags", {}) == {}


TAG_KEY_LENGTH = "Tag keys must be between 1 and 128 characters in length."


def test_tag_limits_and_texts(sqs, queue):
    name = queue.rsplit("/", 1)[1]
    sqs.tag_queue(QueueUrl=queue, Tags={"keep": "me"})
    with raises_sqs_error("MissingParameter",
                          message="The request must contain the parameter Tags."):
        sqs.tag_queue(QueueUrl=queue, Tags={})
    with raises_sqs_error("InvalidParameterValue",
                          message=f"Too many tags added for queue {name}."):
        sqs.tag_queue(QueueUrl=queue, Tags={f"k{i}": "v" for i in range(51)})
    with raises_sqs_error("InvalidParameterValue", message=TAG_KEY_LENGTH):
        sqs.tag_queue(QueueUrl=queue, Tags={"k" * 129: "v"})
    with raises_sqs_error("InvalidParameterValue",
                          message="Tag values must be between 0 and 256 characters in length."):
        sqs.tag_queue(QueueUrl=queue, Tags={"k": "v" * 257})
    # 49 more make 50, the most a queue has; the 51st (in a later call) is too many.
    sqs.tag_queue(QueueUrl=queue, Tags={f"k{i}": "v" * 256 for i in range(49)})
    with raises_sqs_error("InvalidParameterValue",
                          message=f"Too many tags added for queue {name}."):
        sqs.tag_queue(QueueUrl=queue, Tags={"one-more": ""})
    tags = sqs.list_queue_tags(QueueUrl=queue)["Tags"]
    assert len(tags) == 50 and tags["keep"] == "me"  # failed calls changed nothing
    with raises_sqs_error("InvalidParameterValue", message=TAG_KEY_LENGTH):
        sqs.untag_queue(QueueUrl=queue, TagKeys=[])
    with raises_sqs_error("InvalidParameterValue", message=TAG_KEY_LENGTH):
        sqs.untag_queue(QueueUrl=queue, TagKeys=["keep", "k" * 129])
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"]["keep"] == "me"


def test_create_queue_with_too_many_tags(sqs, unique_name):
    name = unique_name()
    with raises_sqs_error("InvalidParameterValue",
                          message=f"Too many tags added for queue {name}."):
        sqs.create_queue(QueueName=name, tags={f"k{i}": "v" for i in range(51)})
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.get_queue_url(QueueName=name)
