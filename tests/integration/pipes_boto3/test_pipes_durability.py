"""Pipes are durable: after a restart (SIGTERM, and SIGKILL) every pipe is back as it was, RUNNING
ones consume again, STOPPED ones stay stopped. Each test runs its own server on its own data."""

import json
import time

import pytest

from pipes_helpers import (PASS, ROLE, aws_client, execution_inputs, queue_counts, queue_empty,
                           wait_for_records, wait_until)
from sluice_server import SluiceServer

FIRE_AND_FORGET = {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}


class Node:
    """One server on a data directory, restartable; clients follow its (new) port."""

    def __init__(self, data_dir):
        self.server = SluiceServer(data_dir=data_dir).start()

    def client(self, service):
        return aws_client(service, self.server.endpoint)

    def restart(self, crash):
        if crash:
            self.server.kill()
        else:
            assert self.server.stop() == 0, self.server.log_tail()
        data_dir = self.server.data_dir
        self.server.cleanup()
        self.server = SluiceServer(data_dir=data_dir).start()


@pytest.fixture
def node(tmp_path):
    n = Node(tmp_path / "data")
    try:
        yield n
        assert n.server.stop() == 0, n.server.log_tail()
    finally:
        n.server.cleanup()


def queue_url(sqs, name):
    return sqs.get_queue_url(QueueName=name)["QueueUrl"]


@pytest.mark.parametrize("crash", [False, True], ids=["sigterm", "sigkill"])
def test_pipes_survive_a_restart(node, crash):
    sqs, sfn, pipes = node.client("sqs"), node.client("stepfunctions"), node.client("pipes")
    for q in ("run-src", "stop-src"):
        sqs.create_queue(QueueName=q)
    run_src = "arn:aws:sqs:us-east-1:000000000000:run-src"
    stop_src = "arn:aws:sqs:us-east-1:000000000000:stop-src"
    machine = sfn.create_state_machine(name="durable", definition=json.dumps(PASS),
                                       roleArn=ROLE)["stateMachineArn"]
    running = dict(Name="running", Source=run_src, Target=machine, RoleArn=ROLE,
                   Description="keeps running", Tags={"k": "v"},
                   SourceParameters={"SqsQueueParameters": {"BatchSize": 4}},
                   TargetParameters={"InputTemplate": '{"id": <$.messageId>}', **FIRE_AND_FORGET})
    pipes.create_pipe(**running)
    pipes.create_pipe(Name="stopped", Source=stop_src, Target=machine, RoleArn=ROLE,
                      DesiredState="STOPPED", TargetParameters=FIRE_AND_FORGET)
    pipes.update_pipe(Name="running", RoleArn=ROLE, Description="updated, then restarted")
    pipes.create_pipe(Name="failed", Source=run_src, Target=machine, RoleArn=ROLE)
    before = {n: pipes.describe_pipe(Name=n) for n in ("running", "stopped", "failed")}
    assert before["running"]["Description"] == "updated, then restarted"
    assert before["failed"]["CurrentState"] == "CREATE_FAILED"
    first = sqs.send_message(QueueUrl=queue_url(sqs, "run-src"), MessageBody="1")["MessageId"]
    wait_for_records(sfn, machine, 1)

    node.restart(crash)
    sqs, sfn, pipes = node.client("sqs"), node.client("stepfunctions"), node.client("pipes")
    for n in ("running", "stopped", "failed"):
        after = pipes.describe_pipe(Name=n)
        for key in ("Arn", "Name", "Source", "Target", "RoleArn", "DesiredState", "CurrentState",
                    "StateReason", "SourceParameters", "TargetParameters", "Description", "Tags",
                    "CreationTime", "LastModifiedTime"):
            assert after.get(key) == before[n].get(key), (n, key)
    assert pipes.describe_pipe(Name="running")["CurrentState"] == "RUNNING"
    assert pipes.describe_pipe(Name="stopped")["CurrentState"] == "STOPPED"
    assert pipes.describe_pipe(Name="failed")["CurrentState"] == "CREATE_FAILED"
    assert sorted(p["Name"] for p in pipes.list_pipes()["Pipes"]) == [
        "failed", "running", "stopped"]
    assert pipes.list_tags_for_resource(resourceArn=before["running"]["Arn"])["tags"] == {"k": "v"}

    run_url, stop_url = queue_url(sqs, "run-src"), queue_url(sqs, "stop-src")
    second = sqs.send_message(QueueUrl=run_url, MessageBody="2")["MessageId"]
    held = sqs.send_message(QueueUrl=stop_url, MessageBody="held")["MessageId"]
    got = wait_for_records(sfn, machine, 2)
    assert [events for _, events in got] == [[{"id": first}], [{"id": second}]]
    wait_until(lambda: queue_empty(sqs, run_url), what="the running pipe's queue empty")
    time.sleep(0.3)
    assert queue_counts(sqs, stop_url) == (1, 0)

    pipes.start_pipe(Name="stopped")
    got = wait_for_records(sfn, machine, 3)
    assert got[-1][0] == held
    assert len(execution_inputs(sfn, machine)) == 3


def test_a_pipe_deleted_before_a_crash_stays_deleted(node):
    sqs, sfn, pipes = node.client("sqs"), node.client("stepfunctions"), node.client("pipes")
    sqs.create_queue(QueueName="src")
    machine = sfn.create_state_machine(name="m", definition=json.dumps(PASS),
                                       roleArn=ROLE)["stateMachineArn"]
    pipes.create_pipe(Name="doomed", Source="arn:aws:sqs:us-east-1:000000000000:src",
                      Target=machine, RoleArn=ROLE, TargetParameters=FIRE_AND_FORGET)
    assert pipes.delete_pipe(Name="doomed")["CurrentState"] == "DELETING"
    node.restart(crash=True)
    sqs, pipes = node.client("sqs"), node.client("pipes")
    assert pipes.list_pipes()["Pipes"] == []
    sqs.send_message(QueueUrl=queue_url(sqs, "src"), MessageBody="nobody takes me")
    time.sleep(0.3)
    assert queue_counts(sqs, queue_url(sqs, "src")) == (1, 0)
