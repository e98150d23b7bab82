// Message move tasks through the AWS SDK for JavaScript v3 (JSON 1.0): redrive back to the source,
// to a destination, at a rate, cancelled, and the errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { ACCOUNT, client, createQueue, expectError, sleep, uniqueName } from "../lib/sluice.js";

const sqs = client();

const arnOf = async (QueueUrl) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] })))
    .Attributes.QueueArn;

async function counts(QueueUrl) {
  const { Attributes: a } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
  );
  return Number(a.ApproximateNumberOfMessages) + Number(a.ApproximateNumberOfMessagesNotVisible);
}

// A DLQ and a source (maxReceiveCount 1) whose messages `bodies` have all been dead-lettered.
async function deadLettered(t, bodies) {
  const dlq = await createQueue(sqs, t);
  const dlqArn = await arnOf(dlq);
  const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 });
  const src = await createQueue(sqs, t, { Attributes: { RedrivePolicy } });
  for (let i = 0; i < bodies.length; i += 10) {
    const Entries = bodies
      .slice(i, i + 10)
      .map((MessageBody, j) => ({ Id: `e${j}`, MessageBody }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: src, Entries }));
  }
  for (let i = 0; i < 100 && (await counts(src)) > 0; i++) {
    await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
    );
  }
  assert.equal(await counts(dlq), bodies.length);
  return { dlq, dlqArn, src };
}

async function waitFor(SourceArn, statuses) {
  for (let i = 0; i < 300; i++) {
    const [task] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn }))).Results;
    if (statuses.includes(task.Status)) return task;
    await sleep(50);
  }
  throw new Error(`task of ${SourceArn} never reached ${statuses}`);
}

async function drain(QueueUrl) {
  const bodies = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
    );
    if (Messages.length === 0) return bodies.sort();
    bodies.push(...Messages.map((m) => m.Body));
  }
}

test("StartMessageMoveTask moves messages back to their source", async (t) => {
  const { dlq, dlqArn, src } = await deadLettered(t, ["a", "b", "c"]);
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
  assert.ok(TaskHandle);
  const task = await waitFor(dlqArn, ["COMPLETED"]);
  assert.equal(task.ApproximateNumberOfMessagesMoved, 3);
  assert.equal(task.ApproximateNumberOfMessagesToMove, 3);
  assert.equal(task.TaskHandle, undefined);
  assert.equal(typeof task.StartedTimestamp, "number");
  assert.deepEqual(await drain(src), ["a", "b", "c"]);
  assert.deepEqual(await drain(dlq), []);
});

test("a rate-limited task to a destination can be cancelled", async (t) => {
  const { dlq, dlqArn } = await deadLettered(t, ["1", "2", "3", "4", "5"]);
  const dest = await createQueue(sqs, t);
  const DestinationArn = await arnOf(dest);
  const { TaskHandle } = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: dlqArn,
      DestinationArn,
      MaxNumberOfMessagesPerSecond: 1,
    }),
  );
  await sleep(300);
  const listed = await sqs.send(
    new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }),
  );
  const [running] = listed.Results;
  assert.equal(running.Status, "RUNNING");
  assert.equal(running.TaskHandle, TaskHandle);
  assert.equal(running.DestinationArn, DestinationArn);
  assert.equal(running.MaxNumberOfMessagesPerSecond, 1);
  await expectError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
  });
  const { ApproximateNumberOfMessagesMoved } = await sqs.send(
    new CancelMessageMoveTaskCommand({ TaskHandle }),
  );
  assert.ok(ApproximateNumberOfMessagesMoved >= 1 && ApproximateNumberOfMessagesMoved < 5);
  const task = await waitFor(dlqArn, ["CANCELLED"]);
  assert.equal(task.ApproximateNumberOfMessagesMoved, ApproximateNumberOfMessagesMoved);
  await sleep(1200);
  const moved = await drain(dest);
  const left = await drain(dlq);
  assert.equal(moved.length, ApproximateNumberOfMessagesMoved);
  assert.deepEqual([...moved, ...left].sort(), ["1", "2", "3", "4", "5"]);
  await expectError(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })), {
    name: "ResourceNotFoundException",
    code: "ResourceNotFoundException",
    status: 404,
  });
});

test("move task errors", async (t) => {
  const plain = await createQueue(sqs, t);
  const plainArn = await arnOf(plain);
  await expectError(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plainArn })), {
    name: "InvalidParameterValue",
    code: "InvalidParameterValue",
  });
  const missing = `arn:aws:sqs:us-east-1:${ACCOUNT}:${uniqueName("gone")}`;
  for (const command of [
    new StartMessageMoveTaskCommand({ SourceArn: missing }),
    new ListMessageMoveTasksCommand({ SourceArn: missing }),
  ]) {
    await expectError(sqs.send(command), { name: "ResourceNotFoundException", status: 404 });
  }
  await expectError(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: "nope" })), {
    name: "InvalidParameterValue",
  });
  await expectError(
    sqs.send(new ListMessageMoveTasksCommand({ SourceArn: plainArn, MaxResults: 11 })),
    { name: "InvalidParameterValue" },
  );
});
