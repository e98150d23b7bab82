"""What a pipe hands a STANDARD state machine started FIRE_AND_FORGET: one execution per batch,
named after the batch's first message, whose input is the JSON array of the SQS records (or of
the rendered InputTemplate)."""

import base64
import datetime
import hashlib
import json
import time

from pipes_helpers import (ACCOUNT, PASS, REGION, queue_empty, wait_for_records, wait_until)

FIRE_AND_FORGET = {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}


def test_record_field_by_field(sqs, sfn, make_queue, state_machine, make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    make_pipe(source, target, TargetParameters=FIRE_AND_FORGET)
    body = 'raw text, not JSON: {"a": 1'
    before_ms = int(time.time() * 1000)
    sent = sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes={
        "color": {"DataType": "String", "StringValue": "blue"},
        "count": {"DataType": "Number", "StringValue": "42"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe"},
        "note": {"DataType": "String.custom", "StringValue": "x"},
    })

    [(execution, records)] = wait_for_records(sfn, target, 1)
    after_ms = int(time.time() * 1000)
    assert execution == sent["MessageId"]
    assert isinstance(records, list) and len(records) == 1
    r = records[0]
    assert set(r) == {"messageId", "receiptHandle", "body", "attributes", "messageAttributes",
                      "md5OfBody", "eventSource", "eventSourceARN", "awsRegion"}
    assert r["messageId"] == sent["MessageId"]
    assert isinstance(r["receiptHandle"], str) and r["receiptHandle"]
    assert r["body"] == body
    assert r["md5OfBody"] == hashlib.md5(body.encode()).hexdigest() == sent["MD5OfMessageBody"]
    assert r["eventSource"] == "aws:sqs"
    assert r["eventSourceARN"] == source
    assert r["awsRegion"] == REGION

    a = r["attributes"]
    assert set(a) == {"ApproximateReceiveCount", "SentTimestamp", "SenderId",
                      "ApproximateFirstReceiveTimestamp"}
    assert all(isinstance(v, str) for v in a.values()), a
    assert a["ApproximateReceiveCount"] == "1"
    assert a["SenderId"] == ACCOUNT
    sent_ms, first_ms = int(a["SentTimestamp"]), int(a["ApproximateFirstReceiveTimestamp"])
    assert before_ms - 1000 <= sent_ms <= first_ms <= after_ms + 1000

    m = r["messageAttributes"]
    assert m == {
        "color": {"stringValue": "blue", "stringListValues": [], "binaryListValues": [],
                  "dataType": "String"},
        "count": {"stringValue": "42", "stringListValues": [], "binaryListValues": [],
                  "dataType": "Number"},
        "blob": {"binaryValue": base64.b64encode(b"\x00\x01\xfe").decode(),
                 "stringListValues": [], "binaryListValues": [], "dataType": "Binary"},
        "note": {"stringValue": "x", "stringListValues": [], "binaryListValues": [],
                 "dataType": "String.custom"},
    }
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")


def test_fifo_record_has_sequence_group_and_deduplication(sqs, sfn, make_queue, state_machine,
                                                          make_pipe):
    url, source = make_queue(fifo=True)
    target = state_machine(PASS)
    make_pipe(source, target, TargetParameters=FIRE_AND_FORGET)
    sent = sqs.send_message(QueueUrl=url, MessageBody='{"n": 1}', MessageGroupId="g-1",
                            MessageDeduplicationId="dedup-1")

    [(execution, [r])] = wait_for_records(sfn, target, 1)
    assert execution == sent["MessageId"] == r["messageId"]
    assert r["body"] == '{"n": 1}'
    assert r["eventSourceARN"] == source
    a = r["attributes"]
    assert set(a) == {"ApproximateReceiveCount", "SentTimestamp", "SenderId",
                      "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageGroupId",
                      "MessageDeduplicationId"}
    assert all(isinstance(v, str) for v in a.values()), a
    assert a["SequenceNumber"] == sent["SequenceNumber"]
    assert a["MessageGroupId"] == "g-1"
    assert a["MessageDeduplicationId"] == "dedup-1"
    assert a["ApproximateReceiveCount"] == "1"
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")


def test_input_template_renders_each_record(pipes, sqs, sfn, make_queue, state_machine,
                                           make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    template = ('{"order": <$.body.orderId>, "customer": <$.body.customer>, '
                '"pipe": <aws.pipes.pipe-name>, "line": "Order <$.body.orderId> for '
                '<$.body.customer>", "note": "<$.body.note>", "event": <aws.pipes.event.json>, '
                '"text": "<aws.pipes.event>", "missing": <$.body.nothing>, '
                '"at": <aws.pipes.event.ingestion-time>, "arn": <aws.pipes.pipe-arn>, '
                '"target": <aws.pipes.target-arn>}')
    name, created = make_pipe(source, target, DesiredState="STOPPED", TargetParameters={
        "InputTemplate": template, **FIRE_AND_FORGET})
    bodies = [json.dumps({"orderId": 42, "customer": "Ann", "note": 'say "hi"\nbye'}),
              json.dumps({"orderId": "A-7", "customer": "Bo", "note": "plain"})]
    ids = [sqs.send_message(QueueUrl=url, MessageBody=b)["MessageId"] for b in bodies]
    pipes.start_pipe(Name=name)  # both messages are there: one batch

    [(execution, rendered)] = wait_for_records(sfn, target, 2)
    assert execution == ids[0]
    assert [r["order"] for r in rendered] == [42, "A-7"]  # a number stays a number
    assert [r["customer"] for r in rendered] == ["Ann", "Bo"]
    assert [r["pipe"] for r in rendered] == [name, name]
    assert [r["line"] for r in rendered] == ["Order 42 for Ann", "Order A-7 for Bo"]
    # Inside a string, a value is escaped so the result stays JSON.
    assert [r["note"] for r in rendered] == ['say "hi"\nbye', "plain"]
    assert [r["missing"] for r in rendered] == ["", ""]
    assert [r["arn"] for r in rendered] == [created["Arn"]] * 2
    assert [r["target"] for r in rendered] == [target] * 2
    for r in rendered:  # ISO 8601, UTC, to the second
        at = datetime.datetime.strptime(r["at"], "%Y-%m-%dT%H:%M:%SZ")
        at = at.replace(tzinfo=datetime.timezone.utc)
        assert abs((datetime.datetime.now(datetime.timezone.utc) - at).total_seconds()) < 60
    for r, message_id, body in zip(rendered, ids, bodies):
        # <aws.pipes.event.json>: the record, its JSON body decoded.
        assert r["event"]["messageId"] == message_id
        assert r["event"]["body"] == json.loads(body)
        assert r["event"]["eventSourceARN"] == source
        # <aws.pipes.event>: the record as received, as text.
        event = json.loads(r["text"])
        assert event["messageId"] == message_id
        assert event["body"] == body
        assert event["attributes"]["ApproximateReceiveCount"] == "1"
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
