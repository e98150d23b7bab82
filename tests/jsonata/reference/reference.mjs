// reference.mjs: the reference JSONata (the npm package, pinned in package-lock.json) behind the same
// JSON-lines protocol as `sluice jsonata --jsonl`, so the differential harness drives both alike.
//
// stdin:  one request per line:
//           {"expr": "...", "data": <JSON; absent = no input>, "bindings": {"name": <JSON>, ...},
//            "depth": N, "timelimit": MS}                 (bindings, depth, timelimit optional)
// stdout: exactly one line per request, in order:
//           {"result": <JSON>} | {"undefined": true} | {"error": {"code": "T2001", "message": "..."}}
//
// Conventions shared with the native evaluator (tests/jsonata/README.md):
// - a function value in a result serialises as "" (what JSONata's own $string does);
// - depth and timelimit bound evaluation the way jsonata's own test suite does (its
//   timeboxExpression: evaluate-entry/exit hooks), raising U1001; with no depth given, a JavaScript
//   stack overflow is reported as U1001 too; with no timelimit, 10 s applies;
// - a result holding NaN or an infinity (the reference returns them; JSON cannot carry them) is the
//   error D1001, which is what the reference raises as soon as such a number is used again;
// - a failure that is not a JSONata error (a bug in the reference, a bad request line) has code
//   "INTERNAL" (or "BADREQUEST"), never a JSONata code.
// `--version` prints the jsonata version this evaluator runs.
// `--aws` also binds stand-ins for the functions Step Functions adds ($partition $range $hash $random
// $uuid $parse) and removes $eval, as Step Functions does. They are this file's own code, not a
// reference: they exist only so the harness can check corpus/aws_functions.jsonl's hand-written
// expectations against an independent implementation (`differential.py --native "node
// reference/reference.mjs --aws"`).
import crypto from "node:crypto";
import { createRequire } from "node:module";
import readline from "node:readline";
import jsonata from "jsonata";

if (process.argv.includes("--version")) {
  const require = createRequire(import.meta.url);
  console.log(require("jsonata/package.json").version);
  process.exit(0);
}

// With no "timelimit" a request still gets one, so a runaway expression cannot hang the stream.
const DEFAULT_TIMELIMIT_MS = 10000;

class NonFinite extends Error {}

function replacer(_key, value) {
  if (typeof value === "number" && !Number.isFinite(value)) throw new NonFinite(String(value));
  if (typeof value === "function") return "";
  if (value !== null && typeof value === "object" && (value._jsonata_lambda || value._jsonata_function)) {
    return "";
  }
  return value;
}

function timebox(expr, timeout, maxDepth) {
  let depth = 0;
  const start = Date.now();
  const check = () => {
    if (maxDepth !== undefined && depth > maxDepth) {
      throw {
        code: "U1001",
        message:
          "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
      };
    }
    if (timeout !== undefined && Date.now() - start > timeout) {
      throw { code: "U1001", message: "Expression evaluation timeout: Check for infinite loop" };
    }
  };
  expr.assign(Symbol.for("jsonata.__evaluate_entry"), (_e, _input, environment) => {
    if (environment.isParallelCall) return;
    depth++;
    check();
  });
  expr.assign(Symbol.for("jsonata.__evaluate_exit"), (_e, _input, environment) => {
    if (environment.isParallelCall) return;
    depth--;
    check();
  });
}

function errorLine(err) {
  if (err && typeof err === "object" && typeof err.code === "string") {
    const out = { code: err.code, message: String(err.message ?? "") };
    if (typeof err.position === "number") out.position = err.position;
    if (err.token !== undefined) out.token = String(err.token);
    return { error: out };
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return { error: { code: "U1001", message: "Stack overflow error: " + err.message } };
  }
  return { error: { code: "INTERNAL", message: String(err && err.message ? err.message : err) } };
}

const AWS = process.argv.includes("--aws");

function seededRandom(seed) {
  // mulberry32 over a hash of the seed: repeatable for one seed, nothing more is promised
  let h = crypto.createHash("sha256").update(String(seed)).digest().readUInt32LE(0);
  h = (h + 0x6d2b79f5) | 0;
  let t = Math.imul(h ^ (h >>> 15), 1 | h);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function fail(message) {
  throw { code: "D3137", message };
}

const awsFunctions = {
  partition: [(arr, size) => {
    if (arr === undefined) return undefined;
    if (!Number.isInteger(size) || size < 1) fail("$partition: the chunk size must be a positive integer");
    const out = [];
    for (let i = 0; i < arr.length; i += size) out.push(arr.slice(i, i + size));
    return out;
  }, "<an:a>"],
  range: [(start, end, step) => {
    if (![start, end, step].every(Number.isInteger) || step === 0) fail("$range: integer arguments, non-zero step");
    const out = [];
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) out.push(v);
    return out;
  }, "<nnn:a<n>>"],
  hash: [(value, algorithm) => {
    if (value === undefined) return undefined;
    const names = { "MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };
    if (!(algorithm in names)) fail(`$hash: unsupported algorithm ${algorithm}`);
    return crypto.createHash(names[algorithm]).update(value, "utf8").digest("hex");
  }, "<ss:s>"],
  random: [(seed) => (seed === undefined ? Math.random() : seededRandom(seed)), "<n?:n>"],
  uuid: [() => crypto.randomUUID(), "<:s>"],
  parse: [(text) => {
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch (e) {
      fail("$parse: " + e.message);
    }
  }, "<s:j>"],
};

async function handle(line) {
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { error: { code: "BADREQUEST", message: "request is not JSON: " + e.message } };
  }
  if (req === null || typeof req !== "object" || typeof req.expr !== "string") {
    return { error: { code: "BADREQUEST", message: "request needs a string \"expr\"" } };
  }
  try {
    const expr = jsonata(req.expr);
    if (AWS) {
      for (const [name, [fn, signature]] of Object.entries(awsFunctions)) expr.registerFunction(name, fn, signature);
      expr.assign("eval", undefined);
    }
    timebox(expr, req.timelimit ?? DEFAULT_TIMELIMIT_MS, req.depth);
    const result = await expr.evaluate(
      Object.prototype.hasOwnProperty.call(req, "data") ? req.data : undefined,
      req.bindings ?? undefined,
    );
    if (result === undefined) return { undefined: true };
    let text;
    try {
      text = JSON.stringify(result, replacer);
    } catch (e) {
      if (!(e instanceof NonFinite)) throw e;
      return {
        error: { code: "D1001", message: `Number out of range: ${e.message} (in the result; JSON cannot carry it)` },
      };
    }
    if (text === undefined) return { undefined: true };
    return { result: JSON.parse(text) };
  } catch (err) {
    return errorLine(err);
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (line.trim() === "") continue;
  let reply;
  try {
    reply = JSON.stringify(await handle(line));
  } catch (e) {
    reply = JSON.stringify({ error: { code: "INTERNAL", message: String(e) } });
  }
  process.stdout.write(reply + "\n");
}
