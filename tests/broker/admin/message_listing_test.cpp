#include "broker/admin/message_listing.h"

#include <gtest/gtest.h>

#include "storage/queue/sequence_number.h"

namespace sluice::admin {
namespace {

storage::PeekedMessage message(uint64_t seq, std::string body, std::string group = {},
                               std::string dedup = {}) {
  storage::PeekedMessage m;
  m.seq = seq;
  m.record.message_id = "id-" + std::to_string(seq);
  m.record.body = std::move(body);
  m.record.group_id = std::move(group);
  m.record.dedup_id = std::move(dedup);
  m.record.body_md5 = "md5";
  m.sent_ms = 1700000000123;
  return m;
}

TEST(MessageListing, RendersEachMessageWithItsStateAndAttributes) {
  storage::PeekPage page;
  page.messages.push_back(message(1, "plain \"quoted\""));
  storage::PeekedMessage inflight = message(2, "b");
  inflight.state = storage::PeekedState::kInFlight;
  inflight.receive_count = 3;
  inflight.first_receive_ms = 1700000000500;
  inflight.visible_at_ms = 1700000030500;
  inflight.record.attributes.push_back({"bin", "Binary", std::string("\x00\x01", 2), true});
  inflight.record.attributes.push_back({"txt", "String", "v", false});
  page.messages.push_back(inflight);

  std::string out = render_message_page("q", false, page);
  EXPECT_EQ(out,
            "{\"queue\":\"q\",\"messages\":["
            "{\"MessageId\":\"id-1\",\"Body\":\"plain \\\"quoted\\\"\",\"MD5OfBody\":\"md5\","
            "\"State\":\"visible\",\"Attributes\":{\"SentTimestamp\":\"1700000000123\","
            "\"ApproximateReceiveCount\":\"0\"},\"MessageAttributes\":{}},"
            "{\"MessageId\":\"id-2\",\"Body\":\"b\",\"MD5OfBody\":\"md5\",\"State\":\"in_flight\","
            "\"VisibleAtTimestamp\":1700000030500,\"Attributes\":{\"SentTimestamp\":"
            "\"1700000000123\",\"ApproximateReceiveCount\":\"3\","
            "\"ApproximateFirstReceiveTimestamp\":\"1700000000500\"},\"MessageAttributes\":{"
            "\"bin\":{\"DataType\":\"Binary\",\"BinaryValue\":\"AAE=\"},"
            "\"txt\":{\"DataType\":\"String\",\"StringValue\":\"v\"}}}]}");
}

TEST(MessageListing, FifoMessagesCarryTheirSequenceNumberAndANextTokenWhenMoreFollow) {
  storage::PeekPage page;
  storage::PeekedMessage m = message(7, "f", "g", "d");
  m.state = storage::PeekedState::kDelayed;
  page.messages.push_back(m);
  page.next_after = 7;
  std::string out = render_message_page("q.fifo", true, page);
  EXPECT_NE(out.find("\"MessageGroupId\":\"g\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"SequenceNumber\":\"" + storage::sequence_number_text(7) + "\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"MessageDeduplicationId\":\"d\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"State\":\"delayed\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"nextToken\":\"7\"}"), std::string::npos) << out;
}

}  // namespace
}  // namespace sluice::admin
