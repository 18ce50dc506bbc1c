// What the address bar brings back at start-up, read without any flow's code: whether it is a
// redirect's return (only then does the client load its OAuth flow), and a backend's emailed link
// (a password reset, an address to confirm), which becomes its step.
import type { Adapter, PendingStep } from '../contract/index.js';
import type { Environment } from './environment.js';
import type { SessionStore } from './session-store.js';

/** The query of a redirect's return (`code` or `error`), else null. */
export function callbackParams(url: string | null): URLSearchParams | null {
  let params: URLSearchParams;
  try {
    params = new URL(url ?? '').searchParams;
  } catch {
    return null;
  }
  return params.has('code') || params.has('error') ? params : null;
}

/** Whether the address carries parameters a backend may read at start-up (a redirect's return, an emailed link). */
export function hasParameters(url: string | null): boolean {
  try {
    const { search, hash } = new URL(url ?? '');
    return search.length > 1 || hash.length > 1;
  } catch {
    return false;
  }
}

/** A backend's emailed link in the address bar becomes its step; the link's parameters are removed. */
export function readLink(adapter: Adapter, env: Environment, store: SessionStore): void {
  const url = env.url();
  if (!url || !adapter.linkStep) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  const found = adapter.linkStep(parsed);
  if (!found) return;
  for (const name of found.params) parsed.searchParams.delete(name);
  env.replaceUrl(parsed.toString());
  const origin = found.step.kind === 'recovery' ? 'recovery' : 'account';
  store.setPending({ ...found.step, origin } as PendingStep);
}
