"""Backpressure: with --pipe-max-batches N a pipe has at most N batches in flight; the other
messages wait in the queue (visible), none is taken early."""

import pytest

from pipes_helpers import ROLE, aws_client, function_arn, queue_counts, send_all, wait_until
from sluice_server import running_server


@pytest.fixture
def one_batch_server(lambdas):
    with running_server(lambdas.flags() + ["--pipe-max-batches", "1"]) as server:
        yield server


def test_one_batch_in_flight_at_a_time(lambdas, one_batch_server):
    sqs = aws_client("sqs", one_batch_server.endpoint)
    pipes = aws_client("pipes", one_batch_server.endpoint)
    url = sqs.create_queue(QueueName="held-back")["QueueUrl"]
    source = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]
    pipes.create_pipe(Name="one-at-a-time", Source=source, Target=function_arn("pb-hold"),
                      RoleArn=ROLE, DesiredState="STOPPED",
                      SourceParameters={"SqsQueueParameters": {"BatchSize": 1}})
    ids = send_all(sqs, url, ["a", "b", "c"])
    pipes.start_pipe(Name="one-at-a-time")

    def calls():
        return [c for c in lambdas.invocations("pb-hold")
                if c["payload"] and c["payload"][0].get("eventSourceARN") == source]

    wait_until(calls, what="the first invocation")
    # One batch is in flight (its message not visible, as a received one); the other two wait in
    # the queue, visible.
    assert queue_counts(sqs, url) == (2, 1)
    wait_until(lambda: len(calls()) == 3 and all("end" in c for c in calls()), timeout=10,
               what="three invocations answered")
    got = calls()
    assert sorted(c["payload"][0]["messageId"] for c in got) == sorted(ids)
    for a, b in zip(got, got[1:]):
        assert b["at"] >= a["end"], "two batches were in flight at once"
    wait_until(lambda: queue_counts(sqs, url) == (0, 0), what="the queue empty")
    pipes.delete_pipe(Name="one-at-a-time")
