// The end-of-run report: a human-readable table (stdout by default) or one JSON object for
// machines (--json). Throughput is per measured second; latencies come from the histograms
// (percentiles within 0.8%, max exact); errors are listed by label with the first detail seen.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "bench/load/bench_options.h"
#include "bench/load/load_runner.h"

namespace sluice::bench {

std::string_view stop_reason_name(StopReason reason);

void print_report_table(std::FILE* out, const BenchOptions& options, const RunResult& result);
std::string report_json(const BenchOptions& options, const RunResult& result);

}  // namespace sluice::bench
