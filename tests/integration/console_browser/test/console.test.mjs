// The console end to end, in Debian's headless Chromium (playwright-core pointed at
// /usr/bin/chromium), against the real server of SLUICE_ENDPOINT (sluice_server.py run): create a
// queue, state machines and a pipe; send messages from the console; watch an execution page turn
// each state succeeded, live; read a failed state's error; peek and purge a queue; stop and start
// the pipe. A screenshot of each page goes to $CONSOLE_SCREENSHOTS (default
// build/test-results/console-screenshots); the path is printed.
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
