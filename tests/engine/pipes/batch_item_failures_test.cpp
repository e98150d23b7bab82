// AWS's rules for partial batch responses: success shapes, complete-failure shapes, and exactly the
// named messages (FIFO sources included: what follows a failure is the target's to name).
#include "engine/pipes/batch_item_failures.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"

namespace sluice::engine::pipes {
namespace {

const std::vector<std::string> kIds{"id-one-0000", "id-two-0000", "id-three-000"};

ItemFailures read(const char* text) {
  return read_batch_item_failures(*json::parse(text), kIds);
}

TEST(BatchItemFailuresTest, SuccessShapes) {
  for (const char* ok : {R"("done")", "null", "{}", R"({"batchItemFailures":null})",
                         R"({"batchItemFailures":[]})", R"({"other":[1]})", "[1,2]"}) {
    auto f = read(ok);
    EXPECT_FALSE(f.any()) << ok;
  }
}

TEST(BatchItemFailuresTest, CompleteFailureShapes) {
  for (const char* bad :
       {R"({"batchItemFailures":{}})", R"({"batchItemFailures":"id-one-0000"})",
        R"({"batchItemFailures":[{"itemIdentifier":""}]})",
        R"({"batchItemFailures":[{"itemIdentifier":null}]})",
        R"({"batchItemFailures":[{"itemId":"id-one-0000"}]})",
        R"({"batchItemFailures":[{"itemIdentifier":"not-in-the-batch"}]})",
        R"({"batchItemFailures":[{"itemIdentifier":7}]})", R"({"batchItemFailures":["x"]})"}) {
    auto f = read(bad);
    EXPECT_TRUE(f.whole_batch) << bad;
  }
}

TEST(BatchItemFailuresTest, NamedMessagesFail) {
  auto f = read(R"({"batchItemFailures":[{"itemIdentifier":"id-three-000"},)"
                R"({"itemIdentifier":"id-one-0000"}]})");
  EXPECT_FALSE(f.whole_batch);
  EXPECT_EQ(f.failed, (std::vector<std::size_t>{0, 2}));
}

TEST(BatchItemFailuresTest, OnlyTheNamedMessagesFail) {
  auto f = read(R"({"batchItemFailures":[{"itemIdentifier":"id-two-0000"}]})");
  EXPECT_EQ(f.failed, (std::vector<std::size_t>{1}));
}

}  // namespace
}  // namespace sluice::engine::pipes
