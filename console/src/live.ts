// Live updates pushed by the server: one EventSource per page, closed when the page changes.
let current: EventSource | null = null;

export function subscribe(query: string, on: Record<string, (data: any) => void>, onOpen?: () => void): EventSource {
  close();
  const source = new EventSource(`/_sluice/events?${query}`);
  for (const [event, fn] of Object.entries(on)) {
    source.addEventListener(event, (m) => fn(JSON.parse((m as MessageEvent).data)));
  }
  if (onOpen) source.addEventListener("open", onOpen);
  current = source;
  return source;
}

export function close() {
  current?.close();
  current = null;
}
