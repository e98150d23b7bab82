// XmlScanner and walk_xml on the shapes query-protocol responses take.
#include "bench/load/xml_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::bench {
namespace {

std::vector<std::string> leaves(std::string_view doc, bool* ok = nullptr) {
  std::vector<std::string> out;
  std::string error;
  const bool parsed = walk_xml(
      doc, [](std::string_view, std::string_view) {},
      [&](std::string_view name, std::string_view parent, std::string_view text) {
        out.push_back(std::string(parent) + "/" + std::string(name) + "=" + std::string(text));
      },
      &error);
  if (ok) *ok = parsed;
  return out;
}

TEST(XmlScanner, ReadsLeavesWithParents) {
  const auto got = leaves(
      R"(<?xml version="1.0"?><R xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><A>1</A><B><C>x</C></B></R>)");
  EXPECT_EQ(got, (std::vector<std::string>{"R/A=1", "B/C=x", "R/B=", "/R="}));
}

TEST(XmlScanner, DecodesEntitiesAndCharacterReferences) {
  const auto got =
      leaves("<Body>&lt;a&gt; &amp; &quot;q&quot; &apos;s&apos; &#xD;&#10;&#233;</Body>");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0], "/Body=<a> & \"q\" 's' \r\n\xC3\xA9");
}

TEST(XmlScanner, CdataIsText) {
  const auto got = leaves("<Body><![CDATA[<not a tag> & raw]]></Body>");
  EXPECT_EQ(got, (std::vector<std::string>{"/Body=<not a tag> & raw"}));
}

TEST(XmlScanner, SelfClosingElementsAreEmptyLeaves) {
  const auto got = leaves(R"(<R><Empty/><Also attr="a>b" /></R>)");
  EXPECT_EQ(got, (std::vector<std::string>{"R/Empty=", "R/Also=", "/R="}));
}

TEST(XmlScanner, RejectsUnbalancedAndTruncatedDocuments) {
  bool ok = true;
  leaves("<A><B></A>", &ok);
  EXPECT_FALSE(ok);
  leaves("<A><B>text", &ok);
  EXPECT_FALSE(ok);
  leaves("<A>&bogus;</A>", &ok);
  EXPECT_FALSE(ok);
  leaves("<A", &ok);
  EXPECT_FALSE(ok);
}

}  // namespace
}  // namespace sluice::bench
