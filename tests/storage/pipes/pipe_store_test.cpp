// Pipes in LMDB: records round-trip (a corrupt one is refused), put/remove commit through the
// GroupCommitter and a scan after a reopen finds exactly what was committed, in name order.
#include "storage/pipes/pipe_store.h"

#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

class PipeStoreTest : public StoreFixture {
 protected:
  Status commit(Mutation m) {
    std::optional<Status> out;
    auto inner = std::move(m.done);
    m.done = [&, inner](Status st) {
      if (inner) inner(st);
      out = st;
    };
    committer_->submit(std::move(m));
    settle([&] { return out.has_value(); });
    return *out;
  }
  std::vector<std::pair<std::string, PipeRecord>> scan() {
    PipeStore store(*env_);
    std::vector<std::pair<std::string, PipeRecord>> out;
    EXPECT_TRUE(store
                    .scan([&](std::string_view name, PipeRecord&& r) {
                      out.emplace_back(std::string(name), std::move(r));
                    })
                    .ok());
    return out;
  }
};

TEST(PipeRecordTest, RoundTripsAndRefusesCorruptBytes) {
  PipeRecord r;
  r.definition = R"({"Source":"arn:aws:sqs:us-east-1:000000000000:orders-queue"})";
  r.desired_state = 1;
  r.current_state = 6;
  r.state_reason = "The state machine does not exist, create it first";
  r.created_ms = 1'700'000'000'123;
  r.modified_ms = 1'700'000'000'456;
  auto back = PipeRecord::deserialize(r.serialize());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->definition, r.definition);
  EXPECT_EQ(back->desired_state, 1);
  EXPECT_EQ(back->current_state, 6);
  EXPECT_EQ(back->state_reason, r.state_reason);
  EXPECT_EQ(back->created_ms, r.created_ms);
  EXPECT_EQ(back->modified_ms, r.modified_ms);
  EXPECT_FALSE(PipeRecord::deserialize("not a record at all"));
  std::string cut = r.serialize();
  cut.resize(cut.size() - 3);
  EXPECT_FALSE(PipeRecord::deserialize(cut));
}

TEST_F(PipeStoreTest, CommittedPipesAreWhatARestartFinds) {
  PipeRecord a;
  a.definition = "definition of the first pipe";
  PipeRecord b;
  b.definition = "definition of the second pipe";
  ASSERT_TRUE(commit(PipeStore::put("pipe-b", b, {})).ok());
  ASSERT_TRUE(commit(PipeStore::put("pipe-a", a, {})).ok());
  b.current_state = 3;
  ASSERT_TRUE(commit(PipeStore::put("pipe-b", b, {})).ok());  // replaces
  reopen();
  auto found = scan();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].first, "pipe-a");
  EXPECT_EQ(found[1].first, "pipe-b");
  EXPECT_EQ(found[1].second.current_state, 3);
  ASSERT_TRUE(commit(PipeStore::remove("pipe-a", {})).ok());
  ASSERT_TRUE(commit(PipeStore::remove("never-there", {})).ok());
  reopen();
  found = scan();
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].first, "pipe-b");
}

}  // namespace
}  // namespace sluice::storage::testing
