// EventBridge Pipes through @aws-sdk/client-pipes (REST-JSON): create, describe, list (filters and
// paging), update, stop, start, tags and delete; the error classes the SDK maps, with their
// statuses and members; and one full flow: an SQS queue (@aws-sdk/client-sqs, AWS JSON 1.0, MD5s
// checked by the SDK) piped to a STANDARD state machine (@aws-sdk/client-sfn) FIRE_AND_FORGET.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ConflictException,
  CreatePipeCommand,
  DeletePipeCommand,
  DescribePipeCommand,
  ListPipesCommand,
  ListTagsForResourceCommand,
  NotFoundException,
  PipesClient,
  StartPipeCommand,
  StopPipeCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdatePipeCommand,
  ValidationException,
} from "@aws-sdk/client-pipes";
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { DescribeExecutionCommand, ListExecutionsCommand } from "@aws-sdk/client-sfn";
import {
  ACCOUNT,
  client,
  createQueue,
  endpoint,
  md5Hex,
  md5OfMessageAttributes,
  REGION,
  sleep,
  uniqueName,
} from "../lib/sluice.js";
import { createMachine, PASS, ROLE, sfnClient } from "../lib/sfn.js";

const pipes = new PipesClient({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: "x", secretAccessKey: "x" },
  maxAttempts: 1,
});
const sqs = client();
const sfn = sfnClient();

const FIRE_AND_FORGET = { StepFunctionStateMachineParameters: { InvocationType: "FIRE_AND_FORGET" } };
const queueArn = (url) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${url.split("/").pop()}`;
const pipeArn = (name) => `arn:aws:pipes:${REGION}:${ACCOUNT}:pipe/${name}`;

async function waitFor(fn, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(50);
  }
}

const state = async (Name) => (await pipes.send(new DescribePipeCommand({ Name }))).CurrentState;
const waitForState = (Name, want) => waitFor(async () => (await state(Name)) === want, `${Name} ${want}`);

// createPipe(t, input) -> CreatePipe's output; the pipe is deleted when test t ends.
async function createPipe(t, input) {
  const out = await pipes.send(new CreatePipeCommand({ RoleArn: ROLE, ...input }));
  t.after(async () => {
    try {
      await pipes.send(new DeletePipeCommand({ Name: input.Name }));
    } catch {
      // deleted by the test
    }
  });
  return out;
}

async function queueCounts(QueueUrl) {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
  );
  return [Number(Attributes.ApproximateNumberOfMessages), Number(Attributes.ApproximateNumberOfMessagesNotVisible)];
}

async function listExecutions(stateMachineArn) {
  return (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions;
}

test("create, describe, list, update, stop, start, tags and delete", async (t) => {
  const url = await createQueue(sqs, t);
  const { stateMachineArn: machine } = await createMachine(sfn, t, { definition: PASS });
  const name = uniqueName("js-pipe");
  const created = await createPipe(t, {
    Name: name,
    Description: "from the JS SDK",
    Source: queueArn(url),
    SourceParameters: { SqsQueueParameters: { BatchSize: 5, MaximumBatchingWindowInSeconds: 2 } },
    Target: machine,
    TargetParameters: FIRE_AND_FORGET,
    Tags: { team: "core" },
  });
  assert.equal(created.$metadata.httpStatusCode, 200);
  assert.equal(created.Arn, pipeArn(name));
  assert.equal(created.Name, name);
  assert.equal(created.DesiredState, "RUNNING");
  assert.ok(["CREATING", "RUNNING"].includes(created.CurrentState), created.CurrentState);
  assert.ok(created.CreationTime instanceof Date && created.LastModifiedTime instanceof Date);
  await waitForState(name, "RUNNING");

  const d = await pipes.send(new DescribePipeCommand({ Name: name }));
  assert.equal(d.Arn, pipeArn(name));
  assert.equal(d.Description, "from the JS SDK");
  assert.equal(d.Source, queueArn(url));
  assert.equal(d.Target, machine);
  assert.equal(d.RoleArn, ROLE);
  assert.deepEqual(d.SourceParameters.SqsQueueParameters, { BatchSize: 5, MaximumBatchingWindowInSeconds: 2 });
  assert.deepEqual(d.TargetParameters, FIRE_AND_FORGET);
  assert.deepEqual(d.Tags, { team: "core" });
  assert.equal(d.DesiredState, "RUNNING");
  assert.ok(d.CreationTime instanceof Date);
  assert.equal(d.CreationTime.getTime(), created.CreationTime.getTime());

  // ListPipes: filters, and paging with Limit / NextToken.
  const second = uniqueName("js-pipe");
  await createPipe(t, {
    Name: second,
    Source: queueArn(url),
    Target: machine,
    TargetParameters: FIRE_AND_FORGET,
    DesiredState: "STOPPED",
  });
  await waitForState(second, "STOPPED");
  const bySource = await pipes.send(new ListPipesCommand({ SourcePrefix: queueArn(url) }));
  assert.deepEqual(bySource.Pipes.map((p) => p.Name).sort(), [name, second].sort());
  const byName = await pipes.send(new ListPipesCommand({ NamePrefix: name }));
  assert.deepEqual(
    byName.Pipes.map((p) => [p.Name, p.Arn, p.Source, p.Target, p.DesiredState, p.CurrentState]),
    [[name, pipeArn(name), queueArn(url), machine, "RUNNING", "RUNNING"]],
  );
  const stoppedOnly = await pipes.send(new ListPipesCommand({ SourcePrefix: queueArn(url), DesiredState: "STOPPED" }));
  assert.deepEqual(stoppedOnly.Pipes.map((p) => p.Name), [second]);
  const running = await pipes.send(new ListPipesCommand({ TargetPrefix: machine, CurrentState: "RUNNING" }));
  assert.deepEqual(running.Pipes.map((p) => p.Name), [name]);
  const page1 = await pipes.send(new ListPipesCommand({ SourcePrefix: queueArn(url), Limit: 1 }));
  assert.equal(page1.Pipes.length, 1);
  assert.ok(page1.NextToken, "a NextToken for the second page");
  const page2 = await pipes.send(
    new ListPipesCommand({ SourcePrefix: queueArn(url), Limit: 1, NextToken: page1.NextToken }),
  );
  assert.equal(page2.Pipes.length, 1);
  assert.equal(page2.NextToken, undefined);
  assert.deepEqual([page1.Pipes[0].Name, page2.Pipes[0].Name].sort(), [name, second].sort());

  // UpdatePipe: what is given changes, the source stays.
  const updated = await pipes.send(
    new UpdatePipeCommand({
      Name: name,
      RoleArn: ROLE,
      Description: "updated",
      SourceParameters: { SqsQueueParameters: { BatchSize: 1 } },
      TargetParameters: { ...FIRE_AND_FORGET, InputTemplate: '{"b": <$.body>}' },
    }),
  );
  assert.equal(updated.Arn, pipeArn(name));
  assert.equal(updated.DesiredState, "RUNNING");
  await waitForState(name, "RUNNING");
  const after = await pipes.send(new DescribePipeCommand({ Name: name }));
  assert.equal(after.Description, "updated");
  assert.equal(after.SourceParameters.SqsQueueParameters.BatchSize, 1);
  assert.equal(after.TargetParameters.InputTemplate, '{"b": <$.body>}');
  assert.equal(after.Source, queueArn(url));
  assert.ok(after.LastModifiedTime.getTime() >= d.LastModifiedTime.getTime());

  // Stop and start.
  const stopped = await pipes.send(new StopPipeCommand({ Name: name }));
  assert.equal(stopped.DesiredState, "STOPPED");
  assert.ok(["STOPPING", "STOPPED"].includes(stopped.CurrentState), stopped.CurrentState);
  await waitForState(name, "STOPPED");
  const started = await pipes.send(new StartPipeCommand({ Name: name }));
  assert.equal(started.DesiredState, "RUNNING");
  assert.ok(["STARTING", "RUNNING"].includes(started.CurrentState), started.CurrentState);
  await waitForState(name, "RUNNING");

  // Tags.
  await pipes.send(new TagResourceCommand({ resourceArn: pipeArn(name), tags: { env: "test", team: "edge" } }));
  let tags = await pipes.send(new ListTagsForResourceCommand({ resourceArn: pipeArn(name) }));
  assert.deepEqual(tags.tags, { team: "edge", env: "test" });
  await pipes.send(new UntagResourceCommand({ resourceArn: pipeArn(name), tagKeys: ["team"] }));
  tags = await pipes.send(new ListTagsForResourceCommand({ resourceArn: pipeArn(name) }));
  assert.deepEqual(tags.tags, { env: "test" });

  // Delete.
  const deleted = await pipes.send(new DeletePipeCommand({ Name: name }));
  assert.equal(deleted.Arn, pipeArn(name));
  assert.equal(deleted.DesiredState, "DELETED");
  await waitFor(async () => {
    try {
      await pipes.send(new DescribePipeCommand({ Name: name }));
      return false;
    } catch (e) {
      return e instanceof NotFoundException;
    }
  }, "the delete");
  const left = await pipes.send(new ListPipesCommand({ SourcePrefix: queueArn(url) }));
  assert.deepEqual(left.Pipes.map((p) => p.Name), [second]);
});

test("errors: NotFoundException, ConflictException, ValidationException with fieldList", async (t) => {
  const missing = uniqueName("js-missing");
  for (const command of [
    new DescribePipeCommand({ Name: missing }),
    new StopPipeCommand({ Name: missing }),
    new StartPipeCommand({ Name: missing }),
    new DeletePipeCommand({ Name: missing }),
    new ListTagsForResourceCommand({ resourceArn: pipeArn(missing) }),
  ]) {
    await assert.rejects(pipes.send(command), (e) => {
      assert.ok(e instanceof NotFoundException, `${command.constructor.name}: ${e.name} ${e.message}`);
      assert.equal(e.name, "NotFoundException");
      assert.equal(e.$metadata.httpStatusCode, 404);
      assert.equal(e.$fault, "client");
      assert.match(e.message, new RegExp(missing));
      return true;
    });
  }

  const url = await createQueue(sqs, t);
  const { stateMachineArn: machine } = await createMachine(sfn, t, { definition: PASS });
  const name = uniqueName("js-pipe");
  const input = { Name: name, Source: queueArn(url), Target: machine, TargetParameters: FIRE_AND_FORGET };
  await createPipe(t, input);
  await assert.rejects(pipes.send(new CreatePipeCommand({ RoleArn: ROLE, ...input })), (e) => {
    assert.ok(e instanceof ConflictException, `${e.name}: ${e.message}`);
    assert.equal(e.$metadata.httpStatusCode, 409);
    assert.equal(e.resourceId, name);
    assert.equal(e.resourceType, "pipe");
    return true;
  });

  // A model constraint (BatchSize >= 1): the SDK does not check it, the server does.
  await assert.rejects(
    pipes.send(
      new CreatePipeCommand({
        ...input,
        Name: uniqueName("js-bad"),
        RoleArn: ROLE,
        SourceParameters: { SqsQueueParameters: { BatchSize: 0 } },
      }),
    ),
    (e) => {
      assert.ok(e instanceof ValidationException, `${e.name}: ${e.message}`);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.ok(Array.isArray(e.fieldList) && e.fieldList.length === 1, JSON.stringify(e.fieldList));
      assert.equal(e.fieldList[0].name, "SourceParameters.SqsQueueParameters.BatchSize");
      assert.match(e.fieldList[0].message, /minimum/);
      return true;
    },
  );
  // A target Sluice does not serve: named in the fieldList.
  const topic = `arn:aws:sns:${REGION}:${ACCOUNT}:topic`;
  await assert.rejects(
    pipes.send(new CreatePipeCommand({ ...input, Name: uniqueName("js-bad"), RoleArn: ROLE, Target: topic })),
    (e) => {
      assert.ok(e instanceof ValidationException, `${e.name}: ${e.message}`);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.deepEqual(e.fieldList.map((f) => f.name), ["Target"]);
      assert.ok(e.fieldList[0].message.includes(topic), e.fieldList[0].message);
      return true;
    },
  );
  // UpdatePipe of a pipe that does not exist.
  await assert.rejects(
    pipes.send(new UpdatePipeCommand({ Name: missing, RoleArn: ROLE })),
    (e) => e instanceof NotFoundException && e.$metadata.httpStatusCode === 404,
  );
});

test("an SQS queue piped to a STANDARD state machine, FIRE_AND_FORGET", async (t) => {
  const url = await createQueue(sqs, t);
  const { stateMachineArn: machine } = await createMachine(sfn, t, { definition: PASS });
  const name = uniqueName("js-flow");
  await createPipe(t, { Name: name, Source: queueArn(url), Target: machine, TargetParameters: FIRE_AND_FORGET });
  await waitForState(name, "RUNNING");

  const MessageAttributes = {
    kind: { DataType: "String", StringValue: "order" },
    blob: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) },
  };
  const body = JSON.stringify({ orderId: 7, note: "héllo" });
  // The SDK checks MD5OfMessageBody and MD5OfMessageAttributes itself; compare too.
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes }));
  assert.equal(sent.MD5OfMessageBody, md5Hex(body));
  assert.equal(sent.MD5OfMessageAttributes, md5OfMessageAttributes(MessageAttributes));

  const [summary] = await waitFor(async () => {
    const listed = await listExecutions(machine);
    return listed.length ? listed : null;
  }, "the execution");
  assert.equal(summary.name, sent.MessageId);
  const execution = await waitFor(async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: summary.executionArn }));
    return d.status === "SUCCEEDED" ? d : null;
  }, "the execution to succeed");
  const records = JSON.parse(execution.input);
  assert.equal(records.length, 1);
  const [r] = records;
  assert.equal(r.messageId, sent.MessageId);
  assert.equal(typeof r.receiptHandle, "string");
  assert.equal(r.body, body);
  assert.equal(r.md5OfBody, md5Hex(body));
  assert.equal(r.eventSource, "aws:sqs");
  assert.equal(r.eventSourceARN, queueArn(url));
  assert.equal(r.awsRegion, REGION);
  assert.equal(r.attributes.ApproximateReceiveCount, "1");
  assert.equal(r.attributes.SenderId, ACCOUNT);
  assert.match(r.attributes.SentTimestamp, /^\d+$/);
  assert.match(r.attributes.ApproximateFirstReceiveTimestamp, /^\d+$/);
  assert.deepEqual(r.messageAttributes.kind, {
    stringValue: "order",
    stringListValues: [],
    binaryListValues: [],
    dataType: "String",
  });
  assert.equal(r.messageAttributes.blob.binaryValue, Buffer.from([1, 2, 3]).toString("base64"));
  assert.equal(r.messageAttributes.blob.dataType, "Binary");
  assert.deepEqual(JSON.parse(execution.output), { ok: true }); // PASS: Result {ok: true}
  await waitFor(async () => {
    const [visible, inFlight] = await queueCounts(url);
    return visible === 0 && inFlight === 0;
  }, "the queue to empty");

  // A batch: five messages in one SendMessageBatch, BatchSize 5 with a window, one execution
  // named after the batch's first message, holding the five records.
  await pipes.send(
    new UpdatePipeCommand({
      Name: name,
      RoleArn: ROLE,
      SourceParameters: { SqsQueueParameters: { BatchSize: 5, MaximumBatchingWindowInSeconds: 5 } },
      TargetParameters: FIRE_AND_FORGET,
    }),
  );
  await waitForState(name, "RUNNING");
  const batch = await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [0, 1, 2, 3, 4].map((i) => ({ Id: `m${i}`, MessageBody: `message ${i}` })),
    }),
  );
  assert.equal(batch.Successful.length, 5);
  const ids = new Map(batch.Successful.map((e) => [e.MessageId, e.Id]));
  const executions = await waitFor(async () => {
    const listed = await listExecutions(machine);
    return listed.length >= 2 ? listed : null;
  }, "the batch's execution");
  assert.equal(executions.length, 2, "one execution for the five messages");
  const second = executions.find((e) => e.name !== sent.MessageId);
  const d = await sfn.send(new DescribeExecutionCommand({ executionArn: second.executionArn }));
  const batchRecords = JSON.parse(d.input);
  assert.equal(batchRecords.length, 5);
  assert.equal(second.name, batchRecords[0].messageId);
  assert.deepEqual(
    batchRecords.map((x) => x.messageId).sort(),
    [...ids.keys()].sort(),
  );
  assert.deepEqual(
    batchRecords.map((x) => x.body).sort(),
    [0, 1, 2, 3, 4].map((i) => `message ${i}`),
  );
  await waitFor(async () => {
    const [visible, inFlight] = await queueCounts(url);
    return visible === 0 && inFlight === 0;
  }, "the queue to empty");
  assert.equal((await listExecutions(machine)).length, 2);
});
