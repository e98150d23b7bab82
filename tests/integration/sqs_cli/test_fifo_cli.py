"""FIFO queues with the AWS CLI as a user types it: create a .fifo queue, send with
--message-group-id (deduplicated by content), receive in order with SequenceNumber, and the errors
a user sees for a missing group id or a name without .fifo."""

from test_aws_cli import aws, ok  # noqa: F401  (the module's CLI fixture and helper)


def test_fifo_queue_with_the_cli(aws, unique_name):  # noqa: F811
    name = unique_name("cli") + ".fifo"
    url = ok(aws("create-queue", "--queue-name", name, "--attributes",
                 "FifoQueue=true,ContentBasedDeduplication=true"))["QueueUrl"]
    try:
        attrs = ok(aws("get-queue-attributes", "--queue-url", url, "--attribute-names",
                       "All"))["Attributes"]
        assert attrs["FifoQueue"] == "true" and attrs["ContentBasedDeduplication"] == "true"
        first = ok(aws("send-message", "--queue-url", url, "--message-body", "order 1",
                       "--message-group-id", "customer-1"))
        second = ok(aws("send-message", "--queue-url", url, "--message-body", "order 2",
                        "--message-group-id", "customer-1"))
        again = ok(aws("send-message", "--queue-url", url, "--message-body", "order 1",
                       "--message-group-id", "customer-1"))
        assert again["MessageId"] == first["MessageId"]
        assert int(second["SequenceNumber"]) > int(first["SequenceNumber"])
        got = ok(aws("receive-message", "--queue-url", url, "--max-number-of-messages", "10",
                     "--attribute-names", "All"))["Messages"]
        assert [m["Body"] for m in got] == ["order 1", "order 2"]
        assert got[0]["Attributes"]["SequenceNumber"] == first["SequenceNumber"]
        assert got[0]["Attributes"]["MessageGroupId"] == "customer-1"
        assert ok(aws("receive-message", "--queue-url", url)) is None  # the group is in flight
        for m in got:
            ok(aws("delete-message", "--queue-url", url, "--receipt-handle", m["ReceiptHandle"]))

        rc, _, err = aws("send-message", "--queue-url", url, "--message-body", "no group")
        assert rc != 0 and "MissingParameter" in err
        rc, _, err = aws("send-message", "--queue-url", url, "--message-body", "x",
                         "--message-group-id", "g", "--delay-seconds", "5")
        assert rc != 0 and "InvalidParameterValue" in err
    finally:
        aws("delete-queue", "--queue-url", url)


def test_fifo_name_mismatch_with_the_cli(aws, unique_name):  # noqa: F811
    rc, _, err = aws("create-queue", "--queue-name", unique_name("cli"), "--attributes",
                     "FifoQueue=true")
    assert rc != 0 and "InvalidParameterValue" in err and ".fifo" in err
    rc, _, err = aws("create-queue", "--queue-name", unique_name("cli") + ".fifo")
    assert rc != 0 and "InvalidParameterValue" in err
