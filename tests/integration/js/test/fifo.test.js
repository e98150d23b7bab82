// FIFO queues through the AWS SDK for JavaScript v3 (JSON 1.0): creation rules, send rules,
// deduplication, SequenceNumber, group order and blocking (also with concurrent consumers),
// ReceiveRequestAttemptId, batches, expired receipt handles, and fair queues (MessageGroupId on a
// standard queue).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
} from "@aws-sdk/client-sqs";
import { client, createQueue, expectError, sleep, uniqueName } from "../lib/sluice.js";

const sqs = client();

const fifoQueue = (t, attributes = {}) =>
  createQueue(sqs, t, {
    QueueName: `${uniqueName()}.fifo`,
    Attributes: { FifoQueue: "true", ...attributes },
  });

const send = (QueueUrl, body, group = "g", dedup = body, extra = {}) =>
  sqs.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody: body,
      MessageGroupId: group,
      MessageDeduplicationId: dedup,
      ...extra,
    }),
  );

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

const remove = (QueueUrl, msgs) =>
  Promise.all(
    msgs.map((m) => sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }))),
  );

test("CreateQueue: FIFO attributes, name rules and the high-throughput combination", async (t) => {
  const url = await fifoQueue(t, { ContentBasedDeduplication: "true" });
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }),
  );
  assert.equal(Attributes.FifoQueue, "true");
  assert.equal(Attributes.ContentBasedDeduplication, "true");
  assert.equal(Attributes.DeduplicationScope, "queue");
  assert.equal(Attributes.FifoThroughputLimit, "perQueue");

  const name = uniqueName();
  await expectError(sqs.send(new CreateQueueCommand({ QueueName: `${name}.fifo` })), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
  });
  await expectError(
    sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "true" } })),
    { name: "InvalidParameterValue" },
  );
  await expectError(
    sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: "false" } })),
    { name: "InvalidAttributeName", code: "InvalidAttributeName" },
  );
  await expectError(
    sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: { DeduplicationScope: "queue" } }),
    ),
    { name: "InvalidAttributeName" },
  );
  await expectError(
    sqs.send(
      new CreateQueueCommand({
        QueueName: `${name}.fifo`,
        Attributes: { FifoQueue: "true", FifoThroughputLimit: "perMessageGroupId" },
      }),
    ),
    { name: "InvalidAttributeValue", code: "InvalidAttributeValue" },
  );
  await expectError(
    sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: "false" } }),
    ),
    { name: "InvalidAttributeValue" },
  );
  const ht = await fifoQueue(t, {
    DeduplicationScope: "messageGroup",
    FifoThroughputLimit: "perMessageGroupId",
  });
  await expectError(
    sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: ht, Attributes: { DeduplicationScope: "queue" } }),
    ),
    { name: "InvalidAttributeValue" },
  );
});

test("SendMessage: group id required, per-message delay refused, deduplication id required", async (t) => {
  const url = await fifoQueue(t);
  await expectError(
    sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x", MessageDeduplicationId: "d" })),
    {
      name: "MissingParameter",
      code: "MissingParameter",
      message: "The request must contain the parameter MessageGroupId.",
    },
  );
  await expectError(
    sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x", MessageGroupId: "g" })),
    { name: "InvalidParameterValue" },
  );
  await expectError(send(url, "x", "g", "d", { DelaySeconds: 3 }), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message:
      "Value 3 for parameter DelaySeconds is invalid. Reason: The request include parameter " +
      "that is not valid for this queue type.",
  });
  await expectError(send(url, "x", "a group with spaces"), { name: "InvalidParameterValue" });
  const ok = await send(url, "x", "g", "d", { DelaySeconds: 0 });
  assert.match(ok.SequenceNumber, /^\d{20,}$/);
});

test("a duplicate answers with the original MessageId and SequenceNumber, even after a delete", async (t) => {
  const url = await fifoQueue(t);
  const first = await send(url, "payload", "g", "dedup-1");
  const msgs = await receive(url);
  assert.deepEqual(bodies(msgs), ["payload"]);
  assert.equal(msgs[0].Attributes.SequenceNumber, first.SequenceNumber);
  assert.equal(msgs[0].Attributes.MessageDeduplicationId, "dedup-1");
  assert.equal(msgs[0].Attributes.MessageGroupId, "g");
  await remove(url, msgs);
  const again = await send(url, "other body", "g2", "dedup-1");
  assert.equal(again.MessageId, first.MessageId);
  assert.equal(again.SequenceNumber, first.SequenceNumber);
  assert.deepEqual(await receive(url, { WaitTimeSeconds: 1 }), []);
});

test("content-based deduplication and the messageGroup scope", async (t) => {
  const cbd = await fifoQueue(t, { ContentBasedDeduplication: "true" });
  const a = await sqs.send(
    new SendMessageCommand({ QueueUrl: cbd, MessageBody: "same", MessageGroupId: "g1" }),
  );
  const b = await sqs.send(
    new SendMessageCommand({ QueueUrl: cbd, MessageBody: "same", MessageGroupId: "g2" }),
  );
  assert.equal(b.MessageId, a.MessageId);
  const [m] = await receive(cbd);
  assert.equal(
    m.Attributes.MessageDeduplicationId,
    createHash("sha256").update("same").digest("hex"),
  );

  const scoped = await fifoQueue(t, {
    DeduplicationScope: "messageGroup",
    FifoThroughputLimit: "perMessageGroupId",
  });
  const x = await send(scoped, "x", "g1", "same-id");
  const y = await send(scoped, "y", "g2", "same-id");
  const z = await send(scoped, "z", "g1", "same-id");
  assert.notEqual(y.MessageId, x.MessageId);
  assert.equal(z.MessageId, x.MessageId);
});

test("SendMessageBatch: sequence numbers, in-batch duplicates, per-entry and whole-request errors", async (t) => {
  const url = await fifoQueue(t);
  const entry = (Id, body, extra = {}) => ({
    Id,
    MessageBody: body,
    MessageGroupId: "g",
    MessageDeduplicationId: body,
    ...extra,
  });
  const res = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        entry("a", "one"),
        entry("b", "two"),
        entry("c", "one"),
        entry("d", "three", { DelaySeconds: 1 }),
      ],
    }),
  );
  const ok = Object.fromEntries((res.Successful ?? []).map((e) => [e.Id, e]));
  assert.deepEqual(Object.keys(ok).sort(), ["a", "b", "c"]);
  assert.equal(ok.c.MessageId, ok.a.MessageId);
  assert.ok(BigInt(ok.b.SequenceNumber) > BigInt(ok.a.SequenceNumber));
  assert.equal(res.Failed[0].Id, "d");
  assert.equal(res.Failed[0].Code, "InvalidParameterValue");
  assert.deepEqual(bodies(await receive(url)), ["one", "two"]);

  await expectError(
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [entry("a", "x"), { Id: "b", MessageBody: "y", MessageDeduplicationId: "y" }],
      }),
    ),
    {
      name: "MissingParameter",
      code: "MissingParameter",
      message: "The request must contain the parameter MessageGroupId.",
    },
  );
  await expectError(
    sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [entry("a", "x"), { Id: "b", MessageBody: "y", MessageGroupId: "g" }],
      }),
    ),
    {
      name: "InvalidParameterValue",
      code: "InvalidParameterValue",
      message:
        "The queue should either have ContentBasedDeduplication enabled or " +
        "MessageDeduplicationId provided explicitly",
    },
  );
});

test("order within a group, blocking while in flight, visibility expiry returns the head first", async (t) => {
  const url = await fifoQueue(t, { VisibilityTimeout: "1" });
  for (let i = 0; i < 3; i++) {
    await send(url, `a${i}`, "a");
    await send(url, `b${i}`, "b");
  }
  const first = await receive(url, { MaxNumberOfMessages: 2 });
  assert.deepEqual(bodies(first), ["a0", "a1"]);
  assert.deepEqual(bodies(await receive(url)), ["b0", "b1", "b2"]);
  assert.deepEqual(await receive(url), []);
  await sleep(1300);
  const again = await receive(url, { VisibilityTimeout: 30 });
  assert.deepEqual(bodies(again), ["a0", "a1", "a2", "b0", "b1", "b2"]);
  assert.equal(again[0].Attributes.ApproximateReceiveCount, "2");
  assert.equal(again[2].Attributes.ApproximateReceiveCount, "1");
});

test("an expired receipt handle cannot delete; ChangeMessageVisibility 0 keeps the order", async (t) => {
  const url = await fifoQueue(t, { VisibilityTimeout: "1" });
  await send(url, "m0");
  await send(url, "m1");
  const [m0] = await receive(url, { MaxNumberOfMessages: 1 });
  await sleep(1300);
  await expectError(
    sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m0.ReceiptHandle })),
    { name: "InvalidParameterValue" },
  );
  const got = await receive(url, { VisibilityTimeout: 30 });
  assert.deepEqual(bodies(got), ["m0", "m1"]);
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: url,
      ReceiptHandle: got[1].ReceiptHandle,
      VisibilityTimeout: 0,
    }),
  );
  assert.deepEqual(await receive(url), []); // m0 still holds the group
  const del = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl: url,
      Entries: [{ Id: "0", ReceiptHandle: got[0].ReceiptHandle }],
    }),
  );
  assert.equal(del.Successful.length, 1);
  assert.deepEqual(bodies(await receive(url)), ["m1"]);
});

test("ReceiveRequestAttemptId: a retry returns the same messages and receipt handles", async (t) => {
  const url = await fifoQueue(t);
  for (let i = 0; i < 3; i++) await send(url, `m${i}`);
  const input = { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: "retry-me" };
  const first = await receive(url, input);
  const retry = await receive(url, input);
  assert.deepEqual(bodies(retry), ["m0", "m1"]);
  assert.deepEqual(
    retry.map((m) => m.ReceiptHandle),
    first.map((m) => m.ReceiptHandle),
  );
  await remove(url, first);
  assert.deepEqual(bodies(await receive(url, input)), ["m2"]); // spent: a fresh receive
});

test("concurrent consumers keep every group's order and never share a group", async (t) => {
  const url = await fifoQueue(t, { VisibilityTimeout: "60" });
  const groups = 6;
  const perGroup = 30;
  for (let start = 0; start < perGroup; start += 10) {
    for (let g = 0; g < groups; g++) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: Array.from({ length: 10 }, (_, k) => ({
            Id: `${k}`,
            MessageBody: `${g}:${start + k}`,
            MessageGroupId: `g${g}`,
            MessageDeduplicationId: `${g}-${start + k}`,
          })),
        }),
      );
    }
  }
  const received = Array.from({ length: groups }, () => []);
  const held = new Map();
  const errors = [];
  let total = 0;
  const consumer = async (id) => {
    const c = client();
    let idle = 0;
    while (total < groups * perGroup && idle < 5) {
      const msgs =
        (
          await c.send(
            new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          )
        ).Messages ?? [];
      if (msgs.length === 0) {
        idle++;
        continue;
      }
      idle = 0;
      const mine = new Set();
      for (const m of msgs) {
        const [g, i] = m.Body.split(":").map(Number);
        if (held.has(g) && held.get(g) !== id) errors.push(`group ${g} shared by ${id}`);
        held.set(g, id);
        mine.add(g);
        received[g].push(i);
      }
      total += msgs.length;
      for (const g of mine) held.delete(g); // before the delete is sent
      await c.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: msgs.map((m, k) => ({ Id: `${k}`, ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
  };
  await Promise.all([0, 1, 2, 3].map(consumer));
  assert.deepEqual(errors, []);
  for (let g = 0; g < groups; g++) {
    assert.deepEqual(
      received[g],
      Array.from({ length: perGroup }, (_, i) => i),
      `group ${g}`,
    );
  }
});

test("fair queues: MessageGroupId on a standard queue is kept and returned", async (t) => {
  const url = await createQueue(sqs, t);
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl: url, MessageBody: "tenant", MessageGroupId: "tenant-1" }),
  );
  assert.equal(sent.SequenceNumber, undefined);
  const [m] = await receive(url);
  assert.equal(m.Attributes.MessageGroupId, "tenant-1");
  assert.equal(m.Attributes.SequenceNumber, undefined);
  await expectError(
    sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: "x", MessageDeduplicationId: "d" }),
    ),
    { name: "InvalidParameterValue" },
  );
});
