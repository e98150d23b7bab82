// Messages through the AWS SDK for JavaScript v3 (JSON 1.0): SendMessage(+Batch), ReceiveMessage
// (long polling, attributes), DeleteMessage(+Batch), ChangeMessageVisibility(+Batch), PurgeQueue.
// The SDK checks MD5OfBody / MD5OfMessageBody itself; attribute MD5s are checked here.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import {
  client,
  createQueue,
  expectError,
  md5Hex,
  md5OfMessageAttributes,
  sleep,
} from "../lib/sluice.js";

const sqs = client();

const receive = async (QueueUrl, input = {}) =>
  (await sqs.send(new ReceiveMessageCommand({ QueueUrl, ...input }))).Messages ?? [];
const counts = async (QueueUrl) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }))).Attributes;

async function receiveN(QueueUrl, n, input = {}) {
  const got = [];
  const deadline = Date.now() + 10000;
  while (got.length < n && Date.now() < deadline) {
    const input10 = { MaxNumberOfMessages: 10, WaitTimeSeconds: 1, ...input };
    got.push(...(await receive(QueueUrl, input10)));
  }
  return got;
}

const ALL_TYPES = {
  str: { DataType: "String", StringValue: "hello <&> wörld" },
  num: { DataType: "Number", StringValue: "-12.5e3" },
  bin: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 0xfe, 0xff]) },
  "custom.str": { DataType: "String.custom", StringValue: "typed" },
  "custom.bin": { DataType: "Binary.gif", BinaryValue: new TextEncoder().encode("GIF89a") },
};

test("send, receive, delete", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "hello" }));
  assert.match(sent.MessageId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(sent.MD5OfMessageBody, md5Hex("hello"));
  const [msg] = await receive(QueueUrl);
  assert.equal(msg.MessageId, sent.MessageId);
  assert.equal(msg.Body, "hello");
  assert.deepEqual(await receive(QueueUrl), []); // in flight
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: msg.ReceiptHandle }));
  const attrs = await counts(QueueUrl);
  assert.equal(attrs.ApproximateNumberOfMessages, "0");
  assert.equal(attrs.ApproximateNumberOfMessagesNotVisible, "0");
});

test("bodies round-trip exactly", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  for (const body of [
    '<tag a="v">a & b</tag> ]]>',
    "line1\r\nline2\rline3\n\ttab",
    "emoji \u{1F600} \u00e9\u4e2d\ufffd\ue000",
    '{"json": "inside", "esc": "\\u0041\\n"}',
    "  spaces  ",
  ]) {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const [msg] = await receive(QueueUrl);
    assert.equal(msg.Body, body);
    assert.equal(msg.MD5OfBody, md5Hex(body));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: msg.ReceiptHandle }));
  }
});

test("invalid characters and oversized bodies are rejected", async (t) => {
  const QueueUrl = await createQueue(sqs, t, { Attributes: { MaximumMessageSize: "1024" } });
  for (const body of ["nul \u0000", "bell \u0007", "\uffff", "\ufffe"]) {
    await expectError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body })), {
      name: "InvalidMessageContents",
      code: "InvalidMessageContents",
    });
  }
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a".repeat(1024) }));
  await expectError(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "a".repeat(1025) })), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
  });
  await expectError(
    sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x", DelaySeconds: 901 })),
    { name: "InvalidParameterValue", code: "InvalidParameterValue" },
  );
});

test("message attributes of every type, selected by All, name and prefix", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const MessageAttributes = {
    ...ALL_TYPES,
    "pre.one": { DataType: "String", StringValue: "1" },
    "pre.two": { DataType: "Number", StringValue: "2" },
  };
  const sent = await sqs.send(
    new SendMessageCommand({ QueueUrl, MessageBody: "attrs", MessageAttributes }),
  );
  assert.equal(sent.MD5OfMessageAttributes, md5OfMessageAttributes(MessageAttributes));

  const [all] = await receive(QueueUrl, { MessageAttributeNames: ["All"], VisibilityTimeout: 0 });
  assert.deepEqual(
    Object.keys(all.MessageAttributes).sort(),
    Object.keys(MessageAttributes).sort(),
  );
  for (const [k, v] of Object.entries(MessageAttributes)) {
    assert.equal(all.MessageAttributes[k].DataType, v.DataType, k);
    if (v.BinaryValue) {
      assert.deepEqual([...all.MessageAttributes[k].BinaryValue], [...v.BinaryValue], k);
    } else {
      assert.equal(all.MessageAttributes[k].StringValue, v.StringValue, k);
    }
  }
  assert.equal(all.MD5OfMessageAttributes, md5OfMessageAttributes(MessageAttributes));

  const [pre] = await receive(QueueUrl, { MessageAttributeNames: ["pre.*"], VisibilityTimeout: 0 });
  assert.deepEqual(Object.keys(pre.MessageAttributes).sort(), ["pre.one", "pre.two"]);
  const [one] = await receive(QueueUrl, { MessageAttributeNames: ["str"], VisibilityTimeout: 0 });
  assert.deepEqual(Object.keys(one.MessageAttributes), ["str"]);
  const [none] = await receive(QueueUrl, { VisibilityTimeout: 0 });
  assert.equal(none.MessageAttributes, undefined);
});

test("system attributes", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const before = Date.now();
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "sys" }));
  const [msg] = await receive(QueueUrl, {
    MessageSystemAttributeNames: ["All"],
    VisibilityTimeout: 0,
  });
  assert.equal(msg.Attributes.ApproximateReceiveCount, "1");
  assert.ok(Math.abs(Number(msg.Attributes.SentTimestamp) - before) < 5000);
  const firstReceive = Number(msg.Attributes.ApproximateFirstReceiveTimestamp);
  assert.ok(firstReceive >= Number(msg.Attributes.SentTimestamp));
  assert.ok(msg.Attributes.SenderId);
  const [again] = await receive(QueueUrl, {
    MessageSystemAttributeNames: ["ApproximateReceiveCount"],
  });
  assert.deepEqual(again.Attributes, { ApproximateReceiveCount: "2" });
});

test("DelaySeconds hides a message", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "later", DelaySeconds: 2 }));
  assert.equal((await counts(QueueUrl)).ApproximateNumberOfMessagesDelayed, "1");
  assert.deepEqual(await receive(QueueUrl), []);
  await sleep(2200);
  assert.equal((await receive(QueueUrl))[0]?.Body, "later");
});

test("long poll returns early when a message arrives, else after the wait", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  let start = Date.now();
  assert.deepEqual(await receive(QueueUrl, { WaitTimeSeconds: 2 }), []);
  let elapsed = Date.now() - start;
  assert.ok(elapsed >= 1800 && elapsed < 4000, `empty long poll took ${elapsed} ms`);

  start = Date.now();
  const sender = client();
  setTimeout(() => sender.send(new SendMessageCommand({ QueueUrl, MessageBody: "wake" })), 500);
  const msgs = await receive(QueueUrl, { WaitTimeSeconds: 10 });
  elapsed = Date.now() - start;
  assert.deepEqual(msgs.map((m) => m.Body), ["wake"]);
  assert.ok(elapsed >= 400 && elapsed < 3000, `woken long poll took ${elapsed} ms`);
});

test("visibility timeout expiry redelivers with a new receipt handle", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "again" }));
  const [first] = await receive(QueueUrl, { VisibilityTimeout: 1 });
  assert.deepEqual(await receive(QueueUrl), []);
  await sleep(1300);
  const [second] = await receive(QueueUrl, {
    VisibilityTimeout: 30,
    MessageSystemAttributeNames: ["ApproximateReceiveCount"],
  });
  assert.equal(second.MessageId, first.MessageId);
  assert.notEqual(second.ReceiptHandle, first.ReceiptHandle);
  assert.equal(second.Attributes.ApproximateReceiveCount, "2");
  // The stale handle must not delete the re-received message.
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle })).catch(
    (e) => assert.equal(e.name, "ReceiptHandleIsInvalid"),
  );
  assert.equal((await counts(QueueUrl)).ApproximateNumberOfMessagesNotVisible, "1");
});

test("ChangeMessageVisibility and its errors", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "cmv" }));
  const [msg] = await receive(QueueUrl, { VisibilityTimeout: 60 });
  await sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl,
      ReceiptHandle: msg.ReceiptHandle,
      VisibilityTimeout: 0,
    }),
  );
  const [again] = await receive(QueueUrl, { VisibilityTimeout: 60 });
  assert.equal(again.MessageId, msg.MessageId);
  await expectError(
    sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: "bogus",
        VisibilityTimeout: 5,
      }),
    ),
    { name: "ReceiptHandleIsInvalid", code: "ReceiptHandleIsInvalid", status: 404 },
  );
  await expectError(
    sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: again.ReceiptHandle,
        VisibilityTimeout: 43201,
      }),
    ),
    { name: "InvalidParameterValue", code: "InvalidParameterValue" },
  );
  await expectError(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: "bogus" })), {
    name: "ReceiptHandleIsInvalid",
    code: "ReceiptHandleIsInvalid",
    status: 404, // as the SQS API reference gives it
  });
});

test("batches: send (mixed), change visibility, delete", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const withAttrs = { k: { DataType: "String", StringValue: "v" } };
  const sent = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: [
        { Id: "a", MessageBody: "one" },
        { Id: "b", MessageBody: "two", MessageAttributes: withAttrs },
        { Id: "bad", MessageBody: "nul \u0000" },
      ],
    }),
  );
  assert.deepEqual(sent.Successful.map((e) => e.Id).sort(), ["a", "b"]);
  const b = sent.Successful.find((e) => e.Id === "b");
  assert.equal(b.MD5OfMessageAttributes, md5OfMessageAttributes(withAttrs));
  assert.deepEqual(sent.Failed.map((e) => [e.Id, e.SenderFault]), [["bad", true]]);

  const msgs = await receiveN(QueueUrl, 2, { VisibilityTimeout: 60 });
  assert.deepEqual(msgs.map((m) => m.Body).sort(), ["one", "two"]);
  const changed = await sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl,
      Entries: [
        ...msgs.map((m, i) => ({
          Id: `m${i}`,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 120,
        })),
        { Id: "junk", ReceiptHandle: "junk", VisibilityTimeout: 1 },
      ],
    }),
  );
  assert.deepEqual(changed.Successful.map((e) => e.Id).sort(), ["m0", "m1"]);
  assert.deepEqual(changed.Failed.map((e) => [e.Id, e.Code]), [["junk", "ReceiptHandleIsInvalid"]]);
  const deleted = await sqs.send(
    new DeleteMessageBatchCommand({
      QueueUrl,
      Entries: [
        ...msgs.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })),
        { Id: "junk", ReceiptHandle: "junk" },
      ],
    }),
  );
  assert.deepEqual(deleted.Successful.map((e) => e.Id).sort(), ["m0", "m1"]);
  assert.deepEqual(
    deleted.Failed.map((e) => [e.Id, e.Code, e.SenderFault]),
    [["junk", "ReceiptHandleIsInvalid", true]],
  );
  const attrs = await counts(QueueUrl);
  assert.equal(attrs.ApproximateNumberOfMessages, "0");
  assert.equal(attrs.ApproximateNumberOfMessagesNotVisible, "0");
});

test("batch errors: too many, duplicate ids, empty, invalid id", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const entries = (n, id = (i) => `e${i}`) =>
    Array.from({ length: n }, (_, i) => ({ Id: id(i), MessageBody: "b" }));
  const sendBatch = (Entries) => sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
  await expectError(sendBatch(entries(11)), {
    name: "TooManyEntriesInBatchRequest",
    code: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
  });
  await expectError(sendBatch(entries(2, () => "same")), {
    name: "BatchEntryIdsNotDistinct",
    code: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
  });
  await expectError(sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [] })), {
    name: "EmptyBatchRequest",
    code: "AWS.SimpleQueueService.EmptyBatchRequest",
  });
  await expectError(sendBatch(entries(1, () => "bad id")), {
    name: "InvalidBatchEntryId",
    code: "AWS.SimpleQueueService.InvalidBatchEntryId",
  });
});

test("ReceiveMessage parameter limits", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const inputs = [{ MaxNumberOfMessages: 11 }, { MaxNumberOfMessages: 0 }, { WaitTimeSeconds: 21 }];
  for (const input of inputs) {
    await expectError(receive(QueueUrl, input), {
      name: "InvalidParameterValue",
      code: "InvalidParameterValue",
    });
  }
});

test("PurgeQueue removes visible and in-flight messages", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  for (let i = 0; i < 4; i++) {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `${i}` }));
  }
  await receive(QueueUrl, { VisibilityTimeout: 60 });
  await sqs.send(new PurgeQueueCommand({ QueueUrl }));
  const attrs = await counts(QueueUrl);
  assert.equal(attrs.ApproximateNumberOfMessages, "0");
  assert.equal(attrs.ApproximateNumberOfMessagesNotVisible, "0");
  await expectError(sqs.send(new PurgeQueueCommand({ QueueUrl })), {
    name: "PurgeQueueInProgress",
    code: "AWS.SimpleQueueService.PurgeQueueInProgress",
    status: 403,
  });
});

test("receipt handle errors in AWS's words", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const invalid = (h) => ({
    name: "ReceiptHandleIsInvalid",
    code: "ReceiptHandleIsInvalid",
    status: 404,
    message: `The input receipt handle "${h}" is not a valid receipt handle.`,
  });
  await expectError(
    sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: "not-a-handle" })),
    invalid("not-a-handle"),
  );
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
  const [first] = await receive(QueueUrl, { VisibilityTimeout: 1 });
  await sleep(1300);
  const change = (ReceiptHandle) =>
    sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 5 }));
  await expectError(change(first.ReceiptHandle), {
    name: "MessageNotInflight",
    code: "AWS.SimpleQueueService.MessageNotInflight",
    message: "The message referred to isn't in flight.",
  });
  const [second] = await receive(QueueUrl, { VisibilityTimeout: 30 });
  await expectError(change(first.ReceiptHandle), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message: `Value ${first.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
  });
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.ReceiptHandle }));
  await expectError(change(second.ReceiptHandle), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message:
      `Value ${second.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message ` +
      "does not exist or is not available for visibility timeout change.",
  });
});

test("batches whose entries all failed still carry an empty Successful list", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const failed = [
    {
      Id: "a",
      SenderFault: true,
      Code: "ReceiptHandleIsInvalid",
      Message: 'The input receipt handle "zz" is not a valid receipt handle.',
    },
  ];
  const deleted = await sqs.send(
    new DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", ReceiptHandle: "zz" }] }),
  );
  assert.deepEqual(deleted.Successful, []);
  assert.deepEqual(deleted.Failed, failed);
  const changed = await sqs.send(
    new ChangeMessageVisibilityBatchCommand({
      QueueUrl,
      Entries: [{ Id: "a", ReceiptHandle: "zz", VisibilityTimeout: 5 }],
    }),
  );
  assert.deepEqual(changed.Successful, []);
  assert.deepEqual(changed.Failed, failed);
  const sent = await sqs.send(
    new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "a", MessageBody: "nul \u0000" }] }),
  );
  assert.deepEqual(sent.Successful, []);
  assert.equal(sent.Failed.length, 1);
  assert.equal(sent.Failed[0].Code, "InvalidMessageContents");
});
