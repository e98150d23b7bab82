// Queues: every queue with its live counts and dead-letter relations; one queue's attributes,
// its messages (peeked, paged, never received), send, purge, and dead-letter redrive.
import { admin, listAll, sqs } from "../api";
import { PagedTable, badge, button, h, json, time, toast } from "../dom";
import { subscribe } from "../live";

const nameOf = (url: string) => decodeURIComponent(url.split("/").pop() ?? "");
const arnName = (arn: string) => arn.split(":").pop() ?? "";

export async function queuesPage(main: HTMLElement) {
  const urls = await listAll((t) => sqs("ListQueues", { MaxResults: 1000, NextToken: t }), "QueueUrls");
  const attrs = new Map<string, any>();
  await Promise.all(
    urls.map(async (u) => {
      const a = await sqs("GetQueueAttributes", { QueueUrl: u, AttributeNames: ["All"] }).catch(() => ({}));
      attrs.set(nameOf(u), a.Attributes ?? {});
    }),
  );
  const counts = new Map<string, any>();
  const table = new PagedTable(
    ["Queue", "Type", "Visible", "In flight", "Delayed", "Dead-letter queue"],
    (name: string) => {
      const a = attrs.get(name) ?? {};
      const c = counts.get(name);
      const dlq = a.RedrivePolicy ? arnName(JSON.parse(a.RedrivePolicy).deadLetterTargetArn) : "";
      return h(
        "tr",
        {},
        h("td", {}, h("a", { href: `#/queues/${encodeURIComponent(name)}` }, name)),
        h("td", {}, a.FifoQueue === "true" ? "FIFO" : "standard"),
        h("td", { class: "num" }, c?.visible ?? a.ApproximateNumberOfMessages ?? ""),
        h("td", { class: "num" }, c?.inFlight ?? a.ApproximateNumberOfMessagesNotVisible ?? ""),
        h("td", { class: "num" }, c?.delayed ?? a.ApproximateNumberOfMessagesDelayed ?? ""),
        h("td", {}, dlq ? h("a", { href: `#/queues/${encodeURIComponent(dlq)}` }, dlq) : ""),
      );
    },
    50,
    urls.map(nameOf).sort(),
  );
  const live = h("span", { class: "live" });
  main.replaceChildren(h("h1", {}, "Queues ", live), table.render());
  subscribe("queues", {
    queues: (d) => {
      for (const q of d.queues) counts.set(q.name, q);
      // Queues created or deleted meanwhile: the server's list (sorted by name) is the truth.
      const names = d.queues.map((q: any) => q.name);
      if (names.join("\n") !== table.rows.join("\n")) table.rows = names;
      live.textContent = `live · ${new Date().toLocaleTimeString()}`;
      table.render();
    },
  });
}

export async function queuePage(main: HTMLElement, name: string) {
  const url = (await sqs("GetQueueUrl", { QueueName: name })).QueueUrl as string;
  const a = (await sqs("GetQueueAttributes", { QueueUrl: url, AttributeNames: ["All"] })).Attributes ?? {};
  const sources = await listAll(
    (t) => sqs("ListDeadLetterSourceQueues", { QueueUrl: url, MaxResults: 1000, NextToken: t }),
    "queueUrls",
  ).catch(() => [] as string[]);
  const countsEl = h("div", { class: "row", "aria-live": "polite" });
  const showCounts = (c: any) =>
    countsEl.replaceChildren(
      h("span", {}, h("strong", {}, "Visible "), String(c.visible)),
      h("span", {}, h("strong", {}, "In flight "), String(c.inFlight)),
      h("span", {}, h("strong", {}, "Delayed "), String(c.delayed)),
    );
  showCounts({
    visible: a.ApproximateNumberOfMessages,
    inFlight: a.ApproximateNumberOfMessagesNotVisible,
    delayed: a.ApproximateNumberOfMessagesDelayed,
  });

  const attrTable = h(
    "table",
    { "aria-label": "Attributes" },
    h("tbody", {}, Object.entries(a).sort().map(([k, v]) => h("tr", {}, h("th", { scope: "row" }, k), h("td", {}, h("pre", {}, json(v)))))),
  );
  const relations = h("div", {});
  if (a.RedrivePolicy) {
    const p = JSON.parse(a.RedrivePolicy);
    const dlq = arnName(p.deadLetterTargetArn);
    relations.append(h("p", {}, "Dead letters go to ", h("a", { href: `#/queues/${encodeURIComponent(dlq)}` }, dlq), ` after ${p.maxReceiveCount} receives.`));
  }
  if (sources.length) {
    relations.append(
      h("p", {}, "Dead-letter queue of: ", ...sources.flatMap((u, i) => [i ? ", " : "", h("a", { href: `#/queues/${encodeURIComponent(nameOf(u))}` }, nameOf(u))])),
    );
  }

  // Messages, peeked through /_sluice/: pages of 50 by the server's nextToken.
  const messages = h("div", {});
  const tokens: (string | undefined)[] = [undefined];
  let page = 0;
  const loadMessages = async () => {
    const after = tokens[page];
    const r = await admin(`queues/${encodeURIComponent(name)}/messages?limit=50${after ? `&after=${after}` : ""}`);
    tokens[page + 1] = r.nextToken;
    const rows = r.messages.map((m: any) =>
      h(
        "tr",
        {},
        h("td", {}, h("code", {}, m.MessageId)),
        h("td", {}, badge(m.State)),
        h("td", {}, h("pre", {}, m.Body.length > 400 ? `${m.Body.slice(0, 400)}…` : m.Body)),
        h("td", { class: "num" }, m.Attributes.ApproximateReceiveCount),
        h("td", {}, time(m.Attributes.SentTimestamp)),
        h("td", {}, h("details", {}, h("summary", {}, "attributes"), h("pre", {}, json({ Attributes: m.Attributes, MessageAttributes: m.MessageAttributes })))),
      ),
    );
    messages.replaceChildren(
      h("table", { "aria-label": "Messages" },
        h("thead", {}, h("tr", {}, ["Message id", "State", "Body", "Receives", "Sent", "More"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, rows)),
      rows.length ? "" : h("p", { class: "muted" }, "No messages."),
      h("div", { class: "row" },
        page > 0 ? button("Previous page", async () => { page -= 1; await loadMessages(); }) : "",
        h("span", {}, `page ${page + 1}`),
        r.nextToken ? button("Next page", async () => { page += 1; await loadMessages(); }) : "",
        button("Refresh", loadMessages),
      ),
    );
  };

  const body = h("textarea", { id: "send-body", "aria-label": "Message body" }) as HTMLTextAreaElement;
  const group = h("input", { id: "send-group", "aria-label": "Message group id", placeholder: "MessageGroupId" }) as HTMLInputElement;
  const fifo = a.FifoQueue === "true";
  const send = h(
    "div",
    { class: "panel" },
    h("label", { for: "send-body" }, "Body"),
    body,
    h("div", { class: "row" },
      fifo ? group : "",
      button("Send message", async () => {
        const input: any = { QueueUrl: url, MessageBody: body.value };
        if (fifo) {
          input.MessageGroupId = group.value || "console";
          if (a.ContentBasedDeduplication !== "true") input.MessageDeduplicationId = String(Date.now());
        }
        const r = await sqs("SendMessage", input);
        toast(`Sent ${r.MessageId}`);
        await loadMessages();
      }, "primary"),
    ),
  );

  const purge = button("Purge queue", async () => {
    if (!confirm(`Delete every message of ${name}?`)) return;
    await sqs("PurgeQueue", { QueueUrl: url });
    toast(`Purged ${name}`);
    await loadMessages();
  }, "danger");

  // Dead-letter redrive (this queue as the DLQ): StartMessageMoveTask and friends.
  const moves = h("div", {});
  const arn = a.QueueArn;
  const loadMoves = async () => {
    const r = await sqs("ListMessageMoveTasks", { SourceArn: arn, MaxResults: 10 }).catch(() => ({ Results: [] }));
    moves.replaceChildren(
      h("table", { "aria-label": "Message move tasks" },
        h("thead", {}, h("tr", {}, ["Status", "Moved", "To move", "Destination", "Started", ""].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, (r.Results ?? []).map((t: any) =>
          h("tr", {},
            h("td", {}, badge(t.Status), t.FailureReason ? h("span", { class: "error" }, ` ${t.FailureReason}`) : ""),
            h("td", { class: "num" }, t.ApproximateNumberOfMessagesMoved ?? 0),
            h("td", { class: "num" }, t.ApproximateNumberOfMessagesToMove ?? ""),
            h("td", {}, t.DestinationArn ? arnName(t.DestinationArn) : "(each message's source)"),
            h("td", {}, time(t.StartedTimestamp)),
            h("td", {}, t.Status === "RUNNING" ? button("Cancel", async () => { await sqs("CancelMessageMoveTask", { TaskHandle: t.TaskHandle }); await loadMoves(); }) : ""),
          )))),
    );
  };
  const redrive = sources.length
    ? h("section", {}, h("h2", {}, "Dead-letter redrive"),
        h("div", { class: "row" },
          button("Start redrive to source queues", async () => { await sqs("StartMessageMoveTask", { SourceArn: arn }); toast("Redrive started"); await loadMoves(); }, "primary"),
          button("Refresh", loadMoves)),
        moves)
    : "";

  main.replaceChildren(
    h("h1", {}, `Queue ${name}`),
    countsEl,
    relations,
    h("div", { class: "row" }, purge),
    h("h2", {}, "Messages"),
    messages,
    h("h2", {}, "Send a message"),
    send,
    redrive,
    h("h2", {}, "Attributes"),
    attrTable,
  );
  await loadMessages();
  if (sources.length) await loadMoves();
  subscribe("queues", {
    queues: (d) => {
      const c = d.queues.find((q: any) => q.name === name);
      if (c) showCounts(c);
      if (sources.length) loadMoves().catch(() => {});
    },
  });
}
