"""The fault loop: SQS producers and consumers (a standard queue, a FIFO queue with several
message groups, a queue of delayed messages, a queue whose messages are rejected into a
dead-letter queue and redriven back, a FIFO queue with a FIFO dead-letter queue, a queue whose
consumer changes visibility timeouts), Standard executions (Wait states and .waitForTaskToken
callbacks; activities and their workers, with and without heartbeats; an inline and a
Distributed Map; a parent running a child with startExecution.sync:2), and three pipes (a
standard, a FIFO and a batching queue -> STANDARD state machine) all run at once while the
server is killed with SIGKILL at random moments, some right after a burst of sends (inside their
group commit), and restarted on the same data directory, many times. Then a final kill, a clean
stop and restart, and a full audit (fault_audit.py). README.md in this folder says what is
checked and how to replay a seed.

FAULT_SECONDS (default 120) bounds the whole test; FAULT_SEED replays a seed; FAULT_DURABILITY
(sync, the default, or relaxed) picks --durability; FAULT_FIGURES names a file to copy the
figures to (they are always written to the test's tmp dir as fault-figures.json)."""

import collections
import json
import os
import random
import shutil
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import sqs_client
from crash_helpers import (crashable, create_pipe,  # noqa: F401 - fixture
                           drained, list_all_executions, queue_arn, queue_url)
from fault_audit import (activity_check, audit_executions, audit_flow, audit_pipe, audit_queue,
                         dead_letter_order, dmap_check, fifo_pipe_order, lmdb_check, map_check,
                         move_task_problems, nested_check, peek_all, visibility_at_peek,
                         visibility_early)
from fault_ledger import Ledger, Peek
from fault_workload import QUEUE_DELAY, Workload
from sfn_helpers import PASS, ROLE, definition, json10, sfn_client, wait_until, wire_history

SECONDS = float(os.environ.get("FAULT_SECONDS", "120"))
AUDIT_RESERVE = 50  # seconds of the budget kept for the final restarts, settling and the audit
STD, FIFO, CALLBACKS, PIPE_SOURCE = "fault-std", "fault-ordered.fifo", "fault-callbacks", \
    "fault-pipe-source"
PIPE_FIFO, DELAYED, REDRIVE, DEAD = "fault-pipe-ordered.fifo", "fault-delayed", "fault-redrive", \
    "fault-dead"
VISIBILITY, PIPE_BATCH = "fault-visibility", "fault-pipe-batch"
FIFO_REDRIVE, FIFO_DEAD = "fault-fifo-redrive.fifo", "fault-fifo-dead.fifo"
MAX_RECEIVES = 2  # the redrive queues' maxReceiveCount
HEARTBEAT_SECONDS = 3  # the heartbeat machine's HeartbeatSeconds (workers beat every 0.4-1 s)
ACTIVITY_TIMEOUT = 10  # seconds: an activity attempt whose task went down with a cut-off poll


def flow_definition(callback_url):
    """Wait (0-2 s, from the input), a callback task answered by the test's worker, another
    Wait, then a Choice that fails the execution if the answer is not its own."""
    return definition({
        "Prepare": {"Type": "Pass", "Next": "Wait"},
        "Wait": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Callback"},
        "Callback": {"Type": "Task",
                     "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                     "Parameters": {"QueueUrl": callback_url,
                                    "MessageBody": {"token.$": "$$.Task.Token", "id.$": "$.id"}},
                     "ResultPath": "$.answer", "Next": "Settle"},
        "Settle": {"Type": "Wait", "Seconds": 1, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.answer.id", "StringEqualsPath": "$.id", "Next": "Done"}],
            "Default": "Wrong"},
        "Done": {"Type": "Succeed"},
        "Wrong": {"Type": "Fail", "Error": "WrongAnswer", "Cause": "another execution's answer"},
    }, "Prepare")


def activity_definition(activity_arn):
    """An activity task (its input names the execution and the attempt), retried when it times
    out: a task handed to a poll the kill cut off has no worker left to answer it."""
    return definition({
        "Work": {"Type": "Task", "Resource": activity_arn, "TimeoutSeconds": ACTIVITY_TIMEOUT,
                 "Parameters": {"id.$": "$.id", "attempt.$": "$$.State.RetryCount"},
                 "Retry": [{"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1,
                            "MaxAttempts": 10, "BackoffRate": 1}],
                 "ResultPath": "$.answer", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    }, "Work")


def heartbeat_definition(activity_arn):
    """An activity task with HeartbeatSeconds: its worker sends heartbeats while it works; a
    task whose heartbeats lapse (a kill cut off its poll, or the server was down too long)
    times out and is retried."""
    return definition({
        "Work": {"Type": "Task", "Resource": activity_arn, "HeartbeatSeconds": HEARTBEAT_SECONDS,
                 "TimeoutSeconds": 60,
                 "Parameters": {"id.$": "$.id", "attempt.$": "$$.State.RetryCount"},
                 "Retry": [{"ErrorEquals": ["States.HeartbeatTimeout", "States.Timeout"],
                            "IntervalSeconds": 1, "MaxAttempts": 10, "BackoffRate": 1}],
                 "ResultPath": "$.answer", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    }, "Work")


# The nested child: a Wait of 0-1 s, then its output names its parent and itself.
CHILD = definition({
    "Pause": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Mark"},
    "Mark": {"Type": "Pass", "Parameters": {"parent.$": "$.parent",
                                            "child.$": "$$.Execution.Name"}, "End": True},
}, "Pause")


def parent_definition(child_arn):
    """startExecution.sync:2 of an unnamed child (the server names it after the attempt)."""
    return definition({
        "Run": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child_arn,
                               "Input": {"parent.$": "$$.Execution.Name", "wait.$": "$.wait"}},
                "ResultSelector": {"output.$": "$.Output", "arn.$": "$.ExecutionArn"},
                "ResultPath": "$.child", "End": True},
    }, "Run")


# A Distributed Map: one STANDARD child execution per item (2-5), two at a time, each a Pass
# naming its index and the parent.
DISTRIBUTED_MAP = definition({
    "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "Label": "Fault",
             "ItemSelector": {"i.$": "$$.Map.Item.Index", "id.$": "$.id"},
             "ItemProcessor": {
                 "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                 "StartAt": "Mark", "States": {
                     "Mark": {"Type": "Pass", "Parameters": {"i.$": "$.i", "id.$": "$.id"},
                              "End": True}}},
             "ResultPath": "$.results", "Next": "Done"},
    "Done": {"Type": "Succeed"},
}, "Each")

# An inline Map: one iteration per item (2-6), two at a time, each a Wait of 0-1 s (the item)
# and a Pass naming its index and execution.
MAP = definition({
    "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
             "ItemSelector": {"i.$": "$$.Map.Item.Index", "wait.$": "$$.Map.Item.Value",
                              "id.$": "$.id"},
             "ItemProcessor": {"StartAt": "Pause", "States": {
                 "Pause": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Mark"},
                 "Mark": {"Type": "Pass", "Parameters": {"i.$": "$.i", "id.$": "$.id"},
                          "End": True}}},
             "ResultPath": "$.results", "Next": "Done"},
    "Done": {"Type": "Succeed"},
}, "Each")


def make_resources(endpoint):
    sqs = sqs_client(endpoint)
    sfn = sfn_client(endpoint)
    sqs.create_queue(QueueName=STD)
    sqs.create_queue(QueueName=FIFO, Attributes={"FifoQueue": "true"})
    sqs.create_queue(QueueName=CALLBACKS)
    sqs.create_queue(QueueName=PIPE_SOURCE)
    sqs.create_queue(QueueName=PIPE_FIFO, Attributes={"FifoQueue": "true"})
    sqs.create_queue(QueueName=DELAYED, Attributes={"DelaySeconds": str(QUEUE_DELAY)})
    sqs.create_queue(QueueName=DEAD)
    sqs.create_queue(QueueName=REDRIVE, Attributes={"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": queue_arn(DEAD), "maxReceiveCount": MAX_RECEIVES})})
    flow = sfn.create_state_machine(name="fault-flow", roleArn=ROLE, definition=flow_definition(
        queue_url(endpoint, CALLBACKS)))["stateMachineArn"]
    activity_arn = sfn.create_activity(name="fault-work")["activityArn"]
    activity = sfn.create_state_machine(name="fault-activity", roleArn=ROLE,
                                        definition=activity_definition(activity_arn))
    mapper = sfn.create_state_machine(name="fault-map", roleArn=ROLE, definition=MAP)
    sink = sfn.create_state_machine(name="fault-pipe-sink", definition=PASS,
                                    roleArn=ROLE)["stateMachineArn"]
    fifo_sink = sfn.create_state_machine(name="fault-pipe-fifo-sink", definition=PASS,
                                         roleArn=ROLE)["stateMachineArn"]
    create_pipe(endpoint, "fault-pipe", PIPE_SOURCE, sink, batch_size=1)
    create_pipe(endpoint, "fault-pipe-fifo", PIPE_FIFO, fifo_sink, batch_size=1)
    sqs.create_queue(QueueName=VISIBILITY)
    sqs.create_queue(QueueName=FIFO_DEAD, Attributes={"FifoQueue": "true"})
    sqs.create_queue(QueueName=FIFO_REDRIVE, Attributes={"FifoQueue": "true", "RedrivePolicy": (
        json.dumps({"deadLetterTargetArn": queue_arn(FIFO_DEAD),
                    "maxReceiveCount": MAX_RECEIVES}))})
    heartbeat_arn = sfn.create_activity(name="fault-beat")["activityArn"]
    heartbeat = sfn.create_state_machine(name="fault-heartbeat", roleArn=ROLE,
                                         definition=heartbeat_definition(heartbeat_arn))
    child = sfn.create_state_machine(name="fault-child", roleArn=ROLE,
                                     definition=CHILD)["stateMachineArn"]
    parent = sfn.create_state_machine(name="fault-parent", roleArn=ROLE,
                                      definition=parent_definition(child))["stateMachineArn"]
    dmap = sfn.create_state_machine(name="fault-dmap", roleArn=ROLE,
                                    definition=DISTRIBUTED_MAP)["stateMachineArn"]
    sqs.create_queue(QueueName=PIPE_BATCH)
    batch_sink = sfn.create_state_machine(name="fault-pipe-batch-sink", definition=PASS,
                                          roleArn=ROLE)["stateMachineArn"]
    create_pipe(endpoint, "fault-pipe-batch", PIPE_BATCH, batch_sink, batch_size=5, window=1)
    return {"visibility": VISIBILITY, "fifo_redrive": FIFO_REDRIVE, "fifo_dead": FIFO_DEAD,
            "heartbeat": heartbeat["stateMachineArn"], "heartbeat_arn": heartbeat_arn,
            "nested": parent, "child": child, "dmap": dmap, "pipe_batch": PIPE_BATCH,
            "batch_sink": batch_sink,
            "std": STD, "fifo": FIFO, "callbacks": CALLBACKS, "pipe_source": PIPE_SOURCE,
            "pipe_fifo": PIPE_FIFO, "delayed": DELAYED, "redrive": REDRIVE, "dead": DEAD,
            "flow": flow, "activity": activity["stateMachineArn"], "activity_arn": activity_arn,
            "map": mapper["stateMachineArn"], "sink": sink, "fifo_sink": fifo_sink}


def move_tasks_settled(endpoint):
    """The dead-letter queue's move tasks once none runs (or after 30 s)."""
    sqs = sqs_client(endpoint)

    def listed():
        tasks = sqs.list_message_move_tasks(SourceArn=queue_arn(DEAD),
                                            MaxResults=10).get("Results", [])
        return tasks if all(t["Status"] != "RUNNING" for t in tasks) else None

    return wait_until(listed, timeout=30, interval=0.2) or sqs.list_message_move_tasks(
        SourceArn=queue_arn(DEAD), MaxResults=10).get("Results", [])


def peek_visibility(srv, ledger, label):
    """Lists the visibility queue (right after a restart), for visibility_at_peek."""
    q = ledger.queues[VISIBILITY]
    before_tick, before_wall = ledger.tick(), time.time()
    present = peek_all(srv.endpoint(), VISIBILITY)
    after_wall = time.time()
    q.peeks.append(Peek(label, before_tick, before_wall, present, ledger.tick(), after_wall))
    return present


def kill_loop(srv, workload, rng, until):
    """Kills and restarts until `until`: a random pause, or a burst of sends and a kill a few
    milliseconds later (while their group commit is written); after each restart, lists the
    visibility queue. Returns how many were bursts."""
    bursts = 0
    while time.monotonic() < until:
        if rng.random() < 0.35:
            time.sleep(rng.uniform(0.3, 1.5))
            workload.burst(rng)
            time.sleep(rng.uniform(0, 0.02))
            bursts += 1
        else:
            time.sleep(rng.uniform(0.3, 3.5))
        srv.kill()
        workload.ledger.killed()
        srv.start()
        peek_visibility(srv, workload.ledger, f"right after kill {srv.kills}")
    return bursts


def all_ended(endpoint, machine, timeout):
    """True once no execution of the machine is RUNNING (listed, not described: cheap)."""
    sfn = sfn_client(endpoint)
    return wait_until(lambda: all(e["status"] != "RUNNING"
                                  for e in list_all_executions(sfn, machine)),
                      timeout=timeout, interval=0.2)


def executions_read(endpoint, machine):
    """Every execution of the machine: (DescribeExecution of each, {ARN: its history}). Read
    on the wire (AWS JSON 1.0) rather than through boto3, whose parsing would make the audit of
    thousands of executions the slowest part of the test."""
    arns, body = [], {"stateMachineArn": machine, "maxResults": 1000}
    while True:
        status, page = json10(endpoint, "ListExecutions", body)
        assert status == 200, page
        arns += [e["executionArn"] for e in page["executions"]]
        if not page.get("nextToken"):
            break
        body["nextToken"] = page["nextToken"]

    def read(arn):
        status, described = json10(endpoint, "DescribeExecution", {"executionArn": arn})
        assert status == 200, described
        return described, wire_history(endpoint, arn)

    with ThreadPoolExecutor(max_workers=6) as pool:
        both = list(pool.map(read, arns))
    return [d for d, _ in both], {d["executionArn"]: h for d, h in both}


def save_logs(srv, path):
    with open(path, "w") as out:
        for k, s in enumerate(srv.servers):
            out.write(f"===== server {k} (port {s.port}) =====\n")
            try:
                out.write(s.log_path.read_text(errors="replace"))
            except (OSError, AttributeError):
                pass


def test_fault_loop(crashable, tmp_path, capsys):
    seed = int(os.environ.get("FAULT_SEED") or random.SystemRandom().randrange(1 << 31))
    durability = os.environ.get("FAULT_DURABILITY", "sync")
    with capsys.disabled():
        print(f"\nfault loop: seed {seed} (replay with FAULT_SEED={seed}), {SECONDS:.0f} s, "
              f"--durability {durability}", flush=True)
    rng = random.Random(seed)
    t_start = time.monotonic()
    srv = crashable("--durability", durability, keep_port=True)
    ledger = Ledger()
    for name in (STD, PIPE_SOURCE, DELAYED, REDRIVE, VISIBILITY, PIPE_BATCH):
        ledger.queue(name)
    for name in (FIFO, PIPE_FIFO, FIFO_REDRIVE):
        ledger.queue(name, fifo=True)
    workload = Workload(srv, ledger, seed, make_resources(srv.endpoint()))
    names = workload.names
    problems = []
    try:
        workload.start()
        load_seconds = max(20.0, SECONDS - AUDIT_RESERVE - (time.monotonic() - t_start))
        bursts = kill_loop(srv, workload, rng, time.monotonic() + load_seconds)
        t_loaded = time.monotonic()
        workload.finish()
        t_finished = time.monotonic()

        # The final kill, and LMDB's view of what it left.
        srv.kill()
        ledger.killed()
        lmdb_problems, _ = lmdb_check(srv.data_dir)
        problems += [f"after the last kill: {p}" for p in lmdb_problems]
        srv.start()
        peek_visibility(srv, ledger, "right after the last kill")
        # Settle: callbacks and activities answered, every execution ended, the pipes drained,
        # the move tasks done.
        settling = {"restart": time.monotonic()}
        for kind in ("flow", "activity", "map", "heartbeat", "nested", "dmap"):
            if not all_ended(srv.endpoint(), names[kind], timeout=60):
                problems.append(f"{kind}: executions still running 60 s after the last kill")
            settling[kind] = time.monotonic()
        if not drained(srv.endpoint(), [PIPE_SOURCE, PIPE_FIFO, PIPE_BATCH], timeout=30):
            problems.append("the pipes' source queues did not drain")
        settling["pipes"] = time.monotonic()
        move_tasks_settled(srv.endpoint())
        settling["move tasks"] = time.monotonic()
        workload.finish_callbacks()
        settling["workers"] = time.monotonic()
        # A clean stop must exit 0 and leave LMDB consistent; the audit reads a clean restart.
        exit_code = srv.stop()
        if exit_code != 0:
            problems.append(f"sluice exited {exit_code} on SIGTERM")
        lmdb_problems, lmdb_figures = lmdb_check(srv.data_dir)
        problems += [f"after the clean stop: {p}" for p in lmdb_problems]
        srv.start()
        ep = srv.endpoint()
        t_settled = time.monotonic()

        # The audit.
        figures = {"seed": seed, "seconds budget": SECONDS, "durability": durability,
                   "kills": srv.kills, "kills right after a burst of sends": bursts,
                   "restart seconds (mean, max)": [
                       round(statistics.mean(srv.restart_seconds), 2),
                       round(max(srv.restart_seconds), 2)]}
        auditing = {}
        for name in (STD, FIFO, DELAYED):
            found, figures[name] = audit_queue(ledger.queues[name], peek_all(ep, name))
            problems += found
        auditing["queues"] = time.monotonic()
        # Redrive: the messages of both queues, each in one of them at most once.
        in_dead = peek_all(ep, DEAD)
        found, figures[REDRIVE] = audit_queue(ledger.queues[REDRIVE],
                                              peek_all(ep, REDRIVE) + in_dead, ids_change=True)
        problems += found
        found, figures["move tasks"] = move_task_problems(move_tasks_settled(ep))
        figures[REDRIVE]["in the dead-letter queue"] = len(in_dead)
        problems += found
        auditing["redrive"] = time.monotonic()
        # The visibility queue: the queue audit, and every acknowledged change held, in every
        # listing right after a restart and in the audit's.
        in_visibility = peek_visibility(srv, ledger, "at the audit")
        found, figures[VISIBILITY] = audit_queue(ledger.queues[VISIBILITY], in_visibility)
        problems += found + visibility_early(ledger.queues[VISIBILITY])
        checked = collections.Counter()
        for peek in ledger.queues[VISIBILITY].peeks:
            found, counts = visibility_at_peek(ledger.queues[VISIBILITY], peek)
            problems += found
            checked.update(counts)
        figures[VISIBILITY]["messages with acknowledged visibility changes"] = len(
            ledger.queues[VISIBILITY].visibility_changes)
        figures[VISIBILITY]["listings after restarts"] = len(ledger.queues[VISIBILITY].peeks)
        figures[VISIBILITY].update(
            {f"{k} (summed over the listings)": v for k, v in checked.items()})
        # The FIFO queue and its FIFO dead-letter queue: each message in one of them at most,
        # under its own MessageId (a move keeps it), every group in order.
        in_fifo_dead = peek_all(ep, FIFO_DEAD)
        found, figures[FIFO_REDRIVE] = audit_queue(ledger.queues[FIFO_REDRIVE],
                                                   peek_all(ep, FIFO_REDRIVE) + in_fifo_dead)
        figures[FIFO_REDRIVE]["in the dead-letter queue"] = len(in_fifo_dead)
        problems += found + dead_letter_order(in_fifo_dead, FIFO_DEAD)
        auditing["visibility and FIFO dead-letter"] = time.monotonic()
        audited = 0
        flow, flow_histories = executions_read(ep, names["flow"])
        found, figures["executions (Wait + callback)"] = audit_flow(ledger, flow, flow_histories)
        problems += found
        audited += len(flow)
        auditing["flow"] = time.monotonic()
        children, child_histories = executions_read(ep, names["child"])
        nested, child_problems, orphans = nested_check(children, child_histories)
        problems += child_problems
        audited += len(children)
        for kind, title, check in (("activity", "executions (activity)", activity_check(ledger)),
                                   ("map", "executions (inline Map)", map_check),
                                   ("heartbeat", "executions (activity with heartbeats)",
                                    activity_check(ledger, HEARTBEAT_SECONDS)),
                                   ("nested", "executions (nested .sync:2)", nested),
                                   ("dmap", "executions (Distributed Map)", dmap_check(ep))):
            described, read = executions_read(ep, names[kind])
            found, figures[title] = audit_executions(kind, ledger, described, read, check)
            problems += found
            audited += len(described)
            auditing[kind] = time.monotonic()
        problems += orphans()
        for source, machine, label in ((PIPE_SOURCE, "sink", "pipe"),
                                       (PIPE_FIFO, "fifo_sink", "FIFO pipe"),
                                       (PIPE_BATCH, "batch_sink", "batching pipe")):
            sink, read = executions_read(ep, names[machine])
            found, figures[label] = audit_pipe(ledger.queues[source], sink, read,
                                               peek_all(ep, source), label=label)
            problems += found
            audited += len(sink)
            if label == "FIFO pipe":
                found, figures[label]["groups"] = fifo_pipe_order(sink, label)
                problems += found
            auditing[label] = time.monotonic()
        figures["lmdb"] = lmdb_figures
        figures["client events"] = dict(sorted(ledger.counts.items()))
        parts = [figures[n] for n in (STD, FIFO, DELAYED, REDRIVE, "pipe", "FIFO pipe",
                                      VISIBILITY, FIFO_REDRIVE, "batching pipe")]
        runs = [figures[n] for n in ("executions (Wait + callback)", "executions (activity)",
                                     "executions (inline Map)",
                                     "executions (activity with heartbeats)",
                                     "executions (nested .sync:2)",
                                     "executions (Distributed Map)")]
        figures["messages sent"] = sum(p["sends tried"] for p in parts)
        figures["messages acknowledged"] = sum(p["acknowledged"] for p in parts)
        figures["messages audited"] = sum(p["sends tried"] for p in parts)
        figures["executions audited"] = audited
        figures["lost"] = sum(p["lost"] for p in parts + runs)
        figures["duplicated"] = sum(p["duplicated"] for p in parts + runs)
        figures["unexpected error answers"] = ledger.unexpected[:50]
        figures["client thread failures"] = workload.errors
        figures["problems"] = problems[:2000]
        figures["seconds"] = round(time.monotonic() - t_start, 1)
        figures["seconds (load, clients finishing, settling, audit)"] = [
            round(t_loaded - t_start, 1), round(t_finished - t_loaded, 1),
            round(t_settled - t_finished, 1), round(time.monotonic() - t_settled, 1)]
        for title, start, steps in (("settling", t_finished, settling),
                                    ("auditing", t_settled, auditing)):
            marks = [start] + list(steps.values())
            figures[f"seconds {title} (each step)"] = {
                step: round(t - before, 1) for step, t, before in zip(steps, marks[1:], marks)}
        out = tmp_path / "fault-figures.json"
        out.write_text(json.dumps(figures, indent=2, default=str))
        if os.environ.get("FAULT_FIGURES"):
            shutil.copy(out, os.environ["FAULT_FIGURES"])
        with capsys.disabled():
            print(f"fault loop: {srv.kills} kills ({bursts} right after a burst), "
                  f"{figures['messages sent']} messages sent, "
                  f"{figures['messages acknowledged']} acknowledged, "
                  f"{figures['messages audited']} audited; "
                  f"{figures['executions audited']} executions audited; "
                  f"lost {figures['lost']}, duplicated {figures['duplicated']}, "
                  f"{len(problems)} problems; {figures['seconds']} s; figures in {out}",
                  flush=True)
        assert not workload.errors, workload.errors
        assert not ledger.unexpected, ledger.unexpected[:20]
        assert not problems, "\n".join(problems[:50])
        for part in parts:
            assert part["acknowledged"] > 0, figures
        for part in runs:
            assert part["succeeded"] > 0, figures
        # The redrive workload moved messages both ways.
        assert ledger.counts["move tasks started"] > 0, figures
        assert figures["move tasks"]["moved by them"] > 0, figures
        # The new workloads did what they are there for: messages in the FIFO dead-letter
        # queue, batches of several messages, visibility changes judged in the listings.
        assert figures[FIFO_REDRIVE]["in the dead-letter queue"] > 0, figures
        assert figures["batching pipe"]["most messages in one execution"] > 1, figures
        assert figures[VISIBILITY].get("checked in flight (summed over the listings)"), figures
        assert srv.kills >= min(20, load_seconds / 6), f"only {srv.kills} kills"
        assert srv.stop() == 0
    finally:
        workload.stop.set()
        workload.stop_callbacks.set()
        save_logs(srv, tmp_path / "sluice.log")
