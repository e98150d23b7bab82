"""State machines, versions, aliases, tags and activities through boto3 (and the raw JSON 1.0
protocol for the actions Debian's boto3 does not know yet)."""

import json

import pytest

from sfn_helpers import PASS, PASS_CHOICE_MAP, PREFIX, ROLE, error_name, wait_definition
from sfn_fixtures import machine, name, raw, sfn  # noqa: F401 (fixtures)


def test_create_describe_update_list_delete(sfn, name, raw):
    n = name()
    out = sfn.create_state_machine(name=n, definition=PASS, roleArn=ROLE,
                                   tags=[{"key": "team", "value": "core"}])
    arn = out["stateMachineArn"]
    assert arn == f"{PREFIX}stateMachine:{n}"
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert d["name"] == n and d["status"] == "ACTIVE" and d["type"] == "STANDARD"
    assert d["definition"] == PASS
    assert d["roleArn"] == ROLE
    assert d["loggingConfiguration"] == {"level": "OFF", "includeExecutionData": False}
    assert d["tracingConfiguration"] == {"enabled": False}
    assert d["creationDate"] == out["creationDate"]

    u = sfn.update_state_machine(stateMachineArn=arn, definition=wait_definition(1))
    assert "updateDate" in u
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert d["definition"] == wait_definition(1)
    # revisionId is newer than Debian's botocore: read it off the wire.
    status, body = raw("DescribeStateMachine", {"stateMachineArn": arn})
    assert status == 200 and len(body["revisionId"]) == 36

    names = [m["name"] for m in sfn.list_state_machines()["stateMachines"]]
    assert n in names and names == sorted(names)
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(sfn.exceptions.StateMachineDoesNotExist):
        sfn.describe_state_machine(stateMachineArn=arn)


def test_create_is_idempotent_and_conflicts_on_change(sfn, machine, name):
    n = name()
    arn = machine(PASS, name=n)
    again = sfn.create_state_machine(name=n, definition=PASS, roleArn=ROLE)
    assert again["stateMachineArn"] == arn
    with pytest.raises(sfn.exceptions.StateMachineAlreadyExists) as e:
        sfn.create_state_machine(name=n, definition=wait_definition(1), roleArn=ROLE)
    assert e.value.response["Error"]["Message"] == f"State Machine Already Exists: '{arn}'"


def test_express_machines_and_configurations(sfn, machine):
    arn = machine(PASS_CHOICE_MAP, type="EXPRESS",
                  loggingConfiguration={"level": "ALL", "includeExecutionData": True,
                                        "destinations": [{"cloudWatchLogsLogGroup": {
                                            "logGroupArn": "arn:aws:logs:us-east-1:123456789012"
                                                           ":log-group:sfn:*"}}]},
                  tracingConfiguration={"enabled": True})
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert d["type"] == "EXPRESS"
    assert d["loggingConfiguration"]["level"] == "ALL"
    assert d["tracingConfiguration"] == {"enabled": True}


def test_list_state_machines_pages(sfn, machine, name):
    prefix = name("page")
    for i in range(5):
        machine(PASS, name=f"{prefix}-{i}")
    seen, token = [], None
    while True:
        kwargs = {"maxResults": 2}
        if token:
            kwargs["nextToken"] = token
        page = sfn.list_state_machines(**kwargs)
        assert len(page["stateMachines"]) <= 2
        seen += [m["name"] for m in page["stateMachines"]]
        token = page.get("nextToken")
        if not token:
            break
    assert [s for s in seen if s.startswith(prefix)] == [f"{prefix}-{i}" for i in range(5)]


def test_versions_through_publish_and_update(sfn, machine, raw, name):
    # CreateStateMachine's publish is newer than Debian's botocore: on the wire.
    n = name()
    status, body = raw("CreateStateMachine", {"name": n, "definition": PASS, "roleArn": ROLE,
                                              "publish": True, "versionDescription": "first"})
    assert status == 200 and body["stateMachineVersionArn"] == body["stateMachineArn"] + ":1"
    arn = machine(PASS, name=n)  # idempotent: the same machine, deleted after the test
    status, body = raw("DescribeStateMachine", {"stateMachineArn": f"{arn}:1"})
    assert status == 200 and body["description"] == "first" and body["definition"] == PASS
    sfn.update_state_machine(stateMachineArn=arn, definition=wait_definition(1))
    status, body = raw("PublishStateMachineVersion", {"stateMachineArn": arn, "description": "2"})
    assert status == 200 and body["stateMachineVersionArn"] == f"{arn}:2"
    # Nothing changed since: publishing again returns the same version.
    status, body = raw("PublishStateMachineVersion", {"stateMachineArn": arn})
    assert body["stateMachineVersionArn"] == f"{arn}:2"
    status, body = raw("ListStateMachineVersions", {"stateMachineArn": arn})
    assert [v["stateMachineVersionArn"] for v in body["stateMachineVersions"]] == \
        [f"{arn}:2", f"{arn}:1"]
    status, body = raw("DeleteStateMachineVersion", {"stateMachineVersionArn": f"{arn}:2"})
    assert status == 200
    status, body = raw("DescribeStateMachine", {"stateMachineArn": f"{arn}:2"})
    assert status == 400 and error_name(body) == "StateMachineDoesNotExist"


def test_aliases(sfn, machine, raw):
    arn = machine(PASS)
    raw("PublishStateMachineVersion", {"stateMachineArn": arn})
    sfn.update_state_machine(stateMachineArn=arn, definition=wait_definition(1))
    raw("PublishStateMachineVersion", {"stateMachineArn": arn})
    status, body = raw("CreateStateMachineAlias", {
        "name": "live", "description": "prod traffic",
        "routingConfiguration": [{"stateMachineVersionArn": f"{arn}:1", "weight": 80},
                                 {"stateMachineVersionArn": f"{arn}:2", "weight": 20}]})
    assert status == 200, body
    alias = body["stateMachineAliasArn"]
    assert alias == f"{arn}:live"
    status, body = raw("DescribeStateMachineAlias", {"stateMachineAliasArn": alias})
    assert body["name"] == "live" and len(body["routingConfiguration"]) == 2
    status, body = raw("UpdateStateMachineAlias", {
        "stateMachineAliasArn": alias,
        "routingConfiguration": [{"stateMachineVersionArn": f"{arn}:1", "weight": 100}]})
    assert status == 200 and "updateDate" in body
    status, body = raw("ListStateMachineAliases", {"stateMachineArn": arn})
    assert [a["stateMachineAliasArn"] for a in body["stateMachineAliases"]] == [alias]
    # Executions through the alias run version 1 and say so.
    ex = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    d = sfn.describe_execution(executionArn=ex)
    assert d["status"] == "SUCCEEDED"
    status, body = raw("DescribeExecution", {"executionArn": ex})
    assert body["stateMachineAliasArn"] == alias
    assert body["stateMachineVersionArn"] == f"{arn}:1"
    status, body = raw("DeleteStateMachineVersion", {"stateMachineVersionArn": f"{arn}:1"})
    assert status == 400 and error_name(body) == "ConflictException"
    status, body = raw("CreateStateMachineAlias", {
        "name": "bad", "routingConfiguration": [{"stateMachineVersionArn": f"{arn}:1",
                                                 "weight": 60}]})
    assert status == 400 and error_name(body) == "ValidationException"
    assert body["message"] == "Sum of routing configuration weights must equal 100. Received: [60]"
    assert raw("DeleteStateMachineAlias", {"stateMachineAliasArn": alias})[0] == 200
    status, body = raw("DescribeStateMachineAlias", {"stateMachineAliasArn": alias})
    assert status == 400 and error_name(body) == "ResourceNotFound"


def test_validate_state_machine_definition(raw):
    status, body = raw("ValidateStateMachineDefinition", {"definition": PASS})
    assert status == 200 and body == {"result": "OK", "diagnostics": [], "truncated": False}
    bad = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}})
    status, body = raw("ValidateStateMachineDefinition", {"definition": bad})
    assert body["result"] == "FAIL"
    assert body["diagnostics"][0]["severity"] == "ERROR"
    assert body["diagnostics"][0]["location"].startswith("/States/A")


def test_tags_on_machines_and_activities(sfn, machine, name):
    arn = machine(PASS, tags=[{"key": "a", "value": "1"}])
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "b", "value": "2"}, {"key": "a", "value": "3"}])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [
        {"key": "a", "value": "3"}, {"key": "b", "value": "2"}]
    sfn.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "b", "value": "2"}]
    with pytest.raises(sfn.exceptions.TooManyTags):
        sfn.tag_resource(resourceArn=arn,
                         tags=[{"key": f"k{i}", "value": "v"} for i in range(50)])
    act = sfn.create_activity(name=name(), tags=[{"key": "x", "value": "y"}])["activityArn"]
    try:
        assert sfn.list_tags_for_resource(resourceArn=act)["tags"] == [{"key": "x", "value": "y"}]
    finally:
        sfn.delete_activity(activityArn=act)
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.list_tags_for_resource(resourceArn=act)


def test_activities_crud(sfn, name):
    n = name()
    created = sfn.create_activity(name=n)
    arn = created["activityArn"]
    assert arn == f"{PREFIX}activity:{n}"
    assert sfn.create_activity(name=n)["activityArn"] == arn  # idempotent
    d = sfn.describe_activity(activityArn=arn)
    assert d["name"] == n and d["creationDate"] == created["creationDate"]
    assert arn in [a["activityArn"] for a in sfn.list_activities()["activities"]]
    sfn.delete_activity(activityArn=arn)
    sfn.delete_activity(activityArn=arn)  # deleting twice is fine
    with pytest.raises(sfn.exceptions.ActivityDoesNotExist):
        sfn.describe_activity(activityArn=arn)
    with pytest.raises(sfn.exceptions.InvalidName):
        sfn.create_activity(name="bad name$")
