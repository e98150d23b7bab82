// PipesRequestBuilder: complete HTTP/1.1 request bytes for the EventBridge Pipes actions the
// trigger workload needs, REST-JSON as the model binds them: CreatePipe (POST /v1/pipes/{Name}) and
// UpdatePipe (PUT /v1/pipes/{Name}), with X-Amz-Date and a SigV4 Authorization header for the
// service "pipes" unless signing is off. The body is the operation's JSON members. One instance
// per loop thread.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "bench/load/amz_date.h"
#include "bench/load/endpoint.h"
#include "bench/load/sigv4_signer.h"

namespace sluice::bench {

class PipesRequestBuilder {
 public:
  PipesRequestBuilder(Endpoint endpoint, Credentials credentials, bool sign);

  std::string create_pipe(std::string_view name, std::string_view body);
  std::string update_pipe(std::string_view name, std::string_view body);

 private:
  std::string frame(std::string_view method, std::string_view name, std::string_view body);

  Endpoint endpoint_;
  bool sign_;
  SigV4Signer signer_;
  AmzDate date_;
};

}  // namespace sluice::bench
