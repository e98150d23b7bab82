// FIFO queues with dead-letter queues and move tasks through the AWS SDK for JavaScript v3 (JSON
// 1.0): the same-type rule, the dead-letter move from a FIFO source (group kept, a new
// SequenceNumber, the MessageId as deduplication id, the group not blocked), and a move task that
// brings the groups back in order.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { client, createQueue, expectError, sleep, uniqueName } from "../lib/sluice.js";

const sqs = client();

const arnOf = async (QueueUrl) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] })))
    .Attributes.QueueArn;

const redrive = (deadLetterTargetArn) =>
  JSON.stringify({ deadLetterTargetArn, maxReceiveCount: 1 });

const fifoQueue = (t, attributes = {}) =>
  createQueue(sqs, t, {
    QueueName: `${uniqueName()}.fifo`,
    Attributes: { FifoQueue: "true", ...attributes },
  });

const receive = async (QueueUrl, input = {}) =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ["All"],
        ...input,
      }),
    )
  ).Messages ?? [];

const bodies = (msgs) => msgs.map((m) => m.Body);
const inGroup = (msgs, group) => msgs.filter((m) => m.Attributes.MessageGroupId === group);

// [body, group] pairs; the body is the deduplication id.
async function sendBatch(QueueUrl, messages) {
  const out = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: messages.map(([body, group], i) => ({
        Id: `e${i}`,
        MessageBody: body,
        MessageGroupId: group,
        MessageDeduplicationId: body,
      })),
    }),
  );
  assert.deepEqual(out.Failed ?? [], []);
  return out.Successful.sort((a, b) => Number(a.Id.slice(1)) - Number(b.Id.slice(1)));
}

// Receives everything once, for a second, and lets it come back: the next receive moves it.
async function failOnce(QueueUrl) {
  while ((await receive(QueueUrl, { VisibilityTimeout: 1 })).length > 0);
  await sleep(1100);
}

async function drain(QueueUrl) {
  const out = [];
  for (let i = 0; i < 100; i++) {
    const got = await receive(QueueUrl, { VisibilityTimeout: 30 });
    if (got.length === 0) return out;
    out.push(...got);
    for (const m of got) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
  throw new Error("the queue did not drain");
}

test("a FIFO queue and its dead-letter queue must be of the same type", async (t) => {
  const standardArn = await arnOf(await createQueue(sqs, t));
  await expectError(
    sqs.send(
      new CreateQueueCommand({
        QueueName: `${uniqueName()}.fifo`,
        Attributes: { FifoQueue: "true", RedrivePolicy: redrive(standardArn) },
      }),
    ),
    { name: "InvalidParameterValue" },
  );
  const fifoArn = await arnOf(await fifoQueue(t));
  await expectError(
    sqs.send(
      new CreateQueueCommand({
        QueueName: uniqueName(),
        Attributes: { RedrivePolicy: redrive(fifoArn) },
      }),
    ),
    { name: "InvalidParameterValue" },
  );
});

test("a FIFO dead-letter move keeps the group, renumbers, and unblocks the group", async (t) => {
  const dlq = await fifoQueue(t);
  const dlqArn = await arnOf(dlq);
  const src = await fifoQueue(t, { RedrivePolicy: redrive(dlqArn) });
  const [poison] = await sendBatch(src, [["poison", "g"]]);
  await failOnce(src);
  await sendBatch(src, [
    ["next", "g"],
    ["later", "g"],
  ]);
  const got = await receive(src, { MaxNumberOfMessages: 1, VisibilityTimeout: 30 });
  assert.deepEqual(bodies(got), ["next"]);
  const [moved] = await receive(dlq);
  assert.equal(moved.MessageId, poison.MessageId);
  assert.equal(moved.Attributes.MessageGroupId, "g");
  assert.equal(moved.Attributes.MessageDeduplicationId, poison.MessageId);
  assert.equal(moved.Attributes.DeadLetterQueueSourceArn, await arnOf(src));
  assert.match(moved.Attributes.SequenceNumber, /^\d{20,}$/);
});

test("a move task brings FIFO groups back to the source in order", async (t) => {
  const dlq = await fifoQueue(t);
  const dlqArn = await arnOf(dlq);
  const src = await fifoQueue(t, { RedrivePolicy: redrive(dlqArn) });
  const sent = await sendBatch(src, [
    ["a1", "a"],
    ["b1", "b"],
    ["a2", "a"],
    ["b2", "b"],
  ]);
  await failOnce(src);
  assert.deepEqual(await receive(src), []);
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
  let task;
  for (let i = 0; i < 300; i++) {
    [task] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results;
    if (task.Status !== "RUNNING") break;
    await sleep(50);
  }
  assert.equal(task.Status, "COMPLETED");
  assert.equal(task.ApproximateNumberOfMessagesMoved, 4);
  const back = await drain(src);
  assert.deepEqual(bodies(inGroup(back, "a")), ["a1", "a2"]);
  assert.deepEqual(bodies(inGroup(back, "b")), ["b1", "b2"]);
  const newest = sent.map((e) => BigInt(e.SequenceNumber)).reduce((a, b) => (a > b ? a : b));
  for (const m of back) assert.ok(BigInt(m.Attributes.SequenceNumber) > newest);
});
