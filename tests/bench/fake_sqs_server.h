// FakeSqsServer: a tiny in-memory SQS endpoint for sluice-bench's runner tests, on its own thread
// and libuv loop. It speaks both protocols (JSON 1.0 when X-Amz-Target is present, else query),
// answers pipelined requests in order, and can misbehave on purpose: wrong MD5s, closing
// connections, never answering. Not a model of SQS semantics beyond what the bench checks
// (no visibility timeouts: a received message stays in flight until deleted).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

namespace sluice::bench::testing {

struct FakeBehaviour {
  uint32_t wrong_send_md5_every = 0;  // every Nth message sent gets a wrong MD5OfMessageBody
  uint32_t close_after_requests = 0;  // close a connection after answering N requests
  bool black_hole = false;            // read requests, never answer
  bool reject_unsigned = false;       // 403 without an Authorization header
};

class FakeSqsServer {
 public:
  explicit FakeSqsServer(FakeBehaviour behaviour = {});
  ~FakeSqsServer();
  FakeSqsServer(const FakeSqsServer&) = delete;
  FakeSqsServer& operator=(const FakeSqsServer&) = delete;

  uint16_t port() const { return port_; }
  std::string endpoint() const;

  uint64_t requests() const { return requests_.load(); }
  // The most requests one socket read carried: > 1 proves the client pipelines.
  uint64_t max_requests_per_read() const { return max_per_read_.load(); }
  uint64_t connections_accepted() const { return accepted_.load(); }
  uint64_t stored_messages() const { return stored_.load(); }

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  uint16_t port_ = 0;
  std::atomic<uint64_t> requests_{0};
  std::atomic<uint64_t> max_per_read_{0};
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> stored_{0};
};

}  // namespace sluice::bench::testing
