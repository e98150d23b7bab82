// A temporary LMDB environment, a running GroupCommitter and a QueueStore with a manual clock, for
// storage tests. Operations are driven synchronously: call, then settle() until callbacks ran.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "storage/group_committer.h"
#include "storage/lmdb/environment.h"
#include "storage/queue/queue_store.h"

namespace sluice::storage::testing {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sluice-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    open();
  }
  void TearDown() override {
    close();
    std::filesystem::remove_all(dir_);
  }
  void open(uint64_t map_size = 64ull << 20) {
    EnvironmentOptions o;
    o.data_dir = dir_;
    o.map_size_bytes = map_size;
    env_ = std::move(*Environment::open(o));
    committer_ = std::make_unique<GroupCommitter>(*env_, nullptr);
    committer_->start();
    store_ = std::make_unique<QueueStore>(*env_, *committer_, [this] { return now_ms_; });
    ASSERT_TRUE(store_->recover().ok());
  }
  void close() {
    pin_.reset();
    store_.reset();
    if (committer_) committer_->stop();
    committer_.reset();
    env_.reset();
  }
  void reopen(uint64_t map_size = 64ull << 20) {
    close();
    open(map_size);
  }
  // Runs completions until `done` is true (or a few seconds pass).
  template <class Pred>
  void settle(Pred done) {
    for (int i = 0; i < 500 && !done(); ++i) {
      committer_->wait_and_run_completions(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(done());
  }
  void advance(int64_t ms) {
    now_ms_ += ms;
    store_->advance();
  }
  // What the reactor does: call advance() only when the one timer it armed at next_deadline_ms()
  // fires. (advance() above calls it unconditionally, which hides a deadline the store forgot.)
  void run_due_timers() {
    for (int i = 0; i < 100; ++i) {
      auto next = store_->next_deadline_ms();
      if (!next || *next > now_ms_) return;
      store_->advance();
    }
  }

  // A sleeping ReceiveMessage; `out` is set when it is answered.
  struct Poll {
    std::optional<Result<std::vector<ReceivedMessage>>> out;
  };
  std::shared_ptr<Poll> long_poll(const std::string& q, uint32_t wait_seconds, uint32_t max = 10) {
    auto p = std::make_shared<Poll>();
    ReceiveOptions o;
    o.max_messages = max;
    o.wait_seconds = wait_seconds;
    store_->receive(q, o, [p](Result<std::vector<ReceivedMessage>> r) { p->out = std::move(r); });
    return p;
  }

  // Fills the map until even a tiny write fails, by pinning a snapshot so that LMDB cannot reuse
  // the pages later commits free. Writes fail with kStorageFull until unpin().
  void fill_map_and_pin(const std::string& q) {
    pin_ = std::make_unique<ReadTxn>(*env_);
    ASSERT_EQ(pin_->begin(), 0);
    for (int i = 0; i < 100000; ++i) {
      std::optional<Status> out;
      store_->tag_queue(q, {{"filler", std::to_string(i)}}, [&](Status s) { out = std::move(s); });
      settle([&] { return out.has_value(); });
      if (!out->ok()) {
        ASSERT_EQ(out->error().code, ErrorCode::kStorageFull);
        return;
      }
    }
    FAIL() << "the map never filled";
  }
  void unpin() { pin_.reset(); }

  QueueView create(const std::string& name, AttributePairs attrs = {}) {
    std::optional<Result<QueueView>> out;
    store_->create_queue(name, attrs, {}, [&](Result<QueueView> r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    EXPECT_TRUE(out->ok());
    return out->ok() ? out->value() : QueueView{};
  }
  std::vector<Result<SentMessage>> send(const std::string& q, std::vector<std::string> bodies,
                                        std::optional<uint32_t> delay = {}) {
    std::vector<NewMessage> msgs;
    for (auto& b : bodies) {
      NewMessage m;
      m.body = b;
      m.body_md5 = "md5-of-" + b;
      m.delay_seconds = delay;
      msgs.push_back(std::move(m));
    }
    return send_messages(q, std::move(msgs));
  }
  std::vector<Result<SentMessage>> send_messages(const std::string& q,
                                                 std::vector<NewMessage> msgs) {
    std::optional<Result<std::vector<Result<SentMessage>>>> out;
    store_->send(q, std::move(msgs), [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    EXPECT_TRUE(out->ok());
    return out->ok() ? out->value() : std::vector<Result<SentMessage>>{};
  }
  std::vector<ReceivedMessage> receive(const std::string& q, uint32_t max = 10,
                                       std::optional<uint32_t> visibility = {}) {
    ReceiveOptions o;
    o.max_messages = max;
    o.visibility_timeout = visibility;
    o.wait_seconds = 0;
    std::optional<Result<std::vector<ReceivedMessage>>> out;
    store_->receive(q, o, [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    EXPECT_TRUE(out->ok());
    return out->ok() ? out->value() : std::vector<ReceivedMessage>{};
  }
  std::vector<Status> remove(const std::string& q, std::vector<std::string> handles) {
    std::optional<Result<std::vector<Status>>> out;
    store_->delete_messages(q, handles, [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    EXPECT_TRUE(out->ok());
    return out->ok() ? out->value() : std::vector<Status>{};
  }
  QueueCounts counts(const std::string& q) { return store_->get_queue(q)->counts; }

  std::string dir_;
  int64_t now_ms_ = 1'700'000'000'000;
  std::unique_ptr<Environment> env_;
  std::unique_ptr<GroupCommitter> committer_;
  std::unique_ptr<QueueStore> store_;
  std::unique_ptr<ReadTxn> pin_;
};

}  // namespace sluice::storage::testing
