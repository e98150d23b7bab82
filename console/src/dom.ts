// A few DOM helpers: elements from tags and children, tables that page, the toast.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

export function h(tag: string, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (k === "class") el.className = String(v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: (Child | Child[])[]) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "object" ? c : String(c));
  }
}

export function button(label: string, onclick: () => void | Promise<void>, cls = ""): HTMLElement {
  const b = h("button", { type: "button", class: cls }, label) as HTMLButtonElement;
  b.addEventListener("click", async () => {
    b.disabled = true;
    try {
      await onclick();
    } catch (e) {
      toast(String((e as Error).message ?? e), true);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

export function toast(text: string, error = false) {
  const box = document.getElementById("toast")!;
  const item = h("div", { class: error ? "error" : "" }, text);
  box.append(item);
  setTimeout(() => item.remove(), error ? 8000 : 3000);
}

export function badge(status: string): HTMLElement {
  const s = status.toLowerCase();
  return h("span", { class: `badge s-${s}` }, status.replace(/_/g, " "));
}

export function json(value: unknown): string {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

export function time(ms: number | string | undefined): string {
  if (ms === undefined || ms === null || ms === "") return "";
  const n = typeof ms === "string" ? Number(ms) : ms;
  return new Date(n).toISOString().replace("T", " ").replace("Z", "");
}

// A table of rows shown `size` at a time, with Previous/Next buttons. `rows` may grow: call
// render() again.
export class PagedTable {
  el = h("div");
  page = 0;
  constructor(
    private head: string[],
    private row: (item: any) => HTMLElement,
    private size = 50,
    public rows: any[] = [],
  ) {}
  render(): HTMLElement {
    const pages = Math.max(1, Math.ceil(this.rows.length / this.size));
    this.page = Math.min(this.page, pages - 1);
    const shown = this.rows.slice(this.page * this.size, (this.page + 1) * this.size);
    const table = h(
      "table",
      {},
      h("thead", {}, h("tr", {}, this.head.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, shown.map(this.row)),
    );
    const nav =
      pages > 1
        ? h(
            "div",
            { class: "row" },
            button("Previous", () => this.go(this.page - 1)),
            h("span", {}, `page ${this.page + 1} of ${pages} (${this.rows.length} rows)`),
            button("Next", () => this.go(this.page + 1)),
          )
        : h("div", { class: "muted" }, this.rows.length ? "" : "Nothing here yet.");
    this.el.replaceChildren(table, nav);
    return this.el;
  }
  go(page: number) {
    this.page = Math.max(0, page);
    this.render();
  }
}
