// Express executions: AWS keeps no history of them and Sluice keeps them in memory only (the
// running ones and the last 100 that ended: GET /_sluice/express-executions). The page shows what
// DescribeExecution would (status, input, output, error) and the machine's graph, and turns to the
// outcome when the server pushes `ended` on /_sluice/events?execution=ARN.
import { admin, sfn } from "../api";
import { badge, h, json, time } from "../dom";
import { drawGraph } from "../graph";
import { subscribe } from "../live";

export const isExpressArn = (arn: string) => arn.split(":")[5] === "express";

export async function expressExecutions(stateMachineArn?: string, status?: string): Promise<any[]> {
  const all = (await admin("express-executions")).executions as any[];
  return all.filter((x) => (!stateMachineArn || x.stateMachineArn === stateMachineArn) && (!status || x.status === status));
}

export async function expressExecutionPage(main: HTMLElement, arn: string) {
  let ex = await admin(`express-executions/${encodeURIComponent(arn)}`);
  const machine = await sfn("DescribeStateMachine", { stateMachineArn: ex.stateMachineArn });
  const header = h("div", {});
  const live = h("span", { class: "live" });
  const render = () => {
    header.replaceChildren(
      h("h1", {}, `Execution ${ex.name} `, badge(ex.status)),
      h("p", { class: "muted" },
        "Express · ",
        h("a", { href: `#/state-machines/${encodeURIComponent(ex.stateMachineArn)}` }, ex.stateMachineArn.split(":").pop()),
        ` · started ${time(ex.startDate * 1000)}`, ex.stopDate ? ` · stopped ${time(ex.stopDate * 1000)}` : "", " ", live),
      h("p", { class: "muted" },
        "An Express execution keeps no event history (as in AWS): Sluice shows it while it runs and ",
        "the last 100 that ended, from memory, until the server restarts."),
      ex.error ? h("div", { class: "panel error", role: "alert" }, h("strong", {}, ex.error), h("pre", {}, ex.cause ?? "")) : "",
      h("details", { open: true }, h("summary", {}, "Input"), h("pre", {}, json(ex.input ?? ""))),
      ex.output !== undefined ? h("details", { open: true }, h("summary", {}, "Output"), h("pre", {}, json(ex.output))) : "",
    );
  };
  const graph = h("div", { class: "graph" }, drawGraph(JSON.parse(machine.definition)));
  render();
  main.replaceChildren(header, h("h2", {}, "Definition"), graph);
  if (ex.status === "RUNNING") {
    subscribe(`execution=${encodeURIComponent(arn)}`, {
      ended: (d) => {
        ex = d;
        live.textContent = "";
        render();
      },
    }, () => {
      if (ex.status === "RUNNING") live.textContent = "live · waiting for it to end";
    });
  }
}
