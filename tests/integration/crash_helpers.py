"""Shared by the suites that kill the server (crash/, faults/): one sluice on one data directory
killed with SIGKILL and restarted at will (Crashable, and its fixture `crashable`), pipes from a
queue to a state machine, and reading back every execution of a state machine once all ended.

Test modules import the fixture by name (a conftest.py would shadow the shared one)."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

from conftest import DUMMY_CREDS, sqs_client
from sfn_helpers import ROLE, sfn_client, wait_until
from sluice_server import SluiceServer

ACCOUNT = "000000000000"
REGION = "us-east-1"
CLIENT_ERRORS = (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError)


def pipes_client(endpoint):
    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5,
                    read_timeout=30)
    return boto3.session.Session().client("pipes", endpoint_url=endpoint, config=config,
                                          **DUMMY_CREDS)


def queue_arn(name):
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def queue_url(endpoint, name):
    return f"{endpoint}/{ACCOUNT}/{name}"


class Crashable:
    """One sluice on one data directory, killed (SIGKILL) and restarted at will. endpoint()
    blocks while the server is down and answers the current one. A restart gets a new port, or
    with keep_port the same one when it is still free (clients then need no new endpoint)."""

    def __init__(self, data_dir, args=(), keep_port=False):
        self.data_dir = data_dir
        self.args = list(args)
        self.keep_port = keep_port
        self._up = threading.Event()
        self._lock = threading.Lock()
        self.server = None
        self.servers = []
        self.kills = 0
        self.restart_seconds = []
        self.start()

    def start(self):
        t0 = time.monotonic()
        port = self.server.port if self.keep_port and self.server is not None else None
        server = SluiceServer(data_dir=self.data_dir, args=self.args)
        self.servers.append(server)
        server.start(port=port)
        if self.server is not None:
            self.restart_seconds.append(time.monotonic() - t0)
        with self._lock:
            self.server = server
        self._up.set()

    def endpoint(self, timeout=60):
        assert self._up.wait(timeout), "sluice did not come back"
        with self._lock:
            return self.server.endpoint

    def kill(self):
        """SIGKILL; endpoint() blocks until start(). The server must still be running: one that
        died on its own (a crash, a sanitizer's report) fails the test with its log, instead of
        passing for one more kill while its clients count cut-off requests."""
        self._up.clear()
        if not self.server.running():
            code = self.server.proc.returncode
            raise AssertionError(f"sluice exited {code} on its own before kill {self.kills + 1}:\n"
                                 f"{self.server.log_tail()}")
        self.server.kill()
        self.kills += 1

    def stop(self):
        """SIGTERM; returns the exit code (0 is a clean stop). endpoint() blocks until start()."""
        self._up.clear()
        return self.server.stop()

    def kill_and_restart(self):
        self.kill()
        self.start()

    def cleanup(self):
        for s in self.servers:
            s.cleanup()


@pytest.fixture
def crashable(tmp_path):
    """crashable(*sluice args, keep_port=False) -> a Crashable on tmp_path/data; killed and its
    files removed after the test."""
    made = []

    def make(*args, keep_port=False):
        c = Crashable(tmp_path / "data", args, keep_port=keep_port)
        made.append(c)
        return c

    yield make
    for c in made:
        c.cleanup()


def create_pipe(endpoint, name, source, machine_arn, batch_size, window=0):
    pipes = pipes_client(endpoint)
    params = {"BatchSize": batch_size}
    if window:
        params["MaximumBatchingWindowInSeconds"] = window
    pipes.create_pipe(
        Name=name, RoleArn=ROLE, Source=queue_arn(source), Target=machine_arn,
        SourceParameters={"SqsQueueParameters": params},
        TargetParameters={"StepFunctionStateMachineParameters": {"InvocationType":
                                                                 "FIRE_AND_FORGET"}})
    state = wait_until(lambda: pipes.describe_pipe(Name=name)["CurrentState"] == "RUNNING",
                       timeout=10)
    assert state, pipes.describe_pipe(Name=name)


def queue_empty(endpoint, name):
    attrs = sqs_client(endpoint).get_queue_attributes(
        QueueUrl=queue_url(endpoint, name), AttributeNames=["All"])["Attributes"]
    return (attrs["ApproximateNumberOfMessages"] == "0" and
            attrs["ApproximateNumberOfMessagesNotVisible"] == "0")


def drained(endpoint, names, timeout=30):
    """True once every queue is empty: no message visible, none not visible (messages a pipe
    holds, gathering a batch or delivering it, count as not visible)."""
    return wait_until(lambda: all(queue_empty(endpoint, n) for n in names), timeout=timeout)


def list_all_executions(sfn, machine_arn):
    """ListExecutions of the machine, every page."""
    out, token = [], None
    while True:
        kw = {"nextToken": token} if token else {}
        page = sfn.list_executions(stateMachineArn=machine_arn, maxResults=1000, **kw)
        out += page["executions"]
        token = page.get("nextToken")
        if not token:
            return out


def described_executions(endpoint, machine_arn, settle_seconds=30):
    """DescribeExecution of every execution of the machine, once all have ended (or once
    settle_seconds passed: then some may still be RUNNING)."""
    sfn = sfn_client(endpoint)

    def all_ended():
        summaries = list_all_executions(sfn, machine_arn)
        return summaries if all(e["status"] != "RUNNING" for e in summaries) else None

    summaries = (wait_until(all_ended, timeout=settle_seconds, interval=0.2) or
                 list_all_executions(sfn, machine_arn))
    local = threading.local()

    def describe(summary):
        if not hasattr(local, "sfn"):
            local.sfn = sfn_client(endpoint)
        return local.sfn.describe_execution(executionArn=summary["executionArn"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(describe, summaries))


def executions_of(endpoint, machine_arn, settle_seconds=30):
    """Every execution of the machine once all have ended: [(name, status, startDate, input)]."""
    return [(d["name"], d["status"], d["startDate"], json.loads(d["input"]))
            for d in described_executions(endpoint, machine_arn, settle_seconds)]
