// Tests for broker/protocol/xml_writer.h: escaping that XML parsers undo exactly.
#include "broker/protocol/xml_writer.h"

#include <gtest/gtest.h>

namespace sluice::protocol {
namespace {

std::string escaped(std::string_view text) {
  std::string out;
  append_xml_escaped(out, text);
  return out;
}

TEST(XmlWriter, EscapesMarkup) {
  EXPECT_EQ(escaped("a<b>&c\"d'e"), "a&lt;b&gt;&amp;c\"d'e");
  EXPECT_EQ(escaped("]]>"), "]]&gt;");
}

TEST(XmlWriter, CarriageReturnIsACharacterReference) {
  // A literal CR would come back from any XML parser as LF (end-of-line normalisation).
  EXPECT_EQ(escaped("a\r\nb\rc"), "a&#xD;\nb&#xD;c");
}

TEST(XmlWriter, TabAndNewlineStayLiteral) {
  EXPECT_EQ(escaped("a\tb\nc"), "a\tb\nc");
}

TEST(XmlWriter, NonAsciiPassesThroughIncludingNonBmp) {
  std::string s = "\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBD\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF";
  EXPECT_EQ(escaped(s), s);
}

TEST(XmlWriter, CharactersXmlCannotCarryBecomeReplacementCharacter) {
  EXPECT_EQ(escaped(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(escaped("\x01\x1F"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(escaped("\xEF\xBF\xBE"), "\xEF\xBF\xBD");                          // U+FFFE
  EXPECT_EQ(escaped("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(escaped("a\xFF"), "a\xEF\xBF\xBD");                                // not UTF-8
  EXPECT_EQ(escaped("\xC3"), "\xEF\xBF\xBD");                                  // truncated
}

TEST(XmlWriter, BuildsElements) {
  std::string out;
  XmlWriter w(out);
  w.open_with_namespace("R", "http://x/");
  w.element("A", "1<2");
  w.optional_element("Skipped", "");
  w.int_element("N", -42);
  w.bool_element("B", true);
  w.empty_element("D");
  w.close("R");
  EXPECT_EQ(out, "<R xmlns=\"http://x/\"><A>1&lt;2</A><N>-42</N><B>true</B><D/></R>");
}

}  // namespace
}  // namespace sluice::protocol
