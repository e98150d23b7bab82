"""AddPermission / RemovePermission through boto3: the queue Policy they write (as SQS shapes it),
returned by GetQueueAttributes, and the errors. Nothing is enforced yet."""

import json

import pytest

from sqs_helpers import ACCOUNT, raises_sqs_error

OTHER = "111122223333"
THIRD = "444455556666"


def policy_of(sqs, url):
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"]).get("Attributes", {})
    return json.loads(attrs["Policy"]) if "Policy" in attrs else None


def queue_arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"]


def test_add_permission_writes_the_policy_sqs_builds(sqs, queue):
    sqs.add_permission(QueueUrl=queue, Label="cross", AWSAccountIds=[OTHER],
                       Actions=["ReceiveMessage"])
    arn = queue_arn(sqs, queue)
    assert policy_of(sqs, queue) == {
        "Version": "2012-10-17",
        "Id": f"{arn}/SQSDefaultPolicy",
        "Statement": [{
            "Sid": "cross",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{OTHER}:root"},
            "Action": "SQS:ReceiveMessage",
            "Resource": arn,
        }],
    }
    all_attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert "Policy" in all_attrs


def test_statements_accumulate_and_go_away(sqs, queue):
    sqs.add_permission(QueueUrl=queue, Label="one", AWSAccountIds=[OTHER], Actions=["SendMessage"])
    sqs.add_permission(QueueUrl=queue, Label="two", AWSAccountIds=[OTHER, THIRD],
                       Actions=["SendMessage", "DeleteMessage"])
    statements = policy_of(sqs, queue)["Statement"]
    assert [s["Sid"] for s in statements] == ["one", "two"]
    assert statements[1]["Principal"]["AWS"] == [f"arn:aws:iam::{OTHER}:root",
                                                 f"arn:aws:iam::{THIRD}:root"]
    assert statements[1]["Action"] == ["SQS:SendMessage", "SQS:DeleteMessage"]
    sqs.remove_permission(QueueUrl=queue, Label="one")
    assert [s["Sid"] for s in policy_of(sqs, queue)["Statement"]] == ["two"]
    sqs.remove_permission(QueueUrl=queue, Label="two")
    assert policy_of(sqs, queue) is None


def test_a_policy_set_directly_keeps_its_statements(sqs, queue):
    own = {"Version": "2012-10-17", "Statement": [
        {"Sid": "mine", "Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*"}]}
    sqs.set_queue_attributes(QueueUrl=queue, Attributes={"Policy": json.dumps(own)})
    sqs.add_permission(QueueUrl=queue, Label="added", AWSAccountIds=[OTHER], Actions=["*"])
    policy = policy_of(sqs, queue)
    assert policy["Version"] == "2012-10-17"
    assert policy["Statement"][0] == own["Statement"][0]
    assert policy["Statement"][1]["Action"] == "SQS:*"
    sqs.remove_permission(QueueUrl=queue, Label="added")
    assert policy_of(sqs, queue)["Statement"] == own["Statement"]


def test_duplicate_and_unknown_labels(sqs, queue):
    sqs.add_permission(QueueUrl=queue, Label="dup", AWSAccountIds=[OTHER], Actions=["SendMessage"])
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.add_permission(QueueUrl=queue, Label="dup", AWSAccountIds=[THIRD],
                           Actions=["ReceiveMessage"])
    assert info.value.response["Error"]["Message"] == \
        "Value dup for parameter Label is invalid. Reason: Already exists."
    with raises_sqs_error("InvalidParameterValue") as info:
        sqs.remove_permission(QueueUrl=queue, Label="nope")
    assert info.value.response["Error"]["Message"] == \
        "Value nope for parameter Label is invalid. Reason: can't find label on existing policy."


LABEL_REASON = ("Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 "
                "in length.")


@pytest.mark.parametrize("label,accounts,actions,code,message", [
    ("bad label", [OTHER], ["SendMessage"], "InvalidParameterValue",
     f"Value bad label for parameter Label is invalid. {LABEL_REASON}"),
    ("x" * 81, [OTHER], ["SendMessage"], "InvalidParameterValue",
     f"Value {'x' * 81} for parameter Label is invalid. {LABEL_REASON}"),
    ("l", [OTHER], [], "MissingParameter", "The request must contain the parameter Actions."),
    ("l", [], ["SendMessage"], "InvalidParameterValue",
     "Value [] for parameter PrincipalId is invalid. Reason: Unable to verify."),
    ("l", ["12"], ["SendMessage"], "InvalidParameterValue",
     "Value 12 for parameter PrincipalId is invalid. Reason: Unable to verify."),
    ("l", [OTHER], ["Fly"], "InvalidParameterValue",
     "Value SQS:Fly for parameter ActionName is invalid. Reason: Please refer to the appropriate "
     "WSDL for a list of valid actions."),
    ("l", [OTHER], ["SendMessageBatch"], "InvalidParameterValue",
     "Value SQS:SendMessageBatch for parameter ActionName is invalid. Reason: Please refer to the "
     "appropriate WSDL for a list of valid actions."),
    ("l", [OTHER], ["RemovePermission"], "InvalidParameterValue",
     "Value SQS:RemovePermission for parameter ActionName is invalid. Reason: Only the queue owner "
     "is allowed to invoke this action."),
    ("l", [OTHER], ["SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility",
                    "GetQueueAttributes", "GetQueueUrl", "PurgeQueue", "ListQueueTags"],
     "OverLimit", "8 Actions were found, maximum allowed is 7."),
], ids=["label-chars", "label-length", "no-actions", "no-accounts", "bad-account",
        "unknown-action", "batch-action", "owner-only-action", "too-many-actions"])
def test_bad_permissions_are_rejected(sqs, queue, label, accounts, actions, code, message):
    with raises_sqs_error(code, status=403 if code == "OverLimit" else 400, message=message):
        sqs.add_permission(QueueUrl=queue, Label=label, AWSAccountIds=accounts, Actions=actions)
    assert policy_of(sqs, queue) is None


def test_permissions_of_a_missing_queue(sqs, sluice):
    url = f"{sluice.endpoint}/{ACCOUNT}/no-such-queue-perm"
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.add_permission(QueueUrl=url, Label="l", AWSAccountIds=[OTHER], Actions=["*"])
    with raises_sqs_error("AWS.SimpleQueueService.NonExistentQueue"):
        sqs.remove_permission(QueueUrl=url, Label="l")
