// Small helpers for answering and reading standard Requests.

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

/** Reads a JSON body; `undefined` when it is missing or not JSON (the emulation answers its own error). */
export async function readJson(request: Request): Promise<Record<string, unknown> | undefined> {
  try {
    const value = await request.json();
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a form-encoded body as a plain object of strings. */
export async function readForm(request: Request): Promise<Record<string, string>> {
  try {
    return Object.fromEntries(new URLSearchParams(await request.text()));
  } catch {
    return {};
  }
}
