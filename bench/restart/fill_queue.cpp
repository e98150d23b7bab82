// sluice-fill-queue: builds a data directory holding N queued messages quickly, through the
// storage layer in process (QueueStore over LMDB, relaxed durability, one final sync), for the
// restart benchmark (bench/restart/run). No HTTP: filling 10 million messages through the server
// would take minutes of the measurement's budget. The messages are what a server would hold:
// standard queues with some messages delayed and some in flight, and optionally FIFO queues with
// groups (whose states name their group, and whose deduplication window has records).
//   sluice-fill-queue --data-dir DIR --messages N [--queues Q] [--fifo-queues F] [--groups G]
//                     [--body-size B] [--map-size MIB]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"
#include "storage/queue/queue_store.h"

namespace {

using namespace sluice::storage;
using sluice::Result;

struct Options {
  std::string data_dir;
  uint64_t messages = 1'000'000;
  unsigned queues = 1;
  unsigned fifo_queues = 0;
  unsigned groups = 100;
  size_t body_size = 100;
  uint64_t map_mib = 65536;
};

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: sluice-fill-queue --data-dir DIR --messages N [--queues Q] "
               "[--fifo-queues F] [--groups G] [--body-size B] [--map-size MIB]\n");
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) usage();
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--data-dir"))
      o.data_dir = next();
    else if (!std::strcmp(argv[i], "--messages"))
      o.messages = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--queues"))
      o.queues = std::atoi(next());
    else if (!std::strcmp(argv[i], "--fifo-queues"))
      o.fifo_queues = std::atoi(next());
    else if (!std::strcmp(argv[i], "--groups"))
      o.groups = std::atoi(next());
    else if (!std::strcmp(argv[i], "--body-size"))
      o.body_size = std::strtoull(next(), nullptr, 10);
    else if (!std::strcmp(argv[i], "--map-size"))
      o.map_mib = std::strtoull(next(), nullptr, 10);
    else
      usage();
  }
  if (o.data_dir.empty() || o.queues + o.fifo_queues == 0 || o.groups == 0) usage();
  return o;
}

// Runs the committer's completions until fewer than `limit` operations are outstanding.
void drain_to(GroupCommitter& c, const size_t& outstanding, size_t limit) {
  while (outstanding > limit) c.wait_and_run_completions(std::chrono::milliseconds(100));
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  EnvironmentOptions eo;
  eo.data_dir = o.data_dir;
  eo.map_size_bytes = o.map_mib << 20;
  eo.durability = Durability::kRelaxed;
  auto env = Environment::open(eo);
  if (!env) {
    std::fprintf(stderr, "%s\n", env.error().message.c_str());
    return 1;
  }
  GroupCommitter committer(**env, nullptr, std::chrono::milliseconds(60'000));
  committer.start();
  QueueStore store(**env, committer);
  if (auto st = store.recover(); !st) {
    std::fprintf(stderr, "recover: %s\n", st.error().message.c_str());
    return 1;
  }
  const auto t0 = std::chrono::steady_clock::now();
  size_t outstanding = 0;
  bool failed = false;
  std::vector<std::string> names;
  for (unsigned i = 0; i < o.queues + o.fifo_queues; ++i) {
    const bool fifo = i >= o.queues;
    std::string name = (fifo ? "fill-fifo-" : "fill-") + std::to_string(i) + (fifo ? ".fifo" : "");
    AttributePairs attrs;
    if (fifo) attrs = {{"FifoQueue", "true"}};
    ++outstanding;
    store.create_queue(name, attrs, {}, [&](Result<QueueView> r) {
      --outstanding;
      if (!r) failed = true;
    });
    names.push_back(std::move(name));
  }
  drain_to(committer, outstanding, 0);
  if (failed) {
    std::fprintf(stderr, "create_queue failed\n");
    return 1;
  }
  const std::string body(o.body_size, 'x');
  uint64_t sent = 0;
  for (uint64_t b = 0; sent < o.messages; ++b) {
    const std::string& q = names[b % names.size()];
    const bool fifo = (b % names.size()) >= o.queues;
    std::vector<NewMessage> batch;
    for (int k = 0; k < 10 && sent < o.messages; ++k, ++sent) {
      NewMessage m;
      m.body = body;
      m.body_md5 = "00000000000000000000000000000000";
      if (fifo) {
        m.group_id = "g" + std::to_string(sent % o.groups);
        m.dedup_id = "d" + std::to_string(sent);
      } else if (sent % 100 == 7) {
        m.delay_seconds = 900;  // 1% delayed
      }
      batch.push_back(std::move(m));
    }
    ++outstanding;
    store.send(q, std::move(batch), [&](Result<std::vector<Result<SentMessage>>> r) {
      --outstanding;
      if (!r) failed = true;
    });
    if (outstanding >= 2000) drain_to(committer, outstanding, 1000);
    if (failed) break;
  }
  drain_to(committer, outstanding, 0);
  // 1% of each queue in flight (received, invisible for 12 hours).
  for (const auto& q : names) {
    auto kind = store.get_queue(q);
    const uint64_t want = kind ? kind->counts.visible / 100 : 0;
    for (uint64_t got = 0; got < want;) {
      ReceiveOptions ro;
      ro.max_messages = 10;
      ro.wait_seconds = 0;
      ro.visibility_timeout = 43200;
      ++outstanding;
      size_t n = 0;
      store.receive(q, ro, [&](Result<std::vector<ReceivedMessage>> r) {
        --outstanding;
        if (!r)
          failed = true;
        else
          n = r->size();
      });
      drain_to(committer, outstanding, 0);
      if (failed || n == 0) break;
      got += n;
    }
  }
  committer.stop();
  committer.run_completions();
  if (failed) {
    std::fprintf(stderr, "a send or receive failed\n");
    return 1;
  }
  if (auto st = (*env)->sync(); !st) {
    std::fprintf(stderr, "%s\n", st.error().message.c_str());
    return 1;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("filled %llu messages in %zu queues in %.1f s (%.0f msgs/s)\n",
              static_cast<unsigned long long>(sent), names.size(), s, sent / s);
  return 0;
}
