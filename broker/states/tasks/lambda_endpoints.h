// LambdaEndpoints: which local HTTP endpoint serves each Lambda function name, from the command
// line (--lambda-endpoint NAME=URL, repeatable) and a config file (--lambda-config FILE holding
// {"NAME": "URL", ...}). A name may carry a qualifier ("orders:live") to serve that version or
// alias apart from the function's other versions. Plain data once parsed; any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "storage/result.h"

namespace sluice::states::tasks {

using LambdaEndpoints = std::map<std::string, std::string>;  // function name -> http(s) URL

// Adds "NAME=URL". kInvalidParameterValue naming what is wrong.
Status add_lambda_endpoint(LambdaEndpoints& into, std::string_view spec);
// Adds every member of a JSON object {"NAME": "URL"}.
Status add_lambda_endpoints_json(LambdaEndpoints& into, std::string_view json_text);

}  // namespace sluice::states::tasks
