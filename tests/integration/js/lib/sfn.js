// Helpers for the Step Functions tests: an SFNClient for the server the harness started, a role
// ARN, definitions, state machines that are deleted when the test ends, and error assertions.
// disableHostPrefix: StartSyncExecution is modelled with the host prefix "sync-"; against a local
// endpoint the SDK must not prepend it (it would call sync-127.0.0.1).
import assert from "node:assert/strict";
import { CreateStateMachineCommand, DeleteStateMachineCommand, SFNClient } from "@aws-sdk/client-sfn";
import { endpoint, REGION, uniqueName } from "./sluice.js";

export const ROLE = "arn:aws:iam::123456789012:role/sluice-test";
export const PREFIX = `arn:aws:states:${REGION}:000000000000:`;

export function sfnClient(options = {}) {
  return new SFNClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
    maxAttempts: 1,
    disableHostPrefix: true,
    ...options,
  });
}

export const definition = (startAt, states) => JSON.stringify({ StartAt: startAt, States: states });

export const PASS = definition("P", { P: { Type: "Pass", Result: { ok: true }, End: true } });

export const waitFor = (seconds) =>
  definition("W", {
    W: { Type: "Wait", Seconds: seconds, Next: "P" },
    P: { Type: "Pass", End: true },
  });

// Pass -> Choice -> Map(3 x Pass) -> Succeed (the benchmark machine).
export const PASS_CHOICE_MAP = definition("Prepare", {
  Prepare: { Type: "Pass", Result: { items: [1, 2, 3], go: true }, Next: "Decide" },
  Decide: {
    Type: "Choice",
    Choices: [{ Variable: "$.go", BooleanEquals: true, Next: "Each" }],
    Default: "Stop",
  },
  Each: {
    Type: "Map",
    ItemsPath: "$.items",
    ItemProcessor: { StartAt: "Item", States: { Item: { Type: "Pass", End: true } } },
    Next: "Done",
  },
  Done: { Type: "Succeed" },
  Stop: { Type: "Fail", Error: "NoGo", Cause: "go was false" },
});

// createMachine(sfn, t, input) -> the CreateStateMachine output; deleted when test t ends.
export async function createMachine(sfn, t, input) {
  const out = await sfn.send(
    new CreateStateMachineCommand({ name: uniqueName("js-sm"), roleArn: ROLE, ...input }),
  );
  t.after(async () => {
    try {
      await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: out.stateMachineArn }));
    } catch {
      // already deleted by the test
    }
  });
  return out;
}

// Asserts that `promise` rejects with the Step Functions error `name` (and message, if given).
export async function expectSfnError(promise, name, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `error ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, 400);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}
