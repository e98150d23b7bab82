// The HTTP server's stats exported through the registry, after real traffic.
#include "broker/metrics/http_server_collector.h"

#include <gtest/gtest.h>

#include "tests/broker/http/http_test_support.h"

namespace sluice::metrics {
namespace {

using http::testing::RawClient;
using http::testing::TestServer;

TEST(HttpServerCollector, ReportsConnectionsRequestsAndRejections) {
  TestServer s(
      {}, [](http::Request&&, http::Responder res) { res.send(http::testing::text(200, "ok")); });
  Registry registry;
  s.call([&] { export_http_server(registry, s.server()); });
  RawClient good(s.port());
  ASSERT_TRUE(good.send(http::testing::get("/") + http::testing::get("/")));
  ASSERT_TRUE(good.read_response());
  ASSERT_TRUE(good.read_response());
  RawClient bad(s.port());
  ASSERT_TRUE(bad.send("nonsense\r\n\r\n"));
  ASSERT_TRUE(bad.read_response());
  std::string text = s.call([&] { return registry.render(); });
  EXPECT_NE(text.find("sluice_http_requests_total 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("sluice_http_connections_accepted_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("sluice_http_rejected_requests_total{status=\"400\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE sluice_http_connections_open gauge\n"), std::string::npos);
}

}  // namespace
}  // namespace sluice::metrics
