#include "broker/auth/credentials.h"

#include <gtest/gtest.h>

namespace sluice::auth {
namespace {

TEST(Credentials, ParsesProfilesWithDefaultAccount) {
  auto c = Credentials::parse(
      "# keys\n[alice]\naws_access_key_id = AKIDA\naws_secret_access_key=secretA\n\n"
      "; other account\n[bob]\naws_access_key_id=AKIDB\naws_secret_access_key = sB\n"
      "account_id = 222222222222\n",
      "000000000000");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->size(), 2u);
  ASSERT_NE(c->find("AKIDA"), nullptr);
  EXPECT_EQ(c->find("AKIDA")->secret, "secretA");
  EXPECT_EQ(c->find("AKIDA")->account_id, "000000000000");
  EXPECT_EQ(c->find("AKIDB")->account_id, "222222222222");
  EXPECT_EQ(c->find("AKIDB")->profile, "bob");
  EXPECT_EQ(c->find("nobody"), nullptr);
}

TEST(Credentials, RejectsMistakesWithTheLine) {
  auto missing = Credentials::parse("[a]\naws_access_key_id=K\n", "000000000000");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("line 1"), std::string::npos);
  auto account = Credentials::parse(
      "[a]\naws_access_key_id=K\naws_secret_access_key=S\naccount_id=12\n", "000000000000");
  ASSERT_FALSE(account);
  EXPECT_NE(account.error().message.find("line 4"), std::string::npos);
  EXPECT_FALSE(Credentials::parse("aws_access_key_id=K\n", "000000000000"));
  EXPECT_FALSE(Credentials::parse("[a]\nsomething\n", "000000000000"));
  EXPECT_FALSE(Credentials::parse("[a]\nregion=us-east-1\n", "000000000000"));
  EXPECT_FALSE(Credentials::parse("", "000000000000"));
  EXPECT_FALSE(Credentials::parse(
      "[a]\naws_access_key_id=K\naws_secret_access_key=S\n[b]\naws_access_key_id=K\n"
      "aws_secret_access_key=T\n",
      "000000000000"));
}

}  // namespace
}  // namespace sluice::auth
