#!/usr/bin/python3
"""Native JSONata against the reference (npm jsonata) on the corpus, as a ratio. Run through
bench/jsonata/compare, which finds the binaries.

Both sides time the same usable corpus cases (see bench/micro/jsonata_bench.cpp), expression
compiled once and input parsed once: the native one in sluice-microbench (JsonataCorpus/<id>),
the reference in one long-lived node process (reference_bench.mjs --serve, JIT warmed over the
whole corpus first). The corpus is run file by file, the two sides alternating (native then node
for one file, node then native for the next), so both see the same machine state; only cases both
sides evaluate without error are compared. Ratio = reference ns/op / native ns/op, on CPU time
(the headline: the machines are shared, and CPU time is what the load does not inflate; node's
counts all its threads, GC and JIT included) and on wall-clock time.

usage: compare [--files STEM ...] [--only REGEX] [--min-time S] [--node-min-ms MS]
               [--node-warmup-ms MS] [--node-min-iters N] [--lowest N] [--json-out PATH]
"""

import argparse
import json
import math
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
NONDETERMINISTIC = re.compile(r"\$(now|millis|random|uuid)\b")


def usable(c):
    if not isinstance(c, dict) or not isinstance(c.get("id"), str) or not isinstance(c.get("expr"), str):
        return False
    if "error" in c or "expect" in c or "shape" in c or c.get("nondeterministic") is True:
        return False
    return not NONDETERMINISTIC.search(c["expr"])


def load_corpus(corpus_dir):
    """{stem: [case]}: the usable cases, per file (as both benchmark sides select them)."""
    out = {}
    for path in sorted(corpus_dir.glob("*.jsonl")):
        if path.stem == "aws_functions":
            continue
        cases = []
        for line in path.read_text().splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                c = json.loads(line)
            except json.JSONDecodeError:
                continue
            if usable(c):
                cases.append(c)
        out[path.stem] = cases
    return out


def ere_escape(s):
    return re.sub(r"([.\[\]{}()\\*+?^$|])", r"\\\1", s)


def machine():
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": model, "kernel": platform.release(),
            "load": os.getloadavg()}


def git_describe():
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" + uncommitted changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


class Node:
    """reference_bench.mjs --serve: one warm process, one request per corpus file."""

    def __init__(self, cmd):
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=HERE)
        ready = json.loads(self.proc.stdout.readline() or "{}")
        if not ready.get("ready"):
            raise SystemExit("compare: the reference bench did not start: " + " ".join(cmd))
        self.cases = ready.get("cases")

    def run(self, request):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        out = {}
        for line in self.proc.stdout:
            r = json.loads(line)
            if r.get("done"):
                return out
            out[r["id"]] = r
        raise SystemExit("compare: the reference bench exited early")

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def run_native(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"compare: {' '.join(map(shlex.quote, cmd))} failed ({p.returncode}): {p.stderr[-2000:]}")
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    out = {}
    for b in json.loads(p.stdout)["benchmarks"]:
        cid = b["name"].split("/", 1)[1]
        if b.get("error_occurred"):
            out[cid] = {"error": b.get("error_message", "")}
        else:
            k = scale[b.get("time_unit", "ns")]
            out[cid] = {"ns_per_op": b["real_time"] * k, "cpu_ns_per_op": b["cpu_time"] * k,
                        "iterations": b["iterations"]}
    return out


def quantile(sorted_xs, q):
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(sorted_xs) == 1:
        return sorted_xs[0]
    pos = q * (len(sorted_xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def summary(ratios):
    xs = sorted(ratios)
    return {"n": len(xs), "median": quantile(xs, 0.5), "p10": quantile(xs, 0.1), "p90": quantile(xs, 0.9),
            "min": xs[0], "max": xs[-1], "geomean": math.exp(sum(math.log(x) for x in xs) / len(xs))}


def fmt_summary(s):
    return (f"median {s['median']:.1f}x  p10 {s['p10']:.1f}x  p90 {s['p90']:.1f}x  min {s['min']:.1f}x  "
            f"max {s['max']:.0f}x  geomean {s['geomean']:.1f}x")


def fmt_ns(ns):
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} us"
    return f"{ns:.0f} ns"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--microbench", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--corpus", default=str(REPO / "tests/jsonata/corpus"))
    ap.add_argument("--files", nargs="+", help="corpus files (stems) to run; default: all but aws_functions")
    ap.add_argument("--only", help="only cases whose id matches (Python regex)")
    ap.add_argument("--min-time", default="0.01", help="native --benchmark_min_time, CPU seconds (default 0.01)")
    ap.add_argument("--node-min-ms", type=int, default=15)
    ap.add_argument("--node-warmup-ms", type=int, default=5)
    ap.add_argument("--node-min-iters", type=int, default=100)
    ap.add_argument("--lowest", type=int, default=10)
    ap.add_argument("--json-out", help="write every compared case (id, expr, both timings) as JSON lines")
    args = ap.parse_args()

    t_start = time.monotonic()
    corpus_dir = Path(args.corpus).resolve()
    corpus = load_corpus(corpus_dir)
    stems = args.files or list(corpus)
    only = re.compile(args.only) if args.only else None
    exprs = {c["id"]: c["expr"] for cases in corpus.values() for c in cases}
    m_before = machine()

    env_corpus = os.environ.get("SLUICE_JSONATA_CORPUS")
    if str(corpus_dir) != str((REPO / "tests/jsonata/corpus").resolve()):
        os.environ["SLUICE_JSONATA_CORPUS"] = str(corpus_dir)
    node_cmd = [args.node, str(HERE / "reference_bench.mjs"), "--serve", "--corpus", str(corpus_dir),
                "--min-ms", str(args.node_min_ms), "--warmup-ms", str(args.node_warmup_ms),
                "--min-iters", str(args.node_min_iters)]
    node_version = subprocess.run([args.node, "--version"], capture_output=True, text=True).stdout.strip()
    jsonata_version = subprocess.run([args.node, str(HERE / "reference_bench.mjs"), "--version"],
                                     capture_output=True, text=True, cwd=HERE).stdout.strip()
    t0 = time.monotonic()
    node = Node(node_cmd)
    warmup_s = time.monotonic() - t0

    native, ref = {}, {}
    native_s = node_s = 0.0
    native_template = None
    for i, stem in enumerate(stems):
        ids = [c["id"] for c in corpus.get(stem, []) if not only or only.search(c["id"])]
        if not ids:
            continue
        if only:
            flt = "^JsonataCorpus/(" + "|".join(ere_escape(x) for x in ids) + ")$"
        else:
            flt = "^JsonataCorpus/" + ere_escape(stem) + r"\."
        ncmd = [args.microbench, f"--benchmark_filter={flt}", f"--benchmark_min_time={args.min_time}",
                "--benchmark_format=json"]
        native_template = [args.microbench, f"--benchmark_filter=^JsonataCorpus/{ere_escape('<file>')}\\.",
                           f"--benchmark_min_time={args.min_time}", "--benchmark_format=json"]
        request = {"files": [stem]}
        if only:
            request["only"] = args.only
        sides = ["native", "node"] if i % 2 == 0 else ["node", "native"]
        for side in sides:
            t = time.monotonic()
            if side == "native":
                native.update(run_native(ncmd))
                native_s += time.monotonic() - t
            else:
                ref.update(node.run(request))
                node_s += time.monotonic() - t
        print(f"  {stem}: {len(ids)} cases", file=sys.stderr, flush=True)
    node.close()
    m_after = machine()
    total_s = time.monotonic() - t_start

    rows, native_only_err, node_only_err, both_err = [], [], [], []
    for cid in sorted(set(native) | set(ref)):
        n, r = native.get(cid), ref.get(cid)
        n_ok = n is not None and "error" not in n
        r_ok = r is not None and "error" not in r
        if n_ok and r_ok:
            rows.append({"id": cid, "expr": exprs.get(cid, ""),
                         "native_ns": n["ns_per_op"], "native_cpu_ns": n["cpu_ns_per_op"],
                         "node_ns": r["ns_per_op"], "node_cpu_ns": r["cpu_ns_per_op"],
                         "ratio_cpu": r["cpu_ns_per_op"] / max(n["cpu_ns_per_op"], 1e-3),
                         "ratio_wall": r["ns_per_op"] / max(n["ns_per_op"], 1e-3)})
        elif n_ok:
            node_only_err.append((cid, r["error"] if r else "not run"))
        elif r_ok:
            native_only_err.append((cid, n["error"] if n else "not run"))
        else:
            both_err.append(cid)
    if not rows:
        print("compare: no case evaluated on both sides", file=sys.stderr)
        return 1

    print("JSONata: native (sluice-microbench JsonataCorpus/*) vs the reference "
          f"(jsonata {jsonata_version} on node {node_version})")
    print(f"machine: {m_before['nproc']} CPUs, {m_before['cpu']}, Linux {m_before['kernel']}; "
          f"load average {m_before['load'][0]:.2f} before, {m_after['load'][0]:.2f} after")
    print(f"source: {git_describe()}")
    print(f"commands: native, per corpus file: {' '.join(map(shlex.quote, native_template))}")
    print(f"          reference, one process: {' '.join(map(shlex.quote, node_cmd))}")
    print(f"          (file by file, alternating which side runs first)")
    print(f"time: {total_s:.0f} s in all: native {native_s:.0f} s, reference {node_s:.0f} s "
          f"(+ {warmup_s:.1f} s start-up and JIT warm-up)")
    print()
    print(f"cases compared: {len(rows)} (evaluated without error on both sides)")
    if native_only_err:
        print(f"  {len(native_only_err)} more fail natively only: " +
              ", ".join(f"{cid} ({why[:60]})" for cid, why in native_only_err[:10]) +
              (" ..." if len(native_only_err) > 10 else ""))
    if node_only_err:
        print(f"  {len(node_only_err)} more fail in the reference only: " +
              ", ".join(f"{cid} ({why[:60]})" for cid, why in node_only_err[:10]) +
              (" ..." if len(node_only_err) > 10 else ""))
    if both_err:
        print(f"  {len(both_err)} more fail on both sides")
    s_cpu = summary([r["ratio_cpu"] for r in rows])
    s_wall = summary([r["ratio_wall"] for r in rows])
    print(f"reference / native, CPU time:  {fmt_summary(s_cpu)}")
    print(f"reference / native, wall time: {fmt_summary(s_wall)}")
    print(f"native CPU ns/op: median {fmt_ns(statistics.median(r['native_cpu_ns'] for r in rows))}; "
          f"reference: median {fmt_ns(statistics.median(r['node_cpu_ns'] for r in rows))}")
    print()
    print("per corpus file (CPU-time ratio):")
    by_file = {}
    for r in rows:
        by_file.setdefault(r["id"].split(".", 1)[0], []).append(r["ratio_cpu"])
    for stem, xs in sorted(by_file.items(), key=lambda kv: statistics.median(kv[1])):
        s = summary(xs)
        print(f"  {stem:28} {s['n']:4} cases  median {s['median']:6.1f}x  min {s['min']:6.1f}x")
    print()
    print(f"the {args.lowest} lowest ratios (CPU time):")
    for r in sorted(rows, key=lambda r: r["ratio_cpu"])[: args.lowest]:
        expr = r["expr"] if len(r["expr"]) <= 70 else r["expr"][:67] + "..."
        print(f"  {r['ratio_cpu']:6.1f}x  native {fmt_ns(r['native_cpu_ns']):>10}  reference "
              f"{fmt_ns(r['node_cpu_ns']):>10}  {r['id']}: {expr}")
    if args.json_out:
        with open(args.json_out, "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    if env_corpus is None:
        os.environ.pop("SLUICE_JSONATA_CORPUS", None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
