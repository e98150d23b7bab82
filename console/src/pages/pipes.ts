// Pipes: each pipe with its source, target and state, and its live counters (messages read,
// filtered out, given back after a failure; batches; executions started or invocations; batches in
// flight) pushed by the server on /_sluice/events?pipes; start and stop.
import { pipes } from "../api";
import { PagedTable, badge, button, h, time, toast } from "../dom";
import { subscribe } from "../live";

const short = (arn: string) => arn?.split(":").pop() ?? "";

// The counters of one pipe as /_sluice/events?pipes sends them, by name.
type Counters = Record<string, number | string>;
const COUNTERS: [string, string][] = [
  ["messagesConsumed", "Messages read"],
  ["messagesFiltered", "Filtered out"],
  ["messagesFailed", "Failed (returned)"],
  ["executionsStarted", "Executions started"],
  ["invocations", "Invocations"],
  ["batchesFailed", "Batches failed"],
  ["batchesInFlight", "In flight"],
];

export async function pipesPage(main: HTMLElement) {
  const all: any[] = [];
  let token: string | undefined;
  do {
    const r = await pipes("GET", `?Limit=100${token ? `&NextToken=${encodeURIComponent(token)}` : ""}`);
    all.push(...(r.Pipes ?? []));
    token = r.NextToken;
  } while (token);
  const counters = new Map<string, Counters>();
  const reload = () => pipesPage(main);
  const stateCell = (p: any) => {
    const c = counters.get(p.Name);
    return badge(String(c?.currentState ?? p.CurrentState ?? ""));
  };
  const table = new PagedTable(
    ["Pipe", "Source", "Target", "State", "Desired", ...COUNTERS.map(([, label]) => label), "Changed", ""],
    (p: any) => {
      const c = counters.get(p.Name);
      const desired = String(c?.desiredState ?? p.DesiredState ?? "");
      const current = String(c?.currentState ?? p.CurrentState ?? "");
      return h("tr", { "data-pipe": p.Name },
        h("th", { scope: "row" }, p.Name),
        h("td", {}, short(p.Source)),
        h("td", {}, short(p.Target)),
        h("td", { "data-counter": "currentState" }, stateCell(p)),
        h("td", {}, desired),
        COUNTERS.map(([key]) => h("td", { class: "num", "data-counter": key }, c ? String(c[key]) : "–")),
        h("td", {}, p.LastModifiedTime ? time(p.LastModifiedTime * 1000) : ""),
        h("td", {},
          current === "STOPPED" || desired === "STOPPED"
            ? button("Start", async () => { await pipes("POST", `/${encodeURIComponent(p.Name)}/start`); toast(`Starting ${p.Name}`); await reload(); })
            : button("Stop", async () => { await pipes("POST", `/${encodeURIComponent(p.Name)}/stop`); toast(`Stopping ${p.Name}`); await reload(); }, "danger")));
    },
    50,
    all,
  );
  const live = h("span", { class: "live" }); // not aria-live: it changes each second
  main.replaceChildren(
    h("h1", {}, "Pipes"),
    h("div", { class: "row" }, button("Refresh", reload), live),
    h("p", { class: "muted" }, "Counters since the server started, pushed by the server each second they change."),
    table.render(),
  );
  // A changed state re-renders the row (its button may change); counters update in place.
  subscribe("pipes", {
    pipes: (d) => {
      let restate = false;
      for (const p of d.pipes as Counters[]) {
        const name = String(p.name);
        const before = counters.get(name);
        if (before && (before.currentState !== p.currentState || before.desiredState !== p.desiredState)) restate = true;
        counters.set(name, p);
        const row = table.el.querySelector(`tr[data-pipe="${CSS.escape(name)}"]`);
        if (!row) continue;
        if (!before) restate = true;
        for (const [key] of COUNTERS) {
          const cell = row.querySelector(`[data-counter="${key}"]`);
          if (cell && cell.textContent !== String(p[key])) cell.textContent = String(p[key]);
        }
      }
      if (restate) table.render();
      live.textContent = `live · ${time(Date.now())}`;
    },
  });
}
