"""Messages through boto3 (query protocol): SendMessage(+Batch), ReceiveMessage (long polling,
attributes), DeleteMessage(+Batch), ChangeMessageVisibility(+Batch), PurgeQueue, delays and the
visibility timeout."""

import re
import threading
import time

import pytest

from sqs_helpers import md5_hex, md5_of_message_attributes, post, raises_sqs_error

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

ALL_TYPES = {
    "str": {"DataType": "String", "StringValue": "hello <&> wörld"},
    "num": {"DataType": "Number", "StringValue": "-12.5e3"},
    "bin": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff binary"},
    "custom.str": {"DataType": "String.custom", "StringValue": "typed"},
    "custom.num": {"DataType": "Number.int", "StringValue": "42"},
    "custom.bin": {"DataType": "Binary.gif", "BinaryValue": b"GIF89a"},
}


def receive_all(sqs, url, expected, **kwargs):
    """Receives until `expected` messages arrived (short waits), returns them."""
    got, deadline = [], time.monotonic() + 10
    while len(got) < expected and time.monotonic() < deadline:
        got += sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                   **kwargs).get("Messages", [])
    return got


def receive_one(sqs, url, **kwargs):
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, **kwargs).get("Messages", [])
    assert len(msgs) == 1, msgs
    return msgs[0]


def assert_empty(sqs, url):
    assert "Messages" not in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)


def test_send_receive_delete(sqs, queue):
    sent = sqs.send_message(QueueUrl=queue, MessageBody="hello")
    assert UUID.match(sent["MessageId"])
    assert sent["MD5OfMessageBody"] == md5_hex("hello")
    assert "MD5OfMessageAttributes" not in sent
    msg = receive_one(sqs, queue)
    assert msg["MessageId"] == sent["MessageId"]
    assert msg["Body"] == "hello"
    assert msg["MD5OfBody"] == md5_hex("hello")
    assert msg["ReceiptHandle"]
    assert_empty(sqs, queue)  # in flight now
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=msg["ReceiptHandle"])
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0"
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "0"


@pytest.mark.parametrize("body", [
    "<tag attr=\"v\">a & b</tag> ]]> <![CDATA[x]]>",
    "line1\r\nline2\rline3\n\ttabbed  ",
    "emoji \U0001F600 and \u00e9\u4e2d\ufffd and \ue000",
    "  leading and trailing spaces  ",
    "%41%20+plus&amp;=equals?",
    "x",
])
def test_body_round_trips_exactly(sqs, queue, body):
    sent = sqs.send_message(QueueUrl=queue, MessageBody=body)
    assert sent["MD5OfMessageBody"] == md5_hex(body)
    msg = receive_one(sqs, queue)
    assert msg["Body"] == body
    assert msg["MD5OfBody"] == md5_hex(body)


@pytest.mark.parametrize("body", ["nul \u0000 char", "bell \u0007", "not a char \uffff", "\ufffe",
                                  "vt \u000b"])
def test_invalid_characters_are_rejected(sqs, queue, body):
    with raises_sqs_error("InvalidMessageContents"):
        sqs.send_message(QueueUrl=queue, MessageBody=body)
    assert_empty(sqs, queue)


def test_empty_body_is_rejected(sqs, queue):
    with raises_sqs_error("MissingParameter", "InvalidParameterValue"):
        sqs.send_message(QueueUrl=queue, MessageBody="")


def test_message_size_limit_of_queue(sqs, make_queue):
    url = make_queue(Attributes={"MaximumMessageSize": "1024"})
    sqs.send_message(QueueUrl=url, MessageBody="a" * 1024)
    with raises_sqs_error("InvalidParameterValue"):
        sqs.send_message(QueueUrl=url, MessageBody="a" * 1025)
    # Multi-byte characters count as bytes: 342 * 3 = 1026 bytes.
    with raises_sqs_error("InvalidParameterValue"):
        sqs.send_message(QueueUrl=url, MessageBody="\u4e2d" * 342)
    assert receive_one(sqs, url)["Body"] == "a" * 1024


def test_message_size_counts_attributes(sqs, make_queue):
    url = make_queue(Attributes={"MaximumMessageSize": "1024"})
    attributes = {"k": {"DataType": "String", "StringValue": "v" * 100}}
    with raises_sqs_error("InvalidParameterValue"):
        sqs.send_message(QueueUrl=url, MessageBody="a" * 1000, MessageAttributes=attributes)


def test_at_most_10_message_attributes(sqs, queue):
    attributes = {f"k{i}": {"DataType": "String", "StringValue": "v"} for i in range(11)}
    with raises_sqs_error("InvalidParameterValue"):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attributes)
    del attributes["k10"]
    sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attributes)
    msg = receive_one(sqs, queue, MessageAttributeNames=[".*"])  # ".*" is All too
    assert len(msg["MessageAttributes"]) == 10


def test_default_message_size_limit_is_1_mib(sqs, queue):
    big = "b" * 1048576
    sqs.send_message(QueueUrl=queue, MessageBody=big)
    with raises_sqs_error("InvalidParameterValue"):
        sqs.send_message(QueueUrl=queue, MessageBody=big + "b")
    assert receive_one(sqs, queue)["Body"] == big


def test_message_attributes_of_every_type(sqs, queue):
    sent = sqs.send_message(QueueUrl=queue, MessageBody="attrs", MessageAttributes=ALL_TYPES)
    assert sent["MD5OfMessageAttributes"] == md5_of_message_attributes(ALL_TYPES)
    msg = receive_one(sqs, queue, MessageAttributeNames=["All"])
    got = msg["MessageAttributes"]
    assert set(got) == set(ALL_TYPES)
    for name, value in ALL_TYPES.items():
        assert got[name]["DataType"] == value["DataType"], name
        key = "BinaryValue" if "BinaryValue" in value else "StringValue"
        assert got[name][key] == value[key], name
    assert msg["MD5OfMessageAttributes"] == md5_of_message_attributes(ALL_TYPES)


def test_message_attribute_names_select_by_name_and_prefix(sqs, queue):
    attributes = {
        "pre.one": {"DataType": "String", "StringValue": "1"},
        "pre.two": {"DataType": "Number", "StringValue": "2"},
        "prefix": {"DataType": "String", "StringValue": "not under pre."},
        "other": {"DataType": "String", "StringValue": "o"},
    }
    sqs.send_message(QueueUrl=queue, MessageBody="m", MessageAttributes=attributes)

    msg = receive_one(sqs, queue, MessageAttributeNames=["pre.*"], VisibilityTimeout=0)
    assert set(msg["MessageAttributes"]) == {"pre.one", "pre.two"}
    selected = {k: attributes[k] for k in ("pre.one", "pre.two")}
    assert msg["MD5OfMessageAttributes"] == md5_of_message_attributes(selected)

    msg = receive_one(sqs, queue, MessageAttributeNames=["other", "missing"], VisibilityTimeout=0)
    assert set(msg["MessageAttributes"]) == {"other"}

    msg = receive_one(sqs, queue, VisibilityTimeout=0)
    assert "MessageAttributes" not in msg


RESERVED_NAME = ("You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These "
                 "strings are reserved for internal use. Additionally, they cannot start or end "
                 "with '.'.")
INVALID_CHARACTERS = ("Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | "
                      "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")


@pytest.mark.parametrize("attributes,message", [
    ({"n": {"DataType": "Number", "StringValue": "not-a-number"}},
     "Can't cast the value of message (user) attribute 'n' to a number."),
    ({"n": {"DataType": "Strange", "StringValue": "x"}},
     "The message attribute 'n' has an invalid message attribute type, the set of supported type "
     "prefixes is Binary, Number, and String."),
    ({"n": {"DataType": "Strings", "StringValue": "x"}},
     "The message attribute 'n' has an invalid message attribute type, the set of supported type "
     "prefixes is Binary, Number, and String."),
    ({"n": {"DataType": "Binary", "StringValue": "x"}},
     "The message attribute 'n' with type 'Binary' must use field 'Binary'."),
    ({"n": {"DataType": "Number", "BinaryValue": b"1"}},
     "The message attribute 'n' with type 'Number' must use field 'String'."),
    ({"AWS.reserved": {"DataType": "String", "StringValue": "x"}}, RESERVED_NAME),
    ({"amazon.reserved": {"DataType": "String", "StringValue": "x"}}, RESERVED_NAME),
    ({".dot": {"DataType": "String", "StringValue": "x"}}, RESERVED_NAME),
    ({"dot.": {"DataType": "String", "StringValue": "x"}}, RESERVED_NAME),
    ({"bad name": {"DataType": "String", "StringValue": "x"}},
     "Message (user) attributes name can only contain upper and lower score characters, digits, "
     "periods, hyphens and underscores. "),
    ({"a..b": {"DataType": "String", "StringValue": "x"}},
     "Message (user) attribute name 'a..b' can not contain successive periods."),
    ({"n" * 257: {"DataType": "String", "StringValue": "x"}},
     "Message (user) attribute names must be shorter than 256 Bytes"),
    ({"s": {"DataType": "String", "StringValue": "nul \u0000"}}, INVALID_CHARACTERS),
    ({"n": {"DataType": "String", "StringValue": ""}},
     "The message attribute 'n' must contain non-empty message attribute value for message "
     "attribute type 'String'."),
], ids=["number", "type", "type-prefix", "binary-field", "string-field", "aws-prefix",
        "amazon-prefix", "leading-dot", "trailing-dot", "name-chars", "double-dot", "name-length",
        "value-chars", "empty-value"])
def test_invalid_message_attributes_are_rejected(sqs, queue, attributes, message):
    with raises_sqs_error("InvalidParameterValue", message=message):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attributes)
    # In a batch the same check fails the entry alone, with the same code and text.
    resp = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": "bad", "MessageBody": "x", "MessageAttributes": attributes}])
    assert resp["Failed"] == [{"Id": "bad", "SenderFault": True, "Code": "InvalidParameterValue",
                               "Message": message}]


def test_system_attributes_all(sqs, queue):
    before_ms = int(time.time() * 1000)
    sqs.send_message(QueueUrl=queue, MessageBody="sys")
    msg = receive_one(sqs, queue, AttributeNames=["All"])
    attrs = msg["Attributes"]
    assert attrs["ApproximateReceiveCount"] == "1"
    sent_ts = int(attrs["SentTimestamp"])  # epoch milliseconds
    assert before_ms - 5000 <= sent_ts <= before_ms + 5000
    first = int(attrs["ApproximateFirstReceiveTimestamp"])
    assert sent_ts <= first <= int(time.time() * 1000) + 1000
    assert attrs["SenderId"]


@pytest.mark.parametrize("name", ["ApproximateReceiveCount", "SentTimestamp",
                                  "ApproximateFirstReceiveTimestamp", "SenderId"])
def test_system_attribute_by_name(sqs, queue, name):
    sqs.send_message(QueueUrl=queue, MessageBody="sys")
    msg = receive_one(sqs, queue, AttributeNames=[name])
    assert list(msg["Attributes"]) == [name]


def test_send_with_delay_seconds(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="later", DelaySeconds=2)
    sqs.send_message(QueueUrl=queue, MessageBody="now")
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesDelayed"] == "1"
    assert receive_one(sqs, queue)["Body"] == "now"
    assert_empty(sqs, queue)
    time.sleep(2.2)
    assert receive_one(sqs, queue)["Body"] == "later"


def test_queue_delay_applies_and_message_delay_overrides(sqs, make_queue):
    url = make_queue(Attributes={"DelaySeconds": "2"})
    sqs.send_message(QueueUrl=url, MessageBody="queue delay")
    sqs.send_message(QueueUrl=url, MessageBody="no delay", DelaySeconds=0)
    assert receive_one(sqs, url)["Body"] == "no delay"
    assert_empty(sqs, url)
    time.sleep(2.2)
    assert receive_one(sqs, url)["Body"] == "queue delay"


def test_send_rejects_delay_over_900(sqs, queue):
    with raises_sqs_error("InvalidParameterValue"):
        sqs.send_message(QueueUrl=queue, MessageBody="x", DelaySeconds=901)


def test_max_number_of_messages(sqs, queue):
    for i in range(15):
        sqs.send_message(QueueUrl=queue, MessageBody=str(i))
    first = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10,
                                WaitTimeSeconds=1)["Messages"]
    assert 1 <= len(first) <= 10
    assert len(sqs.receive_message(QueueUrl=queue)["Messages"]) == 1  # default is 1
    rest = receive_all(sqs, queue, 15 - len(first) - 1)
    bodies = [m["Body"] for m in first] + [m["Body"] for m in rest]
    assert len(bodies) == 14 and len(set(bodies)) == 14


@pytest.mark.parametrize("kwargs", [{"MaxNumberOfMessages": 11}, {"MaxNumberOfMessages": 0},
                                    {"WaitTimeSeconds": 21}, {"VisibilityTimeout": 43201}])
def test_receive_rejects_out_of_range_parameters(sqs, queue, kwargs):
    with raises_sqs_error("InvalidParameterValue"):
        sqs.receive_message(QueueUrl=queue, **kwargs)


def test_long_poll_returns_when_a_message_arrives(sqs, sluice, queue):
    from conftest import sqs_client

    sender = sqs_client(sluice.endpoint)
    timer = threading.Timer(0.5, lambda: sender.send_message(QueueUrl=queue, MessageBody="wake up"))
    start = time.monotonic()
    timer.start()
    try:
        resp = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=10)
    finally:
        timer.join()
    elapsed = time.monotonic() - start
    assert [m["Body"] for m in resp["Messages"]] == ["wake up"]
    assert 0.4 <= elapsed < 3, elapsed


def test_long_poll_times_out_empty(sqs, queue):
    start = time.monotonic()
    resp = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=2)
    elapsed = time.monotonic() - start
    assert "Messages" not in resp
    assert 1.8 <= elapsed < 4, elapsed


def test_queue_receive_wait_time_is_the_default_long_poll(sqs, make_queue):
    url = make_queue(Attributes={"ReceiveMessageWaitTimeSeconds": "1"})
    start = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
    assert time.monotonic() - start >= 0.8
    start = time.monotonic()
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    assert time.monotonic() - start < 0.8


def test_one_message_wakes_one_of_two_pollers(sqs, sluice, queue):
    from conftest import sqs_client

    results = []

    def poll():
        client = sqs_client(sluice.endpoint)
        start = time.monotonic()
        msgs = client.receive_message(QueueUrl=queue, WaitTimeSeconds=3).get("Messages", [])
        results.append((len(msgs), time.monotonic() - start))

    pollers = [threading.Thread(target=poll) for _ in range(2)]
    for p in pollers:
        p.start()
    time.sleep(0.5)
    sqs.send_message(QueueUrl=queue, MessageBody="only one")
    for p in pollers:
        p.join()
    results.sort()
    assert [n for n, _ in results] == [0, 1]
    assert results[1][1] < 2.5  # the winner returned early
    assert results[0][1] >= 2.7  # the other kept waiting for its whole wait time


def test_visibility_timeout_expiry_redelivers(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="again")
    first = receive_one(sqs, queue, VisibilityTimeout=1, AttributeNames=["All"])
    assert first["Attributes"]["ApproximateReceiveCount"] == "1"
    assert_empty(sqs, queue)
    time.sleep(1.3)
    second = receive_one(sqs, queue, VisibilityTimeout=30, AttributeNames=["All"])
    assert second["MessageId"] == first["MessageId"]
    assert second["ReceiptHandle"] != first["ReceiptHandle"]
    assert second["Attributes"]["ApproximateReceiveCount"] == "2"
    assert (second["Attributes"]["ApproximateFirstReceiveTimestamp"]
            == first["Attributes"]["ApproximateFirstReceiveTimestamp"])


def test_queue_visibility_timeout_is_the_default(sqs, make_queue):
    url = make_queue(Attributes={"VisibilityTimeout": "1"})
    sqs.send_message(QueueUrl=url, MessageBody="v")
    receive_one(sqs, url)
    assert_empty(sqs, url)
    time.sleep(1.3)
    receive_one(sqs, url)


def test_stale_receipt_handle_does_not_delete_redelivered_message(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="stale")
    first = receive_one(sqs, queue, VisibilityTimeout=1)
    time.sleep(1.3)
    second = receive_one(sqs, queue, VisibilityTimeout=30)
    try:
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=first["ReceiptHandle"])
    except sqs.exceptions.ClientError as e:  # AWS may answer either way, but must not delete
        assert e.response["Error"]["Code"] == "ReceiptHandleIsInvalid", e.response
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "1"
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=second["ReceiptHandle"])
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_delete_twice_with_same_handle_succeeds(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    handle = receive_one(sqs, queue)["ReceiptHandle"]
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=handle)
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=handle)


def test_delete_with_invalid_receipt_handle(sqs, queue):
    # The SQS API reference gives ReceiptHandleIsInvalid HTTP status 404.
    with raises_sqs_error("ReceiptHandleIsInvalid", status=404):
        sqs.delete_message(QueueUrl=queue, ReceiptHandle="not-a-receipt-handle")


def test_change_message_visibility(sqs, queue):
    sqs.send_message(QueueUrl=queue, MessageBody="cmv")
    msg = receive_one(sqs, queue, VisibilityTimeout=30)
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=msg["ReceiptHandle"],
                                  VisibilityTimeout=0)
    again = receive_one(sqs, queue, VisibilityTimeout=1)
    assert again["MessageId"] == msg["MessageId"]
    # Extend before it expires: it stays hidden past the original second.
    sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=again["ReceiptHandle"],
                                  VisibilityTimeout=3)
    time.sleep(1.5)
    assert_empty(sqs, queue)


def test_change_message_visibility_errors(sqs, queue):
    with raises_sqs_error("ReceiptHandleIsInvalid", status=404):
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle="bogus", VisibilityTimeout=5)
    sqs.send_message(QueueUrl=queue, MessageBody="x")
    msg = receive_one(sqs, queue)
    with raises_sqs_error("InvalidParameterValue"):
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=msg["ReceiptHandle"],
                                      VisibilityTimeout=43201)


def invalid_handle(handle):
    return f'The input receipt handle "{handle}" is not a valid receipt handle.'


def test_receipt_handle_errors_in_awss_words(sqs, queue, make_queue):
    for call in (lambda h: sqs.delete_message(QueueUrl=queue, ReceiptHandle=h),
                 lambda h: sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=h,
                                                         VisibilityTimeout=5)):
        with raises_sqs_error("ReceiptHandleIsInvalid", status=404,
                              message=invalid_handle("not-a-handle")):
            call("not-a-handle")
    # Another queue's handle is not one of this queue's.
    other = make_queue()
    sqs.send_message(QueueUrl=other, MessageBody="elsewhere")
    foreign = receive_one(sqs, other)["ReceiptHandle"]
    with raises_sqs_error("ReceiptHandleIsInvalid", status=404, message=invalid_handle(foreign)):
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=foreign)

    sqs.send_message(QueueUrl=queue, MessageBody="x")
    first = receive_one(sqs, queue, VisibilityTimeout=1)["ReceiptHandle"]
    time.sleep(1.3)
    # Visible again, not received since: not in flight.
    with raises_sqs_error("AWS.SimpleQueueService.MessageNotInflight",
                          message="The message referred to isn't in flight."):
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=first, VisibilityTimeout=5)
    second = receive_one(sqs, queue, VisibilityTimeout=30)["ReceiptHandle"]
    with raises_sqs_error("InvalidParameterValue",
                          message=f"Value {first} for parameter ReceiptHandle is invalid. Reason: "
                                  "The receipt handle has expired."):
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=first, VisibilityTimeout=5)
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=second)
    with raises_sqs_error("InvalidParameterValue",
                          message=f"Value {second} for parameter ReceiptHandle is invalid. "
                                  "Reason: Message does not exist or is not available for "
                                  "visibility timeout change."):
        sqs.change_message_visibility(QueueUrl=queue, ReceiptHandle=second, VisibilityTimeout=5)


def test_batches_whose_entries_all_failed(sqs, sluice, queue):
    entries = [{"Id": "a", "ReceiptHandle": "zz"}]
    expected = [{"Id": "a", "SenderFault": True, "Code": "ReceiptHandleIsInvalid",
                 "Message": invalid_handle("zz")}]
    resp = sqs.delete_message_batch(QueueUrl=queue, Entries=entries)
    assert resp["Failed"] == expected
    # A flattened list has no element of its own, so an empty one is no element at all (boto3
    # then has no Successful key; it never has an empty entry).
    assert resp.get("Successful", []) == []
    resp = sqs.change_message_visibility_batch(
        QueueUrl=queue, Entries=[dict(entries[0], VisibilityTimeout=5)])
    assert resp["Failed"] == expected and resp.get("Successful", []) == []
    path = "/" + queue.split("/", 3)[3]
    status, _, body = post(sluice, "Action=DeleteMessageBatch&Version=2012-11-05"
                                   "&DeleteMessageBatchRequestEntry.1.Id=a"
                                   "&DeleteMessageBatchRequestEntry.1.ReceiptHandle=zz", path=path)
    assert status == 200
    result = body[body.index("<DeleteMessageBatchResult>"):body.index("</DeleteMessageBatchResult>")]
    assert result == ("<DeleteMessageBatchResult><BatchResultErrorEntry><Id>a</Id>"
                      "<SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code>"
                      "<Message>The input receipt handle \"zz\" is not a valid receipt "
                      "handle.</Message></BatchResultErrorEntry>")


def test_send_message_batch(sqs, queue):
    entries = [
        {"Id": "plain", "MessageBody": "one"},
        {"Id": "with-attrs", "MessageBody": "two",
         "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
        {"Id": "delayed_1", "MessageBody": "three", "DelaySeconds": 60},
    ]
    resp = sqs.send_message_batch(QueueUrl=queue, Entries=entries)
    assert resp.get("Failed", []) == []
    by_id = {e["Id"]: e for e in resp["Successful"]}
    assert set(by_id) == {"plain", "with-attrs", "delayed_1"}
    assert by_id["plain"]["MD5OfMessageBody"] == md5_hex("one")
    assert by_id["with-attrs"]["MD5OfMessageAttributes"] == md5_of_message_attributes(
        entries[1]["MessageAttributes"])
    assert len({e["MessageId"] for e in resp["Successful"]}) == 3
    got = receive_all(sqs, queue, 2, MessageAttributeNames=["All"])
    assert sorted(m["Body"] for m in got) == ["one", "two"]
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesDelayed"] == "1"


def test_send_message_batch_mixed_success_and_failure(sqs, queue):
    resp = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": "good1", "MessageBody": "fine"},
        {"Id": "bad", "MessageBody": "nul \u0000"},
        {"Id": "good2", "MessageBody": "also fine"},
    ])
    assert sorted(e["Id"] for e in resp["Successful"]) == ["good1", "good2"]
    assert [e["Id"] for e in resp["Failed"]] == ["bad"]
    failed = resp["Failed"][0]
    assert failed["SenderFault"] is True
    assert failed["Code"] in ("InvalidMessageContents", "InvalidParameterValue")
    assert sorted(m["Body"] for m in receive_all(sqs, queue, 2)) == ["also fine", "fine"]


def test_delete_message_batch(sqs, queue):
    for i in range(3):
        sqs.send_message(QueueUrl=queue, MessageBody=str(i))
    msgs = receive_all(sqs, queue, 3)
    resp = sqs.delete_message_batch(QueueUrl=queue, Entries=[
        *({"Id": f"m{i}", "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)),
        {"Id": "bad", "ReceiptHandle": "garbage"},
    ])
    assert sorted(e["Id"] for e in resp["Successful"]) == ["m0", "m1", "m2"]
    assert [(e["Id"], e["Code"], e["SenderFault"]) for e in resp["Failed"]] == [
        ("bad", "ReceiptHandleIsInvalid", True)]
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "0"
    assert attrs["ApproximateNumberOfMessages"] == "0"


def test_change_message_visibility_batch(sqs, queue):
    for i in range(2):
        sqs.send_message(QueueUrl=queue, MessageBody=str(i))
    msgs = receive_all(sqs, queue, 2, VisibilityTimeout=30)
    resp = sqs.change_message_visibility_batch(QueueUrl=queue, Entries=[
        {"Id": "a", "ReceiptHandle": msgs[0]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "b", "ReceiptHandle": msgs[1]["ReceiptHandle"], "VisibilityTimeout": 60},
        {"Id": "c", "ReceiptHandle": "garbage", "VisibilityTimeout": 0},
    ])
    assert sorted(e["Id"] for e in resp["Successful"]) == ["a", "b"]
    assert [(e["Id"], e["Code"]) for e in resp["Failed"]] == [("c", "ReceiptHandleIsInvalid")]
    again = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    assert [m["MessageId"] for m in again] == [msgs[0]["MessageId"]]


BATCH_CALLS = {
    "send": lambda sqs, url, entries: sqs.send_message_batch(
        QueueUrl=url, Entries=[dict(e, MessageBody="b") for e in entries]),
    "delete": lambda sqs, url, entries: sqs.delete_message_batch(
        QueueUrl=url, Entries=[dict(e, ReceiptHandle="h") for e in entries]),
    "change": lambda sqs, url, entries: sqs.change_message_visibility_batch(
        QueueUrl=url, Entries=[dict(e, ReceiptHandle="h", VisibilityTimeout=1) for e in entries]),
}


@pytest.mark.parametrize("call", BATCH_CALLS)
def test_batch_with_too_many_entries(sqs, queue, call):
    with raises_sqs_error("AWS.SimpleQueueService.TooManyEntriesInBatchRequest"):
        BATCH_CALLS[call](sqs, queue, [{"Id": f"e{i}"} for i in range(11)])


@pytest.mark.parametrize("call", BATCH_CALLS)
def test_batch_with_duplicate_ids(sqs, queue, call):
    with raises_sqs_error("AWS.SimpleQueueService.BatchEntryIdsNotDistinct"):
        BATCH_CALLS[call](sqs, queue, [{"Id": "same"}, {"Id": "same"}])


@pytest.mark.parametrize("call", BATCH_CALLS)
def test_batch_with_no_entries(sqs, queue, call):
    with raises_sqs_error("AWS.SimpleQueueService.EmptyBatchRequest"):
        BATCH_CALLS[call](sqs, queue, [])


@pytest.mark.parametrize("bad_id", ["has space", "x" * 81, "dot.id"])
def test_batch_with_invalid_entry_id(sqs, queue, bad_id):
    with raises_sqs_error("AWS.SimpleQueueService.InvalidBatchEntryId"):
        BATCH_CALLS["send"](sqs, queue, [{"Id": bad_id}])


def test_purge_queue(sqs, queue):
    for i in range(5):
        sqs.send_message(QueueUrl=queue, MessageBody=str(i))
    receive_one(sqs, queue, VisibilityTimeout=60)  # in-flight messages are purged too
    sqs.purge_queue(QueueUrl=queue)
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0"
    assert attrs["ApproximateNumberOfMessagesNotVisible"] == "0"
    assert_empty(sqs, queue)


def test_second_purge_within_60_seconds_is_refused(sqs, queue):
    sqs.purge_queue(QueueUrl=queue)
    with raises_sqs_error("AWS.SimpleQueueService.PurgeQueueInProgress", status=403):
        sqs.purge_queue(QueueUrl=queue)


@pytest.mark.slow
def test_messages_expire_after_retention_period(sqs, make_queue):
    url = make_queue(Attributes={"MessageRetentionPeriod": "60"})
    sqs.send_message(QueueUrl=url, MessageBody="short-lived")
    time.sleep(62)
    assert_empty(sqs, url)
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "0"
