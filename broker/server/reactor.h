// Reactor: the serving process in one object. It owns the libuv loop (this thread), the LMDB
// environment, the GroupCommitter thread, the QueueStore, the HTTP server and the endpoints, and
// wires them: commit completions come back through a uv_async, store deadlines (visibility, delays,
// long polls, retention) through one uv_timer, and SIGINT/SIGTERM start a graceful drain.
//
// One reactor serves every connection and owns every queue (shared-nothing by construction); the
// committer thread is the only other thread. Measured first; see bench/RESULTS.md before changing.
#pragma once

#include <uv.h>

#include <memory>

#include "broker/server/config.h"
#include "storage/result.h"

namespace sluice::sqs {
struct ServiceIdentity;
}

namespace sluice::server {

class Reactor {
 public:
  explicit Reactor(Config config);
  ~Reactor();
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Opens storage, recovers, listens, and runs until a signal drains it. Returns the exit code.
  int run();

 private:
  struct Parts;
  // --template: creates the templates' resources; run() calls it before listening.
  Status load_templates(Parts& p, const sqs::ServiceIdentity& identity);
  // HOST:PORT of the address the server listens on, as a queue URL names it when no
  // --public-url is set and there is no request Host header (templates, aws-sdk:sqs tasks).
  std::string listen_authority() const;
  Config config_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace sluice::server
