"""Delete or retry: REQUEST_RESPONSE targets (EXPRESS state machines, Lambda functions) settle
their batch by the result: success deletes it, failure gives it back (visible again after the
queue's VisibilityTimeout, its receive counted, dead-lettered by the queue's RedrivePolicy),
batchItemFailures give back only the messages named. Enrichments run before the target; a failed
enrichment retries the batch."""

import json
import time

from pipes_helpers import (PASS, drain, execution_inputs, function_arn, queue_empty, send_all,
                           wait_for_records, wait_until)

FIRE_AND_FORGET = {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}


def observing(observer_url, then):
    """An EXPRESS definition that first sends its input (as JSON text) to the observer queue --
    Express executions keep no history, so that is how a test sees each attempt -- then `then`."""
    return {"StartAt": "Observe", "States": {
        "Observe": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                    "Parameters": {"QueueUrl": observer_url,
                                   "MessageBody.$": "States.JsonToString($)"},
                    "ResultPath": None, "Next": "Then"},
        "Then": then}}


def observed(sqs, url, n, timeout=10.0):
    """Waits until the observer queue gave `n` messages in all; returns their parsed bodies."""
    got = []

    def enough():
        got.extend(json.loads(m["Body"]) for m in drain(sqs, url))
        return len(got) >= n
    wait_until(enough, timeout, what=f"{n} observed attempts")
    return got


def redriven_source(make_queue, max_receive=2, fifo=False):
    dlq_url, dlq_arn = make_queue("dlq", fifo=fifo)
    url, arn = make_queue(fifo=fifo, VisibilityTimeout=1, RedrivePolicy=json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive}))
    return url, arn, dlq_url


def test_failing_express_target_redelivers_then_dead_letters(sqs, make_queue, state_machine,
                                                             make_pipe):
    observer, _ = make_queue("observer")
    url, source, dlq_url = redriven_source(make_queue)
    target = state_machine(observing(observer, {"Type": "Fail", "Error": "Nope", "Cause": "no"}),
                           type="EXPRESS")
    make_pipe(source, target)  # REQUEST_RESPONSE, the default
    sent = sqs.send_message(QueueUrl=url, MessageBody="doomed")["MessageId"]

    t0 = time.monotonic()
    attempts = observed(sqs, observer, 2)
    dead = wait_until(lambda: drain(sqs, dlq_url), what="the message in the dead-letter queue")
    elapsed = time.monotonic() - t0
    assert [[r["messageId"] for r in a] for a in attempts] == [[sent], [sent]]
    assert [a[0]["attributes"]["ApproximateReceiveCount"] for a in attempts] == ["1", "2"]
    assert [m["MessageId"] for m in dead] == [sent]
    assert dead[0]["Body"] == "doomed"
    assert dead[0]["Attributes"]["DeadLetterQueueSourceArn"] == source
    # Twice invisible for the 1 s visibility timeout: about 2 s, not the default 30.
    assert 1.5 <= elapsed < 8, elapsed
    assert queue_empty(sqs, url)
    assert drain(sqs, observer) == []  # no third attempt


def test_succeeding_express_target_deletes_the_batch(sqs, make_queue, state_machine, make_pipe):
    observer, _ = make_queue("observer")
    url, source, dlq_url = redriven_source(make_queue)
    target = state_machine(observing(observer, {"Type": "Succeed"}), type="EXPRESS")
    make_pipe(source, target)
    sent = sqs.send_message(QueueUrl=url, MessageBody="fine")["MessageId"]

    [attempt] = observed(sqs, observer, 1)
    assert [r["messageId"] for r in attempt] == [sent]
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    time.sleep(1.3)  # past the visibility timeout: it does not come back
    assert drain(sqs, observer) == []
    assert queue_empty(sqs, url)
    assert drain(sqs, dlq_url) == []


def test_express_target_batch_item_failures(pipes, sqs, make_queue, state_machine, make_pipe):
    observer, _ = make_queue("observer")
    url, source, dlq_url = redriven_source(make_queue)
    # Fails the first message of every batch it gets.
    target = state_machine(observing(observer, {
        "Type": "Pass", "End": True,
        "Parameters": {"batchItemFailures": [{"itemIdentifier.$": "$[0].messageId"}]}}),
        type="EXPRESS")
    name, _ = make_pipe(source, target, DesiredState="STOPPED")
    first, second = send_all(sqs, url, ["first", "second"])
    pipes.start_pipe(Name=name)

    attempts = observed(sqs, observer, 2)
    dead = wait_until(lambda: drain(sqs, dlq_url), what="the failed message dead-lettered")
    assert [[r["messageId"] for r in a] for a in attempts] == [[first, second], [first]]
    assert attempts[1][0]["attributes"]["ApproximateReceiveCount"] == "2"
    assert [m["MessageId"] for m in dead] == [first]
    assert queue_empty(sqs, url)


def lambda_calls(lambdas, function, source):
    return [c for c in lambdas.invocations(function)
            if c["payload"] and isinstance(c["payload"][0], dict)
            and c["payload"][0].get("eventSourceARN") == source]


def ids_and_counts(call):
    return [(r["messageId"], r["attributes"]["ApproximateReceiveCount"]) for r in call["payload"]]


def test_lambda_partial_batch_failure_returns_only_that_message(lambdas, pipes, sqs, make_queue,
                                                                make_pipe):
    url, source = make_queue(VisibilityTimeout=1)
    name, _ = make_pipe(source, function_arn("pb-partial"), DesiredState="STOPPED")
    ok1, bad, ok2 = send_all(sqs, url, ["ok-1", "fail-2", "ok-3"])
    pipes.start_pipe(Name=name)

    wait_until(lambda: len(lambda_calls(lambdas, "pb-partial", source)) >= 2, timeout=10,
               what="the failed message retried")
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    calls = lambda_calls(lambdas, "pb-partial", source)
    assert [ids_and_counts(c) for c in calls] == [
        [(ok1, "1"), (bad, "1"), (ok2, "1")],
        [(bad, "2")],
    ]
    assert calls[0]["invocation_type"] == "RequestResponse"
    # Back only after the visibility timeout (1 s) counted from the first receive.
    first_receive = int(calls[1]["payload"][0]["attributes"]["ApproximateFirstReceiveTimestamp"])
    assert calls[1]["wall_ms"] - first_receive >= 1000 - 20


def retried_whole(lambdas, pipes, sqs, make_queue, make_pipe, function):
    url, source = make_queue(VisibilityTimeout=1)
    name, _ = make_pipe(source, function_arn(function), DesiredState="STOPPED")
    ids = send_all(sqs, url, ["a", "b", "c"])
    pipes.start_pipe(Name=name)

    def retried():
        calls = lambda_calls(lambdas, function, source)
        return sum(len(c["payload"]) for c in calls) >= 6
    wait_until(retried, timeout=10, what="the whole batch retried")
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    calls = lambda_calls(lambdas, function, source)
    assert ids_and_counts(calls[0]) == [(i, "1") for i in ids]
    again = sorted(pair for c in calls[1:] for pair in ids_and_counts(c))
    assert again == sorted((i, "2") for i in ids)


def test_lambda_unknown_item_identifier_fails_the_whole_batch(lambdas, pipes, sqs, make_queue,
                                                              make_pipe):
    retried_whole(lambdas, pipes, sqs, make_queue, make_pipe, "pb-unknown-id")


def test_lambda_function_error_fails_the_whole_batch(lambdas, pipes, sqs, make_queue, make_pipe):
    retried_whole(lambdas, pipes, sqs, make_queue, make_pipe, "pb-broken")


def test_lambda_fire_and_forget(lambdas, pipes, sqs, make_queue, make_pipe):
    url, source = make_queue(VisibilityTimeout=1)
    parameters = {"LambdaFunctionParameters": {"InvocationType": "FIRE_AND_FORGET"}}
    name, _ = make_pipe(source, function_arn("pb-record"), TargetParameters=parameters)
    assert pipes.describe_pipe(Name=name)["TargetParameters"] == parameters
    sent = sqs.send_message(QueueUrl=url, MessageBody="event")["MessageId"]
    wait_until(lambda: lambda_calls(lambdas, "pb-record", source), what="the invocation")
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    [call] = lambda_calls(lambdas, "pb-record", source)
    assert call["invocation_type"] == "Event"
    assert ids_and_counts(call) == [(sent, "1")]
    assert call["payload"][0]["body"] == "event"


def test_express_state_machine_enrichment(pipes, sqs, sfn, make_queue, state_machine, make_pipe):
    url, source = make_queue()
    enrich = state_machine({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "End": True,
        "ItemProcessor": {"StartAt": "Add", "States": {"Add": {
            "Type": "Pass", "End": True,
            "Parameters": {"id.$": "$.messageId", "body.$": "$.body", "enriched": True}}}}}}},
        type="EXPRESS")
    target = state_machine(PASS)
    name, _ = make_pipe(source, target, Enrichment=enrich, DesiredState="STOPPED",
                        TargetParameters=FIRE_AND_FORGET)
    ids = send_all(sqs, url, ["one", "two"])
    pipes.start_pipe(Name=name)

    [(execution, events)] = wait_for_records(sfn, target, 2)
    assert execution == ids[0]
    assert events == [{"id": ids[0], "body": "one", "enriched": True},
                      {"id": ids[1], "body": "two", "enriched": True}]
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")


def test_lambda_enrichment_with_templates(lambdas, sqs, sfn, make_queue, state_machine,
                                          make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    make_pipe(source, target, Enrichment=function_arn("pb-enrich"),
              EnrichmentParameters={"InputTemplate": '{"order": <$.body.orderId>, '
                                                     '"source": <aws.pipes.source-arn>}'},
              TargetParameters={"InputTemplate": '{"order": <$.order>, "by": <$.enrichedBy>}',
                                **FIRE_AND_FORGET})
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"orderId": 31}))
    [(_, events)] = wait_for_records(sfn, target, 1)
    assert events == [{"order": 31, "by": "lambda"}]
    [call] = [c for c in lambdas.invocations("pb-enrich")
              if c["payload"] == [{"order": 31, "source": source}]]
    assert call["invocation_type"] == "RequestResponse"


def test_failed_enrichment_retries_the_batch(lambdas, sqs, sfn, make_queue, state_machine,
                                             make_pipe):
    url, source = make_queue(VisibilityTimeout=1)
    target = state_machine(PASS)
    make_pipe(source, target, Enrichment=function_arn("pb-flaky-enrich"),
              TargetParameters=FIRE_AND_FORGET)
    sent = sqs.send_message(QueueUrl=url, MessageBody="enrich me")["MessageId"]

    [(execution, [event])] = wait_for_records(sfn, target, 1)
    assert execution == sent
    assert event["messageId"] == sent
    assert event["enrichedBy"] == "lambda"
    assert event["attributes"]["ApproximateReceiveCount"] == "2"
    calls = lambda_calls(lambdas, "pb-flaky-enrich", source)
    assert [ids_and_counts(c) for c in calls] == [[(sent, "1")], [(sent, "2")]]
    assert len(execution_inputs(sfn, target)) == 1
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")


def test_express_fire_and_forget_deletes_once_started(sqs, make_queue, state_machine,
                                                      make_pipe):
    observer, _ = make_queue("observer")
    url, source, dlq_url = redriven_source(make_queue)
    # Even an execution that fails: FIRE_AND_FORGET only starts it.
    target = state_machine(observing(observer, {"Type": "Fail", "Error": "Nope"}),
                           type="EXPRESS")
    make_pipe(source, target, TargetParameters=FIRE_AND_FORGET)
    sent = sqs.send_message(QueueUrl=url, MessageBody="go")["MessageId"]
    [attempt] = observed(sqs, observer, 1)
    assert [r["messageId"] for r in attempt] == [sent]
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    time.sleep(1.3)  # past the visibility timeout: it does not come back
    assert drain(sqs, observer) == []
    assert drain(sqs, dlq_url) == []


def test_fifo_failure_holds_its_group_until_dead_lettered(pipes, sqs, make_queue, state_machine,
                                                          make_pipe):
    # A FIFO observer with one group: its order is the order the attempts happened in.
    observer, _ = make_queue("observer", fifo=True, ContentBasedDeduplication="true")
    url, source, dlq_url = redriven_source(make_queue, fifo=True)
    observe = {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
               "Parameters": {"QueueUrl": observer, "MessageGroupId": "all",
                              "MessageBody.$": "States.JsonToString($)"},
               "ResultPath": None, "Next": "Check"}
    check = {"Type": "Choice", "Default": "Ok",
             "Choices": [{"Variable": "$[0].body", "StringEquals": "bad", "Next": "No"}]}
    target = state_machine({"StartAt": "Observe", "States": {
        "Observe": observe, "Check": check, "Ok": {"Type": "Succeed"},
        "No": {"Type": "Fail", "Error": "Bad"}}}, type="EXPRESS")
    name, _ = make_pipe(source, target, DesiredState="STOPPED",
                        SourceParameters={"SqsQueueParameters": {"BatchSize": 1}})
    for group, body in [("A", "bad"), ("B", "b1"), ("A", "a2"), ("B", "b2"), ("A", "a3")]:
        sqs.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group,
                         MessageDeduplicationId=body)
    pipes.start_pipe(Name=name)

    attempts = [(a[0]["attributes"]["MessageGroupId"], a[0]["body"],
                 a[0]["attributes"]["ApproximateReceiveCount"])
                for a in observed(sqs, observer, 6, timeout=15)]
    dead = wait_until(lambda: drain(sqs, dlq_url), what="the failing message dead-lettered")
    assert [m["Body"] for m in dead] == ["bad"]
    assert [a[1:] for a in attempts if a[0] == "A"] == [
        ("bad", "1"), ("bad", "2"), ("a2", "1"), ("a3", "1")]
    assert [a[1:] for a in attempts if a[0] == "B"] == [("b1", "1"), ("b2", "1")]
    # Group B did not wait for group A's retries.
    assert attempts.index(("B", "b2", "1")) < attempts.index(("A", "bad", "2"))
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")


def test_lambda_partial_failure_on_fifo_retries_only_the_named_message(lambdas, pipes, sqs,
                                                                      make_queue, make_pipe):
    url, source = make_queue(fifo=True, VisibilityTimeout=1)
    name, _ = make_pipe(source, function_arn("pb-partial"), DesiredState="STOPPED")
    ids = [sqs.send_message(QueueUrl=url, MessageBody=b, MessageGroupId="g",
                            MessageDeduplicationId=b)["MessageId"]
           for b in ["ok-1", "fail-2", "ok-3"]]
    pipes.start_pipe(Name=name)

    wait_until(lambda: len(lambda_calls(lambdas, "pb-partial", source)) >= 2, timeout=10,
               what="the failed messages retried")
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    calls = lambda_calls(lambdas, "pb-partial", source)
    # Exactly the message the function named comes back (as Lambda's SQS event source does:
    # keeping a group's order after a failure is the function's part, by naming what follows).
    assert [ids_and_counts(c) for c in calls] == [
        [(ids[0], "1"), (ids[1], "1"), (ids[2], "1")],
        [(ids[1], "2")],
    ]


def test_enrichment_returning_nothing_settles_the_batch(lambdas, sqs, sfn, make_queue,
                                                        state_machine, make_pipe):
    url, source = make_queue(VisibilityTimeout=1)
    enrich = state_machine({"StartAt": "None", "States": {
        "None": {"Type": "Pass", "Result": [], "End": True}}}, type="EXPRESS")
    target = state_machine(PASS)
    make_pipe(source, target, Enrichment=enrich, TargetParameters=FIRE_AND_FORGET)
    sqs.send_message(QueueUrl=url, MessageBody="dropped by the enrichment")
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    time.sleep(1.3)
    assert queue_empty(sqs, url)
    assert execution_inputs(sfn, target) == []
