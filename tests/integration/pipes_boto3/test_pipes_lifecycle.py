"""Stop, start, update and delete a pipe while messages flow: nothing is lost, nothing is taken
twice, and a stopped pipe takes nothing."""

import collections
import threading
import time

import botocore.exceptions
import pytest

from pipes_helpers import (PASS, ROLE, aws_client, drain, execution_inputs, function_arn, metric,
                           queue_counts, queue_empty, send_all, wait_for_records, wait_for_state,
                           wait_until)

FIRE_AND_FORGET = {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}


class Sender(threading.Thread):
    """Sends `n` messages, one SendMessage at a time, in the background; records their ids."""

    def __init__(self, sqs, url, n, prefix):
        super().__init__(daemon=True)
        self.sqs, self.url, self.n, self.prefix = sqs, url, n, prefix
        self.ids = []
        self.error = None

    def run(self):
        try:
            for i in range(self.n):
                self.ids.append(self.sqs.send_message(
                    QueueUrl=self.url, MessageBody=f"{self.prefix}-{i}")["MessageId"])
                time.sleep(0.005)
        except Exception as e:  # noqa: BLE001 -- reported by the test
            self.error = e


def record_ids(sfn, machine):
    return [r["messageId"] for _, batch in execution_inputs(sfn, machine) for r in batch]


def test_stop_takes_nothing_more_and_start_resumes(pipes, sqs, sfn, make_queue, state_machine,
                                                   make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    name, _ = make_pipe(source, target, TargetParameters=FIRE_AND_FORGET)
    first = sqs.send_message(QueueUrl=url, MessageBody="before")["MessageId"]
    wait_for_records(sfn, target, 1)

    stopped = pipes.stop_pipe(Name=name)
    assert (stopped["CurrentState"], stopped["DesiredState"]) == ("STOPPING", "STOPPED")
    wait_for_state(pipes, name, "STOPPED")
    later = send_all(sqs, url, ["while-stopped-1", "while-stopped-2", "while-stopped-3"])
    time.sleep(0.5)
    assert queue_counts(sqs, url) == (3, 0)
    assert record_ids(sfn, target) == [first]

    started = pipes.start_pipe(Name=name)
    assert (started["CurrentState"], started["DesiredState"]) == ("STARTING", "RUNNING")
    wait_for_records(sfn, target, 4)
    assert sorted(record_ids(sfn, target)) == sorted([first] + later)
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")


def test_stop_while_messages_flow_loses_nothing(pipes, sqs, sfn, make_queue, state_machine,
                                                make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    name, _ = make_pipe(source, target, TargetParameters=FIRE_AND_FORGET)
    sender = Sender(sqs, url, 120, "flow")
    sender.start()
    wait_until(lambda: len(record_ids(sfn, target)) >= 20, what="20 messages piped")
    pipes.stop_pipe(Name=name)
    wait_for_state(pipes, name, "STOPPED")
    sender.join(30)
    assert sender.error is None, sender.error

    # Stopped: whatever was not piped stays in the queue.
    piped = record_ids(sfn, target)
    time.sleep(0.3)
    assert record_ids(sfn, target) == piped
    visible, in_flight = queue_counts(sqs, url)
    assert in_flight == 0
    assert len(piped) + visible == len(sender.ids), (len(piped), visible)
    assert visible > 0, "the sender finished before the stop: nothing tested"

    pipes.start_pipe(Name=name)
    wait_for_records(sfn, target, len(sender.ids))
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    counts = collections.Counter(record_ids(sfn, target))
    assert sorted(counts) == sorted(sender.ids)
    assert set(counts.values()) == {1}, "a message was piped twice"


def test_update_changes_the_target_of_new_batches(pipes, sqs, sfn, make_queue, state_machine,
                                                  make_pipe):
    url, source = make_queue()
    old = state_machine(PASS)
    new = state_machine(PASS)
    name, _ = make_pipe(source, old, TargetParameters=FIRE_AND_FORGET)
    a = sqs.send_message(QueueUrl=url, MessageBody="to-old")["MessageId"]
    wait_for_records(sfn, old, 1)

    updated = pipes.update_pipe(Name=name, RoleArn=ROLE, Target=new, TargetParameters={
        "InputTemplate": '{"id": <$.messageId>, "v": 2}', **FIRE_AND_FORGET})
    assert updated["CurrentState"] == "UPDATING"
    wait_for_state(pipes, name, "RUNNING")
    b = sqs.send_message(QueueUrl=url, MessageBody="to-new")["MessageId"]
    [(_, events)] = wait_for_records(sfn, new, 1)
    assert events == [{"id": b, "v": 2}]
    assert record_ids(sfn, old) == [a]
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")


def test_delete_while_batches_are_in_flight_loses_nothing(lambdas, pipes, sqs, make_queue,
                                                          make_pipe):
    url, source = make_queue(VisibilityTimeout=30)
    name, _ = make_pipe(source, function_arn("pb-slow"), SourceParameters={
        "SqsQueueParameters": {"BatchSize": 3}})
    sender = Sender(sqs, url, 150, "del")
    sender.start()

    def delivered():
        return [r["messageId"] for c in lambdas.invocations("pb-slow")
                if c["payload"] and c["payload"][0].get("eventSourceARN") == source
                for r in c["payload"]]

    wait_until(lambda: len(delivered()) >= 15, what="15 messages delivered")
    deleted = pipes.delete_pipe(Name=name)
    assert deleted["CurrentState"] == "DELETING"

    def gone():
        try:
            pipes.describe_pipe(Name=name)
            return False
        except botocore.exceptions.ClientError as e:
            return e.response["Error"]["Code"] == "NotFoundException"

    wait_until(gone, what="the pipe gone")
    sender.join(30)
    assert sender.error is None, sender.error
    # Batches in flight at the delete finished: none is held any more.
    assert queue_counts(sqs, url)[1] == 0
    remaining = [m["MessageId"] for m in drain(sqs, url)]
    seen = delivered()
    assert remaining, "the sender finished before the delete: nothing tested"
    assert not set(seen) & set(remaining), "a delivered message is still in the queue"
    assert len(seen) == len(set(seen)), "a message was delivered twice"
    assert sorted(seen + remaining) == sorted(sender.ids)


def test_update_of_a_stopped_pipe_keeps_it_stopped(pipes, sqs, sfn, make_queue, state_machine,
                                                   make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    name, _ = make_pipe(source, target, DesiredState="STOPPED", TargetParameters=FIRE_AND_FORGET,
                        SourceParameters={"FilterCriteria": {"Filters": [
                            {"Pattern": '{"body": ["never"]}'}]}})
    updated = pipes.update_pipe(Name=name, RoleArn=ROLE, Description="still stopped")
    assert (updated["CurrentState"], updated["DesiredState"]) == ("UPDATING", "STOPPED")
    wait_for_state(pipes, name, "STOPPED")
    sent = sqs.send_message(QueueUrl=url, MessageBody="kept")["MessageId"]
    time.sleep(0.3)
    assert queue_counts(sqs, url) == (1, 0)

    # An empty FilterCriteria removes filtering; DesiredState RUNNING starts it.
    pipes.update_pipe(Name=name, RoleArn=ROLE, DesiredState="RUNNING",
                      SourceParameters={"FilterCriteria": {}})
    d = pipes.describe_pipe(Name=name)
    assert d["CurrentState"] == "RUNNING"
    assert "FilterCriteria" not in d.get("SourceParameters", {})
    [(execution, _)] = wait_for_records(sfn, target, 1)
    assert execution == sent


def test_metrics_per_pipe(pipes_server, sqs, sfn, make_queue, state_machine, make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    name, _ = make_pipe(source, target, TargetParameters=FIRE_AND_FORGET, SourceParameters={
        "FilterCriteria": {"Filters": [{"Pattern": '{"body": [{"prefix": "keep"}]}'}]},
        "SqsQueueParameters": {"BatchSize": 10, "MaximumBatchingWindowInSeconds": 1}})
    send_all(sqs, url, ["keep-1", "keep-2", "drop-1"])
    wait_for_records(sfn, target, 2)

    def value(series):
        return metric(pipes_server.endpoint, f"sluice_pipe_{series}", name)

    wait_until(lambda: value("messages_consumed_total") == 3, what="3 messages consumed")
    assert value("messages_filtered_total") == 1
    assert value("batches_total") == 1
    assert value("executions_started_total") == 1
    assert value("messages_failed_total") == 0
    assert value("batches_in_flight") == 0
    assert value("running") == 1


def test_concurrent_stop_and_start_agree_with_what_describe_says(pipes_server, pipes, sqs, sfn,
                                                                 make_queue, state_machine,
                                                                 make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    name, _ = make_pipe(source, target, TargetParameters=FIRE_AND_FORGET)
    other = aws_client("pipes", pipes_server.endpoint)  # a second connection
    sent = 0
    for i in range(8):
        barrier = threading.Barrier(2)

        def call(fn):
            barrier.wait()
            time.sleep(0.0005 * (i % 4))
            fn(Name=name)

        threads = [threading.Thread(target=call, args=(pipes.stop_pipe,)),
                   threading.Thread(target=call, args=(other.start_pipe,))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Whichever came last wins, and the pipe does what Describe says.
        wait_until(lambda: pipes.describe_pipe(Name=name)["CurrentState"] in ("RUNNING",
                                                                             "STOPPED"),
                   what="a settled state")
        d = pipes.describe_pipe(Name=name)
        assert d["CurrentState"] == d["DesiredState"], (i, d["DesiredState"], d["CurrentState"])
        if d["DesiredState"] == "STOPPED":
            pipes.start_pipe(Name=name)
        sqs.send_message(QueueUrl=url, MessageBody=f"round-{i}")
        sent += 1
        wait_for_records(sfn, target, sent, timeout=5)


def held_calls(lambdas, source):
    return [c for c in lambdas.invocations("pb-hold")
            if c["payload"] and c["payload"][0].get("eventSourceARN") == source]


def test_stop_lets_the_batch_in_flight_finish(lambdas, pipes, sqs, make_queue, make_pipe):
    url, source = make_queue(VisibilityTimeout=1)
    name, _ = make_pipe(source, function_arn("pb-hold"))
    sent = sqs.send_message(QueueUrl=url, MessageBody="in flight")["MessageId"]
    wait_until(lambda: held_calls(lambdas, source), what="the invocation")

    assert pipes.stop_pipe(Name=name)["CurrentState"] == "STOPPING"
    assert pipes.describe_pipe(Name=name)["CurrentState"] == "STOPPING"
    wait_for_state(pipes, name, "STOPPED", timeout=5)
    [call] = held_calls(lambdas, source)
    assert "end" in call  # STOPPED once the function answered
    assert [r["messageId"] for r in call["payload"]] == [sent]
    time.sleep(1.2)  # past the visibility timeout: it was delivered, not given back
    assert queue_counts(sqs, url) == (0, 0)
    assert len(held_calls(lambdas, source)) == 1


def test_delete_waits_for_the_batch_in_flight(lambdas, pipes, sqs, make_queue, make_pipe):
    url, source = make_queue(VisibilityTimeout=1)
    name, _ = make_pipe(source, function_arn("pb-hold"))
    sent = sqs.send_message(QueueUrl=url, MessageBody="in flight")["MessageId"]
    wait_until(lambda: held_calls(lambdas, source), what="the invocation")

    assert pipes.delete_pipe(Name=name)["CurrentState"] == "DELETING"
    d = pipes.describe_pipe(Name=name)
    assert (d["CurrentState"], d["DesiredState"]) == ("DELETING", "DELETED")
    # Not gone while its batch is in flight, and a new pipe cannot take the name meanwhile.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        pipes.start_pipe(Name=name)
    assert e.value.response["Error"]["Code"] == "ConflictException"

    def gone():
        try:
            pipes.describe_pipe(Name=name)
            return False
        except botocore.exceptions.ClientError as e:
            return e.response["Error"]["Code"] == "NotFoundException"

    wait_until(gone, timeout=5, what="the pipe gone")
    [call] = held_calls(lambdas, source)
    assert "end" in call
    assert [r["messageId"] for r in call["payload"]] == [sent]
    time.sleep(1.2)
    assert queue_counts(sqs, url) == (0, 0)
