// SigV4 through the AWS SDK for JavaScript v3: SQS (AWS JSON 1.0, the error code comes from the
// x-amzn-query-error header) and Step Functions, with right and wrong keys. The harness's server
// runs with auth off, so this file starts its own sluice with --auth sigv4 (binary: $SLUICE_BIN,
// else ../../../build/broker/sluice).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { CreateQueueCommand, ListQueuesCommand, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.env.SLUICE_BIN ?? join(here, "../../../../build/broker/sluice");
const OWNER = { accessKeyId: "AKIDJSOWNER", secretAccessKey: "js-owner-secret" };
const BOB = { accessKeyId: "AKIDJSBOB", secretAccessKey: "js-bob-secret" };
const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your " +
  "AWS Secret Access Key and signing method. Consult the service documentation for details.";
const UNKNOWN_KEY = "The security token included in the request is invalid.";

let dir;
let server;
let endpoint;

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "sluice-js-auth-"));
  const creds = join(dir, "credentials");
  writeFileSync(
    creds,
    `[owner]\naws_access_key_id = ${OWNER.accessKeyId}\naws_secret_access_key = ${OWNER.secretAccessKey}\n` +
      `[bob]\naws_access_key_id = ${BOB.accessKeyId}\naws_secret_access_key = ${BOB.secretAccessKey}\n` +
      "account_id = 222222222222\n",
  );
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  server = spawn(
    binary,
    ["--listen", `127.0.0.1:${port}`, "--data-dir", join(dir, "data"), "--auth", "sigv4",
      "--credentials", creds],
    { stdio: "ignore" },
  );
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("sluice with --auth sigv4 did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  if (server) {
    const exited = new Promise((resolve) => server.on("exit", resolve));
    server.kill("SIGTERM");
    assert.equal(await exited, 0);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sqs = (credentials) =>
  new SQSClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
const sfn = (credentials) =>
  new SFNClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });

async function expectAuthError(promise, { name, code, message }) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (code !== undefined) assert.equal(e.Code, code);
    assert.equal(e.$metadata?.httpStatusCode, 403);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

test("SQS JSON with the right key", async () => {
  const client = sqs(OWNER);
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: "js-auth" }));
  const sent = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: "signed" }));
  assert.ok(sent.MessageId);
});

test("SQS JSON with a wrong secret or an unknown key", async () => {
  await expectAuthError(
    sqs({ ...OWNER, secretAccessKey: "wrong" }).send(new ListQueuesCommand({})),
    { name: "SignatureDoesNotMatch", code: "SignatureDoesNotMatch", message: MISMATCH },
  );
  await expectAuthError(
    sqs({ accessKeyId: "AKIDNOBODY", secretAccessKey: "x" }).send(new ListQueuesCommand({})),
    { name: "InvalidClientTokenId", code: "InvalidClientTokenId", message: UNKNOWN_KEY },
  );
});

test("SQS JSON: another account is denied without a queue policy", async () => {
  const { QueueUrl } = await sqs(OWNER).send(new CreateQueueCommand({ QueueName: "js-auth-owned" }));
  await expectAuthError(
    sqs(BOB).send(new SendMessageCommand({ QueueUrl, MessageBody: "from bob" })),
    { name: "AccessDenied", code: "AccessDenied", message: `Access to the resource ${endpoint}/ is denied.` },
  );
});

test("Step Functions with right and wrong keys", async () => {
  const out = await sfn(OWNER).send(new ListStateMachinesCommand({}));
  assert.ok(Array.isArray(out.stateMachines));
  await expectAuthError(
    sfn({ ...OWNER, secretAccessKey: "wrong" }).send(new ListStateMachinesCommand({})),
    { name: "InvalidSignatureException", message: MISMATCH },
  );
  await expectAuthError(
    sfn({ accessKeyId: "AKIDNOBODY", secretAccessKey: "x" }).send(new ListStateMachinesCommand({})),
    { name: "UnrecognizedClientException", message: UNKNOWN_KEY },
  );
});
