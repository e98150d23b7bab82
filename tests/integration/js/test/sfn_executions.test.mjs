// Step Functions executions through @aws-sdk/client-sfn: every state type, history, listing,
// stop, idempotent start, StartSyncExecution and Express rules.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  paginateGetExecutionHistory,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  UpdateStateMachineCommand,
} from "@aws-sdk/client-sfn";
import { sleep } from "../lib/sluice.js";
import {
  createMachine,
  definition,
  expectSfnError,
  PASS,
  PASS_CHOICE_MAP,
  PREFIX,
  sfnClient,
  waitFor,
} from "../lib/sfn.js";

const sfn = sfnClient();

const ALL_TYPES = definition("Start", {
  Start: { Type: "Pass", Parameters: { "n.$": "$.n", items: [1, 2, 3] }, Next: "Pick" },
  Pick: {
    Type: "Choice",
    Choices: [{ Variable: "$.n", NumericGreaterThan: 0, Next: "Hold" }],
    Default: "Nope",
  },
  Hold: { Type: "Wait", Seconds: 1, Next: "Both" },
  Both: {
    Type: "Parallel",
    ResultPath: "$.both",
    Next: "Each",
    Branches: [
      { StartAt: "L", States: { L: { Type: "Pass", Result: "left", End: true } } },
      { StartAt: "R", States: { R: { Type: "Pass", Result: "right", End: true } } },
    ],
  },
  Each: {
    Type: "Map",
    ItemsPath: "$.items",
    ResultPath: "$.doubled",
    ItemProcessor: {
      StartAt: "D",
      States: {
        D: { Type: "Pass", Parameters: { "v.$": "States.MathAdd($, $)" }, OutputPath: "$.v", End: true },
      },
    },
    Next: "Done",
  },
  Done: { Type: "Succeed" },
  Nope: { Type: "Fail", Error: "NotPositive", Cause: "n must be > 0" },
});

async function finished(executionArn) {
  for (let i = 0; i < 200; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await sleep(50);
  }
  throw new Error(`${executionArn} still running`);
}

test("a Standard execution through every state type, with its history", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, { definition: ALL_TYPES });
  const { executionArn, startDate } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name: "all", input: JSON.stringify({ n: 3 }) }),
  );
  assert.equal(executionArn, `${PREFIX}execution:${stateMachineArn.split(":").pop()}:all`);
  assert.ok(startDate instanceof Date);
  const d = await finished(executionArn);
  assert.equal(d.status, "SUCCEEDED");
  const out = JSON.parse(d.output);
  assert.deepEqual(out.both, ["left", "right"]);
  assert.deepEqual(out.doubled, [2, 4, 6]);
  assert.equal(d.redriveCount, 0);
  assert.equal(d.redriveStatus, "NOT_REDRIVABLE");

  const events = [];
  for await (const page of paginateGetExecutionHistory(
    { client: sfn, pageSize: 5 },
    { executionArn },
  )) {
    events.push(...page.events);
  }
  assert.deepEqual(
    events.map((e) => e.id),
    events.map((_, i) => i + 1),
  );
  const types = events.map((e) => e.type);
  assert.equal(types[0], "ExecutionStarted");
  assert.equal(types.at(-1), "ExecutionSucceeded");
  for (const t of ["ChoiceStateEntered", "WaitStateExited", "ParallelStateSucceeded", "MapIterationStarted"]) {
    assert.ok(types.includes(t), t);
  }
  assert.ok(events[0].timestamp instanceof Date);
  assert.equal(events[0].executionStartedEventDetails.roleArn, "arn:aws:iam::123456789012:role/sluice-test");

  const rev = await sfn.send(
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }),
  );
  assert.equal(rev.events[0].type, "ExecutionSucceeded");
  assert.ok(rev.nextToken);

  const failed = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ n: -1 }) }),
  );
  const f = await finished(failed.executionArn);
  assert.equal(f.status, "FAILED");
  assert.equal(f.error, "NotPositive");
  assert.equal(f.redriveStatus, "REDRIVABLE");
});

test("list, stop and idempotent start", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, { definition: waitFor(60) });
  const a = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "a", input: "{}" }));
  const same = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "a", input: "{}" }));
  assert.equal(same.executionArn, a.executionArn);
  assert.equal(same.startDate.getTime(), a.startDate.getTime());
  await expectSfnError(
    sfn.send(new StartExecutionCommand({ stateMachineArn, name: "a", input: '{"x":1}' })),
    "ExecutionAlreadyExists",
    `Execution Already Exists: '${a.executionArn}'`,
  );
  await sleep(5);
  const b = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "b" }));
  const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
  assert.deepEqual(list.executions.map((e) => e.name), ["b", "a"]);
  const stop = await sfn.send(new StopExecutionCommand({ executionArn: a.executionArn, cause: "js" }));
  assert.ok(stop.stopDate instanceof Date);
  const d = await sfn.send(new DescribeExecutionCommand({ executionArn: a.executionArn }));
  assert.equal(d.status, "ABORTED");
  assert.equal(d.cause, "js");
  const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING" }));
  assert.deepEqual(running.executions.map((e) => e.name), ["b"]);
  await sfn.send(new StopExecutionCommand({ executionArn: b.executionArn }));
});

test("DescribeStateMachineForExecution shows the definition the execution ran", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, { definition: waitFor(60) });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
  await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: PASS }));
  const d = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
  assert.equal(d.definition, waitFor(60));
  assert.equal(d.stateMachineArn, stateMachineArn);
  await sfn.send(new StopExecutionCommand({ executionArn }));
});

test("StartSyncExecution runs an Express machine to its end", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, {
    definition: PASS_CHOICE_MAP,
    type: "EXPRESS",
  });
  const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: "{}" }));
  assert.equal(r.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(r.output), [1, 2, 3]);
  assert.ok(r.executionArn.startsWith(`${PREFIX}express:`));
  assert.equal(r.billingDetails.billedMemoryUsedInMB, 64);
  assert.ok(r.stopDate.getTime() >= r.startDate.getTime());

  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
  await expectSfnError(
    sfn.send(new DescribeExecutionCommand({ executionArn })),
    "InvalidArn",
    "Invalid Arn: 'Resource type not valid in this context: express'",
  );
  await expectSfnError(
    sfn.send(new ListExecutionsCommand({ stateMachineArn })),
    "StateMachineTypeNotSupported",
  );
  const standard = await createMachine(sfn, t, { definition: PASS });
  await expectSfnError(
    sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard.stateMachineArn })),
    "StateMachineTypeNotSupported",
    "This operation is not supported by this type of state machine",
  );
});

test("execution errors", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, { definition: PASS });
  await expectSfnError(
    sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{oops" })),
    "InvalidExecutionInput",
  );
  await expectSfnError(
    sfn.send(new StartExecutionCommand({ stateMachineArn, name: "no spaces" })),
    "InvalidName",
  );
  const missing = `${PREFIX}execution:nope:nope`;
  await expectSfnError(
    sfn.send(new DescribeExecutionCommand({ executionArn: missing })),
    "ExecutionDoesNotExist",
    `Execution Does Not Exist: '${missing}'`,
  );
  await expectSfnError(
    sfn.send(new DescribeExecutionCommand({ executionArn: "arn:aws:sqs:x" })),
    "InvalidArn",
  );
  await expectSfnError(
    sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1001 })),
    "ValidationException",
  );
});
