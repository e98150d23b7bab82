// StatesEndpoint's wire behaviour: error shapes, unknown targets, malformed bodies, dispatch.
#include "broker/states/states_endpoint.h"

#include <gtest/gtest.h>

#include "engine/json/json_parse.h"

namespace sluice::states {
namespace {

TEST(StatesEndpointTest, AcceptsOnlyStepFunctionsTargets) {
  http::Request r;
  r.method = "POST";
  EXPECT_FALSE(StatesEndpoint::accepts(r));
  r.headers.push_back({"x-amz-target", "AmazonSQS.SendMessage"});
  EXPECT_FALSE(StatesEndpoint::accepts(r));
  r.headers[0].value = "AWSStepFunctions.ListStateMachines";
  EXPECT_TRUE(StatesEndpoint::accepts(r));
}

TEST(StatesEndpointTest, RendersErrorsInTheJson10Shape) {
  SfnError e = sfn_error("StateMachineDoesNotExist", "State Machine Does Not Exist: 'x'");
  e.extra.set("reason", "CANNOT_UPDATE_COMPLETED_MAP_RUN");
  http::Response r = render_outcome(SfnOutcome(e), "req-1");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, "application/x-amz-json-1.0");
  auto body = engine::json::parse(r.body);
  ASSERT_TRUE(body);
  EXPECT_EQ(body->as_object().find("__type")->as_string(),
            "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist");
  EXPECT_EQ(body->as_object().find("message")->as_string(), "State Machine Does Not Exist: 'x'");
  EXPECT_EQ(body->as_object().find("reason")->as_string(), "CANNOT_UPDATE_COMPLETED_MAP_RUN");
}

TEST(StatesEndpointTest, RendersOutputsAsJson) {
  json::Object out;
  out.set("stateMachines", json::Array{});
  http::Response r = render_outcome(SfnOutcome(json::Value(std::move(out))), "req-2");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"stateMachines\":[]}");
}

}  // namespace
}  // namespace sluice::states
