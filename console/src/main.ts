// The console's router: the hash names the page (#/queues, #/queues/NAME, #/state-machines,
// #/state-machines/ARN, #/executions, #/executions/ARN, #/pipes).
import { h } from "./dom";
import { close } from "./live";
import { executionPage } from "./pages/execution";
import { allExecutionsPage, machinePage, machinesPage } from "./pages/machines";
import { pipesPage } from "./pages/pipes";
import { queuePage, queuesPage } from "./pages/queues";

async function route() {
  close();
  const main = document.getElementById("main")!;
  const [section = "queues", arg] = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  for (const a of document.querySelectorAll("header nav a")) {
    if (a.getAttribute("href") === `#/${section}`) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  main.replaceChildren(h("p", { class: "muted" }, "Loading…"));
  try {
    if (section === "queues") await (arg ? queuePage(main, arg) : queuesPage(main));
    else if (section === "state-machines") await (arg ? machinePage(main, arg) : machinesPage(main));
    else if (section === "executions") await (arg ? executionPage(main, arg) : allExecutionsPage(main));
    else if (section === "pipes") await pipesPage(main);
    else main.replaceChildren(h("h1", {}, "Not found"));
    document.title = `${main.querySelector("h1")?.textContent ?? "Sluice"} · Sluice console`;
  } catch (e) {
    main.replaceChildren(h("h1", {}, "Something went wrong"), h("p", { class: "error", role: "alert" }, String((e as Error).message ?? e)));
  }
}

window.addEventListener("hashchange", route);
route();
