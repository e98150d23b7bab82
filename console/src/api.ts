// The console's only way to the server: the AWS JSON APIs (SQS JSON 1.0, Step Functions JSON
// 1.0, Pipes REST) on the same origin, and /_sluice/ for what they do not give (peeking
// messages, live events). No state is written any other way.

export class ApiError extends Error {
  constructor(public code: string, message: string) {
    super(`${code}: ${message}`);
  }
}

async function answer(r: Response): Promise<any> {
  const text = await r.text();
  const body = text ? JSON.parse(text) : {};
  if (!r.ok) {
    const code = String(body.__type ?? body.error ?? r.status).split("#").pop() as string;
    throw new ApiError(code, body.message ?? body.Message ?? r.statusText);
  }
  return body;
}

async function json10(target: string, input: object): Promise<any> {
  const r = await fetch("/", {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": target },
    body: JSON.stringify(input),
  });
  return answer(r);
}

export const sqs = (action: string, input: object = {}) => json10(`AmazonSQS.${action}`, input);
export const sfn = (action: string, input: object = {}) =>
  json10(`AWSStepFunctions.${action}`, input);

export async function pipes(method: string, path: string, input?: object): Promise<any> {
  const r = await fetch(`/v1/pipes${path}`, {
    method,
    headers: input ? { "content-type": "application/json" } : {},
    body: input ? JSON.stringify(input) : undefined,
  });
  return answer(r);
}

export async function admin(path: string, method = "GET"): Promise<any> {
  return answer(await fetch(`/_sluice/${path}`, { method }));
}

// Every page of a paginated AWS List action, concatenated.
export async function listAll(
  call: (token?: string) => Promise<any>,
  member: string,
  token = "NextToken",
  nextMember = "nextToken",
): Promise<any[]> {
  const out: any[] = [];
  let next: string | undefined;
  do {
    const page = await call(next);
    out.push(...(page[member] ?? []));
    next = page[nextMember] ?? page[token];
  } while (next);
  return out;
}
