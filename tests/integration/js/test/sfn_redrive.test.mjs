// RedriveExecution through @aws-sdk/client-sfn: a failed execution continues from the state that
// failed, the redrive members of DescribeExecution / ListExecutions / the history, clientToken
// idempotency, and the refusals.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { createMachine, definition, expectSfnError, PREFIX, sfnClient, waitFor } from "../lib/sfn.js";
import { sleep } from "../lib/sluice.js";

const sfn = sfnClient();

// Fails in Check the first time (no choice matches); after a redrive Check matches.
const FLAKY = definition("Prepare", {
  Prepare: { Type: "Pass", Result: 1, ResultPath: "$.prepared", Next: "Check" },
  Check: {
    Type: "Choice",
    Choices: [{ Variable: "$$.Execution.RedriveCount", NumericGreaterThanEquals: 1, Next: "Done" }],
  },
  Done: { Type: "Succeed" },
});

async function finished(executionArn) {
  for (let i = 0; i < 200; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await sleep(50);
  }
  throw new Error(`${executionArn} never finished`);
}

test("a failed execution is redriven and succeeds", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, { definition: FLAKY });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: "{}" }));
  let d = await finished(executionArn);
  assert.equal(d.status, "FAILED");
  assert.equal(d.redriveStatus, "REDRIVABLE");
  assert.equal(d.redriveCount, 0);

  const { redriveDate } = await sfn.send(
    new RedriveExecutionCommand({ executionArn, clientToken: "js-token" }),
  );
  assert.ok(redriveDate instanceof Date);
  d = await finished(executionArn);
  assert.equal(d.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(d.output), { prepared: 1 });
  assert.equal(d.redriveCount, 1);
  assert.equal(d.redriveDate.getTime(), redriveDate.getTime());
  assert.equal(d.redriveStatus, "NOT_REDRIVABLE");
  assert.equal(d.redriveStatusReason, "Execution is SUCCEEDED and cannot be redriven");

  const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  const types = events.map((e) => e.type);
  assert.deepEqual(
    events.map((e) => e.id),
    events.map((_, i) => i + 1),
  );
  assert.equal(types.filter((x) => x === "PassStateEntered").length, 1, "Prepare is not re-run");
  const redriven = events.find((e) => e.type === "ExecutionRedriven");
  assert.deepEqual(redriven.executionRedrivenEventDetails, { redriveCount: 1 });
  assert.equal(types.at(-1), "ExecutionSucceeded");

  // Same clientToken: the same answer, no second redrive.
  const again = await sfn.send(new RedriveExecutionCommand({ executionArn, clientToken: "js-token" }));
  assert.equal(again.redriveDate.getTime(), redriveDate.getTime());
  await expectSfnError(
    sfn.send(new RedriveExecutionCommand({ executionArn })),
    "ExecutionNotRedrivable",
    "Execution is SUCCEEDED and cannot be redriven",
  );

  const redrivenList = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn, redriveFilter: "REDRIVEN" }),
  );
  assert.deepEqual(
    redrivenList.executions.map((e) => e.executionArn),
    [executionArn],
  );
  assert.equal(redrivenList.executions[0].redriveCount, 1);
  const notRedriven = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn, redriveFilter: "NOT_REDRIVEN" }),
  );
  assert.deepEqual(notRedriven.executions, []);
});

test("RedriveExecution refusals", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, { definition: waitFor(60) });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
  await expectSfnError(
    sfn.send(new RedriveExecutionCommand({ executionArn })),
    "ExecutionNotRedrivable",
    "Execution is RUNNING and cannot be redriven",
  );
  await expectSfnError(
    sfn.send(new RedriveExecutionCommand({ executionArn: `${PREFIX}execution:nope:nope` })),
    "ExecutionDoesNotExist",
  );
  await expectSfnError(sfn.send(new RedriveExecutionCommand({ executionArn: "nope" })), "InvalidArn");
});
