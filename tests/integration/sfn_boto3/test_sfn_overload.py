"""Overload: StartExecution requests that arrive faster than their commits complete. What they
hold while waiting is bounded by --max-uncommitted-mib; a start past the bound is answered
ThrottlingException at once, and nothing acknowledged is lost. The test starts its own server."""

import json
import socket

import botocore.exceptions
import pytest

from sfn_helpers import ROLE, sfn_client, wait_definition

INPUT = json.dumps({"pad": "x" * 250_000})  # four of these fit in 1 MiB, a fifth does not


def start_request(machine_arn, name):
    body = json.dumps({"stateMachineArn": machine_arn, "name": name, "input": INPUT}).encode()
    return (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\n"
            b"X-Amz-Target: AWSStepFunctions.StartExecution\r\nContent-Length: " +
            str(len(body)).encode() + b"\r\n\r\n" + body)


def read_response(sock, data):
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "connection closed"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")[1:]
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed"
        body += chunk
    return int(head.split(b" ", 2)[1]), json.loads(body[:length]), body[length:]


def test_starts_faster_than_commits_are_throttled_and_nothing_acknowledged_is_lost(servers,
                                                                                   tmp_path):
    """40 pipelined starts of 250 kB inputs reach the server far faster than a commit completes:
    those past the 1 MiB bound get ThrottlingException ("Rate exceeded", 400) at once; every one
    answered 200 exists, no throttled one does, and a throttled start goes through on its own."""
    server = servers(tmp_path / "data", "--max-uncommitted-mib", "1")
    sfn = sfn_client(server.endpoint)
    arn = sfn.create_state_machine(name="overload", definition=wait_definition(60),
                                   roleArn=ROLE)["stateMachineArn"]
    host, port = server.endpoint.removeprefix("http://").rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=30)
    names = [f"e{i}" for i in range(40)]
    sock.sendall(b"".join(start_request(arn, n) for n in names))
    started, throttled, rest = [], [], b""
    for n in names:
        status, body, rest = read_response(sock, rest)
        if status == 200:
            assert body["executionArn"].endswith(":" + n)
            started.append(n)
        else:
            assert (status, body["__type"].split("#")[-1], body["message"]) == (
                400, "ThrottlingException", "Rate exceeded"), body
            throttled.append(n)
    sock.close()
    assert len(started) >= 4 and throttled, (started, throttled)

    listed = {e["name"] for e in sfn.list_executions(stateMachineArn=arn)["executions"]}
    assert listed == set(started)
    # Throttled, not failed: the same start goes through once the backlog is empty.
    again = sfn.start_execution(stateMachineArn=arn, name=throttled[0], input=INPUT)
    assert sfn.describe_execution(executionArn=again["executionArn"])["status"] == "RUNNING"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        sfn.describe_execution(executionArn=again["executionArn"].replace(throttled[0], "none"))
    assert e.value.response["Error"]["Code"] == "ExecutionDoesNotExist"
    assert server.healthy()
    assert server.stop() == 0
