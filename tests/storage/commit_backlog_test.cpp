#include "storage/commit_backlog.h"

#include <gtest/gtest.h>

namespace sluice::storage {
namespace {

TEST(CommitBacklog, UnboundedByDefault) {
  CommitBacklog backlog;
  EXPECT_TRUE(backlog.admit(1u << 30));
  EXPECT_TRUE(backlog.admit(1u << 30));
  EXPECT_EQ(backlog.waiting(), 2u << 30);
  EXPECT_EQ(backlog.refused(), 0u);
}

TEST(CommitBacklog, RefusesPastTheLimitAndCountsIt) {
  CommitBacklog backlog;
  backlog.set_limit(1000);
  EXPECT_TRUE(backlog.admit(600));
  EXPECT_TRUE(backlog.admit(400));      // exactly the limit fits
  EXPECT_FALSE(backlog.admit(1));       // one byte past it does not
  EXPECT_EQ(backlog.waiting(), 1000u);  // the refused request holds nothing
  EXPECT_EQ(backlog.refused(), 1u);
  backlog.release(600);
  EXPECT_TRUE(backlog.admit(500));
  EXPECT_EQ(backlog.waiting(), 900u);
}

TEST(CommitBacklog, OneRequestAlwaysFitsAnEmptyBacklog) {
  CommitBacklog backlog;
  backlog.set_limit(100);
  EXPECT_TRUE(backlog.admit(5000));  // bigger than the limit, but nothing else waits
  EXPECT_FALSE(backlog.admit(1));
  backlog.release(5000);
  EXPECT_EQ(backlog.waiting(), 0u);
  EXPECT_TRUE(backlog.admit(5000));
  EXPECT_EQ(backlog.refused(), 1u);
}

}  // namespace
}  // namespace sluice::storage
