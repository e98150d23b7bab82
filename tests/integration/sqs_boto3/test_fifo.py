"""FIFO queues through boto3 (query protocol): creation and the FIFO attribute rules, the send
rules, deduplication, SequenceNumber, order within a group, group blocking, visibility, expired
receipt handles, ReceiveRequestAttemptId, batches, and MessageGroupId on standard (fair) queues."""

import threading
import time

import pytest

from sqs_helpers import ACCOUNT, raises_sqs_error


@pytest.fixture
def fifo(make_queue, unique_name):
    """fifo(**attributes) -> the URL of a new FIFO queue."""

    def make(**attributes):
        attrs = {"FifoQueue": "true", **{k: str(v) for k, v in attributes.items()}}
        return make_queue(unique_name() + ".fifo", Attributes=attrs)

    return make


def send(sqs, url, body, group="g", dedup=None, **kwargs):
    args = dict(QueueUrl=url, MessageBody=body, MessageGroupId=group, **kwargs)
    args["MessageDeduplicationId"] = dedup or body.replace(" ", "_")
    return sqs.send_message(**args)


def receive(sqs, url, n=10, **kwargs):
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=n, AttributeNames=["All"],
                               **kwargs).get("Messages", [])


def bodies(msgs):
    return [m["Body"] for m in msgs]


def delete(sqs, url, msgs):
    for m in msgs:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])


# --- creating FIFO queues ---------------------------------------------------------------------


def test_create_fifo_queue_reports_fifo_attributes(sqs, fifo):
    url = fifo(ContentBasedDeduplication="true")
    assert url.endswith(".fifo")
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["FifoQueue"] == "true"
    assert attrs["ContentBasedDeduplication"] == "true"
    assert attrs["DeduplicationScope"] == "queue"
    assert attrs["FifoThroughputLimit"] == "perQueue"
    one = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["FifoQueue"])["Attributes"]
    assert one == {"FifoQueue": "true"}


def test_create_fifo_queue_is_idempotent_and_compares_attributes(sqs, fifo):
    url = fifo()
    name = url.rsplit("/", 1)[1]
    again = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    assert again == url
    with raises_sqs_error("QueueAlreadyExists"):
        sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true",
                                                     "ContentBasedDeduplication": "true"})


NAME_MISMATCHES = {
    # A .fifo name is not a valid standard queue name.
    "fifo-name-without-attribute": (".fifo", None, "Can only include alphanumeric characters"),
    "fifo-name-with-false": (".fifo", "false", "Can only include alphanumeric characters"),
    # FifoQueue=true needs the suffix.
    "attribute-without-fifo-name": ("", "true", "must end with .fifo suffix"),
}


@pytest.mark.parametrize("case", NAME_MISMATCHES)
def test_name_and_fifo_attribute_must_agree(sqs, unique_name, case):
    suffix, value, text = NAME_MISMATCHES[case]
    kwargs = {"QueueName": unique_name() + suffix}
    if value is not None:
        kwargs["Attributes"] = {"FifoQueue": value}
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.create_queue(**kwargs)
    assert text in info.value.response["Error"]["Message"]


def test_fifo_queue_false_on_a_standard_queue_is_an_unknown_attribute(sqs, unique_name):
    with raises_sqs_error("InvalidAttributeName") as info:
        sqs.create_queue(QueueName=unique_name(), Attributes={"FifoQueue": "false"})
    assert info.value.response["Error"]["Message"] == "Unknown Attribute FifoQueue."


@pytest.mark.parametrize("name,value,message", [
    ("ContentBasedDeduplication", "true", "Unknown Attribute ContentBasedDeduplication."),
    ("DeduplicationScope", "queue",
     "You can specify the DeduplicationScope only when FifoQueue is set to true."),
    ("FifoThroughputLimit", "perQueue",
     "You can specify the FifoThroughputLimit only when FifoQueue is set to true."),
])
def test_fifo_only_attributes_are_refused_on_standard_queues(sqs, unique_name, queue, name, value,
                                                             message):
    with raises_sqs_error("InvalidAttributeName") as info:
        sqs.create_queue(QueueName=unique_name(), Attributes={name: value})
    assert info.value.response["Error"]["Message"] == message
    with raises_sqs_error("InvalidAttributeName"):
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={name: value})


HIGH_THROUGHPUT = ("Invalid value for the parameter FifoThroughputLimit. Reason: To set "
                   "FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be "
                   "messageGroup.")


def test_high_throughput_needs_message_group_deduplication(sqs, fifo, unique_name):
    with raises_sqs_error("InvalidAttributeValue") as info:
        sqs.create_queue(QueueName=unique_name() + ".fifo",
                         Attributes={"FifoQueue": "true", "FifoThroughputLimit": "perMessageGroupId"})
    assert info.value.response["Error"]["Message"] == HIGH_THROUGHPUT
    with raises_sqs_error("InvalidAttributeValue"):
        fifo(DeduplicationScope="queue", FifoThroughputLimit="perMessageGroupId")
    url = fifo(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    # Per-group deduplication at the queue's throughput is allowed ...
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoThroughputLimit": "perQueue"})
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoThroughputLimit": "perMessageGroupId"})
    # ... the reverse is not, and a refused change changes nothing.
    with raises_sqs_error("InvalidAttributeValue"):
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"DeduplicationScope": "queue"})
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["DeduplicationScope"] == "messageGroup"
    assert attrs["FifoThroughputLimit"] == "perMessageGroupId"
    for name, bad in [("DeduplicationScope", "group"), ("FifoThroughputLimit", "perGroup")]:
        with raises_sqs_error("InvalidAttributeValue"):
            sqs.set_queue_attributes(QueueUrl=url, Attributes={name: bad})


def test_queue_type_cannot_change(sqs, fifo, queue):
    url = fifo()
    with raises_sqs_error("InvalidAttributeValue") as info:
        sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "false"})
    assert "Modifying queue type is not supported" in info.value.response["Error"]["Message"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})  # no change: fine
    with raises_sqs_error("InvalidAttributeName"):
        sqs.set_queue_attributes(QueueUrl=queue, Attributes={"FifoQueue": "true"})


# --- sending ------------------------------------------------------------------------------------


def test_send_needs_a_group_id(sqs, fifo):
    url = fifo()
    with raises_sqs_error("MissingParameter") as info:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d")
    assert info.value.response["Error"]["Message"] == (
        "The request must contain the parameter MessageGroupId.")


def test_send_needs_a_deduplication_id_unless_content_based(sqs, fifo):
    url = fifo()
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g")
    assert "ContentBasedDeduplication" in info.value.response["Error"]["Message"]
    cbd = fifo(ContentBasedDeduplication="true")
    assert sqs.send_message(QueueUrl=cbd, MessageBody="x", MessageGroupId="g")["MessageId"]


def test_per_message_delay_is_refused_but_the_queue_delay_applies(sqs, fifo):
    url = fifo(DelaySeconds=1)
    with raises_sqs_error("InvalidParameterValue") as info:
        send(sqs, url, "late", DelaySeconds=5)
    assert info.value.response["Error"]["Message"] == (
        "Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter "
        "that is not valid for this queue type.")
    send(sqs, url, "on time", DelaySeconds=0)
    assert receive(sqs, url) == []
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessagesDelayed"] == "1"
    msgs = receive(sqs, url, WaitTimeSeconds=5)
    assert bodies(msgs) == ["on time"]


@pytest.mark.parametrize("field", ["MessageGroupId", "MessageDeduplicationId"])
def test_group_and_deduplication_ids_are_alphanumeric_or_punctuation(sqs, fifo, field):
    url = fifo()
    args = dict(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="d")
    sqs.send_message(**dict(args, **{field: "ok!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}))
    for bad in ["has space", "x" * 129]:
        with raises_sqs_error("InvalidParameterValue") as info:
            sqs.send_message(**dict(args, **{field: bad}))
        assert (f"{field} can only include alphanumeric and punctuation characters. 1 to 128 in "
                "length.") in info.value.response["Error"]["Message"]


def test_sequence_numbers_are_large_increasing_and_shown_on_receive(sqs, fifo):
    url = fifo()
    sent = [send(sqs, url, f"m{i}") for i in range(3)]
    batch = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "MessageBody": f"b{i}", "MessageGroupId": "g",
         "MessageDeduplicationId": f"b{i}"} for i in range(3)])
    assert not batch.get("Failed")
    numbers = [s["SequenceNumber"] for s in sent] + [e["SequenceNumber"] for e in batch["Successful"]]
    assert all(n.isdigit() and len(n) >= 20 for n in numbers), numbers
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    got = receive(sqs, url)
    assert [m["Attributes"]["SequenceNumber"] for m in got] == numbers
    assert [m["Attributes"]["MessageGroupId"] for m in got] == ["g"] * 6
    assert [m["Attributes"]["MessageDeduplicationId"] for m in got] == (
        ["m0", "m1", "m2", "b0", "b1", "b2"])


# --- deduplication ------------------------------------------------------------------------------


def test_duplicate_returns_the_original_even_after_it_was_deleted(sqs, fifo):
    url = fifo()
    first = send(sqs, url, "once", dedup="d-1")
    msgs = receive(sqs, url)
    assert bodies(msgs) == ["once"]
    delete(sqs, url, msgs)
    again = send(sqs, url, "a different body", group="other", dedup="d-1")
    assert again["MessageId"] == first["MessageId"]
    assert again["SequenceNumber"] == first["SequenceNumber"]
    assert receive(sqs, url, WaitTimeSeconds=1) == []
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attrs["ApproximateNumberOfMessages"] == "0"


def test_content_based_deduplication_uses_the_body(sqs, fifo):
    import hashlib
    url = fifo(ContentBasedDeduplication="true")
    a = sqs.send_message(QueueUrl=url, MessageBody="payload", MessageGroupId="g1")
    b = sqs.send_message(QueueUrl=url, MessageBody="payload", MessageGroupId="g2")
    c = sqs.send_message(QueueUrl=url, MessageBody="payload", MessageGroupId="g1",
                         MessageDeduplicationId="explicit")
    assert b["MessageId"] == a["MessageId"]
    assert c["MessageId"] != a["MessageId"]
    got = receive(sqs, url)
    assert len(got) == 2
    assert got[0]["Attributes"]["MessageDeduplicationId"] == (
        hashlib.sha256(b"payload").hexdigest())


def test_message_group_scope_deduplicates_within_a_group(sqs, fifo):
    url = fifo(DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId")
    a = send(sqs, url, "x", group="g1", dedup="same")
    b = send(sqs, url, "x", group="g2", dedup="same")
    c = send(sqs, url, "x", group="g1", dedup="same")
    assert b["MessageId"] != a["MessageId"]
    assert c["MessageId"] == a["MessageId"]
    assert len(receive(sqs, url)) == 2


def test_batch_duplicates_and_per_entry_results(sqs, fifo):
    url = fifo()
    resp = sqs.send_message_batch(QueueUrl=url, Entries=[
        {"Id": "a", "MessageBody": "1", "MessageGroupId": "g", "MessageDeduplicationId": "x"},
        {"Id": "b", "MessageBody": "2", "MessageGroupId": "g", "MessageDeduplicationId": "x"},
        {"Id": "c", "MessageBody": "3", "MessageGroupId": "g", "MessageDeduplicationId": "y",
         "DelaySeconds": 2},
        {"Id": "d", "MessageBody": "4", "MessageGroupId": "bad group", "MessageDeduplicationId": "z"},
    ])
    ok = {e["Id"]: e for e in resp["Successful"]}
    failed = {e["Id"]: e for e in resp["Failed"]}
    assert set(ok) == {"a", "b"} and set(failed) == {"c", "d"}
    assert ok["b"]["MessageId"] == ok["a"]["MessageId"]
    assert ok["b"]["SequenceNumber"] == ok["a"]["SequenceNumber"]
    assert failed["c"]["Code"] == "InvalidParameterValue" and failed["c"]["SenderFault"]
    assert failed["d"]["Code"] == "InvalidParameterValue"
    assert bodies(receive(sqs, url)) == ["1"]


@pytest.mark.parametrize("missing,code,message", [
    ("MessageGroupId", "MissingParameter",
     "The request must contain the parameter MessageGroupId."),
    ("MessageDeduplicationId", "InvalidParameterValue",
     "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
     "provided explicitly"),
])
def test_batch_without_fifo_ids_fails_as_a_whole(sqs, fifo, missing, code, message):
    url = fifo()
    entries = [{"Id": str(i), "MessageBody": str(i), "MessageGroupId": "g",
                "MessageDeduplicationId": str(i)} for i in range(3)]
    del entries[1][missing]
    with raises_sqs_error(code, message=message):
        sqs.send_message_batch(QueueUrl=url, Entries=entries)
    assert receive(sqs, url) == []


def test_batch_asks_for_the_group_id_before_the_deduplication_id(sqs, fifo):
    url = fifo()
    entries = [{"Id": "a", "MessageBody": "a", "MessageGroupId": "g"},
               {"Id": "b", "MessageBody": "b", "MessageDeduplicationId": "b"}]
    with raises_sqs_error("MissingParameter",
                          message="The request must contain the parameter MessageGroupId."):
        sqs.send_message_batch(QueueUrl=url, Entries=entries)


# --- receiving ----------------------------------------------------------------------------------


def test_order_within_groups_and_a_group_blocks_while_in_flight(sqs, fifo):
    url = fifo()
    for i in range(4):
        send(sqs, url, f"a{i}", group="a")
        send(sqs, url, f"b{i}", group="b")
    first = receive(sqs, url, n=3)
    assert bodies(first) == ["a0", "a1", "a2"]  # as many of one group as it can
    second = receive(sqs, url, n=10)
    assert bodies(second) == ["b0", "b1", "b2", "b3"]  # a3 waits behind a0..a2
    assert receive(sqs, url) == []
    delete(sqs, url, first[:2])
    assert receive(sqs, url) == []  # a2 is still in flight
    delete(sqs, url, first[2:])
    assert bodies(receive(sqs, url)) == ["a3"]


def test_visibility_timeout_ending_gives_the_head_back_first(sqs, fifo):
    url = fifo(VisibilityTimeout=1)
    for i in range(3):
        send(sqs, url, f"m{i}")
    first = receive(sqs, url, n=1)
    assert bodies(first) == ["m0"]
    time.sleep(1.3)
    again = receive(sqs, url)
    assert bodies(again) == ["m0", "m1", "m2"]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"
    assert again[1]["Attributes"]["ApproximateReceiveCount"] == "1"


def test_change_visibility_to_zero_releases_the_group_in_order(sqs, fifo):
    url = fifo()
    for i in range(3):
        send(sqs, url, f"m{i}")
    got = receive(sqs, url, n=2)
    resp = sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
        for i, m in enumerate(got)])
    assert len(resp["Successful"]) == 2
    assert bodies(receive(sqs, url)) == ["m0", "m1", "m2"]


def test_expired_receipt_handle_cannot_delete(sqs, fifo):
    url = fifo(VisibilityTimeout=1)
    send(sqs, url, "m0")
    send(sqs, url, "m1")
    [m0] = receive(sqs, url, n=1)
    time.sleep(1.3)
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m0["ReceiptHandle"])
    assert "The receipt handle has expired." in info.value.response["Error"]["Message"]
    resp = sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": "old", "ReceiptHandle": m0["ReceiptHandle"]}])
    assert resp["Failed"][0]["Code"] == "InvalidParameterValue"
    assert bodies(receive(sqs, url)) == ["m0", "m1"]  # nothing was deleted


def test_delete_batch_on_fifo(sqs, fifo):
    url = fifo()
    for i in range(3):
        send(sqs, url, f"m{i}")
    got = receive(sqs, url)
    resp = sqs.delete_message_batch(QueueUrl=url, Entries=[
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
    assert len(resp["Successful"]) == 3
    send(sqs, url, "m3")
    assert bodies(receive(sqs, url)) == ["m3"]


def test_retried_receive_attempt_returns_the_same_messages_and_handles(sqs, fifo):
    url = fifo()
    for i in range(3):
        send(sqs, url, f"m{i}")
    first = receive(sqs, url, n=2, ReceiveRequestAttemptId="attempt-1")
    retry = receive(sqs, url, n=2, ReceiveRequestAttemptId="attempt-1")
    assert bodies(retry) == bodies(first) == ["m0", "m1"]
    assert [m["ReceiptHandle"] for m in retry] == [m["ReceiptHandle"] for m in first]
    # Once one of them is deleted the attempt is spent: a retry is an ordinary receive.
    delete(sqs, url, first[:1])
    assert receive(sqs, url, ReceiveRequestAttemptId="attempt-1") == []  # m1 blocks the group
    delete(sqs, url, first[1:])
    assert bodies(receive(sqs, url, ReceiveRequestAttemptId="attempt-1")) == ["m2"]
    with raises_sqs_error("InvalidParameterValue"):
        receive(sqs, url, ReceiveRequestAttemptId="bad attempt id")


def test_long_poll_wakes_when_the_group_is_released(sqs, fifo, sluice):
    from conftest import sqs_client
    url = fifo()
    send(sqs, url, "m0")
    send(sqs, url, "m1")
    [m0] = receive(sqs, url, n=1)
    result = {}

    def poll():
        client = sqs_client(sluice.endpoint)
        result["msgs"] = receive(client, url, WaitTimeSeconds=10)

    t = threading.Thread(target=poll)
    start = time.monotonic()
    t.start()
    time.sleep(0.5)
    delete(sqs, url, [m0])
    t.join(15)
    assert bodies(result["msgs"]) == ["m1"]
    assert time.monotonic() - start < 5


# --- concurrent consumers -----------------------------------------------------------------------


def test_concurrent_consumers_never_break_group_order(sqs, fifo, sluice):
    """Eight groups of 40 messages, four consumers receiving (up to 10) and deleting in parallel:
    each group's messages arrive in send order, exactly once, and never while another consumer
    holds a message of the same group."""
    from conftest import sqs_client
    url = fifo(VisibilityTimeout=60)
    groups, per_group = 8, 40
    for start in range(0, per_group, 10):
        for g in range(groups):
            sqs.send_message_batch(QueueUrl=url, Entries=[
                {"Id": str(i), "MessageBody": f"{g}:{i}", "MessageGroupId": f"g{g}",
                 "MessageDeduplicationId": f"{g}-{i}"} for i in range(start, start + 10)])
    lock = threading.Lock()
    held = {}  # group -> consumer holding it
    received = {g: [] for g in range(groups)}
    errors = []
    done = threading.Event()

    def consumer(cid):
        client = sqs_client(sluice.endpoint)
        idle = 0
        while not done.is_set() and idle < 6:
            msgs = receive(client, url, WaitTimeSeconds=1)
            if not msgs:
                idle += 1
                continue
            idle = 0
            mine = set()
            with lock:
                for m in msgs:
                    g, i = map(int, m["Body"].split(":"))
                    if held.get(g, cid) != cid:
                        errors.append(f"group {g} handed to {cid} while {held[g]} holds it")
                    held[g] = cid
                    mine.add(g)
                    received[g].append(i)
            with lock:  # released before the delete is sent: nobody can get the group before
                for g in mine:
                    held.pop(g, None)
            client.delete_message_batch(QueueUrl=url, Entries=[
                {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]} for k, m in enumerate(msgs)])
            if sum(len(v) for v in received.values()) >= groups * per_group:
                done.set()

    threads = [threading.Thread(target=consumer, args=(c,)) for c in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors[:5]
    for g in range(groups):
        assert received[g] == list(range(per_group)), (g, received[g])


# --- fair queues (MessageGroupId on a standard queue) -------------------------------------------


def test_standard_queue_keeps_group_ids_and_refuses_deduplication_ids(sqs, queue):
    sent = sqs.send_message(QueueUrl=queue, MessageBody="tenant message", MessageGroupId="tenant-7")
    assert "SequenceNumber" not in sent
    batch = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": "1", "MessageBody": "b", "MessageGroupId": "tenant-8"}])
    assert len(batch["Successful"]) == 1
    got = receive(sqs, queue)
    assert {m["Attributes"]["MessageGroupId"] for m in got} == {"tenant-7", "tenant-8"}
    assert all("SequenceNumber" not in m["Attributes"] for m in got)
    with raises_sqs_error("InvalidParameterValue"):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageDeduplicationId="d")
    with raises_sqs_error("InvalidParameterValue"):
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageGroupId="not valid")
    resp = sqs.send_message_batch(QueueUrl=queue, Entries=[
        {"Id": "1", "MessageBody": "b", "MessageDeduplicationId": "d"}])
    assert resp["Failed"][0]["Code"] == "InvalidParameterValue"


def test_fifo_queue_url_and_arn(sqs, fifo):
    url = fifo()
    name = url.rsplit("/", 1)[1]
    assert sqs.get_queue_url(QueueName=name)["QueueUrl"] == url
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    assert arn["QueueArn"] == f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"
