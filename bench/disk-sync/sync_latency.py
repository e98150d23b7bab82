#!/usr/bin/env python3
"""The disk's latency distribution for one synced write, and for two in series.

A durable Sluice reply waits for LMDB's data pages to be synced and then for a sync that covers the
commit's meta page (storage/group_committer.h): two flushes of the device in series. Redis with
appendfsync always waits for one. So at low load the p99 of a durable reply cannot be below the
p99 of two synced writes one after the other; this measures that floor on the disk the data dirs
are on, with the same calls (pwrite of 4 KiB at a growing offset, then fdatasync).

Usage: sync_latency.py DIR [WRITES]   (prints one JSON object; the file is removed)
"""
import json
import os
import statistics
import sys
import time


def pct(sorted_ms, p):
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * p / 100))]


def main():
    directory = sys.argv[1]
    writes = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    path = os.path.join(directory, f"sync-latency-{os.getpid()}.bin")
    block = b"\0" * 4096
    one, two = [], []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        offset = 0
        for i in range(writes):
            t0 = time.perf_counter()
            os.pwrite(fd, block, offset)
            os.fdatasync(fd)
            t1 = time.perf_counter()
            offset += 4096
            one.append((t1 - t0) * 1e3)
            if i % 2 == 1:  # this write and the one before it: two in series
                two.append(one[-1] + one[-2])
    finally:
        os.close(fd)
        os.unlink(path)
    one.sort()
    two.sort()
    print(json.dumps({
        "writes": writes,
        "one": {"p50_ms": pct(one, 50), "p99_ms": pct(one, 99), "mean_ms": statistics.mean(one)},
        "two_in_series": {"p50_ms": pct(two, 50), "p99_ms": pct(two, 99)},
    }))


if __name__ == "__main__":
    main()
