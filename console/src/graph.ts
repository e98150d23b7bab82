// A state machine's definition drawn as a graph, laid out by dagre: states are nodes; Next,
// Default, Choice and Catch transitions are edges (Catch dashed and labelled with its errors);
// a Parallel state is a container of its branches and a Map state a container of its
// iterator, each branch a nested container. Each node is coloured by what happened to it AND
// says it in text (succeeded, failed, ...), so nothing is told by colour alone.
import dagre from "@dagrejs/dagre";

const SVG = "http://www.w3.org/2000/svg";
const NODE_W = 170;
const NODE_H = 46;

export type Outcome = "running" | "succeeded" | "failed" | "caught" | "cancelled";

interface Layout {
  g: any;
  kinds: Map<string, { kind: "state" | "terminal" | "bar"; type?: string; state?: string }>;
  clusters: Map<string, string>; // cluster id -> caption
}

function build(def: any): Layout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  g.setGraph({ rankdir: "TB", nodesep: 30, ranksep: 36, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  const kinds: Layout["kinds"] = new Map();
  const clusters: Layout["clusters"] = new Map();
  let edgeNo = 0;
  const edge = (from: string, to: string, label = "", catchEdge = false) =>
    g.setEdge(from, to, { label, catchEdge, width: label ? label.length * 6 : 0, height: label ? 14 : 0 }, `e${edgeNo++}`);

  // Adds the states of one scope (the machine, a branch, an iterator) inside `parent`; returns
  // the node ids that end the scope (End: true, Succeed, Fail).
  const scope = (body: any, parent: string | undefined, prefix: string): string[] => {
    const states = body?.States ?? {};
    const ends: string[] = [];
    // The node a transition into state `n` points at, and the one its transitions leave from.
    const entry = (n: string) => prefix + n;
    const exitOf = (n: string) => {
      const t = states[n]?.Type;
      return t === "Parallel" || t === "Map" ? `${prefix}${n}\u0000end` : prefix + n;
    };
    for (const [name, st] of Object.entries<any>(states)) {
      const id = prefix + name;
      g.setNode(id, { width: NODE_W, height: NODE_H });
      kinds.set(id, { kind: "state", type: st.Type, state: name });
      if (st.Type === "Parallel" || st.Type === "Map") {
        const box = `${id}\u0000box`;
        g.setNode(box, {});
        clusters.set(box, st.Type === "Map" ? `Map: ${name} (each item)` : `Parallel: ${name}`);
        if (parent) g.setParent(box, parent);
        g.setParent(id, box);
        const end = `${id}\u0000end`;
        g.setNode(end, { width: 60, height: 10 });
        kinds.set(end, { kind: "bar" });
        g.setParent(end, box);
        const branches = st.Type === "Map" ? [st.ItemProcessor ?? st.Iterator] : st.Branches ?? [];
        branches.forEach((b: any, i: number) => {
          const inner = `${id}\u0000branch${i}`;
          g.setNode(inner, {});
          clusters.set(inner, st.Type === "Map" ? "iteration" : `branch ${i + 1}`);
          g.setParent(inner, box);
          if (b?.StartAt) edge(id, prefix + b.StartAt);
          for (const last of scope(b, inner, prefix)) edge(last, end);
        });
      } else if (parent) {
        g.setParent(id, parent);
      }
      const from = exitOf(name);
      if (st.Next) edge(from, entry(st.Next));
      if (st.Type === "Choice") {
        (st.Choices ?? []).forEach((c: any, i: number) => c.Next && edge(from, entry(c.Next), `rule ${i + 1}`));
        if (st.Default) edge(from, entry(st.Default), "default");
      }
      (st.Catch ?? []).forEach((c: any) =>
        c.Next && edge(from, entry(c.Next), `catch ${(c.ErrorEquals ?? []).join(", ")}`, true),
      );
      if (st.End || st.Type === "Succeed" || st.Type === "Fail") ends.push(from);
    }
    return ends;
  };

  g.setNode("\u0000start", { width: 70, height: 28 });
  kinds.set("\u0000start", { kind: "terminal" });
  g.setNode("\u0000end", { width: 70, height: 28 });
  kinds.set("\u0000end", { kind: "terminal" });
  const ends = scope(def, undefined, "");
  if (def?.StartAt) edge("\u0000start", def.StartAt);
  for (const e of ends) edge(e, "\u0000end");
  return { g, kinds, clusters };
}

function el(tag: string, attrs: Record<string, string | number>, parent?: Element): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.append(e);
  return e;
}

function text(parent: Element, x: number, y: number, value: string, cls = "") {
  const t = el("text", { x, y, "text-anchor": "middle", "dominant-baseline": "middle", class: cls }, parent);
  t.textContent = value.length > 26 ? `${value.slice(0, 25)}…` : value;
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  running: "▶ running",
  succeeded: "✓ succeeded",
  failed: "✗ failed",
  caught: "! caught",
  cancelled: "■ cancelled",
};

// Draws `def`; `outcomes` (state name -> outcome) colours and labels the states that ran.
// `onSelect` is called with a state's name when its node is clicked or activated by keyboard.
export function drawGraph(
  def: any,
  outcomes: Map<string, Outcome> = new Map(),
  onSelect?: (state: string) => void,
): SVGSVGElement {
  const { g, kinds, clusters } = build(def);
  dagre.layout(g);
  const { width, height } = g.graph();
  const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "group" }) as SVGSVGElement;
  svg.setAttribute("aria-label", "State machine graph");
  const defs = el("defs", {}, svg);
  const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" }, defs);
  el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#57606a" }, marker);

  for (const [id, caption] of clusters) {
    const n = g.node(id);
    if (!n || n.width === undefined) continue;
    const grp = el("g", { class: "cluster" }, svg);
    el("rect", { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height, rx: 8 }, grp);
    const t = el("text", { x: n.x - n.width / 2 + 8, y: n.y - n.height / 2 + 12 }, grp);
    t.textContent = caption;
  }
  for (const e of g.edges()) {
    const d = g.edge(e);
    const grp = el("g", { class: d.catchEdge ? "edge catch" : "edge" }, svg);
    const pts = d.points as { x: number; y: number }[];
    el("path", { d: pts.map((p, i) => `${i ? "L" : "M"}${p.x},${p.y}`).join(" "), "marker-end": "url(#arrow)" }, grp);
    if (d.label && d.x !== undefined) text(grp, d.x, d.y, d.label);
  }
  for (const id of g.nodes()) {
    const k = kinds.get(id);
    const n = g.node(id);
    if (!k || !n) continue;
    const x = n.x - n.width / 2;
    const y = n.y - n.height / 2;
    if (k.kind === "bar") {
      el("rect", { x, y, width: n.width, height: n.height, rx: 4, fill: "#d0d7de" }, svg);
      continue;
    }
    if (k.kind === "terminal") {
      const grp = el("g", { class: "node s-not-run" }, svg);
      el("rect", { x, y, width: n.width, height: n.height, rx: 14 }, grp);
      text(grp, n.x, n.y, id === "\u0000start" ? "Start" : "End");
      continue;
    }
    const outcome = outcomes.get(k.state!);
    const grp = el("g", { class: `node s-${outcome ?? "not-run"}`, "data-state": k.state! }, svg);
    if (onSelect) {
      grp.setAttribute("tabindex", "0");
      grp.setAttribute("role", "button");
      grp.setAttribute("aria-label", `${k.state} (${k.type}): ${outcome ?? "not run"}`);
      grp.addEventListener("click", () => onSelect(k.state!));
      grp.addEventListener("keydown", (ev) => {
        const key = (ev as KeyboardEvent).key;
        if (key === "Enter" || key === " ") {
          ev.preventDefault();
          onSelect(k.state!);
        }
      });
    }
    el("rect", { x, y, width: n.width, height: n.height, rx: 6 }, grp);
    text(grp, n.x, n.y - 8, k.state!);
    text(grp, n.x, n.y + 10, outcome ? OUTCOME_TEXT[outcome] : k.type ?? "", outcome ? "status" : "muted");
  }
  return svg;
}

export function legend(): HTMLElement {
  const box = document.createElement("div");
  box.className = "legend";
  box.setAttribute("aria-label", "Legend");
  for (const o of Object.keys(OUTCOME_TEXT) as Outcome[]) {
    const s = document.createElement("span");
    s.className = `badge s-${o}`;
    s.textContent = OUTCOME_TEXT[o];
    box.append(s);
  }
  return box;
}
