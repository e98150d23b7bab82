"""Fixtures of the console suite: the files served at /console/ and the event streams of
GET /_sluice/events (Server-Sent Events), driven with raw sockets, urllib and boto3, against the
session server (`sluice`, `sqs` of tests/integration/conftest.py).

`sse(query)`: opens an event stream and returns an SseStream that reads its frames. `sfn`: a boto3
Step Functions client.
"""

import json
import socket
import time

import pytest

from sfn_helpers import aws_client


class SseStream:
    """A GET /_sluice/events request on its own socket: the head, then frames as they come."""

    def __init__(self, port, query):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(f"GET /_sluice/events?{query} HTTP/1.1\r\nHost: test\r\n"
                          "Accept: text/event-stream\r\n\r\n".encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.buf += chunk
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}

    def frame(self, timeout=10.0):
        """The next frame as (event, data, comments); None when the server closed the stream."""
        deadline = time.monotonic() + timeout
        while b"\n\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no event within {timeout}s; have {self.buf!r}")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        raw, _, self.buf = self.buf.partition(b"\n\n")
        event, data, comments = None, [], []
        for line in raw.decode().split("\n"):
            if line.startswith(":"):
                comments.append(line[1:].strip())
            elif line.startswith("event: "):
                event = line[len("event: "):]
            elif line.startswith("data: "):
                data.append(line[len("data: "):])
            elif line.startswith("retry: "):
                comments.append(line)
        return event, "\n".join(data), comments

    def next_event(self, name, timeout=10.0):
        """Data (parsed JSON) of the next frame named `name`, skipping comments."""
        deadline = time.monotonic() + timeout
        while True:
            f = self.frame(max(0.01, deadline - time.monotonic()))
            assert f is not None, "the stream closed"
            if f[0] == name:
                return json.loads(f[1])

    def close(self):
        self.sock.close()


@pytest.fixture
def sse(sluice):
    opened = []

    def open_stream(query):
        s = SseStream(sluice.port, query)
        opened.append(s)
        return s

    yield open_stream
    for s in opened:
        s.close()


@pytest.fixture
def sfn(sluice):
    return aws_client("stepfunctions", sluice.endpoint)
