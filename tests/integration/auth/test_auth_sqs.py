"""SigV4 on the SQS query protocol through boto3 (and raw HTTP for what no SDK sends): right and
wrong keys, missing and malformed signatures, clock skew, presigned URLs. Every failure is HTTP
403 with AWS's code and message in an <ErrorResponse> of Type Sender."""

import datetime
import urllib.error
import urllib.request

import botocore.auth
import pytest
from botocore.exceptions import ClientError

from auth_helpers import KEYS, MISSING_TOKEN, SIGNATURE_MISMATCH, UNKNOWN_KEY, assert_client_error


def raw(endpoint, method="POST", path="/", body=b"", headers=None):
    req = urllib.request.Request(endpoint + path, data=body if method == "POST" else None,
                                 method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_right_key_works(client):
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="auth-right-key")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="signed")
    got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in got] == ["signed"]
    assert url in sqs.list_queues()["QueueUrls"]


def test_wrong_secret_is_signature_does_not_match(client):
    sqs = client("sqs", (KEYS["owner"][0], "not-the-secret"))
    with pytest.raises(ClientError) as e:
        sqs.list_queues()
    assert_client_error(e, "SignatureDoesNotMatch", SIGNATURE_MISMATCH)


def test_unknown_key_is_invalid_client_token_id(client):
    sqs = client("sqs", ("AKIDNOBODY", "whatever"))
    with pytest.raises(ClientError) as e:
        sqs.create_queue(QueueName="auth-unknown-key")
    assert_client_error(e, "InvalidClientTokenId", UNKNOWN_KEY)


def test_unsigned_request_is_missing_authentication_token(client):
    with pytest.raises(ClientError) as e:
        client("sqs", None).list_queues()
    assert_client_error(e, "MissingAuthenticationToken", MISSING_TOKEN)


def test_error_document_shape(auth_server):
    status, body = raw(auth_server.endpoint, body=b"Action=ListQueues",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    assert "<Type>Sender</Type>" in body
    assert "<Code>MissingAuthenticationToken</Code>" in body
    assert "<RequestId>" in body


def test_malformed_header_is_incomplete_signature(auth_server):
    header = "AWS4-HMAC-SHA256 Credential=AKIDOWNER/20240101/us-east-1/sqs/aws4_request"
    status, body = raw(auth_server.endpoint, body=b"Action=ListQueues",
                       headers={"Authorization": header, "X-Amz-Date": "20240101T000000Z"})
    assert status == 403
    assert "<Code>IncompleteSignature</Code>" in body
    assert ("<Message>Authorization header requires &apos;Signature&apos; parameter."
            in body or "<Message>Authorization header requires 'Signature' parameter." in body)


@pytest.mark.parametrize("minutes", [-20, 20])
def test_clock_skew_beyond_15_minutes(client, monkeypatch, minutes):
    real = datetime.datetime

    class Skewed(real):
        @classmethod
        def utcnow(cls):
            return real.utcnow() + datetime.timedelta(minutes=minutes)

    monkeypatch.setattr(botocore.auth.datetime, "datetime", Skewed)
    with pytest.raises(ClientError) as e:
        client("sqs").list_queues()
    err = assert_client_error(e, "SignatureDoesNotMatch")
    wording = "Signature expired: " if minutes < 0 else "Signature not yet current: "
    assert err["Error"]["Message"].startswith(wording), err
    assert err["Error"]["Message"].endswith(" min.)"), err


def test_presigned_url(client, auth_server):
    sqs = client("sqs")
    url = sqs.create_queue(QueueName="auth-presigned")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="via presigned url")
    presigned = sqs.generate_presigned_url(
        "get_queue_attributes",
        Params={"QueueUrl": url, "AttributeNames": ["ApproximateNumberOfMessages"]},
        ExpiresIn=300, HttpMethod="GET")
    assert "X-Amz-Signature=" in presigned
    status, body = raw(presigned, "GET", path="")
    assert status == 200, body
    assert "<Name>ApproximateNumberOfMessages</Name><Value>1</Value>" in body
    # Tampered: another queue's attributes under the same signature; or another method.
    tampered = presigned.replace("auth-presigned", "auth-presigned-other")
    status, body = raw(tampered, "GET", path="")
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body
    status, body = raw(presigned, "POST", path="")
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body


def test_expired_presigned_url(client, monkeypatch):
    sqs = client("sqs")
    real = datetime.datetime

    class TenMinutesAgo(real):
        @classmethod
        def utcnow(cls):
            return real.utcnow() - datetime.timedelta(minutes=10)

    monkeypatch.setattr(botocore.auth.datetime, "datetime", TenMinutesAgo)
    presigned = sqs.generate_presigned_url("list_queues", Params={}, ExpiresIn=60,
                                           HttpMethod="GET")
    monkeypatch.undo()
    status, body = raw(presigned, "GET", path="")
    assert status == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in body
    assert "<Message>Signature expired: " in body and " - 60 sec.)</Message>" in body


def test_admin_and_health_stay_open(client, auth_server):
    client("sqs").create_queue(QueueName="auth-admin")
    assert raw(auth_server.endpoint, "GET", "/health")[0] == 200
    status, body = raw(auth_server.endpoint, "GET", "/_sluice/queues/auth-admin/messages")
    assert status == 200, body
