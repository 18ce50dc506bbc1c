// Node-side "human" for OIDC browser flows: follows redirects by hand with fetch, keeps cookies,
// fills the login form of demo/server/oidc.ts, and posts oidc-provider's logout form.

/** Minimal cookie jar: name/value/path per host, enough for an OP on 127.0.0.1/localhost. */
export class CookieJar {
  #cookies = new Map<string, { name: string; value: string; path: string; host: string }>();

  store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = url.pathname.replace(/\/[^/]*$/, '') || '/'; // RFC 6265 default-path
      let expired = value === '';
      for (const attr of attrs) {
        const [k, v = ''] = attr.split('=').map((s) => s.trim());
        if (/^path$/i.test(k)) path = v || '/';
        if (/^max-age$/i.test(k) && Number(v) <= 0) expired = true;
        if (/^expires$/i.test(k) && Date.parse(v) <= Date.now()) expired = true;
      }
      const key = `${url.hostname} ${path} ${name}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path, host: url.hostname });
    }
  }

  header(url: URL): string {
    const matches = (p: string) =>
      url.pathname === p || url.pathname.startsWith(p.endsWith('/') ? p : `${p}/`);
    return [...this.#cookies.values()]
      .filter((c) => c.host === url.hostname && matches(c.path))
      .sort((a, b) => b.path.length - a.path.length) // longer paths first, like browsers
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

export interface FlowOptions {
  /** Share one jar between login and logout to act on the same OP session (like a browser). */
  jar?: CookieJar;
  /** Safety net against redirect loops. Default 20. */
  maxSteps?: number;
}

const decode = (s: string) =>
  s.replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (e[0] !== '#') return named[e.toLowerCase()];
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decode(m[1] ?? m[2] ?? m[3]) : undefined;
};

/** First POST form of a page: resolved action and its named inputs/buttons (name -> value). */
export function parseForm(html: string, pageUrl: string): { action: string; fields: Map<string, string> } | undefined {
  const m = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!m || (attr(m[0], 'method') ?? 'get').toLowerCase() !== 'post') return undefined;
  const fields = new Map<string, string>();
  for (const [tag] of m[1].matchAll(/<(?:input|button)\b[^>]*>/gi)) {
    const name = attr(tag, 'name');
    if (name && !fields.has(name)) fields.set(name, attr(tag, 'value') ?? '');
  }
  return { action: new URL(attr(m[0].slice(0, m[0].indexOf('>') + 1), 'action') ?? pageUrl, pageUrl).href, fields };
}

/** Visible text of the first role=alert element (the login page's error message). */
const alertText = (html: string) =>
  /<[^>]*role="alert"[^>]*>([\s\S]*?)<\//i.exec(html)?.[1]?.trim();

type Page = { url: URL; html: string; status: number };
type Step = { done: string; page?: undefined } | { done?: undefined; page: Page };

/**
 * Follows redirects from `start` until a Location satisfies `isDone` (returned as `done`) or a
 * non-redirect response arrives (returned as `page`).
 */
async function walk(start: string, init: RequestInit, jar: CookieJar, isDone: (u: URL) => boolean, steps: number): Promise<Step> {
  let url = new URL(start);
  let req = init;
  for (let i = 0; i < steps; i++) {
    const headers = new Headers(req.headers);
    const cookie = jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(url, { ...req, headers, redirect: 'manual' });
    jar.store(url, res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      url = new URL(location, url);
      if (isDone(url)) return { done: url.href };
      req = { method: 'GET' }; // 302/303 after POST become GET, as in browsers
      continue;
    }
    return { page: { url, html: await res.text(), status: res.status } };
  }
  throw new Error(`too many redirects starting at ${start}`);
}

const postForm = (fields: Map<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams([...fields]).toString(),
});

function doneWhenLeaving(startUrl: string, target?: string | null) {
  const op = new URL(startUrl).origin;
  // Prefer the exact redirect_uri / post_logout_redirect_uri; otherwise "left the OP origin".
  return (u: URL) => (target ? `${u.origin}${u.pathname}` === target.split(/[?#]/)[0] : u.origin !== op);
}

/**
 * Plays the human on an authorization request: signs in on the login form and returns the
 * final redirect URL to the client's redirect_uri (with `code` + `state`, or `error`).
 * Throws with the page's error text if the credentials are refused or the OP shows an error.
 */
export async function completeOidcLogin(
  authorizeUrl: string,
  credentials: { username: string; password: string },
  options: FlowOptions = {},
): Promise<string> {
  const jar = options.jar ?? new CookieJar();
  const steps = options.maxSteps ?? 20;
  const isDone = doneWhenLeaving(authorizeUrl, new URL(authorizeUrl).searchParams.get('redirect_uri'));
  let step = await walk(authorizeUrl, { method: 'GET' }, jar, isDone, steps);
  let submitted = false;
  while (step.page) {
    const { url, html, status } = step.page;
    const form = parseForm(html, url.href);
    if (!form || !form.fields.has('password')) {
      throw new Error(`unexpected OP page (${status}) at ${url.href}: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
    }
    if (submitted) throw new Error(`login refused: ${alertText(html) ?? 'form shown again'}`);
    form.fields.set('username', credentials.username);
    form.fields.set('password', credentials.password);
    submitted = true;
    step = await walk(form.action, postForm(form.fields), jar, isDone, steps);
  }
  return step.done;
}

/**
 * Follows an end_session URL, submits oidc-provider's logout form (our page auto-submits it in
 * browsers; here it is posted by hand with logout=yes) and returns the post-logout redirect URL.
 */
export async function completeOidcLogout(endSessionUrl: string, options: FlowOptions = {}): Promise<string> {
  const jar = options.jar ?? new CookieJar();
  const steps = options.maxSteps ?? 20;
  const isDone = doneWhenLeaving(endSessionUrl, new URL(endSessionUrl).searchParams.get('post_logout_redirect_uri'));
  let step = await walk(endSessionUrl, { method: 'GET' }, jar, isDone, steps);
  for (let i = 0; step.page; i++) {
    const { url, html, status } = step.page;
    const form = parseForm(html, url.href);
    // No form: the OP's own "signed out" page (no post_logout_redirect_uri was accepted).
    if (!form) {
      if (status === 200 && i > 0) return url.href;
      throw new Error(`unexpected OP page (${status}) at ${url.href}: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
    }
    if (i > 0) throw new Error(`logout form shown again at ${url.href}`);
    form.fields.set('logout', 'yes');
    step = await walk(form.action, postForm(form.fields), jar, isDone, steps);
  }
  return step.done;
}
