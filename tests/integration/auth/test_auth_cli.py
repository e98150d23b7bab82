"""SigV4 through the AWS CLI as a user runs it: `aws sqs` and `aws stepfunctions` with the right
key, a wrong secret and an unknown key. The CLI prints "An error occurred (CODE) when calling
the OPERATION operation[ (reached max retries: 0)]: MESSAGE" and exits 254."""

import pytest

from aws_cli import AWS, cli_runner
from auth_helpers import KEYS, SIGNATURE_MISMATCH, UNKNOWN_KEY

pytestmark = pytest.mark.skipif(AWS is None, reason="no AWS CLI installed")


@pytest.fixture
def aws(auth_server, tmp_path):
    def run(service, *args, key=KEYS["owner"]):
        env = {"AWS_ACCESS_KEY_ID": key[0], "AWS_SECRET_ACCESS_KEY": key[1]}
        return cli_runner(auth_server.endpoint, service, tmp_path)(*args, env=env)

    return run


def test_sqs_right_key(aws):
    rc, out, err = aws("sqs", "create-queue", "--queue-name", "auth-cli")
    assert rc == 0, err
    assert out["QueueUrl"].endswith("/000000000000/auth-cli")


def test_sqs_wrong_secret_and_unknown_key(aws):
    rc, _, err = aws("sqs", "list-queues", key=(KEYS["owner"][0], "wrong-secret"))
    assert rc == 254
    assert "An error occurred (SignatureDoesNotMatch) when calling the ListQueues operation" in err
    assert err.strip().endswith(": " + SIGNATURE_MISMATCH), err
    rc, _, err = aws("sqs", "list-queues", key=("AKIDNOBODY", "whatever"))
    assert rc == 254
    assert "An error occurred (InvalidClientTokenId) when calling the ListQueues operation" in err
    assert err.strip().endswith(": " + UNKNOWN_KEY), err


def test_stepfunctions_wrong_key(aws):
    # (The right key on Step Functions: test_auth_json_services.py, boto3.)
    rc, _, err = aws("stepfunctions", "list-state-machines", key=("AKIDNOBODY", "whatever"))
    assert rc == 254
    assert "(UnrecognizedClientException) when calling the ListStateMachines operation" in err
    assert err.strip().endswith(": " + UNKNOWN_KEY), err
