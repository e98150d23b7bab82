// ReceiveAttempts: an attempt answers for five minutes, until one of its messages is touched, and
// a message belongs to the latest attempt that returned it.
#include "storage/queue/receive_attempts.h"

#include <gtest/gtest.h>

namespace sluice::storage {
namespace {

constexpr int64_t kT0 = 1'000'000;

// prefix + number (GCC 12 warns falsely on "literal" + std::to_string(n)).
std::string named(std::string prefix, uint64_t n) {
  prefix += std::to_string(n);
  return prefix;
}

std::vector<AttemptMessage> msgs(std::initializer_list<uint64_t> seqs) {
  std::vector<AttemptMessage> out;
  for (uint64_t s : seqs) out.push_back({s, 1, named("handle-", s)});
  return out;
}

TEST(ReceiveAttemptsTest, AnAttemptAnswersForFiveMinutes) {
  ReceiveAttempts a;
  a.record("x", msgs({1, 2}), kT0);
  const auto* got = a.find("x", kT0 + ReceiveAttempts::kWindowMs - 1);
  ASSERT_NE(got, nullptr);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[1].receipt_handle, "handle-2");
  EXPECT_EQ(a.find("y", kT0), nullptr);
  EXPECT_EQ(a.find("x", kT0 + ReceiveAttempts::kWindowMs), nullptr);
  EXPECT_EQ(a.size(), 0u);
}

TEST(ReceiveAttemptsTest, TouchingAMessageVoidsItsAttempt) {
  ReceiveAttempts a;
  a.record("x", msgs({1, 2}), kT0);
  a.record("y", msgs({3}), kT0);
  a.touched(2);
  EXPECT_EQ(a.find("x", kT0), nullptr);
  EXPECT_NE(a.find("y", kT0), nullptr);
  a.touched(2);  // nothing left to void
  a.touched(99);
  EXPECT_NE(a.find("y", kT0), nullptr);
}

TEST(ReceiveAttemptsTest, EmptyAnswersAreNotRemembered) {
  ReceiveAttempts a;
  a.record("x", {}, kT0);
  EXPECT_EQ(a.find("x", kT0), nullptr);
}

TEST(ReceiveAttemptsTest, RecordingAnIdAgainReplacesItAndItsClock) {
  ReceiveAttempts a;
  a.record("x", msgs({1}), kT0);
  a.record("x", msgs({2}), kT0 + 1000);
  a.touched(1);  // no longer part of x
  const auto* got = a.find("x", kT0 + ReceiveAttempts::kWindowMs + 500);
  ASSERT_NE(got, nullptr);
  EXPECT_EQ((*got)[0].seq, 2u);
}

TEST(ReceiveAttemptsTest, AMessageBelongsToItsLatestAttempt) {
  ReceiveAttempts a;
  a.record("old", msgs({1, 2}), kT0);
  a.record("new", msgs({2}), kT0);  // 2 was received again: "old" is stale
  EXPECT_EQ(a.find("old", kT0), nullptr);
  a.touched(2);
  EXPECT_EQ(a.find("new", kT0), nullptr);
}

}  // namespace
}  // namespace sluice::storage
