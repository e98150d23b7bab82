// Lambda functions served by local HTTP endpoints: the function-ARN resource (LambdaFunction*
// events) and arn:aws:states:::lambda:invoke, function errors, missing functions; and the
// --lambda-endpoint / --lambda-config parsing.
#include <gtest/gtest.h>

#include "broker/states/tasks/lambda_endpoints.h"
#include "tests/broker/states/tasks/task_fixture.h"

namespace sluice::states::tasks::testing {
namespace {

class LambdaTaskTest : public TaskFixture {
 protected:
  // The endpoints must be known before the router is built (it reads them then).
  void configure(StatesServices& services, TaskRouterOptions&) override {
    port_ = serve([this](http::Request&& req, http::Responder res) {
      seen_.push_back(req);
      res.send(respond_(seen_.back()));
    });
    std::string base = "http://127.0.0.1:" + std::to_string(port_);
    services.lambda_endpoints["greet"] = base + "/greet";
    services.lambda_endpoints["greet:beta"] = base + "/greet-beta";
    services.lambda_endpoints["down"] = "http://127.0.0.1:" + std::to_string(closed_port()) + "/";
  }
  static http::Response reply(int status, std::string body,
                              std::vector<http::Header> headers = {}) {
    http::Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
  }

  uint16_t port_ = 0;
  std::vector<http::Request> seen_;
  std::function<http::Response(const http::Request&)> respond_ = [](const http::Request& r) {
    return reply(200, R"({"hello":)" + r.body + "}");
  };
};

TEST_F(LambdaTaskTest, AFunctionArnTaskPostsItsInputAndTakesTheResult) {
  auto ex = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:greet","End":true}}})",
      R"({"who":"ann"})");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  EXPECT_EQ(output(*ex), R"({"hello":{"who":"ann"}})");
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].method, "POST");
  EXPECT_EQ(seen_[0].target, "/greet");
  EXPECT_EQ(seen_[0].body, R"({"who":"ann"})");
  EXPECT_EQ(*seen_[0].header("content-type"), "application/json");
  EXPECT_EQ(types(*ex), (std::vector<std::string>{
                            "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                            "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
                            "ExecutionSucceeded"}));
}

TEST_F(LambdaTaskTest, LambdaInvokeReturnsTheInvokeResponse) {
  auto ex = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:000000000000:function:greet","Payload.$":"$"},"End":true}}})",
      R"({"n":1})");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded)
      << ex->outcome().cause.value_or("");
  json::Value out = output_value(*ex);
  EXPECT_EQ(str(out, "ExecutedVersion"), "$LATEST");
  EXPECT_EQ(member(out, "StatusCode")->as_int(), 200);
  EXPECT_EQ(engine::json::serialize(*member(out, "Payload")), R"({"hello":{"n":1}})");
  // Lambda's Invoke response headers as AWS records them; Content-Length is the payload's.
  const json::Value* http = member(out, "SdkHttpMetadata");
  ASSERT_TRUE(http);
  std::vector<std::string> all_names, sorted_names;
  for (const auto& [k, v] : member(*http, "AllHttpHeaders")->as_object()) all_names.push_back(k);
  for (const auto& [k, v] : member(*http, "HttpHeaders")->as_object()) sorted_names.push_back(k);
  EXPECT_EQ(all_names,
            (std::vector<std::string>{"X-Amz-Executed-Version", "x-amzn-Remapped-Content-Length",
                                      "Connection", "x-amzn-RequestId", "Content-Length", "Date",
                                      "X-Amzn-Trace-Id", "Content-Type"}));
  EXPECT_EQ(sorted_names,
            (std::vector<std::string>{"Connection", "Content-Length", "Content-Type", "Date",
                                      "X-Amz-Executed-Version", "x-amzn-Remapped-Content-Length",
                                      "x-amzn-RequestId", "X-Amzn-Trace-Id"}));
  const json::Value& headers = *member(*http, "HttpHeaders");
  EXPECT_EQ(str(headers, "Content-Length"), "17");  // {"hello":{"n":1}}
  EXPECT_EQ(str(headers, "X-Amz-Executed-Version"), "$LATEST");
  EXPECT_EQ(str(headers, "Content-Type"), "application/json");
  EXPECT_EQ(str(*member(out, "SdkResponseMetadata"), "RequestId"),
            str(headers, "x-amzn-RequestId"));
  EXPECT_EQ(member(*http, "HttpStatusCode")->as_int(), 200);
  EXPECT_EQ(detail(event(*ex, "TaskScheduled"), "resourceType"), "lambda");
  EXPECT_EQ(detail(event(*ex, "TaskScheduled"), "resource"), "invoke");
}

TEST_F(LambdaTaskTest, AQualifiedFunctionUsesItsOwnEndpoint) {
  auto ex = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"greet:beta","Payload":{}},"End":true}}})");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].target, "/greet-beta");
  EXPECT_EQ(str(output_value(*ex), "ExecutedVersion"), "beta");

  auto other = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:greet:7","End":true}}})",
      "{}", "exec-2");
  ASSERT_TRUE(wait_finished(other));
  ASSERT_EQ(seen_.size(), 2u);
  EXPECT_EQ(seen_[1].target, "/greet");  // no endpoint for version 7: the function's own
}

TEST_F(LambdaTaskTest, AFunctionErrorBecomesTheTaskError) {
  respond_ = [](const http::Request&) {
    return reply(200, R"({"errorType":"OrderNotFound","errorMessage":"no order 7","trace":[]})");
  };
  auto ex = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:greet",
        "Catch":[{"ErrorEquals":["OrderNotFound"],"Next":"Caught"}],"End":true},"Caught":{"Type":"Pass","End":true}}})");
  ASSERT_TRUE(wait_finished(ex));
  ASSERT_EQ(ex->status(), executor::ExecutionStatus::kSucceeded);
  json::Value out = output_value(*ex);
  EXPECT_EQ(str(out, "Error"), "OrderNotFound");
  EXPECT_EQ(str(out, "Cause"),
            R"({"errorType":"OrderNotFound","errorMessage":"no order 7","trace":[]})");
  EXPECT_TRUE(has_event(*ex, "LambdaFunctionFailed"));
}

TEST_F(LambdaTaskTest, AFailingEndpointWithoutAnErrorTypeIsLambdaUnknown) {
  respond_ = [](const http::Request&) { return reply(500, "boom"); };
  auto ex = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"greet"},"End":true}}})");
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "Lambda.Unknown");
  EXPECT_NE(ex->outcome().cause.value_or("").find("Returned payload: boom"), std::string::npos);

  respond_ = [](const http::Request&) {
    return reply(200, R"({"partial":true})", {{"X-Amz-Function-Error", "Unhandled"}});
  };
  auto flagged = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:greet","End":true}}})",
      "{}", "exec-2");
  ASSERT_TRUE(wait_finished(flagged));
  EXPECT_EQ(flagged->outcome().error.value_or(""), "Lambda.Unknown");
}

TEST_F(LambdaTaskTest, AnUnconfiguredFunctionDoesNotExist) {
  auto ex = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"missing"},"End":true}}})");
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "Lambda.ResourceNotFoundException");
  EXPECT_NE(ex->outcome().cause.value_or("").find(
                "Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing"),
            std::string::npos);
  EXPECT_TRUE(seen_.empty());
}

TEST_F(LambdaTaskTest, AnUnreachableEndpointIsAClientException) {
  auto ex = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:down","End":true}}})");
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(ex->outcome().error.value_or(""), "Lambda.SdkClientException");
}

TEST_F(LambdaTaskTest, InvokeWaitForTaskTokenWaitsForTheCallback) {
  auto ex = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters":{"FunctionName":"greet","Payload":{"token.$":"$$.Task.Token"}},"End":true}}})");
  ASSERT_TRUE(run_until([&] { return has_event(*ex, "TaskSubmitted"); }));
  ASSERT_EQ(seen_.size(), 1u);
  std::string token = str(parse(seen_[0].body), "token");
  EXPECT_FALSE(router_->send_task_success(token, parse(R"({"ok":1})")));
  ASSERT_TRUE(finished(*ex));
  EXPECT_EQ(output(*ex), R"({"ok":1})");
}

TEST_F(LambdaTaskTest, EventInvocationsDoNotWaitForAResult) {
  auto ex = start(
      R"({"StartAt":"Greet","States":{"Greet":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"greet","InvocationType":"Event"},"End":true}}})");
  ASSERT_TRUE(wait_finished(ex));
  EXPECT_EQ(member(output_value(*ex), "StatusCode")->as_int(), 202);
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(*seen_[0].header("x-amz-invocation-type"), "Event");
}

TEST(LambdaEndpointsTest, ParsesFlagsAndFiles) {
  LambdaEndpoints e;
  EXPECT_TRUE(add_lambda_endpoint(e, "orders=http://localhost:3000/orders").ok());
  EXPECT_TRUE(add_lambda_endpoint(e, "orders:live=https://h/x").ok());
  EXPECT_FALSE(add_lambda_endpoint(e, "no-equals-sign").ok());
  EXPECT_FALSE(add_lambda_endpoint(e, "bad name=http://h/").ok());
  EXPECT_FALSE(add_lambda_endpoint(e, "f=ftp://h/").ok());
  EXPECT_TRUE(add_lambda_endpoints_json(e, R"({"a":"http://h:1/a","b":"http://h:1/b"})").ok());
  EXPECT_FALSE(add_lambda_endpoints_json(e, R"({"a":1})").ok());
  EXPECT_FALSE(add_lambda_endpoints_json(e, R"([1])").ok());
  EXPECT_FALSE(add_lambda_endpoints_json(e, "{").ok());
  EXPECT_EQ(e.size(), 4u);
  EXPECT_EQ(e["orders:live"], "https://h/x");
}

}  // namespace
}  // namespace sluice::states::tasks::testing
