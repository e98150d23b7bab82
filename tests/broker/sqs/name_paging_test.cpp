// Paging of queue-name lists (ListQueues, ListDeadLetterSourceQueues): NextToken only with
// MaxResults and only while names remain; tokens resume after the last name returned.
#include "broker/sqs/name_paging.h"

#include <gtest/gtest.h>

namespace sluice::sqs {
namespace {

const std::vector<std::string> kNames = {"a", "b", "c", "d", "e"};

TEST(NamePagingTest, WithoutMaxResultsEverythingAndNoToken) {
  auto page = page_of_names(kNames, std::nullopt, std::nullopt);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->names, kNames);
  EXPECT_EQ(page->next_token, "");
}

TEST(NamePagingTest, PagesWalkTheWholeListOnce) {
  std::vector<std::string> seen;
  std::optional<std::string> token;
  int pages = 0;
  do {
    auto page = page_of_names(kNames, token, 2);
    ASSERT_TRUE(page.ok());
    seen.insert(seen.end(), page->names.begin(), page->names.end());
    token = page->next_token;
    ++pages;
  } while (!token->empty() && pages < 10);
  EXPECT_EQ(seen, kNames);
  EXPECT_EQ(pages, 3);
  auto exact = page_of_names(kNames, std::nullopt, 5);
  EXPECT_EQ(exact->next_token, "");  // nothing follows
}

TEST(NamePagingTest, ATokenThatIsNotOursIsRejected) {
  auto page = page_of_names(kNames, std::string("%%%"), 2);
  ASSERT_FALSE(page.ok());
  EXPECT_EQ(page.error().code, ErrorCode::kInvalidParameterValue);
  EXPECT_TRUE(page_of_names({}, std::nullopt, 3)->names.empty());
}

}  // namespace
}  // namespace sluice::sqs
