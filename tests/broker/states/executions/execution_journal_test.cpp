// The journal's joined commits (the exactly-once hand-off's seam): a Mutation of another store
// joined to a start commits in the same transaction as the execution's record, and a start that
// records nothing new (a bad request, a name that exists, an EXPRESS machine) releases it with an
// error, never applying it. What the journal writes reads back: an output that is the input is
// stored once, and history shows it.
#include "tests/broker/states/states_fixture.h"

namespace sluice::states::testing {
namespace {

class ExecutionJournalTest : public StatesFixture {
 protected:
  struct Joined {
    std::optional<Status> done;
    bool applied_once = false;
  };
  // A Mutation that writes a marker key into the meta database.
  storage::Mutation marker(const std::string& key, std::shared_ptr<Joined> j) {
    storage::Mutation m;
    m.apply = [key, j](storage::WriteTxn& t) {
      j->applied_once = true;
      return t.put(t.dbs().meta, key, "joined");
    };
    m.done = [j](Status st) { j->done = st; };
    return m;
  }
  bool marker_stored(const std::string& key) {
    storage::ReadTxn r(*env_);
    EXPECT_EQ(r.begin(), 0);
    std::string_view v;
    return r.get(r.dbs().meta, key, &v) == 0;
  }
  SfnResult<ExecutionRunner::Started> start_joined(const std::string& machine,
                                                   const std::string& name,
                                                   storage::Mutation joined) {
    std::optional<SfnResult<ExecutionRunner::Started>> out;
    ExecutionRunner::StartRequest r;
    r.state_machine_arn = machine;
    r.name = name;
    r.input = R"({"records":[{"messageId":"m-1"}]})";
    runner_->start(
        std::move(r), [&](SfnResult<ExecutionRunner::Started> s) { out = std::move(s); },
        std::move(joined));
    for (int i = 0; i < 200 && !out; ++i) settle();
    EXPECT_TRUE(out.has_value());
    return out ? std::move(*out) : SfnResult<ExecutionRunner::Started>(sfn_error("none", ""));
  }
};

TEST_F(ExecutionJournalTest, AJoinedMutationCommitsWithTheExecutionsRecord) {
  const std::string machine = create_machine("journal-machine", kPassDefinition);
  auto j = std::make_shared<Joined>();
  auto started = start_joined(machine, "hand-off-1", marker("hand-off-marker-1", j));
  ASSERT_TRUE(started.ok());
  ASSERT_TRUE(j->done.has_value());
  EXPECT_TRUE(j->done->ok());
  EXPECT_TRUE(marker_stored("hand-off-marker-1"));
  reopen();  // both survive a restart: they were one transaction
  EXPECT_TRUE(marker_stored("hand-off-marker-1"));
  EXPECT_EQ(status(started->execution_arn), "SUCCEEDED");
}

TEST_F(ExecutionJournalTest, AStartThatRecordsNothingReleasesTheJoinedMutation) {
  const std::string machine = create_machine("journal-machine-2", kPassDefinition);
  ASSERT_TRUE(start_joined(machine, "first", marker("m-first", std::make_shared<Joined>())).ok());
  // The name exists (a different input): nothing new is recorded.
  auto j = std::make_shared<Joined>();
  ExecutionRunner::StartRequest r;
  std::optional<SfnResult<ExecutionRunner::Started>> out;
  r.state_machine_arn = machine;
  r.name = "first";
  r.input = R"({"other":true})";
  runner_->start(
      std::move(r), [&](SfnResult<ExecutionRunner::Started> s) { out = std::move(s); },
      marker("m-second", j));
  settle();
  ASSERT_TRUE(out.has_value());
  EXPECT_FALSE(out->ok());
  EXPECT_EQ(out->error().type, "ExecutionAlreadyExists");
  ASSERT_TRUE(j->done.has_value());
  EXPECT_FALSE(j->done->ok());
  EXPECT_FALSE(j->applied_once);
  EXPECT_FALSE(marker_stored("m-second"));
  // A machine that does not exist: released too.
  auto k = std::make_shared<Joined>();
  EXPECT_FALSE(
      start_joined(std::string(kPrefix) + "stateMachine:none", "x", marker("m-none", k)).ok());
  ASSERT_TRUE(k->done.has_value());
  EXPECT_FALSE(k->done->ok());
  EXPECT_FALSE(marker_stored("m-none"));
}

TEST_F(ExecutionJournalTest, AnOutputThatIsTheInputReadsBackWhole) {
  // A Pass state without Result passes its input through: the history and the outcome repeat the
  // input, which is stored once.
  const std::string machine = create_machine(
      "journal-echo", R"({"StartAt":"Echo","States":{"Echo":{"Type":"Pass","End":true}}})");
  const std::string input = R"({"orderId":42,"note":"a \"quoted\" word"})";
  const std::string arn = start(machine, "echo-1", input);
  settle();
  reopen();
  auto d = ok("DescribeExecution", "{\"executionArn\":" + quote(arn) + "}");
  EXPECT_EQ(str(d, "status"), "SUCCEEDED");
  EXPECT_EQ(*engine::json::parse(str(d, "output")), *engine::json::parse(input));
  auto h = ok("GetExecutionHistory", "{\"executionArn\":" + quote(arn) + "}");
  const auto& events = arr(h, "events");
  ASSERT_EQ(events.size(), 4u);  // started, entered, exited, succeeded: each shows the input
  const json::Value* entered = events[1].as_object().find("stateEnteredEventDetails");
  ASSERT_NE(entered, nullptr);
  EXPECT_EQ(str(*entered, "input"), input);
  const json::Value* started = events[0].as_object().find("executionStartedEventDetails");
  ASSERT_NE(started, nullptr);
  EXPECT_EQ(str(*started, "input"), input);
  const json::Value* exited = events[2].as_object().find("stateExitedEventDetails");
  ASSERT_NE(exited, nullptr);
  EXPECT_EQ(str(*exited, "name"), "Echo");
  EXPECT_EQ(str(*exited, "output"), input);
  const json::Value* succeeded = events[3].as_object().find("executionSucceededEventDetails");
  ASSERT_NE(succeeded, nullptr);
  EXPECT_EQ(str(*succeeded, "output"), input);
}

}  // namespace
}  // namespace sluice::states::testing
