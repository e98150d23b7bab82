"""Helpers the Python suites share: AWS error assertions, the MD5 digests SQS returns, raw HTTP."""

import contextlib
import hashlib
import struct
import urllib.error
import urllib.request

import botocore.exceptions
import pytest

ACCOUNT = "000000000000"
REGION = "us-east-1"


@contextlib.contextmanager
def raises_sqs_error(*codes, status=400, message=None):
    """Asserts the block raises a ClientError with one of `codes`, HTTP status `status` and, when
    given, exactly the error message `message`."""
    with pytest.raises(botocore.exceptions.ClientError) as info:
        yield info
    response = info.value.response
    assert response["Error"]["Code"] in codes, response
    if status is not None:
        assert response["ResponseMetadata"]["HTTPStatusCode"] == status, response
    if message is not None:
        assert response["Error"]["Message"] == message, response


def md5_hex(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.md5(data).hexdigest()


def md5_of_message_attributes(attributes):
    """The MD5OfMessageAttributes algorithm AWS documents: for each attribute, sorted by name, the
    length-prefixed name, data type, a transport byte (1 string/number, 2 binary) and value."""

    def lp(b):
        return struct.pack(">I", len(b)) + b

    buf = b""
    for name in sorted(attributes):
        value = attributes[name]
        data_type = value["DataType"]
        buf += lp(name.encode()) + lp(data_type.encode())
        if data_type.startswith("Binary"):
            buf += b"\x02" + lp(value["BinaryValue"])
        else:
            buf += b"\x01" + lp(value["StringValue"].encode("utf-8"))
    return hashlib.md5(buf).hexdigest()


def post(server, body, headers=None, path="/"):
    """A raw HTTP POST no SDK would send; returns (status, headers, body text)."""
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(server.endpoint + path, data=data, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.headers, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8", "replace")
