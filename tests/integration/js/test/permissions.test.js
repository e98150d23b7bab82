// AddPermission / RemovePermission through the AWS SDK for JavaScript v3 (JSON 1.0): the Policy
// document SQS builds, returned by GetQueueAttributes, and the label errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AddPermissionCommand,
  GetQueueAttributesCommand,
  RemovePermissionCommand,
} from "@aws-sdk/client-sqs";
import { client, createQueue, expectError } from "../lib/sluice.js";

const sqs = client();

async function policyOf(QueueUrl) {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Policy", "QueueArn"] }),
  );
  return { arn: Attributes.QueueArn, policy: Attributes.Policy && JSON.parse(Attributes.Policy) };
}

test("AddPermission and RemovePermission edit the queue Policy", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  await sqs.send(
    new AddPermissionCommand({
      QueueUrl,
      Label: "js-grant",
      AWSAccountIds: ["111122223333"],
      Actions: ["SendMessage"],
    }),
  );
  const { arn, policy } = await policyOf(QueueUrl);
  assert.deepEqual(policy, {
    Version: "2012-10-17",
    Id: `${arn}/SQSDefaultPolicy`,
    Statement: [
      {
        Sid: "js-grant",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "SQS:SendMessage",
        Resource: arn,
      },
    ],
  });
  const again = new AddPermissionCommand({
    QueueUrl,
    Label: "js-grant",
    AWSAccountIds: ["111122223333"],
    Actions: ["*"],
  });
  await expectError(sqs.send(again), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message: "Value js-grant for parameter Label is invalid. Reason: Already exists.",
  });
  await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "js-grant" }));
  assert.equal((await policyOf(QueueUrl)).policy, undefined);
  await expectError(sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "js-grant" })), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message: "Value js-grant for parameter Label is invalid. Reason: can't find label on existing policy.",
  });
  const grant = (extra) =>
    sqs.send(
      new AddPermissionCommand({
        QueueUrl,
        Label: "js-bad",
        AWSAccountIds: ["111122223333"],
        Actions: ["SendMessage"],
        ...extra,
      }),
    );
  await expectError(grant({ AWSAccountIds: [] }), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message: "Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.",
  });
  await expectError(grant({ Actions: ["DeleteQueue"] }), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message:
      "Value SQS:DeleteQueue for parameter ActionName is invalid. Reason: Only the queue owner " +
      "is allowed to invoke this action.",
  });
  await expectError(grant({ Actions: Array(8).fill("SendMessage") }), {
    name: "OverLimit",
    code: "OverLimit",
    status: 403,
    message: "8 Actions were found, maximum allowed is 7.",
  });
});
