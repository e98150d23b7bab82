"""The fault loop: SQS producers and consumers (a standard queue, a FIFO queue with several
message groups), Standard executions with Wait states and .waitForTaskToken callbacks, and a
pipe (queue -> STANDARD state machine) all run at once while the server is killed with SIGKILL at
random moments, some right after a burst of sends (inside their group commit), and restarted on
the same data directory, many times. Then a final kill, a clean stop and restart, and a full
audit (fault_audit.py). README.md in this folder says what is checked and how to replay a seed.

FAULT_SECONDS (default 120) bounds the whole test; FAULT_SEED replays a seed; FAULT_DURABILITY
(sync, the default, or relaxed) picks --durability; FAULT_FIGURES names a file to copy the
figures to (they are always written to the test's tmp dir as fault-figures.json)."""

import json
import os
import random
import shutil
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from conftest import sqs_client
from crash_helpers import (crashable, create_pipe, described_executions,  # noqa: F401 - fixture
                           drained, queue_url)
from fault_audit import audit_flow, audit_pipe, audit_queue, lmdb_check, peek_all
from fault_ledger import Ledger
from fault_workload import Workload
from sfn_helpers import PASS, ROLE, definition, sfn_client, wire_history

SECONDS = float(os.environ.get("FAULT_SECONDS", "120"))
AUDIT_RESERVE = 50  # seconds of the budget kept for the final restarts, settling and the audit
STD, FIFO, CALLBACKS, PIPE_SOURCE = "fault-std", "fault-ordered.fifo", "fault-callbacks", \
    "fault-pipe-source"


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


def make_resources(endpoint):
    sqs = sqs_client(endpoint)
    sfn = sfn_client(endpoint)
    sqs.create_queue(QueueName=STD)
    sqs.create_queue(QueueName=FIFO, Attributes={"FifoQueue": "true"})
    sqs.create_queue(QueueName=CALLBACKS)
    sqs.create_queue(QueueName=PIPE_SOURCE)
    flow = sfn.create_state_machine(name="fault-flow", roleArn=ROLE, definition=flow_definition(
        queue_url(endpoint, CALLBACKS)))["stateMachineArn"]
    sink = sfn.create_state_machine(name="fault-pipe-sink", definition=PASS,
                                    roleArn=ROLE)["stateMachineArn"]
    create_pipe(endpoint, "fault-pipe", PIPE_SOURCE, sink, batch_size=1)
    return {"std": STD, "fifo": FIFO, "callbacks": CALLBACKS, "pipe_source": PIPE_SOURCE,
            "flow": flow, "sink": sink}


def kill_loop(srv, workload, rng, until):
    """Kills and restarts until `until`: a random pause, or a burst of sends and a kill a few
    milliseconds later (while their group commit is written). Returns how many were bursts."""
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
    return bursts


def histories(endpoint, descriptions):
    with ThreadPoolExecutor(max_workers=4) as pool:
        arns = [d["executionArn"] for d in descriptions]
        return dict(zip(arns, pool.map(lambda a: wire_history(endpoint, a), arns)))


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
    for name in (STD, PIPE_SOURCE):
        ledger.queue(name)
    ledger.queue(FIFO, fifo=True)
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
        # Settle: callbacks answered, every execution ended, the pipe drained.
        described_executions(srv.endpoint(), names["flow"], settle_seconds=60)
        if not drained(srv.endpoint(), [PIPE_SOURCE], timeout=30):
            problems.append("the pipe's source queue did not drain")
        workload.finish_callbacks()
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
        for name in (STD, FIFO):
            found, figures[name] = audit_queue(ledger.queues[name], peek_all(ep, name))
            problems += found
        flow = described_executions(ep, names["flow"], settle_seconds=5)
        found, figures["executions (Wait + callback)"] = audit_flow(ledger, flow,
                                                                     histories(ep, flow))
        problems += found
        sink = described_executions(ep, names["sink"], settle_seconds=5)
        found, figures["pipe"] = audit_pipe(ledger.queues[PIPE_SOURCE], sink,
                                            histories(ep, sink), peek_all(ep, PIPE_SOURCE))
        problems += found
        figures["lmdb"] = lmdb_figures
        figures["client events"] = dict(sorted(ledger.counts.items()))
        parts = [figures[STD], figures[FIFO], figures["pipe"]]
        figures["messages sent"] = sum(p["sends tried"] for p in parts)
        figures["messages acknowledged"] = sum(p["acknowledged"] for p in parts)
        figures["messages audited"] = sum(p["sends tried"] for p in parts)
        figures["executions audited"] = len(flow) + len(sink)
        figures["lost"] = sum(p["lost"] for p in parts + [figures["executions (Wait + callback)"]])
        figures["duplicated"] = sum(p["duplicated"]
                                    for p in parts + [figures["executions (Wait + callback)"]])
        figures["unexpected error answers"] = ledger.unexpected[:50]
        figures["client thread failures"] = workload.errors
        figures["problems"] = problems[:2000]
        figures["seconds"] = round(time.monotonic() - t_start, 1)
        figures["seconds (load, clients finishing, settling, audit)"] = [
            round(t_loaded - t_start, 1), round(t_finished - t_loaded, 1),
            round(t_settled - t_finished, 1), round(time.monotonic() - t_settled, 1)]
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
        assert figures["executions (Wait + callback)"]["succeeded"] > 0, figures
        assert srv.kills >= min(20, load_seconds / 6), f"only {srv.kills} kills"
        assert srv.stop() == 0
    finally:
        workload.stop.set()
        workload.stop_callbacks.set()
        save_logs(srv, tmp_path / "sluice.log")
