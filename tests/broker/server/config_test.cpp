// Command-line parsing: defaults, every flag, both syntaxes, and the validation errors.
#include "broker/server/config.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sluice::server {
namespace {

Result<Config> parse(std::initializer_list<const char*> args) {
  std::vector<std::string> storage = {"sluice"};
  for (const char* a : args) storage.emplace_back(a);
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  return parse_config(static_cast<int>(argv.size()), argv.data());
}

std::string error_of(std::initializer_list<const char*> args) {
  auto r = parse(args);
  if (r.ok()) return "<ok>";
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidParameterValue);
  return r.error().message;
}

TEST(Config, DefaultsMatchTheDocumentedCommandLine) {
  auto r = parse({});
  ASSERT_TRUE(r.ok());
  const Config& c = *r;
  EXPECT_EQ(c.listen_host, "127.0.0.1");
  EXPECT_EQ(c.listen_port, 9324);
  EXPECT_EQ(c.data_dir, "./sluice-data");
  EXPECT_EQ(c.durability, storage::Durability::kSync);
  EXPECT_EQ(c.sync_interval_ms, 1000u);
  EXPECT_EQ(c.map_size_mib, 65536u);
  EXPECT_EQ(c.map_size_bytes(), 65536ull << 20);
  EXPECT_EQ(c.public_url, "");
  EXPECT_EQ(c.region, "us-east-1");
  EXPECT_EQ(c.account_id, "000000000000");
  EXPECT_EQ(c.max_body_bytes, 3145728u);
  EXPECT_EQ(c.idle_timeout_seconds, 60u);
  EXPECT_EQ(c.request_timeout_seconds, 60u);
  EXPECT_EQ(c.max_connections, 10000u);
  EXPECT_EQ(c.log_level, LogLevel::kInfo);
  EXPECT_FALSE(c.queue_deleted_recently);
  EXPECT_FALSE(c.auth_sigv4);
  EXPECT_EQ(c.credentials, nullptr);
  EXPECT_FALSE(c.show_help);
  EXPECT_FALSE(c.show_version);
}

TEST(Config, EveryFlagWithSpaceSyntax) {
  auto r = parse({"--listen",
                  "0.0.0.0:8080",
                  "--data-dir",
                  "/var/lib/sluice",
                  "--durability",
                  "relaxed",
                  "--sync-interval-ms",
                  "250",
                  "--map-size",
                  "1024",
                  "--public-url",
                  "https://sqs.example.com/",
                  "--region",
                  "eu-west-2",
                  "--account-id",
                  "123456789012",
                  "--max-body-bytes",
                  "1048576",
                  "--idle-timeout-seconds",
                  "5",
                  "--request-timeout-seconds",
                  "7",
                  "--max-connections",
                  "300",
                  "--io-threads",
                  "2",
                  "--log-level",
                  "debug"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->listen_host, "0.0.0.0");
  EXPECT_EQ(r->listen_port, 8080);
  EXPECT_EQ(r->data_dir, "/var/lib/sluice");
  EXPECT_EQ(r->durability, storage::Durability::kRelaxed);
  EXPECT_EQ(r->sync_interval_ms, 250u);
  EXPECT_EQ(r->map_size_mib, 1024u);
  EXPECT_EQ(r->public_url, "https://sqs.example.com");  // trailing '/' dropped
  EXPECT_EQ(r->region, "eu-west-2");
  EXPECT_EQ(r->account_id, "123456789012");
  EXPECT_EQ(r->max_body_bytes, 1048576u);
  EXPECT_EQ(r->idle_timeout_seconds, 5u);
  EXPECT_EQ(r->request_timeout_seconds, 7u);
  EXPECT_EQ(r->max_connections, 300u);
  EXPECT_EQ(r->io_threads, 2u);
  EXPECT_EQ(r->log_level, LogLevel::kDebug);
}

TEST(Config, EqualsSyntaxAndLastValueWins) {
  auto r = parse({"--listen=localhost:1", "--log-level=warn", "--log-level=error",
                  "--public-url=http://h:9324/base"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->listen_host, "localhost");
  EXPECT_EQ(r->listen_port, 1);
  EXPECT_EQ(r->log_level, LogLevel::kError);
  EXPECT_EQ(r->public_url, "http://h:9324/base");
}

TEST(Config, Ipv6ListenAddressIsBracketed) {
  auto r = parse({"--listen", "[::1]:9324"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->listen_host, "::1");
  EXPECT_EQ(r->listen_port, 9324);
  EXPECT_NE(error_of({"--listen", "::1:9324"}).find("bracketed"), std::string::npos);
  EXPECT_NE(error_of({"--listen", "[::1]9324"}).find("[IPV6]:PORT"), std::string::npos);
}

TEST(Config, ListenValidation) {
  EXPECT_NE(error_of({"--listen", "127.0.0.1"}).find("HOST:PORT"), std::string::npos);
  EXPECT_NE(error_of({"--listen", "127.0.0.1:0"}).find("between 1 and 65535"), std::string::npos);
  EXPECT_NE(error_of({"--listen", "127.0.0.1:65536"}).find("between 1 and 65535"),
            std::string::npos);
  EXPECT_NE(error_of({"--listen", "127.0.0.1:80x"}).find("whole number"), std::string::npos);
  EXPECT_NE(error_of({"--listen", "example.com:80"}).find("IP address"), std::string::npos);
  EXPECT_NE(error_of({"--listen", ":80"}).find("IP address"), std::string::npos);
  EXPECT_TRUE(parse({"--listen", "127.0.0.1:65535"}).ok());
}

TEST(Config, EnumsAreValidated) {
  EXPECT_NE(error_of({"--durability", "fast"}).find("sync or relaxed"), std::string::npos);
  EXPECT_NE(error_of({"--log-level", "trace"}).find("error, warn, info or debug"),
            std::string::npos);
  EXPECT_NE(error_of({"--durability", "SYNC"}).find("--durability"), std::string::npos);
  EXPECT_NE(error_of({"--queue-deleted-recently", "yes"}).find("on or off"), std::string::npos);
}

TEST(Config, QueueDeletedRecentlyIsOnOrOff) {
  auto on = parse({"--queue-deleted-recently", "on"});
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_TRUE(on->queue_deleted_recently);
  auto off = parse({"--queue-deleted-recently=on", "--queue-deleted-recently=off"});
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_FALSE(off->queue_deleted_recently);
}

TEST(Config, IndexSnapshotIsOnByDefault) {
  auto plain = parse({});
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_TRUE(plain->index_snapshot);
  auto off = parse({"--index-snapshot", "off"});
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_FALSE(off->index_snapshot);
  EXPECT_NE(error_of({"--index-snapshot", "no"}).find("on or off"), std::string::npos);
}

TEST(Config, AccountIdIsTwelveDigits) {
  EXPECT_NE(error_of({"--account-id", "12345678901"}).find("12 digits"), std::string::npos);
  EXPECT_NE(error_of({"--account-id", "1234567890123"}).find("12 digits"), std::string::npos);
  EXPECT_NE(error_of({"--account-id", "12345678901a"}).find("12 digits"), std::string::npos);
  EXPECT_TRUE(parse({"--account-id", "000000000001"}).ok());
}

TEST(Config, SizesMustBePositiveWholeNumbers) {
  EXPECT_NE(error_of({"--max-body-bytes", "0"}).find("between 1"), std::string::npos);
  EXPECT_NE(error_of({"--max-body-bytes", "-5"}).find("whole number"), std::string::npos);
  EXPECT_NE(error_of({"--max-body-bytes", "1e6"}).find("whole number"), std::string::npos);
  EXPECT_NE(error_of({"--map-size", "0"}).find("--map-size"), std::string::npos);
  EXPECT_NE(error_of({"--map-size", "99999999999999999999"}).find("whole number"),
            std::string::npos);  // overflows uint64
  EXPECT_NE(error_of({"--map-size", "16777217"}).find("between 1 and 16777216"), std::string::npos);
  EXPECT_NE(error_of({"--sync-interval-ms", "0"}).find("--sync-interval-ms"), std::string::npos);
  EXPECT_NE(error_of({"--idle-timeout-seconds", ""}).find("whole number"), std::string::npos);
  EXPECT_NE(error_of({"--max-connections", "0"}).find("between 1 and 1000000"), std::string::npos);
  EXPECT_NE(error_of({"--io-threads", "65"}).find("between 0 and 64"), std::string::npos);
  auto r = parse({"--idle-timeout-seconds", "0"});  // 0 = never
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->idle_timeout_seconds, 0u);
}

TEST(Config, RegionPublicUrlAndDataDirAreValidated) {
  EXPECT_NE(error_of({"--region", "US-EAST-1"}).find("--region"), std::string::npos);
  EXPECT_NE(error_of({"--region", ""}).find("--region"), std::string::npos);
  EXPECT_NE(error_of({"--public-url", "ftp://x"}).find("http://"), std::string::npos);
  EXPECT_NE(error_of({"--public-url", "http://"}).find("no host"), std::string::npos);
  EXPECT_NE(error_of({"--public-url", "http://h/q?x=1"}).find("no spaces, query"),
            std::string::npos);
  EXPECT_NE(error_of({"--data-dir", ""}).find("must not be empty"), std::string::npos);
}

TEST(Config, UnknownFlagsMissingValuesAndStrayArguments) {
  EXPECT_EQ(error_of({"--port", "9324"}), "unknown flag --port (see --help)");
  EXPECT_EQ(error_of({"--nope=1"}), "unknown flag --nope (see --help)");
  EXPECT_EQ(error_of({"--region"}), "--region: needs a value");
  EXPECT_EQ(error_of({"serve"}), "unexpected argument 'serve' (see --help)");
  EXPECT_EQ(error_of({"-x"}), "unexpected argument '-x' (see --help)");
  // The first error is the one reported.
  EXPECT_EQ(error_of({"--region", "X", "--bogus"}).rfind("--region", 0), 0u);
}

TEST(Config, HelpAndVersionWinOverErrors) {
  auto h = parse({"--bogus", "--help"});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->show_help);
  auto h2 = parse({"-h"});
  ASSERT_TRUE(h2.ok());
  EXPECT_TRUE(h2->show_help);
  auto v = parse({"--version"});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->show_version);
  EXPECT_FALSE(v->show_help);
  EXPECT_EQ(version_string().rfind("sluice ", 0), 0u);
}

TEST(Config, UsageListsEveryFlag) {
  std::string u = usage();
  for (const char* flag :
       {"--listen", "--data-dir", "--durability", "--sync-interval-ms", "--map-size",
        "--public-url", "--region", "--account-id", "--max-body-bytes", "--idle-timeout-seconds",
        "--log-level", "--lambda-endpoint", "--lambda-config", "--pipe-max-batches",
        "--queue-deleted-recently", "--mock-config", "--wait-time-scale", "--help", "--version"}) {
    EXPECT_NE(u.find(flag), std::string::npos) << flag;
  }
  // And every flag the usage lists is accepted.
  EXPECT_TRUE(parse({"--sync-interval-ms", "5"}).ok());
}

TEST(Config, AuthSigv4ReadsTheCredentialsWithTheFinalAccountId) {
  char tmpl[] = "/tmp/sluice-credentials-XXXXXX";
  int fd = ::mkstemp(tmpl);
  ::close(fd);
  std::ofstream(tmpl) << "[a]\naws_access_key_id = AK\naws_secret_access_key = S\n";
  auto r = parse({"--auth", "sigv4", "--credentials", tmpl, "--account-id", "123456789012"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->auth_sigv4);
  ASSERT_NE(r->credentials, nullptr);
  ASSERT_NE(r->credentials->find("AK"), nullptr);
  EXPECT_EQ(r->credentials->find("AK")->account_id, "123456789012");
  // --auth off ignores the file.
  auto off = parse({"--auth=off", "--credentials", tmpl});
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(off->credentials, nullptr);
  std::ofstream(tmpl) << "[a]\naws_access_key_id = AK\n";
  EXPECT_EQ(error_of({"--auth", "sigv4", "--credentials", tmpl}).rfind("--credentials: ", 0), 0u);
  std::remove(tmpl);
  EXPECT_EQ(error_of({"--auth", "sigv4", "--credentials", tmpl}),
            std::string("--credentials: cannot read ") + tmpl + ": No such file or directory");
  EXPECT_EQ(error_of({"--auth", "sigv4"}), "--auth: sigv4 needs --credentials FILE");
  EXPECT_EQ(error_of({"--auth", "basic"}), "--auth: expected off or sigv4, got 'basic'");
}

TEST(Config, LambdaEndpointsAddUpAndWinOverTheConfigFile) {
  char tmpl[] = "/tmp/sluice-lambda-XXXXXX";
  int fd = ::mkstemp(tmpl);
  ::close(fd);
  std::ofstream(tmpl) << R"({"a":"http://file/a","b":"http://file/b"})";
  auto r = parse({"--lambda-endpoint", "b=http://flag/b", "--lambda-config", tmpl,
                  "--lambda-endpoint=c=http://flag/c"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->lambda_endpoints.size(), 3u);
  EXPECT_EQ(r->lambda_endpoints["a"], "http://file/a");
  EXPECT_EQ(r->lambda_endpoints["b"], "http://flag/b");
  EXPECT_EQ(r->lambda_endpoints["c"], "http://flag/c");

  std::ofstream(tmpl) << "[not an object";
  EXPECT_EQ(error_of({"--lambda-config", tmpl}).rfind("--lambda-config: ", 0), 0u);
  std::remove(tmpl);
  EXPECT_EQ(error_of({"--lambda-config", tmpl}).rfind("--lambda-config: cannot read", 0), 0u);
  EXPECT_EQ(error_of({"--lambda-endpoint", "nourl"}),
            "--lambda-endpoint: expected NAME=URL, got 'nourl'");
  EXPECT_EQ(error_of({"--lambda-endpoint", "f=ftp://x"}).rfind("--lambda-endpoint: ", 0), 0u);
  EXPECT_TRUE(parse({}).value().lambda_endpoints.empty());
}

TEST(Config, WaitTimeScaleIsAFractionFromZeroToOne) {
  EXPECT_EQ(parse({}).value().wait_time_scale, 1.0);
  EXPECT_EQ(parse({"--wait-time-scale", "0"}).value().wait_time_scale, 0.0);
  EXPECT_EQ(parse({"--wait-time-scale=0.001"}).value().wait_time_scale, 0.001);
  EXPECT_EQ(parse({"--wait-time-scale", "1"}).value().wait_time_scale, 1.0);
  for (const char* bad : {"1.5", "-0.1", "", "x", "0.5s", "nan", "inf"}) {
    EXPECT_EQ(error_of({"--wait-time-scale", bad}),
              std::string("--wait-time-scale: expected a number from 0 to 1 (0: no waiting), "
                          "got '") +
                  bad + "'")
        << bad;
  }
}

TEST(Config, MockConfigIsReadAtStartAndItsErrorsStopIt) {
  char tmpl[] = "/tmp/sluice-mocks-XXXXXX";
  int fd = ::mkstemp(tmpl);
  ::close(fd);
  std::ofstream(tmpl) << R"({"StateMachines": {"m": {"TestCases": {"Happy": {"T": "Ok"}}}},
                             "MockedResponses": {"Ok": {"0": {"Return": 1}}}})";
  ::unsetenv("SFN_MOCK_CONFIG");
  EXPECT_FALSE(parse({}).value().mock_config);
  auto r = parse({"--mock-config", tmpl});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->mock_config);
  EXPECT_TRUE(r->mock_config->test_case("m", "Happy"));
  // SFN_MOCK_CONFIG when the flag is absent, as Step Functions Local reads it.
  ::setenv("SFN_MOCK_CONFIG", tmpl, 1);
  r = parse({});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->mock_config && r->mock_config->test_case("m", "Happy"));

  std::ofstream(tmpl) << R"({"StateMachines": {"m": {"TestCases": {"Happy": {"T": "Nope"}}}}})";
  std::string e = error_of({});
  EXPECT_EQ(
      e.rfind("SFN_MOCK_CONFIG: " + std::string(tmpl) + ": StateMachines.m.TestCases.Happy.T", 0),
      0u)
      << e;
  ::unsetenv("SFN_MOCK_CONFIG");
  e = error_of({"--mock-config", tmpl});
  EXPECT_EQ(e.rfind("--mock-config: " + std::string(tmpl) + ": ", 0), 0u) << e;
  EXPECT_NE(e.find("\"Nope\""), std::string::npos) << e;
  std::remove(tmpl);
  e = error_of({"--mock-config", tmpl});
  EXPECT_EQ(e.rfind("--mock-config: cannot read " + std::string(tmpl), 0), 0u) << e;
}

TEST(Config, TemplatesAndTheirParametersAddUp) {
  auto r = parse({"--template", "a.yaml", "--template=b.json", "--template-parameter", "Env=prod",
                  "--template-parameter=Url=http://x/?a=b", "--template-parameter", "Env=dev"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->templates, (std::vector<std::string>{"a.yaml", "b.json"}));
  EXPECT_EQ(r->template_parameters.size(), 2u);
  EXPECT_EQ(r->template_parameters["Env"], "dev");  // the last one wins
  EXPECT_EQ(r->template_parameters["Url"], "http://x/?a=b");
  EXPECT_EQ(error_of({"--template-parameter", "NoEquals"}),
            "--template-parameter: expected KEY=VALUE, got 'NoEquals'");
  EXPECT_EQ(error_of({"--template-parameter", "=v"}),
            "--template-parameter: expected KEY=VALUE, got '=v'");
  EXPECT_EQ(error_of({"--template", ""}), "--template: needs a file name");
  EXPECT_TRUE(parse({}).value().templates.empty());
  for (const char* flag : {"--template FILE", "--template-parameter KEY=VALUE"}) {
    EXPECT_NE(usage().find(flag), std::string::npos) << flag;
  }
}

TEST(Config, Names) {
  EXPECT_EQ(log_level_name(LogLevel::kWarn), "warn");
  EXPECT_EQ(durability_name(storage::Durability::kRelaxed), "relaxed");
  EXPECT_EQ(durability_name(storage::Durability::kSync), "sync");
}

}  // namespace
}  // namespace sluice::server
