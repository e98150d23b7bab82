// Metrics registry: Prometheus text exposition of counters, gauges, histograms and collectors.
#include "broker/metrics/registry.h"

#include <cmath>
#include <limits>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "broker/metrics/text_format.h"

namespace sluice::metrics {
namespace {

// Every line of the exposition matches the text format grammar (HELP, TYPE or a sample), and
// every sample belongs to the family its TYPE line announced.
void expect_valid_exposition(const std::string& text) {
  static const std::regex help(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*")"
      R"((,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*")*\})? )"
      R"(([-+]?[0-9.eE+-]+|\+Inf|-Inf|NaN))");
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');
  std::istringstream in(text);
  std::string line, family;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, type)) {
      family = m[1];
    } else if (std::regex_match(line, help)) {
    } else if (std::regex_match(line, m, sample)) {
      std::string name = m[1];
      EXPECT_EQ(name.rfind(family, 0), 0u) << "sample outside its family: " << line;
    } else {
      ADD_FAILURE() << "not a valid exposition line: " << line;
    }
  }
}

TEST(Metrics, CounterWithLabels) {
  Registry r;
  auto& f = r.counter("sluice_requests_total", "API requests.", {"action", "status"});
  Counter& send_ok = f.with({"SendMessage", "200"});
  send_ok.inc();
  send_ok.inc(2);
  f.with({"ReceiveMessage", "400"}).inc();
  EXPECT_EQ(&f.with({"SendMessage", "200"}), &send_ok);  // resolved once, same child
  std::string text = r.render();
  EXPECT_EQ(text,
            "# HELP sluice_requests_total API requests.\n"
            "# TYPE sluice_requests_total counter\n"
            "sluice_requests_total{action=\"SendMessage\",status=\"200\"} 3\n"
            "sluice_requests_total{action=\"ReceiveMessage\",status=\"400\"} 1\n");
  expect_valid_exposition(text);
}

TEST(Metrics, UnlabeledCounterAndGauges) {
  Registry r;
  r.counter("sluice_commits_total", "Commits.").get().inc(5);
  Gauge& g = r.gauge("sluice_queues", "Queues.").get();
  g.set(3);
  g.add(-1.5);
  int depth = 7;
  r.gauge_function("sluice_connections_open", "Open connections.", [&] { return depth; });
  depth = 9;  // read at scrape time
  std::string text = r.render();
  EXPECT_NE(text.find("sluice_commits_total 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE sluice_queues gauge\nsluice_queues 1.5\n"), std::string::npos);
  EXPECT_NE(text.find("sluice_connections_open 9\n"), std::string::npos);
  expect_valid_exposition(text);
}

TEST(Metrics, LabeledGaugeBoundToFunction) {
  Registry r;
  auto& f = r.gauge("sluice_queue_messages", "Messages per queue.", {"queue"});
  f.with({"orders"}).bind([] { return 42.0; });
  f.with({"audit"}).set(1);
  std::string text = r.render();
  EXPECT_NE(text.find("sluice_queue_messages{queue=\"orders\"} 42\n"), std::string::npos);
  EXPECT_NE(text.find("sluice_queue_messages{queue=\"audit\"} 1\n"), std::string::npos);
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry r;
  auto& f = r.histogram("sluice_request_seconds", "Latency.", {"action"}, {0.1, 0.01, 1});
  Histogram& h = f.with({"SendMessage"});
  h.observe(0.005);  // <= 0.01
  h.observe(0.01);   // <= 0.01 (le is inclusive)
  h.observe(0.5);    // <= 1
  h.observe(30);     // +Inf only
  std::string text = r.render();
  EXPECT_EQ(text,
            "# HELP sluice_request_seconds Latency.\n"
            "# TYPE sluice_request_seconds histogram\n"
            "sluice_request_seconds_bucket{action=\"SendMessage\",le=\"0.01\"} 2\n"
            "sluice_request_seconds_bucket{action=\"SendMessage\",le=\"0.1\"} 2\n"
            "sluice_request_seconds_bucket{action=\"SendMessage\",le=\"1\"} 3\n"
            "sluice_request_seconds_bucket{action=\"SendMessage\",le=\"+Inf\"} 4\n"
            "sluice_request_seconds_sum{action=\"SendMessage\"} 30.515\n"
            "sluice_request_seconds_count{action=\"SendMessage\"} 4\n");
  expect_valid_exposition(text);
}

TEST(Metrics, HistogramWithoutLabelsAndDefaultBuckets) {
  Registry r;
  Histogram& h = r.histogram("sluice_commit_seconds", "Commit latency.").get();
  h.observe(0.0003);
  std::string text = r.render();
  EXPECT_NE(text.find("sluice_commit_seconds_bucket{le=\"0.0001\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("sluice_commit_seconds_bucket{le=\"0.0005\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("sluice_commit_seconds_bucket{le=\"+Inf\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("sluice_commit_seconds_count 1\n"), std::string::npos);
  expect_valid_exposition(text);
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
  Registry r;
  r.counter("x_total", "Line one\nback\\slash", {"q"}).with({"a\"b\\c\nd"}).inc();
  std::string text = r.render();
  EXPECT_NE(text.find("# HELP x_total Line one\\nback\\\\slash\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_total{q=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos) << text;
  expect_valid_exposition(text);
}

TEST(Metrics, CollectorsAppendTheirOwnText) {
  Registry r;
  r.counter("a_total", "A.").get().inc();
  r.add_collector([](std::string& out) {
    out += "# HELP store_bytes Store size.\n# TYPE store_bytes gauge\nstore_bytes 1024\n";
  });
  std::string text = r.render();
  EXPECT_EQ(text,
            "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n"
            "# HELP store_bytes Store size.\n# TYPE store_bytes gauge\nstore_bytes 1024\n");
  expect_valid_exposition(text);
}

TEST(Metrics, SameNameSameTypeReturnsTheSameFamily) {
  Registry r;
  auto& a = r.counter("dup_total", "first", {"l"});
  auto& b = r.counter("dup_total", "second", {"l"});
  EXPECT_EQ(&a, &b);
  b.with({"x"}).inc();
  EXPECT_EQ(a.with({"x"}).value(), 1u);
  EXPECT_EQ(r.render().find("second"), std::string::npos);
}

TEST(Metrics, MisregistrationsWorkButAreNotRendered) {
  Registry r;
  r.counter("m_total", "M.");
  r.gauge("m_total", "clash").get().set(1);                      // other type, same name
  r.counter("bad name", "B.").get().inc();                       // invalid metric name
  r.counter("c_total", "C.", {"__reserved"}).with({"x"}).inc();  // invalid label name
  r.histogram("h", "H.", {"le"}).with({"1"}).observe(1);         // "le" is the histogram's
  std::string text = r.render();
  EXPECT_EQ(text, "# HELP m_total M.\n# TYPE m_total counter\n");
  EXPECT_EQ(r.rejected_names(), (std::vector<std::string>{"m_total", "bad name", "c_total", "h"}));
}

TEST(Metrics, CountersAndHistogramsMayBeFedFromOtherThreads) {
  Registry r;
  Counter& c = r.counter("t_total", "T.").get();
  Histogram& h = r.histogram("t_seconds", "T.", {}, {1}).get();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        c.inc();
        h.observe(0.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::string text = r.render();
  EXPECT_NE(text.find("t_total 40000\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_bucket{le=\"1\"} 40000\n"), std::string::npos);
  EXPECT_NE(text.find("t_seconds_sum 20000\n"), std::string::npos);
}

TEST(TextFormat, NamesAndValues) {
  EXPECT_TRUE(valid_metric_name("sluice:requests_total"));
  EXPECT_FALSE(valid_metric_name("1abc"));
  EXPECT_FALSE(valid_metric_name(""));
  EXPECT_FALSE(valid_metric_name("a-b"));
  EXPECT_TRUE(valid_label_name("action"));
  EXPECT_FALSE(valid_label_name("__name__"));
  EXPECT_FALSE(valid_label_name("a:b"));
  std::string out;
  append_value(out, 0.25);
  out += ' ';
  append_value(out, 1e21);
  out += ' ';
  append_value(out, -std::numeric_limits<double>::infinity());
  out += ' ';
  append_value(out, std::nan(""));
  out += ' ';
  append_value(out, uint64_t{18446744073709551615u});
  EXPECT_EQ(out, "0.25 1e+21 -Inf NaN 18446744073709551615");
  out.clear();
  append_value(out, 1073741824.0);
  out += ' ';
  append_value(out, 0.0001);
  out += ' ';
  append_value(out, -3.0);
  EXPECT_EQ(out, "1073741824 0.0001 -3");
}

}  // namespace
}  // namespace sluice::metrics
