// The execution store: writes commit through the GroupCommitter in one Mutation; a scan finds
// executions keyed by number and those stored by ARN before; reads put an output that is the input
// back; history is read forward, backward and from an event; the last event id; deleting an
// execution removes all of it and nothing of its neighbours, in one commit, also after a reopen.
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

TEST_F(ExecutionStoreTest, DeleteExecutionRemovesEverythingOfItAndNothingElse) {
  // Three neighbours by number, so that a deletion reaching past its own keys would show.
  ExecutionKey before{4, kArn + "before", false};
  ExecutionKey doomed{5, kArn + "doomed", false};
  ExecutionKey after{6, kArn + "after", false};
  ExecutionKey legacy{7, kArn + "legacy-doomed", true};
  auto w = std::make_shared<ExecutionWrites>();
  StoredOutcome aborted;
  aborted.status = ExecutionStatus::kAborted;
  for (const ExecutionKey* k : {&before, &doomed, &after, &legacy}) {
    w->put_record(*k, record(k->id, k->by_arn ? "" : k->arn));
    w->put_outcome(*k, aborted);
    w->put_heartbeats(*k, "beats");
    for (int64_t e = 1; e <= 40; ++e) w->append_event(k->id, e, "event");
    MapRunRecord run;
    run.max_concurrency = 3;
    w->put_map_run(k->id, "arn:aws:states:us-east-1:000000000000:mapRun:m/l:" + k->arn, run);
  }
  ASSERT_TRUE(commit(w).ok());

  auto del = std::make_shared<ExecutionWrites>();
  del->delete_execution(doomed);
  del->delete_execution(legacy);
  EXPECT_FALSE(del->empty());
  ASSERT_TRUE(commit(del).ok());
  reopen();

  ExecutionStore store(*env_);
  std::vector<std::string> scanned;
  ASSERT_TRUE(store
                  .scan([&](const ExecutionKey& k, ExecutionRecord&&,
                            std::optional<StoredOutcome>&&) { scanned.push_back(k.arn); })
                  .ok());
  EXPECT_EQ(scanned, (std::vector<std::string>{before.arn, after.arn}));
  for (const ExecutionKey* gone : {&doomed, &legacy}) {
    EXPECT_EQ(store.read(*gone).error().code, ErrorCode::kResourceNotFound);
    EXPECT_EQ(*store.last_event_id(gone->id), 0) << "history of " << gone->arn;
  }
  std::vector<uint64_t> parents;
  ASSERT_TRUE(store
                  .scan_map_runs([&](uint64_t parent, std::string, MapRunRecord&&) {
                    parents.push_back(parent);
                  })
                  .ok());
  EXPECT_EQ(parents, (std::vector<uint64_t>{4, 6}));
  for (const ExecutionKey* kept : {&before, &after}) {
    auto loaded = store.load(*kept);
    ASSERT_TRUE(loaded.ok());
    EXPECT_EQ(loaded->heartbeats, "beats");
    EXPECT_EQ(loaded->events.size(), 40u);
    EXPECT_TRUE(loaded->outcome.has_value());
  }

  // Applied again (the committer's retry of a failed batch): nothing left to delete is no error.
  ASSERT_TRUE(commit(del).ok());
}

TEST_F(ExecutionStoreTest, DeleteExecutionIsAllOrNothingWithItsCommit) {
  ExecutionKey k{8, kArn + "kept-by-failed-commit", false};
  auto w = std::make_shared<ExecutionWrites>();
  w->put_record(k, record(8, k.arn));
  for (int64_t e = 1; e <= 3; ++e) w->append_event(8, e, "event");
  ASSERT_TRUE(commit(w).ok());

  // The deletion shares its transaction with a write that fails: neither happens.
  auto del = std::make_shared<ExecutionWrites>();
  del->delete_execution(k);
  std::optional<Status> out;
  Mutation m;
  m.apply = [del](WriteTxn& t) {
    if (int rc = del->apply(t)) return rc;
    return MDB_BAD_VALSIZE;  // what a key too large for LMDB answers
  };
  m.done = [&](Status st) { out = st; };
  committer_->submit(std::move(m));
  settle([&] { return out.has_value(); });
  EXPECT_FALSE(out->ok());
  reopen();
  ExecutionStore store(*env_);
  EXPECT_TRUE(store.read(k).ok());
  EXPECT_EQ(*store.last_event_id(8), 3);
}

}  // namespace
}  // namespace sluice::storage::testing
