"""AWS parity of the JSONPath language as a boto3 user sees it (docs/parity/states.md): intrinsic
functions as AWS evaluates them (number conversion, States.Format's rendering, StringToJson),
the causes AWS writes for Wait, Fail and Map path errors, the context object's keys and order,
Express execution ids, and JSONPath bracket names with escaped quotes. The expected values are
the ones recorded against AWS (localstack's snapshot suites)."""

import json

import pytest

from sfn_helpers import sfn_client
from sfn_fixtures import execute, machine, name  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def sfn(sluice):
    return sfn_client(sluice.endpoint)


def jsonpath(states, start):
    return json.dumps({"StartAt": start, "States": states})



def function_result(execute, call, payload):
    d, _ = execute(jsonpath({"P": {"Type": "Pass", "Parameters": {"FunctionResult.$": call},
                                   "End": True}}, "P"), {"FunctionInput": payload})
    assert d["status"] == "SUCCEEDED", d
    return json.loads(d["output"])["FunctionResult"]


def failure(d, events):
    """(error, cause) of a FAILED execution, checked against its ExecutionFailed event."""
    assert d["status"] == "FAILED", d
    last = events[-1]
    assert last["type"] == "ExecutionFailed"
    assert last["executionFailedEventDetails"] == {"error": d["error"], "cause": d["cause"]}
    return d["error"], d["cause"]


# --- intrinsic functions ----------------------------------------------------------------------

@pytest.mark.parametrize("fst, snd, want", [
    (-9, 3, -6), (1.49, 1.5, 3), (1.5, 1.51, 4), (-1.49, -1.5, -2), (-1.5, -1.51, -3),
    (1.49, 0, 1), (1.49, -1.49, 0), (1.5, 0, 2), (-1.5, 0, -1), (-1.51, 0, -2), (2.5, 0, 3)])
def test_math_add_rounds_non_integers_as_aws_does(execute, fst, snd, want):
    call = "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
    assert function_result(execute, call, {"fst": fst, "snd": snd}) == want


def test_math_random_takes_non_integer_bounds(execute):
    call = "States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd)"
    value = function_result(execute, call, {"fst": 12.5, "snd": 44.51})
    assert isinstance(value, int) and 13 <= value < 45
    seeded = "States.MathRandom($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"
    payload = {"fst": 0, "snd": 999, "trd": 3}
    assert function_result(execute, seeded, payload) == function_result(execute, seeded, payload)


@pytest.mark.parametrize("value, want", [
    ("", ""), ("HelloWorld", "HelloWorld"), (None, "null"), (1, "1"), (1.1, "1.1"),
    ('{"Arg1": 1, "Arg2": []}', '{"Arg1": 1, "Arg2": []}'),
    ({"Arg1": 1, "Arg2": []}, "{Arg1=1, Arg2=[]}"),
    ([1, "a", [True, None], {"k": "v"}], "[1, a, [true, null], {k=v}]")])
def test_format_renders_values_as_aws_does(execute, value, want):
    call = "States.Format('{} and {}', $.FunctionInput.fst, $.FunctionInput.snd)"
    got = function_result(execute, call, {"fst": value, "snd": value})
    assert got == f"{want} and {want}"


@pytest.mark.parametrize("text, want", [
    ("", None), (" ", None), ("null", None), ("-0", 0), ("1.1", 1.1), ("true", True),
    ('"HelloWorld"', "HelloWorld"), ('[1, 2, "HelloWorld"]', [1, 2, "HelloWorld"]),
    ('{"Arg1": 1, "Arg2": []}', {"Arg1": 1, "Arg2": []})])
def test_string_to_json_takes_what_aws_takes(execute, text, want):
    assert function_result(execute, "States.StringToJson($.FunctionInput)", text) == want


# --- Wait, Fail and Map causes ----------------------------------------------------------------

WAIT_SECONDS = jsonpath({"W": {"Type": "Wait", "SecondsPath": "$.x", "End": True}}, "W")
WAIT_TIMESTAMP = jsonpath({"W": {"Type": "Wait", "TimestampPath": "$.t", "End": True}}, "W")
PREFIX = "An error occurred while executing the state 'W' (entered at the event id #2). "


@pytest.mark.parametrize("payload, cause", [
    ({"x": -1}, "The SecondsPath parameter references a negative value: $.x == -1"),
    ({"x": 1.5}, "The SecondsPath parameter cannot be parsed as a long value: $.x == 1.5"),
    ({"x": "soon"}, "The SecondsPath parameter cannot be parsed as a long value: $.x == soon"),
    ({}, "The SecondsPath parameter does not reference an input value: $.x")])
def test_wait_seconds_path_causes(execute, payload, cause):
    d, events = execute(WAIT_SECONDS, payload)
    assert failure(d, events) == ("States.Runtime", PREFIX + cause)
    # As AWS: the execution fails straight from WaitStateEntered, no WaitStateExited.
    assert [e["type"] for e in events] == ["ExecutionStarted", "WaitStateEntered",
                                           "ExecutionFailed"]


@pytest.mark.parametrize("payload, cause", [
    ({"t": "2024-01-01T00:00:00"},
     "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
     "format string: $.t == 2024-01-01T00:00:00"),
    ({"t": 5},
     "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time "
     "format string: $.t == 5"),
    ({}, "The TimestampPath parameter does not reference an input value: $.t")])
def test_wait_timestamp_path_causes(execute, payload, cause):
    d, events = execute(WAIT_TIMESTAMP, payload)
    assert failure(d, events) == ("States.Runtime", PREFIX + cause)


def test_wait_seconds_path_takes_zero_and_an_integer_string(execute):
    d, _ = execute(WAIT_SECONDS, {"x": 0})
    assert d["status"] == "SUCCEEDED", d
    d, _ = execute(WAIT_SECONDS, {"x": "0"})
    assert d["status"] == "SUCCEEDED", d


@pytest.mark.parametrize("field", ["ErrorPath", "CausePath"])
def test_fail_path_not_found_quotes_the_path_and_the_input(execute, field):
    d, events = execute(jsonpath({"F": {"Type": "Fail", field: "$.ErrorX"}}, "F"), {"a": [1, "b"]})
    assert failure(d, events) == (
        "States.Runtime",
        "An error occurred while executing the state 'F' (entered at the event id #2). "
        f"The JSONPath '$.ErrorX' specified for the field '{field}' could not be found in the "
        """input '{"a": [1, "b"]}'""")


def test_fail_paths_that_resolve(execute):
    d, _ = execute(jsonpath({"F": {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}}, "F"),
                   {"e": "Custom.Error", "c": "because"})
    assert (d["status"], d["error"], d["cause"]) == ("FAILED", "Custom.Error", "because")


def map_with(path):
    return jsonpath({"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrencyPath": path,
                           "ItemProcessor": {"StartAt": "I", "States": {
                               "I": {"Type": "Pass", "End": True}}},
                           "End": True}}, "M")


@pytest.mark.parametrize("limit, cause", [
    ("many", 'The MaxConcurrencyPath field refers to value "many" which is not a valid integer: '
             "$.limit"),
    (1.5, 'The MaxConcurrencyPath field refers to value "1.5" which is not a valid integer: '
          "$.limit"),
    (-1, "Expected non-negative integer for MaxConcurrency, got '-1' instead.")])
def test_map_max_concurrency_path_causes(execute, limit, cause):
    d, events = execute(map_with("$.limit"), {"items": [1, 2], "limit": limit})
    assert failure(d, events) == (
        "States.Runtime",
        "An error occurred while executing the state 'M' (entered at the event id #2). " + cause)


def test_map_max_concurrency_path_takes_an_integer_string(execute):
    d, _ = execute(map_with("$.limit"), {"items": [1, 2], "limit": "1"})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == [1, 2]


# --- the context object ------------------------------------------------------------------------

def test_the_context_object_has_awss_keys_in_awss_order(execute):
    d, events = execute(jsonpath({"P": {"Type": "Pass", "InputPath": "$$", "End": True}}, "P"),
                        {"input-value": 0})
    assert d["status"] == "SUCCEEDED", d
    # The output text keeps the order: Execution, StateMachine, State (Name, EnteredTime).
    ctx = json.loads(d["output"], object_pairs_hook=lambda pairs: pairs)
    assert [k for k, _ in ctx] == ["Execution", "StateMachine", "State"]
    execution, state = dict(ctx[0][1]), ctx[2][1]
    assert list(execution) == ["Id", "Input", "StartTime", "Name", "RoleArn", "RedriveCount"]
    assert [k for k, _ in state] == ["Name", "EnteredTime"]


def test_express_execution_ids_in_the_context_object(sfn, machine):
    arn = machine(jsonpath({"P": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id",
                                                                 "name.$": "$$.Execution.Name"},
                                  "End": True}}, "P"), type="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=arn, name="ctx-1", input="{}")
    assert r["status"] == "SUCCEEDED", r
    out = json.loads(r["output"])
    machine_name = arn.split(":")[-1]
    # arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME:ID
    parts = out["id"].split(":")
    assert parts[:7] == ["arn", "aws", "states", "us-east-1", "000000000000", "express",
                         machine_name]
    assert parts[7] == "ctx-1" and len(parts) == 9 and len(parts[8]) == 36
    assert out["id"] == r["executionArn"]
    assert out["name"] == "ctx-1"


# --- JSONPath ---------------------------------------------------------------------------------

def test_bracket_names_with_escaped_quotes(execute):
    payload = {"a'b": 1, 'x"y': 2, "p'q": {"r\"s": 3}}
    d, _ = execute(jsonpath({"P": {"Type": "Pass", "Parameters": {
        "single.$": "$['a\\'b']", "double.$": '$["x\\"y"]', "nested.$": "$['p\\'q'][\"r\\\"s\"]",
        "call.$": "States.Array($['a\\'b'], $[\"x\\\"y\"])"}, "End": True}}, "P"), payload)
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"single": 1, "double": 2, "nested": 3, "call": [1, 2]}


def test_choice_and_input_path_with_escaped_quotes(execute):
    d, _ = execute(jsonpath({
        "C": {"Type": "Choice", "Choices": [{"Variable": "$['it\\'s']", "NumericEquals": 1,
                                             "Next": "P"}], "Default": "F"},
        "P": {"Type": "Pass", "InputPath": "$[\"say \\\"hi\\\"\"]", "End": True},
        "F": {"Type": "Fail"}}, "C"), {"it's": 1, 'say "hi"': "hello"})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == "hello"




def test_result_and_output_paths_with_escaped_quotes(execute):
    d, _ = execute(jsonpath({
        "P": {"Type": "Pass", "Result": {"v": 1}, "ResultPath": "$['it\\'s']", "Next": "Q"},
        "Q": {"Type": "Pass", "Parameters": {"w.$": "$['it\\'s'].v"},
              "ResultPath": "$[\"x\\\"y\"]", "Next": "R"},
        "R": {"Type": "Pass", "OutputPath": "$[\"x\\\"y\"]", "End": True}}, "P"), {})
    assert d["status"] == "SUCCEEDED", d
    assert json.loads(d["output"]) == {"w": 1}
