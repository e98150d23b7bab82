"""EventBridge Pipes' exactly-once hand-off, tested by SIGKILL: queues piped to a STANDARD Pass
state machine (FIRE_AND_FORGET) while producers send thousands of messages and the server is
killed several times at random moments and restarted on the same data directory. A pipe removes
its batch in the commit that records the batch's ExecutionStarted, and names the execution after
the batch's first message id, so at the end (queue drained):

- every acknowledged message id is in exactly one execution's input, under its own body;
- no message id is in two executions; every message in an execution was sent (a send whose answer
  the kill cut off may or may not have stored its message, never twice: retries use new bodies);
- every execution is named after its first record's messageId and succeeded;
- the queues are empty (visible + in flight = 0).

The FIFO variant also checks order: each message group's executions, in sequence order, hold the
group's messages exactly once, each batch one run of consecutive messages, started in order.
Producers retry FIFO sends with the same deduplication id, so there every message is sent once.
"""

import random
import threading
import time

import pytest

from conftest import sqs_client
from crash_helpers import (CLIENT_ERRORS, crashable, create_pipe, drained,  # noqa: F401 - fixture
                           executions_of, pipes_client, queue_arn, queue_empty, queue_url)
from sfn_helpers import PASS, ROLE, sfn_client, wait_until


def kill_during(crashable, progress, total, kills, rng):
    """Kills the server `kills` times while `progress()` runs from 10% to 90% of `total`, each at
    a random moment (a random progress point plus a random delay)."""
    points = sorted(rng.uniform(0.1, 0.9) * total for _ in range(kills))
    for point in points:
        wait_until(lambda: progress() >= point, timeout=60, interval=0.005)
        time.sleep(rng.uniform(0, 0.15))
        crashable.kill_and_restart()


def check_exactly_once(executions, source, acked, attempted, max_batch):
    """The invariants of the module docstring for one queue; returns (records, unacked ones)."""
    by_id = {}
    by_body = {}
    for name, status, _, records in executions:
        assert status == "SUCCEEDED", (name, status)
        assert isinstance(records, list) and 1 <= len(records) <= max_batch, (name, records)
        assert name == records[0]["messageId"], (name, records[0]["messageId"])
        for r in records:
            assert r["eventSource"] == "aws:sqs" and r["eventSourceARN"] == queue_arn(source), r
            assert r["messageId"] not in by_id, (
                f"message {r['messageId']} ({r['body']}) is in two executions: "
                f"{by_id.get(r['messageId'])} and {name}")
            by_id[r["messageId"]] = name
            assert r["body"] not in by_body, f"body {r['body']} delivered twice"
            by_body[r["body"]] = r["messageId"]
            assert r["body"] in attempted, f"{name} holds a message never sent: {r['body']}"
    lost = {b: i for b, i in acked.items() if by_body.get(b) != i}
    assert not lost, (f"{len(lost)} of {len(acked)} acknowledged messages are in no execution "
                      f"(or under another id), e.g. {sorted(lost.items())[:5]}")
    return len(by_id), len(set(by_body) - set(acked))


def run_producers(targets, errors):
    """Starts a thread per (function, args); an exception a thread dies of goes to `errors`."""
    def guarded(fn, args):
        try:
            fn(*args)
        except BaseException as e:  # noqa: B902 - reported by the test
            errors.append(repr(e))
            raise

    threads = [threading.Thread(target=guarded, args=(fn, args)) for fn, args in targets]
    for t in threads:
        t.start()
    return threads


def join_producers(threads, errors):
    for t in threads:
        t.join(timeout=90)
        assert not t.is_alive(), "a producer is stuck"
    assert not errors, errors


@pytest.mark.parametrize("durability", ["sync", "relaxed"])
def test_standard_queues_piped_to_a_state_machine_survive_kills(crashable, durability):
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    rng.seed(seed)
    print(f"seed {seed}")
    t_start = time.monotonic()
    srv = crashable("--durability", durability)
    ep = srv.endpoint()
    sqs = sqs_client(ep)
    sfn = sfn_client(ep)
    # Two queues: batches of 10 messages or 1 s; one message per execution.
    sources = {"batched": (10, 1), "single": (1, 0)}
    machines = {}
    for name, (batch, window) in sources.items():
        sqs.create_queue(QueueName=name)
        machines[name] = sfn.create_state_machine(name=f"sink-{name}", definition=PASS,
                                                  roleArn=ROLE)["stateMachineArn"]
        create_pipe(ep, f"pipe-{name}", name, machines[name], batch, window=window)

    per_queue = 1500
    producers_per_queue = 3
    lock = threading.Lock()
    acked = {name: {} for name in sources}  # body -> MessageId
    attempted = {name: set() for name in sources}  # every body whose send was tried
    counts = {"acked": 0, "failed_sends": 0}

    def producer(source, n, quota):
        prng = random.Random(seed * 31 + n)
        client, client_ep, i, mine = None, None, 0, 0
        while mine < quota:
            cur = srv.endpoint()
            if cur != client_ep:
                client, client_ep = sqs_client(cur, read_timeout=10), cur
            url = queue_url(cur, source)
            count = min(prng.choice([1, 1, 1, 2, 5, 10]), quota - mine)
            bodies = [f"{source}/{n}/{i + k}" for k in range(count)]
            i += count
            with lock:
                attempted[source].update(bodies)
            try:
                if count == 1:
                    ids = [client.send_message(QueueUrl=url, MessageBody=bodies[0])["MessageId"]]
                else:
                    r = client.send_message_batch(QueueUrl=url, Entries=[
                        {"Id": str(k), "MessageBody": b} for k, b in enumerate(bodies)])
                    assert not r.get("Failed"), r["Failed"]
                    ok = {e["Id"]: e["MessageId"] for e in r["Successful"]}
                    ids = [ok[str(k)] for k in range(count)]
            except CLIENT_ERRORS:
                # The kill: these bodies may or may not be stored. Try again with new ones
                # once the server is back.
                with lock:
                    counts["failed_sends"] += 1
                time.sleep(0.05)
                continue
            with lock:
                for b, mid in zip(bodies, ids):
                    acked[source][b] = mid
                counts["acked"] += count
            mine += count

    errors = []
    threads = run_producers([(producer, (s, n, per_queue // producers_per_queue))
                             for s in sources for n in range(producers_per_queue)], errors)
    total = per_queue * len(sources)
    kill_during(srv, lambda: counts["acked"] + len(errors) * total, total, kills=5, rng=rng)
    join_producers(threads, errors)
    t_sent = time.monotonic()
    # One more kill while the pipes drain what is left.
    time.sleep(rng.uniform(0, 0.3))
    srv.kill_and_restart()

    ep = srv.endpoint()
    assert drained(ep, sources), "the queues did not drain"
    # Once more, after the queues drained: nothing comes back.
    srv.kill_and_restart()
    ep = srv.endpoint()
    for name in sources:
        assert queue_empty(ep, name), f"{name} has messages again after the last restart"
    summary = []
    for name, (batch, _) in sources.items():
        execs = executions_of(ep, machines[name])
        delivered, unacked = check_exactly_once(execs, name, acked[name], attempted[name],
                                                batch)
        summary.append(f"{name}: {len(acked[name])} acknowledged, {delivered} delivered "
                       f"({unacked} whose send was cut off), {len(execs)} executions")
        if batch == 1:
            assert len(execs) == delivered
    state = {p["Name"]: p["CurrentState"] for p in pipes_client(ep).list_pipes()["Pipes"]}
    assert state == {f"pipe-{name}": "RUNNING" for name in sources}, state
    print(f"kills {srv.kills} (restarts took {', '.join(f'{s:.2f}' for s in srv.restart_seconds)}"
          f" s); {counts['failed_sends']} sends cut off; sending took {t_sent - t_start:.1f} s, "
          f"all {time.monotonic() - t_start:.1f} s; " + "; ".join(summary))
    assert srv.kills >= 7
    assert srv.server.stop() == 0


def test_fifo_queue_piped_to_a_state_machine_keeps_order_across_kills(crashable):
    rng = random.Random()
    seed = rng.randrange(1 << 30)
    rng.seed(seed)
    print(f"seed {seed}")
    t_start = time.monotonic()
    srv = crashable()
    ep = srv.endpoint()
    source = "ordered.fifo"
    sqs_client(ep).create_queue(QueueName=source, Attributes={"FifoQueue": "true"})
    machine = sfn_client(ep).create_state_machine(name="sink-fifo", definition=PASS,
                                                  roleArn=ROLE)["stateMachineArn"]
    create_pipe(ep, "pipe-fifo", source, machine, 10, window=1)

    producers, groups_per_producer, per_group = 4, 3, 150
    lock = threading.Lock()
    acked = {}  # body -> MessageId
    counts = {"acked": 0, "retried": 0}

    def producer(n):
        # Each group is sent by this thread only, one request at a time, and a send the kill cut
        # off is retried with the same deduplication id until acknowledged: every group's
        # messages are stored once each, in index order.
        prng = random.Random(seed * 17 + n)
        next_i = {f"g{n}-{k}": 0 for k in range(groups_per_producer)}
        client, client_ep = None, None
        pending = None
        while pending or any(i < per_group for i in next_i.values()):
            cur = srv.endpoint()
            if cur != client_ep:
                client, client_ep = sqs_client(cur, read_timeout=10), cur
            url = queue_url(cur, source)
            if pending is None:
                group = prng.choice([g for g, i in next_i.items() if i < per_group])
                count = min(prng.choice([1, 1, 3, 10]), per_group - next_i[group])
                pending = (group, [f"{group}:{next_i[group] + k}" for k in range(count)])
                next_i[group] += count
            group, bodies = pending
            try:
                if len(bodies) == 1:
                    ids = [client.send_message(QueueUrl=url, MessageBody=bodies[0],
                                               MessageGroupId=group,
                                               MessageDeduplicationId=bodies[0])["MessageId"]]
                else:
                    r = client.send_message_batch(QueueUrl=url, Entries=[
                        {"Id": str(k), "MessageBody": b, "MessageGroupId": group,
                         "MessageDeduplicationId": b} for k, b in enumerate(bodies)])
                    assert not r.get("Failed"), r["Failed"]
                    ok = {e["Id"]: e["MessageId"] for e in r["Successful"]}
                    ids = [ok[str(k)] for k in range(len(bodies))]
            except CLIENT_ERRORS:
                with lock:
                    counts["retried"] += 1
                time.sleep(0.05)
                continue
            pending = None
            with lock:
                for b, mid in zip(bodies, ids):
                    acked[b] = mid
                counts["acked"] += len(bodies)

    errors = []
    threads = run_producers([(producer, (n,)) for n in range(producers)], errors)
    total = producers * groups_per_producer * per_group
    kill_during(srv, lambda: counts["acked"] + len(errors) * total, total, kills=4, rng=rng)
    join_producers(threads, errors)
    assert len(acked) == total
    time.sleep(rng.uniform(0, 0.3))
    srv.kill_and_restart()
    ep = srv.endpoint()
    assert drained(ep, [source]), "the FIFO queue did not drain"

    execs = executions_of(ep, machine)
    delivered, unacked = check_exactly_once(execs, source, acked, set(acked), 10)
    assert delivered == total and unacked == 0
    by_group = {}
    for name, _, started, records in execs:
        group = records[0]["attributes"]["MessageGroupId"]
        assert all(r["attributes"]["MessageGroupId"] == group for r in records), name
        seqs = [int(r["attributes"]["SequenceNumber"]) for r in records]
        assert seqs == sorted(seqs), (name, seqs)
        by_group.setdefault(group, []).append((seqs[0], started, name, records))
    for group, batches in by_group.items():
        batches.sort(key=lambda b: b[0])
        bodies = [r["body"] for b in batches for r in b[3]]
        assert bodies == [f"{group}:{i}" for i in range(per_group)], (group, bodies)
        starts = [b[1] for b in batches]
        assert starts == sorted(starts), f"group {group}: batches started out of order"
    print(f"kills {srv.kills}; {counts['retried']} sends retried; {total} messages in "
          f"{len(by_group)} groups, {len(execs)} executions; "
          f"took {time.monotonic() - t_start:.1f} s")
    assert srv.server.stop() == 0
