// The execution store: writes commit through the GroupCommitter in one Mutation; a scan finds
// executions keyed by number and those stored by ARN before; reads put an output that is the input
// back; history is read forward, backward and from an event; the last event id.
#include "storage/executions/execution_store.h"

#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

class ExecutionStoreTest : public StoreFixture {
 protected:
  Status commit(std::shared_ptr<ExecutionWrites> writes) {
    std::optional<Status> out;
    Mutation m;
    m.apply = [writes](WriteTxn& t) { return writes->apply(t); };
    m.done = [&](Status st) { out = st; };
    committer_->submit(std::move(m));
    settle([&] { return out.has_value(); });
    return *out;
  }
  static ExecutionRecord record(uint64_t id, const std::string& arn) {
    ExecutionRecord r;
    r.arn = arn;
    r.id = id;
    r.name = "execution-name-" + std::to_string(id);
    r.machine = "machine-of-the-store-test";
    r.input = R"({"order":)" + std::to_string(id) + "}";
    return r;
  }
};

const std::string kArn = "arn:aws:states:us-east-1:000000000000:execution:machine:";

TEST_F(ExecutionStoreTest, WritesScanReadAndHistory) {
  auto w = std::make_shared<ExecutionWrites>();
  ExecutionKey a{1, kArn + "a", false};
  ExecutionKey b{2, kArn + "b", false};
  w->put_record(a, record(1, a.arn));
  w->put_record(b, record(2, b.arn));
  for (int64_t e = 1; e <= 5; ++e) w->append_event(1, e, "event-" + std::to_string(e));
  StoredOutcome done;
  done.status = ExecutionStatus::kSucceeded;
  done.output_is_input = true;
  w->put_outcome(a, done);
  w->put_heartbeats(b, "beats-of-b");
  ASSERT_TRUE(commit(w).ok());
  // An execution stored before records were keyed by number: keyed by its ARN.
  ExecutionKey legacy{3, kArn + "legacy", true};
  auto old = std::make_shared<ExecutionWrites>();
  ExecutionRecord r = record(3, "");
  old->put_record(legacy, r);
  ASSERT_TRUE(commit(old).ok());
  reopen();

  ExecutionStore store(*env_);
  std::vector<std::pair<ExecutionKey, bool>> seen;
  ASSERT_TRUE(
      store
          .scan([&](const ExecutionKey& k, ExecutionRecord&&, std::optional<StoredOutcome>&& o) {
            seen.emplace_back(k, o.has_value());
          })
          .ok());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].first.arn, a.arn);
  EXPECT_TRUE(seen[0].second);
  EXPECT_EQ(seen[1].first.arn, b.arn);
  EXPECT_FALSE(seen[1].second);
  EXPECT_EQ(seen[2].first.arn, legacy.arn);
  EXPECT_TRUE(seen[2].first.by_arn);

  auto read = store.read(a);
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(read->second.has_value());
  EXPECT_EQ(read->second->output, read->first.input) << "an output that is the input comes back";
  auto loaded = store.load(b);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->heartbeats, "beats-of-b");
  EXPECT_TRUE(store.load(legacy).ok());
  EXPECT_EQ(store.read(ExecutionKey{9, kArn + "none", false}).error().code,
            ErrorCode::kResourceNotFound);

  std::vector<int64_t> ids;
  auto collect = [&](int64_t id, std::string_view) {
    ids.push_back(id);
    return ids.size() < 3;
  };
  ASSERT_TRUE(store.visit_history(1, 0, false, collect).ok());
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 3}));
  ids.clear();
  ASSERT_TRUE(store.visit_history(1, 0, true, collect).ok());
  EXPECT_EQ(ids, (std::vector<int64_t>{5, 4, 3}));
  ids.clear();
  ASSERT_TRUE(store.visit_history(1, 4, true, collect).ok());
  EXPECT_EQ(ids, (std::vector<int64_t>{4, 3, 2}));
  EXPECT_EQ(*store.last_event_id(1), 5);
  EXPECT_EQ(*store.last_event_id(2), 0);
}

}  // namespace
}  // namespace sluice::storage::testing
