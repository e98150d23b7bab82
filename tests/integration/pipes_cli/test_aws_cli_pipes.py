"""The AWS CLI against Sluice's EventBridge Pipes API, as a user types it: `aws --endpoint-url URL
pipes ...` with dummy credentials, next to `aws sqs` and `aws stepfunctions`. Debian's awscli (2.9)
speaks REST-JSON to Pipes, the query protocol to SQS and AWS JSON 1.0 to Step Functions.
$SLUICE_AWS_CLI overrides which `aws` is run."""

import json
import time
import uuid

import boto3
import pytest
from botocore.config import Config

from aws_cli import AWS, cli_runner, ok
from conftest import DUMMY_CREDS, sqs_client

pytestmark = pytest.mark.skipif(AWS is None, reason="no aws CLI installed")

ACCOUNT = "000000000000"
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/pipes-cli"
FIRE_AND_FORGET = '{"StepFunctionStateMachineParameters":{"InvocationType":"FIRE_AND_FORGET"}}'
PASS = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}'


@pytest.fixture(scope="module")
def cli(sluice, tmp_path_factory):
    """cli.pipes / cli.sqs / cli.sfn (*args, env=None) -> (exit code, parsed JSON or None, stderr).
    Each `aws` run takes about a second, so the waiting and cleaning up is done with boto3
    (cli.watch_pipes, cli.watch_sfn, cli.watch_sqs) and the CLI runs what a user would type."""
    home = tmp_path_factory.mktemp("aws")
    config = Config(retries={"mode": "standard", "total_max_attempts": 1})

    class Cli:
        pipes = staticmethod(cli_runner(sluice.endpoint, "pipes", home))
        sqs = staticmethod(cli_runner(sluice.endpoint, "sqs", home))
        sfn = staticmethod(cli_runner(sluice.endpoint, "stepfunctions", home))
        watch_pipes = boto3.session.Session().client("pipes", endpoint_url=sluice.endpoint,
                                                     config=config, **DUMMY_CREDS)
        watch_sfn = boto3.session.Session().client("stepfunctions", endpoint_url=sluice.endpoint,
                                                   config=config, **DUMMY_CREDS)
        watch_sqs = sqs_client(sluice.endpoint)

    return Cli


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def wait_for(fn, timeout=10.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what} did not hold within {timeout}s: {value!r}"
        time.sleep(0.1)


def wait_for_state(cli, name, state):
    wait_for(lambda: cli.watch_pipes.describe_pipe(Name=name)["CurrentState"] == state,
             what=f"pipe {name} {state}")


def wait_gone(cli, name):
    def gone():
        try:
            cli.watch_pipes.describe_pipe(Name=name)
            return False
        except cli.watch_pipes.exceptions.NotFoundException:
            return True
    wait_for(gone, what=f"pipe {name} deleted")


def queue_counts(cli, url):
    a = cli.watch_sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"])


def make_flow(cli, tmp_path, desired_state=None, typed=True):
    """The README example: a queue, a STANDARD Pass state machine, a FIRE_AND_FORGET pipe. With
    typed=False the queue and the state machine are made through boto3 (quicker)."""
    queue = unique("orders")
    machine = unique("handle")
    if typed:
        url = ok(cli.sqs("create-queue", "--queue-name", queue))["QueueUrl"]
        (tmp_path / "handle.json").write_text(PASS)
        machine_arn = ok(cli.sfn("create-state-machine", "--name", machine, "--role-arn", ROLE,
                                 "--definition", f"file://{tmp_path / 'handle.json'}"))[
            "stateMachineArn"]
    else:
        url = cli.watch_sqs.create_queue(QueueName=queue)["QueueUrl"]
        machine_arn = cli.watch_sfn.create_state_machine(name=machine, roleArn=ROLE,
                                                         definition=PASS)["stateMachineArn"]
    name = unique("orders-to-handle")
    source = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}"
    args = ["create-pipe", "--name", name, "--source", source, "--target", machine_arn,
            "--role-arn", ROLE, "--target-parameters", FIRE_AND_FORGET]
    if desired_state:
        args += ["--desired-state", desired_state]
    created = ok(cli.pipes(*args))
    return queue, url, source, machine_arn, name, created


def executions(cli, machine_arn):
    """What `aws stepfunctions list-executions` shows."""
    return ok(cli.sfn("list-executions", "--state-machine-arn", machine_arn))["executions"]


def wait_for_executions(cli, machine_arn, n):
    wait_for(lambda: len(cli.watch_sfn.list_executions(stateMachineArn=machine_arn)[
        "executions"]) >= n, what=f"{n} executions")
    return executions(cli, machine_arn)


def test_readme_example_queue_to_pipe_to_state_machine(cli, tmp_path):
    queue, url, source, machine_arn, name, created = make_flow(cli, tmp_path)
    pipe_arn = f"arn:aws:pipes:{REGION}:{ACCOUNT}:pipe/{name}"
    assert created["Arn"] == pipe_arn and created["Name"] == name
    assert created["DesiredState"] == "RUNNING"
    assert created["CurrentState"] in ("CREATING", "RUNNING")
    wait_for_state(cli, name, "RUNNING")

    sent = ok(cli.sqs("send-message", "--queue-url", url, "--message-body", '{"orderId": 42}'))
    message_id = sent["MessageId"]
    # One execution, named after the message id (the first of its batch).
    [ex] = wait_for_executions(cli, machine_arn, 1)
    assert ex["name"] == message_id
    assert ex["executionArn"] == f"arn:aws:states:{REGION}:{ACCOUNT}:execution:" \
        f"{machine_arn.rsplit(':', 1)[1]}:{message_id}"
    d = ok(cli.sfn("describe-execution", "--execution-arn", ex["executionArn"]))
    assert d["status"] == "SUCCEEDED"
    records = json.loads(d["input"])
    assert len(records) == 1
    r = records[0]
    assert r["messageId"] == message_id and r["body"] == '{"orderId": 42}'
    assert r["eventSource"] == "aws:sqs" and r["eventSourceARN"] == source
    assert r["awsRegion"] == REGION and r["md5OfBody"] == sent["MD5OfMessageBody"]
    assert r["attributes"]["ApproximateReceiveCount"] == "1"
    assert json.loads(d["output"]) == records  # a Pass state
    wait_for(lambda: queue_counts(cli, url) == (0, 0), what="the queue to empty")

    d = ok(cli.pipes("describe-pipe", "--name", name))
    assert d["Arn"] == pipe_arn and d["Source"] == source and d["Target"] == machine_arn
    assert d["RoleArn"] == ROLE
    assert d["DesiredState"] == "RUNNING" and d["CurrentState"] == "RUNNING"
    assert d["TargetParameters"] == json.loads(FIRE_AND_FORGET)
    assert "CreationTime" in d and "LastModifiedTime" in d

    listed = ok(cli.pipes("list-pipes", "--name-prefix", name))["Pipes"]
    assert [(p["Name"], p["Arn"], p["Source"], p["Target"], p["CurrentState"])
            for p in listed] == [(name, pipe_arn, source, machine_arn, "RUNNING")]
    by_target = ok(cli.pipes("list-pipes", "--target-prefix", machine_arn))["Pipes"]
    assert [p["Name"] for p in by_target] == [name]

    # Stopped, it consumes nothing; started again, it delivers what waited.
    stopped = ok(cli.pipes("stop-pipe", "--name", name))
    assert stopped["DesiredState"] == "STOPPED"
    assert stopped["CurrentState"] in ("STOPPING", "STOPPED")
    wait_for_state(cli, name, "STOPPED")
    listed = ok(cli.pipes("list-pipes", "--name-prefix", name, "--current-state", "STOPPED"))
    assert [p["Name"] for p in listed["Pipes"]] == [name]
    waiting = ok(cli.sqs("send-message", "--queue-url", url, "--message-body", "while stopped"))
    time.sleep(0.5)
    assert queue_counts(cli, url) == (1, 0)
    started = ok(cli.pipes("start-pipe", "--name", name))
    assert started["DesiredState"] == "RUNNING"
    assert started["CurrentState"] in ("STARTING", "RUNNING")
    wait_for_state(cli, name, "RUNNING")
    listed = wait_for_executions(cli, machine_arn, 2)
    assert sorted(e["name"] for e in listed) == sorted([message_id, waiting["MessageId"]])

    ok(cli.pipes("delete-pipe", "--name", name))
    wait_gone(cli, name)
    assert name not in [p["Name"] for p in ok(cli.pipes("list-pipes"))["Pipes"]]
    rc, _, err = cli.pipes("describe-pipe", "--name", name)
    assert rc in (254, 255), err
    assert "NotFoundException" in err
    # A deleted pipe consumes nothing more.
    cli.watch_sqs.send_message(QueueUrl=url, MessageBody="after delete")
    time.sleep(0.5)
    assert queue_counts(cli, url) == (1, 0)
    cli.watch_sqs.delete_queue(QueueUrl=url)
    cli.watch_sfn.delete_state_machine(stateMachineArn=machine_arn)


def test_update_tags_and_desired_state(cli, tmp_path):
    queue, url, source, machine_arn, name, created = make_flow(
        cli, tmp_path, desired_state="STOPPED", typed=False)
    assert created["DesiredState"] == "STOPPED"
    wait_for_state(cli, name, "STOPPED")
    pipe_arn = created["Arn"]

    # UpdatePipe: batching and a template; the rest stays.
    updated = ok(cli.pipes(
        "update-pipe", "--name", name, "--role-arn", ROLE, "--description", "from the CLI",
        "--source-parameters",
        '{"SqsQueueParameters":{"BatchSize":5,"MaximumBatchingWindowInSeconds":1}}',
        "--target-parameters",
        '{"InputTemplate":"{\\"order\\": <$.body.orderId>}",'
        '"StepFunctionStateMachineParameters":{"InvocationType":"FIRE_AND_FORGET"}}'))
    assert updated["Arn"] == pipe_arn
    wait_for_state(cli, name, "STOPPED")
    d = ok(cli.pipes("describe-pipe", "--name", name))
    assert d["Description"] == "from the CLI"
    assert d["SourceParameters"]["SqsQueueParameters"] == {"BatchSize": 5,
                                                           "MaximumBatchingWindowInSeconds": 1}
    assert d["TargetParameters"]["InputTemplate"] == '{"order": <$.body.orderId>}'
    assert d["DesiredState"] == "STOPPED" and d["Source"] == source

    # Tags, the way the CLI takes them.
    ok(cli.pipes("tag-resource", "--resource-arn", pipe_arn, "--tags", "team=core,env=test"))
    tags = ok(cli.pipes("list-tags-for-resource", "--resource-arn", pipe_arn))["tags"]
    assert tags == {"team": "core", "env": "test"}
    ok(cli.pipes("untag-resource", "--resource-arn", pipe_arn, "--tag-keys", "env"))
    assert ok(cli.pipes("list-tags-for-resource", "--resource-arn", pipe_arn))["tags"] == {
        "team": "core"}

    # Started: five messages make one batch, transformed by the template record by record.
    ok(cli.sqs("send-message-batch", "--queue-url", url, "--entries", json.dumps(
        [{"Id": str(i), "MessageBody": json.dumps({"orderId": i})} for i in range(5)])))
    ok(cli.pipes("start-pipe", "--name", name))
    [ex] = wait_for_executions(cli, machine_arn, 1)
    d = cli.watch_sfn.describe_execution(executionArn=ex["executionArn"])
    assert sorted(o["order"] for o in json.loads(d["input"])) == [0, 1, 2, 3, 4]
    wait_for(lambda: queue_counts(cli, url) == (0, 0), what="the queue to empty")

    ok(cli.pipes("delete-pipe", "--name", name))
    wait_gone(cli, name)
    cli.watch_sqs.delete_queue(QueueUrl=url)
    cli.watch_sfn.delete_state_machine(stateMachineArn=machine_arn)


def test_errors_as_the_cli_prints_them(cli, tmp_path):
    rc, out, err = cli.pipes("describe-pipe", "--name", unique("missing"))
    assert rc in (254, 255), err
    assert out is None
    assert "An error occurred (NotFoundException) when calling the DescribePipe operation" in err

    queue, url, source, machine_arn, name, _ = make_flow(cli, tmp_path, typed=False)
    # The same name again: ConflictException.
    rc, _, err = cli.pipes("create-pipe", "--name", name, "--source", source, "--target",
                           machine_arn, "--role-arn", ROLE)
    assert rc in (254, 255) and "ConflictException" in err, err
    # A target Sluice does not serve: ValidationException naming it.
    rc, _, err = cli.pipes("create-pipe", "--name", unique("bad"), "--source", source,
                           "--target", f"arn:aws:sns:{REGION}:{ACCOUNT}:topic", "--role-arn", ROLE)
    assert rc in (254, 255) and "ValidationException" in err, err
    assert f"arn:aws:sns:{REGION}:{ACCOUNT}:topic" in err
    # Tags of a pipe that does not exist.
    rc, _, err = cli.pipes("list-tags-for-resource", "--resource-arn",
                           f"arn:aws:pipes:{REGION}:{ACCOUNT}:pipe/{unique('missing')}")
    assert rc in (254, 255) and "NotFoundException" in err, err

    cli.watch_pipes.delete_pipe(Name=name)
    wait_gone(cli, name)
    cli.watch_sqs.delete_queue(QueueUrl=url)
    cli.watch_sfn.delete_state_machine(stateMachineArn=machine_arn)
