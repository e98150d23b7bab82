"""Executions in the JSONata query language through boto3 (histories on the wire: Debian's botocore
drops assignedVariables and evaluationFailedEventDetails): every state type with its JSONata fields,
the served Task integrations (sqs:sendMessage, .waitForTaskToken, activities, nested executions),
Catch and Retry with $states.errorOutput, States.QueryEvaluationError and its EvaluationFailed
event, the functions Step Functions adds to JSONata and some of JSONata's own, and the definition
checks of CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition."""

import hashlib
import json
import re

import pytest

from sfn_helpers import PREFIX, ROLE, error_name, sfn_client, wait_finished, wire_history
from sfn_fixtures import execute, machine, name, raw  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def sfn(sluice):
    """One client for the module: making a boto3 client costs more than most tests here."""
    return sfn_client(sluice.endpoint)


SQS = "arn:aws:states:::sqs:sendMessage"
ITEMS = {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}


def jsonata(states, start):
    return json.dumps({"QueryLanguage": "JSONata", "StartAt": start, "States": states})


def pass_machine(output):
    return jsonata({"P": {"Type": "Pass", "Output": output, "End": True}}, "P")



@pytest.fixture
def activity(sfn, name):
    arns = []

    def make():
        arns.append(sfn.create_activity(name=name())["activityArn"])
        return arns[-1]

    yield make
    for arn in arns:
        sfn.delete_activity(activityArn=arn)


def types(events):
    return [e["type"] for e in events]


def links(events):
    return [(e["id"], e["previousEventId"]) for e in events]


def exited(events, state):
    return next(e["stateExitedEventDetails"] for e in events if e["type"].endswith("StateExited")
                and e["stateExitedEventDetails"]["name"] == state)


def output(d):
    assert d["status"] == "SUCCEEDED", d
    return json.loads(d["output"])


def undefined_cause(state, entered_id, expression, field):
    return (f"An error occurred while executing the state '{state}' (entered at the event id "
            f"#{entered_id}). The JSONata expression '{expression}' specified for the field "
            f"'{field}' returned nothing (undefined).")


# --- every state type ---------------------------------------------------------------------------

ALL_TYPES = jsonata({
    "Start": {"Type": "Pass", "Output": {"n": "{% $states.input.n %}", "items": [1, 2, 3]},
              "Next": "Pick"},
    "Pick": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.n > 0 %}",
                                            "Next": "Hold"}], "Default": "Nope"},
    "Hold": {"Type": "Wait", "Seconds": "{% $states.input.n - 1 %}", "Next": "Both"},
    "Both": {"Type": "Parallel", "Next": "Each", "Branches": [
        {"StartAt": "L", "States": {"L": {"Type": "Pass", "Output": "left", "End": True}}},
        {"StartAt": "R", "States": {"R": {"Type": "Pass", "Output": "right", "End": True}}}],
        "Output": "{% $merge([$states.input, {'both': $states.result}]) %}"},
    "Each": {"Type": "Map", "Items": "{% $states.input.items %}", "Next": "Done",
             "ItemProcessor": {"StartAt": "D", "States": {
                 "D": {"Type": "Pass", "Output": "{% $states.input * 2 %}", "End": True}}},
             "Output": "{% $merge([$states.input, {'doubled': $states.result}]) %}"},
    "Done": {"Type": "Succeed", "Output": {"both": "{% $states.input.both %}",
                                           "doubled": "{% $states.input.doubled %}"}},
    "Nope": {"Type": "Fail", "Error": "NotPositive",
             "Cause": "{% 'n must be > 0, got ' & $string($states.input.n) %}"},
}, "Start")


def test_every_state_type_and_the_history(execute):
    d, events = execute(ALL_TYPES, {"n": 2})
    assert output(d) == {"both": ["left", "right"], "doubled": [2, 4, 6]}
    t = types(events)
    assert t[0] == "ExecutionStarted" and t[-1] == "ExecutionSucceeded"
    for expected in ("PassStateExited", "ChoiceStateExited", "WaitStateExited",
                     "ParallelStateSucceeded", "MapIterationSucceeded", "SucceedStateExited"):
        assert expected in t, expected
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    # The Wait took its seconds from the expression: n - 1 = 1.
    entered = next(e for e in events if e["type"] == "WaitStateEntered")
    left = next(e for e in events if e["type"] == "WaitStateExited")
    assert 0.9 <= left["timestamp"] - entered["timestamp"] < 3
    # No JSONata state reports variables it did not assign.
    assert not any("assignedVariables" in e.get("stateExitedEventDetails", {}) for e in events)

    d, events = execute(ALL_TYPES, {"n": 0})
    assert d["status"] == "FAILED" and d["error"] == "NotPositive", d
    assert d["cause"] == "n must be > 0, got 0"
    assert types(events)[-2:] == ["FailStateEntered", "ExecutionFailed"]


def test_output_keeps_types_and_only_whole_strings_are_expressions(execute):
    d, _ = execute(pass_machine({
        "sum": "{% $sum($states.input.n) %}", "obj": "{% $states.input %}",
        "lit": " {% 1 + 1 %} ", "also": "$states.input", "path.$": "$.n", "nul": "{% null %}",
        "list": [1, "{% 'a' & 'b' %}", {"k": "{% true %}"}, "$nosuchvar"]}), {"n": [1, 2, 3]})
    assert d["output"] == ('{"sum":6,"obj":{"n":[1,2,3]},"lit":" {% 1 + 1 %} ",'
                           '"also":"$states.input","path.$":"$.n","nul":null,'
                           '"list":[1,"ab",{"k":true},"$nosuchvar"]}')


def test_any_json_value_is_an_output(execute):
    values = [None, 0, 0.1, True, "string literal", [], "$states.input", "States.Format('x')"]
    states = {f"S{i}": {"Type": "Pass", "Output": v, "Next": f"S{i + 1}"}
              for i, v in enumerate(values)}
    states[f"S{len(values)}"] = {"Type": "Pass", "End": True}
    d, events = execute(jsonata(states, "S0"))
    assert [exited(events, f"S{i}")["output"] for i in range(len(values))] == [
        "null", "0", "0.1", "true", '"string literal"', "[]", '"$states.input"',
        '"States.Format(\'x\')"']
    # A Pass without Output passes its input on.
    assert d["output"] == '"States.Format(\'x\')"'


def test_states_without_output_pass_their_input(execute):
    d, _ = execute(jsonata({
        "P": {"Type": "Pass", "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 0, "Next": "U"},
        "U": {"Type": "Wait", "Timestamp": "{% $states.context.Execution.StartTime %}",
              "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Condition": True, "Next": "S"}]},
        "S": {"Type": "Succeed"}}, "P"), {"a": 1})
    assert output(d) == {"a": 1}


CHOICE = jsonata({
    "C": {"Type": "Choice", "Choices": [
        {"Condition": "{% $states.input.n > 10 %}", "Next": "Big", "Output": {"size": "big"},
         "Assign": {"rule": 0}},
        {"Condition": "{% $states.input.n = 0 %}", "Next": "Zero"}],
        "Default": "Other", "Output": {"size": "other"}, "Assign": {"rule": -1}},
    "Big": {"Type": "Pass", "Output": "{% [$states.input.size, $rule] %}", "End": True},
    "Zero": {"Type": "Pass", "End": True},
    "Other": {"Type": "Pass", "Output": "{% [$states.input.size, $rule] %}", "End": True},
}, "C")


def test_choice_conditions_with_rule_and_default_output_and_assign(execute):
    d, events = execute(CHOICE, {"n": 11})
    assert output(d) == ["big", 0]
    assert exited(events, "C")["assignedVariables"] == {"rule": "0"}
    d, events = execute(CHOICE, {"n": 0})
    assert output(d) == {"n": 0}
    assert "assignedVariables" not in exited(events, "C")
    d, events = execute(CHOICE, {"n": 5})
    assert output(d) == ["other", -1]
    assert exited(events, "C")["assignedVariables"] == {"rule": "-1"}

    d, _ = execute(jsonata({"C": {"Type": "Choice", "Choices": [
        {"Condition": "{% $states.input.n > 1 %}", "Next": "E"}]},
        "E": {"Type": "Succeed"}}, "C"), {"n": 1})
    assert d["status"] == "FAILED" and d["error"] == "States.NoChoiceMatched", d


def test_map_items_item_selector_and_the_item_context(execute):
    d, events = execute(jsonata({
        "Set": {"Type": "Pass", "Assign": {"factor": 10}, "Next": "M"},
        "M": {"Type": "Map", "Items": "{% $states.input.xs %}", "MaxConcurrency": "{% 1 %}",
              "ItemSelector": {"v": "{% $states.context.Map.Item.Value * $factor %}",
                               "i": "{% $states.context.Map.Item.Index %}",
                               "item": "{% $states.context.Map.Item %}"},
              "ItemProcessor": {"StartAt": "I", "States": {"I": {
                  "Type": "Pass", "Output": "{% $states.input.v + $states.input.i %}",
                  "End": True}}},
              "Output": {"total": "{% $sum($states.result) %}", "in": "{% $states.input %}"},
              "Assign": {"all": "{% $states.result %}"}, "Next": "Lit"},
        "Lit": {"Type": "Map", "Items": [1, "{% $number('2') %}", 3],
                "ItemProcessor": {"StartAt": "J", "States": {"J": {"Type": "Pass", "End": True}}},
                "Output": {"prev": "{% $states.input %}", "lit": "{% $states.result %}",
                           "all": "{% $all %}"},
                "End": True}}, "Set"), {"xs": [1, 2, 3]})
    assert output(d) == {"prev": {"total": 63, "in": {"xs": [1, 2, 3]}}, "lit": [1, 2, 3],
                         "all": [10, 21, 32]}
    assert exited(events, "M")["assignedVariables"] == {"all": "[10,21,32]"}
    inputs = [json.loads(e["stateEnteredEventDetails"]["input"]) for e in events
              if e["type"] == "PassStateEntered" and e["stateEnteredEventDetails"]["name"] == "I"]
    assert inputs == [{"v": 10 * x, "i": i, "item": {"Index": i, "Value": x}}
                      for i, x in enumerate([1, 2, 3])]
    assert next(e for e in events if e["type"] == "MapStateStarted")[
        "mapStateStartedEventDetails"] == {"length": 3}


def test_parallel_arguments_output_and_a_catch_reading_the_error_output(execute):
    branches = [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input + 1 %}",
                                          "End": True}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Output": "{% $states.input * 2 %}",
                                          "End": True}}}]
    d, events = execute(jsonata({"P": {
        "Type": "Parallel", "Arguments": "{% $states.input.x %}", "Branches": branches,
        "Output": {"r": "{% $states.result %}"}, "End": True}}, "P"), {"x": 5})
    assert output(d) == {"r": [6, 10]}
    assert [e["stateEnteredEventDetails"]["input"] for e in events
            if e["type"] == "PassStateEntered"] == ["5", "5"]

    failing = branches[:1] + [{"StartAt": "B", "States": {"B": {
        "Type": "Fail", "Error": "E1", "Cause": "c1"}}}]
    d, events = execute(jsonata({
        "P": {"Type": "Parallel", "Arguments": "{% $states.input.x %}", "Branches": failing,
              "Assign": {"never": 1},
              "Catch": [{"ErrorEquals": ["E1"], "Next": "After",
                         "Output": {"err": "{% $states.errorOutput %}",
                                    "in": "{% $states.input %}"},
                         "Assign": {"caught": "{% $states.errorOutput.Error %}"}}],
              "End": True},
        "After": {"Type": "Pass", "Output": {"c": "{% $caught %}", "prev": "{% $states.input %}"},
                  "End": True}}, "P"), {"x": 5})
    assert output(d) == {"c": "E1", "prev": {"err": {"Error": "E1", "Cause": "c1"},
                                             "in": {"x": 5}}}
    assert exited(events, "P")["assignedVariables"] == {"caught": '"E1"'}
    assert "ParallelStateFailed" in types(events)


def test_a_waiting_execution_is_listed_stopped_and_described(sfn, machine):
    definition = jsonata({"W": {"Type": "Wait", "Seconds": "{% $states.input.s %}",
                                "End": True}}, "W")
    arn = machine(definition)
    ex = sfn.start_execution(stateMachineArn=arn, name="waits", input='{"s": 60}')["executionArn"]
    running = sfn.list_executions(stateMachineArn=arn, statusFilter="RUNNING")["executions"]
    assert [e["name"] for e in running] == ["waits"]
    assert sfn.describe_state_machine_for_execution(executionArn=ex)["definition"] == definition
    sfn.stop_execution(executionArn=ex, error="Manual", cause="jsonata")
    d = sfn.describe_execution(executionArn=ex)
    assert (d["status"], d["error"], d["cause"]) == ("ABORTED", "Manual", "jsonata")


# --- Task integrations --------------------------------------------------------------------------

def test_sqs_send_message_task_with_arguments_output_and_assign(sqs, queue, execute):
    d, events = execute(jsonata({
        "Send": {"Type": "Task", "Resource": SQS,
                 "Arguments": {"QueueUrl": "{% $states.input.queue %}",
                               "MessageBody": "{% $string($states.input.order) %}"},
                 "TimeoutSeconds": "{% $states.input.t * 2 %}",
                 "Output": {"id": "{% $states.result.MessageId %}",
                            "order": "{% $states.input.order %}"},
                 "Assign": {"raw": "{% $states.result %}"}, "Next": "Again"},
        # No Output: the state's output is the integration's result.
        "Again": {"Type": "Task", "Resource": SQS,
                  "Arguments": {"QueueUrl": "{% $states.context.Execution.Input.queue %}",
                                "MessageBody": "{% 'after ' & $raw.MessageId %}"},
                  "End": True}}, "Send"), {"queue": queue, "order": {"n": 1}, "t": 5})
    out = output(d)
    assert set(out) >= {"MessageId", "MD5OfMessageBody"}
    first = exited(events, "Send")
    message_id = json.loads(first["output"])["id"]
    assert json.loads(first["output"]) == {"id": message_id, "order": {"n": 1}}
    raw_result = json.loads(first["assignedVariables"]["raw"])
    assert raw_result["MessageId"] == message_id
    assert raw_result["MD5OfMessageBody"] == hashlib.md5(b'{"n":1}').hexdigest()
    scheduled = [e["taskScheduledEventDetails"] for e in events if e["type"] == "TaskScheduled"]
    assert json.loads(scheduled[0]["parameters"]) == {"QueueUrl": queue, "MessageBody": '{"n":1}'}
    assert scheduled[0]["timeoutInSeconds"] == 10
    assert "timeoutInSeconds" not in scheduled[1]
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    assert sorted(m["Body"] for m in got["Messages"]) == sorted(['{"n":1}', f"after {message_id}"])


def test_activity_task_with_timeouts_from_expressions(sfn, machine, activity, sluice):
    act = activity()
    arn = machine(jsonata({
        "Set": {"Type": "Pass", "Assign": {"hb": 5}, "Next": "Work"},
        "Work": {"Type": "Task", "Resource": act,
                 "Arguments": {"n": "{% $states.input.n %}", "hb": "{% $hb %}"},
                 "TimeoutSeconds": "{% $hb * 6 %}", "HeartbeatSeconds": "{% $hb %}",
                 "Output": {"doubled": "{% $states.result.d %}",
                            "name": "{% $states.context.Execution.Name %}"},
                 "End": True}}, "Set"))
    ex = sfn.start_execution(stateMachineArn=arn, name="act", input='{"n": 21}')["executionArn"]
    task = sfn.get_activity_task(activityArn=act, workerName="w")
    assert json.loads(task["input"]) == {"n": 21, "hb": 5}
    sfn.send_task_success(taskToken=task["taskToken"], output=json.dumps({"d": 42}))
    assert output(wait_finished(sfn, ex)) == {"doubled": 42, "name": "act"}
    events = wire_history(sluice.endpoint, ex)
    scheduled = next(e for e in events if e["type"] == "ActivityScheduled")
    details = scheduled["activityScheduledEventDetails"]
    assert (details["timeoutInSeconds"], details["heartbeatInSeconds"]) == (30, 5)
    assert json.loads(details["input"]) == {"n": 21, "hb": 5}


def test_callback_with_the_task_token_from_the_context(sfn, sqs, queue, machine):
    arn = machine(jsonata({"Send": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Arguments": {"QueueUrl": queue,
                      "MessageBody": {"order": "{% $states.input.order %}",
                                      "token": "{% $states.context.Task.Token %}"}},
        "Output": {"shipped": "{% $states.result.shipped %}"}, "End": True}}, "Send"))
    ex = sfn.start_execution(stateMachineArn=arn, input='{"order": 42}')["executionArn"]
    msgs = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=10).get("Messages", [])
    assert msgs, "the state machine's message never arrived"
    body = json.loads(msgs[0]["Body"])
    assert body["order"] == 42
    sfn.send_task_success(taskToken=body["token"], output=json.dumps({"shipped": True}))
    assert output(wait_finished(sfn, ex)) == {"shipped": True}


def test_nested_execution_with_jsonata_arguments(machine, execute):
    child = machine(jsonata({"Double": {"Type": "Pass", "Output": {
        "doubled": "{% $states.input.n * 2 %}"}, "End": True}}, "Double"))
    d, _ = execute(jsonata({"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Arguments": {"StateMachineArn": child, "Input": {"n": "{% $states.input.n %}"}},
        "Output": "{% $states.result.Output %}", "End": True}}, "Run"), {"n": 4})
    assert output(d) == {"doubled": 8}


def test_catch_output_and_assign_read_the_error_output(queue, execute):
    missing = queue + "-missing"
    d, events = execute(jsonata({
        "Send": {"Type": "Task", "Resource": SQS,
                 "Arguments": {"QueueUrl": missing, "MessageBody": "x"},
                 "Assign": {"never": 1},
                 "Catch": [{"ErrorEquals": ["SQS.QueueDoesNotExistException"], "Next": "Recover",
                            "Output": {"stateInput": "{% $states.input %}",
                                       "error": "{% $states.errorOutput.Error %}"},
                            "Assign": {"errorVar": "{% $states.errorOutput.Error %}"}}],
                 "End": True},
        "Recover": {"Type": "Pass", "Next": "Plain",
                    "Output": "{% [$states.input, $errorVar] %}"},
        "Plain": {"Type": "Task", "Resource": SQS,
                  "Arguments": {"QueueUrl": missing, "MessageBody": "x"},
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "End"}], "End": True},
        "End": {"Type": "Pass", "End": True}}, "Send"), {"k": 1})
    # A Catch without Output passes $states.errorOutput on.
    out = output(d)
    assert out["Error"] == "SQS.QueueDoesNotExistException" and "Cause" in out, out
    recovered = json.loads(exited(events, "Recover")["output"])
    assert recovered == [{"stateInput": {"k": 1}, "error": "SQS.QueueDoesNotExistException"},
                         "SQS.QueueDoesNotExistException"]
    # The catcher's variables are on the failed state's exit; the state's own Assign is dropped.
    assert exited(events, "Send")["assignedVariables"] == {
        "errorVar": '"SQS.QueueDoesNotExistException"'}
    assert "assignedVariables" not in exited(events, "Plain")


# --- States.QueryEvaluationError ----------------------------------------------------------------

def test_an_undefined_result_fails_with_an_evaluation_failed_event(sfn, execute):
    d, events = execute(jsonata({
        "State0": {"Type": "Pass", "Next": "State1"},
        "State1": {"Type": "Pass", "Next": "State2"},
        "State2": {"Type": "Pass", "Output": {"result": "{% $doesNotExist %}"}, "End": True},
    }, "State0"))
    cause = undefined_cause("State2", 6, "$doesNotExist", "Output/result")
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "States.QueryEvaluationError",
                                                     cause)
    assert types(events) == ["ExecutionStarted", "PassStateEntered", "PassStateExited",
                             "PassStateEntered", "PassStateExited", "PassStateEntered",
                             "EvaluationFailed", "ExecutionFailed"]
    # AWS links EvaluationFailed to what the failing state's entry linked to.
    assert links(events) == [(1, 0), (2, 0), (3, 2), (4, 3), (5, 4), (6, 5), (7, 5), (8, 7)]
    assert events[6]["evaluationFailedEventDetails"] == {
        "cause": cause, "error": "States.QueryEvaluationError", "location": "Output/result",
        "state": "State2"}
    assert events[7]["executionFailedEventDetails"] == {"error": "States.QueryEvaluationError",
                                                        "cause": cause}
    # botocore names the event type it does not model.
    boto_events = sfn.get_execution_history(executionArn=d["executionArn"])["events"]
    assert boto_events[6]["type"] == "EvaluationFailed"


@pytest.mark.parametrize("state,location,ending", [
    ({"Type": "Pass", "Assign": {"result": "{% $doesNotExist %}"}, "End": True},
     "Assign/result", "returned nothing (undefined)."),
    ({"Type": "Pass", "Output": "{% $sum('x') %}", "End": True}, "Output",
     "threw an error during evaluation. T0412: Argument 1 of function \"sum\" must be an array "
     "of \"numbers\""),
    # Step Functions does not offer $eval.
    ({"Type": "Pass", "Output": {"r": "{% $eval('1+1') %}"}, "End": True}, "Output/r",
     "threw an error during evaluation. T1006: Attempted to invoke a non-function"),
    ({"Type": "Choice", "Choices": [{"Condition": "{% $states.input.n %}", "Next": "E"}],
      "Default": "E"}, "Choices[0]/Condition", None),
    ({"Type": "Wait", "Seconds": "{% -1 %}", "End": True}, "Seconds", None),
    ({"Type": "Wait", "Timestamp": "{% 'yesterday' %}", "End": True}, "Timestamp", None),
    ({"Type": "Fail", "Error": "{% 1 %}", "Cause": "c"}, "Error", None),
    ({"Type": "Map", "Items": "{% 'no' %}", "ItemProcessor": ITEMS, "End": True}, "Items", None),
    ({"Type": "Task", "Resource": SQS, "End": True,
      "Arguments": {"QueueUrl": "q", "MessageBody": "{% $states.input.missing %}"}},
     "Arguments/MessageBody", "returned nothing (undefined)."),
    ({"Type": "Task", "Resource": SQS, "TimeoutSeconds": "{% 'ten' %}", "End": True,
      "Arguments": {"QueueUrl": "q", "MessageBody": "x"}}, "TimeoutSeconds", None),
], ids=["assign", "T0412", "eval", "condition-not-boolean", "negative-seconds",
        "bad-timestamp", "error-not-string", "items-not-array", "arguments", "timeout-not-number"])
def test_query_evaluation_errors_name_the_field(execute, state, location, ending):
    states = {"S": state, "E": {"Type": "Succeed"}} if state["Type"] == "Choice" else {"S": state}
    d, events = execute(jsonata(states, "S"), {"n": 1})
    assert d["status"] == "FAILED" and d["error"] == "States.QueryEvaluationError", d
    prefix = "An error occurred while executing the state 'S' (entered at the event id #2). "
    assert d["cause"].startswith(prefix), d["cause"]
    if ending is not None:
        expression = re.search(r"\{%\s*(.*?)\s*%\}", json.dumps(state)).group(1)
        expression = json.loads(f'"{expression}"')
        assert d["cause"] == (f"{prefix}The JSONata expression '{expression}' specified for the "
                              f"field '{location}' {ending}")
    # Nothing was scheduled or exited: entered, EvaluationFailed, ExecutionFailed.
    assert types(events)[2:] == ["EvaluationFailed", "ExecutionFailed"]
    assert events[2]["evaluationFailedEventDetails"] == {
        "cause": d["cause"], "error": "States.QueryEvaluationError", "location": location,
        "state": "S"}


def test_query_evaluation_error_is_retried_then_caught(queue, execute):
    d, events = execute(jsonata({
        "T": {"Type": "Task", "Resource": SQS, "Arguments": {"QueueUrl": queue, "MessageBody": "x"},
              "Output": "{% $states.result.missing %}",
              "Retry": [{"ErrorEquals": ["States.QueryEvaluationError"], "MaxAttempts": 1,
                         "IntervalSeconds": 1}],
              "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "E",
                         "Assign": {"where": "{% $states.errorOutput.Error %}"}}],
              "End": True},
        "E": {"Type": "Pass", "Output": {"error": "{% $states.input.Error %}", "v": "{% $where %}"},
              "End": True}}, "T"))
    assert output(d) == {"error": "States.QueryEvaluationError",
                         "v": "States.QueryEvaluationError"}
    t = types(events)
    # One EvaluationFailed per attempt, each after that attempt's TaskSucceeded.
    assert t[:11] == ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                      "TaskSucceeded", "EvaluationFailed", "TaskScheduled", "TaskStarted",
                      "TaskSucceeded", "EvaluationFailed", "TaskStateExited"], t
    caught = json.loads(exited(events, "T")["output"])
    assert caught == {"Error": "States.QueryEvaluationError", "Cause": undefined_cause(
        "T", 2, "$states.result.missing", "Output")}


def test_evaluation_failed_inside_a_map_iteration(execute):
    d, events = execute(jsonata({"M": {
        "Type": "Map", "Items": [1], "End": True,
        "ItemProcessor": {"StartAt": "I", "States": {"I": {
            "Type": "Pass", "Output": {"error": "{% $stateError %}"}, "End": True}}}}}, "M"))
    assert d["error"] == "States.QueryEvaluationError"
    assert d["cause"] == undefined_cause("I", 5, "$stateError", "Output/error")
    t = types(events)
    assert t[4:] == ["PassStateEntered", "EvaluationFailed", "MapIterationFailed",
                     "MapStateFailed", "ExecutionFailed"], t
    entered, failed, iteration, _, execution = events[4:]
    assert failed["previousEventId"] == entered["previousEventId"]
    assert iteration["previousEventId"] == failed["id"]
    assert iteration["mapIterationFailedEventDetails"] == {"name": "M", "index": 0}
    assert execution["executionFailedEventDetails"]["cause"] == d["cause"]


@pytest.mark.xfail(strict=True, reason="AWS links MapStateFailed to the EvaluationFailed event, "
                   "not to MapIterationFailed (spec 7.2, S-ERR MAP_CATCH_ERROR_OUTPUT_WITH_RETRY: "
                   "EvaluationFailed 14, MapIterationFailed 15 prev 14, MapStateFailed 16 prev 14)")
def test_map_state_failed_links_to_the_evaluation_failed_event(execute):
    _, events = execute(jsonata({"M": {
        "Type": "Map", "Items": [1], "End": True,
        "ItemProcessor": {"StartAt": "I", "States": {"I": {
            "Type": "Pass", "Output": "{% $stateError %}", "End": True}}}}}, "M"))
    failed = next(e for e in events if e["type"] == "EvaluationFailed")
    map_failed = next(e for e in events if e["type"] == "MapStateFailed")
    assert map_failed["previousEventId"] == failed["id"]


# --- functions ----------------------------------------------------------------------------------

def test_step_functions_jsonata_functions(execute):
    d, _ = execute(pass_machine({
        "partition": "{% $partition([1,2,3,4,5], 2) %}",
        "range": "{% $range(0, 10, 2) %}", "down": "{% $range(10, 0, -5) %}",
        "landing": "{% $range(0, 6, 2) %}",
        "sha256": "{% $hash('input data', 'SHA-256') %}", "md5": "{% $hash('abc', 'MD5') %}",
        "sha1": "{% $hash('abc', 'SHA-1') %}",
        "r1": "{% $random(42) %}", "r2": "{% $random(42) %}", "r3": "{% $random(7) %}",
        "r": "{% $random() %}",
        "uuid": "{% $uuid() %}", "uuid2": "{% $uuid() %}",
        "parse": "{% $parse($states.input.text) %}"}), {"text": '{"a":[1,{"b":null}],"s":"x"}'})
    out = output(d)
    assert out["partition"] == [[1, 2], [3, 4], [5]]
    assert out["range"] == [0, 2, 4, 6, 8, 10] and out["down"] == [10, 5, 0]
    assert out["landing"] == [0, 2, 4, 6]
    assert out["sha256"] == hashlib.sha256(b"input data").hexdigest()
    assert out["md5"] == hashlib.md5(b"abc").hexdigest()
    assert out["sha1"] == hashlib.sha1(b"abc").hexdigest()
    # A seed makes $random repeatable: java.util.Random's sequence, as AWS gives it.
    assert out["r1"] == out["r2"] == 0.7275636800328681 != out["r3"]
    assert all(0 <= out[k] < 1 for k in ("r1", "r3", "r"))
    v4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
    assert v4.match(out["uuid"]) and v4.match(out["uuid2"]) and out["uuid"] != out["uuid2"]
    assert out["parse"] == {"a": [1, {"b": None}], "s": "x"}


def test_jsonata_core_functions(execute):
    d, _ = execute(pass_machine({
        "sum": "{% $sum($states.input.n) %}",
        "map": "{% $map($states.input.n, function($v) { $v * $v }) %}",
        "filter": "{% $filter($states.input.n, function($v) { $v % 2 = 1 }) %}",
        "reduce": "{% $reduce($states.input.n, function($a, $b) { $a * $b }) %}",
        "string": "{% $string($states.input.obj) %}",
        "now": "{% $now() %}",
        "fromMillis": "{% $fromMillis(1700000000000) %}",
        "toMillis": "{% $toMillis('2023-11-14T22:13:20.000Z') %}",
        "number": "{% $formatNumber(1234.5678, '#,##0.00') %}",
        "bound": "{% ($x := 3; $x * $x) %}",
        "regex": "{% $contains('hello$world', /^hello\\$/) %}",
    }), {"n": [1, 2, 3, 4], "obj": {"k": "v", "n": 1}})
    out = output(d)
    assert out["sum"] == 10 and out["map"] == [1, 4, 9, 16] and out["filter"] == [1, 3]
    assert out["reduce"] == 24
    assert out["string"] == '{"k":"v","n":1}'
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", out["now"]), out["now"]
    assert out["fromMillis"] == "2023-11-14T22:13:20.000Z"
    assert out["toMillis"] == 1700000000000
    assert out["number"] == "1,234.57"
    assert out["bound"] == 9 and out["regex"] is True


def test_the_context_object(execute):
    d, _ = execute(pass_machine("{% $states.context %}"), {"a": 1})
    ctx = output(d)
    assert ctx["Execution"]["Id"] == d["executionArn"]
    assert ctx["Execution"]["Name"] == d["name"]
    assert ctx["Execution"]["Input"] == {"a": 1}
    assert ctx["Execution"]["RoleArn"] == ROLE
    assert ctx["Execution"]["RedriveCount"] == 0
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", ctx["Execution"]["StartTime"])
    assert ctx["StateMachine"] == {"Id": d["stateMachineArn"],
                                   "Name": d["stateMachineArn"].split(":")[-1]}
    assert ctx["State"]["Name"] == "P"
    assert re.match(r"^\d{4}-\d\d-\d\dT", ctx["State"]["EnteredTime"])


def test_the_context_of_a_pass_state_has_no_retry_count(execute):
    # As on AWS: RetryCount is in the context of the states that can retry (Task, Map, Parallel).
    d, _ = execute(jsonata({
        "P": {"Type": "Pass", "Output": {"pass": "{% $states.context.State %}"}, "Next": "M"},
        "M": {"Type": "Map", "Items": [1], "ItemSelector": {
            "map": "{% $states.context.State %}", "prev": "{% $states.input.pass %}"},
              "ItemProcessor": ITEMS, "Output": "{% $states.result[0] %}", "End": True}}, "P"))
    out = output(d)
    assert set(out["prev"]) == {"Name", "EnteredTime"} and out["prev"]["Name"] == "P"
    assert out["map"]["Name"] == "M" and out["map"]["RetryCount"] == 0


# --- TestState ----------------------------------------------------------------------------------

def test_test_state_of_a_jsonata_task_with_a_catch(raw):
    state = {"Type": "Task", "QueryLanguage": "JSONata", "Resource": SQS,
             "Arguments": {"QueueUrl": "{% $states.input.q %}", "MessageBody": "x"},
             "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states %}",
                        "Next": "Recover"}], "End": True}
    status, out = raw("TestState", {
        "definition": json.dumps(state), "input": '{"q":"u"}', "roleArn": ROLE,
        "inspectionLevel": "DEBUG",
        "mock": {"errorOutput": {"error": "Boom", "cause": "bad"}, "fieldValidationMode": "NONE"}})
    assert status == 200, out
    assert (out["status"], out["error"], out["cause"], out["nextState"]) == (
        "CAUGHT_ERROR", "Boom", "bad", "Recover")
    # In a Catch, $states holds input, context and errorOutput; no result.
    states = json.loads(out["output"])
    assert set(states) == {"input", "context", "errorOutput"}
    assert states["input"] == {"q": "u"}
    assert states["errorOutput"] == {"Error": "Boom", "Cause": "bad"}
    d = out["inspectionData"]
    assert json.loads(d["afterArguments"]) == {"QueueUrl": "u", "MessageBody": "x"}
    assert d["errorDetails"] == {"catchIndex": 0}
    assert "afterInputPath" not in d and "afterParameters" not in d


def test_test_state_reports_a_query_evaluation_error(raw):
    status, out = raw("TestState", {"definition": json.dumps({
        "Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $missing %}", "End": True})})
    assert status == 200, out
    assert out["status"] == "FAILED" and out["error"] == "States.QueryEvaluationError", out
    assert out["cause"] == ("The JSONata expression '$missing' specified for the field "
                            "'Output' returned nothing (undefined).")


def test_test_state_of_jsonata_choice_fail_and_retry(raw):
    choice = {"Type": "Choice", "QueryLanguage": "JSONata", "Default": "Pos", "Choices": [
        {"Condition": "{% $states.input.n < 0 %}", "Next": "Neg", "Output": {"sign": -1},
         "Assign": {"s": "neg"}}]}
    status, out = raw("TestState", {"definition": json.dumps(choice), "input": '{"n":-1}',
                                    "inspectionLevel": "DEBUG"})
    assert status == 200 and out == {"output": '{"sign":-1}', "nextState": "Neg",
                                     "status": "SUCCEEDED", "inspectionData": {
                                         "input": '{"n":-1}', "variables": '{"s":"neg"}'}}, out
    status, out = raw("TestState", {"definition": json.dumps(choice), "input": '{"n":1}'})
    assert out == {"output": '{"n":1}', "nextState": "Pos", "status": "SUCCEEDED"}, out

    fail = {"Type": "Fail", "QueryLanguage": "JSONata", "Error": "{% $states.input.e %}",
            "Cause": "{% $c %}"}
    status, out = raw("TestState", {"definition": json.dumps(fail), "input": '{"e":"Bad"}',
                                    "variables": '{"c":"because"}'})
    assert out == {"error": "Bad", "cause": "because", "status": "FAILED"}, out

    task = {"Type": "Task", "QueryLanguage": "JSONata", "Resource": SQS, "End": True,
            "Arguments": {"QueueUrl": "q", "MessageBody": "x"},
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 4, "MaxAttempts": 1}]}
    status, out = raw("TestState", {
        "definition": json.dumps(task), "roleArn": ROLE, "inspectionLevel": "DEBUG",
        "mock": {"errorOutput": {"error": "Boom", "cause": "bad"}, "fieldValidationMode": "NONE"}})
    assert out["status"] == "RETRIABLE", out
    assert out["inspectionData"]["errorDetails"] == {"retryIndex": 0,
                                                     "retryBackoffIntervalSeconds": 4}


def test_test_state_of_a_task_needs_a_role(raw, sqs, queue):
    state = {"Type": "Task", "QueryLanguage": "JSONata", "Resource": SQS, "End": True,
             "Arguments": {"QueueUrl": queue, "MessageBody": "x"}}
    status, body = raw("TestState", {"definition": json.dumps(state)})
    assert status == 400 and error_name(body) == "ValidationException", body
    assert body["message"] == "RoleArn must be specified when testing a Task state"
    assert "Messages" not in sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0)
    # A mocked Task calls nothing: no role needed.
    status, out = raw("TestState", {"definition": json.dumps(state), "mock": {
        "result": '{"MessageId":"m"}', "fieldValidationMode": "NONE"}})
    assert status == 200 and out == {"output": '{"MessageId":"m"}', "status": "SUCCEEDED"}, out


@pytest.mark.parametrize("fields,problem", [
    ({"Output": "{% 1 + %}"}, "INVALID_JSONATA_EXPRESSION: Unexpected end of expression"),
    ({"Output": "{% $states.errorOutput %}"},
     "UNSUPPORTED_JSONATA_EXPRESSION: Field '$states.errorOutput' does not exist."),
    ({"InputPath": "$.x"}, "SCHEMA_VALIDATION_FAILED: " + (
        "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the "
        "'JSONPath' QueryLanguage")),
], ids=["syntax", "errorOutput", "InputPath"])
def test_test_state_checks_the_jsonata_of_the_definition(raw, fields, problem):
    state = {"Type": "Pass", "QueryLanguage": "JSONata", "End": True, **fields}
    status, body = raw("TestState", {"definition": json.dumps(state)})
    assert status == 400 and error_name(body) == "InvalidDefinition", body
    assert body["message"].startswith(f"Invalid State Machine Definition: '{problem} at "), body


def test_test_state_cause_has_no_execution_prefix(raw):
    # TestState has no history events to point at: the cause is the bare message.
    _, out = raw("TestState", {"definition": json.dumps({
        "Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $missing %}", "End": True})})
    assert out["cause"] == ("The JSONata expression '$missing' specified for the field 'Output' "
                            "returned nothing (undefined).")


# --- definitions --------------------------------------------------------------------------------

def wrong_language(field, language="JSONata"):
    other = "JSONPath" if language == "JSONata" else "JSONata"
    return (f"The QueryLanguage is set to '{language}', but field '{field}' is only supported "
            f"for the '{other}' QueryLanguage")


@pytest.mark.parametrize("definition,code,message,location", [
    (jsonata({"P": {"Type": "Pass", "InputPath": "$.a", "End": True}}, "P"),
     "SCHEMA_VALIDATION_FAILED", wrong_language("InputPath"), "/States/P"),
    (jsonata({"P": {"Type": "Pass", "Parameters": {}, "End": True}}, "P"),
     "SCHEMA_VALIDATION_FAILED", wrong_language("Parameters"), "/States/P"),
    (jsonata({"P": {"Type": "Pass", "Result": 1, "End": True}}, "P"),
     "SCHEMA_VALIDATION_FAILED", wrong_language("Result"), "/States/P"),
    (jsonata({"T": {"Type": "Task", "Resource": SQS, "ResultSelector": {}, "End": True}}, "T"),
     "SCHEMA_VALIDATION_FAILED", wrong_language("ResultSelector"), "/States/T"),
    (jsonata({"M": {"Type": "Map", "ItemsPath": "$.a", "ItemProcessor": ITEMS, "End": True}},
             "M"), "SCHEMA_VALIDATION_FAILED", wrong_language("ItemsPath"), "/States/M"),
    (jsonata({"W": {"Type": "Wait", "SecondsPath": "$.s", "End": True}}, "W"),
     "SCHEMA_VALIDATION_FAILED", wrong_language("SecondsPath"), "/States/W"),
    (jsonata({"F": {"Type": "Fail", "ErrorPath": "$.e"}}, "F"),
     "SCHEMA_VALIDATION_FAILED", wrong_language("ErrorPath"), "/States/F"),
    (jsonata({"C": {"Type": "Choice", "Default": "E", "Choices": [
        {"Variable": "$.x", "IsPresent": True, "Condition": True, "Next": "E"}]},
        "E": {"Type": "Succeed"}}, "C"),
     "SCHEMA_VALIDATION_FAILED", wrong_language("Variable"), "/States/C/Choices/0"),
    (json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": {}, "End": True}}}),
     "SCHEMA_VALIDATION_FAILED", wrong_language("Output", "JSONPath"), "/States/P"),
    (json.dumps({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": SQS,
                                                  "Arguments": {}, "End": True}}}),
     "SCHEMA_VALIDATION_FAILED", wrong_language("Arguments", "JSONPath"), "/States/T"),
    (jsonata({"P": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}}, "P"),
     "SCHEMA_VALIDATION_FAILED",
     "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
     "/States/P"),
    (json.dumps({"QueryLanguage": "jq", "StartAt": "P",
                 "States": {"P": {"Type": "Pass", "End": True}}}),
     "SCHEMA_VALIDATION_FAILED", "Value should be one of the following: [JSONPath, JSONata]",
     "/QueryLanguage"),
    (pass_machine({"v": "{% 1 + %}"}), "INVALID_JSONATA_EXPRESSION",
     "Unexpected end of expression", "/States/P/Output/v"),
    (pass_machine({"v": "{% a[1,2) %}"}), "INVALID_JSONATA_EXPRESSION",
     'Expected "]", got ","', "/States/P/Output/v"),
    (pass_machine("{% \"unterminated %}"), "INVALID_JSONATA_EXPRESSION",
     "String literal must be terminated by a matching quote", "/States/P/Output"),
    (pass_machine("{%  %}"), "INVALID_JSONATA_EXPRESSION", "Unexpected end of expression",
     "/States/P/Output"),
    (pass_machine("{% $$ %}"), "UNSUPPORTED_JSONATA_EXPRESSION",
     "Reference to '$$' is not supported.", "/States/P/Output"),
    (pass_machine({"v": "{% phone.number %}"}), "UNSUPPORTED_JSONATA_EXPRESSION",
     "Reference to 'phone' at the top level is not supported.", "/States/P/Output/v"),
    (pass_machine("{% $states.errorOutput %}"), "UNSUPPORTED_JSONATA_EXPRESSION",
     "Field '$states.errorOutput' does not exist.", "/States/P/Output"),
    (jsonata({"T": {"Type": "Task", "Resource": SQS, "Arguments": "{% $states.errorOutput %}",
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "E"}], "End": True},
              "E": {"Type": "Succeed"}}, "T"),
     "UNSUPPORTED_JSONATA_EXPRESSION", "Field '$states.errorOutput' does not exist.",
     "/States/T/Arguments"),
    (jsonata({"P": {"Type": "Pass", "Assign": {"r": "{% $states.result %}"}, "End": True}}, "P"),
     "UNSUPPORTED_JSONATA_EXPRESSION", "Field '$states.result' does not exist.",
     "/States/P/Assign/r"),
], ids=["InputPath", "Parameters", "Result", "ResultSelector", "ItemsPath", "SecondsPath",
        "ErrorPath", "choice-Variable", "Output-in-JSONPath", "Arguments-in-JSONPath",
        "downgrade", "bad-QueryLanguage", "syntax", "syntax-bracket", "syntax-quote", "empty",
        "dollar-dollar", "top-level-path", "errorOutput-outside-catch",
        "errorOutput-in-arguments", "result-in-pass"])
def test_invalid_definitions(sfn, raw, name, definition, code, message, location):
    with pytest.raises(sfn.exceptions.InvalidDefinition) as e:
        sfn.create_state_machine(name=name(), definition=definition, roleArn=ROLE)
    assert e.value.response["Error"]["Message"].startswith(
        f"Invalid State Machine Definition: '{code}: {message} at {location}"), \
        e.value.response["Error"]["Message"]
    status, body = raw("ValidateStateMachineDefinition", {"definition": definition})
    assert status == 200 and body["result"] == "FAIL" and body["truncated"] is False, body
    assert body["diagnostics"][0] == {"severity": "ERROR", "code": code, "message": message,
                                      "location": location}, body


def test_validation_reports_every_problem(raw, sfn, name):
    definition = jsonata({"P": {"Type": "Pass", "InputPath": "$.a", "OutputPath": "$.b",
                                "Output": {"a": "{% 1 + %}", "b": "{% $$ %}"}, "End": True}}, "P")
    status, body = raw("ValidateStateMachineDefinition", {"definition": definition})
    assert status == 200 and body["result"] == "FAIL", body
    assert sorted((d["code"], d["location"]) for d in body["diagnostics"]) == [
        ("INVALID_JSONATA_EXPRESSION", "/States/P/Output/a"),
        ("SCHEMA_VALIDATION_FAILED", "/States/P"),
        ("SCHEMA_VALIDATION_FAILED", "/States/P"),
        ("UNSUPPORTED_JSONATA_EXPRESSION", "/States/P/Output/b")]
    with pytest.raises(sfn.exceptions.InvalidDefinition) as e:
        sfn.create_state_machine(name=name(), definition=definition, roleArn=ROLE)
    message = e.value.response["Error"]["Message"]
    for d in body["diagnostics"]:
        assert f"{d['code']}: {d['message']} at {d['location']}" in message, message


def test_valid_jsonata_definitions(raw, sfn, machine):
    good = [
        ALL_TYPES, CHOICE,
        # A JSONPath machine may have JSONata states.
        json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "QueryLanguage": "JSONata",
                                                     "Output": "{% 1 %}", "End": True}}}),
        # Paths inside steps, predicates and lambdas are not at the top level.
        pass_machine("{% $states.input.items[price > 1].{'n': name} "
                     "~> $map(function($v) { $v.n }) %}"),
        jsonata({"T": {"Type": "Task", "Resource": SQS, "Arguments": {"QueueUrl": "q",
                                                                       "MessageBody": "x"},
                       "Output": "{% $states.result %}",
                       "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "E",
                                  "Output": "{% $states.errorOutput %}",
                                  "Assign": {"e": "{% $states.errorOutput.Cause %}"}}],
                       "End": True},
                 "E": {"Type": "Succeed"}}, "T"),
    ]
    for definition in good:
        status, body = raw("ValidateStateMachineDefinition", {"definition": definition})
        assert body == {"result": "OK", "diagnostics": [], "truncated": False}, (definition, body)
    arn = machine(good[2])
    # UpdateStateMachine checks the same way.
    with pytest.raises(sfn.exceptions.InvalidDefinition) as e:
        sfn.update_state_machine(stateMachineArn=arn, definition=pass_machine("{% $$ %}"))
    assert "UNSUPPORTED_JSONATA_EXPRESSION" in e.value.response["Error"]["Message"]
    sfn.update_state_machine(stateMachineArn=arn, definition=ALL_TYPES)
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == ALL_TYPES


@pytest.mark.xfail(strict=True, reason="AWS refuses QueryLanguage on an ItemProcessor with "
                   "\"Field 'QueryLanguage' is not supported\" (spec 1.1 and 10, FLOCI-V); Sluice "
                   "says 'The field \"QueryLanguage\" is not supported by Step Functions'")
def test_query_language_on_an_item_processor_is_refused_with_aws_words(raw):
    definition = json.dumps({"StartAt": "M", "States": {"M": {
        "Type": "Map", "End": True,
        "ItemProcessor": {"QueryLanguage": "JSONata", **ITEMS}}}})
    _, body = raw("ValidateStateMachineDefinition", {"definition": definition})
    assert body["diagnostics"] == [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
                                    "message": "Field 'QueryLanguage' is not supported",
                                    "location": "/States/M/ItemProcessor"}]


@pytest.mark.xfail(strict=True, reason="AWS docs: 'Improperly opening or closing the expression "
                   "will result in a validation error' (spec 1.3); Sluice accepts '{% 1' as a "
                   "literal string")
def test_an_unclosed_expression_is_a_validation_error(raw):
    _, body = raw("ValidateStateMachineDefinition", {"definition": pass_machine("{% 1 + 1")})
    assert body["result"] == "FAIL", body


def test_errors_on_the_wire(raw, name):
    status, body = raw("CreateStateMachine", {"name": name(), "roleArn": ROLE,
                                              "definition": pass_machine("{% $$ %}")})
    assert status == 400 and error_name(body) == "InvalidDefinition", body
    assert body["message"] == ("Invalid State Machine Definition: 'UNSUPPORTED_JSONATA_EXPRESSION:"
                               " Reference to '$$' is not supported. at /States/P/Output'")
    assert body["__type"] == "com.amazonaws.swf.service.v2.model#InvalidDefinition"


def test_redrive_after_a_query_evaluation_error(sfn, raw, machine):
    arn = machine(jsonata({
        "A": {"Type": "Pass", "Next": "B"},
        "B": {"Type": "Pass", "End": True,
              "Output": "{% $states.context.Execution.RedriveCount = 1 ? 'ok' : $nope %}"}}, "A"))
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert wait_finished(sfn, ex)["error"] == "States.QueryEvaluationError"
    status, body = raw("RedriveExecution", {"executionArn": ex})
    assert status == 200, body
    assert output(wait_finished(sfn, ex)) == "ok"
    _, body = raw("GetExecutionHistory", {"executionArn": ex})
    assert types(body["events"]) == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered",
        "EvaluationFailed", "ExecutionFailed", "ExecutionRedriven", "PassStateExited",
        "ExecutionSucceeded"]


def test_start_sync_execution_of_a_jsonata_express_machine(sfn, machine):
    arn = machine(jsonata({
        "A": {"Type": "Pass", "Assign": {"k": "{% $states.input.k %}"}, "Next": "B"},
        "B": {"Type": "Pass", "Output": {"k2": "{% $k * 2 %}", "v": "{% $states.input.v %}"},
              "End": True}}, "A"), type="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=arn, input='{"k": 2, "v": "x"}')
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"k2": 4, "v": "x"}, r
    assert r["executionArn"].startswith(f"{PREFIX}express:")
    r = sfn.start_sync_execution(stateMachineArn=arn, input='{"k": 2}')
    assert r["status"] == "FAILED" and r["error"] == "States.QueryEvaluationError", r
    assert r["cause"] == undefined_cause("B", 4, "$states.input.v", "Output/v")
