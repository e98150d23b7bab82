// What happened to each state of an execution, from its history events (GetExecutionHistory's
// shape): when it was entered and exited, its input and output, its task attempts (retries), and
// the error of a failure, caught or not. Events are attributed to a state through their
// previousEventId chain (the branches of a Parallel state interleave).
import type { Outcome } from "./graph";

export interface Step {
  name: string;
  type: string;
  entered: number;
  exited?: number;
  input?: string;
  output?: string;
  attempts: number; // task attempts (Scheduled events); retries = attempts - 1
  entries: number; // times entered (a Map's iterations enter its states once per item)
  error?: string;
  cause?: string;
  outcome: Outcome;
  variables?: Record<string, string>; // Assign: each variable's JSON as the state last set it
  iterations?: Iteration[]; // an inline Map's iterations, by index
  mapRunArn?: string; // a Distributed Map's run
}

// One iteration of an inline Map (MapIteration* events), by index.
export interface Iteration {
  index: number;
  outcome: Outcome;
}

const ITERATION_OUTCOME: Record<string, Outcome> = {
  MapIterationStarted: "running",
  MapIterationSucceeded: "succeeded",
  MapIterationFailed: "failed",
  MapIterationAborted: "cancelled",
};

const seconds = (t: any) => (typeof t === "number" ? t * 1000 : Date.parse(t));

function detailsOf(e: any): any {
  for (const [k, v] of Object.entries(e)) if (k.endsWith("EventDetails")) return v;
  return {};
}

export function steps(events: any[], executionStatus: string): Step[] {
  const owner = new Map<number, string>(); // event id -> state name
  const byName = new Map<string, Step>();
  const order: Step[] = [];
  for (const e of events) {
    const type: string = e.type;
    const d = detailsOf(e);
    if (type.endsWith("StateEntered")) {
      owner.set(e.id, d.name);
      let s = byName.get(d.name);
      if (!s) {
        s = { name: d.name, type: type.replace("StateEntered", ""), entered: seconds(e.timestamp), attempts: 0, entries: 0, outcome: "running" };
        byName.set(d.name, s);
        order.push(s);
      }
      s.entries += 1;
      s.input = d.input;
      s.exited = undefined;
      s.outcome = "running";
      continue;
    }
    if (type.endsWith("StateExited")) {
      owner.set(e.id, d.name);
      const s = byName.get(d.name);
      if (!s) continue;
      s.exited = seconds(e.timestamp);
      s.output = d.output;
      if (d.assignedVariables) s.variables = { ...s.variables, ...d.assignedVariables };
      s.outcome = s.error ? "caught" : "succeeded";
      continue;
    }
    const iteration = ITERATION_OUTCOME[type];
    if (iteration !== undefined) {
      // Named by the Map state itself; an iteration's events chain from its Started event.
      owner.set(e.id, d.name);
      const s = byName.get(d.name);
      if (!s) continue;
      s.iterations ??= [];
      s.iterations[d.index] = { index: d.index, outcome: iteration };
      continue;
    }
    const name = owner.get(e.previousEventId);
    if (name === undefined) continue;
    owner.set(e.id, name);
    const s = byName.get(name)!;
    if (type.endsWith("Scheduled")) s.attempts += 1;
    if (type === "MapRunStarted" && d.mapRunArn) s.mapRunArn = d.mapRunArn;
    if (d.error !== undefined || type.endsWith("Failed") || type.endsWith("TimedOut")) {
      if (d.error !== undefined) s.error = d.error;
      if (d.cause !== undefined) s.cause = d.cause;
      if (type.endsWith("TimedOut") && s.error === undefined) s.error = "States.Timeout";
    }
    // A Map or Parallel fails with no error of its own (its iteration's or branch's is in the
    // Catch's output): the event's type says it failed, so a Catch shows as caught.
    if (type === "MapStateFailed" || type === "ParallelStateFailed") s.error ??= type;
    if (type.endsWith("Succeeded")) {
      // A retried task that finally succeeded: the failure before it was not the outcome.
      s.error = undefined;
      s.cause = undefined;
    }
  }
  const ended = executionStatus !== "RUNNING";
  for (const s of order) {
    if (s.outcome !== "running" || !ended) continue;
    s.outcome = s.error || executionStatus === "FAILED" || executionStatus === "TIMED_OUT" ? "failed" : "cancelled";
  }
  // An iteration still running when the execution ended was cut short.
  for (const s of order) {
    if (!ended || !s.iterations) continue;
    for (const it of s.iterations) if (it && it.outcome === "running") it.outcome = "cancelled";
  }
  // A Fail state "exits" nowhere: it failed the execution.
  for (const s of order) if (s.type === "Fail" && ended) s.outcome = "failed";
  return order;
}

export function outcomes(list: Step[]): Map<string, Outcome> {
  return new Map(list.map((s) => [s.name, s.outcome]));
}
