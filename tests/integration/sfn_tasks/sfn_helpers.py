"""Helpers for the Task-integration suite: run an execution to its end, read its history."""

import json
import time


def wait_for_end(sfn, execution_arn, timeout_s=30):
    """DescribeExecution until the execution is no longer RUNNING; returns the description."""
    deadline = time.monotonic() + timeout_s
    while True:
        d = sfn.describe_execution(executionArn=execution_arn)
        if d["status"] != "RUNNING":
            return d
        if time.monotonic() > deadline:
            raise AssertionError(f"{execution_arn} still RUNNING after {timeout_s}s")
        time.sleep(0.05)


def run(sfn, state_machine_arn, payload=None, timeout_s=30):
    arn = sfn.start_execution(stateMachineArn=state_machine_arn,
                              input=json.dumps(payload if payload is not None else {}))["executionArn"]
    return wait_for_end(sfn, arn, timeout_s)


def history(sfn, execution_arn):
    events = []
    kwargs = {"executionArn": execution_arn}
    while True:
        page = sfn.get_execution_history(**kwargs)
        events.extend(page["events"])
        if not page.get("nextToken"):
            return events
        kwargs["nextToken"] = page["nextToken"]


def event_types(sfn, execution_arn):
    return [e["type"] for e in history(sfn, execution_arn)]


def wait_for_event(sfn, execution_arn, event_type, timeout_s=10):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for e in history(sfn, execution_arn):
            if e["type"] == event_type:
                return e
        time.sleep(0.05)
    raise AssertionError(f"no {event_type} in {execution_arn} after {timeout_s}s")


def task(resource, parameters=None, **fields):
    """A one-Task state machine definition."""
    state = {"Type": "Task", "Resource": resource, "End": True}
    if parameters is not None:
        state["Parameters"] = parameters
    state.update(fields)
    return {"StartAt": "T", "States": {"T": state}}
