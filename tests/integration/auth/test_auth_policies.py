"""Queue policies with --auth sigv4: a caller of another account (BOB) is denied unless the
queue's policy allows it; AddPermission and a Policy attribute grant, an explicit Deny wins, the
owner's keys are always allowed. boto3, SQS query protocol."""

import json

import pytest
from botocore.exceptions import ClientError

from auth_helpers import BOB_ACCOUNT, assert_client_error


def denied_message(endpoint):
    return f"Access to the resource {endpoint}/ is denied."


@pytest.fixture
def owned_queue(client, request):
    sqs = client("sqs")
    name = "auth-policy-" + request.node.name.replace("_", "-")[:40]
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    yield url
    sqs.delete_queue(QueueUrl=url)


def test_other_account_denied_without_policy(client, owned_queue, auth_server):
    bob = client("sqs", "bob")
    with pytest.raises(ClientError) as e:
        bob.send_message(QueueUrl=owned_queue, MessageBody="from bob")
    assert_client_error(e, "AccessDenied", denied_message(auth_server.endpoint))
    with pytest.raises(ClientError) as e:
        bob.create_queue(QueueName="bobs-own")
    assert_client_error(e, "AccessDenied")


def test_add_permission_allows_the_granted_actions_only(client, owned_queue, auth_server):
    owner, bob = client("sqs"), client("sqs", "bob")
    owner.add_permission(QueueUrl=owned_queue, Label="bob-sends", AWSAccountIds=[BOB_ACCOUNT],
                         Actions=["SendMessage"])
    bob.send_message(QueueUrl=owned_queue, MessageBody="from bob")
    # SendMessage's permission also grants SendMessageBatch.
    sent = bob.send_message_batch(QueueUrl=owned_queue,
                                  Entries=[{"Id": "1", "MessageBody": "batched"}])
    assert [s["Id"] for s in sent["Successful"]] == ["1"]
    with pytest.raises(ClientError) as e:
        bob.receive_message(QueueUrl=owned_queue)
    assert_client_error(e, "AccessDenied", denied_message(auth_server.endpoint))
    got = owner.receive_message(QueueUrl=owned_queue, WaitTimeSeconds=1,
                                MaxNumberOfMessages=10)["Messages"]
    assert sorted(m["Body"] for m in got) == ["batched", "from bob"]
    owner.remove_permission(QueueUrl=owned_queue, Label="bob-sends")
    with pytest.raises(ClientError) as e:
        bob.send_message(QueueUrl=owned_queue, MessageBody="again")
    assert_client_error(e, "AccessDenied")


def test_policy_attribute_with_explicit_deny(client, owned_queue):
    owner, bob = client("sqs"), client("sqs", "bob")
    arn = owner.get_queue_attributes(QueueUrl=owned_queue,
                                     AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{BOB_ACCOUNT}:root"},
         "Action": "sqs:*", "Resource": arn},
        {"Effect": "Deny", "Principal": "*", "Action": "sqs:DeleteMessage", "Resource": arn},
    ]}
    owner.set_queue_attributes(QueueUrl=owned_queue, Attributes={"Policy": json.dumps(policy)})
    bob.send_message(QueueUrl=owned_queue, MessageBody="m")
    got = bob.receive_message(QueueUrl=owned_queue, WaitTimeSeconds=1)["Messages"]
    with pytest.raises(ClientError) as e:
        bob.delete_message(QueueUrl=owned_queue, ReceiptHandle=got[0]["ReceiptHandle"])
    assert_client_error(e, "AccessDenied")
    # The owner is not held to its queue's policy.
    owner.delete_message(QueueUrl=owned_queue, ReceiptHandle=got[0]["ReceiptHandle"])
