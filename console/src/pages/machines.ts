// State machines: the list; one machine's definition as a graph, its versions and aliases, its
// executions (status filter, paged; an EXPRESS machine's from the server's memory), and starting
// an execution with an input editor, on the machine, one of its versions or one of its aliases.
import { listAll, sfn } from "../api";
import { PagedTable, badge, button, h, time, toast } from "../dom";
import { drawGraph } from "../graph";
import { expressExecutions, isExpressArn } from "./express";

export async function machinesPage(main: HTMLElement) {
  const machines = await listAll((t) => sfn("ListStateMachines", { maxResults: 1000, nextToken: t }), "stateMachines");
  const table = new PagedTable(
    ["Name", "Type", "Created"],
    (m: any) =>
      h("tr", {},
        h("td", {}, h("a", { href: `#/state-machines/${encodeURIComponent(m.stateMachineArn)}` }, m.name)),
        h("td", {}, m.type),
        h("td", {}, time(m.creationDate * 1000))),
    50,
    machines,
  );
  main.replaceChildren(h("h1", {}, "State machines"), table.render());
}

export function executionsTable(rows: any[]): PagedTable {
  return new PagedTable(
    ["Execution", "Type", "Status", "Started", "Stopped"],
    (x: any) =>
      h("tr", {},
        h("td", {}, h("a", { href: `#/executions/${encodeURIComponent(x.executionArn)}` }, x.name)),
        h("td", {}, isExpressArn(x.executionArn) ? "Express" : "Standard"),
        h("td", {}, badge(x.status)),
        h("td", {}, time(x.startDate * 1000)),
        h("td", {}, x.stopDate ? time(x.stopDate * 1000) : "")),
    50,
    rows,
  );
}

export function statusFilter(onChange: (status: string) => void): HTMLElement {
  const select = h("select", { id: "status-filter" },
    ["", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"].map((s) => h("option", { value: s }, s || "any status")),
  ) as HTMLSelectElement;
  select.addEventListener("change", () => onChange(select.value));
  return h("label", { for: "status-filter" }, "Status", select);
}

export async function machinePage(main: HTMLElement, arn: string) {
  const m = await sfn("DescribeStateMachine", { stateMachineArn: arn });
  const def = JSON.parse(m.definition);
  const versions = await sfn("ListStateMachineVersions", { stateMachineArn: arn }).catch(() => ({ stateMachineVersions: [] }));
  const aliases = await sfn("ListStateMachineAliases", { stateMachineArn: arn }).catch(() => ({ stateMachineAliases: [] }));

  const express = m.type === "EXPRESS";
  const input = h("textarea", { id: "start-input", "aria-label": "Execution input (JSON)" }, "{}") as HTMLTextAreaElement;
  const execName = h("input", { id: "start-name", placeholder: "name (optional)", "aria-label": "Execution name" }) as HTMLInputElement;
  // What to start: the machine (its latest revision), a version or an alias (a qualified ARN).
  const target = h("select", { id: "start-target", "aria-label": "Start on" },
    h("option", { value: arn }, "latest ($LATEST)"),
    (versions.stateMachineVersions ?? []).map((v: any) =>
      h("option", { value: v.stateMachineVersionArn }, `version ${v.stateMachineVersionArn.split(":").pop()}`)),
    (aliases.stateMachineAliases ?? []).map((a: any) =>
      h("option", { value: a.stateMachineAliasArn }, `alias ${a.stateMachineAliasArn.split(":").pop()}`)),
  ) as HTMLSelectElement;
  const request = () => {
    JSON.parse(input.value); // a clear error before the request
    return { stateMachineArn: target.value, input: input.value, ...(execName.value ? { name: execName.value } : {}) };
  };
  const start = h("div", { class: "panel" },
    h("label", { for: "start-input" }, "Input (JSON)"),
    input,
    h("div", { class: "row" },
      h("label", { for: "start-target" }, "Start on", target),
      execName,
      button("Start execution", async () => {
        const r = await sfn("StartExecution", request());
        if (r.executionArn) location.hash = `#/executions/${encodeURIComponent(r.executionArn)}`;
        else toast(`Started: ${JSON.stringify(r)}`);
      }, "primary"),
      express ? button("Start and wait (StartSyncExecution)", async () => {
        const r = await sfn("StartSyncExecution", request());
        toast(`${r.name}: ${r.status}`);
        location.hash = `#/executions/${encodeURIComponent(r.executionArn)}`;
      }) : ""));

  const list = h("div", {});
  const load = async (status: string) => {
    const rows = express
      ? await expressExecutions(arn, status)
      : await listAll(
          (t) => sfn("ListExecutions", { stateMachineArn: arn, maxResults: 1000, nextToken: t, ...(status ? { statusFilter: status } : {}) }),
          "executions",
        );
    list.replaceChildren(executionsTable(rows).render());
  };
  const graph = h("div", { class: "graph" });
  graph.append(drawGraph(def));
  main.replaceChildren(
    h("h1", {}, `State machine ${m.name}`),
    h("p", { class: "muted" }, `${m.type} · ${m.status} · ${m.stateMachineArn}`),
    h("h2", {}, "Definition"),
    graph,
    h("details", {}, h("summary", {}, "Definition as JSON"), h("pre", {}, JSON.stringify(def, null, 2))),
    (versions.stateMachineVersions ?? []).length || (aliases.stateMachineAliases ?? []).length
      ? h("section", {},
          h("h2", {}, "Versions and aliases"),
          h("ul", {},
            (versions.stateMachineVersions ?? []).map((v: any) => h("li", {}, `version ${v.stateMachineVersionArn.split(":").pop()}`)),
            (aliases.stateMachineAliases ?? []).map((a: any) => h("li", {}, `alias ${a.stateMachineAliasArn.split(":").pop()}`))))
      : "",
    h("h2", {}, "Start an execution"),
    start,
    h("h2", {}, "Executions"),
    express ? h("p", { class: "muted" }, "Express executions are kept in memory only: the running ones and the last 100 that ended.") : "",
    h("div", { class: "row" }, statusFilter(load)),
    list,
  );
  await load("");
}

// Executions of every state machine (Standard ones recorded, Express ones in memory), newest first.
export async function allExecutionsPage(main: HTMLElement) {
  const machines = await listAll((t) => sfn("ListStateMachines", { maxResults: 1000, nextToken: t }), "stateMachines");
  const list = h("div", {});
  const load = async (status: string) => {
    const rows: any[] = await expressExecutions(undefined, status);
    for (const m of machines) {
      if (m.type === "EXPRESS") continue; // ListExecutions does not apply: from memory, above
      rows.push(...(await listAll(
        (t) => sfn("ListExecutions", { stateMachineArn: m.stateMachineArn, maxResults: 1000, nextToken: t, ...(status ? { statusFilter: status } : {}) }),
        "executions",
      )));
    }
    rows.sort((a, b) => b.startDate - a.startDate);
    list.replaceChildren(executionsTable(rows).render());
  };
  main.replaceChildren(h("h1", {}, "Executions"), h("div", { class: "row" }, statusFilter(load)), list);
  await load("");
}
