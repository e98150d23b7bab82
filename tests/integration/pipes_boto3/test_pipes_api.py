"""The Pipes API through boto3 (REST-JSON): create, describe, list, update, start, stop, delete,
tags, and the errors as botocore parses them."""

import datetime
import json

import botocore.exceptions
import pytest

from pipes_helpers import (ACCOUNT, PASS, REGION, ROLE, describe_state, error_of, execution_inputs,
                           queue_empty, unique, wait_for_records, wait_for_state, wait_until)


FIRE_AND_FORGET = {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}


def pipe_arn(name):
    return f"arn:aws:pipes:{REGION}:{ACCOUNT}:pipe/{name}"


def near_now(when):
    now = datetime.datetime.now(datetime.timezone.utc)
    return abs((now - when).total_seconds()) < 30


def test_create_answers_creating_and_describe_echoes_every_member(pipes, make_queue, state_machine,
                                                                  make_pipe):
    _, source = make_queue()
    target = state_machine(PASS)
    enrichment = state_machine(PASS, type="EXPRESS")
    pattern = json.dumps({"body": {"kind": ["order"]}})
    members = dict(
        Description="orders to the workflow",
        DesiredState="RUNNING",
        SourceParameters={
            "FilterCriteria": {"Filters": [{"Pattern": pattern}]},
            "SqsQueueParameters": {"BatchSize": 5, "MaximumBatchingWindowInSeconds": 2},
        },
        Enrichment=enrichment,
        EnrichmentParameters={"InputTemplate": '{"id": <$.messageId>}'},
        TargetParameters={
            "InputTemplate": '{"order": <$.id>}',
            "StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"},
        },
        Tags={"team": "orders", "env": "test"},
    )
    name, created = make_pipe(source, target, **members)

    assert created["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert created["Arn"] == pipe_arn(name)
    assert created["Name"] == name
    assert created["DesiredState"] == "RUNNING"
    assert created["CurrentState"] == "CREATING"
    assert near_now(created["CreationTime"])
    assert created["LastModifiedTime"] == created["CreationTime"]

    d = pipes.describe_pipe(Name=name)
    assert d["Arn"] == pipe_arn(name)
    assert d["Name"] == name
    assert d["Source"] == source
    assert d["Target"] == target
    assert d["RoleArn"] == ROLE
    assert d["CurrentState"] == "RUNNING"
    assert "StateReason" not in d
    assert d["CreationTime"] == created["CreationTime"]
    assert d["LastModifiedTime"] == created["LastModifiedTime"]
    for member in ("Description", "DesiredState", "SourceParameters", "Enrichment",
                   "EnrichmentParameters", "TargetParameters", "Tags"):
        assert d[member] == members[member], member


def test_desired_state_stopped_at_create_then_start_and_stop(pipes, make_queue, state_machine,
                                                             make_pipe):
    _, source = make_queue()
    target = state_machine(PASS)
    name, created = make_pipe(
        source, target, DesiredState="STOPPED",
        TargetParameters={"StepFunctionStateMachineParameters":
                          {"InvocationType": "FIRE_AND_FORGET"}})
    assert (created["DesiredState"], created["CurrentState"]) == ("STOPPED", "CREATING")
    d = pipes.describe_pipe(Name=name)
    assert (d["DesiredState"], d["CurrentState"]) == ("STOPPED", "STOPPED")

    started = pipes.start_pipe(Name=name)
    assert started["Arn"] == pipe_arn(name)
    assert (started["DesiredState"], started["CurrentState"]) == ("RUNNING", "STARTING")
    assert started["LastModifiedTime"] >= started["CreationTime"]
    wait_for_state(pipes, name, "RUNNING")
    assert pipes.describe_pipe(Name=name)["DesiredState"] == "RUNNING"

    stopped = pipes.stop_pipe(Name=name)
    assert (stopped["DesiredState"], stopped["CurrentState"]) == ("STOPPED", "STOPPING")
    wait_for_state(pipes, name, "STOPPED")
    assert pipes.describe_pipe(Name=name)["DesiredState"] == "STOPPED"


def test_list_pipes_filters_and_pages(pipes, make_queue, state_machine, make_pipe):
    prefix = unique("lp") + "-"
    _, source_a = make_queue()
    _, source_b = make_queue()
    target_a = state_machine(PASS)
    target_b = state_machine(PASS)
    ff = {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}
    made = {}
    for suffix, source, target, desired in [("1", source_a, target_a, "RUNNING"),
                                            ("2", source_a, target_b, "RUNNING"),
                                            ("3", source_b, target_a, "STOPPED"),
                                            ("4", source_b, target_b, "RUNNING"),
                                            ("5", source_a, target_a, "STOPPED")]:
        name, _ = make_pipe(source, target, name=prefix + suffix, DesiredState=desired,
                            TargetParameters=ff)
        made[name] = (source, target, desired)
    for name, (_, _, desired) in made.items():
        wait_for_state(pipes, name, desired)

    every = pipes.list_pipes(NamePrefix=prefix)
    assert "NextToken" not in every
    assert [p["Name"] for p in every["Pipes"]] == sorted(made)
    for p in every["Pipes"]:
        source, target, desired = made[p["Name"]]
        assert p["Arn"] == pipe_arn(p["Name"])
        assert (p["Source"], p["Target"]) == (source, target)
        assert (p["DesiredState"], p["CurrentState"]) == (desired, desired)
        assert near_now(p["CreationTime"]) and near_now(p["LastModifiedTime"])

    def names(**filters):
        return sorted(p["Name"] for p in pipes.list_pipes(NamePrefix=prefix, **filters)["Pipes"])

    assert names(SourcePrefix=source_b) == [prefix + "3", prefix + "4"]
    assert names(TargetPrefix=target_b) == [prefix + "2", prefix + "4"]
    assert names(SourcePrefix=source_a, TargetPrefix=target_a) == [prefix + "1", prefix + "5"]
    assert names(DesiredState="STOPPED") == [prefix + "3", prefix + "5"]
    assert names(CurrentState="RUNNING") == [prefix + "1", prefix + "2", prefix + "4"]
    assert names(CurrentState="STOPPED", SourcePrefix=source_b) == [prefix + "3"]
    assert sorted(p["Name"] for p in pipes.list_pipes(NamePrefix=prefix + "4")["Pipes"]) == [
        prefix + "4"]

    pages, kwargs = [], {"NamePrefix": prefix, "Limit": 2}
    while True:
        page = pipes.list_pipes(**kwargs)
        pages.append([p["Name"] for p in page["Pipes"]])
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert pages == [sorted(made)[0:2], sorted(made)[2:4], sorted(made)[4:5]]


def test_update_pipe_answers_updating_and_changes_what_it_names(pipes, make_queue, state_machine,
                                                                make_pipe):
    _, source = make_queue()
    target = state_machine(PASS)
    other = state_machine(PASS)
    name, created = make_pipe(
        source, target, Description="before",
        SourceParameters={"SqsQueueParameters": {"BatchSize": 3}},
        TargetParameters={"InputTemplate": '{"a": 1}',
                          "StepFunctionStateMachineParameters":
                          {"InvocationType": "FIRE_AND_FORGET"}},
        Tags={"keep": "me"})
    updated = pipes.update_pipe(
        Name=name, RoleArn=ROLE, Description="after", Target=other,
        SourceParameters={"SqsQueueParameters": {"BatchSize": 7,
                                                 "MaximumBatchingWindowInSeconds": 1}})
    assert updated["Arn"] == pipe_arn(name)
    assert (updated["DesiredState"], updated["CurrentState"]) == ("RUNNING", "UPDATING")
    assert updated["CreationTime"] == created["CreationTime"]
    assert updated["LastModifiedTime"] >= created["LastModifiedTime"]

    d = pipes.describe_pipe(Name=name)
    assert d["CurrentState"] == "RUNNING"
    assert d["Description"] == "after"
    assert d["Target"] == other
    assert d["Source"] == source
    assert d["SourceParameters"] == {
        "SqsQueueParameters": {"BatchSize": 7, "MaximumBatchingWindowInSeconds": 1}}
    # Not in the request: kept.
    assert d["TargetParameters"] == {"InputTemplate": '{"a": 1}',
                                     "StepFunctionStateMachineParameters":
                                     {"InvocationType": "FIRE_AND_FORGET"}}
    assert d["Tags"] == {"keep": "me"}

    stopped = pipes.update_pipe(Name=name, RoleArn=ROLE, DesiredState="STOPPED")
    assert (stopped["DesiredState"], stopped["CurrentState"]) == ("STOPPED", "UPDATING")
    wait_for_state(pipes, name, "STOPPED")


def test_update_pipe_removes_an_enrichment_and_changes_the_target_kind(pipes, make_queue,
                                                                       state_machine, make_pipe):
    _, source = make_queue()
    _, queue_target = make_queue("routed")
    name, _ = make_pipe(source, state_machine(PASS),
                        Enrichment=state_machine(PASS, type="EXPRESS"),
                        EnrichmentParameters={"InputTemplate": '{"a": 1}'},
                        TargetParameters=FIRE_AND_FORGET)
    pipes.update_pipe(Name=name, RoleArn=ROLE, Enrichment="", Target=queue_target)
    d = pipes.describe_pipe(Name=name)
    assert d["CurrentState"] == "RUNNING"
    assert d["Target"] == queue_target
    assert "Enrichment" not in d and "EnrichmentParameters" not in d
    # The state machine's parameters went with it.
    assert "StepFunctionStateMachineParameters" not in d.get("TargetParameters", {})


def test_delete_pipe_answers_deleting_then_not_found(pipes, make_queue, state_machine, make_pipe):
    _, source = make_queue()
    name, _ = make_pipe(source, state_machine(PASS), TargetParameters={
        "StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}})
    deleted = pipes.delete_pipe(Name=name)
    assert deleted["Arn"] == pipe_arn(name)
    assert (deleted["DesiredState"], deleted["CurrentState"]) == ("DELETED", "DELETING")

    def gone():
        try:
            pipes.describe_pipe(Name=name)
            return False
        except botocore.exceptions.ClientError as e:
            return e.response["Error"]["Code"] == "NotFoundException"

    wait_until(gone, what="DescribePipe NotFoundException")
    assert name not in [p["Name"] for p in pipes.list_pipes(NamePrefix=name)["Pipes"]]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        pipes.delete_pipe(Name=name)
    code, message, status, _ = error_of(e)
    assert (code, status) == ("NotFoundException", 404)
    assert name in message


def test_tags(pipes, make_queue, state_machine, make_pipe):
    _, source = make_queue()
    name, created = make_pipe(source, state_machine(PASS), Tags={"team": "a"}, TargetParameters={
        "StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}})
    arn = created["Arn"]
    assert pipes.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "a"}

    pipes.tag_resource(resourceArn=arn, tags={"env": "dev", "team": "b"})
    assert pipes.list_tags_for_resource(resourceArn=arn)["tags"] == {"team": "b", "env": "dev"}
    assert pipes.describe_pipe(Name=name)["Tags"] == {"team": "b", "env": "dev"}

    pipes.untag_resource(resourceArn=arn, tagKeys=["team", "absent"])
    assert pipes.list_tags_for_resource(resourceArn=arn)["tags"] == {"env": "dev"}
    assert pipes.describe_pipe(Name=name)["Tags"] == {"env": "dev"}

    missing = pipe_arn(name + "-nope")
    for call in (lambda: pipes.list_tags_for_resource(resourceArn=missing),
                 lambda: pipes.tag_resource(resourceArn=missing, tags={"a": "b"}),
                 lambda: pipes.untag_resource(resourceArn=missing, tagKeys=["a"])):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        code, message, status, _ = error_of(e)
        assert (code, status) == ("NotFoundException", 404)
        assert missing in message


def test_not_found_for_every_action_on_a_missing_pipe(pipes):
    name = "no-such-pipe-here"
    for call in (lambda: pipes.describe_pipe(Name=name),
                 lambda: pipes.update_pipe(Name=name, RoleArn=ROLE),
                 lambda: pipes.start_pipe(Name=name),
                 lambda: pipes.stop_pipe(Name=name),
                 lambda: pipes.delete_pipe(Name=name)):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        code, message, status, r = error_of(e)
        assert (code, status) == ("NotFoundException", 404)
        assert message == f"Pipe {name} does not exist."
        assert r["message"] == message


def test_conflict_when_the_name_exists(pipes, make_queue, state_machine, make_pipe):
    _, source = make_queue()
    target = state_machine(PASS)
    ff = {"StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}}
    name, _ = make_pipe(source, target, TargetParameters=ff)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        pipes.create_pipe(Name=name, Source=source, Target=target, RoleArn=ROLE,
                          TargetParameters=ff)
    code, message, status, r = error_of(e)
    assert (code, status) == ("ConflictException", 409)
    assert message == f"Pipe {name} already exists."
    assert (r["resourceId"], r["resourceType"]) == (name, "pipe")


def validation_error(client, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        client.create_pipe(RoleArn=ROLE, **kwargs)
    code, message, status, r = error_of(e)
    assert (code, status) == ("ValidationException", 400), r
    return message, r["fieldList"]


def test_a_missing_source_queue_fails_the_pipe_until_it_exists(pipes, sqs, make_queue,
                                                                state_machine, make_pipe):
    _, existing = make_queue()
    name_of_missing = unique("later")
    missing = existing.rsplit(":", 1)[0] + ":" + name_of_missing
    name, _ = make_pipe(missing, state_machine(PASS), TargetParameters=FIRE_AND_FORGET)
    d = pipes.describe_pipe(Name=name)
    assert d["CurrentState"] == "CREATE_FAILED"
    assert missing in d["StateReason"]

    url = sqs.create_queue(QueueName=name_of_missing)["QueueUrl"]
    try:
        started = pipes.start_pipe(Name=name)
        assert started["CurrentState"] == "STARTING"
        d = pipes.describe_pipe(Name=name)
        assert d["CurrentState"] == "RUNNING"
        assert "StateReason" not in d
    finally:
        sqs.delete_queue(QueueUrl=url)


def test_a_standard_machine_cannot_enrich(pipes, make_queue, state_machine, make_pipe):
    _, source = make_queue()
    standard = state_machine(PASS)
    name, _ = make_pipe(source, state_machine(PASS), Enrichment=standard,
                        TargetParameters=FIRE_AND_FORGET)
    d = pipes.describe_pipe(Name=name)
    assert d["CurrentState"] == "CREATE_FAILED"
    assert standard in d["StateReason"] and "EXPRESS" in d["StateReason"]


def test_validation_errors_name_the_field(raw_pipes, make_queue, state_machine):
    _, source = make_queue()
    _, fifo_target = make_queue(fifo=True)
    target = state_machine(PASS)

    message, fields = validation_error(raw_pipes, Name="p-batch0", Source=source, Target=target,
                                       SourceParameters={"SqsQueueParameters": {"BatchSize": 0}})
    assert fields == [{"name": "SourceParameters.SqsQueueParameters.BatchSize",
                       "message": "numeric instance is lower than the required minimum "
                                  "(minimum: 1, found: 0)"}]
    assert "minimum: 1, found: 0" in message

    message, fields = validation_error(raw_pipes, Name="bad name!", Source=source, Target=target)
    assert [f["name"] for f in fields] == ["Name"]
    assert "bad name!" in fields[0]["message"]

    message, fields = validation_error(raw_pipes, Name="x" * 65, Source=source, Target=target)
    assert [f["name"] for f in fields] == ["Name"]
    assert "too long" in fields[0]["message"]

    # More than 10 messages a batch needs a batching window.
    message, fields = validation_error(raw_pipes, Name="p-batch20", Source=source, Target=target,
                                       SourceParameters={"SqsQueueParameters": {"BatchSize": 20}})
    assert [f["name"] for f in fields] == [
        "SourceParameters.SqsQueueParameters.MaximumBatchingWindowInSeconds"]

    kinesis = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/orders"
    message, fields = validation_error(raw_pipes, Name="p-kinesis", Source=kinesis, Target=target)
    assert [f["name"] for f in fields] == ["Source"]
    assert kinesis in fields[0]["message"] and kinesis in message

    sns = f"arn:aws:sns:{REGION}:{ACCOUNT}:orders-topic"
    message, fields = validation_error(raw_pipes, Name="p-sns", Source=source, Target=sns)
    assert [f["name"] for f in fields] == ["Target"]
    assert sns in fields[0]["message"]

    message, fields = validation_error(raw_pipes, Name="p-fifo", Source=source, Target=fifo_target)
    assert [f["name"] for f in fields] == ["TargetParameters.SqsQueueParameters"]

    # None of them was created.
    for name in ("p-batch0", "p-batch20", "p-kinesis", "p-sns", "p-fifo"):
        assert raw_pipes.list_pipes(NamePrefix=name)["Pipes"] == []


def test_standard_machine_request_response_fails_until_fire_and_forget(
        pipes, sqs, sfn, make_queue, state_machine, make_pipe):
    url, source = make_queue()
    target = state_machine(PASS)
    sent = sqs.send_message(QueueUrl=url, MessageBody="waiting")["MessageId"]
    name, created = make_pipe(source, target)  # InvocationType defaults to REQUEST_RESPONSE
    assert created["CurrentState"] == "CREATING"

    d = pipes.describe_pipe(Name=name)
    assert d["CurrentState"] == "CREATE_FAILED"
    assert "FIRE_AND_FORGET" in d["StateReason"]
    assert target in d["StateReason"]
    [listed] = pipes.list_pipes(NamePrefix=name, CurrentState="CREATE_FAILED")["Pipes"]
    assert listed["Name"] == name
    assert listed["StateReason"] == d["StateReason"]
    # Nothing is consumed while it cannot deliver.
    assert execution_inputs(sfn, target) == []
    assert sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])[
        "Attributes"]["ApproximateNumberOfMessages"] == "1"

    updated = pipes.update_pipe(Name=name, RoleArn=ROLE, TargetParameters={
        "StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}})
    assert updated["CurrentState"] == "UPDATING"
    d = pipes.describe_pipe(Name=name)
    assert d["CurrentState"] == "RUNNING"
    assert "StateReason" not in d
    [(execution, records)] = wait_for_records(sfn, target, 1)
    assert execution == sent
    assert [r["body"] for r in records] == ["waiting"]
    wait_until(lambda: queue_empty(sqs, url), what="the source queue empty")
    assert describe_state(pipes, name) == "RUNNING"
