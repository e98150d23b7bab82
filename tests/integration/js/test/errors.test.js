// Errors through the AWS SDK for JavaScript v3 (JSON 1.0): missing queues and raw JSON no SDK
// would send. Each answers an AWS error; the server stays healthy.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AddPermissionCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
} from "@aws-sdk/client-sqs";
import {
  ACCOUNT,
  client,
  createQueue,
  endpoint,
  expectError,
  uniqueName,
} from "../lib/sluice.js";

const sqs = client();

async function healthy() {
  const res = await fetch(`${endpoint}/health`);
  assert.equal(res.status, 200);
  assert.equal((await res.text()).trim(), "ok");
}

test("every queue action reports a missing queue", async () => {
  const QueueUrl = `${endpoint}/${ACCOUNT}/${uniqueName("missing")}`;
  const commands = [
    new SendMessageCommand({ QueueUrl, MessageBody: "x" }),
    new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: "x" }] }),
    new ReceiveMessageCommand({ QueueUrl }),
    new DeleteMessageCommand({ QueueUrl, ReceiptHandle: "h" }),
    new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: "h", VisibilityTimeout: 1 }),
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
    new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "1" } }),
    new PurgeQueueCommand({ QueueUrl }),
    new TagQueueCommand({ QueueUrl, Tags: { a: "b" } }),
    new ListQueueTagsCommand({ QueueUrl }),
    new AddPermissionCommand({ QueueUrl, Label: "l", AWSAccountIds: [ACCOUNT], Actions: ["*"] }),
    new RemovePermissionCommand({ QueueUrl, Label: "l" }),
    new ListDeadLetterSourceQueuesCommand({ QueueUrl }),
  ];
  for (const command of commands) {
    await expectError(sqs.send(command), {
      name: "QueueDoesNotExist",
      code: "AWS.SimpleQueueService.NonExistentQueue",
      // The JSON protocol's wording (the query protocol adds "for this wsdl version").
      message: "The specified queue does not exist.",
    });
  }
});

test("a bare queue name as QueueUrl names the caller's queue", async (t) => {
  const url = await createQueue(sqs, t);
  const name = url.slice(url.lastIndexOf("/") + 1);
  const byName = sqs; // with an endpoint set, the SDK sends QueueUrl as it is
  await byName.send(new SendMessageCommand({ QueueUrl: name, MessageBody: "by name" }));
  const got = await byName.send(new ReceiveMessageCommand({ QueueUrl: name }));
  assert.deepEqual(
    got.Messages.map((m) => m.Body),
    ["by name"],
  );
  await byName.send(
    new DeleteMessageCommand({ QueueUrl: name, ReceiptHandle: got.Messages[0].ReceiptHandle }),
  );
  const attrs = await byName.send(
    new GetQueueAttributesCommand({ QueueUrl: name, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  assert.equal(attrs.Attributes.ApproximateNumberOfMessages, "0");
  await expectError(byName.send(new ReceiveMessageCommand({ QueueUrl: uniqueName("nope") })), {
    name: "QueueDoesNotExist",
    code: "AWS.SimpleQueueService.NonExistentQueue",
    message: "The specified queue does not exist.",
  });
});

async function postJson(target, body) {
  const res = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.0",
      "X-Amz-Target": `AmazonSQS.${target}`,
    },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

test("malformed JSON gets a client error in JSON", async () => {
  for (const body of ["{", "[]", '{"QueueName": 7}', '{"QueueName": "x", "Attributes": []}', ""]) {
    const res = await postJson("CreateQueue", body);
    assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(body)}: HTTP ${res.status}`);
    assert.ok(JSON.parse(res.text).__type, res.text);
  }
  const unknown = await postJson("Bogus", "{}");
  assert.equal(unknown.status, 400);
  assert.match(JSON.parse(unknown.text).__type, /UnknownOperation/);
  await healthy();
});

test("JSON errors carry the query-compatible code header", async () => {
  const res = await postJson("GetQueueUrl", JSON.stringify({ QueueName: uniqueName("nope") }));
  assert.equal(res.status, 400);
  assert.match(JSON.parse(res.text).__type, /QueueDoesNotExist$/);
  assert.equal(
    res.headers.get("x-amzn-query-error"),
    "AWS.SimpleQueueService.NonExistentQueue;Sender",
  );
});

test("unmodelled errors carry AWS's JSON shape names, the SDK shows the query code", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const bad = await postJson(
    "SendMessage",
    JSON.stringify({ QueueUrl, MessageBody: "x", DelaySeconds: 901 }),
  );
  assert.equal(bad.status, 400);
  assert.deepEqual(JSON.parse(bad.text), {
    __type: "com.amazonaws.sqs#InvalidParameterValueException",
    message:
      "Value 901 for parameter DelaySeconds is invalid. Reason: Must be between 0 and 900, if provided.",
  });
  assert.equal(bad.headers.get("x-amzn-query-error"), "InvalidParameterValue;Sender");
  const missing = await postJson("TagQueue", JSON.stringify({ QueueUrl }));
  assert.equal(missing.status, 400);
  assert.equal(JSON.parse(missing.text).__type, "com.amazonaws.sqs#MissingParameterException");
  assert.equal(missing.headers.get("x-amzn-query-error"), "MissingParameter;Sender");
  // Through the SDK the name is the query code.
  await expectError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", DelaySeconds: 901 })), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
  });
});
