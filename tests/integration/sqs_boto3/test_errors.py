"""Errors as a user sees them: missing queues, and raw HTTP that no SDK would send (unknown actions,
malformed forms and JSON, oversized bodies). Whatever comes in, the answer is an AWS error in the
caller's protocol and the server stays healthy."""

import json
import urllib.parse

import botocore.exceptions
import pytest

from sluice_server import http_get
from sqs_helpers import ACCOUNT, post, raises_sqs_error

MISSING_QUEUE_CALLS = {
    "SendMessage": lambda sqs, url: sqs.send_message(QueueUrl=url, MessageBody="x"),
    "SendMessageBatch": lambda sqs, url: sqs.send_message_batch(
        QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}]),
    "ReceiveMessage": lambda sqs, url: sqs.receive_message(QueueUrl=url),
    "DeleteMessage": lambda sqs, url: sqs.delete_message(QueueUrl=url, ReceiptHandle="h"),
    "DeleteMessageBatch": lambda sqs, url: sqs.delete_message_batch(
        QueueUrl=url, Entries=[{"Id": "a", "ReceiptHandle": "h"}]),
    "ChangeMessageVisibility": lambda sqs, url: sqs.change_message_visibility(
        QueueUrl=url, ReceiptHandle="h", VisibilityTimeout=1),
    "ChangeMessageVisibilityBatch": lambda sqs, url: sqs.change_message_visibility_batch(
        QueueUrl=url, Entries=[{"Id": "a", "ReceiptHandle": "h", "VisibilityTimeout": 1}]),
    "GetQueueAttributes": lambda sqs, url: sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["All"]),
    "SetQueueAttributes": lambda sqs, url: sqs.set_queue_attributes(
        QueueUrl=url, Attributes={"VisibilityTimeout": "5"}),
    "PurgeQueue": lambda sqs, url: sqs.purge_queue(QueueUrl=url),
    "DeleteQueue": lambda sqs, url: sqs.delete_queue(QueueUrl=url),
    "TagQueue": lambda sqs, url: sqs.tag_queue(QueueUrl=url, Tags={"a": "b"}),
    "UntagQueue": lambda sqs, url: sqs.untag_queue(QueueUrl=url, TagKeys=["a"]),
    "ListQueueTags": lambda sqs, url: sqs.list_queue_tags(QueueUrl=url),
    "AddPermission": lambda sqs, url: sqs.add_permission(
        QueueUrl=url, Label="l", AWSAccountIds=[ACCOUNT], Actions=["SendMessage"]),
    "RemovePermission": lambda sqs, url: sqs.remove_permission(QueueUrl=url, Label="l"),
    "ListDeadLetterSourceQueues": lambda sqs, url: sqs.list_dead_letter_source_queues(QueueUrl=url),
}


@pytest.mark.parametrize("action", MISSING_QUEUE_CALLS)
def test_missing_queue(sqs, sluice, action):
    url = f"{sluice.endpoint}/{ACCOUNT}/no-such-queue-{action}"
    # The query protocol's wording (JSON says "The specified queue does not exist.").
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue",
                          message="The specified queue does not exist for this wsdl version."):
        MISSING_QUEUE_CALLS[action](sqs, url)


def test_get_queue_url_of_a_missing_queue(sqs):
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue",
                          message="The specified queue does not exist for this wsdl version."):
        sqs.get_queue_url(QueueName="no-such-queue-by-name")


def test_a_bare_queue_name_is_a_queue_url(sqs, queue):
    name = queue.rsplit("/", 1)[1]
    sqs.send_message(QueueUrl=name, MessageBody="by name")
    msgs = sqs.receive_message(QueueUrl=name)["Messages"]
    assert [m["Body"] for m in msgs] == ["by name"]
    sqs.delete_message(QueueUrl=name, ReceiptHandle=msgs[0]["ReceiptHandle"])
    attrs = sqs.get_queue_attributes(QueueUrl=name, AttributeNames=["QueueArn"])["Attributes"]
    assert attrs["QueueArn"].endswith(f":{ACCOUNT}:{name}")
    sqs.tag_queue(QueueUrl=name, Tags={"by": "name"})
    assert sqs.list_queue_tags(QueueUrl=queue)["Tags"] == {"by": "name"}
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue",
                          message="The specified queue does not exist for this wsdl version."):
        sqs.send_message(QueueUrl="no-such-bare-queue", MessageBody="x")


# The move task actions as raw query-protocol forms (as a client with an older SDK might send
# them): errors come back as XML with the modelled codes.
@pytest.mark.parametrize("form,code,status", [
    ({"Action": "StartMessageMoveTask", "SourceArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:nope-q"},
     "ResourceNotFoundException", 404),
    ({"Action": "CancelMessageMoveTask", "TaskHandle": "t"}, "InvalidParameterValue", 400),
    ({"Action": "ListMessageMoveTasks", "SourceArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:nope-q"},
     "ResourceNotFoundException", 404),
    ({"Action": "StartMessageMoveTask"}, "MissingParameter", 400),
], ids=lambda f: f["Action"] if isinstance(f, dict) else None)
def test_move_task_forms_answer_aws_errors(sluice, form, code, status):
    got, _, body = post(sluice, urllib.parse.urlencode(dict(form, Version="2012-11-05")))
    assert got == status, (got, body)
    assert "<ErrorResponse" in body and f"<Code>{code}</Code>" in body
    assert sluice.healthy()


def test_unknown_action_is_invalid_action(sluice):
    status, _, body = post(sluice, "Action=Bogus&Version=2012-11-05")
    assert status == 400
    assert "<Code>InvalidAction</Code>" in body
    assert "<ErrorResponse" in body


def test_missing_action(sluice):
    status, _, body = post(sluice, "Version=2012-11-05&QueueName=x")
    assert 400 <= status < 500
    assert "<Error>" in body and "<Code>" in body
    assert sluice.healthy()


def test_query_protocol_over_get(sluice, sqs, queue):
    name = queue.rsplit("/", 1)[1]
    query = urllib.parse.urlencode({"Action": "GetQueueUrl", "QueueName": name,
                                    "Version": "2012-11-05"})
    status, body = http_get(f"{sluice.endpoint}/?{query}")
    assert status == 200
    assert f"<QueueUrl>{queue}</QueueUrl>" in body.decode()


def test_query_protocol_posted_to_queue_url(sluice, sqs, queue):
    path = "/" + queue.split("/", 3)[3]  # /ACCOUNT/NAME
    status, _, body = post(sluice, "Action=SendMessage&MessageBody=via+path&Version=2012-11-05",
                           path=path)
    assert status == 200, body
    assert "<MessageId>" in body
    msgs = sqs.receive_message(QueueUrl=queue)["Messages"]
    assert msgs[0]["Body"] == "via path"


@pytest.mark.parametrize("body", [
    "Action=SendMessage&QueueUrl=%&MessageBody=%E0%A4",
    "Action=CreateQueue&QueueName=" + "q" * 5000,
    "Action=SendMessage&MessageBody=x",
    "\x00\x01\x02\xff",
])
def test_malformed_form_gets_a_client_error(sluice, body):
    status, _, text = post(sluice, body.encode("latin-1"))
    assert 400 <= status < 500, (status, text)
    assert "<ErrorResponse" in text
    assert sluice.healthy()


@pytest.mark.parametrize("body", [
    "Action=ListQueues&%zz=1&Version=2012-11-05",
    "&&&===&Action=ListQueues&",
    "Action=SendMessageBatch&QueueUrl=x&SendMessageBatchRequestEntry.99999999999999999999.Id=a",
    "Action=CreateQueue&QueueName=odd&Attribute.-1.Name=VisibilityTimeout",
    "Action=CreateQueue&QueueName=odd2&Attribute.1.Name=VisibilityTimeout",
    "Action=ListQueues&Action=CreateQueue",
])
def test_odd_form_is_not_a_server_error(sluice, body):
    status, _, text = post(sluice, body.encode("latin-1"))
    assert status == 200 or 400 <= status < 500, (status, text)
    assert sluice.healthy()


@pytest.mark.parametrize("body", [
    "{", "[]", "null", '{"QueueName": 5}', '{"QueueName": "x", "Attributes": "notamap"}',
    '{"QueueName": "\\ud800"}', "\xff\xfe", '{"QueueName": "x"} trailing',
])
def test_malformed_json_gets_a_client_error(sluice, body):
    status, headers, text = post(sluice, body.encode("latin-1"), headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.CreateQueue"})
    assert 400 <= status < 500, (status, text)
    assert "__type" in json.loads(text)
    assert sluice.healthy()


def test_unknown_json_target(sluice):
    status, _, text = post(sluice, "{}", headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.Bogus"})
    assert status == 400
    assert "UnknownOperation" in json.loads(text)["__type"]


def test_json_error_shape_for_missing_queue(sluice):
    status, headers, text = post(sluice, json.dumps({"QueueName": "surely-missing"}), headers={
        "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AmazonSQS.GetQueueUrl"})
    assert status == 400
    assert json.loads(text)["__type"].endswith("QueueDoesNotExist")
    # The header the SDKs use to give JSON errors their query-protocol codes.
    assert headers["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender"


def test_xml_special_characters_in_names_and_values_are_escaped(sqs, queue):
    attributes = {"k<&>": {"DataType": "String", "StringValue": "<&>\"'\r\n]]>"}}
    with raises_sqs_error("InvalidParameterValue"):  # '<&>' are not allowed in attribute names
        sqs.send_message(QueueUrl=queue, MessageBody="x", MessageAttributes=attributes)
    attributes = {"k": {"DataType": "String", "StringValue": "<&>\"'\r\n]]>"}}
    sqs.send_message(QueueUrl=queue, MessageBody="<&>\r", MessageAttributes=attributes)
    msg = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"])["Messages"][0]
    assert msg["Body"] == "<&>\r"
    assert msg["MessageAttributes"]["k"]["StringValue"] == "<&>\"'\r\n]]>"


def test_health_and_metrics(sluice, sqs, queue):
    status, body = http_get(sluice.endpoint + "/health")
    assert (status, body.strip()) == (200, b"ok")
    sqs.send_message(QueueUrl=queue, MessageBody="counted")
    status, body = http_get(sluice.endpoint + "/metrics")
    assert status == 200
    text = body.decode()
    assert "# TYPE" in text
    samples = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert samples, text
    for line in samples:  # Prometheus text: NAME{labels} VALUE
        name, value = line.rsplit(" ", 1)
        float(value)
        assert name[0].isalpha() or name[0] in "_:", line


def metric_values(text):
    """{sample name with labels: value} of a Prometheus text page."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def test_metrics_count_requests_messages_depths_and_commits(sluice, sqs, queue):
    name = queue.rsplit("/", 1)[1]
    sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": str(i), "MessageBody": "m"}
                                                    for i in range(3)])
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1)["Messages"]
    sqs.delete_message(QueueUrl=queue, ReceiptHandle=got[0]["ReceiptHandle"])
    sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1, VisibilityTimeout=300)
    with pytest.raises(botocore.exceptions.ClientError):
        sqs.get_queue_url(QueueName=name + "-missing")
    _, body = http_get(sluice.endpoint + "/metrics")
    m = metric_values(body.decode())
    assert m['sluice_requests_total{action="SendMessageBatch",status="200"}'] >= 1
    assert m['sluice_requests_total{action="GetQueueUrl",status="400"}'] >= 1
    assert m["sluice_messages_sent_total"] >= 3
    assert m["sluice_messages_received_total"] >= 2
    assert m["sluice_messages_deleted_total"] >= 1
    assert m[f'sluice_queue_messages{{queue="{name}",state="visible"}}'] == 1
    assert m[f'sluice_queue_messages{{queue="{name}",state="in_flight"}}'] == 1
    assert m[f'sluice_queue_messages{{queue="{name}",state="delayed"}}'] == 0
    assert m["sluice_commit_batch_size_count"] >= 1
    assert m["sluice_commit_seconds_count"] >= 1
    assert m['sluice_commit_batch_size_bucket{le="+Inf"}'] == m["sluice_commit_batch_size_count"]
