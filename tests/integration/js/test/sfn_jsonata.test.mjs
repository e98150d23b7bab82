// JSONata and workflow variables through @aws-sdk/client-sfn: a JSONata machine's executions and
// their history (assignedVariables, EvaluationFailed), DescribeStateMachine variableReferences,
// a Task's error caught with $states.errorOutput, StartSyncExecution, TestState with variables, a
// redrive that keeps the variables, and the definition errors. The SDK parses every response by
// its model: a member under another name, or of another type, would not arrive.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  RedriveExecutionCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  TestStateCommand,
  ValidateStateMachineDefinitionCommand,
} from "@aws-sdk/client-sfn";
import { client, createQueue, sleep, uniqueName } from "../lib/sluice.js";
import { createMachine, expectSfnError, PREFIX, ROLE, sfnClient } from "../lib/sfn.js";

const sfn = sfnClient();

const jsonata = (startAt, states) =>
  JSON.stringify({ QueryLanguage: "JSONata", StartAt: startAt, States: states });

const ORDER = jsonata("Prepare", {
  Prepare: {
    Type: "Pass",
    Assign: { items: "{% $states.input.items %}", label: "order", ratio: 0.5 },
    Next: "Check",
  },
  Check: {
    Type: "Choice",
    Choices: [
      { Condition: "{% $count($items) > 0 %}", Next: "Each", Assign: { picked: "{% true %}" } },
    ],
    Default: "Empty",
  },
  Each: {
    Type: "Map",
    Items: "{% $items %}",
    ItemSelector: { v: "{% $states.context.Map.Item.Value %}", i: "{% $states.context.Map.Item.Index %}" },
    ItemProcessor: {
      StartAt: "Line",
      States: { Line: { Type: "Pass", Output: "{% $states.input.v * $ratio %}", End: true } },
    },
    Output: { label: "{% $label %}", lines: "{% $states.result %}", total: "{% $sum($states.result) %}" },
    End: true,
  },
  Empty: { Type: "Fail", Error: "Empty", Cause: "{% 'no items in ' & $label %}" },
});

async function finished(executionArn) {
  for (let i = 0; i < 200; i++) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== "RUNNING") return d;
    await sleep(50);
  }
  throw new Error(`${executionArn} still running`);
}

const history = async (executionArn) =>
  (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events;

test("a JSONata execution, its assignedVariables and its variableReferences", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, { definition: ORDER });
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name: "ok", input: JSON.stringify({ items: [2, 4] }) }),
  );
  assert.equal(executionArn, `${PREFIX}execution:${stateMachineArn.split(":").pop()}:ok`);
  const d = await finished(executionArn);
  assert.equal(d.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(d.output), { label: "order", lines: [1, 2], total: 3 });

  const events = await history(executionArn);
  assert.deepEqual(
    events.map((e) => e.id),
    events.map((_, i) => i + 1),
  );
  const exits = events.filter((e) => e.type.endsWith("StateExited")).map((e) => e.stateExitedEventDetails);
  const prepare = exits.find((x) => x.name === "Prepare");
  // Each value is JSON text; the names come sorted.
  assert.deepEqual(prepare.assignedVariables, { items: "[2,4]", label: '"order"', ratio: "0.5" });
  assert.deepEqual(Object.keys(prepare.assignedVariables), ["items", "label", "ratio"]);
  assert.deepEqual(prepare.assignedVariablesDetails, { truncated: false });
  assert.deepEqual(exits.find((x) => x.name === "Check").assignedVariables, { picked: "true" });
  assert.equal(exits.find((x) => x.name === "Each").assignedVariables, undefined);
  const lines = events
    .filter((e) => e.type === "PassStateEntered" && e.stateEnteredEventDetails.name === "Line")
    .map((e) => JSON.parse(e.stateEnteredEventDetails.input));
  assert.deepEqual(lines, [{ v: 2, i: 0 }, { v: 4, i: 1 }]);

  const empty = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"items":[]}' }));
  const f = await finished(empty.executionArn);
  assert.deepEqual([f.status, f.error, f.cause], ["FAILED", "Empty", "no items in order"]);

  const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  assert.deepEqual(described.variableReferences, {
    Check: ["items"],
    Each: ["items", "label"],
    Line: ["ratio"],
    Empty: ["label"],
  });
});

test("an expression that returns nothing fails the execution with EvaluationFailed", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, {
    definition: jsonata("State0", {
      State0: { Type: "Pass", Next: "State1" },
      State1: { Type: "Pass", Output: { result: "{% $doesNotExist %}" }, End: true },
    }),
  });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
  const d = await finished(executionArn);
  const cause =
    "An error occurred while executing the state 'State1' (entered at the event id #4). " +
    "The JSONata expression '$doesNotExist' specified for the field 'Output/result' " +
    "returned nothing (undefined).";
  assert.deepEqual([d.status, d.error, d.cause], ["FAILED", "States.QueryEvaluationError", cause]);
  const events = await history(executionArn);
  assert.deepEqual(
    events.map((e) => [e.type, e.id, e.previousEventId]),
    [
      ["ExecutionStarted", 1, 0],
      ["PassStateEntered", 2, 0],
      ["PassStateExited", 3, 2],
      ["PassStateEntered", 4, 3],
      ["EvaluationFailed", 5, 3],
      ["ExecutionFailed", 6, 5],
    ],
  );
  assert.deepEqual(events[4].evaluationFailedEventDetails, {
    cause,
    error: "States.QueryEvaluationError",
    location: "Output/result",
    state: "State1",
  });
});

test("a Task error caught with $states.errorOutput, in an execution and in TestState", async (t) => {
  const QueueUrl = await createQueue(client(), t);
  const catcher = {
    ErrorEquals: ["SQS.QueueDoesNotExistException"],
    Next: "Recover",
    Output: { input: "{% $states.input %}", error: "{% $states.errorOutput.Error %}" },
    Assign: { failedQueue: "{% $queue %}" },
  };
  const send = {
    Type: "Task",
    Resource: "arn:aws:states:::sqs:sendMessage",
    Arguments: { QueueUrl: "{% $queue %}", MessageBody: "{% $string($states.input) %}" },
    Assign: { never: 1 },
    Catch: [catcher],
    End: true,
  };
  const { stateMachineArn } = await createMachine(sfn, t, {
    definition: jsonata("Set", {
      Set: { Type: "Pass", Assign: { queue: "{% $states.input.queue %}" }, Next: "Send" },
      Send: send,
      Recover: { Type: "Pass", Output: "{% [$states.input, $failedQueue] %}", End: true },
    }),
  });
  const missing = `${QueueUrl}-missing`;
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ queue: missing }) }),
  );
  const d = await finished(executionArn);
  assert.equal(d.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(d.output), [
    { input: { queue: missing }, error: "SQS.QueueDoesNotExistException" },
    missing,
  ]);
  const exited = (await history(executionArn)).find((e) => e.type === "TaskStateExited");
  // The catcher's variables, not the state's own Assign.
  assert.deepEqual(exited.stateExitedEventDetails.assignedVariables, {
    failedQueue: JSON.stringify(missing),
  });
  const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
  assert.deepEqual(forExecution.variableReferences, { Send: ["queue"], Recover: ["failedQueue"] });

  const tested = await sfn.send(
    new TestStateCommand({
      definition: JSON.stringify({ ...send, QueryLanguage: "JSONata" }),
      input: '{"k":1}',
      variables: JSON.stringify({ queue: missing }),
      roleArn: ROLE,
      inspectionLevel: "DEBUG",
    }),
  );
  assert.equal(tested.status, "CAUGHT_ERROR");
  assert.equal(tested.nextState, "Recover");
  assert.equal(tested.error, "SQS.QueueDoesNotExistException");
  assert.deepEqual(JSON.parse(tested.output), {
    input: { k: 1 },
    error: "SQS.QueueDoesNotExistException",
  });
  assert.deepEqual(tested.inspectionData.errorDetails, { catchIndex: 0 });
  assert.deepEqual(JSON.parse(tested.inspectionData.afterArguments), {
    QueueUrl: missing,
    MessageBody: '{"k":1}',
  });
  assert.deepEqual(JSON.parse(tested.inspectionData.variables), {
    queue: missing,
    failedQueue: missing,
  });
});

test("StartSyncExecution of a JSONata Express machine", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, { definition: ORDER, type: "EXPRESS" });
  const ok = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"items":[10]}' }));
  assert.equal(ok.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(ok.output), { label: "order", lines: [5], total: 5 });
  const bad = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"items":"x"}' }));
  assert.equal(bad.status, "FAILED");
  assert.equal(bad.error, "States.QueryEvaluationError");
});

test("a redrive goes on with the variables assigned before the failure", async (t) => {
  const { stateMachineArn } = await createMachine(sfn, t, {
    definition: jsonata("A", {
      A: { Type: "Pass", Assign: { id: "{% $uuid() %}" }, Next: "Check" },
      Check: {
        Type: "Choice",
        Choices: [{ Condition: "{% $states.context.Execution.RedriveCount = 1 %}", Next: "Done" }],
      },
      Done: { Type: "Pass", Output: { id: "{% $id %}" }, End: true },
    }),
  });
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
  assert.equal((await finished(executionArn)).error, "States.NoChoiceMatched");
  const assigned = (await history(executionArn)).find((e) => e.type === "PassStateExited")
    .stateExitedEventDetails.assignedVariables;
  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  const d = await finished(executionArn);
  assert.equal(d.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(d.output), { id: JSON.parse(assigned.id) });
});

test("TestState with variables", async () => {
  const state = {
    Type: "Pass",
    QueryLanguage: "JSONata",
    Output: { v: "{% $a + $states.input.n %}" },
    Assign: { b: "{% $a * 2 %}" },
    End: true,
  };
  const out = await sfn.send(
    new TestStateCommand({
      definition: JSON.stringify(state),
      input: '{"n":1}',
      variables: '{"a":10}',
      inspectionLevel: "DEBUG",
    }),
  );
  assert.equal(out.status, "SUCCEEDED");
  assert.equal(out.output, '{"v":11}');
  assert.deepEqual(out.inspectionData, { input: '{"n":1}', variables: '{"a":10,"b":20}' });

  const task = {
    Type: "Task",
    QueryLanguage: "JSONata",
    Resource: "arn:aws:states:::sqs:sendMessage",
    Arguments: { QueueUrl: "{% $queue %}", MessageBody: "{% $states.input.m %}" },
    Output: "{% $states.result.MessageId %}",
    End: true,
  };
  const mocked = await sfn.send(
    new TestStateCommand({
      definition: JSON.stringify(task),
      input: '{"m":"hi"}',
      variables: '{"queue":"q"}',
      roleArn: ROLE,
      inspectionLevel: "DEBUG",
      mock: { result: '{"MessageId":"m-1"}', fieldValidationMode: "NONE" },
    }),
  );
  assert.equal(mocked.status, "SUCCEEDED");
  assert.equal(mocked.output, '"m-1"');
  assert.deepEqual(JSON.parse(mocked.inspectionData.afterArguments), { QueueUrl: "q", MessageBody: "hi" });
  assert.equal(mocked.inspectionData.afterParameters, undefined);

  await expectSfnError(
    sfn.send(new TestStateCommand({ definition: '{"Type":"Pass","End":true}', variables: "[1]" })),
    "ValidationException",
  );
});

test("definition errors", async () => {
  await expectSfnError(
    sfn.send(
      new CreateStateMachineCommand({
        name: uniqueName("js-sm"),
        roleArn: ROLE,
        definition: jsonata("P", { P: { Type: "Pass", InputPath: "$.a", End: true } }),
      }),
    ),
    "InvalidDefinition",
    "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to " +
      "'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/P'",
  );
  const { result, diagnostics } = await sfn.send(
    new ValidateStateMachineDefinitionCommand({
      definition: jsonata("P", {
        P: {
          Type: "Pass",
          Output: { a: "{% 1 + %}", b: "{% $$ %}", c: "{% $states.errorOutput %}" },
          End: true,
        },
      }),
    }),
  );
  assert.equal(result, "FAIL");
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.message, d.location]),
    [
      ["INVALID_JSONATA_EXPRESSION", "Unexpected end of expression", "/States/P/Output/a"],
      ["UNSUPPORTED_JSONATA_EXPRESSION", "Reference to '$$' is not supported.", "/States/P/Output/b"],
      ["UNSUPPORTED_JSONATA_EXPRESSION", "Field '$states.errorOutput' does not exist.", "/States/P/Output/c"],
    ],
  );
});
