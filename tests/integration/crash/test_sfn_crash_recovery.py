"""Step Functions durability, tested by SIGKILL: after a kill -9 with Standard executions in
flight, state machines (with versions, aliases and tags) are intact, finished executions keep
their full history and outcome, and executions that were running keep every event that was
acknowledged before the kill and continue: Wait states end at their original time, tasks waiting
for a callback or an activity worker keep their task tokens, nested .sync children are watched
again, and a redriven execution that was running resumes too. An acknowledged SendTaskSuccess
survives a kill that follows it at once."""

import json
import threading
import time

import botocore.exceptions

from conftest import sqs_client
from sfn_helpers import PASS, ROLE, definition, json10, sfn_client, wait_definition, wait_until


def test_kill_with_standard_executions_in_wait_states(servers, tmp_path):
    data = tmp_path / "data"
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    waiting = sfn.create_state_machine(name="waiting", definition=wait_definition(600),
                                       roleArn=ROLE, tags=[{"key": "k", "value": "v"}])
    waiting_arn = waiting["stateMachineArn"]
    quick_arn = sfn.create_state_machine(name="quick", definition=PASS,
                                         roleArn=ROLE)["stateMachineArn"]
    status, body = json10(server.endpoint, "PublishStateMachineVersion",
                          {"stateMachineArn": waiting_arn, "description": "v1"})
    assert status == 200, body
    status, body = json10(server.endpoint, "CreateStateMachineAlias", {
        "name": "live",
        "routingConfiguration": [{"stateMachineVersionArn": f"{waiting_arn}:1", "weight": 100}]})
    assert status == 200, body

    # Executions acknowledged while others keep arriving; the kill lands mid-stream.
    acknowledged = {"waiting": [], "quick": []}
    stop = threading.Event()

    def starter(kind, arn):
        client = sfn_client(server.endpoint)
        i = 0
        while not stop.is_set():
            try:
                r = client.start_execution(stateMachineArn=arn, name=f"{kind}-{i}",
                                           input=json.dumps({"i": i}))
                acknowledged[kind].append(r["executionArn"])
            except Exception:  # the kill: connection refused/reset
                return
            i += 1

    threads = [threading.Thread(target=starter, args=("waiting", waiting_arn)),
               threading.Thread(target=starter, args=("quick", quick_arn))]
    for t in threads:
        t.start()
    time.sleep(1.5)
    server.kill()
    stop.set()
    for t in threads:
        t.join()
    assert acknowledged["waiting"] and acknowledged["quick"]
    print(f"acknowledged before the kill: {len(acknowledged['waiting'])} waiting, "
          f"{len(acknowledged['quick'])} quick")

    server = servers(data)
    sfn = sfn_client(server.endpoint)
    # The catalog is intact.
    d = sfn.describe_state_machine(stateMachineArn=waiting_arn)
    assert d["definition"] == wait_definition(600)
    assert sfn.list_tags_for_resource(resourceArn=waiting_arn)["tags"] == [
        {"key": "k", "value": "v"}]
    status, body = json10(server.endpoint, "DescribeStateMachine",
                          {"stateMachineArn": f"{waiting_arn}:1"})
    assert status == 200 and body["description"] == "v1"
    status, body = json10(server.endpoint, "DescribeStateMachineAlias",
                          {"stateMachineAliasArn": f"{waiting_arn}:live"})
    assert status == 200 and body["routingConfiguration"][0]["weight"] == 100

    # Every acknowledged finished execution is there with its whole history.
    for arn in acknowledged["quick"]:
        d = sfn.describe_execution(executionArn=arn)
        assert d["status"] == "SUCCEEDED", arn
        assert json.loads(d["output"]) == {"ok": True}
        types = [e["type"] for e in sfn.get_execution_history(executionArn=arn)["events"]]
        assert types == ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                         "ExecutionSucceeded"], arn

    # Every acknowledged waiting execution is there, with what it recorded before the kill.
    for arn in acknowledged["waiting"]:
        d = sfn.describe_execution(executionArn=arn)
        # Resumed: still in its 600 s Wait, with no event added by the restart.
        assert d["status"] == "RUNNING", arn
        events = sfn.get_execution_history(executionArn=arn)["events"]
        assert [e["type"] for e in events] == ["ExecutionStarted", "WaitStateEntered"], arn
        assert json.loads(events[0]["executionStartedEventDetails"]["input"]) == \
            json.loads(d["input"])
    listed = sfn.list_executions(stateMachineArn=waiting_arn, maxResults=1000)["executions"]
    assert set(acknowledged["waiting"]) <= {e["executionArn"] for e in listed}

    # A recovered running execution can be stopped, and the stop survives another kill.
    victim = acknowledged["waiting"][0]
    sfn.stop_execution(executionArn=victim, cause="after the crash")
    server.kill()
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    d = sfn.describe_execution(executionArn=victim)
    assert d["status"] == "ABORTED" and d["cause"] == "after the crash"
    assert sfn.get_execution_history(executionArn=victim)["events"][-1]["type"] == \
        "ExecutionAborted"
    assert server.stop() == 0


def callback_definition(queue_url):
    """Sends {token, n} to the queue and waits for SendTaskSuccess, then a Pass."""
    return definition({
        "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                 "Parameters": {"QueueUrl": queue_url,
                                "MessageBody": {"token.$": "$$.Task.Token", "n.$": "$.n"}},
                 "Next": "After"},
        "After": {"Type": "Pass", "End": True}}, "Send")


def history(sfn, arn):
    events = sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
    ids = [e["id"] for e in events]
    assert ids == list(range(1, len(events) + 1)), (arn, ids)  # no duplicate, none missing
    for e in events[1:]:
        assert 0 <= e["previousEventId"] < e["id"], e
    return events


def finished(sfn, arn, timeout=15.0):
    def done():
        d = sfn.describe_execution(executionArn=arn)
        return d if d["status"] != "RUNNING" else None
    d = wait_until(done, timeout=timeout, interval=0.1)
    assert d, f"{arn} still RUNNING"
    return d


def test_running_executions_resume_after_kill(servers, tmp_path):
    data = tmp_path / "data"
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    sqs = sqs_client(server.endpoint)
    queue = sqs.create_queue(QueueName="callbacks")["QueueUrl"]
    activity = sfn.create_activity(name="work")["activityArn"]

    wait_arn = sfn.create_state_machine(name="wait", definition=wait_definition(4),
                                        roleArn=ROLE)["stateMachineArn"]
    callback_arn = sfn.create_state_machine(
        name="callback", roleArn=ROLE, definition=callback_definition(queue))["stateMachineArn"]
    activity_arn = sfn.create_state_machine(name="activity", roleArn=ROLE, definition=definition({
        "Work": {"Type": "Task", "Resource": activity, "HeartbeatSeconds": 60, "End": True}},
        "Work"))["stateMachineArn"]
    child_arn = sfn.create_state_machine(name="child", definition=wait_definition(3),
                                         roleArn=ROLE)["stateMachineArn"]
    parent_arn = sfn.create_state_machine(name="parent", roleArn=ROLE, definition=definition({
        "Run": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
                "Parameters": {"StateMachineArn": child_arn, "Input": {}}, "End": True}},
        "Run"))["stateMachineArn"]

    waits = [sfn.start_execution(stateMachineArn=wait_arn, name=f"w{i}")["executionArn"]
             for i in range(3)]
    callback = sfn.start_execution(stateMachineArn=callback_arn, input='{"n": 7}')["executionArn"]
    taken = sfn.start_execution(stateMachineArn=activity_arn, input='{"a": 1}')["executionArn"]
    parent = sfn.start_execution(stateMachineArn=parent_arn)["executionArn"]

    msgs = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=10).get("Messages", [])
    assert msgs, "the callback message never arrived"
    callback_token = json.loads(msgs[0]["Body"])["token"]
    task = sfn.get_activity_task(activityArn=activity, workerName="before")
    assert task.get("taskToken"), task
    activity_token = task["taskToken"]
    assert json.loads(task["input"]) == {"a": 1}
    sfn.send_task_heartbeat(taskToken=activity_token)
    # A second activity task that no worker takes before the kill.
    queued = sfn.start_execution(stateMachineArn=activity_arn, input='{"a": 2}')["executionArn"]
    assert wait_until(lambda: sfn.list_executions(stateMachineArn=child_arn)["executions"])
    wait_until(lambda: "ActivityScheduled" in
               [e["type"] for e in history(sfn, queued)])
    started = {arn: sfn.describe_execution(executionArn=arn)["startDate"] for arn in waits}

    server.kill()
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    sqs = sqs_client(server.endpoint)

    # Waits end at their original end time (the restart took less than the 4 s).
    for arn in waits:
        d = finished(sfn, arn)
        assert d["status"] == "SUCCEEDED", d
        events = history(sfn, arn)
        assert [e["type"] for e in events] == [
            "ExecutionStarted", "WaitStateEntered", "WaitStateExited", "PassStateEntered",
            "PassStateExited", "ExecutionSucceeded"], arn
        waited = (events[2]["timestamp"] - started[arn]).total_seconds()
        assert 3.9 <= waited < 6.0, (arn, waited)

    # The callback token from before the kill still reaches its task.
    assert sfn.describe_execution(executionArn=callback)["status"] == "RUNNING"
    sfn.send_task_success(taskToken=callback_token, output='{"answer": 1}')
    d = finished(sfn, callback)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"answer": 1}, d
    types = [e["type"] for e in history(sfn, callback)]
    assert types.count("TaskScheduled") == 1 and types.count("TaskSubmitted") == 1, types
    # The message went out once: resuming does not send it again.
    again = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1).get("Messages", [])
    assert not again, again

    # The worker that took the activity before the kill answers with its token.
    sfn.send_task_heartbeat(taskToken=activity_token)
    sfn.send_task_success(taskToken=activity_token, output='{"done": 1}')
    d = finished(sfn, taken)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"done": 1}, d
    types = [e["type"] for e in history(sfn, taken)]
    assert types.count("ActivityScheduled") == 1 and types.count("ActivityStarted") == 1, types

    # The activity task nobody had taken is offered again, once.
    task = sfn.get_activity_task(activityArn=activity, workerName="after")
    assert json.loads(task["input"]) == {"a": 2}, task
    sfn.send_task_success(taskToken=task["taskToken"], output='{"done": 2}')
    assert finished(sfn, queued)["status"] == "SUCCEEDED"

    # The nested .sync child was resumed too, and the parent saw it finish.
    d = finished(sfn, parent)
    assert d["status"] == "SUCCEEDED", d
    assert len(sfn.list_executions(stateMachineArn=child_arn)["executions"]) == 1
    out = json.loads(d["output"])
    assert out["Status"] == "SUCCEEDED"
    history(sfn, parent)
    assert server.stop() == 0


def test_redriven_execution_resumes_after_kill(servers, tmp_path):
    data = tmp_path / "data"
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    # The first run fails in Check (no choice matches); the redrive re-runs Check, which now
    # matches on $$.Execution.RedriveCount and waits 3 s: the kill lands in that Wait.
    arn = sfn.create_state_machine(name="flaky", roleArn=ROLE, definition=definition({
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$$.Execution.RedriveCount", "NumericEquals": 1, "Next": "Wait"}]},
        "Wait": {"Type": "Wait", "Seconds": 3, "Next": "Done"},
        "Done": {"Type": "Succeed"}}, "Check"))["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn, name="once")["executionArn"]
    d = finished(sfn, ex)
    assert d["status"] == "FAILED" and d["error"] == "States.NoChoiceMatched", d
    status, body = json10(server.endpoint, "RedriveExecution", {"executionArn": ex})
    assert status == 200, body
    server.kill()

    server = servers(data)
    sfn = sfn_client(server.endpoint)
    d = finished(sfn, ex)
    assert d["status"] == "SUCCEEDED", d
    status, body = json10(server.endpoint, "DescribeExecution", {"executionArn": ex})
    assert body["redriveCount"] == 1 and "redriveDate" in body, body
    types = [e["type"] for e in history(sfn, ex)]
    assert types.count("ExecutionRedriven") == 1 and types[-1] == "ExecutionSucceeded", types
    assert server.stop() == 0


def test_acknowledged_task_answers_survive_a_kill_right_after(servers, tmp_path):
    """SendTaskSuccess is acknowledged only once the answer is durable. Found by the fault loop
    (tests/integration/faults): the reply went out before TaskSucceeded was committed, so a kill
    right after it lost the answer, and the execution waited for good for a token its worker had
    already answered. Here 8 workers answer 40 callbacks at once and the server is killed the
    moment the 20th answer is acknowledged, while others are being committed."""
    data = tmp_path / "data"
    server = servers(data)
    sfn = sfn_client(server.endpoint)
    sqs = sqs_client(server.endpoint)
    queue = sqs.create_queue(QueueName="tokens")["QueueUrl"]
    arn = sfn.create_state_machine(name="answered", roleArn=ROLE,
                                   definition=callback_definition(queue))["stateMachineArn"]
    count = 40
    runs = [sfn.start_execution(stateMachineArn=arn, name=f"a{n}",
                                input=json.dumps({"n": n}))["executionArn"] for n in range(count)]
    tokens = {}
    deadline = time.monotonic() + 20
    while len(tokens) < count and time.monotonic() < deadline:
        for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10,
                                     WaitTimeSeconds=1).get("Messages", []):
            body = json.loads(m["Body"])
            tokens[body["n"]] = body["token"]
    assert len(tokens) == count

    acked, lock, killed = [], threading.Lock(), threading.Event()
    clients = [sfn_client(server.endpoint) for _ in range(8)]

    def worker(k):
        for n in range(k, count, len(clients)):
            if killed.is_set():
                return
            try:
                clients[k].send_task_success(taskToken=tokens[n], output=json.dumps({"n": n}))
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
                return  # cut off by the kill: may or may not have taken effect
            with lock:
                acked.append(n)
                if len(acked) == count // 2 and not killed.is_set():
                    server.kill()
                    killed.set()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert killed.is_set()

    server = servers(data)
    sfn = sfn_client(server.endpoint)
    lost = [n for n in acked
            if "TaskSucceeded" not in [e["type"] for e in history(sfn, runs[n])]]
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged answers lost: {sorted(lost)}"
    # The answers the kill cut off: answered again, or already taken (TaskTimedOut).
    for n in set(range(count)) - set(acked):
        try:
            sfn.send_task_success(taskToken=tokens[n], output=json.dumps({"n": n}))
        except sfn.exceptions.TaskTimedOut:
            pass
    for n, run in enumerate(runs):
        d = finished(sfn, run)
        assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"n": n}, d
        types = [e["type"] for e in history(sfn, run)]
        assert types.count("TaskSucceeded") == 1, types
    assert server.stop() == 0
