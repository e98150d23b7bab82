"""Time control (--wait-time-scale F) through boto3: Wait states (Seconds, SecondsPath, Timestamp,
TimestampPath, JSONata Seconds) and Retry intervals last F of their time, while the history keeps
the real times; and the server refuses to start on a bad scale or a bad mock configuration."""

import datetime
import json
import os
import subprocess
import time

import pytest

from mock_helpers import ROLE, client, unique, wait_for_end
from sluice_server import SluiceServer, running_server, sluice_binary


def run(sfn, definition, payload=None, case=None):
    arn = sfn.create_state_machine(name=unique("sm"), definition=json.dumps(definition),
                                   roleArn=ROLE)["stateMachineArn"]
    started = sfn.start_execution(stateMachineArn=arn + (f"#{case}" if case else ""),
                                  input=json.dumps(payload or {}))
    return wait_for_end(sfn, started["executionArn"])


def events(sfn, arn):
    return sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]


ONE_DAY = 86400


@pytest.fixture(scope="module")
def no_waiting():
    with running_server(["--wait-time-scale", "0"]) as server:
        yield client("stepfunctions", server.endpoint)


def test_scale_zero_runs_a_one_day_wait_at_once(no_waiting):
    sfn = no_waiting
    tomorrow = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1))
    stamp = tomorrow.strftime("%Y-%m-%dT%H:%M:%SZ")
    definition = {"StartAt": "Day", "States": {
        "Day": {"Type": "Wait", "Seconds": ONE_DAY, "Next": "DayPath"},
        "DayPath": {"Type": "Wait", "SecondsPath": "$.seconds", "Next": "Until"},
        "Until": {"Type": "Wait", "Timestamp": stamp, "Next": "UntilPath"},
        "UntilPath": {"Type": "Wait", "TimestampPath": "$.when", "Next": "Jsonata"},
        "Jsonata": {"Type": "Wait", "QueryLanguage": "JSONata",
                    "Seconds": "{% $states.input.seconds %}", "End": True}}}
    begin = time.monotonic()
    d = run(sfn, definition, {"seconds": ONE_DAY, "when": stamp})
    assert d["status"] == "SUCCEEDED", d
    assert time.monotonic() - begin < 10
    # History timestamps are the real times: the whole run took moments, not days.
    ev = events(sfn, d["executionArn"])
    assert [e["type"] for e in ev].count("WaitStateExited") == 5
    span = ev[-1]["timestamp"] - ev[0]["timestamp"]
    assert span.total_seconds() < 10


def test_scale_zero_retries_without_waiting(no_waiting):
    sfn = no_waiting
    definition = {"StartAt": "Flaky", "States": {
        "Flaky": {"Type": "Pass", "Next": "Fail"},
        "Fail": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                 "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3600,
                            "MaxAttempts": 1}],
                 "End": True}}}
    # Unserved and unmocked: States.Runtime, which Retry never takes; the execution fails at once.
    d = run(sfn, definition)
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime", d


@pytest.fixture(scope="module")
def tenth(tmp_path_factory):
    path = tmp_path_factory.mktemp("mocks") / "mocks.json"
    path.write_text(json.dumps({
        "StateMachines": {"scaled-retry": {"TestCases": {"Once": {"Call": "FailOnce"}}}},
        "MockedResponses": {"FailOnce": {
            "0": {"Throw": {"Error": "Busy", "Cause": "try later"}},
            "1": {"Return": {"ok": True}}}}}))
    with running_server(["--wait-time-scale", "0.1", "--mock-config", str(path)]) as server:
        yield client("stepfunctions", server.endpoint)


def test_a_retry_interval_is_scaled(tenth):
    sfn = tenth
    definition = {"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ecs:runTask",
                 "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 20, "MaxAttempts": 2}],
                 "End": True}}}
    arn = sfn.create_state_machine(name="scaled-retry", definition=json.dumps(definition),
                                   roleArn=ROLE)["stateMachineArn"]
    begin = time.monotonic()
    started = sfn.start_execution(stateMachineArn=arn + "#Once", input="{}")
    d = wait_for_end(sfn, started["executionArn"])
    took = time.monotonic() - begin
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"ok": True}
    # 20 s at 0.1: about 2 s, and really waited.
    assert 1.8 <= took < 10, took
    ev = events(sfn, d["executionArn"])
    failed = next(e for e in ev if e["type"] == "TaskFailed")
    again = [e for e in ev if e["type"] == "TaskScheduled"][1]
    gap = (again["timestamp"] - failed["timestamp"]).total_seconds()
    assert 1.8 <= gap < 10, gap


def test_a_wait_state_is_scaled(tenth):
    sfn = tenth
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 20, "End": True}}}
    begin = time.monotonic()
    d = run(sfn, definition)
    took = time.monotonic() - begin
    assert d["status"] == "SUCCEEDED"
    assert 1.8 <= took < 10, took


def refusal(*args):
    """Starts the binary with `args`; returns (exit code, output) of a server that must refuse."""
    proc = subprocess.run([str(sluice_binary()), *args],
                          capture_output=True, text=True, timeout=15, stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("value", ["2", "-1", "fast"])
def test_an_out_of_range_scale_refuses_to_start(value):
    code, out = refusal("--wait-time-scale", value)
    assert code != 0
    assert f"--wait-time-scale: expected a number from 0 to 1 (0: no waiting), got '{value}'" in out


def test_a_bad_mock_config_refuses_to_start(tmp_path):
    path = tmp_path / "mocks.json"
    path.write_text(json.dumps({"StateMachines": {"m": {"TestCases": {"c": {"S": "Missing"}}}},
                                "MockedResponses": {}}))
    code, out = refusal("--mock-config", str(path))
    assert code != 0
    assert f"--mock-config: {path}: StateMachines.m.TestCases.c.S: names the mocked response " \
           f"\"Missing\", which MockedResponses does not define" in out
    path.write_text(json.dumps({"MockedResponses": {"R": {"0-2": {"Return": 1},
                                                          "1": {"Return": 2}}}}))
    code, out = refusal("--mock-config", str(path))
    assert code != 0 and "MockedResponses.R: invocation 1 is answered by two keys" in out


def test_sfn_mock_config_environment_variable(tmp_path):
    path = tmp_path / "mocks.json"
    path.write_text(json.dumps({
        "StateMachines": {"env-mocked": {"TestCases": {"T": {"Put": "Ok"}}}},
        "MockedResponses": {"Ok": {"0": {"Return": {"from": "env"}}}}}))
    server = SluiceServer(args=[])
    old = os.environ.get("SFN_MOCK_CONFIG")
    os.environ["SFN_MOCK_CONFIG"] = str(path)
    try:
        server.start()
    finally:
        if old is None:
            del os.environ["SFN_MOCK_CONFIG"]
        else:
            os.environ["SFN_MOCK_CONFIG"] = old
    try:
        sfn = client("stepfunctions", server.endpoint)
        definition = {"StartAt": "Put", "States": {"Put": {
            "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "End": True}}}
        arn = sfn.create_state_machine(name="env-mocked", definition=json.dumps(definition),
                                       roleArn=ROLE)["stateMachineArn"]
        started = sfn.start_execution(stateMachineArn=arn + "#T", input="{}")
        d = wait_for_end(sfn, started["executionArn"])
        assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"from": "env"}, d
        assert server.stop() == 0
    finally:
        server.cleanup()
