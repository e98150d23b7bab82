"""`sluice --template`: a SAM application (app/app.yaml) loaded at start and driven with boto3;
restarts with the same template; templates that must refuse start, and what they say."""

import json
import time

import boto3
import pytest
from botocore.config import Config

from conftest import HERE

ACCOUNT = "000000000000"
REGION = "us-east-1"
CREDS = dict(aws_access_key_id="x", aws_secret_access_key="x", region_name=REGION)


def client(service, server):
    config = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5,
                    read_timeout=30, inject_host_prefix=False)
    return boto3.session.Session().client(service, endpoint_url=server.endpoint, config=config,
                                          **CREDS)


def queue_names(sqs):
    return sorted(url.rsplit("/", 1)[1] for url in sqs.list_queues().get("QueueUrls", []))


def attributes(sqs, name):
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]


def receive_one(sqs, name, timeout=10.0):
    url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", [])
        if got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
            return got[0]
    raise AssertionError(f"nothing arrived on {name} within {timeout}s")


def log_of(server):
    return server.log_path.read_text(errors="replace")


def app_args(app_dir, *extra):
    return ["--template", app_dir / "app.yaml", "--template-parameter", "Team=payments", *extra]


def test_the_application_is_created_and_runs(start, app_dir):
    server = start(*app_args(app_dir))
    sqs, sfn, pipes = client("sqs", server), client("stepfunctions", server), \
        client("pipes", server)

    # Queues: named, or by logical id (FIFO ones get .fifo); the IsProd queue is left out.
    assert queue_names(sqs) == ["Ledger.fifo", "Results", "orders-dev", "orders-dlq-dev"]
    orders = attributes(sqs, "orders-dev")
    dlq = attributes(sqs, "orders-dlq-dev")
    assert orders["VisibilityTimeout"] == "30"
    assert json.loads(orders["RedrivePolicy"]) == {
        "deadLetterTargetArn": dlq["QueueArn"], "maxReceiveCount": 2}
    assert dlq["MessageRetentionPeriod"] == "1209600"
    orders_url = sqs.get_queue_url(QueueName="orders-dev")["QueueUrl"]
    assert sqs.list_queue_tags(QueueUrl=orders_url)["Tags"] == {"team": "payments"}
    policy = json.loads(orders["Policy"])
    assert policy["Statement"][0]["Resource"] == orders["QueueArn"]
    assert policy["Statement"][0]["Principal"] == {"Service": "pipes.amazonaws.com"}
    ledger = attributes(sqs, "Ledger.fifo")
    assert ledger["FifoQueue"] == "true" and ledger["ContentBasedDeduplication"] == "true"

    # The activity, named with the stack name (the template file's name).
    assert [a["name"] for a in sfn.list_activities()["activities"]] == ["app-worker"]

    # The state machine, its definition file substituted.
    machines = sfn.list_state_machines()["stateMachines"]
    assert [m["name"] for m in machines] == ["OrderFlow"]
    machine_arn = machines[0]["stateMachineArn"]
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=machine_arn)["definition"])
    greet = definition["States"]["Greet"]["Parameters"]
    assert greet["greeting"] == "hello-dev"
    assert greet["notify"] == f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:notify-order"
    assert greet["worker"] == f"arn:aws:states:{REGION}:{ACCOUNT}:activity:app-worker"
    results_url = definition["States"]["Report"]["Parameters"]["QueueUrl"]
    assert results_url == f"http://127.0.0.1:{server.port}/{ACCOUNT}/Results"

    # The pipe from the order queue to the state machine.
    pipe = pipes.describe_pipe(Name="orders-dev-pipe")
    assert pipe["Source"] == orders["QueueArn"]
    assert pipe["Target"] == machine_arn
    assert pipe["RoleArn"] == f"arn:aws:iam::{ACCOUNT}:role/orders-pipe"

    # An order goes through: queue -> pipe -> execution -> results queue.
    sqs.send_message(QueueUrl=orders_url, MessageBody="order-17")
    report = json.loads(receive_one(sqs, "Results")["Body"])
    assert report["order"] == "order-17"
    assert report["greeting"] == "hello-dev"
    executions = sfn.list_executions(stateMachineArn=machine_arn)["executions"]
    assert len(executions) == 1 and executions[0]["status"] == "SUCCEEDED"

    # Unserved types: one warning line naming them; SAM's Events and Policies: ignored, said so.
    log = log_of(server)
    unserved = [line for line in log.splitlines() if "not served" in line]
    assert len(unserved) == 1, log
    assert "AWS::DynamoDB::Table (Table)" in unserved[0]
    assert "AWS::SNS::Topic (Alerts)" in unserved[0]
    assert "ignoring Policies, Events" in log or "ignoring Events, Policies" in log
    assert "function notify-order has no --lambda-endpoint" in log


def test_a_restart_updates_and_does_not_duplicate(start, app_dir, tmp_path):
    data = tmp_path / "data"
    server = start(*app_args(app_dir), data_dir=data)
    sqs, sfn = client("sqs", server), client("stepfunctions", server)
    machine_arn = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    before = sfn.describe_state_machine(stateMachineArn=machine_arn)
    orders_url = sqs.get_queue_url(QueueName="orders-dev")["QueueUrl"]
    sqs.send_message(QueueUrl=orders_url, MessageBody="first")
    assert json.loads(receive_one(sqs, "Results")["Body"])["order"] == "first"
    assert attributes(sqs, "orders-dlq-dev")["MessageRetentionPeriod"] == "1209600"
    assert server.stop() == 0

    # The definition file and a parameter change, and a property goes: it is back to its
    # default; everything else stays as it was.
    yaml = (app_dir / "app.yaml").read_text()
    (app_dir / "app.yaml").write_text(yaml.replace("      MessageRetentionPeriod: 1209600\n", ""))
    asl = json.loads((app_dir / "order_flow.asl.json").read_text())
    asl["States"]["Greet"]["Parameters"]["version"] = 2
    (app_dir / "order_flow.asl.json").write_text(json.dumps(asl))
    server = start(*app_args(app_dir, "--template-parameter", "Visibility=45"), data_dir=data)
    sqs, sfn, pipes = client("sqs", server), client("stepfunctions", server), \
        client("pipes", server)
    assert queue_names(sqs) == ["Ledger.fifo", "Results", "orders-dev", "orders-dlq-dev"]
    assert attributes(sqs, "orders-dev")["VisibilityTimeout"] == "45"
    assert attributes(sqs, "orders-dlq-dev")["MessageRetentionPeriod"] == "345600"
    assert json.loads(attributes(sqs, "orders-dev")["RedrivePolicy"])["maxReceiveCount"] == 2
    assert json.loads(attributes(sqs, "orders-dev")["Policy"])["Statement"][0]["Effect"] == "Allow"
    machines = sfn.list_state_machines()["stateMachines"]
    assert [m["stateMachineArn"] for m in machines] == [machine_arn]
    after = sfn.describe_state_machine(stateMachineArn=machine_arn)
    assert json.loads(after["definition"])["States"]["Greet"]["Parameters"]["version"] == 2
    assert after["creationDate"] == before["creationDate"]
    assert [a["name"] for a in sfn.list_activities()["activities"]] == ["app-worker"]
    assert [p["Name"] for p in pipes.list_pipes()["Pipes"]] == ["orders-dev-pipe"]

    # The updated workflow runs for the next order.
    sqs.send_message(QueueUrl=orders_url, MessageBody="second")
    report = json.loads(receive_one(sqs, "Results")["Body"])
    assert report["order"] == "second" and report["version"] == 2
    assert len(sfn.list_executions(stateMachineArn=machine_arn)["executions"]) == 2


def test_parameters_and_conditions_choose_what_is_made(start, app_dir):
    server = start(*app_args(app_dir, "--template-parameter", "Env=prod", "--lambda-endpoint",
                             "notify-order=http://127.0.0.1:9/notify"))
    assert "no --lambda-endpoint" not in log_of(server)
    sqs, sfn = client("sqs", server), client("stepfunctions", server)
    assert queue_names(sqs) == ["Ledger.fifo", "Results", "orders-dlq-prod", "orders-prod",
                                "prod-audit"]
    arn = sfn.list_state_machines()["stateMachines"][0]["stateMachineArn"]
    definition = json.loads(sfn.describe_state_machine(stateMachineArn=arn)["definition"])
    assert definition["States"]["Greet"]["Parameters"]["greeting"] == "hello-prod"


def test_a_json_cloudformation_template_with_long_forms(start, tmp_path):
    template = {
        "Parameters": {"Prefix": {"Type": "String", "Default": "jobs"}},
        "Resources": {
            "Jobs": {"Type": "AWS::SQS::Queue",
                     "Properties": {"QueueName": {"Fn::Sub": "${Prefix}-${AWS::Region}"},
                                    "DelaySeconds": 2,
                                    "RedriveAllowPolicy": {"redrivePermission": "denyAll"}}},
            "Runner": {
                "Type": "AWS::StepFunctions::StateMachine",
                "Properties": {
                    "StateMachineName": {"Fn::Join": ["-", [{"Ref": "Prefix"}, "runner"]]},
                    "StateMachineType": "EXPRESS",
                    "RoleArn": "arn:aws:iam::000000000000:role/runner",
                    "DefinitionString": {"Fn::Sub": json.dumps({
                        "StartAt": "Send", "States": {"Send": {
                            "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                            "Parameters": {"QueueUrl": "${Jobs}", "MessageBody.$": "$"},
                            "End": True}}})},
                    "Tags": [{"Key": "owner", "Value": "ops"}]}},
        },
    }
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps(template))
    server = start("--template", path)
    sqs, sfn = client("sqs", server), client("stepfunctions", server)
    attrs = attributes(sqs, "jobs-us-east-1")
    assert attrs["DelaySeconds"] == "2"
    assert json.loads(attrs["RedriveAllowPolicy"]) == {"redrivePermission": "denyAll"}
    machine = sfn.describe_state_machine(
        stateMachineArn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:jobs-runner")
    assert machine["type"] == "EXPRESS"
    assert sfn.list_tags_for_resource(resourceArn=machine["stateMachineArn"])["tags"] == [
        {"key": "owner", "value": "ops"}]
    out = sfn.start_sync_execution(stateMachineArn=machine["stateMachineArn"], input='{"n": 1}')
    assert out["status"] == "SUCCEEDED", out


def refused(refuse, tmp_path, text, *extra):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    code, output = refuse("--template", path, *extra)
    assert code != 0, output
    assert str(path) in output, output
    return output


# (template, what the refusal must say): each names the file (checked by refused()) and, where
# there is one, the resource and the property.
REFUSED = [
    ("Resources:\n  Jobs: {Type: AWS::SQS::Queue, Properties: {VisibilityTimeout: 99999}}\n",
     "resource Jobs (AWS::SQS::Queue), property VisibilityTimeout: CreateQueue failed"),
    ("Resources:\n  Jobs: {Type: AWS::SQS::Queue, Properties: {Colour: blue}}\n",
     "resource Jobs (AWS::SQS::Queue), property Colour: not a property"),
    ("Resources:\n  Jobs: {Type: AWS::SQS::Queue, Properties: {RedrivePolicy: "
     "{deadLetterTargetArn: !GetAtt Missing.Arn, maxReceiveCount: 3}}}\n",
     "resource Jobs (AWS::SQS::Queue), property RedrivePolicy.deadLetterTargetArn: "
     "Ref Missing: no parameter or resource of that name"),
    ("Resources:\n  Flow: {Type: AWS::StepFunctions::StateMachine, Properties: {RoleArn: "
     "'arn:aws:iam::000000000000:role/x', Definition: {StartAt: Nowhere, States: "
     "{A: {Type: Pass, End: true}}}}}\n",
     "resource Flow (AWS::StepFunctions::StateMachine), property Definition: CreateStateMachine "
     "failed: InvalidDefinition"),
    ("Resources:\n  Jobs: {Type: AWS::SQS::Queue\n", "not valid YAML"),
    ("Resources:\n  Jobs: {Type: AWS::SQS::Queue, Properties: {QueueName: !Base32 x}}\n",
     "bad.yaml:2:57: unknown tag !Base32"),
    ("Parameters:\n  Stage: {Type: String}\nResources:\n  Jobs: {Type: AWS::SQS::Queue}\n",
     "parameter Stage: no value (it has no Default; give --template-parameter Stage=VALUE)"),
    ("Resources:\n  Jobs: {Type: AWS::SQS::Queue, Properties: {QueueName: {'Fn::GetAZs': ''}}}\n",
     "resource Jobs (AWS::SQS::Queue), property QueueName: unsupported intrinsic function "
     "Fn::GetAZs"),
]


@pytest.mark.parametrize("text,says", REFUSED)
def test_errors_name_the_file_resource_and_property(refuse, tmp_path, text, says):
    assert says in refused(refuse, tmp_path, text)


def test_a_parameter_no_template_declares_is_refused(refuse):
    code, out = refuse("--template", HERE / "app" / "app.yaml", "--template-parameter",
                       "Team=x", "--template-parameter", "Colour=blue")
    assert code != 0
    assert "--template-parameter Colour: no template declares parameter Colour" in out, out


def test_nothing_is_created_when_a_later_resource_is_wrong(refuse, start, tmp_path):
    # Errors found while reading (here: a cycle) refuse start before anything is made.
    path = tmp_path / "cycle.yaml"
    path.write_text("""
Resources:
  Ok: {Type: AWS::SQS::Queue, Properties: {QueueName: fine}}
  A: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt B.QueueName}}
  B: {Type: AWS::SQS::Queue, Properties: {QueueName: !GetAtt A.QueueName}}
""")
    code, out = refuse("--template", path)
    assert code != 0 and "circular dependency between resources A, B" in out, out
    server = start(data_dir=tmp_path / "refused-data")
    assert client("sqs", server).list_queues().get("QueueUrls", []) == []


def test_an_inline_sam_definition_with_intrinsics_inside(start, tmp_path):
    path = tmp_path / "inline.yaml"
    path.write_text("""
Transform: AWS::Serverless-2016-10-31
Resources:
  Inbox:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy: !Sub '{"deadLetterTargetArn": "${Spill.Arn}", "maxReceiveCount": 5}'
  Spill:
    Type: AWS::SQS::Queue
  Flow:
    Type: AWS::Serverless::StateMachine
    DependsOn: Inbox
    Properties:
      Type: EXPRESS
      Definition:
        StartAt: Send
        States:
          Send:
            Type: Task
            Resource: arn:aws:states:::sqs:sendMessage
            Parameters:
              QueueUrl: !GetAtt Inbox.QueueUrl
              MessageBody:
                tries: ${Tries}
                queue: !GetAtt Inbox.QueueName
            End: true
      DefinitionSubstitutions:
        Tries: 3
""")
    server = start("--template", path)
    sqs, sfn = client("sqs", server), client("stepfunctions", server)
    inbox = attributes(sqs, "Inbox")
    assert json.loads(inbox["RedrivePolicy"])["deadLetterTargetArn"] == \
        attributes(sqs, "Spill")["QueueArn"]
    arn = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:Flow"
    out = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(receive_one(sqs, "Inbox")["Body"]) == {"tries": "3", "queue": "Inbox"}
