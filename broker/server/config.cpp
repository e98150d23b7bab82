// Command-line parsing and validation.
#include "broker/server/config.h"

#include <arpa/inet.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "broker/states/tasks/lambda_endpoints.h"

namespace sluice::server {

namespace {

constexpr uint64_t kMaxMapSizeMib = uint64_t{1} << 24;      // 16 TiB
constexpr uint64_t kMaxBodyBytes = uint64_t{1} << 30;       // 1 GiB
constexpr uint64_t kMaxIdleTimeoutSeconds = 7 * 24 * 3600;  // a week
constexpr uint64_t kMaxConnections = 1000000;
constexpr uint64_t kMaxIoThreads = 64;
constexpr uint64_t kMaxSyncIntervalMs = 3600 * 1000;  // an hour

constexpr uint64_t kMaxPipeBatches = 1000;  // AWS's concurrency per pipe

constexpr std::array<std::string_view, 26> kFlags = {"--listen",
                                                     "--data-dir",
                                                     "--durability",
                                                     "--sync-interval-ms",
                                                     "--map-size",
                                                     "--public-url",
                                                     "--region",
                                                     "--account-id",
                                                     "--max-body-bytes",
                                                     "--idle-timeout-seconds",
                                                     "--request-timeout-seconds",
                                                     "--max-connections",
                                                     "--io-threads",
                                                     "--max-uncommitted-mib",
                                                     "--log-level",
                                                     "--lambda-endpoint",
                                                     "--lambda-config",
                                                     "--pipe-max-batches",
                                                     "--queue-deleted-recently",
                                                     "--index-snapshot",
                                                     "--mock-config",
                                                     "--wait-time-scale",
                                                     "--template",
                                                     "--template-parameter",
                                                     "--auth",
                                                     "--credentials"};

bool known_flag(std::string_view flag) {
  for (std::string_view f : kFlags) {
    if (f == flag) return true;
  }
  return false;
}

Error invalid(std::string_view flag, std::string_view why) {
  return make_error(ErrorCode::kInvalidParameterValue, std::string(flag) + ": " + std::string(why));
}

// The whole of a file a flag names, or an error naming the flag.
Result<std::string> read_flag_file(std::string_view flag, const std::string& path) {
  std::ifstream in{path};
  if (!in) return invalid(flag, "cannot read " + path + ": " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A decimal integer in [min, max]: digits only (no sign, no spaces, no suffix).
Result<uint64_t> parse_uint(std::string_view flag, std::string_view text, uint64_t min,
                            uint64_t max) {
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return invalid(flag, "expected a whole number, got '" + std::string(text) + "'");
  }
  if (v < min || v > max) {
    return invalid(flag, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                             ", got " + std::string(text));
  }
  return v;
}

// "on" or "off".
Result<bool> parse_on_off(std::string_view flag, std::string_view text) {
  if (text == "on") return true;
  if (text == "off") return false;
  return invalid(flag, "expected on or off, got '" + std::string(text) + "'");
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

Status parse_listen(std::string_view text, Config& c) {
  constexpr std::string_view flag = "--listen";
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return invalid(flag, "expected [IPV6]:PORT, got '" + std::string(text) + "'");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      return invalid(flag, "expected HOST:PORT, got '" + std::string(text) + "'");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return invalid(flag, "an IPv6 host must be bracketed: [" + std::string(host) + "]:PORT");
    }
  }
  std::string h(host);
  if (h != "localhost" && !is_ip_literal(h)) {
    return invalid(flag, "host must be an IP address or localhost, got '" + h + "'");
  }
  auto p = parse_uint(flag, port, 1, 65535);
  if (!p) return std::move(p).error();
  c.listen_host = std::move(h);
  c.listen_port = static_cast<uint16_t>(*p);
  return {};
}

Status parse_public_url(std::string_view text, Config& c) {
  constexpr std::string_view flag = "--public-url";
  std::string_view rest;
  if (text.substr(0, 7) == "http://") {
    rest = text.substr(7);
  } else if (text.substr(0, 8) == "https://") {
    rest = text.substr(8);
  } else {
    return invalid(flag, "must start with http:// or https://, got '" + std::string(text) + "'");
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == ':') {
    return invalid(flag, "has no host: '" + std::string(text) + "'");
  }
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) <= ' ' || ch == '?' || ch == '#') {
      return invalid(flag, "must be a plain URL (no spaces, query or fragment)");
    }
  }
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  c.public_url = std::string(text);
  return {};
}

Status parse_region(std::string_view text, Config& c) {
  bool ok = !text.empty() && text.size() <= 32 && text.front() != '-' && text.back() != '-';
  for (char ch : text) {
    ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-');
  }
  if (!ok) {
    return invalid("--region",
                   "expected a region name such as us-east-1, got '" + std::string(text) + "'");
  }
  c.region = std::string(text);
  return {};
}

Status parse_account_id(std::string_view text, Config& c) {
  bool ok = text.size() == 12;
  for (char ch : text) ok = ok && ch >= '0' && ch <= '9';
  if (!ok) {
    return invalid("--account-id", "expected 12 digits, got '" + std::string(text) + "'");
  }
  c.account_id = std::string(text);
  return {};
}

// Applies one known flag with its value.
// --mock-config FILE, or SFN_MOCK_CONFIG: the file is read and checked now, so a mistake in it
// stops the server at start.
Status apply_mock_config(std::string_view flag, const std::string& path, Config& c) {
  auto config = states::mocks::load_mock_config(path);
  if (!config) return invalid(flag, config.error().message);
  c.mock_config = std::move(*config);
  return {};
}

Status apply_wait_time_scale(std::string_view value, Config& c) {
  constexpr std::string_view flag = "--wait-time-scale";
  std::string text(value);
  char* end = nullptr;
  errno = 0;
  double f = text.empty() ? -1.0 : std::strtod(text.c_str(), &end);
  if (text.empty() || errno != 0 || end != text.c_str() + text.size() || !(f >= 0.0 && f <= 1.0)) {
    return invalid(flag, "expected a number from 0 to 1 (0: no waiting), got '" + text + "'");
  }
  c.wait_time_scale = f;
  return {};
}

Status apply(std::string_view flag, std::string_view value, Config& c) {
  if (flag == "--listen") return parse_listen(value, c);
  if (flag == "--data-dir") {
    if (value.empty()) return invalid(flag, "must not be empty");
    c.data_dir = std::string(value);
    return {};
  }
  if (flag == "--durability") {
    if (value == "sync") {
      c.durability = storage::Durability::kSync;
    } else if (value == "relaxed") {
      c.durability = storage::Durability::kRelaxed;
    } else {
      return invalid(flag, "expected sync or relaxed, got '" + std::string(value) + "'");
    }
    return {};
  }
  if (flag == "--sync-interval-ms") {
    auto v = parse_uint(flag, value, 1, kMaxSyncIntervalMs);
    if (!v) return std::move(v).error();
    c.sync_interval_ms = static_cast<uint32_t>(*v);
    return {};
  }
  if (flag == "--map-size") {
    auto v = parse_uint(flag, value, 1, kMaxMapSizeMib);
    if (!v) return std::move(v).error();
    c.map_size_mib = *v;
    return {};
  }
  if (flag == "--public-url") return parse_public_url(value, c);
  if (flag == "--region") return parse_region(value, c);
  if (flag == "--account-id") return parse_account_id(value, c);
  if (flag == "--max-body-bytes") {
    auto v = parse_uint(flag, value, 1, kMaxBodyBytes);
    if (!v) return std::move(v).error();
    c.max_body_bytes = static_cast<size_t>(*v);
    return {};
  }
  if (flag == "--idle-timeout-seconds") {
    auto v = parse_uint(flag, value, 0, kMaxIdleTimeoutSeconds);
    if (!v) return std::move(v).error();
    c.idle_timeout_seconds = static_cast<uint32_t>(*v);
    return {};
  }
  if (flag == "--request-timeout-seconds") {
    auto v = parse_uint(flag, value, 0, kMaxIdleTimeoutSeconds);
    if (!v) return std::move(v).error();
    c.request_timeout_seconds = static_cast<uint32_t>(*v);
    return {};
  }
  if (flag == "--max-connections") {
    auto v = parse_uint(flag, value, 1, kMaxConnections);
    if (!v) return std::move(v).error();
    c.max_connections = static_cast<size_t>(*v);
    return {};
  }
  if (flag == "--io-threads") {
    auto v = parse_uint(flag, value, 0, kMaxIoThreads);
    if (!v) return std::move(v).error();
    c.io_threads = static_cast<size_t>(*v);
    return {};
  }
  if (flag == "--max-uncommitted-mib") {
    auto v = parse_uint(flag, value, 0, kMaxMapSizeMib);
    if (!v) return std::move(v).error();
    c.max_uncommitted_mib = *v;
    return {};
  }
  if (flag == "--pipe-max-batches") {
    auto v = parse_uint(flag, value, 1, kMaxPipeBatches);
    if (!v) return std::move(v).error();
    c.pipe_max_batches = static_cast<uint32_t>(*v);
    return {};
  }
  if (flag == "--queue-deleted-recently") {
    auto v = parse_on_off(flag, value);
    if (!v) return std::move(v).error();
    c.queue_deleted_recently = *v;
    return {};
  }
  if (flag == "--index-snapshot") {
    auto v = parse_on_off(flag, value);
    if (!v) return std::move(v).error();
    c.index_snapshot = *v;
    return {};
  }
  if (flag == "--log-level") {
    if (value == "error") {
      c.log_level = LogLevel::kError;
    } else if (value == "warn") {
      c.log_level = LogLevel::kWarn;
    } else if (value == "info") {
      c.log_level = LogLevel::kInfo;
    } else if (value == "debug") {
      c.log_level = LogLevel::kDebug;
    } else {
      return invalid(flag, "expected error, warn, info or debug, got '" + std::string(value) + "'");
    }
    return {};
  }
  if (flag == "--lambda-endpoint") {
    Status st = states::tasks::add_lambda_endpoint(c.lambda_endpoints, value);
    if (!st) return invalid(flag, st.error().message);
    return {};
  }
  if (flag == "--template") {
    if (value.empty()) return invalid(flag, "needs a file name");
    c.templates.emplace_back(value);
    return {};
  }
  if (flag == "--template-parameter") {
    size_t eq = value.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return invalid(flag, "expected KEY=VALUE, got '" + std::string(value) + "'");
    }
    c.template_parameters[std::string(value.substr(0, eq))] = std::string(value.substr(eq + 1));
    return {};
  }
  if (flag == "--lambda-config") {
    auto text = read_flag_file(flag, std::string(value));
    if (!text) return std::move(text).error();
    states::tasks::LambdaEndpoints from_file;
    Status st = states::tasks::add_lambda_endpoints_json(from_file, *text);
    if (!st) return invalid(flag, std::string(value) + ": " + st.error().message);
    for (auto& [name, url] : from_file) c.lambda_endpoints.emplace(name, url);  // flags win
    return {};
  }
  if (flag == "--auth") {
    if (value == "off") {
      c.auth_sigv4 = false;
    } else if (value == "sigv4") {
      c.auth_sigv4 = true;
    } else {
      return invalid(flag, "expected off or sigv4, got '" + std::string(value) + "'");
    }
    return {};
  }
  if (flag == "--credentials") {
    if (value.empty()) return invalid(flag, "needs a file name");
    c.credentials_path = std::string(value);
    return {};
  }
  if (flag == "--mock-config") return apply_mock_config(flag, std::string(value), c);
  if (flag == "--wait-time-scale") return apply_wait_time_scale(value, c);
  return invalid(flag, "not handled");  // kFlags and apply() disagree
}

}  // namespace

Result<Config> parse_config(int argc, char** argv) {
  Config c;
  // Keep going after an error so that "--help" anywhere still wins.
  std::optional<Error> first_error;
  auto fail = [&](Error e) {
    if (!first_error) first_error = std::move(e);
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      c.show_help = true;
      continue;
    }
    if (arg == "--version" || arg == "-V") {
      c.show_version = true;
      continue;
    }
    if (arg.substr(0, 2) != "--" || arg.size() == 2) {
      fail(make_error(ErrorCode::kInvalidParameterValue,
                      "unexpected argument '" + std::string(arg) + "' (see --help)"));
      continue;
    }
    std::string_view flag = arg, value;
    size_t eq = arg.find('=');
    if (eq != std::string_view::npos) {
      flag = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (!known_flag(flag)) {
      fail(make_error(ErrorCode::kInvalidParameterValue,
                      "unknown flag " + std::string(flag) + " (see --help)"));
      continue;
    }
    if (eq == std::string_view::npos) {
      if (i + 1 >= argc) {
        fail(invalid(flag, "needs a value"));
        continue;
      }
      value = argv[++i];
    }
    Status st = apply(flag, value, c);
    if (!st.ok()) fail(std::move(st).error());
  }
  if (c.show_help || c.show_version) return c;
  if (first_error) return std::move(*first_error);
  if (c.auth_sigv4) {
    // Read after every flag, so that an account_id-less profile takes the final --account-id.
    if (c.credentials_path.empty()) return invalid("--auth", "sigv4 needs --credentials FILE");
    auto text = read_flag_file("--credentials", c.credentials_path);
    if (!text) return std::move(text).error();
    auto creds = auth::Credentials::parse(*text, c.account_id);
    if (!creds) return invalid("--credentials", c.credentials_path + ": " + creds.error().message);
    c.credentials = std::make_shared<const auth::Credentials>(std::move(*creds));
  }
  if (!c.mock_config) {
    const char* env = std::getenv("SFN_MOCK_CONFIG");
    if (env != nullptr && *env != '\0') {
      Status st = apply_mock_config("SFN_MOCK_CONFIG", env, c);
      if (!st.ok()) return std::move(st).error();
    }
  }
  return c;
}

std::string usage() {
  return R"(Usage: sluice [FLAGS]

Amazon SQS (query/XML and JSON 1.0), AWS Step Functions and Amazon EventBridge Pipes on one
port, durable in LMDB.

Flags (--flag VALUE or --flag=VALUE):
  --listen HOST:PORT            address to serve on (IPv6: [::1]:9324)   [127.0.0.1:9324]
  --data-dir DIR                LMDB data directory, created if missing  [./sluice-data]
  --durability sync|relaxed     sync: a success reply means an fsync'd commit; relaxed: no
                                fsync per commit, synced every --sync-interval-ms (a crash
                                may lose that interval's acknowledged changes)    [sync]
  --sync-interval-ms N          relaxed mode's sync period in milliseconds         [1000]
  --map-size MIB                LMDB map size in MiB (the most the store can hold) [65536]
  --public-url URL              base of queue URLs          [http://<Host header of the request>]
  --region REGION               region in ARNs                                [us-east-1]
  --account-id ID               12-digit account id in queue URLs and ARNs [000000000000]
  --max-body-bytes N            largest HTTP request body; bigger ones get 413  [3145728]
  --idle-timeout-seconds N      close connections idle this long (0: never)          [60]
  --request-timeout-seconds N   a request's head and body must arrive within N seconds
                                of its first byte, else 408 and close (0: never)     [60]
  --max-connections N           open connections served at once; more are answered 503
                                and closed (lowered to fit the open-files limit)  [10000]
  --io-threads N                threads that read, parse and write the connections (0-64);
                                0: the one loop that runs the requests does it too    [0]
  --max-uncommitted-mib N       message bytes waiting for their commit; sends beyond it
                                get RequestThrottled, and Step Functions starts past
                                the same bound ThrottlingException (0: unbounded)   [256]
  --log-level LEVEL             error|warn|info|debug                              [info]
  --lambda-endpoint NAME=URL    serve Lambda function NAME (Task states) by POSTing its event
                                to URL; repeat for more functions
  --lambda-config FILE          JSON file {"NAME": "URL", ...} of Lambda endpoints (a
                                --lambda-endpoint for the same name wins)
  --pipe-max-batches N          batches one pipe may have in flight (1-1000)       [1000]
  --mock-config FILE            Step Functions Local mock configuration: StartExecution on
                                STATE_MACHINE_ARN#CASE runs test case CASE with mocked Task
                                states (default: $SFN_MOCK_CONFIG, if set)
  --wait-time-scale F           0..1: Wait states and Retry intervals last F of their time
                                (0: no waiting; history keeps real times)             [1]
  --queue-deleted-recently on|off
                                on: as AWS, CreateQueue of a name deleted less than 60 s
                                ago fails with QueueDeletedRecently; off: the name is free
                                at once                                             [off]
  --index-snapshot on|off       on: a clean shutdown saves the queue indexes to the data
                                dir, so the next start reads them instead of scanning every
                                message (used only if nothing changed since)          [on]
  --template FILE               create the resources of a CloudFormation or SAM template
                                (JSON or YAML) at start; repeat for more templates
  --template-parameter KEY=VALUE
                                a template parameter's value (overrides its Default)
  --auth off|sigv4              sigv4: every API request must carry an AWS Signature
                                Version 4 (header or presigned URL) by a key of
                                --credentials; off: no checks                       [off]
  --credentials FILE            access keys for --auth sigv4: INI profiles with
                                aws_access_key_id, aws_secret_access_key and an optional
                                account_id (default: --account-id)
  -h, --help                    print this help and exit
  -V, --version                 print the version and exit

Endpoints: GET /health, GET /metrics (Prometheus); /v1/pipes and /tags/ are the Pipes API,
X-Amz-Target AWSStepFunctions.* the Step Functions API, everything else the SQS API.
/health, /metrics and the /_sluice/ admin API are never authenticated.
SIGINT/SIGTERM: stop accepting, finish in-flight requests, commit, close, exit 0.
)";
}

std::string_view version_string() {
  return "sluice 0.1.0";
}

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kError:
      return "error";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kDebug:
      return "debug";
  }
  return "info";
}

std::string_view durability_name(storage::Durability d) {
  return d == storage::Durability::kRelaxed ? "relaxed" : "sync";
}

}  // namespace sluice::server
