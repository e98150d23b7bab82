// Helpers for the JS suite: an SQSClient for the server the harness started (SLUICE_ENDPOINT, set
// by ../sluice_server.py run -- ...), unique queue names, AWS error assertions and the MD5 digests SQS
// returns. The SDK speaks AWS JSON 1.0 and checks body MD5s itself (left on).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { CreateQueueCommand, DeleteQueueCommand, SQSClient } from "@aws-sdk/client-sqs";

export const ACCOUNT = "000000000000";
export const REGION = "us-east-1";

export const endpoint = process.env.SLUICE_ENDPOINT;
if (!endpoint) {
  throw new Error(
    "SLUICE_ENDPOINT is not set: run the suite through the harness, e.g. `npm test` " +
      "(which runs /usr/bin/python3 ../sluice_server.py run -- node --test ...)",
  );
}

export function client(options = {}) {
  return new SQSClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
    maxAttempts: 1, // a retry would hide a failed request behind a second one
    ...options,
  });
}

export function uniqueName(prefix = "js") {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

// createQueue(sqs, t, input) -> QueueUrl; the queue is deleted when test t ends.
export async function createQueue(sqs, t, input = {}) {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: uniqueName(), ...input }),
  );
  t.after(async () => {
    try {
      await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    } catch {
      // already deleted by the test
    }
  });
  return QueueUrl;
}

// Asserts that `promise` rejects with an SQS error: error.name (one of `name` if an array), the
// query-protocol code in error.Code (from the x-amzn-query-error header), the HTTP status and,
// when given, exactly the message.
export async function expectError(promise, { name, code, status = 400, message }) {
  const names = Array.isArray(name) ? name : [name];
  await assert.rejects(promise, (e) => {
    assert.ok(names.includes(e.name), `error name ${e.name} (${e.message}), wanted ${names}`);
    if (code !== undefined) {
      const codes = Array.isArray(code) ? code : [code];
      assert.ok(codes.includes(e.Code), `error Code ${e.Code}, wanted ${codes}`);
    }
    if (status !== undefined) assert.equal(e.$metadata?.httpStatusCode, status);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
}

export function md5Hex(data) {
  return createHash("md5").update(data).digest("hex");
}

// MD5OfMessageAttributes as AWS documents it: attributes sorted by name; for each the
// length-prefixed name and data type, a transport byte (1 string/number, 2 binary), the value.
export function md5OfMessageAttributes(attributes) {
  const parts = [];
  const lp = (buf) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(buf.length);
    parts.push(len, buf);
  };
  for (const name of Object.keys(attributes).sort()) {
    const v = attributes[name];
    lp(Buffer.from(name, "utf8"));
    lp(Buffer.from(v.DataType, "utf8"));
    if (v.DataType.startsWith("Binary")) {
      parts.push(Buffer.from([2]));
      lp(Buffer.from(v.BinaryValue));
    } else {
      parts.push(Buffer.from([1]));
      lp(Buffer.from(v.StringValue, "utf8"));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
