"""FilterCriteria: messages no pattern matches start nothing and leave the queue (counted on
/metrics); the ones any pattern matches go through."""

import json

import botocore.exceptions
import pytest

from pipes_helpers import (PASS, ROLE, error_of, execution_inputs, metric, queue_empty,
                           wait_for_records, wait_until)

FIRE_AND_FORGET = {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}


def test_filters_pass_matching_messages_and_delete_the_rest(pipes, pipes_server, sqs, sfn,
                                                            make_queue, state_machine, make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    order = {"body": {"sku": [{"prefix": "AB"}],
                      "qty": [{"numeric": [">", 10, "<=", 100]}],
                      "status": [{"anything-but": ["cancelled", "void"]}]}}
    flagged = {"messageAttributes": {"route": {"stringValue": ["yes"]}}}
    name, _ = make_pipe(source, target, DesiredState="STOPPED", TargetParameters=FIRE_AND_FORGET,
                        SourceParameters={"FilterCriteria": {"Filters": [
                            {"Pattern": json.dumps(order)}, {"Pattern": json.dumps(flagged)}]}})
    messages = [
        ("pass", {"sku": "AB-1", "qty": 11, "status": "new"}, None),
        ("pass", {"sku": "ABC", "qty": 100, "status": "paid"}, None),
        ("drop", {"sku": "XAB", "qty": 50, "status": "new"}, None),       # prefix
        ("drop", {"sku": "AB-2", "qty": 10, "status": "new"}, None),      # qty not > 10
        ("drop", {"sku": "AB-3", "qty": 101, "status": "new"}, None),     # qty > 100
        ("drop", {"sku": "AB-4", "qty": 20, "status": "cancelled"}, None),  # anything-but
        ("drop", {"sku": "AB-5", "qty": "20", "status": "new"}, None),    # a string is no number
        ("drop", "not json at all", None),
        ("pass", "plain text, but flagged", "yes"),                       # the second pattern
        ("drop", {"sku": "XX", "qty": 1}, "no"),
    ]
    expected = []
    dropped = 0
    for verdict, body, route in messages:
        text = body if isinstance(body, str) else json.dumps(body)
        attributes = {"route": {"DataType": "String", "StringValue": route}} if route else {}
        mid = sqs.send_message(QueueUrl=url, MessageBody=text,
                               MessageAttributes=attributes)["MessageId"]
        if verdict == "pass":
            expected.append((mid, text))
        else:
            dropped += 1
    pipes.start_pipe(Name=name)

    got = wait_for_records(sfn, target, len(expected))
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    records = [r for _, batch in execution_inputs(sfn, target) for r in batch]
    assert sorted((r["messageId"], r["body"]) for r in records) == sorted(expected)
    assert len(got) >= 1
    assert metric(pipes_server.endpoint, "sluice_pipe_messages_filtered_total", name) == dropped
    # Filtered messages are removed, not given back: nothing comes back later.
    assert sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages") is None


def test_a_batch_with_no_match_starts_nothing(pipes, pipes_server, sqs, sfn, make_queue,
                                              state_machine, make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    name, _ = make_pipe(source, target, TargetParameters=FIRE_AND_FORGET,
                        SourceParameters={"FilterCriteria": {"Filters": [
                            {"Pattern": json.dumps({"body": {"kind": [{"suffix": "-ok"}]}})}]}})
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "order-bad"}))
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "ORDER-OK"}))  # case matters
    wait_until(lambda: metric(pipes_server.endpoint, "sluice_pipe_messages_filtered_total",
                              name) == 2, what="2 messages filtered")
    assert queue_empty(sqs, url)
    assert execution_inputs(sfn, target) == []

    mid = sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"kind": "order-ok"}))[
        "MessageId"]
    [(execution, [record])] = wait_for_records(sfn, target, 1)
    assert execution == mid == record["messageId"]


def test_an_invalid_pattern_is_a_validation_error(pipes, make_queue, state_machine):
    _, source = make_queue()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        pipes.create_pipe(Name="bad-filter", Source=source, Target=state_machine(PASS),
                          RoleArn=ROLE, TargetParameters=FIRE_AND_FORGET,
                          SourceParameters={"FilterCriteria": {"Filters": [
                              {"Pattern": json.dumps({"body": {"n": [{"numeric": [">"]}]}})}]}})
    code, message, status, r = error_of(e)
    assert (code, status) == ("ValidationException", 400)
    assert [f["name"] for f in r["fieldList"]] == [
        "SourceParameters.FilterCriteria.Filters[0].Pattern"]
    assert r["fieldList"][0]["message"].startswith("Event pattern is not valid. Reason: ")
