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
    Version: "2008-10-17",
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
  });
  await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "js-grant" }));
  assert.equal((await policyOf(QueueUrl)).policy, undefined);
  await expectError(sqs.send(new RemovePermissionCommand({ QueueUrl, Label: "js-grant" })), {
    name: "InvalidParameterValue",
  });
});
