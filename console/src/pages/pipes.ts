// Pipes: each pipe with its source, target and state; start and stop.
import { pipes } from "../api";
import { PagedTable, badge, button, h, time, toast } from "../dom";

const short = (arn: string) => arn?.split(":").pop() ?? "";

export async function pipesPage(main: HTMLElement) {
  const all: any[] = [];
  let token: string | undefined;
  do {
    const r = await pipes("GET", `?Limit=100${token ? `&NextToken=${encodeURIComponent(token)}` : ""}`);
    all.push(...(r.Pipes ?? []));
    token = r.NextToken;
  } while (token);
  const reload = () => pipesPage(main);
  const table = new PagedTable(
    ["Pipe", "Source", "Target", "State", "Desired", "Changed", ""],
    (p: any) =>
      h("tr", {},
        h("th", { scope: "row" }, p.Name),
        h("td", {}, short(p.Source)),
        h("td", {}, short(p.Target)),
        h("td", {}, badge(p.CurrentState ?? "")),
        h("td", {}, p.DesiredState ?? ""),
        h("td", {}, p.LastModifiedTime ? time(p.LastModifiedTime * 1000) : ""),
        h("td", {},
          p.CurrentState === "STOPPED" || p.DesiredState === "STOPPED"
            ? button("Start", async () => { await pipes("POST", `/${encodeURIComponent(p.Name)}/start`); toast(`Starting ${p.Name}`); await reload(); })
            : button("Stop", async () => { await pipes("POST", `/${encodeURIComponent(p.Name)}/stop`); toast(`Stopping ${p.Name}`); await reload(); }, "danger"))),
    50,
    all,
  );
  main.replaceChildren(h("h1", {}, "Pipes"), h("div", { class: "row" }, button("Refresh", reload)), table.render());
}
