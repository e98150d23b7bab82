#include "broker/admin/admin_route.h"

#include <gtest/gtest.h>

namespace sluice::admin {
namespace {

TEST(AdminRoute, NamesEachAction) {
  auto r = route_admin("POST", "/_sluice/reset");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, AdminAction::kResetAll);

  r = route_admin("GET", "/_sluice/queues/orders.fifo/messages");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, AdminAction::kListMessages);
  EXPECT_EQ(r->name, "orders.fifo");

  r = route_admin("POST", "/_sluice/queues/orders/reset");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, AdminAction::kResetQueue);
  EXPECT_EQ(r->name, "orders");

  r = route_admin("POST", "/_sluice/state-machines/My%20Flow/reset");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, AdminAction::kResetStateMachine);
  EXPECT_EQ(r->name, "My Flow");

  r = route_admin("GET", "/_sluice/events");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, AdminAction::kEvents);

  r = route_admin("GET", "/_sluice/express-executions");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, AdminAction::kListExpress);

  r = route_admin(
      "GET",
      "/_sluice/express-executions/arn%3Aaws%3Astates%3Aus-east-1%3A0%3Aexpress%3Am%3Ae%3Au");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, AdminAction::kDescribeExpress);
  EXPECT_EQ(r->name, "arn:aws:states:us-east-1:0:express:m:e:u");
}

TEST(AdminRoute, UnknownPathsAreNotFound) {
  for (const char* path :
       {"/_sluice/", "/_sluice/queues", "/_sluice/queues/q", "/_sluice/queues/q/messages/extra",
        "/_sluice/pipes/p/reset", "/_sluice/resetx", "/other"}) {
    auto r = route_admin("GET", path);
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.error().status, 404) << path;
    EXPECT_EQ(r.error().error, "NotFound");
  }
}

TEST(AdminRoute, WrongMethodIsNotAllowed) {
  auto r = route_admin("GET", "/_sluice/reset");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 405);
  EXPECT_EQ(r.error().error, "MethodNotAllowed");
  r = route_admin("POST", "/_sluice/queues/q/messages");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 405);
  r = route_admin("POST", "/_sluice/events");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 405);
  r = route_admin("POST", "/_sluice/express-executions");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().status, 405);
}

TEST(AdminRoute, BadNamesAreRefused) {
  for (const char* path : {"/_sluice/queues//reset", "/_sluice/queues/a%2/reset",
                           "/_sluice/queues/a%zz/reset", "/_sluice/queues/%/reset"}) {
    auto r = route_admin("POST", path);
    ASSERT_FALSE(r) << path;
    EXPECT_EQ(r.error().status, 400) << path;
    EXPECT_EQ(r.error().error, "InvalidName");
  }
}

TEST(MessagePaging, DefaultsAndBounds) {
  auto p = parse_paging("");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->limit, kDefaultPageLimit);
  EXPECT_EQ(p->after, 0u);

  p = parse_paging("after=42&limit=1000&other=x");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->limit, 1000u);
  EXPECT_EQ(p->after, 42u);

  p = parse_paging("limit=1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->limit, 1u);
}

TEST(MessagePaging, MalformedValuesAreInvalidParameters) {
  for (const char* q : {"limit=0", "limit=1001", "limit=", "limit=-1", "limit=5x",
                        "after=", "after=abc", "after=-3", "after=99999999999999999999999"}) {
    auto p = parse_paging(q);
    ASSERT_FALSE(p) << q;
    EXPECT_EQ(p.error().status, 400) << q;
    EXPECT_EQ(p.error().error, "InvalidParameter") << q;
  }
}

TEST(EventQuery, NamesOneStream) {
  auto q = parse_event_query("queues");
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->queues);
  EXPECT_TRUE(q->execution.empty());

  q = parse_event_query("execution=arn%3Aaws%3Astates%3Aus-east-1%3A0%3Aexecution%3Am%3Ae&x=1");
  ASSERT_TRUE(q);
  EXPECT_FALSE(q->queues);
  EXPECT_EQ(q->execution, "arn:aws:states:us-east-1:0:execution:m:e");

  q = parse_event_query("pipes");
  ASSERT_TRUE(q);
  EXPECT_TRUE(q->pipes);
  EXPECT_FALSE(q->queues);

  for (const char* bad : {"", "x=1", "execution=", "execution=%zz", "queues&execution=a",
                          "pipes&queues", "pipes&execution=a"}) {
    auto e = parse_event_query(bad);
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().status, 400) << bad;
    EXPECT_EQ(e.error().error, "InvalidParameter") << bad;
  }
}

}  // namespace
}  // namespace sluice::admin
