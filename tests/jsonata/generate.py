#!/usr/bin/python3
"""Seeded random JSONata expressions, with input documents, for the differential test.

A small grammar of JSONata (paths with predicates, sorting, grouping and wildcards; every operator;
literals; calls to the deterministic built-in functions; lambdas, blocks, conditionals, chains,
constructors, regexes) generates well-formed expressions over generated documents whose field
names the paths use; about a tenth are then mutated (a character dropped, a token inserted, the
text cut short, two tokens swapped) into mostly malformed ones. The same seed always gives the
same cases. Arguments that would make either evaluator allocate without bound (range sizes, pad
widths, date arguments) are kept to small literals; non-deterministic functions ($now, $millis,
$random, $shuffle, $uuid) and $eval are never generated, and a regular expression is applied as a
function to strings only (see known_differences.jsonl).

usage: generate.py [--seed N] [--count N]     prints the cases as JSON lines
       import generate; generate.generate(seed, count) -> [case]
"""

import argparse
import json
import random

FIELDS = ["a", "b", "c", "name", "price", "qty", "tags", "items", "kind", "n"]
WORDS = ["", "a", "b", "abc", "Hello World", "x,y,z", "café", "😀", "日本", " pad ", "A-B-C", "10", "2.5", "true"]
# no exponent pictures: $formatNumber(0, "0.00e0") never returns in the reference (jsonata 2.0.6)
PICTURES_NUMBER = ["#,##0.00", "0.0", "000", "#0%", "#,###", "0.###", "#,##0.0;(#,##0.0)"]
PICTURES_INTEGER = ["0", "000", "w", "W", "Ww", "I", "i", "a", "A", "#,##0", "0;o", "w;o"]
PICTURES_DATE = ["[Y0001]-[M01]-[D01]", "[H01]:[m01]:[s01]", "[FNn], [D1o] [MNn] [Y]", "[h]:[m01][P]",
                 "[Y]-[d]", "[W01]", "[z]", "[MNn,3-3] [Y01]"]
REGEXES = ["/a/", "/[0-9]+/", "/b/i", "/^\\w+/", "/(a)(b)?/", "/\\s+/", "/,/", "/é|😀/", "/x*y/"]


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.vars = []  # variables in scope

    def pick(self, seq):
        return self.r.choice(seq)

    # ---- data -------------------------------------------------------------------------------

    def value(self, depth):
        r = self.r.random()
        if depth <= 0 or r < 0.45:
            return self.scalar()
        if r < 0.72:
            return [self.value(depth - 1) for _ in range(self.r.randint(0, 4))]
        return {self.pick(FIELDS): self.value(depth - 1) for _ in range(self.r.randint(0, 4))}

    def scalar(self):
        k = self.r.randint(0, 9)
        if k <= 3:
            return self.number()
        if k <= 6:
            return self.pick(WORDS)
        if k == 7:
            return self.r.random() < 0.5
        if k == 8:
            return None
        return self.r.randint(0, 5)

    def number(self):
        k = self.r.randint(0, 7)
        if k <= 3:
            return self.r.randint(-10, 100)
        if k == 4:
            return round(self.r.uniform(-100, 100), self.r.randint(0, 3))
        if k == 5:
            return self.pick([0, 1, -1, 0.1, 0.2, 1e21, 1e-7, 123456789012, 9007199254740993, 2.5, 0.5, -0.0])
        return self.r.randint(0, 3)

    def document(self):
        doc = {f: self.value(3) for f in self.r.sample(FIELDS, self.r.randint(3, 7))}
        doc["items"] = [{f: self.value(1) for f in self.r.sample(FIELDS, self.r.randint(1, 4))}
                        for _ in range(self.r.randint(0, 5))]
        return doc

    # ---- expressions ------------------------------------------------------------------------

    def expr(self, depth):
        if depth <= 0:
            return self.atom()
        k = self.r.random()
        table = [
            (0.16, self.path),
            (0.30, self.binary),
            (0.44, self.call),
            (0.50, self.conditional),
            (0.56, self.array),
            (0.61, self.object),
            (0.66, self.block),
            (0.71, self.lambda_call),
            (0.75, self.chain),
            (0.78, self.unary),
            (0.81, self.hof),
            (0.83, self.transform),
            (1.00, lambda d: self.atom()),
        ]
        for limit, fn in table:
            if k < limit:
                return fn(depth)
        return self.atom()

    def atom(self):
        k = self.r.randint(0, 11)
        if k <= 3:
            return self.field_path(self.r.randint(1, 3))
        if k <= 5:
            return self.number_literal()
        if k <= 7:
            return self.string_literal()
        if k == 8:
            return self.pick(["true", "false", "null"])
        if k == 9 and self.vars:
            return self.pick(self.vars)
        if k == 10:
            return self.pick(["$", "$$", "nothing", "$.items", "[]", "{}"])
        return self.field_path(1)

    def number_literal(self):
        v = self.number()
        text = json.dumps(v)
        return f"({text})" if text.startswith("-") else text

    def string_literal(self):
        s = self.pick(WORDS)
        if self.r.random() < 0.5:
            return "'" + s.replace("\\", "\\\\").replace("'", "\\u0027") + "'"
        return json.dumps(s, ensure_ascii=self.r.random() < 0.3)

    def field_path(self, steps):
        parts = []
        for _ in range(steps):
            k = self.r.random()
            if k < 0.08:
                parts.append("*")
            elif k < 0.11 and parts:
                parts.append("**")
            elif k < 0.13:
                parts.append("`" + self.pick(FIELDS) + "`")
            else:
                parts.append(self.pick(FIELDS))
        return ".".join(parts)

    def path(self, depth):
        base = self.field_path(self.r.randint(1, 3))
        steps = self.r.randint(1, 2)
        for _ in range(steps):
            k = self.r.random()
            if k < 0.25:
                base += f"[{self.r.randint(-3, 3)}]"
            elif k < 0.5:
                base += f"[{self.predicate(depth - 1)}]"
            elif k < 0.6:
                base += "^(" + ", ".join(self.pick(["", "<", ">"]) + self.field_path(1) for _ in range(self.r.randint(1, 2))) + ")"
            elif k < 0.68:
                base += "{" + f"$string({self.field_path(1)}): {self.expr(depth - 1)}" + "}"
            elif k < 0.74:
                base += "[]"
            elif k < 0.8:
                base += "." + self.field_path(1)
            elif k < 0.84:
                base += f"#$i[$i {self.pick(['<', '>', '='])} {self.r.randint(0, 3)}]"
            elif k < 0.88:
                base += ".%." + self.pick(FIELDS)
            else:
                base += ".(" + self.expr(depth - 1) + ")"
        return base

    def predicate(self, depth):
        f = self.field_path(1)
        k = self.r.randint(0, 5)
        if k == 0:
            return f"{f} {self.pick(['=', '!=', '<', '>', '<=', '>='])} {self.number_literal()}"
        if k == 1:
            return f"{f} = {self.string_literal()}"
        if k == 2:
            return f"$exists({f})"
        if k == 3:
            return f"$type($) = '{self.pick(['number', 'string', 'object', 'array', 'boolean', 'null'])}'"
        if k == 4:
            return f
        return self.expr(depth)

    def binary(self, depth):
        op = self.pick(["+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "and", "or", "&", "in", "&", "+", "="])
        return f"{self.operand(depth - 1)} {op} {self.operand(depth - 1)}"

    def operand(self, depth):
        e = self.expr(depth)
        return e if self.simple(e) else f"({e})"

    @staticmethod
    def simple(e):
        return all(ch.isalnum() or ch in "._$`'\"*" for ch in e) and " " not in e

    def unary(self, depth):
        return "-" + self.operand(depth - 1)

    def conditional(self, depth):
        if self.r.random() < 0.3:
            return f"{self.operand(depth - 1)} ? {self.operand(depth - 1)}"
        return f"{self.operand(depth - 1)} ? {self.operand(depth - 1)} : {self.operand(depth - 1)}"

    def array(self, depth):
        items = []
        for _ in range(self.r.randint(0, 3)):
            if self.r.random() < 0.15:
                lo = self.r.randint(-3, 5)
                items.append(f"{lo}..{lo + self.r.randint(-1, 6)}")
            else:
                items.append(self.expr(depth - 1))
        text = "[" + ", ".join(items) + "]"
        if self.r.random() < 0.2:
            text += f"[{self.r.randint(-2, 2)}]"
        return text

    def object(self, depth):
        keys = self.r.sample(FIELDS, self.r.randint(0, 3))
        return "{" + ", ".join(f"'{k}': {self.expr(depth - 1)}" for k in keys) + "}"

    def block(self, depth):
        name = "$" + self.pick(["v", "w", "acc", "tmp"])
        first = self.expr(depth - 1)
        self.vars.append(name)
        try:
            body = self.expr(depth - 1)
        finally:
            self.vars.pop()
        return f"({name} := {first}; {body})"

    def lambda_expr(self, depth, params):
        names = ["$" + p for p in params]
        self.vars.extend(names)
        try:
            body = self.expr(depth - 1)
        finally:
            del self.vars[-len(names):]
        return "function(" + ", ".join(names) + "){ " + body + " }"

    def lambda_call(self, depth):
        params = self.r.sample(["x", "y"], self.r.randint(1, 2))
        args = ", ".join(self.expr(depth - 1) for _ in params)
        return f"({self.lambda_expr(depth, params)})({args})"

    def chain(self, depth):
        fn = self.pick(["$string()", "$count()", "$sum()", "$uppercase()", "$keys()", "$reverse()", "$type()",
                        "$join(',')", "$distinct()", "$sort()", "$boolean()", "$length()", "$not()", "$exists()"])
        return f"{self.operand(depth - 1)} ~> {fn}"

    def hof(self, depth):
        arr = self.operand(depth - 1)
        k = self.r.randint(0, 4)
        if k == 0:
            return f"$map({arr}, {self.lambda_expr(depth, ['v', 'i'][: self.r.randint(1, 2)])})"
        if k == 1:
            return f"$filter({arr}, {self.lambda_expr(depth, ['v'])})"
        if k == 2:
            init = f", {self.number_literal()}" if self.r.random() < 0.5 else ""
            return f"$reduce({arr}, {self.lambda_expr(depth, ['acc', 'v'])}{init})"
        if k == 3:
            return f"$each({arr}, {self.lambda_expr(depth, ['v', 'k'])})"
        return f"$sift({arr}, {self.lambda_expr(depth, ['v', 'k'])})"

    def transform(self, depth):
        target = self.pick(["$", "items", "a", "*"])
        update = self.object(depth - 1)
        delete = f", ['{self.pick(FIELDS)}']" if self.r.random() < 0.4 else ""
        return f"$ ~> |{target}|{update}{delete}|"

    def call(self, depth):
        e = lambda: self.expr(depth - 1)
        n = lambda: self.pick([str(self.r.randint(-5, 10)), self.field_path(1), e()])
        small = lambda lo, hi: str(self.r.randint(lo, hi))
        s = lambda: self.pick([self.string_literal(), self.field_path(1), e()])
        calls = [
            lambda: f"$sum({e()})", lambda: f"$count({e()})", lambda: f"$max({e()})", lambda: f"$min({e()})",
            lambda: f"$average({e()})", lambda: f"$string({e()})", lambda: f"$string({e()}, true)", lambda: f"$length({s()})",
            lambda: f"$substring({s()}, {small(-4, 6)})", lambda: f"$substring({s()}, {small(-4, 6)}, {small(-1, 5)})",
            lambda: f"$substringBefore({s()}, {s()})", lambda: f"$substringAfter({s()}, {s()})",
            lambda: f"$uppercase({s()})", lambda: f"$lowercase({s()})", lambda: f"$trim({s()})",
            lambda: f"$pad({s()}, {small(-8, 8)}, '{self.pick(['', '-', '#', 'ab'])}')", lambda: f"$contains({s()}, {self.pick([self.string_literal(), self.pick(REGEXES)])})",
            lambda: f"$split({s()}, {self.pick([repr(','), repr(''), self.pick(REGEXES)])})", lambda: f"$split({s()}, ',', {small(0, 3)})",
            lambda: f"$join({e()}, '{self.pick(['', ',', ' - '])}')", lambda: f"$replace({s()}, {self.pick([repr('a'), self.pick(REGEXES)])}, '{self.pick(['', 'X', '$0', '[$1]'])}')",
            lambda: f"$match({s()}, {self.pick(REGEXES)})", lambda: f"$number({e()})", lambda: f"$abs({n()})", lambda: f"$floor({n()})",
            lambda: f"$ceil({n()})", lambda: f"$round({n()}, {small(-2, 3)})", lambda: f"$power({n()}, {small(-3, 4)})", lambda: f"$sqrt({n()})",
            lambda: f"$boolean({e()})", lambda: f"$not({e()})", lambda: f"$exists({e()})", lambda: f"$append({e()}, {e()})",
            lambda: f"$sort({e()})", lambda: f"$reverse({e()})", lambda: f"$distinct({e()})", lambda: f"$keys({e()})",
            lambda: f"$lookup({e()}, '{self.pick(FIELDS)}')", lambda: f"$spread({e()})", lambda: f"$merge({e()})",
            lambda: f"$type({e()})", lambda: f"$zip({e()}, {e()})", lambda: f"$formatNumber({n()}, '{self.pick(PICTURES_NUMBER)}')",
            lambda: f"$formatBase({n()}, {small(2, 36)})", lambda: f"$formatInteger({n()}, '{self.pick(PICTURES_INTEGER)}')",
            lambda: f"$fromMillis({self.r.randint(-10**12, 4 * 10**12)}, '{self.pick(PICTURES_DATE)}')",
            lambda: f"$fromMillis({self.r.randint(0, 4 * 10**12)})", lambda: f"$toMillis({s()})",
            lambda: f"$toMillis('{self.pick(['2024-02-29T12:00:00Z', '2017-11-07', '1999-12-31T23:59:59.999+05:30', 'x'])}')",
            lambda: f"$base64encode({s()})", lambda: f"$encodeUrlComponent({s()})", lambda: f"$single({e()})",
            lambda: f"$parseInteger('{self.pick(['12', 'twelve', 'XIV', '1,234'])}', '{self.pick(['0', 'w', 'I', '#,##0'])}')",
            # a regex applied to a string only: the reference coerces anything else the JavaScript
            # way (undefined matches as "undefined"), a known difference
            lambda: f"{self.pick(REGEXES)}({self.pick([self.string_literal(), f'({self.field_path(1)} & {chr(39) * 2})'])})",
        ]
        return self.pick(calls)()

    # ---- malformed --------------------------------------------------------------------------

    def mutate(self, text):
        k = self.r.randint(0, 3)
        if not text:
            return ")"
        pos = self.r.randint(0, len(text) - 1)
        if k == 0:
            return text[:pos] + text[pos + 1:]
        if k == 1:
            token = self.pick([")", "]", "}", "(", "[", "{", ",", ":", ".", "$", "'", '"', "/", "?", "~>", "|", "..", ";", ":=", "@", "#", "%", "^"])
            return text[:pos] + token + text[pos:]
        if k == 2:
            return text[: max(1, pos)]
        words = text.split(" ")
        if len(words) > 2:
            i = self.r.randint(0, len(words) - 2)
            words[i], words[i + 1] = words[i + 1], words[i]
        return " ".join(words)


def generate(seed, count, malformed=0.1):
    """count cases: {"id", "expr", "data"}; ids are gen.s<seed>.<n>."""
    rng = random.Random(seed)
    g = Gen(rng)
    docs = [g.document() for _ in range(8)]
    cases = []
    for i in range(count):
        text = g.expr(rng.randint(1, 4))
        if rng.random() < malformed:
            text = g.mutate(text)
        case = {"id": f"gen.s{seed}.{i:05d}", "expr": text}
        k = rng.random()
        if k < 0.85:
            case["data"] = rng.choice(docs)
        elif k < 0.92:
            case["data"] = g.value(2)
        cases.append(case)
    return cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=100)
    args = ap.parse_args()
    for case in generate(args.seed, args.count):
        print(json.dumps(case, ensure_ascii=False))


if __name__ == "__main__":
    main()
