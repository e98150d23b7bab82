// Dead-letter queues through the AWS SDK for JavaScript v3 (JSON 1.0): RedrivePolicy and
// RedriveAllowPolicy, the move of a message received more than maxReceiveCount times, the errors
// for bad policies, and ListDeadLetterSourceQueues with paging.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  paginateListDeadLetterSourceQueues,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { ACCOUNT, client, createQueue, endpoint, expectError, uniqueName } from "../lib/sluice.js";

const sqs = client();

const arnOf = async (QueueUrl) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] })))
    .Attributes.QueueArn;

const redrive = (deadLetterTargetArn, maxReceiveCount) =>
  JSON.stringify({ deadLetterTargetArn, maxReceiveCount });

const attributesOf = async (QueueUrl, AttributeNames = ["All"]) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames }))).Attributes;

const setAttributes = (QueueUrl, Attributes) =>
  sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes }));

async function receive(QueueUrl, extra = {}) {
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
      ...extra,
    }),
  );
  return out.Messages ?? [];
}

test("a message received past maxReceiveCount moves to the dead-letter queue", async (t) => {
  const dlq = await createQueue(sqs, t);
  const dlqArn = await arnOf(dlq);
  const src = await createQueue(sqs, t, { Attributes: { RedrivePolicy: redrive(dlqArn, 2) } });
  const attrs = await attributesOf(src);
  assert.equal(attrs.RedrivePolicy, `{"deadLetterTargetArn":"${dlqArn}","maxReceiveCount":2}`);

  const { MessageId } = await sqs.send(
    new SendMessageCommand({
      QueueUrl: src,
      MessageBody: "poison",
      MessageAttributes: { k: { DataType: "Number", StringValue: "12" } },
    }),
  );
  for (const n of ["1", "2"]) {
    const [m] = await receive(src, { VisibilityTimeout: 0 });
    assert.equal(m.Attributes.ApproximateReceiveCount, n);
  }
  assert.deepEqual(await receive(src, { VisibilityTimeout: 0 }), []);
  const [moved] = await receive(dlq);
  assert.equal(moved.MessageId, MessageId);
  assert.equal(moved.Body, "poison");
  assert.deepEqual(moved.MessageAttributes, { k: { DataType: "Number", StringValue: "12" } });
  assert.equal(moved.Attributes.DeadLetterQueueSourceArn, await arnOf(src));
  assert.equal(moved.Attributes.ApproximateReceiveCount, "3");
});

test("bad redrive policies get InvalidParameterValue", async (t) => {
  const src = await createQueue(sqs, t);
  const dlqArn = await arnOf(await createQueue(sqs, t));
  const cases = [
    ["{", "Redrive policy is not a valid JSON map."],
    ["{}", "Redrive policy does not contain mandatory attribute: maxReceiveCount."],
    [
      redrive(dlqArn, 0),
      "Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.",
    ],
    [
      redrive(`arn:aws:sqs:us-east-1:${ACCOUNT}:${uniqueName("gone")}`, 3),
      "Dead letter target does not exist.",
    ],
  ];
  for (const [RedrivePolicy, reason] of cases) {
    await assert.rejects(setAttributes(src, { RedrivePolicy }), (e) => {
      assert.equal(e.name, "InvalidParameterValue");
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.ok(e.message.endsWith(`Reason: ${reason}`), e.message);
      return true;
    });
  }
});

test("RedriveAllowPolicy denies the sources it does not name", async (t) => {
  const dlq = await createQueue(sqs, t, {
    Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) },
  });
  const dlqArn = await arnOf(dlq);
  const src = await createQueue(sqs, t);
  await assert.rejects(
    setAttributes(src, { RedrivePolicy: redrive(dlqArn, 3) }),
    (e) => e.name === "InvalidParameterValue",
  );
  const srcArn = await arnOf(src);
  const allow = JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [srcArn] });
  await setAttributes(dlq, { RedriveAllowPolicy: allow });
  await setAttributes(src, { RedrivePolicy: redrive(dlqArn, 3) });
  const got = await attributesOf(dlq, ["RedriveAllowPolicy"]);
  assert.deepEqual(JSON.parse(got.RedriveAllowPolicy), JSON.parse(allow));
});

test("ListDeadLetterSourceQueues pages with MaxResults and NextToken", async (t) => {
  const dlq = await createQueue(sqs, t);
  const dlqArn = await arnOf(dlq);
  const sources = [];
  for (let i = 0; i < 5; i++) {
    const Attributes = { RedrivePolicy: redrive(dlqArn, 4) };
    sources.push(await createQueue(sqs, t, { Attributes }));
  }
  const all = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
  assert.deepEqual([...all.queueUrls].sort(), [...sources].sort());
  assert.equal(all.NextToken, undefined);
  const seen = [];
  let pages = 0;
  const pager = paginateListDeadLetterSourceQueues({ client: sqs, pageSize: 2 }, { QueueUrl: dlq });
  for await (const page of pager) {
    pages += 1;
    assert.ok(page.queueUrls.length <= 2);
    seen.push(...page.queueUrls);
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen.sort(), [...sources].sort());
  await expectError(
    sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 0 })),
    { name: "InvalidParameterValue", code: "InvalidParameterValue" },
  );
  const missing = `${endpoint}/${ACCOUNT}/${uniqueName("none")}`;
  await expectError(sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: missing })), {
    name: "QueueDoesNotExist",
    code: "AWS.SimpleQueueService.NonExistentQueue",
  });
});
