// Step Functions state machines, versions, aliases, tags, activities and definition validation
// through @aws-sdk/client-sfn (AWS JSON 1.0).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateActivityCommand,
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteActivityCommand,
  DeleteStateMachineAliasCommand,
  DeleteStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeActivityCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListActivitiesCommand,
  ListStateMachineAliasesCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  ListTagsForResourceCommand,
  PublishStateMachineVersionCommand,
  StartExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from "@aws-sdk/client-sfn";
import { uniqueName } from "../lib/sluice.js";
import {
  createMachine,
  expectSfnError,
  PASS,
  PASS_CHOICE_MAP,
  PREFIX,
  ROLE,
  sfnClient,
  waitFor,
} from "../lib/sfn.js";

const sfn = sfnClient();

test("create, describe, update, list and delete a state machine", async (t) => {
  const name = uniqueName("js-sm");
  const created = await sfn.send(
    new CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE }),
  );
  assert.equal(created.stateMachineArn, `${PREFIX}stateMachine:${name}`);
  assert.ok(created.creationDate instanceof Date);
  t.after(() => sfn.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn })));
  const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
  assert.equal(d.name, name);
  assert.equal(d.status, "ACTIVE");
  assert.equal(d.type, "STANDARD");
  assert.equal(d.definition, PASS);
  assert.deepEqual(d.loggingConfiguration, { level: "OFF", includeExecutionData: false });
  assert.deepEqual(d.tracingConfiguration, { enabled: false });
  assert.equal(d.creationDate.getTime(), created.creationDate.getTime());

  const u = await sfn.send(
    new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: waitFor(1) }),
  );
  assert.match(u.revisionId, /^[0-9a-f-]{36}$/);
  const after = await sfn.send(
    new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
  );
  assert.equal(after.revisionId, u.revisionId);
  assert.equal(after.definition, waitFor(1));

  const list = await sfn.send(new ListStateMachinesCommand({}));
  assert.ok(list.stateMachines.some((m) => m.name === name && m.type === "STANDARD"));
  await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
  await expectSfnError(
    sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })),
    "StateMachineDoesNotExist",
    `State Machine Does Not Exist: '${created.stateMachineArn}'`,
  );
});

test("versions: publish on create and update, list newest first, delete", async (t) => {
  const { stateMachineArn: arn, stateMachineVersionArn } = await createMachine(sfn, t, {
    definition: PASS,
    publish: true,
    versionDescription: "v1",
  });
  assert.equal(stateMachineVersionArn, `${arn}:1`);
  const v1 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}:1` }));
  assert.equal(v1.description, "v1");
  const u = await sfn.send(
    new UpdateStateMachineCommand({ stateMachineArn: arn, definition: waitFor(1), publish: true }),
  );
  assert.equal(u.stateMachineVersionArn, `${arn}:2`);
  const again = await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: arn }));
  assert.equal(again.stateMachineVersionArn, `${arn}:2`);
  await expectSfnError(
    sfn.send(
      new PublishStateMachineVersionCommand({ stateMachineArn: arn, revisionId: "not-current" }),
    ),
    "ConflictException",
  );
  const versions = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
  assert.deepEqual(
    versions.stateMachineVersions.map((v) => v.stateMachineVersionArn),
    [`${arn}:2`, `${arn}:1`],
  );
  await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:1` }));
  const left = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: arn }));
  assert.equal(left.stateMachineVersions.length, 1);
});

test("aliases route executions to versions", async (t) => {
  const { stateMachineArn: arn } = await createMachine(sfn, t, { definition: PASS, publish: true });
  await sfn.send(
    new UpdateStateMachineCommand({ stateMachineArn: arn, definition: waitFor(60), publish: true }),
  );
  const { stateMachineAliasArn: alias } = await sfn.send(
    new CreateStateMachineAliasCommand({
      name: "prod",
      description: "stable",
      routingConfiguration: [{ stateMachineVersionArn: `${arn}:1`, weight: 100 }],
    }),
  );
  assert.equal(alias, `${arn}:prod`);
  const d = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias }));
  assert.equal(d.name, "prod");
  assert.equal(d.description, "stable");
  assert.deepEqual(d.routingConfiguration, [{ stateMachineVersionArn: `${arn}:1`, weight: 100 }]);

  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: alias }));
  const ex = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  assert.equal(ex.status, "SUCCEEDED");
  assert.equal(ex.stateMachineAliasArn, alias);
  assert.equal(ex.stateMachineVersionArn, `${arn}:1`);

  await sfn.send(
    new UpdateStateMachineAliasCommand({
      stateMachineAliasArn: alias,
      routingConfiguration: [
        { stateMachineVersionArn: `${arn}:1`, weight: 50 },
        { stateMachineVersionArn: `${arn}:2`, weight: 50 },
      ],
    }),
  );
  const list = await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: arn }));
  assert.deepEqual(list.stateMachineAliases.map((a) => a.stateMachineAliasArn), [alias]);
  await expectSfnError(
    sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${arn}:2` })),
    "ConflictException",
  );
  await expectSfnError(
    sfn.send(
      new CreateStateMachineAliasCommand({
        name: "bad",
        routingConfiguration: [
          { stateMachineVersionArn: `${arn}:1`, weight: 70 },
          { stateMachineVersionArn: `${arn}:2`, weight: 29 },
        ],
      }),
    ),
    "ValidationException",
    "Sum of routing configuration weights must equal 100. Received: [70, 29]",
  );
  await sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn: alias }));
  await expectSfnError(
    sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: alias })),
    "ResourceNotFound",
  );
});

test("tags on state machines and activities", async (t) => {
  const { stateMachineArn: arn } = await createMachine(sfn, t, {
    definition: PASS,
    tags: [{ key: "a", value: "1" }],
  });
  await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "b", value: "2" }] }));
  let tags = await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  assert.deepEqual(tags.tags, [
    { key: "a", value: "1" },
    { key: "b", value: "2" },
  ]);
  await sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["a"] }));
  tags = await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  assert.deepEqual(tags.tags, [{ key: "b", value: "2" }]);
  await expectSfnError(
    sfn.send(
      new TagResourceCommand({
        resourceArn: arn,
        tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: "v" })),
      }),
    ),
    "TooManyTags",
  );
});

test("activities: create is idempotent, describe, list, delete", async () => {
  const name = uniqueName("js-act");
  const a = await sfn.send(new CreateActivityCommand({ name, tags: [{ key: "k", value: "v" }] }));
  assert.equal(a.activityArn, `${PREFIX}activity:${name}`);
  const again = await sfn.send(new CreateActivityCommand({ name }));
  assert.equal(again.activityArn, a.activityArn);
  const d = await sfn.send(new DescribeActivityCommand({ activityArn: a.activityArn }));
  assert.equal(d.name, name);
  const list = await sfn.send(new ListActivitiesCommand({}));
  assert.ok(list.activities.some((x) => x.activityArn === a.activityArn));
  const tags = await sfn.send(new ListTagsForResourceCommand({ resourceArn: a.activityArn }));
  assert.deepEqual(tags.tags, [{ key: "k", value: "v" }]);
  await sfn.send(new DeleteActivityCommand({ activityArn: a.activityArn }));
  await expectSfnError(
    sfn.send(new DescribeActivityCommand({ activityArn: a.activityArn })),
    "ActivityDoesNotExist",
    `Activity Does Not Exist: '${a.activityArn}'`,
  );
});

test("ValidateStateMachineDefinition", async () => {
  const good = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: PASS_CHOICE_MAP }));
  assert.equal(good.result, "OK");
  assert.deepEqual(good.diagnostics, []);
  const bad = await sfn.send(
    new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: "X" }) }),
  );
  assert.equal(bad.result, "FAIL");
  assert.equal(bad.diagnostics[0].severity, "ERROR");
  assert.equal(bad.diagnostics[0].code, "SCHEMA_VALIDATION_FAILED");
  const express = await sfn.send(
    new ValidateStateMachineDefinitionCommand({
      type: "EXPRESS",
      definition: JSON.stringify({
        StartAt: "T",
        States: {
          T: {
            Type: "Task",
            Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            End: true,
          },
        },
      }),
    }),
  );
  assert.equal(express.result, "FAIL");
  assert.equal(express.diagnostics[0].location, "/States/T/Resource");
});

test("creation errors", async () => {
  await expectSfnError(
    sfn.send(new CreateStateMachineCommand({ name: "bad name", definition: PASS, roleArn: ROLE })),
    "InvalidName",
    "Invalid Name: 'bad name'",
  );
  await expectSfnError(
    sfn.send(new CreateStateMachineCommand({ name: "x", definition: PASS, roleArn: "role" })),
    "InvalidArn",
    "Invalid Role Arn: 'role'",
  );
  await expectSfnError(
    sfn.send(new CreateStateMachineCommand({ name: "x", definition: "{}", roleArn: ROLE })),
    "InvalidDefinition",
  );
});
