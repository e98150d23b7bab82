"""Batching (BatchSize, MaximumBatchingWindowInSeconds) and FIFO sources (one batch per message
group at a time, in order; groups in parallel)."""

import json

from pipes_helpers import (PASS, execution_inputs, executions, function_arn, queue_empty,
                           send_all, wait_for_records, wait_until)

FIRE_AND_FORGET = {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}


def test_a_full_batch_goes_at_once_and_a_partial_one_after_the_window(sqs, sfn, make_queue,
                                                                      state_machine, make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    make_pipe(source, target, TargetParameters=FIRE_AND_FORGET, SourceParameters={
        "SqsQueueParameters": {"BatchSize": 5, "MaximumBatchingWindowInSeconds": 1}})

    def waited_ms(execution_name):
        """From the last message's send to its execution's start, by the server's clocks."""
        [e] = [e for e in executions(sfn, target) if e["name"] == execution_name]
        [(_, records)] = [b for b in execution_inputs(sfn, target) if b[0] == execution_name]
        last_sent = max(int(r["attributes"]["SentTimestamp"]) for r in records)
        return e["startDate"].timestamp() * 1000 - last_sent

    five = send_all(sqs, url, [f"full-{i}" for i in range(5)])
    [(execution, records)] = wait_for_records(sfn, target, 5)
    assert execution == five[0]
    assert sorted(r["messageId"] for r in records) == sorted(five)
    assert sorted(r["body"] for r in records) == [f"full-{i}" for i in range(5)]
    assert waited_ms(execution) < 900, "a full batch waited for the window"

    three = send_all(sqs, url, [f"part-{i}" for i in range(3)])
    got = wait_for_records(sfn, target, 8, timeout=5)
    assert len(got) == 2
    execution, records = got[1]
    assert execution == three[0]
    assert sorted(r["messageId"] for r in records) == sorted(three)
    waited = waited_ms(execution)
    assert 900 <= waited < 2500, f"the partial batch went {waited:.0f} ms after its last send"
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")


def test_batch_size_above_ten_with_a_window(sqs, sfn, make_queue, state_machine, make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    make_pipe(source, target, TargetParameters=FIRE_AND_FORGET, SourceParameters={
        "SqsQueueParameters": {"BatchSize": 25, "MaximumBatchingWindowInSeconds": 1}})
    ids = send_all(sqs, url, [f"m{i}" for i in range(25)])
    got = wait_for_records(sfn, target, 25)
    assert len(got) == 1, [len(r) for _, r in got]
    assert sorted(r["messageId"] for r in got[0][1]) == sorted(ids)


def test_without_a_window_one_message_is_one_batch(sqs, sfn, make_queue, state_machine,
                                                   make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    make_pipe(source, target, TargetParameters=FIRE_AND_FORGET)
    first = sqs.send_message(QueueUrl=url, MessageBody="one")["MessageId"]
    [(execution, [record])] = wait_for_records(sfn, target, 1)
    assert execution == first and record["body"] == "one"


def sent_fifo(sqs, url, groups, per_group):
    """Sends per_group messages to each group, interleaved (a1 b1 c1 a2 b2 ...); returns
    {group: [message ids in send order]}."""
    order = {g: [] for g in groups}
    for i in range(per_group):
        for g in groups:
            mid = sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"g": g, "i": i}),
                                   MessageGroupId=g, MessageDeduplicationId=f"{g}-{i}")["MessageId"]
            order[g].append(mid)
    return order


def test_fifo_groups_in_order_to_a_state_machine(pipes, sqs, sfn, make_queue, state_machine,
                                                 make_pipe):
    url, source = make_queue(fifo=True)
    target = state_machine(PASS)
    name, _ = make_pipe(source, target, DesiredState="STOPPED", TargetParameters=FIRE_AND_FORGET,
                        SourceParameters={"SqsQueueParameters": {"BatchSize": 2}})
    groups = ["ga", "gb", "gc"]
    sent = sent_fifo(sqs, url, groups, 5)
    pipes.start_pipe(Name=name)

    total = sum(len(v) for v in sent.values())
    wait_for_records(sfn, target, total)
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    started = {e["name"]: e["startDate"] for e in executions(sfn, target)}
    batches = execution_inputs(sfn, target)
    seen = {g: [] for g in groups}
    for execution, records in sorted(batches, key=lambda b: started[b[0]]):
        # A batch holds one group, in order, and is named after its first message.
        assert execution == records[0]["messageId"]
        batch_groups = {r["attributes"]["MessageGroupId"] for r in records}
        assert len(batch_groups) == 1, batch_groups
        assert 1 <= len(records) <= 2
        group = batch_groups.pop()
        seqs = [int(r["attributes"]["SequenceNumber"]) for r in records]
        assert seqs == sorted(seqs)
        seen[group].append((started[execution], [r["messageId"] for r in records]))
    for g in groups:
        # In execution start order, the group's messages come in send order.
        ids = [mid for _, batch in seen[g] for mid in batch]
        assert ids == sent[g], g


def test_fifo_groups_run_in_parallel_each_in_order(lambdas, pipes, sqs, make_queue, make_pipe):
    url, source = make_queue(fifo=True)
    name, _ = make_pipe(source, function_arn("pb-slow"), DesiredState="STOPPED",
                        SourceParameters={"SqsQueueParameters": {"BatchSize": 1}})
    groups = ["x", "y", "z"]
    sent = sent_fifo(sqs, url, groups, 4)
    pipes.start_pipe(Name=name)

    def calls():
        return [c for c in lambdas.invocations("pb-slow")
                if c["payload"] and c["payload"][0]["eventSourceARN"] == source]

    wait_until(lambda: len(calls()) >= 12 and all("end" in c for c in calls()), timeout=15,
               what="12 invocations answered")
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    got = calls()
    assert all(len(c["payload"]) == 1 for c in got)
    by_group = {g: [] for g in groups}
    for c in got:  # arrival order
        r = c["payload"][0]
        by_group[r["attributes"]["MessageGroupId"]].append(r["messageId"])
    assert by_group == sent
    # A group waits for its batch to settle: its calls never overlap. Different groups' do.
    for g in groups:
        mine = [c for c in got if c["payload"][0]["attributes"]["MessageGroupId"] == g]
        for a, b in zip(mine, mine[1:]):
            assert b["at"] >= a["end"], f"group {g}: a batch started before the previous ended"
    overlapping = max(sum(1 for c in got if c["at"] <= t < c["end"]) for t in
                      (c["at"] for c in got))
    assert overlapping >= 2, "the groups did not run in parallel"


def test_a_batch_stays_under_256_kib(sqs, sfn, make_queue, state_machine, make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    make_pipe(source, target, TargetParameters=FIRE_AND_FORGET, SourceParameters={
        "SqsQueueParameters": {"BatchSize": 10, "MaximumBatchingWindowInSeconds": 1}})
    ids = send_all(sqs, url, [str(i) * 100_000 for i in range(5)])  # 100 kB each
    got = wait_for_records(sfn, target, 5)
    assert sorted(r["messageId"] for _, batch in got for r in batch) == sorted(ids)
    sizes = [len(batch) for _, batch in got]
    assert max(sizes) == 2 and sum(sizes) == 5, sizes
    for execution, batch in got:
        assert execution == batch[0]["messageId"]
        assert len(json.dumps(batch)) <= 256 * 1024
