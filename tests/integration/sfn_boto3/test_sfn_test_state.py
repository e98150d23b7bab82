"""TestState through the wire (Debian's boto3 1.26 predates it, so raw AWS JSON 1.0 as the SDKs
send it): Pass, Choice, Fail and an sqs:sendMessage Task whose message really arrives; the
inspection levels; Retry and Catch outcomes; and the errors of a bad request."""

import json

import pytest

from sfn_helpers import ROLE, error_name
from sfn_fixtures import raw  # noqa: F401 (fixture)


def call_test_state(raw, state, **members):
    body = {"definition": json.dumps(state)}
    body.update(members)
    return raw("TestState", body)


def ok(raw, state, **members):
    status, out = call_test_state(raw, state, **members)
    assert status == 200, out
    return out


def test_pass_at_each_inspection_level(raw):
    state = {"Type": "Pass", "InputPath": "$.in", "Parameters": {"v.$": "$.x"},
             "ResultPath": "$.r", "Next": "Later"}
    info = ok(raw, state, input=json.dumps({"in": {"x": 5}}))
    # ResultPath places the result into the raw state input, not the InputPath selection.
    assert info == {"output": '{"in":{"x":5},"r":{"v":5}}', "nextState": "Later",
                    "status": "SUCCEEDED"}
    for level in ("DEBUG", "TRACE"):
        out = ok(raw, state, input=json.dumps({"in": {"x": 5}}), inspectionLevel=level)
        d = out["inspectionData"]
        assert json.loads(d["input"]) == {"in": {"x": 5}}
        assert json.loads(d["afterInputPath"]) == {"x": 5}
        assert json.loads(d["afterParameters"]) == {"v": 5}
        assert json.loads(d["afterResultPath"]) == {"in": {"x": 5}, "r": {"v": 5}}
        assert out["status"] == "SUCCEEDED"


def test_choice_fail_and_a_state_of_a_whole_machine(raw):
    choice = {"Type": "Choice", "Default": "Other",
              "Choices": [{"Variable": "$.kind", "StringEquals": "a", "Next": "IsA"}]}
    assert ok(raw, choice, input='{"kind":"a"}')["nextState"] == "IsA"
    assert ok(raw, choice, input='{"kind":"b"}')["nextState"] == "Other"

    fail = ok(raw, {"Type": "Fail", "Error": "Bad", "Cause": "because"})
    assert fail == {"error": "Bad", "cause": "because", "status": "FAILED"}

    machine = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
                                           "B": {"Type": "Pass", "Result": 2, "End": True}}}
    status, out = raw("TestState", {"definition": json.dumps(machine), "stateName": "B",
                                    "roleArn": ROLE})
    assert status == 200 and out == {"output": "2", "status": "SUCCEEDED"}


def test_sqs_send_message_task_really_sends(raw, sqs, queue):
    state = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
             "Parameters": {"QueueUrl": queue, "MessageBody.$": "$.body"},
             "ResultSelector": {"id.$": "$.MessageId"}, "End": True}
    out = ok(raw, state, input=json.dumps({"body": "from TestState"}), roleArn=ROLE,
             inspectionLevel="DEBUG")
    assert out["status"] == "SUCCEEDED", out
    message_id = json.loads(out["output"])["id"]
    assert json.loads(out["inspectionData"]["result"])["MessageId"] == message_id
    got = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=1)["Messages"]
    assert [(m["MessageId"], m["Body"]) for m in got] == [(message_id, "from TestState")]


def test_task_errors_retriable_and_caught(raw, queue):
    missing = queue + "-missing"
    base = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
            "Parameters": {"QueueUrl": missing, "MessageBody": "x"}, "End": True}
    plain = ok(raw, base, roleArn=ROLE)
    assert plain["status"] == "FAILED"
    assert plain["error"] == "SQS.QueueDoesNotExistException", plain

    retry = dict(base, Retry=[{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 4,
                               "MaxAttempts": 1}])
    out = ok(raw, retry, roleArn=ROLE, inspectionLevel="DEBUG")
    assert out["status"] == "RETRIABLE", out
    assert out["inspectionData"]["errorDetails"] == {"retryIndex": 0,
                                                     "retryBackoffIntervalSeconds": 4}

    caught = dict(base, Catch=[{"ErrorEquals": ["SQS.QueueDoesNotExistException"],
                                "ResultPath": "$.error", "Next": "Recover"}])
    out = ok(raw, caught, input='{"k":1}', roleArn=ROLE, inspectionLevel="DEBUG")
    assert out["status"] == "CAUGHT_ERROR" and out["nextState"] == "Recover"
    assert json.loads(out["output"])["error"]["Error"] == "SQS.QueueDoesNotExistException"
    assert out["inspectionData"]["errorDetails"] == {"catchIndex": 0}


@pytest.mark.parametrize("members,error", [
    ({"definition": '{"Type":"Pass"}'}, "InvalidDefinition"),
    ({"definition": "{not json"}, "InvalidDefinition"),
    ({"definition": '{"Type":"Pass","End":true}', "input": "{oops"}, "InvalidExecutionInput"),
    ({"definition": '{"Type":"Pass","End":true}', "roleArn": "role"}, "InvalidArn"),
    ({"definition": '{"Type":"Pass","End":true}', "inspectionLevel": "ALL"},
     "ValidationException"),
    ({}, "ValidationException"),
    ({"definition": json.dumps({"Type": "Map", "End": True, "ItemProcessor": {
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}})},
     "ValidationException"),
    ({"definition": json.dumps({"Type": "Task", "End": True,
                                "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                "Parameters": {"QueueUrl": "q", "MessageBody": "x"}}),
      "roleArn": ROLE}, "ValidationException"),
    ({"definition": json.dumps({"Type": "Task", "End": True,
                                "Resource": "arn:aws:states:::dynamodb"})},
     "InvalidDefinition"),
    # A Task really calls its service: AWS wants the role (a mocked one needs none).
    ({"definition": json.dumps({"Type": "Task", "End": True,
                                "Resource": "arn:aws:states:::sqs:sendMessage",
                                "Parameters": {"QueueUrl": "q", "MessageBody": "x"}})},
     "ValidationException"),
    ({"definition": '{"Type":"Pass","End":true}', "variables": "[1]"}, "ValidationException"),
    ({"definition": '{"Type":"Pass","End":true}', "mock": {"result": "{}"}},
     "ValidationException"),
])
def test_request_errors(raw, members, error):
    status, body = raw("TestState", members)
    assert status == 400 and error_name(body) == error, body
    assert body["message"]


def test_invalid_definition_names_the_problem(raw):
    status, body = raw("TestState", {"definition": '{"Type":"Pass","Next":"A","End":true}'})
    assert status == 400 and error_name(body) == "InvalidDefinition"
    assert body["message"].startswith("Invalid State Machine Definition: '"), body


def test_mocked_task_calls_nothing(raw, sqs, queue):
    state = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
             "Parameters": {"QueueUrl": queue, "MessageBody": "must not be sent"},
             "ResultSelector": {"id.$": "$.MessageId"}, "End": True}
    out = ok(raw, state, mock={"result": '{"MessageId":"mocked"}', "fieldValidationMode": "NONE"})
    assert out == {"output": '{"id":"mocked"}', "status": "SUCCEEDED"}
    failed = ok(raw, state, mock={"errorOutput": {"error": "SQS.Throttled", "cause": "slow"},
                                  "fieldValidationMode": "NONE"})
    assert failed == {"error": "SQS.Throttled", "cause": "slow", "status": "FAILED"}
    assert "Messages" not in sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=0)
    # STRICT (the default) checks the mock against SendMessage's output shape, which has no
    # required member: this one passes.
    out = ok(raw, state, mock={"result": '{"MessageId":"m"}'})
    assert out == {"output": '{"id":"m"}', "status": "SUCCEEDED"}


def error_of(raw, state, **members):
    status, body = call_test_state(raw, state, **members)
    assert status == 400 and error_name(body) == "ValidationException", body
    return body["message"]


def mocked_task(resource, **extra):
    return dict({"Type": "Task", "Resource": resource, "End": True}, **extra)


@pytest.mark.parametrize("resource,result,mode,message", [
    # A wrong JSON type, in either mode.
    ("arn:aws:states:::aws-sdk:sqs:sendMessage", {"MessageId": 5}, "STRICT",
     "Mock result schema validation error: Field 'MessageId' must be a string"),
    ("arn:aws:states:::aws-sdk:sqs:receiveMessage", {"Messages": {"Body": "x"}}, "PRESENT",
     "Mock result schema validation error: Field 'Messages' must be an array"),
    ("arn:aws:states:::aws-sdk:sqs:receiveMessage", {"Messages": [{"Body": 1}]}, "PRESENT",
     "Mock result schema validation error: Field 'Body' must be a string"),
    # Step Functions' members as the SDK names them (PascalCase); STRICT wants the required ones.
    ("arn:aws:states:::aws-sdk:sfn:describeExecution", {"ExecutionArn": "a"}, "STRICT",
     "Mock result schema validation error: Required field 'StateMachineArn' is missing"),
    ("arn:aws:states:::aws-sdk:sfn:describeExecution", {"Status": "DONE"}, "PRESENT",
     "Mock result schema validation error: Field 'Status' is not an expected value"),
    ("arn:aws:states:::states:startExecution", {"ExecutionArn": "a"}, "STRICT",
     "Mock result schema validation error: Required field 'StartDate' is missing"),
    # .sync polls DescribeExecution: its result is that shape.
    ("arn:aws:states:::states:startExecution.sync", {"ExecutionArn": "a", "Status": 3},
     "PRESENT", "Mock result schema validation error: Field 'Status' must be a string"),
])
def test_mock_results_are_checked_against_the_api_model(raw, resource, result, mode, message):
    state = mocked_task(resource)
    assert error_of(raw, state, mock={"result": json.dumps(result),
                                      "fieldValidationMode": mode}) == message
    # NONE takes it as it is.
    out = ok(raw, state, mock={"result": json.dumps(result), "fieldValidationMode": "NONE"})
    assert out["status"] == "SUCCEEDED" and json.loads(out["output"]) == result


@pytest.mark.parametrize("resource,result,mode", [
    # PRESENT does not want the required members; members the model lacks are ignored.
    ("arn:aws:states:::aws-sdk:sfn:describeExecution", {"Status": "SUCCEEDED", "Extra": 1},
     "PRESENT"),
    ("arn:aws:states:::aws-sdk:sfn:startExecution",
     {"ExecutionArn": "arn:x", "StartDate": "2024-01-01T00:00:00Z"}, "STRICT"),
    ("arn:aws:states:::states:startExecution.sync:2",
     {"ExecutionArn": "a", "StateMachineArn": "b", "Status": "SUCCEEDED",
      "StartDate": "2024-01-01T00:00:00Z", "Output": "{}"}, "STRICT"),
    ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", {"anything": [1]}, "STRICT"),
    # A service whose model Sluice does not carry is not checked.
    ("arn:aws:states:::dynamodb:putItem", {"Attributes": 5}, "STRICT"),
    ("arn:aws:states:us-east-1:000000000000:activity:worker", {"done": True}, "STRICT"),
])
def test_mock_results_that_pass(raw, resource, result, mode):
    out = ok(raw, mocked_task(resource),
             mock={"result": json.dumps(result), "fieldValidationMode": mode})
    assert out == {"output": json.dumps(result, separators=(",", ":")), "status": "SUCCEEDED"}


def test_unmocked_patterns_stay_refused(raw):
    message = error_of(raw, mocked_task("arn:aws:states:::states:startExecution.sync:2"),
                       roleArn=ROLE)
    assert ".sync" in message


def test_context_is_what_the_state_sees(raw):
    state = mocked_task("arn:aws:states:::lambda:invoke",
                        Parameters={"id.$": "$$.Execution.Id", "state.$": "$$.State.Name",
                                    "entered.$": "$$.State.EnteredTime",
                                    "machine.$": "$$.StateMachine.Name"})
    context = {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:M:e-1",
                             "Name": "e-1"},
               "State": {"Name": "ProcessData", "EnteredTime": "2024-01-01T10:00:05.000Z"}}
    out = ok(raw, state, context=json.dumps(context), inspectionLevel="DEBUG",
             mock={"result": '{"Payload":{}}'})
    # What the context names replaces what the state would see; the rest stays.
    assert json.loads(out["inspectionData"]["afterParameters"]) == {
        "id": context["Execution"]["Id"], "state": "ProcessData",
        "entered": "2024-01-01T10:00:05.000Z", "machine": "TestStateMachine"}

    jsonata = mocked_task("arn:aws:states:::lambda:invoke", QueryLanguage="JSONata",
                          Arguments={"name": "{% $states.context.Execution.Name %}"})
    out = ok(raw, jsonata, context=json.dumps(context), inspectionLevel="DEBUG",
             mock={"result": '{"Payload":{}}'})
    assert json.loads(out["inspectionData"]["afterArguments"]) == {"name": "e-1"}


def test_context_errors(raw):
    state = mocked_task("arn:aws:states:::lambda:invoke")
    assert error_of(raw, {"Type": "Pass", "End": True}, context="{}") == \
        "The context field may only be specified with a mock"
    assert error_of(raw, state, context="[1]", mock={"result": "{}"}).startswith(
        "Invalid context: ")


def test_retrier_retry_count(raw):
    # AWS's example: the second retry of IntervalSeconds 2, BackoffRate 2 waits 4 seconds.
    state = mocked_task("arn:aws:states:::lambda:invoke",
                        Retry=[{"ErrorEquals": ["Lambda.ServiceException"], "IntervalSeconds": 2,
                                "MaxAttempts": 3, "BackoffRate": 2.0}],
                        Catch=[{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error",
                                "Next": "HandleError"}])
    error = {"errorOutput": {"error": "Lambda.ServiceException", "cause": "Service error"}}
    out = ok(raw, state, input='{"data":"value"}', stateConfiguration={"retrierRetryCount": 1},
             mock=error, inspectionLevel="DEBUG")
    assert out["status"] == "RETRIABLE", out
    assert out["inspectionData"]["errorDetails"] == {"retryBackoffIntervalSeconds": 4,
                                                     "retryIndex": 0}
    # Retries exhausted: the Catch takes the error.
    out = ok(raw, state, input='{"data":"value"}', stateConfiguration={"retrierRetryCount": 3},
             mock=error, inspectionLevel="DEBUG")
    assert out["status"] == "CAUGHT_ERROR" and out["nextState"] == "HandleError", out
    assert out["inspectionData"]["errorDetails"] == {"catchIndex": 0}
    assert json.loads(out["output"])["error"] == {"Error": "Lambda.ServiceException",
                                                  "Cause": "Service error"}
    # And with no Catch, the test fails.
    no_catch = dict(state)
    del no_catch["Catch"]
    out = ok(raw, no_catch, stateConfiguration={"retrierRetryCount": 3}, mock=error)
    assert out == {"error": "Lambda.ServiceException", "cause": "Service error",
                   "status": "FAILED"}
    # The state sees the count as $$.State.RetryCount.
    counted = mocked_task("arn:aws:states:::lambda:invoke",
                          ResultSelector={"n.$": "$$.State.RetryCount"})
    out = ok(raw, counted, stateConfiguration={"retrierRetryCount": 2},
             mock={"result": '{"Payload":1}'})
    assert out == {"output": '{"n":2}', "status": "SUCCEEDED"}


@pytest.mark.parametrize("configuration,fragment", [
    ({"retrierRetryCount": -1}, "retrierRetryCount"),
    ({"errorCausedByState": "Inner"}, "errorCausedByState"),
    ({"mapIterationFailureCount": 1}, "mapIterationFailureCount"),
    ({"mapItemReaderData": "[]"}, "mapItemReaderData"),
])
def test_state_configuration_errors(raw, configuration, fragment):
    state = mocked_task("arn:aws:states:::lambda:invoke")
    assert fragment in error_of(raw, state, stateConfiguration=configuration,
                                mock={"result": "{}"})


def test_reveal_secrets_with_a_mock_is_refused(raw):
    assert error_of(raw, mocked_task("arn:aws:states:::lambda:invoke"), revealSecrets=True,
                    mock={"result": "{}"}) == \
        "revealSecrets cannot be specified when a mock is specified"


MAP = {"Type": "Map", "ItemsPath": "$.items", "ToleratedFailureCount": 1, "MaxConcurrency": 2,
       "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "ProcessItem",
                         "States": {"ProcessItem": {"Type": "Task", "End": True,
                                                    "Resource": "arn:aws:states:::lambda:invoke"}}},
       "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}],
       "ResultPath": "$.results", "End": True}


def test_mocked_map_is_answered_for_the_whole_state(raw):
    out = ok(raw, MAP, input='{"items":[1,2,3]}', mock={"result": "[10,20,30]"},
             inspectionLevel="DEBUG")
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"]) == {"items": [1, 2, 3], "results": [10, 20, 30]}
    data = out["inspectionData"]
    assert json.loads(data["afterItemsPath"]) == [1, 2, 3]
    assert data["toleratedFailureCount"] == 1 and data["maxConcurrency"] == 2
    assert json.loads(data["result"]) == [10, 20, 30]


def test_mocked_map_shows_its_items_after_item_selector_and_item_batcher(raw):
    batched = {"Type": "Map", "ItemsPath": "$.items", "End": True,
               "ItemSelector": {"id.$": "$$.Map.Item.Value", "at.$": "$$.Map.Item.Index"},
               "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}},
               "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED",
                                                     "ExecutionType": "EXPRESS"},
                                 "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}
    out = ok(raw, batched, input='{"items":["a","b","c"],"run":7}', mock={"result": "[]"},
             inspectionLevel="DEBUG")
    assert out["status"] == "SUCCEEDED", out
    data = out["inspectionData"]
    selected = [{"id": "a", "at": 0}, {"id": "b", "at": 1}, {"id": "c", "at": 2}]
    assert json.loads(data["afterItemSelector"]) == selected
    assert json.loads(data["afterItemBatcher"]) == [
        {"Items": selected[:2], "BatchInput": {"run": 7}},
        {"Items": selected[2:], "BatchInput": {"run": 7}}]
    # Neither stage in the Map: neither shown.
    assert "afterItemSelector" not in ok(raw, MAP, input='{"items":[1]}', mock={"result": "[1]"},
                                         inspectionLevel="DEBUG")["inspectionData"]


def test_map_iteration_failure_count_against_the_tolerated_threshold(raw):
    tolerated = ok(raw, MAP, input='{"items":[1,2,3]}', mock={"result": "[1]"},
                   stateConfiguration={"mapIterationFailureCount": 1})
    assert tolerated["status"] == "SUCCEEDED", tolerated
    exceeded = ok(raw, MAP, input='{"items":[1,2,3]}', mock={"result": "[1]"},
                  stateConfiguration={"mapIterationFailureCount": 2}, inspectionLevel="DEBUG")
    assert exceeded["status"] == "CAUGHT_ERROR" and exceeded["nextState"] == "Recover", exceeded
    assert exceeded["error"] == "States.ExceedToleratedFailureThreshold"
    assert exceeded["inspectionData"]["errorDetails"] == {"catchIndex": 0}
    message = error_of(raw, MAP, input='{"items":[1,2,3]}', mock={"result": "[1]"},
                       stateConfiguration={"mapIterationFailureCount": 4})
    assert "mapIterationFailureCount" in message


def test_error_caused_by_state_of_a_mocked_map_or_parallel(raw):
    error = {"errorOutput": {"error": "States.TaskFailed", "cause": "Task execution failed"}}
    assert "errorCausedByState" in error_of(raw, MAP, input='{"items":[1]}', mock=error)
    assert "Nope" in error_of(raw, MAP, input='{"items":[1]}', mock=error,
                              stateConfiguration={"errorCausedByState": "Nope"})
    out = ok(raw, MAP, input='{"items":[1]}', mock=error,
             stateConfiguration={"errorCausedByState": "ProcessItem"})
    assert out["status"] == "CAUGHT_ERROR" and out["nextState"] == "Recover", out
    assert json.loads(out["output"])["error"] == {"Error": "States.TaskFailed",
                                                  "Cause": "Task execution failed"}

    parallel = {"Type": "Parallel", "End": True,
                "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
                "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                             {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}]}
    out = ok(raw, parallel, mock=error, stateConfiguration={"errorCausedByState": "B"},
             inspectionLevel="DEBUG")
    assert out["status"] == "RETRIABLE", out
    assert out["inspectionData"]["errorDetails"]["retryIndex"] == 0
    out = ok(raw, parallel, mock={"result": '["a","b"]'})
    assert out == {"output": '["a","b"]', "status": "SUCCEEDED"}


def test_map_item_reader_data(raw):
    reader = {"Type": "Map", "End": True,
              "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                             "ReaderConfig": {"InputType": "JSON"},
                             "Parameters": {"Bucket": "orders", "Key": "orders.json"}},
              "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED",
                                                    "ExecutionType": "EXPRESS"},
                                "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
              "ToleratedFailurePercentage": 50}
    out = ok(raw, reader, mock={"result": "[]"}, inspectionLevel="DEBUG",
             stateConfiguration={"mapItemReaderData": '[{"id":1},{"id":2}]',
                                 "mapIterationFailureCount": 1})
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["inspectionData"]["afterItemsPath"]) == [{"id": 1}, {"id": 2}]
    assert out["inspectionData"]["toleratedFailurePercentage"] == 50
    assert "ItemReader" in error_of(raw, MAP, input='{"items":[1]}', mock={"result": "[]"},
                                    stateConfiguration={"mapItemReaderData": "[]"})
