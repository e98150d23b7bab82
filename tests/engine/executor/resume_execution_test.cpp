// Execution::resume after a crash, at every cut point: for machines covering every state type,
// run once uninterrupted (the reference), then for each k run again, let the server "die" right
// after storing event k, rebuild the execution from the k stored events in a new world (new
// clock, timers, task services, store) with the same task answers, run it to the end and check
// that the stored history is the reference's, event for event (type, id, previous id,
// timestamp, details, private record), and that the outcome is the same.
#include <gtest/gtest.h>

#include "engine/json/json_serialize.h"
#include "tests/engine/executor/resume_world.h"

namespace sluice::engine::executor {
namespace {

using A = TaskAction;
using json::Value;

constexpr int64_t kStart = 1700000000000;  // 2023-11-14T22:13:20.000Z

struct Scenario {
  std::string definition;
  std::string input = "{}";
  TaskScript script;
  std::optional<int64_t> stop_at;     // StopExecution at this time
  std::optional<int64_t> redrive_at;  // RedriveExecution at this time, once, if it failed
};

ExecutionInfo test_info() {
  ExecutionInfo info;
  info.execution_arn = "arn:aws:states:us-east-1:000000000000:execution:sm:resume-1";
  info.name = "resume-1";
  info.state_machine_arn = "arn:aws:states:us-east-1:000000000000:stateMachine:sm";
  info.state_machine_name = "sm";
  info.role_arn = "arn:aws:iam::000000000000:role/r";
  return info;
}

std::string event_text(const HistoryEvent& e) {
  return std::to_string(e.id) + " " + std::string(history_event_type_name(e.type)) + " prev " +
         std::to_string(e.previous_event_id) + " @" + std::to_string(e.timestamp_ms - kStart) +
         " " + json::serialize(e.details) + " " + e.resume_record;
}

std::string outcome_text(const ExecutionOutcome& o) {
  return std::string(execution_status_name(o.status)) + " @" + std::to_string(o.stop_ms - kStart) +
         " " + (o.output ? json::serialize(*o.output) : "-") + " " + o.error.value_or("-") + " " +
         o.cause.value_or("-");
}

class ResumeTest : public ::testing::Test {
 protected:
  struct Run {
    std::vector<HistoryEvent> events;
    std::optional<ExecutionOutcome> outcome;
  };

  void SetUp() override {}

  std::shared_ptr<const asl::StateMachine> compile(const std::string& definition) {
    auto m = asl::compile_definition(definition);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return m.ok() ? *m : nullptr;
  }

  static void arm_stop(ResumeWorld& w, const Scenario& s, const std::shared_ptr<Execution>& ex) {
    if (!s.stop_at || *s.stop_at < w.clock.now_ms()) return;
    std::weak_ptr<Execution> weak = ex;
    w.timers.schedule(*s.stop_at, [weak] {
      if (auto e = weak.lock()) e->stop("Operator", "stopped by the test");
    });
  }

  // Runs the world until the execution stops (or the store is full); a scenario with
  // redrive_at then redrives it once (RedriveExecution: restore from what is stored, redrive) and
  // runs on. `prefix` is what earlier lives stored.
  std::shared_ptr<Execution> run_on(const Scenario& s, ResumeWorld& w,
                                    std::shared_ptr<Execution> ex,
                                    const std::vector<HistoryEvent>& prefix,
                                    const std::vector<TaskHeartbeatRecord>& beats) {
    w.drive(*ex);
    if (!s.redrive_at || w.store.full()) return ex;
    w.timers.advance_to(*s.redrive_at);
    auto again = redrive_now(s, w, ex, prefix, beats);
    if (again != ex) w.drive(*again);
    return again;
  }

  // RedriveExecution now, if the execution stopped unsuccessfully and was never redriven.
  std::shared_ptr<Execution> redrive_now(const Scenario& s, ResumeWorld& w,
                                         std::shared_ptr<Execution> ex,
                                         const std::vector<HistoryEvent>& prefix,
                                         const std::vector<TaskHeartbeatRecord>& beats) {
    ExecutionStatus st = ex->status();
    if (st == ExecutionStatus::kRunning || st == ExecutionStatus::kSucceeded ||
        ex->redrive_count() > 0)
      return ex;
    PersistedHistory h{prefix, beats};
    h.events.insert(h.events.end(), w.store.events.begin(), w.store.events.end());
    h.heartbeats.insert(h.heartbeats.end(), w.store.heartbeats.begin(), w.store.heartbeats.end());
    auto again = Execution::restore(compile(s.definition), test_info(), *json::parse(s.input),
                                    w.services(), {}, std::move(h));
    Status redriven = again->redrive();
    EXPECT_TRUE(redriven.ok()) << (redriven.ok() ? "" : redriven.error().message);
    return again;
  }

  // The uninterrupted run.
  Run reference(const Scenario& s) {
    ResumeWorld w(kStart, s.script);
    auto ex =
        Execution::create(compile(s.definition), test_info(), *json::parse(s.input), w.services());
    arm_stop(w, s, ex);
    ex->start();
    ex = run_on(s, w, ex, {}, {});
    EXPECT_NE(ex->status(), ExecutionStatus::kRunning) << "the scenario must finish";
    EXPECT_EQ(w.store.outcomes.size(), s.redrive_at ? 2u : 1u);
    Run r{w.store.events, std::nullopt};
    if (!w.store.outcomes.empty()) r.outcome = w.store.outcomes.back();
    return r;
  }

  // The second life: rebuilt at `at` from what the first stored, run to the end.
  Run resume_after(const Scenario& s, const std::vector<HistoryEvent>& stored,
                   const std::vector<TaskHeartbeatRecord>& beats, int64_t at) {
    auto machine = compile(s.definition);
    after_ = std::make_unique<ResumeWorld>(at, s.script);
    ResumeWorld& after = *after_;
    for (const auto& e : stored) {
      after.store.event_ms[e.id] = e.timestamp_ms;
      if (!e.resume_record.empty()) ++after.tokens;
    }
    resumed_ = Execution::restore(machine, test_info(), *json::parse(s.input), after.services(), {},
                                  PersistedHistory{stored, beats});
    arm_stop(after, s, resumed_);
    Status st = resumed_->resume();
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().message);
    auto last = run_on(s, after, resumed_, stored, beats);
    Run r{stored, std::nullopt};
    r.events.insert(r.events.end(), after.store.events.begin(), after.store.events.end());
    if (!after.store.outcomes.empty()) r.outcome = after.store.outcomes.back();
    if (last == resumed_) {
      // history() shows the stored events and the new ones.
      EXPECT_EQ(resumed_->history().size(), stored.size() + after.store.events.size());
    }
    return r;
  }

  // Dies after storing k events; restarts at the time of the last one; runs to the end.
  // Returns everything the two lives stored.
  Run crash_and_resume(const Scenario& s, std::size_t k) {
    auto machine = compile(s.definition);
    std::vector<HistoryEvent> stored;
    std::vector<TaskHeartbeatRecord> beats;
    {
      ResumeWorld before(kStart, s.script);
      before.store.cut_after = k;
      auto ex = Execution::create(machine, test_info(), *json::parse(s.input), before.services());
      arm_stop(before, s, ex);
      ex->start();
      ex = run_on(s, before, ex, {}, {});
      stored = before.store.events;
      beats = before.store.heartbeats;
      ex.reset();  // kill -9: nothing more reaches the store
    }
    EXPECT_EQ(stored.size(), k);
    return resume_after(s, stored, beats, stored.back().timestamp_ms);
  }

  // Dies at time `at` (between events: what happened before is stored, heartbeats included) and
  // restarts at once.
  Run crash_at_and_resume(const Scenario& s, int64_t at) {
    auto machine = compile(s.definition);
    std::vector<HistoryEvent> stored;
    std::vector<TaskHeartbeatRecord> beats;
    {
      ResumeWorld before(kStart, s.script);
      auto ex = Execution::create(machine, test_info(), *json::parse(s.input), before.services());
      arm_stop(before, s, ex);
      ex->start();
      if (s.redrive_at && at > *s.redrive_at) {
        before.timers.advance_to(*s.redrive_at);
        ex = redrive_now(s, before, ex, {}, {});
      }
      before.timers.advance_to(at);
      stored = before.store.events;
      beats = before.store.heartbeats;
      ex.reset();
    }
    return resume_after(s, stored, beats, at);
  }

  static void expect_same(const Run& want, const Run& got) {
    ASSERT_EQ(got.events.size(), want.events.size());
    for (std::size_t i = 0; i < want.events.size(); ++i)
      ASSERT_EQ(event_text(got.events[i]), event_text(want.events[i])) << "event #" << i + 1;
    ASSERT_TRUE(want.outcome && got.outcome);
    EXPECT_EQ(outcome_text(*got.outcome), outcome_text(*want.outcome));
  }

  // Tasks handed over after the restart carry the token their TaskScheduled recorded.
  void expect_original_tokens(const Run& ref) {
    std::vector<TaskRequest> handed = after_->tasks.starts;
    handed.insert(handed.end(), after_->tasks.resumes.begin(), after_->tasks.resumes.end());
    for (const TaskRequest& r : handed) {
      const HistoryEvent& scheduled = ref.events.at(r.scheduled_event_id - 1);
      if (r.task_token.empty()) {
        EXPECT_EQ(scheduled.resume_record, "");
      } else {
        EXPECT_EQ(scheduled.resume_record, R"J({"taskToken":")J" + r.task_token + R"J("})J");
      }
    }
  }

  // The heart of it: every cut point.
  void every_cut(const Scenario& s) {
    Run ref = reference(s);
    ASSERT_GT(ref.events.size(), 3u);
    for (std::size_t k = 1; k <= ref.events.size(); ++k) {
      SCOPED_TRACE("died after storing event #" + std::to_string(k) + ": " +
                   event_text(ref.events[k - 1]));
      Run got = crash_and_resume(s, k);
      expect_same(ref, got);
      expect_original_tokens(ref);
      ++resumes_;
      if (HasFatalFailure()) return;
    }
  }

  // Crashes in every quiet period: halfway between two moments at which something happened.
  void every_pause(const Scenario& s) {
    Run ref = reference(s);
    std::vector<int64_t> times;
    for (const auto& e : ref.events) {
      if (times.empty() || times.back() != e.timestamp_ms) times.push_back(e.timestamp_ms);
    }
    ASSERT_GE(times.size(), 2u);
    for (std::size_t i = 0; i + 1 < times.size(); ++i) {
      int64_t at = (times[i] + times[i + 1]) / 2;
      SCOPED_TRACE("died at +" + std::to_string(at - kStart) + " ms");
      Run got = crash_at_and_resume(s, at);
      expect_same(ref, got);
      expect_original_tokens(ref);
      ++resumes_;
      if (HasFatalFailure()) return;
    }
  }

  std::unique_ptr<ResumeWorld> after_;
  std::shared_ptr<Execution> resumed_;
  int resumes_ = 0;
};

TaskScript no_tasks() {
  return [](const TaskRequest&) { return std::vector<TaskAction>{}; };
}

// ---------------------------------------------------------------------------------------------
// Every cut point.

const Scenario kFlow{R"J({"StartAt":"Init","TimeoutSeconds":3600,"States":{
  "Init":{"Type":"Pass","Result":{"n":3,"secs":2,"until":"2023-11-14T22:13:30Z"},
          "ResultPath":"$.cfg","Next":"Route"},
  "Route":{"Type":"Choice","Choices":[{"Variable":"$.cfg.n","NumericGreaterThan":2,
           "Next":"WaitSeconds"}],"Default":"Bad"},
  "Bad":{"Type":"Fail","Error":"Bad"},
  "WaitSeconds":{"Type":"Wait","Seconds":3,"Next":"WaitPath"},
  "WaitPath":{"Type":"Wait","SecondsPath":"$.cfg.secs","Next":"WaitUntil"},
  "WaitUntil":{"Type":"Wait","Timestamp":"2023-11-14T22:13:40Z","Next":"WaitUntilPath"},
  "WaitUntilPath":{"Type":"Wait","TimestampPath":"$.cfg.until","Next":"Stamp"},
  "Stamp":{"Type":"Pass","Parameters":{"entered.$":"$$.State.EnteredTime",
           "state.$":"$$.State","start.$":"$$.Execution.StartTime"},
           "ResultPath":"$.stamp","Next":"Done"},
  "Done":{"Type":"Succeed","OutputPath":"$.stamp"}}})J",
                     R"J({"k":"v"})J", no_tasks(), std::nullopt, std::nullopt};

TEST_F(ResumeTest, FlowStatesResumeAtEveryCutPoint) {
  every_cut(kFlow);
}
TEST_F(ResumeTest, FlowStatesResumeInEveryPause) {
  every_pause(kFlow);
}

// Sync, retried (FULL jitter from the ARN-seeded random), callback, heartbeating activities, a
// heartbeat timeout and a task timeout, each caught.
const Scenario kTasks{
    R"J({"StartAt":"Sync","States":{
  "Sync":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"step":"sync"},
          "ResultPath":"$.sync","Next":"Flaky"},
  "Flaky":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:flaky",
           "Parameters":{"attempt.$":"$$.State.RetryCount"},
           "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":2,"BackoffRate":2,"MaxAttempts":3,
                     "JitterStrategy":"FULL"}],
           "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Callback"}],
           "ResultPath":"$.flaky","Next":"Callback"},
  "Callback":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
              "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},
              "TimeoutSeconds":60,"ResultPath":"$.cb","Next":"Worker"},
  "Worker":{"Type":"Task","Resource":"arn:aws:states:us-east-1:000000000000:activity:work",
            "HeartbeatSeconds":5,"TimeoutSeconds":100,"ResultPath":"$.work","Next":"Slow"},
  "Slow":{"Type":"Task","Resource":"arn:aws:states:us-east-1:000000000000:activity:slow",
          "HeartbeatSeconds":3,"ResultPath":"$.slow",
          "Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],"ResultPath":"$.late",
                    "Next":"Limited"}],"Next":"Limited"},
  "Limited":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","TimeoutSeconds":4,
             "Retry":[{"ErrorEquals":["States.Timeout"],"IntervalSeconds":1,"MaxAttempts":1}],
             "Catch":[{"ErrorEquals":["States.Timeout"],"ResultPath":"$.timeout","Next":"Done"}],
             "Next":"Done"},
  "Done":{"Type":"Succeed"}}})J",
    "{}",
    [](const TaskRequest& r) -> std::vector<TaskAction> {
      if (r.state_name == "Sync") return {{0, A::kSucceed, R"J({"ok":1})J", ""}};
      if (r.state_name == "Flaky") {
        if (r.retry_count == 0) return {{0, A::kStarted, "", ""}, {700, A::kFail, "Flaky", "1st"}};
        if (r.retry_count == 1) return {{300, A::kFail, "Flaky", "2nd"}};
        return {{0, A::kStarted, "", ""}, {450, A::kSucceed, R"J({"v":2})J", ""}};
      }
      if (r.state_name == "Callback")
        return {{0, A::kSubmitted, R"J({"MessageId":"m-1"})J", ""},
                {4300, A::kSucceed, R"J({"answer":42})J", ""}};
      if (r.state_name == "Worker")
        return {{100, A::kStarted, "w-1", ""},
                {1700, A::kHeartbeat, "", ""},
                {3900, A::kHeartbeat, "", ""},
                {7800, A::kSucceed, R"J({"done":true})J", ""}};
      if (r.state_name == "Slow")
        return {{100, A::kStarted, "w-2", ""},
                {1500, A::kHeartbeat, "", ""},
                {3200, A::kHeartbeat, "", ""}};
      return {};  // Limited: never answers
    },
    std::nullopt, std::nullopt};

TEST_F(ResumeTest, TasksResumeAtEveryCutPoint) {
  every_cut(kTasks);
}
TEST_F(ResumeTest, TasksResumeInEveryPause) {
  every_pause(kTasks);
}

const Scenario kFanout{
    R"J({"StartAt":"Fan","States":{
  "Fan":{"Type":"Parallel","Branches":[
    {"StartAt":"B1Wait","States":{"B1Wait":{"Type":"Wait","Seconds":2,"Next":"B1Task"},
      "B1Task":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"b":1},
                "End":true}}},
    {"StartAt":"B2Pass","States":{"B2Pass":{"Type":"Pass","Result":"two","Next":"B2Task"},
      "B2Task":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters":{"t.$":"$$.Task.Token"},"End":true}}},
    {"StartAt":"Items","States":{"Items":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
      "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
      "ItemProcessor":{"StartAt":"Work","States":{
        "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:item",
                "Retry":[{"ErrorEquals":["Again"],"IntervalSeconds":1,"MaxAttempts":2}],
                "Next":"Nap"},
        "Nap":{"Type":"Wait","SecondsPath":"$.nap","End":true}}},
      "ToleratedFailureCount":1,"End":true}}}],
   "ResultSelector":{"b1.$":"$[0]","b2.$":"$[1]","items.$":"$[2]"},"Next":"Done"},
  "Done":{"Type":"Succeed"}}})J",
    R"J({"items":[10,20,30,40,50]})J",
    [](const TaskRequest& r) -> std::vector<TaskAction> {
      if (r.state_name == "B1Task") return {{500, A::kSucceed, R"J({"b1":true})J", ""}};
      if (r.state_name == "B2Task")
        return {{0, A::kSubmitted, R"J({"MessageId":"m"})J", ""},
                {3700, A::kSucceed, R"J({"b2":"ok"})J", ""}};
      switch (r.input.as_object().find("i")->as_int()) {
        case 0:
          return {{0, A::kSucceed, R"J({"nap":1})J", ""}};
        case 1:
          if (r.retry_count == 0) return {{0, A::kStarted, "", ""}, {900, A::kFail, "Again", ""}};
          return {{200, A::kSucceed, R"J({"nap":0})J", ""}};
        case 2:
          return {{600, A::kFail, "Boom", "bad item"}};
        case 3:
          return {{0, A::kSucceed, R"J({"nap":2})J", ""}};
        default:
          return {{1300, A::kSucceed, R"J({"nap":1})J", ""}};
      }
    },
    std::nullopt, std::nullopt};

TEST_F(ResumeTest, ParallelAndMapResumeAtEveryCutPoint) {
  every_cut(kFanout);
}
TEST_F(ResumeTest, ParallelAndMapResumeInEveryPause) {
  every_pause(kFanout);
}

const Scenario kFailures{R"J({"StartAt":"Par","TimeoutSeconds":30,"States":{
  "Par":{"Type":"Parallel","Branches":[
     {"StartAt":"Bad","States":{"Bad":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
                                       "End":true}}},
     {"StartAt":"Long","States":{"Long":{"Type":"Wait","Seconds":10,"End":true}}}],
   "Retry":[{"ErrorEquals":["Nope"],"IntervalSeconds":1,"MaxAttempts":1}],
   "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.par","Next":"Each"}],"Next":"Each"},
  "Each":{"Type":"Map","ItemsPath":"$.list","ItemProcessor":{"StartAt":"Check","States":{
     "Check":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","End":true}}},
   "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.map","Next":"Hang"}],"End":true},
  "Hang":{"Type":"Wait","Seconds":100,"Next":"Never"},
  "Never":{"Type":"Fail","Error":"Never"}}})J",
                         R"J({"list":[1,2,3]})J",
                         [](const TaskRequest& r) -> std::vector<TaskAction> {
                           if (r.state_name == "Bad") return {{800, A::kFail, "Nope", "no"}};
                           int64_t v = r.input.as_int();
                           if (v == 2) return {{500, A::kFail, "Boom", ""}};
                           return {{v == 1 ? 700 : 900, A::kSucceed, "1", ""}};
                         },
                         std::nullopt, std::nullopt};

TEST_F(ResumeTest, FailuresCatchesAndTheExecutionTimeoutResumeAtEveryCutPoint) {
  every_cut(kFailures);
}
TEST_F(ResumeTest, FailuresCatchesAndTheExecutionTimeoutResumeInEveryPause) {
  every_pause(kFailures);
}

const Scenario kFailState{R"J({"StartAt":"Try","States":{
  "Try":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
         "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":3,"MaxAttempts":2}],
         "Catch":[{"ErrorEquals":["Fatal"],"ResultPath":"$.e","Next":"Explain"}],"End":true},
  "Explain":{"Type":"Fail","ErrorPath":"$.e.Error","CausePath":"States.Format('at {}', $.at)"}}})J",
                          R"J({"at":"home"})J",
                          [](const TaskRequest& r) -> std::vector<TaskAction> {
                            if (r.retry_count < 2) return {{250, A::kFail, "Temporary", "t"}};
                            return {{0, A::kStarted, "", ""}, {50, A::kFail, "Fatal", "f"}};
                          },
                          std::nullopt, std::nullopt};

TEST_F(ResumeTest, FailStateAfterRetriesResumesAtEveryCutPoint) {
  every_cut(kFailState);
}
TEST_F(ResumeTest, FailStateAfterRetriesResumesInEveryPause) {
  every_pause(kFailState);
}

const Scenario kStopped{R"J({"StartAt":"Go","States":{
  "Go":{"Type":"Pass","Next":"Work"},
  "Work":{"Type":"Task","Resource":"arn:aws:states:::http:invoke","End":true}}})J",
                        "{}", [](const TaskRequest&) { return std::vector<TaskAction>{}; },
                        kStart + 5000, std::nullopt};

TEST_F(ResumeTest, StopExecutionResumesAtEveryCutPoint) {
  every_cut(kStopped);
}
TEST_F(ResumeTest, StopExecutionResumesInEveryPause) {
  every_pause(kStopped);
}

// Fails (a Map iteration), is redriven 10 s later, succeeds: the replay runs through the
// failure and ExecutionRedriven; cut before the failure, the second life fails and redrives
// exactly as the first did.
const Scenario kRedriven{
    R"J({"StartAt":"Fan","States":{
  "Fan":{"Type":"Parallel","Branches":[
    {"StartAt":"Ok","States":{"Ok":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
       "Parameters":{"who":"ok","r.$":"$$.Execution.RedriveCount"},"End":true}}},
    {"StartAt":"Items","States":{"Items":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
       "ItemProcessor":{"StartAt":"Work","States":{
         "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:w",
                 "Parameters":{"v.$":"$","r.$":"$$.Execution.RedriveCount"},"Next":"Nap"},
         "Nap":{"Type":"Wait","Seconds":1,"End":true}}},"End":true}}}],
   "Next":"Done"},
  "Done":{"Type":"Succeed"}}})J",
    R"J({"items":[1,2,3,4]})J",
    [](const TaskRequest& r) -> std::vector<TaskAction> {
      if (r.state_name == "Ok") return {{300, A::kSucceed, R"J("ok")J", ""}};
      const auto& in = r.input.as_object();
      int64_t v = in.find("v")->as_int();
      int64_t redrives = in.find("r")->as_int();
      if (v == 2 && redrives == 0) return {{400, A::kFail, "Bad", "item 2"}};
      return {{100 + 50 * v, A::kSucceed, std::to_string(v * 10), ""}};
    },
    std::nullopt, kStart + 10000};

TEST_F(ResumeTest, RedrivenExecutionResumesAtEveryCutPoint) {
  every_cut(kRedriven);
}
TEST_F(ResumeTest, RedrivenExecutionResumesInEveryPause) {
  every_pause(kRedriven);
}

// JSONata states and variables in both languages: variables assigned before a pause (a Wait, a
// task, a retry back-off) are read after it; Map iterations and Parallel branches read outer
// variables; a Catch assigns; a failure is redriven and the redriven states read the variables
// the first run assigned.
const Scenario kVariables{
    R"J({"StartAt":"Init","States":{
  "Init":{"Type":"Pass","Assign":{"factor":10,"items.$":"$.items","label":"run"},"Next":"Nap"},
  "Nap":{"Type":"Wait","Seconds":2,"Next":"Calc"},
  "Calc":{"Type":"Task","QueryLanguage":"JSONata","Resource":"arn:aws:states:::http:invoke",
          "Arguments":{"f":"{% $factor %}","r":"{% $states.context.Execution.RedriveCount %}"},
          "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"MaxAttempts":2}],
          "Assign":{"calc":"{% $states.result.v %}","factor":"{% $factor + 1 %}"},
          "Output":{"n":"{% $count($items) %}"},"Next":"Fan"},
  "Fan":{"Type":"Map","QueryLanguage":"JSONata","Items":"{% $items %}","MaxConcurrency":2,
         "ItemProcessor":{"StartAt":"Scale","States":{
           "Scale":{"Type":"Task","QueryLanguage":"JSONata",
                    "Resource":"arn:aws:states:::http:invoke",
                    "Arguments":{"v":"{% $states.input * $factor %}","calc":"{% $calc %}"},
                    "Assign":{"mine":"{% $states.result %}"},
                    "Output":"{% $states.result %}","End":true}}},
         "Assign":{"scaled":"{% $states.result %}"},
         "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"caught":"{% $states.errorOutput.Error %}"},
                   "Next":"Report"}],
         "Next":"Report"},
  "Report":{"Type":"Pass","Parameters":{"scaled.$":"$scaled","caught.$":"States.ArrayLength($items)",
            "label.$":"$label"},"End":true}}})J",
    R"J({"items":[1,2,3]})J",
    [](const TaskRequest& r) -> std::vector<TaskAction> {
      if (r.state_name == "Calc") {
        if (r.retry_count == 0) return {{300, A::kFail, "Flaky", "once"}};
        return {{200, A::kSucceed, R"J({"v":7})J", ""}};
      }
      const auto& in = r.input.as_object();
      int64_t v = in.find("v")->as_int();
      return {{100 + 10 * v, A::kSucceed, std::to_string(v + in.find("calc")->as_int()), ""}};
    },
    std::nullopt, std::nullopt};

TEST_F(ResumeTest, VariablesAndJsonataResumeAtEveryCutPoint) {
  every_cut(kVariables);
  EXPECT_EQ(json::serialize(*resumed_->outcome().output),
            R"J({"scaled":[18,29,40],"caught":3,"label":"run"})J");
}
TEST_F(ResumeTest, VariablesAndJsonataResumeInEveryPause) {
  every_pause(kVariables);
}

// A redriven Map iteration reads the variables assigned before the failure.
const Scenario kVariablesRedriven{
    R"J({"QueryLanguage":"JSONata","StartAt":"Init","States":{
  "Init":{"Type":"Pass","Assign":{"base":100},"Next":"Each"},
  "Each":{"Type":"Map","Items":[1,2],"ItemProcessor":{"StartAt":"Work","States":{
     "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:w",
             "Arguments":{"v":"{% $states.input + $base %}",
                          "r":"{% $states.context.Execution.RedriveCount %}"},"End":true}}},
   "Output":"{% $sum($states.result) %}","End":true}}})J",
    "{}",
    [](const TaskRequest& r) -> std::vector<TaskAction> {
      const auto& in = r.input.as_object();
      int64_t v = in.find("v")->as_int();
      if (v == 102 && in.find("r")->as_int() == 0) return {{400, A::kFail, "Bad", "item 2"}};
      return {{100, A::kSucceed, std::to_string(v), ""}};
    },
    std::nullopt, kStart + 10000};

TEST_F(ResumeTest, RedrivenVariablesResumeAtEveryCutPoint) {
  every_cut(kVariablesRedriven);
  EXPECT_EQ(json::serialize(*resumed_->outcome().output), "203");
}

// Values that are different every time ($uuid(), $random()) are what the first life recorded:
// a resumed execution adopts the outputs and variables of the events it replays.
TEST_F(ResumeTest, UnrepeatableValuesSurviveAResume) {
  const Scenario s{R"J({"QueryLanguage":"JSONata","StartAt":"Draw","States":{
      "Draw":{"Type":"Pass","Assign":{"id":"{% $uuid() %}","r":"{% $random() %}"},
              "Output":{"first":"{% $uuid() %}"},"Next":"Nap"},
      "Nap":{"Type":"Wait","Seconds":5,"Next":"Show"},
      "Show":{"Type":"Pass","Output":"{% [$id, $r, $states.input.first] %}","End":true}}})J",
                   "{}", no_tasks(), std::nullopt, std::nullopt};
  Run got = crash_at_and_resume(s, kStart + 2500);
  ASSERT_TRUE(got.outcome.has_value());
  ASSERT_EQ(got.outcome->status, ExecutionStatus::kSucceeded);
  const HistoryEvent& drawn = got.events[2];  // PassStateExited of Draw, stored by the first life
  ASSERT_EQ(drawn.type, HistoryEventType::kPassStateExited);
  const json::Object& vars = drawn.details.as_object().find("assignedVariables")->as_object();
  auto recorded_output = json::parse(drawn.details.as_object().find("output")->as_string());
  std::string expected = "[" + vars.find("id")->as_string() + "," + vars.find("r")->as_string() +
                         "," + json::serialize(*recorded_output->as_object().find("first")) + "]";
  EXPECT_EQ(json::serialize(*got.outcome->output), expected);
}

// A path chosen by the clock or by chance is the same path after a restart: the replay evaluates
// $now(), $millis() and $random() to what they gave the first life, so the Choice takes the branch
// the history recorded and the Wait ends when it was recorded to end.
const Scenario kChance{
    R"J({"QueryLanguage":"JSONata","StartAt":"Draw","States":{
  "Draw":{"Type":"Pass","Assign":{"coins":"{% [1..8].($random() < 0.5) %}","at":"{% $millis() %}",
          "order":"{% $shuffle([1,2,3,4,5,6]) %}"},"Next":"Nap"},
  "Nap":{"Type":"Wait","Seconds":"{% $round($random() * 3) + 1 %}","Next":"Pick"},
  "Pick":{"Type":"Choice","Choices":[
     {"Condition":"{% $random() < 0.5 %}","Next":"Heads","Assign":{"side":"heads"}}],
     "Default":"Tails"},
  "Heads":{"Type":"Wait","Timestamp":"{% $fromMillis($millis() + 1500) %}","Next":"Done"},
  "Tails":{"Type":"Wait","Timestamp":"{% $fromMillis($millis() + 2500) %}","Next":"Done"},
  "Done":{"Type":"Pass","Output":{"coins":"{% $coins %}","order":"{% $order %}",
          "id":"{% $uuid() %}","late":"{% $millis() - $at %}"},"End":true}}})J",
    "{}", no_tasks(), std::nullopt, std::nullopt};

TEST_F(ResumeTest, ClockAndChanceResumeAtEveryCutPoint) {
  every_cut(kChance);
}
TEST_F(ResumeTest, ClockAndChanceResumeInEveryPause) {
  every_pause(kChance);
}

}  // namespace
}  // namespace sluice::engine::executor
