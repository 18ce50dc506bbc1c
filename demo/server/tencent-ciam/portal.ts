// The hosted portal: GET /oauth2/authorize (PKCE S256 only) [C], its login page and sign-out.
import { escapeHtml as esc, randomToken, readForm, redirect, withParams, type BackendContext } from '../kit/index.js';
import { associatedSource, collections, findApp, isAbnormal, newId, redirectAllowed, type App, type AuthRequest } from './model.js';
import { parseScope } from './protocol.js';
import { checkPassword } from './sign-in.js';

const COOKIE = 'tciam_portal_session';
const AUTH_REQUEST_TTL_MS = 10 * 60 * 1000; // [?]
const CODE_TTL_MS = 5 * 60 * 1000; // [?]
const SESSION_TTL_MS = 8 * 3600 * 1000; // [?]

function html(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
      'x-frame-options': 'DENY',
      ...headers,
    },
  });
}

const STYLE = `body{font:16px system-ui,sans-serif;background:#f3f5f8;margin:0;padding:3rem 1rem;color:#1d2129}
main{max-width:22rem;margin:auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.25rem;margin:0 0 1.25rem}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{box-sizing:border-box;width:100%;padding:.55rem;border:1px solid #c9cdd4;border-radius:4px;font:inherit}
button{margin-top:1.25rem;width:100%;padding:.6rem;border:0;border-radius:4px;background:#0052d9;color:#fff;font:inherit;cursor:pointer}
[role=alert]{color:#b42318;background:#fef3f2;padding:.5rem;border-radius:4px}small{color:#86909c}`;

function page(title: string, inner: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${inner}</main></body></html>`;
}

// [?] not documented: the body of the authorize endpoint's 400 (the Chinese page shows no body).
const badRequestPage = (message: string) => html(400, page('Request error', `<h1>Request error</h1><p role="alert">${esc(message)}</p>`));

function loginPage(ctx: BackendContext, req: AuthRequest, app: App, error?: string, username = ''): string {
  return page(
    'Sign in',
    `<h1>Sign in to ${esc(app.clientId)}</h1>
${error ? `<p role="alert">${esc(error)}</p>` : ''}
<form method="post" action="${esc(`${ctx.baseUrl}/login`)}">
<input type="hidden" name="request_id" value="${esc(req.id)}">
<label for="username">Phone number, email or username</label>
<input id="username" name="username" autocomplete="username" required value="${esc(username)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p><small>Tencent Cloud CIAM (local emulation)</small></p>`,
  );
}

function cookiePath(ctx: BackendContext): string {
  try {
    return new URL(ctx.baseUrl).pathname || '/';
  } catch {
    return '/';
  }
}

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function issueCode(ctx: BackendContext, req: Omit<AuthRequest, 'id' | 'expiresAt'>, userId: string, authTime: number): string {
  const code = randomToken('', 32);
  collections(ctx).codes.put(code, {
    code,
    clientId: req.clientId,
    redirectUri: req.redirectUri,
    codeChallenge: req.codeChallenge,
    userId,
    scope: req.scope,
    nonce: req.nonce,
    authTime,
    expiresAt: ctx.now() + CODE_TTL_MS,
    used: false,
  });
  return code;
}

export function authorize(request: Request, ctx: BackendContext): Response {
  const q = new URL(request.url).searchParams;
  const app = findApp(q.get('client_id') ?? undefined);
  if (!app) return badRequestPage('Invalid client_id');
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!redirectAllowed(app, redirectUri)) return badRequestPage('Invalid redirect_uri');
  const state = q.get('state') ?? undefined;
  const fail = (error: string, description: string) => redirect(withParams(redirectUri, { error, error_description: description, state }));

  if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported');
  if (q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
  const codeChallenge = q.get('code_challenge') ?? '';
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return fail('invalid_request', 'Invalid code_challenge');
  const scope = parseScope(q.get('scope') ?? undefined);
  if (!scope || !scope.split(' ').includes('openid')) return fail('invalid_scope', 'Unsupported scope');
  const authSourceId = q.get('auth_source_id');
  // The portal here offers password sign-in only, so a given auth_source_id must be that one. [?]
  if (authSourceId && !associatedSource(app, authSourceId, 'password')) return fail('invalid_auth_source', 'Auth source and application not associated');
  const prompt = q.get('prompt') ?? '';
  const nonce = q.get('nonce') ?? undefined;
  const base = { clientId: app.clientId, redirectUri, state, nonce, scope, codeChallenge };

  // Already signed in at the portal: straight back with a code [C].
  const { sessions, users, authRequests } = collections(ctx);
  const sid = readCookie(request, COOKIE);
  const session = sid ? sessions.get(sid) : undefined;
  const now = ctx.now();
  const user = session && session.expiresAt > now ? users.get(session.userId) : undefined;
  if (session && user && !isAbnormal(ctx, user) && prompt !== 'login') {
    return redirect(withParams(redirectUri, { code: issueCode(ctx, base, user.id, session.authTime), state }));
  }
  if (prompt === 'none') return fail('login_required', 'Login required');

  const req: AuthRequest = { id: randomToken('', 24), ...base, expiresAt: now + AUTH_REQUEST_TTL_MS };
  authRequests.put(req.id, req);
  for (const old of authRequests.values()) if (old.expiresAt <= now) authRequests.delete(old.id);
  // [?] not documented: the portal login page path.
  return redirect(`${ctx.baseUrl}/login?request_id=${encodeURIComponent(req.id)}`);
}

const expiredPage = () => badRequestPage('This sign-in request is unknown or has expired. Start again from the application.');

export function loginForm(request: Request, ctx: BackendContext): Response {
  const id = new URL(request.url).searchParams.get('request_id') ?? '';
  const req = collections(ctx).authRequests.get(id);
  const app = req && findApp(req.clientId);
  if (!req || !app || req.expiresAt <= ctx.now()) return expiredPage();
  return html(200, loginPage(ctx, req, app));
}

export async function loginSubmit(request: Request, ctx: BackendContext): Promise<Response> {
  const form = await readForm(request);
  const { authRequests, sessions } = collections(ctx);
  const req = authRequests.get(form.request_id ?? '');
  const app = req && findApp(req.clientId);
  if (!req || !app || req.expiresAt <= ctx.now()) return expiredPage();
  const username = (form.username ?? '').slice(0, 320);
  const password = (form.password ?? '').slice(0, 1024);
  if (!username || !password) return html(400, loginPage(ctx, req, app, 'Enter your account and password.', username));
  const result = await checkPassword(ctx, username, password);
  if ('error' in result) {
    const message = result.error === 'abnormal' ? 'This account is locked or frozen. Contact the administrator or try again later.' : 'Incorrect account or password.';
    return html(401, loginPage(ctx, req, app, message, username));
  }
  authRequests.delete(req.id);
  const now = ctx.now();
  const session = { id: newId() + randomToken('', 16), userId: result.user.id, authTime: now, expiresAt: now + SESSION_TTL_MS };
  sessions.put(session.id, session);
  const code = issueCode(ctx, req, result.user.id, now);
  return redirect(withParams(req.redirectUri, { code, state: req.state }), {
    'set-cookie': `${COOKIE}=${session.id}; Path=${cookiePath(ctx)}; HttpOnly; SameSite=Lax; Max-Age=${SESSION_TTL_MS / 1000}`,
  });
}

/** [?] not documented: path and parameters of sign-out (discovery lists an end_session_endpoint). */
export function logout(request: Request, ctx: BackendContext): Response {
  const q = new URL(request.url).searchParams;
  const sid = readCookie(request, COOKIE);
  if (sid) collections(ctx).sessions.delete(sid);
  const clear = { 'set-cookie': `${COOKIE}=; Path=${cookiePath(ctx)}; HttpOnly; SameSite=Lax; Max-Age=0` };
  const target = q.get('post_logout_redirect_uri');
  const app = findApp(q.get('client_id') ?? undefined);
  if (target && app && redirectAllowed(app, target)) return redirect(withParams(target, { state: q.get('state') ?? undefined }), clear);
  return html(200, page('Signed out', '<h1>Signed out</h1><p>You have signed out of the portal.</p>'), clear);
}
