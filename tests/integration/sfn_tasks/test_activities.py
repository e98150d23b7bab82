"""Activities through real clients: a worker thread long-polls GetActivityTask, does the work and
answers by token; timeouts and an empty poll."""

import json
import threading
import time

from sfn_helpers import event_types, history, task, wait_for_end


def test_a_worker_thread_does_the_activitys_work(sfn, state_machine, activity):
    act = activity()
    arn = state_machine(task(act, HeartbeatSeconds=30))
    done = threading.Event()

    def worker():
        # Parks until the task is scheduled: no busy wait on either side.
        t = sfn.get_activity_task(activityArn=act, workerName="worker-1")
        assert t.get("taskToken"), t
        job = json.loads(t["input"])
        sfn.send_task_heartbeat(taskToken=t["taskToken"])
        sfn.send_task_success(taskToken=t["taskToken"], output=json.dumps({"doubled": job["n"] * 2}))
        done.set()

    w = threading.Thread(target=worker)
    w.start()
    time.sleep(0.2)  # the worker is parked before the task exists
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps({"n": 21}))
    w.join(20)
    assert done.is_set()
    d = wait_for_end(sfn, execution["executionArn"])
    assert d["status"] == "SUCCEEDED"
    assert json.loads(d["output"]) == {"doubled": 42}
    events = history(sfn, execution["executionArn"])
    started = [e for e in events if e["type"] == "ActivityStarted"]
    assert started and started[0]["activityStartedEventDetails"]["workerName"] == "worker-1"
    assert "ActivitySucceeded" in [e["type"] for e in events]


def test_a_worker_failure_fails_the_state(sfn, state_machine, activity):
    act = activity()
    arn = state_machine(task(act))
    execution = sfn.start_execution(stateMachineArn=arn, input="{}")
    t = sfn.get_activity_task(activityArn=act, workerName="w")
    sfn.send_task_failure(taskToken=t["taskToken"], error="Worker.Crashed", cause="segfault")
    d = wait_for_end(sfn, execution["executionArn"])
    assert d["status"] == "FAILED"
    assert (d["error"], d["cause"]) == ("Worker.Crashed", "segfault")
    assert "ActivityFailed" in event_types(sfn, execution["executionArn"])


def test_an_activity_nobody_works_on_times_out(sfn, state_machine, activity):
    act = activity()
    arn = state_machine(task(act, TimeoutSeconds=1))
    execution = sfn.start_execution(stateMachineArn=arn, input="{}")
    d = wait_for_end(sfn, execution["executionArn"], timeout_s=10)
    assert d["status"] == "FAILED"
    assert d["error"] == "States.Timeout"
    assert "ActivityTimedOut" in event_types(sfn, execution["executionArn"])


def test_get_activity_task_for_a_missing_activity(sfn, activity):
    act = activity()
    sfn.delete_activity(activityArn=act)
    try:
        sfn.get_activity_task(activityArn=act)
        raise AssertionError("expected ActivityDoesNotExist")
    except sfn.exceptions.ActivityDoesNotExist:
        pass
