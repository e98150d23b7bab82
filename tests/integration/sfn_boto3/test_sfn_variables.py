"""Workflow variables (Assign) through boto3, in JSONPath and JSONata states: the evaluation order,
Assign literals and paths, references from every kind of JSONPath field, Map and Parallel scopes,
Catch and Retry, assignedVariables in the history (on the wire: Debian's botocore drops it),
DescribeStateMachine variableReferences, TestState with variables, a redrive that goes on with the
variables assigned before the failure, and StartSyncExecution."""

import hashlib
import json

import pytest

from sfn_helpers import ROLE, json10, sfn_client, wait_finished, wire_history
from sfn_fixtures import execute, machine, name, raw  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def sfn(sluice):
    """One client for the module: making a boto3 client costs more than most tests here."""
    return sfn_client(sluice.endpoint)


def jsonpath(states, start):
    return json.dumps({"StartAt": start, "States": states})


def jsonata(states, start):
    return json.dumps({"QueryLanguage": "JSONata", "StartAt": start, "States": states})



def output(d):
    assert d["status"] == "SUCCEEDED", d
    return json.loads(d["output"])


def assigned(events, state, nth=0):
    """The assignedVariables of the nth exit of `state` (None when the event has none)."""
    exits = [e["stateExitedEventDetails"] for e in events if e["type"].endswith("StateExited")
             and e["stateExitedEventDetails"]["name"] == state]
    details = exits[nth]
    if "assignedVariables" in details:
        assert details["assignedVariablesDetails"] == {"truncated": False}
    else:
        assert "assignedVariablesDetails" not in details
    return details.get("assignedVariables")


ITEM = {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}}


# --- evaluation order ---------------------------------------------------------------------------

def test_every_field_of_a_state_sees_the_variables_of_its_entry(execute):
    # AWS's example: InputPath and OutputPath read "answer" as it was before the state's Assign.
    d, events = execute(jsonpath({
        "State0": {"Type": "Pass", "Result": {"theQuestion": "What is the answer?"},
                   "Assign": {"question.$": "$.theQuestion", "answer": 42}, "Next": "State1"},
        "State1": {"Type": "Pass", "InputPath": "$answer", "ResultPath": "$.theAnswer",
                   "OutputPath": "$answer", "Assign": {"answer": "<omitted>"}, "Next": "Swap"},
        "Swap": {"Type": "Pass", "Assign": {"x": 3, "a": 6}, "Next": "Swap2"},
        "Swap2": {"Type": "Pass", "Assign": {"x.$": "$a", "nextX.$": "$x"}, "Next": "Swap3"},
        "Swap3": {"Type": "Pass", "QueryLanguage": "JSONata",
                  "Assign": {"x": "{% $nextX %}", "nextX": "{% $x %}"},
                  "Output": {"x": "{% $x %}", "nextX": "{% $nextX %}"}, "Next": "Read"},
        "Read": {"Type": "Pass", "Parameters": {"x.$": "$x", "nextX.$": "$nextX",
                                                "answer.$": "$answer", "q.$": "$question",
                                                "before.$": "$"}, "End": True}}, "State0"))
    assert output(d) == {"x": 3, "nextX": 6, "answer": "<omitted>", "q": "What is the answer?",
                         "before": {"x": 6, "nextX": 3}}
    assert assigned(events, "State0") == {"answer": "42", "question": '"What is the answer?"'}
    exits = {e["stateExitedEventDetails"]["name"]: e["stateExitedEventDetails"]
             for e in events if "stateExitedEventDetails" in e}
    assert exits["State1"]["output"] == "42"  # OutputPath "$answer": the old value
    assert assigned(events, "State1") == {"answer": '"<omitted>"'}
    assert assigned(events, "Swap2") == {"nextX": "3", "x": "6"}
    assert assigned(events, "Swap3") == {"nextX": "6", "x": "3"}


def test_assign_literals_paths_and_intrinsics(execute):
    d, events = execute(jsonpath({
        "A": {"Type": "Pass", "Next": "B", "Assign": {
            "obj": {"k": [1, "$.not.a.path"], "deep": {"s": "{% $x %}"}},
            "s": "$x", "n": None, "f": 0.1, "b": True, "e": [], "call": "States.Format('x')",
            "ctx.$": "$$.State.Name", "in.$": "$.v", "fmt.$": "States.Format('v={}', $.v)",
            "exec.$": "$$.Execution.Input"}},
        "B": {"Type": "Pass", "End": True, "Assign": {
            "deep.$": "$obj.k[0]", "merged.$": "States.JsonMerge($obj, $exec, false)",
            "len.$": "States.ArrayLength($obj.k)", "hash.$": "States.Hash($s, 'MD5')"}}}, "A"),
        {"v": 7})
    assert output(d) == {"v": 7}
    # Sorted by name, each value as compact JSON text.
    a = assigned(events, "A")
    assert list(a) == sorted(a)
    assert a == {"b": "true", "call": '"States.Format(\'x\')"', "ctx": '"A"', "e": "[]",
                 "exec": '{"v":7}', "f": "0.1", "fmt": '"v=7"', "in": "7", "n": "null",
                 "obj": '{"k":[1,"$.not.a.path"],"deep":{"s":"{% $x %}"}}', "s": '"$x"'}
    b = assigned(events, "B")
    assert b["deep"] == "1" and b["len"] == "2"
    assert json.loads(b["merged"]) == {"k": [1, "$.not.a.path"], "deep": {"s": "{% $x %}"},
                                       "v": 7}
    assert b["hash"] == '"%s"' % hashlib.md5(b"$x").hexdigest()


def test_empty_assign_and_states_without_assign_record_no_variables(execute):
    _, events = execute(jsonpath({
        "A": {"Type": "Pass", "Assign": {}, "Next": "B"},
        "B": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {}, "End": True}}, "A"))
    assert [assigned(events, s) for s in "ABC"] == [None, None, None]
    assert not any("assignedVariables" in e.get("stateEnteredEventDetails", {}) for e in events)


# --- references from JSONPath fields ------------------------------------------------------------

def test_variables_in_every_kind_of_jsonpath_field(sluice, sfn, machine, queue):
    arn = machine(jsonpath({
        "Set": {"Type": "Pass", "Next": "Choose", "Assign": {
            "items": [1, 2, 3], "wait": 0, "limit": "1", "pick": {"a": {"b": 5}},
            "guess": "x", "answer": "x", "timeout": 30, "queue": queue, "bias": 10}},
        "Choose": {"Type": "Choice", "Default": "Bad", "Choices": [
            {"Variable": "$guess", "StringEqualsPath": "$answer", "Next": "Sleep"}]},
        "Sleep": {"Type": "Wait", "SecondsPath": "$wait", "Next": "Each"},
        "Each": {"Type": "Map", "ItemsPath": "$items", "MaxConcurrencyPath": "$limit",
                 "ItemSelector": {"v.$": "States.MathAdd($$.Map.Item.Value, $bias)",
                                  "literal": "$bias"},
                 "ItemProcessor": ITEM, "ResultPath": "$.mapped", "Next": "Send"},
        "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                 "TimeoutSecondsPath": "$timeout",
                 "Parameters": {"QueueUrl.$": "$queue",
                                "MessageBody.$": "States.JsonToString($pick)"},
                 "ResultPath": None, "Next": "Out"},
        "Out": {"Type": "Pass", "InputPath": "$pick.a", "OutputPath": "$.b", "End": True,
                "Parameters": {"b.$": "$.b", "name.$": "$$.Execution.Name"}},
        "Bad": {"Type": "Fail", "Error": "Bad"}}, "Set"))
    ex = sfn.start_execution(stateMachineArn=arn, name="refs")["executionArn"]
    d = wait_finished(sfn, ex)
    assert output(d) == 5
    events = wire_history(sluice.endpoint, ex)
    mapped = json.loads(next(e for e in events if e["type"] == "MapStateExited")[
        "stateExitedEventDetails"]["output"])["mapped"]
    # "literal" has no .$: the text "$bias" is kept.
    assert mapped == [{"v": 11, "literal": "$bias"}, {"v": 12, "literal": "$bias"},
                      {"v": 13, "literal": "$bias"}]
    scheduled = next(e for e in events if e["type"] == "TaskScheduled")
    assert scheduled["taskScheduledEventDetails"]["timeoutInSeconds"] == 30
    status, body = json10(sluice.endpoint, "DescribeStateMachine", {"stateMachineArn": arn})
    assert body["variableReferences"] == {
        "Choose": ["answer", "guess"], "Sleep": ["wait"], "Each": ["bias", "items", "limit"],
        "Send": ["pick", "queue", "timeout"], "Out": ["pick"]}, body


def test_fail_error_and_cause_from_variables(execute):
    d, events = execute(jsonpath({
        "Set": {"Type": "Pass", "Assign": {"errorVar": "Exception",
                                           "causeVar": "An Exception was encountered"},
                "Next": "F"},
        "F": {"Type": "Fail", "ErrorPath": "$errorVar", "CausePath": "$causeVar"}}, "Set"))
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "Exception",
                                                     "An Exception was encountered")
    assert [e["type"] for e in events][-2:] == ["FailStateEntered", "ExecutionFailed"]


def test_wait_timestamp_path_from_a_variable(execute):
    d, _ = execute(jsonpath({
        "Set": {"Type": "Pass", "Assign": {"when": "2020-01-01T00:00:00Z"}, "Next": "W"},
        "W": {"Type": "Wait", "TimestampPath": "$when", "End": True}}, "Set"))
    assert d["status"] == "SUCCEEDED", d


def test_an_unknown_variable_in_a_path_is_states_runtime(execute):
    d, events = execute(jsonpath({"P": {"Type": "Pass", "Parameters": {"x.$": "$nope"},
                                        "End": True}}, "P"))
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime", d
    assert d["cause"].startswith("An error occurred while executing the state 'P' (entered at "
                                 "the event id #2). The JSONPath '$nope' specified for the field "
                                 "'x.$' could not be found"), d["cause"]
    assert [e["type"] for e in events] == ["ExecutionStarted", "PassStateEntered",
                                           "ExecutionFailed"]


def test_a_jsonpath_machine_with_a_jsonata_state_shares_the_variables(execute):
    d, events = execute(jsonpath({
        "A": {"Type": "Pass", "Result": {"answer": 42}, "Assign": {"theAnswer.$": "$.answer"},
              "Next": "B"},
        "B": {"Type": "Pass", "QueryLanguage": "JSONata",
              "Assign": {"oldAnswer": "{% $theAnswer %}", "theAnswer": 18}, "Next": "C"},
        "C": {"Type": "Pass", "Parameters": {"old.$": "$oldAnswer", "new.$": "$theAnswer"},
              "End": True}}, "A"))
    assert output(d) == {"old": 42, "new": 18}
    assert assigned(events, "B") == {"oldAnswer": "42", "theAnswer": "18"}


# --- Choice, Wait, Task: what "$" is in Assign ---------------------------------------------------

def test_choice_rule_assign_replaces_the_state_assign(execute):
    definition = jsonpath({
        "C": {"Type": "Choice", "Default": "E", "Assign": {"which": "default"}, "Choices": [
            {"Variable": "$.go", "BooleanEquals": True, "Next": "E",
             "Assign": {"which": "rule", "seen.$": "$.go"}}]},
        "E": {"Type": "Pass", "Parameters": {"which.$": "$which"}, "End": True}}, "C")
    d, events = execute(definition, {"go": True})
    assert output(d) == {"which": "rule"}
    assert assigned(events, "C") == {"seen": "true", "which": '"rule"'}
    d, events = execute(definition, {"go": False})
    assert output(d) == {"which": "default"}
    assert assigned(events, "C") == {"which": '"default"'}


def test_wait_and_task_assign_see_the_effective_input_and_the_raw_result(execute, queue):
    d, events = execute(jsonpath({
        "W": {"Type": "Wait", "Seconds": 0, "InputPath": "$.in", "Assign": {"got.$": "$.v"},
              "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
              "Parameters": {"QueueUrl": queue, "MessageBody.$": "$got"},
              "ResultSelector": {"only.$": "$.MessageId"},
              "Assign": {"raw.$": "$", "md5.$": "$.MD5OfMessageBody"},
              "OutputPath": "$.only", "Next": "E"},
        "E": {"Type": "Pass", "Parameters": {"got.$": "$got", "id.$": "$", "md5.$": "$md5"},
              "End": True}}, "W"), {"in": {"v": "w"}})
    out = output(d)
    assert out["got"] == "w"
    raw_result = json.loads(assigned(events, "T")["raw"])
    # Task Assign sees the result before ResultSelector and OutputPath.
    assert raw_result["MessageId"] == out["id"] and "MD5OfMessageBody" in raw_result
    assert out["md5"] == hashlib.md5(b"w").hexdigest()


# --- scopes -------------------------------------------------------------------------------------

def test_map_iterations_read_outer_variables_and_keep_their_own(execute):
    d, events = execute(jsonpath({
        "State0": {"Type": "Pass", "Assign": {"x": 42, "items": [1, 2, 3]}, "Next": "State1"},
        "State1": {"Type": "Map", "ItemsPath": "$items", "MaxConcurrency": 1, "Next": "State2",
                   "ItemProcessor": {"StartAt": "Inner", "States": {
                       "Inner": {"Type": "Pass", "Assign": {"innerX.$": "$x", "mine.$": "$"},
                                 "Next": "Read"},
                       "Read": {"Type": "Pass", "Parameters": {"x.$": "$innerX", "item.$": "$mine"},
                                "End": True}}}},
        "State2": {"Type": "Pass", "Assign": {"final.$": "$x"}, "Next": "State3"},
        "State3": {"Type": "Pass", "Parameters": {"final.$": "$final"}, "End": True}}, "State0"))
    assert output(d) == {"final": 42}
    mapped = next(e for e in events if e["type"] == "MapStateExited")
    assert json.loads(mapped["stateExitedEventDetails"]["output"]) == [
        {"x": 42, "item": i} for i in (1, 2, 3)]
    # Every iteration assigns its own innerX/mine; the history shows each.
    assert [assigned(events, "Inner", i) for i in range(3)] == [
        {"innerX": "42", "mine": str(i)} for i in (1, 2, 3)]
    assert assigned(events, "State1") is None


def test_nested_scopes_concurrent_iterations_and_a_catch_inside_an_iteration(execute):
    d, _ = execute(jsonata({
        "Set": {"Type": "Pass", "Assign": {"bias": 100}, "Next": "Outer"},
        "Outer": {"Type": "Map", "Items": [[1, 2], [3]], "MaxConcurrency": 0, "Next": "Caught",
                  "ItemProcessor": {"StartAt": "Mid", "States": {
                      "Mid": {"Type": "Pass", "Next": "Breathe",
                              "Assign": {"row": "{% $states.input %}",
                                         "rowSum": "{% $sum($states.input) %}"}},
                      "Breathe": {"Type": "Wait", "Seconds": 0, "Next": "Inner"},
                      # The innermost states read the outer and the middle scope.
                      "Inner": {"Type": "Map", "Items": "{% $row %}", "End": True,
                                "ItemProcessor": {"StartAt": "Cell", "States": {"Cell": {
                                    "Type": "Pass", "End": True,
                                    "Output": "{% $states.input + $rowSum + $bias %}"}}}}}}},
        "Caught": {"Type": "Map", "Items": [1, 2], "Output": {
            "cells": "{% $states.input %}", "caught": "{% $states.result %}"}, "End": True,
            "ItemProcessor": {"StartAt": "P", "States": {
                "P": {"Type": "Parallel", "End": True,
                      "Branches": [{"StartAt": "F", "States": {"F": {
                          "Type": "Fail", "Error": "E", "Cause": "c"}}}],
                      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "After", "Assign": {
                          "err": "{% $states.errorOutput.Error & $string($states.input) %}"}}]},
                # The catcher's variable is visible to the iteration's next state.
                "After": {"Type": "Pass", "Output": "{% $err %}", "End": True}}}}}, "Set"))
    assert output(d) == {"cells": [[104, 105], [106]], "caught": ["E1", "E2"]}


def test_parallel_branches_read_outer_variables_in_both_languages(execute):
    d, _ = execute(jsonata({
        "Set": {"Type": "Pass", "Assign": {"x": 42}, "Next": "P"},
        "P": {"Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $x + 1 %}",
                                              "End": True}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "Output": "{% $x * 2 %}",
                                              "End": True}}}],
            "Output": "{% $states.result %}"}}, "Set"))
    assert output(d) == [43, 84]
    d, _ = execute(jsonpath({
        "Set": {"Type": "Pass", "Assign": {"x": 42}, "Next": "P"},
        "P": {"Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"v.$": "$x"},
                                              "End": True}}}]}}, "Set"))
    assert output(d) == [{"v": 42}]


def test_inner_variables_do_not_leak_out(execute):
    branch = [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"inner": 1},
                                                "End": True}}}]
    d, events = execute(jsonpath({
        "P": {"Type": "Parallel", "Branches": branch, "Next": "After"},
        "After": {"Type": "Pass", "Parameters": {"x.$": "$inner"}, "End": True}}, "P"))
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime", d
    assert "$inner" in d["cause"] and "'After'" in d["cause"]
    assert assigned(events, "B") == {"inner": "1"}
    d, _ = execute(jsonata({
        "P": {"Type": "Parallel", "Branches": branch, "Next": "After"},
        "After": {"Type": "Pass", "Output": "{% $inner %}", "End": True}}, "P"))
    assert d["status"] == "FAILED" and d["error"] == "States.QueryEvaluationError", d
    assert d["cause"].endswith("The JSONata expression '$inner' specified for the field 'Output' "
                               "returned nothing (undefined)."), d["cause"]
    assert "'After'" in d["cause"]

    # Map: every iteration reads what it assigned itself; after the Map the variables are gone.
    d, events = execute(jsonata({
        "M": {"Type": "Map", "Items": [1, 2, 3], "Next": "After",
              "ItemProcessor": {"StartAt": "I", "States": {
                  "I": {"Type": "Pass", "Assign": {"inner": "{% $states.input * 10 %}"},
                        "Next": "J"},
                  "J": {"Type": "Pass", "Output": "{% $inner + $states.input %}", "End": True}}}},
        "After": {"Type": "Pass", "Output": "{% $inner %}", "End": True}}, "M"))
    assert d["status"] == "FAILED" and d["error"] == "States.QueryEvaluationError", d
    assert "'After'" in d["cause"], d["cause"]
    mapped = next(e for e in events if e["type"] == "MapStateExited")
    assert json.loads(mapped["stateExitedEventDetails"]["output"]) == [11, 22, 33]

    # A branch does not see what another branch assigned, even once that branch is done.
    d, events = execute(jsonata({"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"a": 1}, "End": True}}},
        {"StartAt": "B", "States": {
            "B": {"Type": "Wait", "Seconds": 0, "Next": "Read"},
            "Read": {"Type": "Pass", "Output": "{% $a %}", "End": True}}}]}}, "P"))
    assert d["status"] == "FAILED" and d["error"] == "States.QueryEvaluationError", d
    assert "'Read'" in d["cause"] and "'$a'" in d["cause"], d["cause"]
    t = [e["type"] for e in events]
    assert t.index("PassStateExited") < t.index("EvaluationFailed"), t  # A was done first


def test_an_inner_state_cannot_assign_an_outer_variable(execute):
    d, events = execute(jsonpath({
        "Set": {"Type": "Pass", "Assign": {"x": 1}, "Next": "M"},
        "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {
            "Type": "Pass", "Assign": {"x": 2}, "End": True}}}, "End": True}}, "Set"), [1])
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime", d
    assert "The variable 'x' belongs to an outer scope" in d["cause"], d["cause"]
    t = [e["type"] for e in events]
    assert t[-3:] == ["MapIterationFailed", "MapStateFailed", "ExecutionFailed"], t


# --- Catch and Retry ----------------------------------------------------------------------------

def test_catch_and_retry_with_variables(execute):
    d, events = execute(jsonpath({
        "Set": {"Type": "Pass", "Assign": {"attempt": "outer", "code": "E1"}, "Next": "P"},
        "P": {"Type": "Parallel", "Assign": {"never": 1}, "Next": "After",
              "Branches": [{"StartAt": "B", "States": {"B": {
                  "Type": "Fail", "ErrorPath": "$code", "Cause": "c1"}}}],
              "Retry": [{"ErrorEquals": ["E1"], "MaxAttempts": 1, "IntervalSeconds": 1}],
              "Catch": [{"ErrorEquals": ["E1"], "ResultPath": "$.err", "Next": "After",
                         "Assign": {"errorVar.$": "$.Error", "was.$": "$attempt"}}]},
        "After": {"Type": "Pass", "Parameters": {"e.$": "$errorVar", "was.$": "$was",
                                                 "err.$": "$.err"}, "End": True}}, "Set"))
    assert output(d) == {"e": "E1", "was": "outer", "err": {"Error": "E1", "Cause": "c1"}}
    types = [e["type"] for e in events]
    assert types.count("ParallelStateStarted") == 2, types
    # The catcher's variables are on the Parallel's exit; the state's own Assign is not applied.
    assert assigned(events, "P") == {"errorVar": '"E1"', "was": '"outer"'}


def test_an_assign_path_that_selects_nothing_is_not_caught(execute, queue):
    d, _ = execute(jsonpath({
        "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
              "Parameters": {"QueueUrl": queue, "MessageBody": "x"},
              "Assign": {"x.$": "$.missing"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "E"}], "End": True},
        "E": {"Type": "Pass", "End": True}}, "T"))
    assert d["status"] == "FAILED" and d["error"] == "States.Runtime", d


def test_a_variable_over_its_size_limit(execute):
    d, events = execute(jsonata({"P": {"Type": "Pass", "End": True, "Assign": {
        "big": "{% $pad('', 270000, 'x') %}"}}}, "P"))
    assert d["status"] == "FAILED" and d["error"] == "States.DataLimitExceeded", d
    assert "'big'" in d["cause"], d["cause"]


# --- DescribeStateMachine variableReferences ----------------------------------------------------

REFERENCES = jsonpath({
    "A": {"Type": "Pass", "Assign": {"guess": 1, "answer": 2, "lit": "$notARef", "items": [1],
                                     "bias": 1, "bucket": "b", "alpha": "a", "zeta": "z"},
          "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"Variable": "$guess", "NumericEqualsPath": "$answer",
                                         "Next": "M"}], "Default": "M"},
    "M": {"Type": "Map", "ItemsPath": "$items", "ItemSelector": {"b": "$bucket"}, "Next": "J",
          "ItemProcessor": {"StartAt": "Sum", "States": {"Sum": {
              "Type": "Pass", "Parameters": {"v.$": "States.MathAdd($bias, $)"}, "End": True}}}},
    "J": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input %}",
          "Assign": {"z": "{% $zeta & $alpha %}"}, "End": True}}, "A")


def test_describe_state_machine_variable_references(raw, sfn, machine):
    arn = machine(REFERENCES)
    status, body = raw("DescribeStateMachine", {"stateMachineArn": arn})
    assert status == 200, body
    # Per state, names sorted; literals ("$notARef", "$bucket" without .$) and $states are not.
    assert body["variableReferences"] == {"C": ["answer", "guess"], "J": ["alpha", "zeta"],
                                          "M": ["items"], "Sum": ["bias"]}
    ex = sfn.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    wait_finished(sfn, ex)
    status, body = raw("DescribeStateMachineForExecution", {"executionArn": ex})
    assert status == 200 and body["variableReferences"]["C"] == ["answer", "guess"], body
    # No references: the member is left out.
    plain = machine(jsonata({"P": {"Type": "Pass", "Assign": {"a": 1},
                                   "Output": "{% $states.input %}", "End": True}}, "P"))
    status, body = raw("DescribeStateMachine", {"stateMachineArn": plain})
    assert status == 200 and "variableReferences" not in body, body


# --- definitions --------------------------------------------------------------------------------

@pytest.mark.parametrize("state,message,location", [
    ({"Type": "Pass", "Assign": {"x.y": 1}, "End": True},
     "The field 'x.y' in 'Assign' is not a valid variable name: the character '.' cannot appear "
     "in a variable name", "/States/P/Assign/x.y"),
    ({"Type": "Pass", "Assign": {"states": 1}, "End": True},
     "The field 'states' in 'Assign' is not a valid variable name: the variable name 'states' "
     "is reserved", "/States/P/Assign/states"),
    ({"Type": "Pass", "Assign": {"1st": 1}, "End": True},
     "The field '1st' in 'Assign' is not a valid variable name: the character '1' cannot appear "
     "in a variable name", "/States/P/Assign/1st"),
    ({"Type": "Succeed", "Assign": {"a": 1}},
     "The field \"Assign\" is not supported by Step Functions", "/States/P"),
    ({"Type": "Fail", "Assign": {"a": 1}},
     "The field \"Assign\" is not supported by Step Functions", "/States/P"),
    ({"Type": "Pass", "ResultPath": "$x", "End": True},
     "The value for the field 'ResultPath' must be a valid Reference Path", "/States/P/ResultPath"),
], ids=["dot", "reserved", "digit", "succeed", "fail", "result-path"])
def test_assign_names_and_places_are_checked(raw, state, message, location):
    status, body = raw("ValidateStateMachineDefinition",
                       {"definition": jsonpath({"P": state}, "P")})
    assert status == 200 and body["result"] == "FAIL", body
    assert body["diagnostics"] == [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
                                    "message": message, "location": location}]


def test_variable_names_up_to_80_characters(raw):
    for length, result in ((80, "OK"), (81, "FAIL")):
        definition = jsonpath({"P": {"Type": "Pass", "Assign": {"v" * length: 1}, "End": True}},
                              "P")
        status, body = raw("ValidateStateMachineDefinition", {"definition": definition})
        assert body["result"] == result, (length, body)
    unicode_ok = jsonpath({"P": {"Type": "Pass", "Assign": {"größe_ÿ": 1}, "End": True}}, "P")
    assert raw("ValidateStateMachineDefinition", {"definition": unicode_ok})[1]["result"] == "OK"


# --- TestState ----------------------------------------------------------------------------------

def try_state(raw, state, **members):
    status, out = raw("TestState", {"definition": json.dumps(state), **members})
    assert status == 200, out
    return out


def test_test_state_with_variables(raw):
    # The variables after the state: those given, and those the state assigned.
    out = try_state(raw, {"Type": "Pass", "Parameters": {"v.$": "$a"}, "Assign": {"c.$": "$.v"},
                           "End": True},
                     variables='{"a":5}', inspectionLevel="DEBUG")
    assert out["output"] == '{"v":5}' and out["status"] == "SUCCEEDED"
    assert json.loads(out["inspectionData"]["variables"]) == {"a": 5, "c": 5}
    assert out["inspectionData"]["afterParameters"] == '{"v":5}'

    jsonata_pass = {"Type": "Pass", "QueryLanguage": "JSONata",
                    "Output": {"v": "{% $a + $states.input.n %}"},
                    "Assign": {"b": "{% $a * 2 %}"}, "End": True}
    out = try_state(raw, jsonata_pass, input='{"n":1}', variables='{"a":10}',
                     inspectionLevel="TRACE")
    assert out == {"output": '{"v":11}', "status": "SUCCEEDED", "inspectionData": {
        "input": '{"n":1}', "variables": '{"a":10,"b":20}'}}
    # INFO: no inspectionData; no variables given and none assigned: no inspectionData.variables.
    out = try_state(raw, jsonata_pass, input='{"n":1}', variables='{"a":10}')
    assert out == {"output": '{"v":11}', "status": "SUCCEEDED"}
    out = try_state(raw, {"Type": "Pass", "QueryLanguage": "JSONata",
                           "Output": "{% $states.input %}", "End": True},
                     input='{"n":1}', inspectionLevel="DEBUG")
    assert out["inspectionData"] == {"input": '{"n":1}'}
    # A whole machine's state, by name.
    machine = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"a": 1}, "Next": "B"},
        "B": {"Type": "Pass", "Output": "{% $a %}", "End": True}}}
    out = try_state(raw, machine, stateName="B", variables='{"a":"given"}')
    assert out == {"output": '"given"', "status": "SUCCEEDED"}


def test_test_state_of_a_jsonata_task_really_sends(raw, sqs, queue):
    state = {"Type": "Task", "QueryLanguage": "JSONata",
             "Resource": "arn:aws:states:::sqs:sendMessage",
             "Arguments": {"QueueUrl": "{% $q %}", "MessageBody": "{% $states.input.m %}"},
             "Output": "{% $states.result.MD5OfMessageBody %}",
             "Assign": {"sent": "{% $states.result.MessageId %}"}, "End": True}
    out = try_state(raw, state, input='{"m":"hi"}', variables=json.dumps({"q": queue}),
                     inspectionLevel="DEBUG", roleArn=ROLE)
    assert out["status"] == "SUCCEEDED", out
    d = out["inspectionData"]
    assert json.loads(d["afterArguments"]) == {"QueueUrl": queue, "MessageBody": "hi"}
    assert set(d) == {"input", "afterArguments", "result", "variables"}, d
    message_id = json.loads(d["result"])["MessageId"]
    assert json.loads(d["variables"]) == {"q": queue, "sent": message_id}
    assert json.loads(out["output"]) == hashlib.md5(b"hi").hexdigest()
    got = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"]
    assert [(m["MessageId"], m["Body"]) for m in got] == [(message_id, "hi")]


def test_test_state_catch_assign_and_variable_errors(raw):
    state = {"Type": "Task", "QueryLanguage": "JSONata",
             "Resource": "arn:aws:states:::sqs:sendMessage",
             "Arguments": {"QueueUrl": "q", "MessageBody": "x"},
             "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "R",
                        "Output": "{% $states.errorOutput %}",
                        "Assign": {"e": "{% $states.errorOutput.Error %}"}}], "End": True}
    out = try_state(raw, state, roleArn=ROLE, inspectionLevel="DEBUG", mock={
        "errorOutput": {"error": "Boom", "cause": "bad"}, "fieldValidationMode": "NONE"})
    assert out["status"] == "CAUGHT_ERROR" and out["output"] == '{"Error":"Boom","Cause":"bad"}'
    assert json.loads(out["inspectionData"]["variables"]) == {"e": "Boom"}

    for variables in ("[1]", "{bad", '{"a.b":1}'):
        status, body = raw("TestState", {"definition": '{"Type":"Pass","End":true}',
                                         "variables": variables})
        assert status == 400 and body["__type"].endswith("ValidationException"), body
    # An undefined variable is an evaluation error of the state.
    out = try_state(raw, {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $nope %}",
                           "End": True}, variables='{"a":1}')
    assert out["status"] == "FAILED" and out["error"] == "States.QueryEvaluationError", out


def test_test_state_inspection_data_of_a_jsonpath_pass(raw):
    # As AWS shows them: with Parameters, the input stages and no "result"; with Result, the
    # result and what follows it, without the input stages.
    given = '{"in":{"a":1}}'
    out = try_state(raw, {"Type": "Pass", "InputPath": "$.in", "Parameters": {"v.$": "$.a"},
                          "ResultPath": "$.out", "End": True},
                    input=given, inspectionLevel="DEBUG")
    assert out["inspectionData"] == {
        "input": given, "afterInputPath": '{"a":1}', "afterParameters": '{"v":1}',
        "afterResultSelector": '{"v":1}', "afterResultPath": '{"in":{"a":1},"out":{"v":1}}'}
    out = try_state(raw, {"Type": "Pass", "InputPath": "$.in", "Result": {"r": 2},
                          "ResultPath": "$.out", "End": True},
                    input=given, inspectionLevel="TRACE")
    assert out["inspectionData"] == {
        "input": given, "result": '{"r":2}', "afterResultSelector": '{"r":2}',
        "afterResultPath": '{"in":{"a":1},"out":{"r":2}}'}


# --- redrive and Express ------------------------------------------------------------------------

def test_redrive_goes_on_with_the_variables_assigned_before_the_failure(raw, sfn, machine):
    arn = machine(jsonata({
        "A": {"Type": "Pass", "Assign": {"id": "{% $uuid() %}", "n": "{% $states.input.n %}"},
              "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{
            "Condition": "{% $states.context.Execution.RedriveCount >= 1 %}", "Next": "Done",
            "Assign": {"m": "{% $n * 2 %}"}}]},
        "Done": {"Type": "Pass", "End": True, "Output": {
            "id": "{% $id %}", "n": "{% $n %}", "m": "{% $m %}"}}}, "A"))
    ex = sfn.start_execution(stateMachineArn=arn, input='{"n": 21}')["executionArn"]
    d = wait_finished(sfn, ex)
    assert d["status"] == "FAILED" and d["error"] == "States.NoChoiceMatched", d
    status, body = raw("GetExecutionHistory", {"executionArn": ex})
    first_id = json.loads(assigned(body["events"], "A")["id"])

    status, body = raw("RedriveExecution", {"executionArn": ex})
    assert status == 200, body
    d = wait_finished(sfn, ex)
    # A is not run again: $id is the value it assigned before the failure.
    assert output(d) == {"id": first_id, "n": 21, "m": 42}
    status, body = raw("GetExecutionHistory", {"executionArn": ex})
    events = body["events"]
    assert [e["type"] for e in events] == [
        "ExecutionStarted", "PassStateEntered", "PassStateExited", "ChoiceStateEntered",
        "ExecutionFailed", "ExecutionRedriven", "ChoiceStateExited", "PassStateEntered",
        "PassStateExited", "ExecutionSucceeded"]
    assert assigned(events, "Check") == {"m": "42"}


def test_start_sync_execution_with_variables(sfn, machine):
    arn = machine(jsonata({
        "A": {"Type": "Pass", "Assign": {"k": "{% $states.input.k %}", "seen": []}, "Next": "M"},
        "M": {"Type": "Map", "Items": "{% $range(1, $k) %}", "Next": "B",
              "ItemProcessor": {"StartAt": "I", "States": {"I": {
                  "Type": "Pass", "Output": "{% $states.input * $k %}", "End": True}}},
              "Assign": {"seen": "{% $states.result %}"}},
        "B": {"Type": "Pass", "Output": {"k": "{% $k %}", "seen": "{% $seen %}"},
              "End": True}}, "A"), type="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=arn, input='{"k": 3}')
    assert r["status"] == "SUCCEEDED", r
    assert json.loads(r["output"]) == {"k": 3, "seen": [3, 6, 9]}
    jsonpath_arn = machine(jsonpath({
        "A": {"Type": "Pass", "Assign": {"k.$": "$.k"}, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"k.$": "States.MathAdd($k, 1)"}, "End": True}}, "A"),
        type="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=jsonpath_arn, input='{"k": 3}')
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"k": 4}, r
    r = sfn.start_sync_execution(stateMachineArn=jsonpath_arn, input='{}')
    assert r["status"] == "FAILED" and r["error"] == "States.Runtime", r
