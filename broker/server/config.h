// Config: the process configuration, from the command line (the flags are fixed by the README
// and the design card; usage() lists them). Parsed once in main before anything starts; plain
// data afterwards, read from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/auth/credentials.h"
#include "broker/states/mocks/mock_config.h"
#include "storage/lmdb/environment.h"
#include "storage/result.h"

namespace sluice::server {

enum class LogLevel { kError, kWarn, kInfo, kDebug };

struct Config {
  // --listen HOST:PORT. IPv6 hosts are bracketed on the command line ("[::1]:9324") and stored
  // without brackets.
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 9324;
  std::string data_dir = "./sluice-data";                       // --data-dir
  storage::Durability durability = storage::Durability::kSync;  // --durability sync|relaxed
  uint32_t sync_interval_ms = 1000;  // --sync-interval-ms (relaxed mode's periodic sync)
  uint64_t map_size_mib = 65536;     // --map-size MIB (address space; the file grows as used)
  std::string public_url;            // --public-url, no trailing '/'; empty: http://<Host header>
  std::string region = "us-east-1";  // --region
  std::string account_id = "000000000000";  // --account-id, 12 digits
  size_t max_body_bytes = 3145728;          // --max-body-bytes
  uint32_t idle_timeout_seconds = 60;       // --idle-timeout-seconds, 0 = never
  uint32_t request_timeout_seconds = 60;    // --request-timeout-seconds, 0 = never
  size_t max_connections = 10000;           // --max-connections
  size_t io_threads = 0;                    // --io-threads, 0 = on the reactor's loop
  uint64_t max_uncommitted_mib = 256;       // --max-uncommitted-mib, 0 = unbounded
  LogLevel log_level = LogLevel::kInfo;     // --log-level error|warn|info|debug
  // Lambda function name -> local endpoint URL: --lambda-endpoint NAME=URL (repeatable; each one
  // adds a function) and --lambda-config FILE ({"NAME": "URL", ...}); a flag wins over the file.
  std::map<std::string, std::string> lambda_endpoints;
  // --pipe-max-batches: batches one pipe may have in flight (AWS allows 1,000).
  uint32_t pipe_max_batches = 1000;
  // --queue-deleted-recently on|off: AWS's 60-second wait before a deleted queue's name can be
  // used again. Off by default (test suites re-create queues by name in their set-up).
  bool queue_deleted_recently = false;
  // --index-snapshot on|off: save the queue indexes at clean shutdown so the next start need not
  // scan every message's state (storage/queue/index_snapshot.h).
  bool index_snapshot = true;
  // --mock-config FILE (else the SFN_MOCK_CONFIG environment variable): Step Functions Local's
  // mock configuration, parsed at start; null when neither is given.
  std::shared_ptr<const states::mocks::MockConfig> mock_config;
  // --wait-time-scale F (0..1): how much of their time Wait states and Retry intervals last.
  double wait_time_scale = 1.0;
  // --template FILE (repeatable): CloudFormation/SAM templates whose resources are created at
  // start; --template-parameter KEY=VALUE (repeatable) overrides a parameter's Default.
  std::vector<std::string> templates;
  std::map<std::string, std::string> template_parameters;
  // --auth off|sigv4: off (the default) serves every request unsigned; sigv4 requires AWS
  // Signature Version 4 from the keys of --credentials FILE (broker/auth/credentials.h), read
  // and checked at start. `credentials` is null when auth is off.
  bool auth_sigv4 = false;
  std::string credentials_path;
  std::shared_ptr<const auth::Credentials> credentials;

  // --help / -h and --version / -V: main prints usage() or version_string() and exits 0. When
  // set, the other fields are not meaningful (the rest of the command line is not validated).
  bool show_help = false;
  bool show_version = false;

  uint64_t map_size_bytes() const { return map_size_mib << 20; }
};

// Parses argv[1..argc). Accepts "--flag value" and "--flag=value"; a repeated flag keeps its
// last value (except --lambda-endpoint, --template and --template-parameter, which add one each
// time). Errors (unknown flag, missing or invalid value) come back as
// ErrorCode::kInvalidParameterValue with a message naming the flag, fit for stderr.
Result<Config> parse_config(int argc, char** argv);

// The --help text: every flag, its argument and its default.
std::string usage();

// "sluice <version>", the --version line.
std::string_view version_string();

std::string_view log_level_name(LogLevel level);
std::string_view durability_name(storage::Durability d);

}  // namespace sluice::server
