"""/metrics for Step Functions: requests by action and status, executions started and ended by
type and status, and running executions. The server is shared by the suite, so each check
compares a scrape before and after."""

from sfn_helpers import PASS, definition, wait_definition, wait_until
from sfn_fixtures import machine, name, raw, sfn  # noqa: F401 (fixtures)
from sluice_server import http_get


def scrape(sluice):
    status, body = http_get(sluice.endpoint + "/metrics")
    assert status == 200
    out = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def started(t):
    return f'sluice_states_executions_started_total{{type="{t}"}}'


def ended(t, status):
    return f'sluice_states_executions_ended_total{{type="{t}",status="{status}"}}'


def running(t):
    return f'sluice_states_executions_running{{type="{t}"}}'


def requests(action, status):
    return f'sluice_states_requests_total{{action="{action}",status="{status}"}}'


def test_requests_and_executions_are_counted(sluice, sfn, machine, raw):
    before = scrape(sluice)
    waits = machine(wait_definition(30))
    fails = machine(definition({"F": {"Type": "Fail", "Error": "E"}}, "F"))
    express = machine(PASS, type="EXPRESS")
    stopped = sfn.start_execution(stateMachineArn=waits)["executionArn"]
    sfn.start_execution(stateMachineArn=waits)
    failed = sfn.start_execution(stateMachineArn=fails)["executionArn"]
    for _ in range(2):
        assert sfn.start_sync_execution(stateMachineArn=express)["status"] == "SUCCEEDED"
    with_error = raw("DescribeStateMachine", {"stateMachineArn": waits + "-missing"})
    assert with_error[0] == 400
    raw("NoSuchAction", {})
    wait_until(lambda: sfn.describe_execution(executionArn=failed)["status"] == "FAILED")

    after = scrape(sluice)

    def delta(key):
        return after.get(key, 0) - before.get(key, 0)

    assert delta(requests("CreateStateMachine", "200")) == 3
    assert delta(requests("StartExecution", "200")) == 3
    assert delta(requests("StartSyncExecution", "200")) == 2
    assert delta(requests("DescribeStateMachine", "400")) == 1
    assert delta(requests("unknown", "400")) == 1
    assert delta(started("STANDARD")) == 3
    assert delta(started("EXPRESS")) == 2
    assert delta(ended("EXPRESS", "SUCCEEDED")) == 2
    assert delta(ended("STANDARD", "FAILED")) == 1
    assert delta(running("STANDARD")) == 2
    assert after[running("EXPRESS")] == 0

    sfn.stop_execution(executionArn=stopped)
    final = scrape(sluice)
    assert final[ended("STANDARD", "ABORTED")] - before.get(ended("STANDARD", "ABORTED"), 0) == 1
    assert final[running("STANDARD")] - before.get(running("STANDARD"), 0) == 1
    assert final[requests("StopExecution", "200")] - before.get(requests("StopExecution", "200"),
                                                                0) == 1
