// reference_bench.mjs: times the reference JSONata (npm jsonata, pinned in
// tests/jsonata/reference/package-lock.json) on the corpus cases bench/micro/jsonata_bench.cpp
// times natively, so bench/jsonata/compare can report the ratio.
//
// For each usable case (the same rules as jsonata_bench.cpp: not an expected "error", not
// native-only "expect" / corpus/aws_functions.jsonl, not nondeterministic), with its input parsed
// once: compile once (jsonata(expr)), warm up, then time `await expr.evaluate(input, bindings)` in
// doubling batches until at least --min-ms have passed and --min-iters evaluations ran (or
// --max-ms passed). No timebox hooks: the reference runs as its users run it.
//
// stdout: one JSON line per case: {"id", "ns_per_op" (wall), "cpu_ns_per_op" (process CPU time:
// every thread, so the GC's and the JIT's helpers count), "iterations"} or {"id", "error"}.
//
// Before any timing, a global warm-up evaluates every usable case of the corpus, round after round
// (--global-rounds, at most --global-ms), whatever --files/--only select: jsonata's code is then
// JIT-compiled as in a long-running process; without it the first cases run several times slower.
//
// usage: node reference_bench.mjs [--corpus DIR] [--files STEM,...] [--only REGEX] [--serve]
//          [--min-ms 50] [--min-iters 200] [--max-ms 250] [--warmup-ms 20]
//          [--global-rounds 20] [--global-ms 3000]
// --serve: read requests from stdin instead (see the end of this file).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../..");
const REFERENCE = path.join(REPO, "tests/jsonata/reference");
const require = createRequire(path.join(REFERENCE, "package.json"));
const jsonata = require("jsonata");

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const corpusDir = path.resolve(option("--corpus", process.env.SLUICE_JSONATA_CORPUS || path.join(REPO, "tests/jsonata/corpus")));
const onlyFiles = option("--files", "") ? new Set(option("--files", "").split(",")) : null;
const only = option("--only", "") ? new RegExp(option("--only", "")) : null;
const minMs = Number(option("--min-ms", "50"));
const minIters = Number(option("--min-iters", "200"));
const maxMs = Number(option("--max-ms", "250"));
const warmupMs = Number(option("--warmup-ms", "20"));
const globalRounds = Number(option("--global-rounds", "20"));
const globalMs = Number(option("--global-ms", "3000"));

if (process.argv.includes("--version")) {
  console.log(require("jsonata/package.json").version);
  process.exit(0);
}

const documents = {};
const docDir = path.join(path.dirname(corpusDir), "documents");
if (fs.existsSync(docDir)) {
  for (const f of fs.readdirSync(docDir)) {
    if (f.endsWith(".json")) documents[f.slice(0, -5)] = JSON.parse(fs.readFileSync(path.join(docDir, f), "utf8"));
  }
}

const NONDETERMINISTIC = /\$(now|millis|random|uuid)\b/;

function usable(c) {
  if (typeof c !== "object" || c === null || typeof c.id !== "string" || typeof c.expr !== "string") return false;
  if ("error" in c || "expect" in c || "shape" in c || c.nondeterministic === true) return false;
  return !NONDETERMINISTIC.test(c.expr);
}

function loadCases() {
  const cases = [];
  for (const f of fs.readdirSync(corpusDir).filter((f) => f.endsWith(".jsonl")).sort()) {
    const stem = f.slice(0, -6);
    if (stem === "aws_functions") continue;
    for (const line of fs.readFileSync(path.join(corpusDir, f), "utf8").split("\n")) {
      const t = line.trim();
      if (t === "" || t.startsWith("#")) continue;
      let c;
      try {
        c = JSON.parse(t);
      } catch {
        continue;
      }
      if (!usable(c)) continue;
      let input;
      if (typeof c.doc === "string") {
        if (!(c.doc in documents)) continue;
        input = documents[c.doc];
      } else if ("data" in c) {
        input = c.data;
      }
      const bindings = { ...(c.bindings || {}) };
      let missing = false;
      for (const [name, doc] of Object.entries(c.bind_docs || {})) {
        if (!(doc in documents)) missing = true;
        bindings[name] = documents[doc];
      }
      if (missing) continue;
      cases.push({ id: c.id, file: stem, expr: c.expr, input, bindings: Object.keys(bindings).length ? bindings : undefined });
    }
  }
  return cases;
}

const now = () => process.hrtime.bigint();

async function bench(c) {
  let expr;
  try {
    expr = jsonata(c.expr);
    await expr.evaluate(c.input, c.bindings);
  } catch (e) {
    return { id: c.id, error: `${e && e.code ? e.code + " " : ""}${e && e.message ? e.message : e}` };
  }
  // warm-up: at least 20 evaluations and warmupMs
  const w0 = now();
  for (let i = 0; ; ++i) {
    await expr.evaluate(c.input, c.bindings);
    if (i >= 20 && Number(now() - w0) >= warmupMs * 1e6) break;
    if (Number(now() - w0) >= maxMs * 1e6) break;
  }
  let iterations = 0;
  let elapsed = 0n;
  let batch = 1;
  const cpu0 = process.cpuUsage();
  for (;;) {
    const t0 = now();
    for (let i = 0; i < batch; ++i) await expr.evaluate(c.input, c.bindings);
    elapsed += now() - t0;
    iterations += batch;
    const ms = Number(elapsed) / 1e6;
    if ((ms >= minMs && iterations >= minIters) || ms >= maxMs) break;
    // aim the next batch at what is still missing, at most doubling
    const perOp = Number(elapsed) / iterations;
    const wantByTime = Math.ceil(((minMs - ms) * 1e6) / Math.max(perOp, 1));
    batch = Math.max(1, Math.min(batch * 2, Math.max(wantByTime, minIters - iterations)));
  }
  const cpu = process.cpuUsage(cpu0);  // microseconds, every thread of the process (GC, JIT too)
  return {
    id: c.id,
    ns_per_op: Number(elapsed) / iterations,
    cpu_ns_per_op: ((cpu.user + cpu.system) * 1000) / iterations,
    iterations,
  };
}

// Global warm-up: every usable case of the corpus, evaluated round after round, so that jsonata's
// own code is JIT-compiled against all the shapes of the corpus (a server's steady state) before
// any case is timed; then each case gets its own warm-up too.
async function globalWarmup(cases) {
  const compiled = [];
  for (const c of cases) {
    try {
      const expr = jsonata(c.expr);
      await expr.evaluate(c.input, c.bindings);
      compiled.push([expr, c]);
    } catch {
      // an error case: not timed anyway
    }
  }
  const t0 = now();
  for (let round = 0; round < globalRounds; ++round) {
    for (const [expr, c] of compiled) await expr.evaluate(c.input, c.bindings).catch(() => {});
    if (Number(now() - t0) >= globalMs * 1e6) break;
  }
}

async function runAll(cases) {
  for (const c of cases) {
    let line;
    try {
      line = await bench(c);
    } catch (e) {
      line = { id: c.id, error: `${e && e.code ? e.code + " " : ""}${e && e.message ? e.message : e}` };
    }
    process.stdout.write(JSON.stringify(line) + "\n");
  }
}

const all = loadCases();
await globalWarmup(all);
if (process.argv.includes("--serve")) {
  // One request per stdin line: {"files": [stem, ...]} and/or {"only": REGEX}; the cases' lines,
  // then {"done": true}. Lets bench/jsonata/compare alternate with the native side while this
  // process (and its JIT) stays warm.
  const readline = await import("node:readline");
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  process.stdout.write(JSON.stringify({ ready: true, cases: all.length }) + "\n");
  for await (const line of rl) {
    if (line.trim() === "") continue;
    const req = JSON.parse(line);
    const files = req.files ? new Set(req.files) : null;
    const rx = req.only ? new RegExp(req.only) : null;
    await runAll(all.filter((c) => (!files || files.has(c.file)) && (!rx || rx.test(c.id))));
    process.stdout.write(JSON.stringify({ done: true }) + "\n");
  }
} else {
  await runAll(all.filter((c) => (!onlyFiles || onlyFiles.has(c.file)) && (!only || only.test(c.id))));
}
