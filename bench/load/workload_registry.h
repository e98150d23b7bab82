// The workload registry: every workload sluice-bench knows, by name, with its defaults and factory.
// Adding a workload = one class implementing Workload + one entry in workload_registry.cpp.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "bench/load/bench_options.h"
#include "bench/load/outcome.h"
#include "bench/load/workload.h"
#include "bench/load/workload_context.h"

namespace sluice::bench {

struct WorkloadInfo {
  std::string_view name;
  std::string_view summary;  // one line for --help
  // Fills the options the user left unset with this workload's defaults, and rejects
  // combinations it cannot run. Returns "" or the problem.
  std::string (*resolve)(BenchOptions& options);
  std::unique_ptr<Workload> (*make)(const BenchOptions& options, const WorkloadContext& context);
};

std::span<const WorkloadInfo> workload_registry();
const WorkloadInfo* find_workload(std::string_view name);

// Applies the generic defaults and the workload's own; fails with label "usage".
Outcome<BenchOptions> resolve_options(BenchOptions options);

}  // namespace sluice::bench
