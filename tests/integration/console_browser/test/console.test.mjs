// The console end to end, in Debian's headless Chromium (playwright-core pointed at
// /usr/bin/chromium), against the real server of SLUICE_ENDPOINT (sluice_server.py run): create a
// queue, state machines and a pipe; send messages from the console; watch an execution page turn
// each state succeeded, live; read a failed state's error; peek and purge a queue; stop and start
// the pipe and watch its counters move; follow an Express execution; read a Map's iterations and
// the variables states assigned; start an execution on an alias; open and page a queue of 100,000
// messages and a history of 10,000 events within a bound. A screenshot of each page goes to
// $CONSOLE_SCREENSHOTS (default build/test-results/console-screenshots); the path is printed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const endpoint = process.env.SLUICE_ENDPOINT;
assert.ok(endpoint, "run through sluice_server.py run (SLUICE_ENDPOINT)");
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const shots = resolve(process.env.CONSOLE_SCREENSHOTS ?? join(repo, "build/test-results/console-screenshots"));
mkdirSync(shots, { recursive: true });
const browserPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const role = "arn:aws:iam::000000000000:role/console-e2e";
const run = Date.now().toString(36);

async function json10(target, body) {
  const r = await fetch(`${endpoint}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": target },
    body: JSON.stringify(body),
  });
  const out = await r.json();
  assert.ok(r.ok, `${target}: ${JSON.stringify(out)}`);
  return out;
}
const sqs = (a, b) => json10(`AmazonSQS.${a}`, b);
const sfn = (a, b) => json10(`AWSStepFunctions.${a}`, b);

let browser;
let page;
const names = {
  inbox: `inbox-${run}`,
  orders: `orders-${run}`,
  dlq: `orders-dlq-${run}`,
  results: `results-${run}`,
  flow: `flow-${run}`,
  failing: `failing-${run}`,
  pipe: `pipe-${run}`,
};
const arns = {};

async function shot(name) {
  const path = join(shots, `${name}.png`);
  await page.evaluate(() => document.getElementById("toast")?.replaceChildren()); // not the page's
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}

before(async () => {
  const dlq = await sqs("CreateQueue", { QueueName: names.dlq });
  const dlqArn = (await sqs("GetQueueAttributes", { QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] })).Attributes.QueueArn;
  await sqs("CreateQueue", { QueueName: names.inbox });
  const orders = await sqs("CreateQueue", {
    QueueName: names.orders,
    Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 }) },
  });
  arns.orders = (await sqs("GetQueueAttributes", { QueueUrl: orders.QueueUrl, AttributeNames: ["QueueArn"] })).Attributes.QueueArn;
  const results = await sqs("CreateQueue", { QueueName: names.results });
  const flow = {
    StartAt: "Prepare",
    States: {
      Prepare: { Type: "Pass", Parameters: { "order.$": "$", stage: "prepared" }, Next: "Pause" },
      Pause: { Type: "Wait", Seconds: 2, Next: "Route" },
      Route: {
        Type: "Choice",
        Choices: [{ Variable: "$.stage", StringEquals: "prepared", Next: "Fan out" }],
        Default: "Give up",
      },
      "Give up": { Type: "Fail", Error: "Order.Unroutable", Cause: "stage was not prepared" },
      "Fan out": {
        Type: "Parallel",
        Branches: [
          { StartAt: "Price", States: { Price: { Type: "Pass", Result: 42, End: true } } },
          { StartAt: "Stock", States: { Stock: { Type: "Pass", Result: "in stock", End: true } } },
        ],
        ResultPath: "$.checks",
        Next: "Report",
      },
      Report: {
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage",
        Parameters: { QueueUrl: results.QueueUrl, "MessageBody.$": "$" },
        End: true,
      },
    },
  };
  arns.flow = (await sfn("CreateStateMachine", { name: names.flow, definition: JSON.stringify(flow), roleArn: role })).stateMachineArn;
  const failing = {
    StartAt: "Charge",
    States: {
      Charge: {
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage",
        Parameters: { QueueUrl: `${endpoint}/000000000000/no-such-queue-${run}`, MessageBody: "x" },
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Reject" }],
        End: true,
      },
      Reject: { Type: "Fail", Error: "Order.Rejected", Cause: "the card was declined" },
    },
  };
  arns.failing = (await sfn("CreateStateMachine", { name: names.failing, definition: JSON.stringify(failing), roleArn: role })).stateMachineArn;
  const pipe = await fetch(`${endpoint}/v1/pipes/${names.pipe}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      Source: arns.orders,
      Target: arns.flow,
      RoleArn: role,
      TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: "FIRE_AND_FORGET" } },
    }),
  });
  assert.equal(pipe.status, 200, await pipe.text());

  browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("dialog", (d) => d.accept());
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
});

after(async () => {
  await browser?.close();
});

const node = (state) => page.locator(`.graph g.node[data-state="${state}"]`);

test("queues page lists queues with live counts and dead-letter relations", async () => {
  await page.goto(`${endpoint}/console/#/queues`);
  const row = page.locator("tr", { has: page.getByRole("link", { name: names.inbox, exact: true }) });
  await row.waitFor();
  const ordersRow = page.locator("tr", { has: page.getByRole("link", { name: names.orders, exact: true }) });
  await assert.doesNotReject(ordersRow.getByRole("link", { name: names.dlq }).waitFor());
  assert.equal(await row.locator("td").nth(2).textContent(), "0");
  // Sent behind the page's back: the count arrives over the event stream, no reload.
  const url = (await sqs("GetQueueUrl", { QueueName: names.inbox })).QueueUrl;
  await sqs("SendMessage", { QueueUrl: url, MessageBody: "pushed" });
  await page.waitForFunction(
    (name) => [...document.querySelectorAll("tr")].some((tr) => tr.textContent.startsWith(name) && tr.children[2]?.textContent === "1"),
    names.inbox,
  );
  await shot("queues");
});

test("queue browser: send, peek (paged), purge", async () => {
  await page.goto(`${endpoint}/console/#/queues/${names.inbox}`);
  await page.getByRole("heading", { name: `Queue ${names.inbox}` }).waitFor();
  for (const body of ['{"order": 1, "item": "tea"}', '{"order": 2, "item": "cake"}']) {
    await page.getByLabel("Message body").fill(body);
    await page.getByRole("button", { name: "Send message" }).click();
    await page.locator("table[aria-label=Messages] pre", { hasText: body }).waitFor();
  }
  const rows = page.locator("table[aria-label=Messages] tbody tr");
  assert.equal(await rows.count(), 3);
  assert.match(await rows.first().textContent(), /pushed/);
  assert.match(await rows.first().textContent(), /visible/);
  // Peeking received nothing.
  const url = (await sqs("GetQueueUrl", { QueueName: names.inbox })).QueueUrl;
  const attrs = (await sqs("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] })).Attributes;
  assert.equal(attrs.ApproximateNumberOfMessages, "3");
  // The page's counts follow, pushed by the server.
  await page.locator("[aria-live=polite]", { hasText: "Visible 3" }).waitFor({ timeout: 5000 });
  await shot("queue-browser");
  await page.getByRole("button", { name: "Purge queue" }).click();
  await page.getByText("No messages.").waitFor();
  assert.equal(await rows.count(), 0);
});

test("state machine page draws the definition and starts an execution that goes live", async () => {
  await page.goto(`${endpoint}/console/#/state-machines`);
  await page.getByRole("link", { name: names.flow }).click();
  await page.getByRole("heading", { name: `State machine ${names.flow}` }).waitFor();
  for (const state of ["Prepare", "Pause", "Route", "Give up", "Fan out", "Price", "Stock", "Report"]) {
    await node(state).waitFor();
  }
  assert.ok(await page.locator(".graph .cluster", { hasText: "Parallel: Fan out" }).count());
  assert.ok(await page.locator(".graph .edge text", { hasText: "default" }).count());
  await shot("state-machine");

  await page.getByLabel("Execution input (JSON)").fill('{"id": "o-1"}');
  await page.getByRole("button", { name: "Start execution" }).click();
  await page.getByRole("heading", { name: /^Execution / }).waitFor();
  // The Wait state runs for 2 s: the page shows it running, then each state succeeded, live.
  await node("Pause").and(page.locator(".s-running")).waitFor({ timeout: 10000 });
  assert.match(await node("Pause").textContent(), /running/);
  await shot("execution-running");
  for (const state of ["Prepare", "Pause", "Route", "Fan out", "Price", "Stock", "Report"]) {
    await node(state).and(page.locator(".s-succeeded")).waitFor({ timeout: 15000 });
    assert.match(await node(state).textContent(), /succeeded/);
  }
  assert.match(await node("Give up").textContent(), /Fail/); // never entered: its type, no outcome
  await page.locator("h1 .badge", { hasText: "SUCCEEDED" }).waitFor();
  const steps = page.locator("table[aria-label=Steps] tbody tr");
  assert.equal(await steps.count(), 7);
  assert.match(await page.locator('tr[data-state="Report"]').textContent(), /succeeded/);
  await shot("execution-succeeded");
});

test("a failed execution shows the failed state's error, in text", async () => {
  const { executionArn } = await sfn("StartExecution", { stateMachineArn: arns.failing, input: "{}" });
  await page.goto(`${endpoint}/console/#/executions/${encodeURIComponent(executionArn)}`);
  await node("Reject").and(page.locator(".s-failed")).waitFor({ timeout: 10000 });
  assert.match(await node("Reject").textContent(), /failed/);
  assert.match(await node("Charge").textContent(), /caught/);
  const reject = page.locator('tr[data-state="Reject"]');
  assert.match(await reject.textContent(), /Order\.Rejected/);
  assert.match(await reject.textContent(), /the card was declined/);
  await page.getByRole("alert").filter({ hasText: "Order.Rejected" }).waitFor();
  // Keyboard: a node is a button; Enter opens its step.
  await node("Reject").focus();
  await page.keyboard.press("Enter");
  await page.locator('tr[data-state="Reject"] details[open]').first().waitFor();
  await page.getByRole("button", { name: "Redrive" }).waitFor();
  await shot("execution-failed");
});

test("a message sent to a piped queue starts an execution, listed with a status filter", async () => {
  await page.goto(`${endpoint}/console/#/queues/${names.orders}`);
  await page.getByRole("heading", { name: `Queue ${names.orders}` }).waitFor();
  await page.getByLabel("Message body").fill('{"id": "o-2"}');
  await page.getByRole("button", { name: "Send message" }).click();
  await page.goto(`${endpoint}/console/#/executions`);
  const deadline = Date.now() + 15000;
  for (;;) {
    const r = await sfn("ListExecutions", { stateMachineArn: arns.flow });
    if (r.executions.length >= 2) break;
    assert.ok(Date.now() < deadline, "the pipe started no execution");
    await new Promise((f) => setTimeout(f, 200));
  }
  await page.reload();
  await page.getByLabel("Status").selectOption("FAILED");
  await page.locator("table tbody tr").first().waitFor();
  const failedRows = await page.locator("table tbody tr").allTextContents();
  assert.ok(failedRows.length >= 1 && failedRows.every((t) => t.includes("FAILED")), failedRows.join("|"));
  await page.getByLabel("Status").selectOption("");
  await page.locator("table tbody tr").nth(2).waitFor();
  await shot("executions");
});

test("pipes page shows the pipe and stops and starts it", async () => {
  await page.goto(`${endpoint}/console/#/pipes`);
  const row = page.locator("tr", { has: page.getByRole("rowheader", { name: names.pipe }) });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(names.orders));
  assert.match(await row.textContent(), new RegExp(names.flow));
  await shot("pipes");
  await row.getByRole("button", { name: "Stop" }).click();
  await row.getByRole("button", { name: "Start" }).waitFor();
  assert.match(await row.textContent(), /STOP/);
  await row.getByRole("button", { name: "Start" }).click();
  await row.getByRole("button", { name: "Stop" }).waitFor();
});

test("pipes page: the counters move as the pipe reads, pushed by the server", async () => {
  await page.goto(`${endpoint}/console/#/pipes`);
  const row = page.locator(`tr[data-pipe="${names.pipe}"]`);
  await row.locator('[data-counter="currentState"]', { hasText: "RUNNING" }).waitFor({ timeout: 10000 });
  const cell = (key) => row.locator(`[data-counter="${key}"]`);
  const read = Number(await cell("messagesConsumed").textContent());
  const started = Number(await cell("executionsStarted").textContent());
  assert.ok(Number.isInteger(read) && read >= 1, `messages read so far: ${read}`);
  // Sent behind the page's back: the counters arrive over the event stream, no reload.
  const url = (await sqs("GetQueueUrl", { QueueName: names.orders })).QueueUrl;
  await sqs("SendMessageBatch", {
    QueueUrl: url,
    Entries: [0, 1].map((i) => ({ Id: `m${i}`, MessageBody: JSON.stringify({ id: `p-${i}` }) })),
  });
  await page.waitForFunction(
    ([name, want]) => document.querySelector(`tr[data-pipe="${name}"] [data-counter="messagesConsumed"]`)?.textContent === String(want),
    [names.pipe, read + 2],
    { timeout: 10000 },
  );
  // One execution per batch: the two may have been read in one.
  await page.waitForFunction(
    ([name, before]) => Number(document.querySelector(`tr[data-pipe="${name}"] [data-counter="executionsStarted"]`)?.textContent) > before,
    [names.pipe, started],
    { timeout: 10000 },
  );
  assert.equal(await cell("messagesFailed").textContent(), "0");
  await shot("pipes-live");
  // The state follows the stream too: stopped behind the page's back.
  await fetch(`${endpoint}/v1/pipes/${names.pipe}/stop`, { method: "POST" });
  await row.locator('[data-counter="currentState"]', { hasText: "STOPPED" }).waitFor({ timeout: 10000 });
  await row.getByRole("button", { name: "Start" }).click();
  await row.getByRole("button", { name: "Stop" }).waitFor();
});

test("an Express execution is listed and followed until it ends, from memory", async () => {
  const def = {
    StartAt: "Hold",
    States: {
      Hold: { Type: "Wait", Seconds: 2, Next: "Done" },
      Done: { Type: "Pass", Parameters: { "echo.$": "$.id", fast: true }, End: true },
    },
  };
  const name = `express-${run}`;
  const arn = (await sfn("CreateStateMachine", { name, type: "EXPRESS", definition: JSON.stringify(def), roleArn: role })).stateMachineArn;
  await page.goto(`${endpoint}/console/#/state-machines/${encodeURIComponent(arn)}`);
  await page.getByRole("heading", { name: `State machine ${name}` }).waitFor();
  await page.getByLabel("Execution input (JSON)").fill('{"id": "x-1"}');
  await page.getByRole("button", { name: "Start execution" }).click();
  await page.getByRole("heading", { name: /^Execution / }).waitFor();
  assert.match(page.url(), /express/);
  await page.locator("h1 .badge", { hasText: "RUNNING" }).waitFor();
  await node("Hold").waitFor();
  await shot("express-running");
  // No reload: the server pushes `ended`.
  await page.locator("h1 .badge", { hasText: "SUCCEEDED" }).waitFor({ timeout: 10000 });
  await page.locator("details pre", { hasText: '"echo": "x-1"' }).waitFor();

  // StartSyncExecution: listed on the machine's page and among all executions, as Express.
  const sync = await sfn("StartSyncExecution", { stateMachineArn: arn, name: `sync-${run}`, input: '{"id": "x-2"}' });
  assert.equal(sync.status, "SUCCEEDED");
  await page.goto(`${endpoint}/console/#/executions`);
  const syncRow = page.locator("tr", { has: page.getByRole("link", { name: `sync-${run}`, exact: true }) });
  await syncRow.waitFor();
  assert.match(await syncRow.textContent(), /Express.*SUCCEEDED/);
  await page.getByLabel("Status").selectOption("RUNNING");
  await syncRow.waitFor({ state: "detached" });
  await page.goto(`${endpoint}/console/#/state-machines/${encodeURIComponent(arn)}`);
  await page.getByRole("link", { name: `sync-${run}`, exact: true }).click();
  await page.getByRole("heading", { name: `Execution sync-${run} SUCCEEDED` }).waitFor();
  await page.locator("details pre", { hasText: '"echo": "x-2"' }).waitFor();
});

test("Map iterations one by one, a Distributed Map's children, and the variables each state assigned", async () => {
  const name = `mapper-${run}`;
  const def = {
    StartAt: "Remember",
    States: {
      Remember: { Type: "Pass", Assign: { "orderId.$": "$.id", tries: 3 }, Next: "Each" },
      Each: {
        Type: "Map",
        ItemsPath: "$.items",
        MaxConcurrency: 1,
        ItemProcessor: {
          StartAt: "Check",
          States: {
            Check: { Type: "Choice", Choices: [{ Variable: "$", NumericEquals: 2, Next: "Bad item" }], Default: "Fine" },
            "Bad item": { Type: "Fail", Error: "Item.Bad", Cause: "item 2" },
            Fine: { Type: "Pass", End: true },
          },
        },
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "Spread" }],
        Next: "Spread",
      },
      Spread: {
        Type: "Map",
        ItemsPath: "$.items",
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "Child",
          States: { Child: { Type: "Pass", End: true } },
        },
        ResultPath: null,
        End: true,
      },
    },
  };
  const arn = (await sfn("CreateStateMachine", { name, definition: JSON.stringify(def), roleArn: role })).stateMachineArn;
  const { executionArn } = await sfn("StartExecution", { stateMachineArn: arn, input: JSON.stringify({ id: "o-9", items: [1, 3, 2, 4] }) });
  await page.goto(`${endpoint}/console/#/executions/${encodeURIComponent(executionArn)}`);
  await page.locator("h1 .badge", { hasText: "SUCCEEDED" }).waitFor({ timeout: 20000 });
  // Inline Map, one at a time: items 1 and 3 succeeded, 2 failed, 4 never started.
  const iterations = page.getByRole("region", { name: "Iterations of Each" });
  await iterations.getByText("3 iterations: 2 succeeded, 1 failed").waitFor();
  const rows = await iterations.locator("tbody tr").allTextContents();
  assert.deepEqual(rows, ["0succeeded", "1succeeded", "2failed"]);
  assert.match(await node("Each").textContent(), /caught/); // the Map failed, its Catch went on
  // Distributed Map: its run and its four child executions.
  const mapRun = page.getByRole("region", { name: "Map run of Spread" });
  await mapRun.getByText("4 child executions: 4 succeeded").waitFor({ timeout: 10000 });
  assert.equal(await mapRun.locator("tbody tr").count(), 4);
  // Variables: the Assign of Remember, by name, in the step table.
  const remember = page.locator('tr[data-state="Remember"] td.vars');
  assert.match(await remember.textContent(), /\$orderId\s*"o-9"/);
  assert.match(await remember.textContent(), /\$tries\s*3/);
  await shot("execution-map");
});

test("an execution started on an alias from the state machine page", async () => {
  const name = `versioned-${run}`;
  const def = { StartAt: "One", States: { One: { Type: "Pass", Result: "v1", End: true } } };
  const created = await sfn("CreateStateMachine", { name, definition: JSON.stringify(def), roleArn: role, publish: true });
  const alias = await sfn("CreateStateMachineAlias", {
    name: "live",
    routingConfiguration: [{ stateMachineVersionArn: created.stateMachineVersionArn, weight: 100 }],
  });
  await sfn("UpdateStateMachine", { stateMachineArn: created.stateMachineArn, definition: JSON.stringify({ ...def, States: { One: { ...def.States.One, Result: "v2" } } }) });
  await page.goto(`${endpoint}/console/#/state-machines/${encodeURIComponent(created.stateMachineArn)}`);
  await page.getByRole("heading", { name: `State machine ${name}` }).waitFor();
  await page.getByLabel("Start on").selectOption({ label: "alias live" });
  await page.getByRole("button", { name: "Start execution" }).click();
  await page.locator("h1 .badge", { hasText: "SUCCEEDED" }).waitFor({ timeout: 10000 });
  const executionArn = decodeURIComponent(page.url().split("#/executions/")[1]);
  const d = await sfn("DescribeExecution", { executionArn });
  assert.equal(d.stateMachineAliasArn, alias.stateMachineAliasArn);
  assert.equal(d.stateMachineVersionArn, created.stateMachineVersionArn);
  assert.equal(d.output, '"v1"'); // the version's definition, not the updated one
  // And on a version.
  await page.goto(`${endpoint}/console/#/state-machines/${encodeURIComponent(created.stateMachineArn)}`);
  await page.getByLabel("Start on").selectOption({ label: "version 1" });
  await page.getByRole("button", { name: "Start execution" }).click();
  await page.locator("h1 .badge", { hasText: "SUCCEEDED" }).waitFor({ timeout: 10000 });
  const onVersion = await sfn("DescribeExecution", { executionArn: decodeURIComponent(page.url().split("#/executions/")[1]) });
  assert.equal(onVersion.stateMachineVersionArn, created.stateMachineVersionArn);
});

// A functional bound, not a benchmark: generous, but a page that loaded or drew everything at
// once would miss it by far.
const BOUND_MS = 5000;
async function timed(what, fn) {
  const t0 = Date.now();
  await fn();
  const ms = Date.now() - t0;
  console.log(`${what}: ${ms} ms`);
  assert.ok(ms < BOUND_MS, `${what} took ${ms} ms`);
}

test("a queue of 100,000 messages opens and pages within the bound", async () => {
  const name = `big-${run}`;
  const { QueueUrl } = await sqs("CreateQueue", { QueueName: name });
  const total = 100000;
  let next = 0;
  const sender = async () => {
    while (next < total) {
      const base = next;
      next += 10;
      await sqs("SendMessageBatch", {
        QueueUrl,
        Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `message ${base + i}` })),
      });
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 64 }, sender));
  console.log(`${total} messages sent in ${Date.now() - t0} ms`);
  const attrs = (await sqs("GetQueueAttributes", { QueueUrl, AttributeNames: ["ApproximateNumberOfMessages"] })).Attributes;
  assert.equal(attrs.ApproximateNumberOfMessages, String(total));

  await timed("queues page with a 100,000-message queue", async () => {
    await page.goto(`${endpoint}/console/#/queues`);
    await page.locator("tr", { has: page.getByRole("link", { name, exact: true }) }).getByText("100000").waitFor();
  });
  const rows = page.locator("table[aria-label=Messages] tbody tr");
  await timed("queue browser, first page", async () => {
    await page.goto(`${endpoint}/console/#/queues/${name}`);
    await page.locator("[aria-live=polite]", { hasText: "Visible 100000" }).waitFor();
    await rows.first().waitFor();
  });
  // Pages never repeat a message (the senders ran concurrently: no order to expect).
  const seen = new Set();
  const bodies = async () => (await rows.locator("td:nth-child(3)").allTextContents()).filter((b) => /^message \d+$/.test(b));
  for (let p = 1; p <= 4; p++) {
    if (p > 1) {
      await timed(`queue browser, page ${p}`, async () => {
        await page.getByRole("button", { name: "Next page" }).click();
        await page.getByText(`page ${p}`, { exact: true }).waitFor();
      });
    }
    const onPage = await bodies();
    assert.equal(onPage.length, 50);
    for (const b of onPage) {
      assert.ok(!seen.has(b), `${b} shown twice`);
      seen.add(b);
    }
  }
  await shot("queue-100k");
  await sqs("DeleteQueue", { QueueUrl });
});

test("an execution of 10,000 history events opens and pages within the bound", async () => {
  const name = `long-${run}`;
  const items = 2500; // MapIterationStarted, PassStateEntered, PassStateExited, MapIterationSucceeded
  const def = {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemProcessor: { StartAt: "Touch", States: { Touch: { Type: "Pass", End: true } } },
        ResultSelector: { "count.$": "States.ArrayLength($)" },
        End: true,
      },
    },
  };
  const arn = (await sfn("CreateStateMachine", { name, definition: JSON.stringify(def), roleArn: role })).stateMachineArn;
  const { executionArn } = await sfn("StartExecution", { stateMachineArn: arn, input: JSON.stringify(Array.from({ length: items }, (_, i) => i)) });
  for (const deadline = Date.now() + 60000; ;) {
    const d = await sfn("DescribeExecution", { executionArn });
    if (d.status !== "RUNNING") {
      assert.equal(d.status, "SUCCEEDED");
      break;
    }
    assert.ok(Date.now() < deadline, "the long execution did not end");
    await new Promise((f) => setTimeout(f, 200));
  }
  const last = await sfn("GetExecutionHistory", { executionArn, reverseOrder: true, maxResults: 1 });
  assert.ok(last.events[0].id >= 10000, `only ${last.events[0].id} events`);

  await timed("execution page with 10,000 events", async () => {
    await page.goto(`${endpoint}/console/#/executions/${encodeURIComponent(executionArn)}`);
    await page.getByText(`${items} iterations: ${items} succeeded`).waitFor();
    await page.getByText(new RegExp(`page 1 of ${Math.ceil(last.events[0].id / 100)} \\(${last.events[0].id} rows\\)`)).waitFor();
  });
  await node("Touch").and(page.locator(".s-succeeded")).waitFor();
  const history = page.locator("table").last().locator("tbody tr");
  assert.equal(await history.count(), 100);
  const pager = page.getByText(/^page \d+ of \d+ \(\d+ rows\)$/).last().locator("..");
  for (let p = 2; p <= 3; p++) {
    await timed(`history, page ${p}`, async () => {
      await pager.getByRole("button", { name: "Next" }).click();
      await page.getByText(new RegExp(`^page ${p} of`)).last().waitFor();
    });
    assert.equal(await history.first().locator("td").first().textContent(), String((p - 1) * 100 + 1));
  }
  const iterations = page.getByRole("region", { name: "Iterations of Each" });
  await timed("iterations, page 2", async () => {
    await iterations.getByRole("button", { name: "Next" }).click();
    await iterations.getByText(/^page 2 of 50 /).waitFor();
  });
  assert.equal(await iterations.locator("tbody tr").count(), 50);
  await shot("execution-10k-events");
});
