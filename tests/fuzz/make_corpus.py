#!/usr/bin/python3
"""Regenerates the JSONata fuzzers' seed corpus and dictionary, deterministically.

usage: tests/fuzz/make_corpus.py [OUT_DIR] [--dict]
  OUT_DIR  where the seeds go (default: build-fuzz/corpus/seed at the repository's root); tools/fuzz
           generates them there at run time, so no corpus is committed
  --dict   also rewrite the committed dictionary, tests/fuzz/jsonata.dict (after adding functions)

Reads, from the repository:
  tests/jsonata/corpus/*.jsonl      the differential corpus: one case a line ({"id", "expr", and
                                    "doc" naming tests/jsonata/documents/NAME.json or inline
                                    "data"})
  tests/engine/**/*.cpp             JSONata in Step Functions definitions ({% ... %})
  tests/engine/jsonata/format_*_test.cpp
                                    the pictures of $formatNumber, $formatInteger, $parseInteger,
                                    $formatBase, $fromMillis and $toMillis cases
  engine/jsonata/functions_*.cpp    the names of the built-in functions (for the dictionary)
Writes (replacing what was there):
  OUT_DIR/parse/                    one expression a file (jsonata_parse_fuzzer)
  OUT_DIR/eval/                     an expression on the first line, a JSON document on the rest
                                    (jsonata_eval_fuzzer); no second line: no input
  tests/fuzz/jsonata.dict           with --dict: libFuzzer dictionary, JSONata's tokens and
                                    function names

The seeds are chosen, not all taken: a greedy pass first keeps the expressions that bring tokens
(operators, function names, keywords, error codes) not seen yet, then fills up to the caps round
robin over the corpus' files, so a few hundred small files cover the language. Stdlib only; the
same sources give the same files, byte for byte.
"""

import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OUT = REPO / "build-fuzz" / "corpus" / "seed"
DICT = HERE / "jsonata.dict"

PARSE_CAP = 450  # files in corpus/jsonata/parse
EVAL_CAP = 300  # files in corpus/jsonata/eval
MAX_EXPR = 1024  # bytes; longer expressions are left out
MAX_TOTAL = 2 * 1024 * 1024  # the whole corpus stays under this

TOKEN_RE = re.compile(
    r"\$\$|\$[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
    r"|\.\.|:=|!=|>=|<=|\*\*|~>|/\*|\*/|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\S")


class Case:
    def __init__(self, source, name, expr, document=None, error=None):
        self.source = source  # a group for round robin (the corpus file)
        self.name = name  # file name in the corpus
        self.expr = expr
        self.document = document  # compact JSON text, or None: no input
        self.error = error  # the expected error code, if any

    def features(self):
        feats = set()
        for tok in TOKEN_RE.findall(self.expr):
            if tok[0] in "\"'":
                feats.add("string")
                if tok[1:2] == "[":
                    feats.add("picture")
            elif tok[0].isdigit():
                feats.add("number:" + ("float" if "." in tok or "e" in tok.lower() else "int"))
            elif tok[0] == "$" and len(tok) > 1 and tok != "$$":
                feats.add(tok)  # function or variable name
            elif tok[0].isalpha() or tok[0] == "_":
                if tok in ("and", "or", "in", "true", "false", "null", "function"):
                    feats.add(tok)
            else:
                feats.add(tok)
        for a, b in zip(TOKEN_RE.findall(self.expr), TOKEN_RE.findall(self.expr)[1:]):
            if not (a[0].isalnum() or b[0].isalnum() or a[0] in "\"'" or b[0] in "\"'"):
                feats.add(a + " " + b)  # operator pairs: "[ ]", ") (", "~> $"...
        if self.error:
            feats.add("error:" + self.error)
        if self.document is not None:
            feats.add("document")
        return feats


def fit_int64(value):
    """Integers beyond 64 bits as doubles: json::parse refuses them, and the seed needs its input."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and not -2**63 <= value < 2**63:
        return float(value)
    if isinstance(value, list):
        return [fit_int64(v) for v in value]
    if isinstance(value, dict):
        return {k: fit_int64(v) for k, v in value.items()}
    return value


def compact(value):
    return json.dumps(fit_int64(value), ensure_ascii=False, separators=(",", ":"))


def jsonata_string(text):
    """A JSONata string literal (JSON's escapes)."""
    return json.dumps(text, ensure_ascii=False)


def jsonata_number(text):
    text = text.rstrip("LlUu")
    try:
        v = float(text)
    except ValueError:
        return None
    if v != v or v in (float("inf"), float("-inf")):
        return None
    if v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    return repr(v)


def corpus_cases():
    docs = {}
    for path in sorted((REPO / "tests/jsonata/documents").glob("*.json")):
        docs[path.stem] = compact(json.loads(path.read_text(encoding="utf-8")))
    cases = []
    for path in sorted((REPO / "tests/jsonata/corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            expr = rec.get("expr")
            if not isinstance(expr, str):
                continue
            document = None
            if "data" in rec:
                document = compact(rec["data"])
            elif rec.get("doc") in docs:
                document = docs[rec["doc"]]
            error = rec.get("error")
            error = error if isinstance(error, str) else None
            cases.append(Case(path.stem, rec.get("id") or path.stem, expr, document, error))
    return cases


def cpp_string(literal):
    """The value of a C++ narrow string literal's body (the escapes the tests use)."""
    out = []
    i = 0
    while i < len(literal):
        c = literal[i]
        if c == "\\" and i + 1 < len(literal):
            n = literal[i + 1]
            out.append({"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


STR = r'"((?:[^"\\]|\\.)*)"'
NUM = r"(-?[0-9][0-9.eE+\-]*(?:LL)?)"
ARG = rf"(?:{STR}|{NUM}|kNone)"


def format_cases():
    """Calls of the format functions from the engine's unit tests' tables."""
    cases = []
    calls = {
        "NumberCase": ("$formatNumber", "num", "str"),
        "IntegerCase": ("$formatInteger", "num", "str"),
        "ParseCase": ("$parseInteger", "str", "str"),
        "BaseCase": ("$formatBase", "num", "num"),
        "FromCase": ("$fromMillis", "num", "str"),
        "ToCase": ("$toMillis", "str", "str"),
    }
    row_re = re.compile(rf"\{{\s*{ARG}\s*,\s*{ARG}")
    for path in sorted((REPO / "tests/engine/jsonata").glob("format_*_test.cpp")):
        text = path.read_text(encoding="utf-8")
        # Split at each table: check(std::vector<Kind>{ ... });
        parts = re.split(r"check\(std::vector<(\w+)>\{", text)
        for kind, body in zip(parts[1::2], parts[2::2]):
            if kind not in calls:
                continue
            fn, _, _ = calls[kind]
            body = body.split("});", 1)[0]
            for n, m in enumerate(row_re.finditer(body)):
                s1, n1, s2, n2 = m.groups()
                args = []
                for s, num in ((s1, n1), (s2, n2)):
                    if s is not None:
                        args.append(jsonata_string(cpp_string(s)))
                    elif num is not None:
                        v = jsonata_number(num)
                        if v is None:
                            break
                        args.append(v)
                    else:
                        args.append("undefined")
                if len(args) != 2:
                    continue
                while args and args[-1] == "undefined":
                    args.pop()
                if "undefined" in args:
                    args = [a if a != "undefined" else "()" for a in args]
                expr = f"{fn}({', '.join(args)})"
                cases.append(Case(f"{path.stem}.{kind}", f"{path.stem}.{kind}.{n}", expr))
    return cases


def definition_cases():
    """{% expr %} in the engine's Step Functions tests (C++ string literals holding JSON)."""
    cases = []
    for path in sorted((REPO / "tests/engine").rglob("*.cpp")):
        text = path.read_text(encoding="utf-8")
        if "{%" not in text:
            continue
        n = 0
        for m in re.finditer(r"\{%(.*?)%\}", text, re.S):
            expr = m.group(1)
            if "\n" in expr or len(expr) > MAX_EXPR:
                continue
            # Inside a C++ "..." literal the JSON's quotes are \"; in a raw literal they are ".
            expr = expr.replace('\\\\\\"', '\\"').replace('\\"', '"').strip()
            if not expr:
                continue
            cases.append(Case("definitions", f"definition.{path.stem}.{n}", expr))
            n += 1
    return cases


def select(cases, cap, seen_names):
    """Greedy on new features, then round robin over sources; deterministic."""
    chosen = []
    covered = set()
    remaining = list(cases)
    feats = {id(c): c.features() for c in cases}
    while remaining and len(chosen) < cap:
        best = max(remaining, key=lambda c: (len(feats[id(c)] - covered), -len(c.expr)))
        gain = feats[id(best)] - covered
        if not gain:
            break
        chosen.append(best)
        covered |= gain
        remaining = [c for c in remaining if c is not best]
    by_source = {}
    for c in remaining:
        by_source.setdefault(c.source, []).append(c)
    queues = [by_source[s] for s in sorted(by_source)]
    while len(chosen) < cap and any(queues):
        for q in queues:
            if q and len(chosen) < cap:
                chosen.append(q.pop(0))
    return chosen


def file_name(name, used):
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:80] or "case"
    out = base
    if out in used:
        out = f"{base}.{hashlib.sha1(name.encode()).hexdigest()[:8]}"
    k = 2
    while out in used:
        out = f"{base}.{k}"
        k += 1
    used.add(out)
    return out


def write_corpus(directory, cases, content):
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    used = set()
    total = 0
    for c in cases:
        data = content(c).encode("utf-8")
        (directory / file_name(c.name, used)).write_bytes(data)
        total += len(data)
    return total


def dictionary():
    names = set()
    for path in sorted((REPO / "engine/jsonata").glob("functions_*.cpp")):
        names.update(re.findall(r'add_builtin\(\w+,\s*"(\w+)"', path.read_text(encoding="utf-8")))
    tokens = [
        # Operators and punctuation.
        ".", "..", "[", "]", "[]", "{", "}", "(", ")", ",", ";", ":", ":=", "?", "?:", "??",
        "+", "-", "*", "**", "/", "%", "|", "=", "!=", "<", "<=", ">", ">=", "&", "~>", "^(",
        "@", "#", "$", "$$", "@$", "#$", "%.", "*.", "**.", "..", "/*", "*/", "//", "\\\"",
        # Keywords and literals.
        "and", "or", "in", "true", "false", "null", "function", "\u03bb", "function($x){$x}",
        "undefined",
        # Regular expressions, strings, numbers.
        "/[a-z]+/i", "/^\\d+$/m", "''", "\"\"", "\"\\u00e9\"", "1e308", "-0", "0.1",
        "9007199254740993", "1e-7", "Infinity", "NaN",
        # Signatures, pictures, timezones.
        "<n-n:n>", "<a<s>:s>", "<f?:b>", "[Y0001]-[M01]-[D01]", "[H01]:[m01]:[s01]", "[FNn]",
        "#,##0.00", "0.0e0", "+0100", "w", "I", "#0;o",
        # Step Functions.
        "$states", "$states.input", "$states.context", "$states.result", "$states.errorOutput",
    ]
    tokens += sorted("$" + n for n in names)
    lines = ["# JSONata tokens for libFuzzer (-dict=). Regenerate with tests/fuzz/make_corpus.py."]
    seen = set()
    for t in tokens:
        if t in seen:
            continue
        seen.add(t)
        esc = "".join(
            c if (0x20 <= ord(c) < 0x7F and c not in '"\\') else
            ("\\" + c if c in '"\\' else "".join(f"\\x{b:02X}" for b in c.encode("utf-8")))
            for c in t)
        lines.append(f'"{esc}"')
    return "\n".join(lines) + "\n"


def main(argv):
    out = OUT
    write_dict = False
    for arg in argv:
        if arg == "--dict":
            write_dict = True
        elif arg.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            out = Path(arg).resolve()
    cases = corpus_cases() + definition_cases() + format_cases()
    cases = [c for c in cases if len(c.expr.encode("utf-8")) <= MAX_EXPR]
    # Drop repeats of the same expression (and document), keeping the first.
    unique_expr, unique_eval = [], []
    seen_expr, seen_eval = set(), set()
    for c in cases:
        if c.expr not in seen_expr:
            seen_expr.add(c.expr)
            unique_expr.append(c)
        one_line = " ".join(c.expr.splitlines())
        key = (one_line, c.document)
        if key not in seen_eval:
            seen_eval.add(key)
            unique_eval.append(Case(c.source, c.name, one_line, c.document, c.error))

    parse = select(unique_expr, PARSE_CAP, set())
    evals = select(unique_eval, EVAL_CAP, set())
    total = write_corpus(out / "parse", parse, lambda c: c.expr)
    total += write_corpus(out / "eval", evals,
                          lambda c: c.expr if c.document is None else c.expr + "\n" + c.document)
    if write_dict:
        DICT.write_text(dictionary(), encoding="utf-8")
    print(f"make_corpus: {len(parse)} parse seeds, {len(evals)} eval seeds, {total} bytes "
          f"(from {len(cases)} expressions)")
    if total > MAX_TOTAL:
        print(f"make_corpus: corpus is {total} bytes, over {MAX_TOTAL}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
