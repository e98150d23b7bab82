// TestState through @aws-sdk/client-sfn (disableHostPrefix: the SDK sends TestState to the
// "sync-" host): Pass at each inspection level, Choice, Fail, an sqs:sendMessage Task that really
// sends, and the request errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { TestStateCommand } from "@aws-sdk/client-sfn";
import { client, createQueue } from "../lib/sluice.js";
import { expectSfnError, ROLE, sfnClient } from "../lib/sfn.js";

const sfn = sfnClient();
const sqs = client();

const testState = (state, input = {}) =>
  sfn.send(new TestStateCommand({ definition: JSON.stringify(state), ...input }));

test("Pass reports output and next state; DEBUG adds the processing stages", async () => {
  const state = { Type: "Pass", Parameters: { "v.$": "$.x" }, Next: "After" };
  const info = await testState(state, { input: '{"x":3}', roleArn: ROLE });
  assert.equal(info.status, "SUCCEEDED");
  assert.equal(info.output, '{"v":3}');
  assert.equal(info.nextState, "After");
  assert.equal(info.inspectionData, undefined);
  const debug = await testState(state, { input: '{"x":3}', inspectionLevel: "DEBUG" });
  assert.equal(debug.inspectionData.input, '{"x":3}');
  assert.equal(debug.inspectionData.afterParameters, '{"v":3}');
});

test("Choice picks the next state; Fail reports its error", async () => {
  const choice = {
    Type: "Choice",
    Choices: [{ Variable: "$.n", NumericLessThan: 0, Next: "Negative" }],
    Default: "Positive",
  };
  assert.equal((await testState(choice, { input: '{"n":-1}' })).nextState, "Negative");
  const fail = await testState({ Type: "Fail", Error: "Nope", Cause: "why" });
  assert.deepEqual([fail.status, fail.error, fail.cause], ["FAILED", "Nope", "why"]);
});

test("an sqs:sendMessage Task really sends the message", async (t) => {
  const QueueUrl = await createQueue(sqs, t);
  const out = await testState(
    {
      Type: "Task",
      Resource: "arn:aws:states:::sqs:sendMessage",
      Parameters: { QueueUrl, "MessageBody.$": "$.text" },
      End: true,
    },
    { input: '{"text":"js TestState"}', roleArn: ROLE, inspectionLevel: "TRACE" },
  );
  assert.equal(out.status, "SUCCEEDED");
  const { MessageId } = JSON.parse(out.output);
  assert.ok(JSON.parse(out.inspectionData.result).MessageId === MessageId);
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
  assert.deepEqual(
    Messages.map((m) => [m.MessageId, m.Body]),
    [[MessageId, "js TestState"]],
  );
});

test("request errors", async () => {
  await expectSfnError(testState({ Type: "Pass" }), "InvalidDefinition");
  await expectSfnError(
    testState({ Type: "Pass", End: true }, { input: "{bad" }),
    "InvalidExecutionInput",
  );
  await expectSfnError(
    testState({ Type: "Pass", End: true }, { roleArn: "not-a-role" }),
    "InvalidArn",
    "Invalid Role Arn: 'not-a-role'",
  );
  await expectSfnError(
    testState({ Type: "Pass", End: true }, { mock: { result: "{}" } }),
    "ValidationException",
  );
});
