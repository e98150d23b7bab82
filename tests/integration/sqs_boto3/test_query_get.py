"""The query protocol over GET, as AWS serves it: the action and its parameters in the URL
(`GET /ACCOUNT/NAME?Action=ReceiveMessage&...` or `GET /?Action=ListQueues`), answered in XML like
a POST, long polls included. Raw HTTP (urllib), since no SDK sends GET."""

import threading
import time
import urllib.parse
import urllib.request

from sluice_server import http_get
from sqs_helpers import ACCOUNT

XMLNS = 'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"'


def get(server, path, params, timeout=30):
    query = urllib.parse.urlencode(dict(params, Version="2012-11-05"))
    status, body = http_get(f"{server.endpoint}{path}?{query}", timeout=timeout)
    return status, body.decode()


def queue_path(url):
    return "/" + url.split("/", 3)[3]  # /ACCOUNT/NAME


def test_list_queues_over_get(sluice, queue):
    name = queue.rsplit("/", 1)[1]
    status, body = get(sluice, "/", {"Action": "ListQueues", "QueueNamePrefix": name})
    assert status == 200, body
    assert body.startswith(f"<ListQueuesResponse {XMLNS}>"), body
    assert f"<QueueUrl>{queue}</QueueUrl>" in body


def test_send_and_receive_over_get_on_the_queue_path(sluice, sqs, queue):
    path = queue_path(queue)
    status, body = get(sluice, path, {"Action": "SendMessage", "MessageBody": "via get & url"})
    assert status == 200, body
    assert "<MessageId>" in body
    status, body = get(sluice, path, {"Action": "ReceiveMessage", "AttributeName.1": "All",
                                      "WaitTimeSeconds": "1"})
    assert status == 200, body
    assert "<Body>via get &amp; url</Body>" in body
    assert "<Name>ApproximateReceiveCount</Name><Value>1</Value>" in body


def test_long_poll_over_get_waits_for_a_message(sluice, sqs, queue):
    path = queue_path(queue)
    sender = threading.Timer(1.5, lambda: sqs.send_message(QueueUrl=queue, MessageBody="late"))
    started = time.monotonic()
    sender.start()
    try:
        status, body = get(sluice, path, {"Action": "ReceiveMessage", "WaitTimeSeconds": "10"})
    finally:
        sender.join()
    waited = time.monotonic() - started
    assert status == 200, body
    assert "<Body>late</Body>" in body
    assert 1.2 < waited < 9, waited


def test_empty_long_poll_over_get_lasts_its_wait_time(sluice, queue):
    started = time.monotonic()
    status, body = get(sluice, queue_path(queue), {"Action": "ReceiveMessage",
                                                   "WaitTimeSeconds": "2"})
    waited = time.monotonic() - started
    assert status == 200, body
    assert "<Message>" not in body
    assert waited >= 1.9, waited


def test_errors_over_get_are_query_errors(sluice):
    status, body = get(sluice, f"/{ACCOUNT}/no-such-queue-get", {"Action": "ReceiveMessage"})
    assert status == 400
    assert "<Code>AWS.SimpleQueueService.NonExistentQueue</Code>" in body
    assert "<Message>The specified queue does not exist for this wsdl version.</Message>" in body
    status, body = get(sluice, "/", {"Action": "Bogus"})
    assert status == 400
    assert "<Code>InvalidAction</Code>" in body
