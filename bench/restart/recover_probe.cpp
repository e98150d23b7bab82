// sluice-recover-probe: what a start of sluice spends on the queue indexes, measured in process
// (the part of "exec to serving" that grows with the queued messages): QueueStore::recover() on a
// data dir, timed, with the heap it left behind (RssAnon, before and after) and the messages it
// indexed. --save-snapshot then does what a clean shutdown does (writes the index snapshot) and
// times that. --prefetch-threads N: the threads that read the states' pages ahead of a cold scan
// (storage/queue/states_prefetch.h; 0: none). Run it under perf to profile recovery:
// perf record -g sluice-recover-probe ...
//   sluice-recover-probe --data-dir DIR [--save-snapshot] [--prefetch-threads N] [--map-size MIB]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"
#include "storage/queue/queue_store.h"

namespace {

using namespace sluice::storage;

// A field of /proc/self/status in KiB (RssAnon, VmHWM).
long status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// CPU seconds this process used so far (user + system, all threads): on a shared machine the
// wall time also counts the time others had the cores.
double cpu_seconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  bool save = false;
  uint64_t map_mib = 65536;
  unsigned prefetch_threads = kStatesPrefetchThreads;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--data-dir") && i + 1 < argc)
      dir = argv[++i];
    else if (!std::strcmp(argv[i], "--save-snapshot"))
      save = true;
    else if (!std::strcmp(argv[i], "--prefetch-threads") && i + 1 < argc)
      prefetch_threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--map-size") && i + 1 < argc)
      map_mib = std::atoll(argv[++i]);
    else
      dir.clear(), i = argc;
  }
  if (dir.empty()) {
    std::fprintf(stderr,
                 "usage: sluice-recover-probe --data-dir DIR [--save-snapshot] "
                 "[--prefetch-threads N] [--map-size MIB]\n");
    return 2;
  }
  EnvironmentOptions eo;
  eo.data_dir = dir;
  eo.map_size_bytes = map_mib << 20;
  auto env = Environment::open(eo);
  if (!env) {
    std::fprintf(stderr, "%s\n", env.error().message.c_str());
    return 1;
  }
  GroupCommitter committer(**env, nullptr);
  committer.start();
  QueueStore store(**env, committer);
  const long anon0 = status_kib("RssAnon");
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  if (auto st = store.recover(prefetch_threads); !st) {
    std::fprintf(stderr, "recover: %s\n", st.error().message.c_str());
    return 1;
  }
  const double took = seconds_since(t0);
  const double cpu = cpu_seconds() - cpu0;
  uint64_t held = 0;
  for (const auto& name : store.list_queues("")) {
    auto q = store.get_queue(name);
    if (q) held += q->counts.visible + q->counts.in_flight + q->counts.delayed;
  }
  const long anon1 = status_kib("RssAnon");
  std::printf(
      "recover: %.3f s (CPU %.3f s, prefetch threads %u), %llu messages (%.3f us/msg of CPU), "
      "index snapshot %s, "
      "heap +%ld MiB (%.1f B/msg), peak RSS %ld MiB\n",
      took, cpu, prefetch_threads, static_cast<unsigned long long>(held),
      held ? cpu * 1e6 / held : 0.0, std::string(snapshot_use_name(store.recovered_from())).c_str(),
      (anon1 - anon0) / 1024, held ? (anon1 - anon0) * 1024.0 / held : 0.0,
      status_kib("VmHWM") / 1024);
  committer.stop();
  committer.run_completions();
  if (save) {
    const auto t1 = std::chrono::steady_clock::now();
    auto saved = store.write_index_snapshot();
    if (!saved) {
      std::fprintf(stderr, "snapshot: %s\n", saved.error().message.c_str());
      return 1;
    }
    std::printf("snapshot: %llu messages saved in %.3f s\n",
                static_cast<unsigned long long>(*saved), seconds_since(t1));
  }
  return 0;
}
