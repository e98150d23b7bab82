"""Summarises test suites for tools/test from their result files and exit codes.

usage: test_summary.py RESULTS_DIR NAME:EXIT_CODE...

For each suite reads RESULTS_DIR/NAME.xml (JUnit XML: ctest, pytest) or RESULTS_DIR/NAME.tap (TAP
from `node --test`, whose JUnit reporter older Node releases lack), prints a line per suite, then
`N passed, N failed` alone on the last line, and exits 1 if anything failed. A suite that exited
non-zero without a failing test in its results (it crashed, could not start, or the server did not
exit 0) counts as one failure, so a broken suite can never look green.
"""

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def count_junit(path):
    """(passed, failed, skipped, names of failed tests)."""
    passed = failed = skipped = 0
    failures = []
    for case in ET.parse(path).getroot().iter("testcase"):
        tags = {child.tag for child in case}
        if tags & {"failure", "error"}:
            failed += 1
            failures.append(f"{case.get('classname', '')}.{case.get('name', '')}".lstrip("."))
        elif "skipped" in tags:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped, failures


def count_tap(path):
    """The same from node's TAP: its closing `# pass N` ... counters and top-level `not ok` lines."""
    text = path.read_text(errors="replace")
    totals = {k: int(v) for k, v in re.findall(r"^# (pass|fail|cancelled|skipped|todo) (\d+)$",
                                                text, re.M)}
    failures = re.findall(r"^not ok \d+ - (.*)$", text, re.M)
    failed = totals.get("fail", 0) + totals.get("cancelled", 0)
    skipped = totals.get("skipped", 0) + totals.get("todo", 0)
    return totals.get("pass", 0), failed, skipped, failures


def main(results_dir, specs):
    total_passed = total_failed = 0
    for spec in specs:
        name, rc = spec.rsplit(":", 1)
        rc = int(rc)
        passed = failed = skipped = 0
        failures = []
        for path, reader in ((Path(results_dir) / f"{name}.xml", count_junit),
                             (Path(results_dir) / f"{name}.tap", count_tap)):
            if path.exists():
                try:
                    passed, failed, skipped, failures = reader(path)
                except (ET.ParseError, OSError) as e:
                    failures = [f"unreadable {path.name}: {e}"]
                break
        if rc != 0 and failed == 0:
            failed = 1
            failures.append(f"suite exited {rc}")
        total_passed += passed
        total_failed += failed
        print(f"{name:10} {passed} passed, {failed} failed, {skipped} skipped")
        for f in failures:
            print(f"    FAILED {f}")
    print(f"{total_passed} passed, {total_failed} failed")
    return 1 if total_failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
