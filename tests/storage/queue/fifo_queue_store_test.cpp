// FIFO queues through the QueueStore: deduplication (window, scope, content-based, after delete,
// inside one batch), order and group blocking, FIFO send errors, expired receipt handles,
// ReceiveRequestAttemptId retries, restarts and fair-queue group ids. (Messages moved into FIFO
// queues: fifo_dead_letter_test.cpp.)
#include "storage/queue/fifo_rules.h"
#include "storage/queue/queue_store.h"
#include "storage/queue/receipt_handle.h"
#include "storage/queue/sequence_number.h"
#include "tests/storage/storage_fixture.h"

namespace sluice::storage::testing {
namespace {

struct Fifo {
  std::string body;
  std::string group;
  std::string dedup;
};

class FifoStoreTest : public StoreFixture {
 protected:
  void create_fifo(const std::string& name, AttributePairs more = {}) {
    more.emplace_back("FifoQueue", "true");
    create(name, more);
  }
  std::vector<Result<SentMessage>> send_fifo(const std::string& q, std::vector<Fifo> msgs,
                                             std::optional<uint32_t> delay = {}) {
    std::vector<NewMessage> batch;
    for (auto& f : msgs) {
      NewMessage m;
      m.body = f.body;
      m.body_md5 = "md5";
      m.group_id = f.group;
      m.dedup_id = f.dedup;
      m.delay_seconds = delay;
      batch.push_back(std::move(m));
    }
    std::optional<Result<std::vector<Result<SentMessage>>>> out;
    store_->send(q, std::move(batch), [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    EXPECT_TRUE(out->ok());
    return out->ok() ? out->value() : std::vector<Result<SentMessage>>{};
  }
  Result<SentMessage> send_one(const std::string& q, Fifo f) { return send_fifo(q, {f})[0]; }
  std::vector<ReceivedMessage> receive_attempt(const std::string& q, const std::string& attempt,
                                               uint32_t max = 10,
                                               std::optional<uint32_t> visibility = {}) {
    ReceiveOptions o;
    o.max_messages = max;
    o.wait_seconds = 0;
    o.visibility_timeout = visibility;
    o.receive_request_attempt_id = attempt;
    std::optional<Result<std::vector<ReceivedMessage>>> out;
    store_->receive(q, o, [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    EXPECT_TRUE(out->ok());
    return out->ok() ? out->value() : std::vector<ReceivedMessage>{};
  }
  std::vector<Status> change_visibility(const std::string& q, const std::string& handle,
                                        uint32_t timeout) {
    std::optional<Result<std::vector<Status>>> out;
    store_->change_visibility(q, {{handle, timeout}}, [&](auto r) { out = std::move(r); });
    settle([&] { return out.has_value(); });
    EXPECT_TRUE(out->ok());
    return out->ok() ? out->value() : std::vector<Status>{};
  }
  static std::vector<std::string> bodies(const std::vector<ReceivedMessage>& got) {
    std::vector<std::string> out;
    for (auto& m : got) out.push_back(m.body);
    return out;
  }
  static std::vector<std::string> handles(const std::vector<ReceivedMessage>& got) {
    std::vector<std::string> out;
    for (auto& m : got) out.push_back(m.receipt_handle);
    return out;
  }
  using Bodies = std::vector<std::string>;
};

TEST_F(FifoStoreTest, DuplicateAnswersWithTheOriginalEvenAfterItWasDeleted) {
  create_fifo("q.fifo");
  auto first = send_one("q.fifo", {"a", "g", "d1"});
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->duplicate);
  auto got = receive("q.fifo");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(remove("q.fifo", {got[0].receipt_handle})[0].ok());
  auto again = send_one("q.fifo", {"a changed body", "other group", "d1"});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->message_id, first->message_id);
  EXPECT_EQ(again->seq, first->seq);
  EXPECT_TRUE(receive("q.fifo").empty());  // nothing was stored
  EXPECT_EQ(store_->stats().deduplicated, 1u);
}

TEST_F(FifoStoreTest, WindowIsFiveMinutesFromTheFirstSend) {
  create_fifo("q.fifo");
  auto first = send_one("q.fifo", {"a", "g", "d"});
  advance(DedupWindow::kWindowMs - 1);
  EXPECT_TRUE(send_one("q.fifo", {"a", "g", "d"})->duplicate);
  advance(1);
  auto later = send_one("q.fifo", {"a", "g", "d"});
  ASSERT_TRUE(later.ok());
  EXPECT_FALSE(later->duplicate);
  EXPECT_NE(later->message_id, first->message_id);
  EXPECT_GT(later->seq, first->seq);
  EXPECT_EQ(counts("q.fifo").visible, 2u);
}

TEST_F(FifoStoreTest, DuplicatesInsideOneBatch) {
  create_fifo("q.fifo");
  auto sent = send_fifo("q.fifo", {{"a", "g", "x"}, {"b", "g", "x"}, {"c", "g", "y"}});
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1]->message_id, sent[0]->message_id);
  EXPECT_TRUE(sent[1]->duplicate);
  EXPECT_NE(sent[2]->message_id, sent[0]->message_id);
  EXPECT_EQ(bodies(receive("q.fifo")), (Bodies{"a", "c"}));
}

TEST_F(FifoStoreTest, ContentBasedDeduplicationHashesTheBody) {
  create_fifo("q.fifo", {{"ContentBasedDeduplication", "true"}});
  auto a = send_one("q.fifo", {"same", "g1", ""});
  auto b = send_one("q.fifo", {"same", "g2", ""});  // queue scope: other groups too
  auto c = send_one("q.fifo", {"different", "g1", ""});
  auto d = send_one("q.fifo", {"same", "g1", "explicit"});  // an explicit id wins
  EXPECT_TRUE(b->duplicate);
  EXPECT_EQ(b->message_id, a->message_id);
  EXPECT_FALSE(c->duplicate);
  EXPECT_FALSE(d->duplicate);
  auto got = receive("q.fifo");
  ASSERT_EQ(bodies(got), (Bodies{"same", "different", "same"}));
  EXPECT_EQ(got[0].dedup_id, sha256_hex("same"));
  EXPECT_EQ(got[0].dedup_id.size(), 64u);
  EXPECT_EQ(got[2].dedup_id, "explicit");
}

TEST_F(FifoStoreTest, MessageGroupScopeDeduplicatesPerGroup) {
  create_fifo("q.fifo", {{"DeduplicationScope", "messageGroup"},
                         {"FifoThroughputLimit", "perMessageGroupId"}});
  auto a = send_one("q.fifo", {"a", "g1", "d"});
  auto b = send_one("q.fifo", {"b", "g2", "d"});
  auto c = send_one("q.fifo", {"c", "g1", "d"});
  EXPECT_FALSE(b->duplicate);
  EXPECT_TRUE(c->duplicate);
  EXPECT_EQ(c->message_id, a->message_id);
}

TEST_F(FifoStoreTest, FifoSendRules) {
  create_fifo("q.fifo");
  auto sent = send_fifo("q.fifo", {{"no group", "", "d1"}, {"no dedup", "g", ""}});
  ASSERT_FALSE(sent[0].ok());
  EXPECT_EQ(sent[0].error().code, ErrorCode::kMissingParameter);
  ASSERT_FALSE(sent[1].ok());
  EXPECT_EQ(sent[1].error().code, ErrorCode::kInvalidParameterValue);
  auto delayed = send_fifo("q.fifo", {{"delayed", "g", "d2"}}, 5);
  ASSERT_FALSE(delayed[0].ok());
  EXPECT_EQ(delayed[0].error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_TRUE(send_fifo("q.fifo", {{"zero delay", "g", "d3"}}, 0)[0].ok());
}

TEST_F(FifoStoreTest, QueueDelayAppliesToFifoMessages) {
  create_fifo("q.fifo", {{"DelaySeconds", "10"}});
  ASSERT_TRUE(send_one("q.fifo", {"a", "g", "d"}).ok());
  EXPECT_EQ(counts("q.fifo").delayed, 1u);
  EXPECT_TRUE(receive("q.fifo").empty());
  advance(10'000);
  EXPECT_EQ(bodies(receive("q.fifo")), (Bodies{"a"}));
}

TEST_F(FifoStoreTest, StandardQueuesKeepGroupIdsAndRefuseDeduplicationIds) {
  create("std");
  auto sent = send_fifo("std", {{"fair", "tenant-1", ""}, {"dedup", "", "d"}});
  ASSERT_TRUE(sent[0].ok());
  ASSERT_FALSE(sent[1].ok());
  EXPECT_EQ(sent[1].error().code, ErrorCode::kInvalidParameterValue);
  auto got = receive("std");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].group_id, "tenant-1");
  EXPECT_TRUE(got[0].dedup_id.empty());
}

TEST_F(FifoStoreTest, ReceiveCarriesGroupDedupAndSequenceNumber) {
  create_fifo("q.fifo");
  auto a = send_one("q.fifo", {"a", "g", "d1"});
  auto b = send_one("q.fifo", {"b", "g", "d2"});
  auto got = receive("q.fifo");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].group_id, "g");
  EXPECT_EQ(got[0].dedup_id, "d1");
  EXPECT_EQ(got[0].seq, a->seq);
  EXPECT_EQ(got[1].seq, b->seq);
  const std::string sa = sequence_number_text(a->seq), sb = sequence_number_text(b->seq);
  EXPECT_EQ(sa.size(), 20u);
  EXPECT_LT(sa, sb);  // same length: string order is number order
  EXPECT_GT(b->seq, a->seq);
}

TEST_F(FifoStoreTest, GroupBlockedWhileInFlightAndHeadComesBackFirst) {
  create_fifo("q.fifo", {{"VisibilityTimeout", "5"}});
  send_fifo("q.fifo", {{"a1", "a", "1"}, {"b1", "b", "2"}, {"a2", "a", "3"}});
  EXPECT_EQ(bodies(receive("q.fifo", 1)), (Bodies{"a1"}));
  EXPECT_EQ(bodies(receive("q.fifo", 10)), (Bodies{"b1"}));  // a is blocked by a1
  EXPECT_TRUE(receive("q.fifo", 10).empty());
  advance(5000);  // a1 and b1 come back, first in their groups
  EXPECT_EQ(bodies(receive("q.fifo", 10)), (Bodies{"a1", "a2", "b1"}));
}

TEST_F(FifoStoreTest, ExpiredReceiptHandleCannotDelete) {
  create_fifo("q.fifo", {{"VisibilityTimeout", "5"}});
  send_fifo("q.fifo", {{"a1", "a", "1"}, {"a2", "a", "2"}});
  auto first = receive("q.fifo", 1);
  advance(5000);
  // Visible again: the old handle must not delete it (a2 would then jump ahead).
  auto r = remove("q.fifo", {first[0].receipt_handle});
  ASSERT_FALSE(r[0].ok());
  EXPECT_EQ(r[0].error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_NE(r[0].error().message.find("The receipt handle has expired"), std::string::npos);
  auto second = receive("q.fifo", 1);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].body, "a1");
  // Received again: the first handle is still expired, the new one works.
  EXPECT_FALSE(remove("q.fifo", {first[0].receipt_handle})[0].ok());
  EXPECT_TRUE(remove("q.fifo", {second[0].receipt_handle})[0].ok());
  EXPECT_EQ(bodies(receive("q.fifo")), (Bodies{"a2"}));
}

TEST_F(FifoStoreTest, LongPollWakesWhenTheGroupIsReleased) {
  create_fifo("q.fifo");
  send_fifo("q.fifo", {{"a1", "a", "1"}, {"a2", "a", "2"}});
  auto first = receive("q.fifo", 1);
  auto poll = long_poll("q.fifo", 20);
  committer_->wait_and_run_completions(std::chrono::milliseconds(20));
  EXPECT_FALSE(poll->out.has_value());
  remove("q.fifo", {first[0].receipt_handle});
  settle([&] { return poll->out.has_value(); });
  ASSERT_TRUE(poll->out->ok());
  EXPECT_EQ(bodies(poll->out->value()), (Bodies{"a2"}));
}

TEST_F(FifoStoreTest, RetriedAttemptGetsTheSameMessagesAndHandles) {
  create_fifo("q.fifo", {{"VisibilityTimeout", "30"}});
  send_fifo("q.fifo", {{"a1", "a", "1"}, {"a2", "a", "2"}, {"b1", "b", "3"}});
  auto first = receive_attempt("q.fifo", "attempt-1", 2);
  ASSERT_EQ(bodies(first), (Bodies{"a1", "a2"}));
  advance(20'000);
  auto retry = receive_attempt("q.fifo", "attempt-1", 2);
  EXPECT_EQ(bodies(retry), bodies(first));
  EXPECT_EQ(handles(retry), handles(first));
  EXPECT_EQ(retry[0].receive_count, 1u);
  // The retry started the visibility timeout again: still hidden 20 s after the first one ended.
  advance(20'000);
  EXPECT_EQ(bodies(receive("q.fifo")), (Bodies{"b1"}));
  // The handles work.
  EXPECT_TRUE(remove("q.fifo", handles(retry))[0].ok());
}

TEST_F(FifoStoreTest, RetriedAttemptAfterTheVisibilityEndedStillReturnsThem) {
  create_fifo("q.fifo", {{"VisibilityTimeout", "5"}});
  send_fifo("q.fifo", {{"a1", "a", "1"}});
  auto first = receive_attempt("q.fifo", "x");
  advance(6000);  // visible again, nobody took it
  auto retry = receive_attempt("q.fifo", "x");
  EXPECT_EQ(handles(retry), handles(first));
  EXPECT_TRUE(remove("q.fifo", handles(retry))[0].ok());
}

TEST_F(FifoStoreTest, AttemptIsVoidOnceAMessageWasDeletedOrChanged) {
  create_fifo("q.fifo");
  send_fifo("q.fifo", {{"a1", "a", "1"}, {"a2", "a", "2"}, {"b1", "b", "3"}, {"b2", "b", "4"}});
  auto first = receive_attempt("q.fifo", "x", 2);
  ASSERT_EQ(bodies(first), (Bodies{"a1", "a2"}));
  EXPECT_TRUE(remove("q.fifo", {first[0].receipt_handle})[0].ok());
  // A fresh receive now: b's run (a2 still holds group a).
  auto retry = receive_attempt("q.fifo", "x", 2);
  EXPECT_EQ(bodies(retry), (Bodies{"b1", "b2"}));
  // A visibility change voids it too.
  EXPECT_TRUE(change_visibility("q.fifo", retry[0].receipt_handle, 60)[0].ok());
  EXPECT_TRUE(receive_attempt("q.fifo", "x", 2).empty());
}

TEST_F(FifoStoreTest, AttemptIsVoidAfterFiveMinutesOrAnotherReceive) {
  create_fifo("q.fifo", {{"VisibilityTimeout", "10"}});
  send_fifo("q.fifo", {{"a1", "a", "1"}});
  auto first = receive_attempt("q.fifo", "x");
  advance(10'000);
  auto other = receive("q.fifo");  // someone else gets it
  ASSERT_EQ(other.size(), 1u);
  EXPECT_TRUE(receive_attempt("q.fifo", "x").empty());  // stale: a fresh (empty) receive
  advance(ReceiveAttempts::kWindowMs);
  auto late = receive_attempt("q.fifo", "y");
  ASSERT_EQ(late.size(), 1u);
  advance(ReceiveAttempts::kWindowMs);
  auto after = receive_attempt("q.fifo", "y");  // expired attempt: a fresh receive
  ASSERT_EQ(after.size(), 1u);
  EXPECT_NE(after[0].receipt_handle, late[0].receipt_handle);
}

TEST_F(FifoStoreTest, AttemptIdsAreIgnoredOnStandardQueues) {
  create("std");
  send("std", {"a", "b"});
  EXPECT_EQ(receive_attempt("std", "x", 1).size(), 1u);
  EXPECT_EQ(receive_attempt("std", "x", 1).size(), 1u);  // the other message
}

TEST_F(FifoStoreTest, RestartKeepsOrderBlockingDedupAndSequenceNumbers) {
  create_fifo("q.fifo", {{"VisibilityTimeout", "30"}, {"ContentBasedDeduplication", "true"}});
  auto sent = send_fifo(
      "q.fifo",
      {{"a1", "a", ""}, {"b1", "b", ""}, {"a2", "a", ""}, {"b2", "b", ""}, {"a3", "a", ""}});
  auto a1 = receive("q.fifo", 1);
  ASSERT_EQ(bodies(a1), (Bodies{"a1"}));
  reopen();
  auto view = store_->get_queue("q.fifo");
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->attributes.fifo_queue);
  EXPECT_TRUE(view->attributes.content_based_deduplication);
  EXPECT_EQ(counts("q.fifo").in_flight, 1u);
  // a is still blocked by a1 (in flight until its stored deadline); b delivers in order.
  auto b = receive("q.fifo");
  EXPECT_EQ(bodies(b), (Bodies{"b1", "b2"}));
  remove("q.fifo", handles(b));
  // The window survived: resending a2's body is a duplicate of a2.
  auto dup = send_one("q.fifo", {"a2", "a", ""});
  EXPECT_TRUE(dup->duplicate);
  EXPECT_EQ(dup->message_id, sent[2]->message_id);
  EXPECT_EQ(dup->seq, sent[2]->seq);
  // New messages get larger sequence numbers than any before the restart.
  auto fresh = send_one("q.fifo", {"a4", "a", ""});
  EXPECT_GT(fresh->seq, sent[4]->seq);
  advance(30'000);
  EXPECT_EQ(bodies(receive("q.fifo")), (Bodies{"a1", "a2", "a3", "a4"}));
}

TEST_F(FifoStoreTest, DedupRecordsAreSweptAfterTheWindow) {
  create_fifo("q.fifo");
  ASSERT_TRUE(send_one("q.fifo", {"a", "g", "d"}).ok());
  auto next = store_->next_deadline_ms();
  ASSERT_TRUE(next.has_value());
  EXPECT_LE(*next, now_ms_ + DedupWindow::kWindowMs);
  now_ms_ += DedupWindow::kWindowMs;
  run_due_timers();
  settle([&] {
    ReadTxn r(*env_);
    r.begin();
    MDB_stat st;
    mdb_stat(r.get(), env_->dbs().dedup, &st);
    return st.ms_entries == 0;
  });
}

TEST_F(FifoStoreTest, FifoAttributesAreCheckedAndFixed) {
  create_fifo("q.fifo");
  std::optional<Status> out;
  auto set = [&](AttributePairs a) {
    out.reset();
    store_->set_attributes("q.fifo", a, [&](Status s) { out = std::move(s); });
    settle([&] { return out.has_value(); });
    return out->ok() ? ErrorCode::kInternal : out->error().code;
  };
  EXPECT_EQ(set({{"FifoQueue", "false"}}), ErrorCode::kInvalidAttributeValue);
  EXPECT_EQ(set({{"FifoThroughputLimit", "perMessageGroupId"}}), ErrorCode::kInvalidAttributeValue);
  EXPECT_EQ(
      set({{"DeduplicationScope", "messageGroup"}, {"FifoThroughputLimit", "perMessageGroupId"}}),
      ErrorCode::kInternal);  // ok
  EXPECT_EQ(set({{"DeduplicationScope", "queue"}}), ErrorCode::kInvalidAttributeValue);
  EXPECT_EQ(set({{"FifoQueue", "true"}}), ErrorCode::kInternal);  // ok: no change
  reopen();
  auto v = store_->get_queue("q.fifo");
  EXPECT_EQ(v->attributes.deduplication_scope, DeduplicationScope::kMessageGroup);
  EXPECT_EQ(v->attributes.fifo_throughput_limit, FifoThroughputLimit::kPerMessageGroupId);
}

}  // namespace
}  // namespace sluice::storage::testing
