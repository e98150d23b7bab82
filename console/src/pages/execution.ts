// One execution: its graph coloured and labelled by what each state did, updated live from
// /_sluice/events?execution=ARN; the step table (input, output, variables, timing, retries,
// error); each Map's iterations (inline: by index, paged) or map run (Distributed: its counts and
// child executions, paged); the event history (paged); Stop and Redrive. An Express execution
// (no history) has its own, smaller page (express.ts).
import { sfn } from "../api";
import { PagedTable, badge, button, h, json, time, toast } from "../dom";
import { drawGraph, legend } from "../graph";
import { subscribe } from "../live";
import { type Step, outcomes, steps } from "../steps";
import { expressExecutionPage, isExpressArn } from "./express";
import { executionsTable } from "./machines";

// The status a history event leaves the execution in, for the events that change it.
const STATUS_AFTER: Record<string, string> = {
  ExecutionSucceeded: "SUCCEEDED",
  ExecutionFailed: "FAILED",
  ExecutionTimedOut: "TIMED_OUT",
  ExecutionAborted: "ABORTED",
  ExecutionRedriven: "RUNNING",
};

// An inline Map's iterations, 50 a page: index and outcome (in words and colour).
function iterationTable(): PagedTable {
  return new PagedTable(
    ["Iteration", "Status"],
    (it: any) => h("tr", {}, h("td", { class: "num" }, it.index), h("td", {}, badge(it.outcome))),
    50,
  );
}

function iterationSummary(s: Step): string {
  const counts = new Map<string, number>();
  let n = 0;
  for (const it of s.iterations ?? []) {
    if (!it) continue;
    n += 1;
    counts.set(it.outcome, (counts.get(it.outcome) ?? 0) + 1);
  }
  return `${n} iterations: ${[...counts].map(([k, v]) => `${v} ${k}`).join(", ")}`;
}

// A Distributed Map's run: DescribeMapRun's counts and its child executions (ListExecutions of
// the map run), read when the run appears and again on Refresh or when the execution ends.
function mapRunView(mapRunArn: string): { el: HTMLElement; load: () => Promise<void> } {
  const el = h("div", { class: "panel" });
  const load = async () => {
    const run = await sfn("DescribeMapRun", { mapRunArn });
    const children: any[] = [];
    let token: string | undefined;
    do {
      const page = await sfn("ListExecutions", { mapRunArn, maxResults: 1000, nextToken: token });
      children.push(...page.executions);
      token = page.nextToken;
    } while (token);
    const c = run.executionCounts ?? {};
    el.replaceChildren(
      h("p", {}, h("strong", {}, `Map run ${mapRunArn.split(":").slice(-2).join(":")} `), badge(run.status),
        ` · ${c.total ?? 0} child executions: ${c.succeeded ?? 0} succeeded, ${c.failed ?? 0} failed, ${c.running ?? 0} running, ${c.aborted ?? 0} aborted`),
      h("div", { class: "row" }, button("Refresh map run", load)),
      executionsTable(children).render(),
    );
  };
  return { el, load };
}

export async function executionPage(main: HTMLElement, arn: string) {
  if (isExpressArn(arn)) return expressExecutionPage(main, arn);
  let ex = await sfn("DescribeExecution", { executionArn: arn });
  const forExecution = await sfn("DescribeStateMachineForExecution", { executionArn: arn });
  const def = JSON.parse(forExecution.definition);
  const events = new Map<number, any>();

  const header = h("div", {});
  const graph = h("div", { class: "graph" });
  const stepBox = h("div", {});
  const live = h("span", { class: "live" });
  const history = new PagedTable(
    ["Id", "Type", "Time", "Details"],
    (e: any) => {
      const details = Object.entries(e).find(([k]) => k.endsWith("EventDetails"));
      return h("tr", {},
        h("td", { class: "num" }, e.id),
        h("td", {}, e.type),
        h("td", {}, time(e.timestamp * 1000)),
        h("td", {}, details ? h("details", {}, h("summary", {}, details[0]), h("pre", {}, json(details[1]))) : ""));
    },
    100,
  );
  let selected: string | null = null;
  const iterationBox = h("div", {});
  const iterations = new Map<string, PagedTable>(); // by Map state, kept so a page stays put
  const mapRuns = new Map<string, ReturnType<typeof mapRunView>>();
  let lastStatus = ex.status;

  const renderHeader = () => {
    header.replaceChildren(
      h("h1", {}, `Execution ${ex.name} `, badge(ex.status)),
      h("p", { class: "muted" },
        h("a", { href: `#/state-machines/${encodeURIComponent(ex.stateMachineArn)}` }, ex.stateMachineArn.split(":").pop()),
        ` · started ${time(ex.startDate * 1000)}`, ex.stopDate ? ` · stopped ${time(ex.stopDate * 1000)}` : "",
        ex.redriveCount ? ` · redriven ${ex.redriveCount}×` : ""),
      ex.error ? h("div", { class: "panel error", role: "alert" }, h("strong", {}, ex.error), h("pre", {}, ex.cause ?? "")) : "",
      h("div", { class: "row" },
        ex.status === "RUNNING" ? button("Stop execution", async () => {
          await sfn("StopExecution", { executionArn: arn, error: "Console.Stop", cause: "Stopped from the Sluice console" });
          toast("Stop requested");
        }, "danger") : "",
        ex.status === "FAILED" || ex.status === "TIMED_OUT" || ex.status === "ABORTED" ? button("Redrive", async () => {
          await sfn("RedriveExecution", { executionArn: arn });
          ex = await sfn("DescribeExecution", { executionArn: arn });
          toast("Redriven");
          render();
        }) : "",
        live),
      ex.output !== undefined && ex.status === "SUCCEEDED" ? h("details", {}, h("summary", {}, "Execution output"), h("pre", {}, json(ex.output))) : "",
    );
  };

  const render = () => {
    const list = [...events.values()].sort((a, b) => a.id - b.id);
    const st = steps(list, ex.status);
    renderHeader();
    graph.replaceChildren(drawGraph(def, outcomes(st), (name) => {
      selected = name;
      render();
      document.getElementById(`step-${name}`)?.focus();
    }));
    stepBox.replaceChildren(
      h("table", { "aria-label": "Steps" },
        h("thead", {}, h("tr", {}, ["State", "Type", "Status", "Entered", "Duration", "Retries", "Variables", "Input / output / error"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, st.map((s) =>
          h("tr", { id: `step-${s.name}`, tabindex: "-1", class: s.name === selected ? "selected" : "", "data-state": s.name },
            h("th", { scope: "row" }, s.name),
            h("td", {}, s.type),
            h("td", {}, badge(s.outcome)),
            h("td", {}, time(s.entered)),
            h("td", { class: "num" }, s.exited !== undefined ? `${s.exited - s.entered} ms` : ""),
            h("td", { class: "num" }, Math.max(0, s.attempts - 1)),
            h("td", { class: "vars" }, s.variables
              ? h("dl", {}, Object.entries(s.variables).flatMap(([k, v]) => [h("dt", {}, `$${k}`), h("dd", {}, h("pre", {}, json(v)))]))
              : ""),
            h("td", {},
              s.error ? h("div", { class: "error" }, h("strong", {}, s.error), s.cause ? h("pre", {}, json(s.cause)) : "") : "",
              h("details", { open: s.name === selected }, h("summary", {}, "input"), h("pre", {}, json(s.input ?? ""))),
              s.output !== undefined ? h("details", { open: s.name === selected }, h("summary", {}, "output"), h("pre", {}, json(s.output))) : "",
              s.entries > 1 ? h("div", { class: "muted" }, `entered ${s.entries} times`) : ""),
          )))));
    renderMaps(st);
    history.rows = list;
    history.render();
  };

  const renderMaps = (st: Step[]) => {
    const parts: HTMLElement[] = [];
    for (const s of st) {
      if (s.iterations) {
        let table = iterations.get(s.name);
        if (!table) iterations.set(s.name, (table = iterationTable()));
        table.rows = s.iterations.filter((it) => it);
        parts.push(h("section", { "aria-label": `Iterations of ${s.name}` },
          h("h3", {}, `Map ${s.name}`), h("p", { class: "muted" }, iterationSummary(s)), table.render()));
      }
      if (s.mapRunArn) {
        let view = mapRuns.get(s.mapRunArn);
        if (!view) {
          mapRuns.set(s.mapRunArn, (view = mapRunView(s.mapRunArn)));
          view.load().catch((err) => toast(String(err.message), true));
        }
        parts.push(h("section", { "aria-label": `Map run of ${s.name}` }, h("h3", {}, `Distributed Map ${s.name}`), view.el));
      }
    }
    if (ex.status !== lastStatus) {
      lastStatus = ex.status;
      for (const v of mapRuns.values()) v.load().catch(() => {}); // the children's final counts
    }
    iterationBox.replaceChildren(...(parts.length ? [h("h2", {}, "Map iterations"), ...parts] : []));
  };

  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  };

  main.replaceChildren(header, h("h2", {}, "Graph"), legend(), graph, h("h2", {}, "Steps"), stepBox, iterationBox, h("h2", {}, "Event history"), history.el);
  render();

  // DescribeExecution, unless it is behind the streamed events (their status is not committed
  // yet): then the streamed status stays and it is read again shortly.
  const describe = async (tries = 10): Promise<void> => {
    const d = await sfn("DescribeExecution", { executionArn: arn });
    const last = events.get(Math.max(0, ...events.keys()));
    const streamed = last ? STATUS_AFTER[last.type] : undefined;
    if (streamed && streamed !== d.status && tries > 0) {
      setTimeout(() => describe(tries - 1).catch(() => {}), 300);
      return;
    }
    ex = d;
    schedule();
  };

  // Stream first, then the history so far: an event appended in between comes twice, once.
  const loadHistory = async () => {
    let token: string | undefined;
    do {
      const page = await sfn("GetExecutionHistory", { executionArn: arn, maxResults: 1000, nextToken: token });
      for (const e of page.events) events.set(e.id, e);
      token = page.nextToken;
    } while (token);
    await describe();
    fillHoles();
  };
  // The stream carries events as the server appends them, GetExecutionHistory once they are
  // committed (milliseconds later): an event appended just before the stream opened can be in
  // neither yet. A hole in the ids is read again from the history until it is filled.
  let refill: ReturnType<typeof setTimeout> | null = null;
  const fillHoles = () => {
    const max = Math.max(0, ...events.keys());
    if (events.size >= max || refill) return;
    refill = setTimeout(() => {
      refill = null;
      loadHistory().catch((err) => toast(String(err.message), true));
    }, 100);
  };
  subscribe(
    `execution=${encodeURIComponent(arn)}`,
    {
      history: (e) => {
        events.set(e.id, e);
        fillHoles();
        live.textContent = `live · event ${e.id}`;
        const status = STATUS_AFTER[e.type];
        if (status) {
          // Streamed before DescribeExecution shows it: say it now, read the rest in a moment.
          const d = Object.entries(e).find(([k]) => k.endsWith("EventDetails"))?.[1] as any;
          ex = { ...ex, status, ...(status === "RUNNING" ? {} : { stopDate: e.timestamp, error: d?.error, cause: d?.cause }) };
          setTimeout(() => describe().catch(() => {}), 300);
        }
        schedule();
      },
    },
    () => {
      live.textContent = "live";
      loadHistory().catch((err) => toast(String(err.message), true));
    },
  );
}
