"""Workflow variables survive a SIGKILL: Standard executions that assigned variables (among them
values of $uuid(), $random() and States.UUID(), which differ on every evaluation) and then wait,
in a Wait state (also inside Map iterations and a Parallel branch, whose scopes hold their own
variables) or on an activity worker, are killed mid-flight under load. After the restart
every execution finishes, and what it outputs was computed from the variables and outputs recorded
before the kill: replaying the history adopts them instead of evaluating the expressions again."""

import json
import threading
import time

from sfn_helpers import ROLE, json10, sfn_client, wait_until, wire_history

# Remember assigns values that change on every evaluation; Hold keeps the execution running
# across the kill; Use reads the variables and what Remember output.
WAITING = json.dumps({"QueryLanguage": "JSONata", "StartAt": "Remember", "States": {
    "Remember": {"Type": "Pass", "Next": "Hold",
                 "Assign": {"id": "{% $uuid() %}", "r": "{% $random() %}",
                            "n": "{% $states.input.n %}", "delay": "{% $states.input.delay %}"},
                 "Output": {"token": "{% $uuid() %}"}},
    "Hold": {"Type": "Wait", "Seconds": "{% $delay %}", "Next": "Use"},
    "Use": {"Type": "Pass", "End": True,
            "Output": {"id": "{% $id %}", "r": "{% $r %}", "n2": "{% $n * 2 %}",
                       "token": "{% $states.input.token %}"}}}})

# Variables in inner scopes: each Map iteration and the second Parallel branch assign a value that
# changes on every evaluation, then wait across the kill; after it they read that value and the
# outer scope's.
SCOPED = json.dumps({"QueryLanguage": "JSONata", "StartAt": "Outer", "States": {
    "Outer": {"Type": "Pass", "Next": "Fan",
              "Assign": {"seed": "{% $uuid() %}", "delay": "{% $states.input.delay %}"}},
    "Fan": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "Each", "States": {"Each": {
            "Type": "Map", "Items": [1, 2], "MaxConcurrency": 0, "End": True,
            "ItemProcessor": {"StartAt": "Mark", "States": {
                "Mark": {"Type": "Pass", "Assign": {"mine": "{% $uuid() %}"}, "Next": "Hold"},
                "Hold": {"Type": "Wait", "Seconds": "{% $delay %}", "Next": "Use"},
                "Use": {"Type": "Pass", "End": True, "Output": {
                    "seed": "{% $seed %}", "mine": "{% $mine %}",
                    "item": "{% $states.input %}"}}}}}}},
        {"StartAt": "Mark2", "States": {
            "Mark2": {"Type": "Pass", "Assign": {"other": "{% $random() %}"}, "Next": "Hold2"},
            "Hold2": {"Type": "Wait", "Seconds": "{% $delay %}", "Next": "Use2"},
            "Use2": {"Type": "Pass", "End": True,
                     "Output": {"seed": "{% $seed %}", "other": "{% $other %}"}}}}]}}})

# A JSONPath machine with a JSONata state: an intrinsic and a JSONata function assign; the
# activity worker sees both in its input.
WORKING = json.dumps({"StartAt": "Legacy", "States": {
    "Legacy": {"Type": "Pass", "Assign": {"legacy.$": "States.UUID()"}, "Next": "Modern"},
    "Modern": {"Type": "Pass", "QueryLanguage": "JSONata", "Next": "Work",
               "Assign": {"modern": "{% $uuid() %}", "roll": "{% $random() %}"}},
    "Work": {"Type": "Task", "Resource": "ACTIVITY", "HeartbeatSeconds": 60,
             "Parameters": {"legacy.$": "$legacy", "modern.$": "$modern"}, "Next": "Report"},
    "Report": {"Type": "Pass", "QueryLanguage": "JSONata", "End": True,
               "Output": {"legacy": "{% $legacy %}", "modern": "{% $modern %}",
                          "roll": "{% $roll %}", "worker": "{% $states.input %}"}}}})


def history(endpoint, arn):
    events = wire_history(endpoint, arn)
    assert [e["id"] for e in events] == list(range(1, len(events) + 1)), arn  # none twice
    return events


def exits(events, state):
    return [e["stateExitedEventDetails"] for e in events if e["type"].endswith("StateExited")
            and e["stateExitedEventDetails"]["name"] == state]


def recorded(events, state):
    """(variables, output) that `state` recorded on its one exit, parsed."""
    [exit_] = exits(events, state)
    return ({k: json.loads(v) for k, v in exit_["assignedVariables"].items()},
            json.loads(exit_["output"]))


def finished(sfn, arn, timeout=20.0):
    def done():
        d = sfn.describe_execution(executionArn=arn)
        return d if d["status"] != "RUNNING" else None
    d = wait_until(done, timeout=timeout, interval=0.1)
    assert d, f"{arn} still RUNNING"
    return d


def test_variables_survive_a_kill_under_load(servers, tmp_path):
    data = tmp_path / "data"
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    activity = sfn.create_activity(name="work")["activityArn"]
    waiting_arn = sfn.create_state_machine(name="waiting", definition=WAITING,
                                           roleArn=ROLE)["stateMachineArn"]
    scoped_arn = sfn.create_state_machine(name="scoped", definition=SCOPED,
                                          roleArn=ROLE)["stateMachineArn"]
    working_arn = sfn.create_state_machine(name="working", roleArn=ROLE, definition=WORKING.replace(
        '"ACTIVITY"', json.dumps(activity)))["stateMachineArn"]

    # Executions whose variables are read before the kill.
    early = [sfn.start_execution(stateMachineArn=waiting_arn, name=f"early-{i}",
                                 input=json.dumps({"n": i, "delay": 4}))["executionArn"]
             for i in range(3)]
    before = {}
    for arn in early:
        assert wait_until(lambda: exits(history(server.endpoint, arn), "Remember")), arn
        before[arn] = recorded(history(server.endpoint, arn), "Remember")
    scoped = [sfn.start_execution(stateMachineArn=scoped_arn, name=f"scoped-{i}",
                                  input='{"delay": 4}')["executionArn"] for i in range(2)]
    inner = {}
    for arn in scoped:
        assert wait_until(lambda: [e["type"] for e in history(server.endpoint, arn)].count(
            "WaitStateEntered") == 3), arn
        events = history(server.endpoint, arn)
        inner[arn] = {"seed": recorded(events, "Outer")[0]["seed"],
                      # item -> the value its iteration assigned (Mark outputs its item)
                      "mine": {json.loads(x["output"]): json.loads(x["assignedVariables"]["mine"])
                               for x in exits(events, "Mark")},
                      "other": recorded(events, "Mark2")[0]["other"]}
    worked = sfn.start_execution(stateMachineArn=working_arn, input="{}")["executionArn"]
    task = sfn.get_activity_task(activityArn=activity, workerName="before")
    assert task.get("taskToken"), task
    seen_by_worker = json.loads(task["input"])
    queued = sfn.start_execution(stateMachineArn=working_arn, input="{}")["executionArn"]
    assert wait_until(lambda: "ActivityScheduled" in
                      [e["type"] for e in history(server.endpoint, queued)])
    queued_vars = {**recorded(history(server.endpoint, queued), "Legacy")[0],
                   **recorded(history(server.endpoint, queued), "Modern")[0]}

    # More executions arrive while the kill lands.
    acknowledged = []
    stop = threading.Event()

    def starter(k):
        client = sfn_client(server.endpoint)
        for i in range(200):
            if stop.is_set():
                return
            try:
                r = client.start_execution(stateMachineArn=waiting_arn, name=f"load-{k}-{i}",
                                           input=json.dumps({"n": i, "delay": 2}))
                acknowledged.append((r["executionArn"], i))
            except Exception:  # the kill: connection refused/reset
                return

    threads = [threading.Thread(target=starter, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.8)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    assert acknowledged
    print(f"acknowledged before the kill: {len(acknowledged)} under load")

    server = servers(data)
    sfn = sfn_client(server.endpoint)

    # The early executions go on with the values they assigned and output before the kill.
    for i, arn in enumerate(early):
        d = finished(sfn, arn)
        assert d["status"] == "SUCCEEDED", d
        variables, out = before[arn]
        assert json.loads(d["output"]) == {"id": variables["id"], "r": variables["r"],
                                           "n2": 2 * i, "token": out["token"]}, arn
        assert recorded(history(server.endpoint, arn), "Remember") == before[arn]

    # Inner scopes go on with what their iterations and branch assigned before the kill.
    for arn in scoped:
        d = finished(sfn, arn)
        assert d["status"] == "SUCCEEDED", d
        mapped, branch = json.loads(d["output"])
        seed = inner[arn]["seed"]
        assert mapped == [{"seed": seed, "mine": inner[arn]["mine"][i], "item": i}
                          for i in (1, 2)]
        assert branch == {"seed": seed, "other": inner[arn]["other"]}
        assert [e["type"] for e in history(server.endpoint, arn)].count("WaitStateEntered") == 3

    # Every execution acknowledged under load finishes, consistent with what its history holds.
    for arn, i in acknowledged:
        d = finished(sfn, arn)
        assert d["status"] == "SUCCEEDED", d
        events = history(server.endpoint, arn)
        variables, out = recorded(events, "Remember")
        assert json.loads(d["output"]) == {"id": variables["id"], "r": variables["r"],
                                           "n2": 2 * i, "token": out["token"]}, arn
        assert [e["type"] for e in events].count("WaitStateEntered") == 1, arn

    # The worker that took its task before the kill answers with its token; the outcome uses the
    # variables the worker saw.
    sfn.send_task_success(taskToken=task["taskToken"], output='{"done": 1}')
    d = finished(sfn, worked)
    assert d["status"] == "SUCCEEDED", d
    out = json.loads(d["output"])
    assert out["worker"] == {"done": 1}
    assert {"legacy": out["legacy"], "modern": out["modern"]} == seen_by_worker
    events = history(server.endpoint, worked)
    assert recorded(events, "Modern")[0]["roll"] == out["roll"]
    assert [e["type"] for e in events].count("ActivityScheduled") == 1

    # The task nobody had taken is offered again, with the variables assigned before the kill.
    task = sfn.get_activity_task(activityArn=activity, workerName="after")
    assert json.loads(task["input"]) == {"legacy": queued_vars["legacy"],
                                         "modern": queued_vars["modern"]}, task
    sfn.send_task_success(taskToken=task["taskToken"], output='{"done": 2}')
    d = finished(sfn, queued)
    assert json.loads(d["output"]) == {"legacy": queued_vars["legacy"],
                                       "modern": queued_vars["modern"],
                                       "roll": queued_vars["roll"], "worker": {"done": 2}}

    # DescribeStateMachine still lists what each state references.
    status, body = json10(server.endpoint, "DescribeStateMachine",
                          {"stateMachineArn": waiting_arn})
    assert body["variableReferences"] == {"Hold": ["delay"], "Use": ["id", "n", "r"]}, body
    assert server.stop() == 0
