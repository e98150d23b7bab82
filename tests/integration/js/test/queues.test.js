// Queue lifecycle through the AWS SDK for JavaScript v3 (JSON 1.0): CreateQueue, GetQueueUrl,
// ListQueues, DeleteQueue, Get/SetQueueAttributes, TagQueue/UntagQueue/ListQueueTags.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  paginateListQueues,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";
import {
  ACCOUNT,
  REGION,
  client,
  createQueue,
  endpoint,
  expectError,
  sleep,
  uniqueName,
} from "../lib/sluice.js";

const sqs = client();
const DEFAULTS = {
  DelaySeconds: "0",
  MaximumMessageSize: "1048576",
  MessageRetentionPeriod: "345600",
  ReceiveMessageWaitTimeSeconds: "0",
  VisibilityTimeout: "30",
};
const ATTRIBUTE_NAMES = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
  ...Object.keys(DEFAULTS),
];

const attributesOf = async (QueueUrl, AttributeNames = ["All"]) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames }))).Attributes;

test("CreateQueue returns the URL under the account; defaults apply", async (t) => {
  const name = uniqueName();
  const url = await createQueue(sqs, t, { QueueName: name });
  assert.equal(url, `${endpoint}/${ACCOUNT}/${name}`);
  const attrs = await attributesOf(url);
  for (const [k, v] of Object.entries(DEFAULTS)) assert.equal(attrs[k], v, k);
  assert.equal(attrs.ApproximateNumberOfMessages, "0");
  assert.equal(attrs.QueueArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`);
  const created = Number(attrs.CreatedTimestamp);
  assert.ok(Math.abs(created - Date.now() / 1000) < 60, `CreatedTimestamp ${created} in seconds`);
  for (const n of ATTRIBUTE_NAMES) assert.ok(n in attrs, n);
});

test("CreateQueue with attributes and tags", async (t) => {
  const Attributes = {
    DelaySeconds: "5",
    MaximumMessageSize: "2048",
    MessageRetentionPeriod: "120",
    ReceiveMessageWaitTimeSeconds: "2",
    VisibilityTimeout: "45",
  };
  const url = await createQueue(sqs, t, { Attributes, tags: { team: "core" } });
  const attrs = await attributesOf(url);
  for (const [k, v] of Object.entries(Attributes)) assert.equal(attrs[k], v, k);
  const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
  assert.deepEqual(Tags, { team: "core" });
});

test("CreateQueue is idempotent with the same attributes, fails with others", async (t) => {
  const QueueName = uniqueName();
  const Attributes = { VisibilityTimeout: "40" };
  const url = await createQueue(sqs, t, { QueueName, Attributes });
  const again = await sqs.send(new CreateQueueCommand({ QueueName, Attributes }));
  assert.equal(again.QueueUrl, url);
  await expectError(
    sqs.send(new CreateQueueCommand({ QueueName, Attributes: { VisibilityTimeout: "41" } })),
    { name: "QueueNameExists", code: "QueueAlreadyExists" },
  );
});

test("CreateQueue rejects invalid attribute values and names", async () => {
  for (const [k, v] of [
    ["VisibilityTimeout", "43201"],
    ["DelaySeconds", "901"],
    ["MaximumMessageSize", "1023"],
    ["MessageRetentionPeriod", "59"],
    ["ReceiveMessageWaitTimeSeconds", "21"],
    ["VisibilityTimeout", "abc"],
  ]) {
    await expectError(
      sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes: { [k]: v } })),
      { name: "InvalidAttributeValue", code: "InvalidAttributeValue" },
    );
  }
  await expectError(
    sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes: { Nope: "1" } })),
    { name: "InvalidAttributeName", code: "InvalidAttributeName" },
  );
});

test("CreateQueue rejects bad names", async () => {
  for (const QueueName of ["a".repeat(81), "has space", "bang!", "dot.ted"]) {
    await expectError(sqs.send(new CreateQueueCommand({ QueueName })), {
      name: "InvalidParameterValue",
      code: "InvalidParameterValue",
    });
  }
});

test("GetQueueUrl finds queues and reports missing ones", async (t) => {
  const QueueName = uniqueName();
  const url = await createQueue(sqs, t, { QueueName });
  assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName }))).QueueUrl, url);
  await expectError(sqs.send(new GetQueueUrlCommand({ QueueName: uniqueName("missing") })), {
    name: "QueueDoesNotExist",
    code: "AWS.SimpleQueueService.NonExistentQueue",
  });
});

test("ListQueues filters by prefix and pages with MaxResults/NextToken", async (t) => {
  const prefix = uniqueName("jslist");
  const urls = [];
  for (let i = 0; i < 5; i++) urls.push(await createQueue(sqs, t, { QueueName: `${prefix}-${i}` }));
  const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
  assert.deepEqual([...all.QueueUrls].sort(), [...urls].sort());

  const seen = [];
  let NextToken;
  let pages = 0;
  do {
    const page = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken }),
    );
    assert.ok((page.QueueUrls ?? []).length <= 2);
    seen.push(...(page.QueueUrls ?? []));
    NextToken = page.NextToken;
    assert.ok(++pages < 10, "NextToken never ends");
  } while (NextToken);
  assert.deepEqual(seen.sort(), [...urls].sort());

  const viaPaginator = [];
  const pages3 = paginateListQueues({ client: sqs, pageSize: 3 }, { QueueNamePrefix: prefix });
  for await (const page of pages3) {
    viaPaginator.push(...(page.QueueUrls ?? []));
  }
  assert.deepEqual(viaPaginator.sort(), [...urls].sort());

  const none = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${prefix}-nothing` }));
  assert.equal((none.QueueUrls ?? []).length, 0);
});

test("DeleteQueue removes the queue", async () => {
  const QueueName = uniqueName();
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName }));
  await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x" }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  const missing = { name: "QueueDoesNotExist", code: "AWS.SimpleQueueService.NonExistentQueue" };
  await expectError(sqs.send(new GetQueueUrlCommand({ QueueName })), missing);
  await expectError(sqs.send(new DeleteQueueCommand({ QueueUrl })), missing);
  // The name is free again at once (AWS's 60-second wait is --queue-deleted-recently on).
  const again = await sqs.send(new CreateQueueCommand({ QueueName }));
  assert.equal(again.QueueUrl, QueueUrl);
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
  assert.equal((got.Messages ?? []).length, 0);
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
});

test("GetQueueAttributes returns each attribute by name", async (t) => {
  const url = await createQueue(sqs, t);
  for (const name of ATTRIBUTE_NAMES) {
    const attrs = await attributesOf(url, [name]);
    assert.deepEqual(Object.keys(attrs), [name]);
  }
  await expectError(attributesOf(url, ["NoSuchAttribute"]), {
    name: "InvalidAttributeName",
    code: "InvalidAttributeName",
  });
});

test("SetQueueAttributes changes attributes and LastModifiedTimestamp", async (t) => {
  const url = await createQueue(sqs, t);
  const { CreatedTimestamp } = await attributesOf(url);
  await sleep(1100);
  const Attributes = { VisibilityTimeout: "90", DelaySeconds: "3", MaximumMessageSize: "4096" };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes }));
  const attrs = await attributesOf(url);
  for (const [k, v] of Object.entries(Attributes)) assert.equal(attrs[k], v, k);
  assert.ok(Number(attrs.LastModifiedTimestamp) > Number(CreatedTimestamp));
  await expectError(
    sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: "-5" } }),
    ),
    { name: "InvalidAttributeValue", code: "InvalidAttributeValue" },
  );
  await expectError(
    sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { QueueArn: "x" } })),
    { name: "InvalidAttributeName", code: "InvalidAttributeName" },
  );
  assert.equal((await attributesOf(url, ["VisibilityTimeout"])).VisibilityTimeout, "90");
});

test("TagQueue, UntagQueue, ListQueueTags", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const tags = async () => (await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags ?? {};
  assert.deepEqual(await tags(), {});
  await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { a: "1", b: "<&>\"'" } }));
  assert.deepEqual(await tags(), { a: "1", b: "<&>\"'" });
  await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ["a", "never-set"] }));
  assert.deepEqual(await tags(), { b: "<&>\"'" });
});

test("TagQueue and UntagQueue limits answer AWS's texts", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const name = QueueUrl.slice(QueueUrl.lastIndexOf("/") + 1);
  const keyLength = {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message: "Tag keys must be between 1 and 128 characters in length.",
  };
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
  await expectError(sqs.send(new TagQueueCommand({ QueueUrl, Tags: many })), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
    message: `Too many tags added for queue ${name}.`,
  });
  await expectError(sqs.send(new TagQueueCommand({ QueueUrl, Tags: { ["k".repeat(129)]: "v" } })), keyLength);
  await expectError(sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: [] })), keyLength);
  await expectError(sqs.send(new TagQueueCommand({ QueueUrl, Tags: {} })), {
    name: "MissingParameter",
    code: "MissingParameter",
    message: "The request must contain the parameter Tags.",
  });
  const { Tags } = await sqs.send(new ListQueueTagsCommand({ QueueUrl }));
  assert.deepEqual(Tags ?? {}, {});
});
