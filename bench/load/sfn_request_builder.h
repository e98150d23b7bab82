// SfnRequestBuilder: complete HTTP/1.1 request bytes for the Step Functions actions the sfn-*
// workloads drive: AWS JSON 1.0 (POST / with X-Amz-Target: AWSStepFunctions.<Action>), X-Amz-Date
// and a SigV4 Authorization header for the service "states" unless signing is off. The Host header
// is the endpoint's: SDKs send StartSyncExecution to "sync-" + host, which only AWS's own
// endpoints need. One instance per loop thread.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "bench/load/amz_date.h"
#include "bench/load/api_action.h"
#include "bench/load/endpoint.h"
#include "bench/load/sigv4_signer.h"

namespace sluice::bench {

class SfnRequestBuilder {
 public:
  SfnRequestBuilder(Endpoint endpoint, Credentials credentials, bool sign);

  std::string create_state_machine(std::string_view name, std::string_view definition,
                                   std::string_view role_arn, bool express);
  std::string start_sync_execution(std::string_view state_machine_arn, std::string_view input);
  // One page (up to 1000, newest first) of the machine's executions; next_token "" for the first.
  std::string list_executions(std::string_view state_machine_arn, std::string_view next_token);

 private:
  std::string frame(ApiAction action, const std::string& payload);

  Endpoint endpoint_;
  bool sign_;
  SigV4Signer signer_;
  AmzDate date_;
};

}  // namespace sluice::bench
