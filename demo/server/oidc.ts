// A standards OpenID Connect provider for local development and tests, built on oidc-provider.
// Public (SPA) clients only: authorization code + PKCE S256, refresh tokens with rotation,
// RP-initiated logout, our own dependency-free login page, no consent screen.
import { createHash, generateKeyPair, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { isLoopbackOrigin, isLoopbackUrl } from './loopback.js';

export interface OidcServerOptions {
  host?: string; // default '127.0.0.1'; only loopback addresses are accepted
  port?: number; // default 0 (free port)
  issuerPath?: string; // optional path prefix, default '' (issuer = http://127.0.0.1:PORT)
  clients: Array<{ clientId: string; redirectUris: string[]; postLogoutRedirectUris?: string[] }>;
  allowedOrigins?: string[]; // CORS origins; default: the origins of the clients' redirect URIs
  // Development: any loopback page (127.0.0.1, localhost, [::1]; any port) may call it (CORS), and
  // every client accepts any loopback redirect and post-logout redirect URI (see loopback.ts).
  loopback?: boolean;
  users: Array<{ id: string; username: string; password: string; email?: string; name?: string }>;
  /** Profile and email claims in the id token as well as at /userinfo (default true). */
  idTokenClaims?: boolean;
  accessTokenTtl?: number; // seconds, default 3600
  idTokenTtl?: number; // seconds, default 3600
  refreshTokenTtl?: number; // seconds, default 14 days (absolute: rotation does not extend it)
}

export interface OidcServer { issuer: string; port: number; close(): Promise<void> }

// oidc-provider ships no type declarations (@types/oidc-provider is not installed), so its
// objects are `any` here; the surface we touch is small and covered by the node tests.
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

// Start-up notices that are expected for a dev tool (Node 20 is below oidc-provider's "Jod"
// LTS floor but works; the in-memory adapter is deliberate). Only these exact texts are dropped.
const QUIET = ['Unsupported runtime', 'development-only in-memory adapter'];
function mute(): () => void {
  const { warn, info } = console;
  const filter = (orig: (...a: unknown[]) => void) => (...args: unknown[]) => {
    const first = String(args[0]);
    if (first.includes('oidc-provider') && QUIET.some((q) => first.includes(q))) return;
    orig.apply(console, args);
  };
  console.warn = filter(warn);
  console.info = filter(info);
  return () => Object.assign(console, { warn, info });
}
// Imported once (the runtime notice is printed while the module evaluates, so the filter must
// stay on until the import settles; a shared promise keeps concurrent starts from nesting it).
let providerModule: Promise<Any> | undefined;
const loadProvider = () => (providerModule ??= (async () => {
  const unmute = mute();
  try {
    // @ts-expect-error -- untyped module, see `Any` above
    return (await import('oidc-provider')).default;
  } finally {
    unmute();
  }
})());

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font:16px system-ui,sans-serif;background:#f4f5f7;margin:0;padding:3rem 1rem}
main{max-width:22rem;margin:auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}
button{margin-top:1rem;width:100%;padding:.6rem;font:inherit;cursor:pointer}.error{color:#b00020}small{color:#666}`;

function page(res: ServerResponse, status: number, title: string, body: string, scriptHash?: string) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // No form-action: Chrome applies it to the redirect chain after submit (to the RP origin).
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'${
      scriptHash ? `; script-src '${scriptHash}'` : ''}`,
  });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`);
}

function loginPage(res: ServerResponse, action: string, clientId: string, username = '', error?: string) {
  page(res, 200, 'Sign in', `<h1>Sign in</h1>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="${esc(action)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" value="${esc(username)}" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form><p><small>to ${esc(clientId)}</small></p>`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 16_384) throw new Error('form body too large');
  }
  return new URLSearchParams(body);
}

export async function startOidcServer(options: OidcServerOptions): Promise<OidcServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`oidc dev server only binds loopback, got ${host}`);
  const issuerPath = (options.issuerPath ?? '').replace(/\/+$/, '');
  if (issuerPath && !issuerPath.startsWith('/')) throw new Error('issuerPath must start with "/"');
  const accessTokenTtl = options.accessTokenTtl ?? 3600;
  const idTokenTtl = options.idTokenTtl ?? 3600;
  const refreshTokenTtl = options.refreshTokenTtl ?? 14 * 24 * 3600;
  const allowedOrigins = new Set(options.allowedOrigins
    ?? options.clients.flatMap((c) => c.redirectUris.map((u) => new URL(u).origin)));
  const originAllowed = (origin: string) => allowedOrigins.has(origin) || (options.loopback === true && isLoopbackOrigin(origin));

  // Hash passwords now; afterwards only salt + scrypt hash are kept. Unknown usernames are
  // checked against a dummy hash so both paths cost one scrypt + one timingSafeEqual.
  const users = new Map<string, { id: string; username: string; email?: string; name?: string; salt: Buffer; hash: Buffer }>();
  for (const { password, ...u } of options.users) {
    const salt = randomBytes(16);
    users.set(u.username, { ...u, salt, hash: await scryptAsync(password, salt, 32) });
  }
  const byId = new Map([...users.values()].map((u) => [u.id, u]));
  const dummy = { salt: randomBytes(16), hash: randomBytes(32) };
  async function verify(username: string, password: string) {
    const user = users.get(username);
    const actual = await scryptAsync(password.slice(0, 1024), (user ?? dummy).salt, 32);
    return timingSafeEqual(actual, (user ?? dummy).hash) && user ? user : undefined;
  }

  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };

  const Provider = await loadProvider();
  const config = {
    // oidc-provider accepts http:// redirect URIs (loopback or not) for `web` clients that use
    // the code flow; only implicit-flow web clients are forced to https. No workaround needed.
    clients: options.clients.map((c) => ({
      client_id: c.clientId,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email'], profile: ['name', 'preferred_username'] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    // false: scope claims go into the id_token too, not only /userinfo. The demo page runs it
    // conforming (profile claims only at /userinfo), as providers commonly are.
    conformIdTokenClaims: !(options.idTokenClaims ?? true),
    pkce: { required: () => true }, // oidc-provider 9 only implements S256; plain is rejected
    features: { devInteractions: { enabled: false }, revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId }, rpInitiatedLogout: { logoutSource, postLogoutSuccessSource } },
    // Every code grant gets a refresh token, offline_access or not. Refresh tokens of public
    // clients are rotated on every use by oidc-provider's default rotateRefreshToken policy.
    issueRefreshToken: (_ctx: Any, client: Any) => client.grantTypeAllowed('refresh_token'),
    clientBasedCORS: (_ctx: Any, origin: string) => originAllowed(origin),
    ttl: {
      AccessToken: accessTokenTtl,
      IdToken: idTokenTtl,
      AuthorizationCode: 60,
      Interaction: 3600,
      Session: Math.max(refreshTokenTtl, 14 * 24 * 3600),
      Grant: Math.max(refreshTokenTtl, 14 * 24 * 3600),
      // Rotated tokens inherit the remaining lifetime, so refreshTokenTtl is an absolute cap.
      RefreshToken: (ctx: Any) => ctx?.oidc?.entities.RotatedRefreshToken?.remainingTTL ?? refreshTokenTtl,
    },
    interactions: { url: (_ctx: Any, interaction: Any) => `${issuerPath}/interaction/${interaction.uid}` },
    // Auto-consent for these first-party clients: grant whatever openid scopes/claims are asked.
    async loadExistingGrant(ctx: Any) {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
      let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (grant?.accountId !== oidc.account.accountId) {
        grant = new oidc.provider.Grant({ accountId: oidc.account.accountId, clientId: oidc.client.clientId });
      }
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    async findAccount(_ctx: Any, sub: string) {
      const u = byId.get(sub);
      return u && { accountId: sub, claims: async () => ({ sub, email: u.email, name: u.name, preferred_username: u.username }) };
    },
    async renderError(ctx: Any, out: Record<string, string>) {
      ctx.type = 'html';
      ctx.set('cache-control', 'no-store');
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><h1>${esc(out.error)}</h1><p>${esc(out.error_description)}</p></body></html>`;
    },
  };
  // Listen before constructing the Provider: with port 0 the issuer (which embeds the port)
  // is only known afterwards. The config above does not depend on it.
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}${issuerPath}`;

  const unmute = mute(); // the adapter notice is printed synchronously by the constructor
  let provider: Any;
  try {
    try {
      provider = new Provider(issuer, config);
    } finally {
      unmute();
    }
    // Static clients are only validated on first use; surface bad metadata at start instead.
    for (const c of options.clients) await provider.Client.find(c.clientId);
  } catch (err) {
    server.close(); // do not leave a listening socket keeping the process alive
    throw err;
  }
  if (options.loopback) {
    // RFC 8252 §7.3 lets a native app's loopback redirect take any port; this dev provider goes
    // further and accepts any loopback page, so a page of your own needs no client registration.
    // oidc-provider checks every redirect through these two methods (authorize, token, end-session).
    const proto = provider.Client.prototype;
    const redirect = proto.redirectUriAllowed;
    const logout = proto.postLogoutRedirectUriAllowed;
    proto.redirectUriAllowed = function (this: Any, value: string) {
      return isLoopbackUrl(value) || redirect.call(this, value);
    };
    proto.postLogoutRedirectUriAllowed = function (this: Any, value: string) {
      return isLoopbackUrl(value) || logout.call(this, value);
    };
  }
  provider.on('server_error', (_ctx: Any, err: Error) => console.error('[oidc] server_error', err));

  // oidc-provider asks for a confirmation when the OP session has a user. This is a dev tool,
  // so the page posts itself (logout=yes ends the whole OP session) and keeps a visible button
  // for script-less clients: submit the form (xsrf + logout) to complete the logout.
  async function logoutSource(ctx: Any, form: string) {
    const script = 'document.forms[0].submit()';
    const hash = `sha256-${createHash('sha256').update(script).digest('base64')}`;
    ctx.type = 'html';
    ctx.set('content-security-policy', `default-src 'none'; script-src '${hash}'; style-src 'unsafe-inline'`);
    ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing out</title></head><body>${
      form.replace('</form>', '<input type="hidden" name="logout" value="yes"/><button type="submit" autofocus>Sign out</button></form>')
    }<script>${script}</script></body></html>`;
  }
  async function postLogoutSuccessSource(ctx: Any) {
    ctx.type = 'html';
    ctx.body = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head><body><h1>Signed out</h1></body></html>';
  }

  // Strict CORS: oidc-provider reflects any Origin on discovery/jwks and on preflights; only
  // allowedOrigins may read anything (token/userinfo are also rejected by clientBasedCORS).
  provider.use(async (ctx: Any, next: () => Promise<void>) => {
    await next();
    const origin = ctx.get('origin');
    if (origin && !originAllowed(origin)) {
      for (const h of Object.keys(ctx.response.headers)) if (h.startsWith('access-control-')) ctx.remove(h);
    }
  });

  const callback = provider.callback();
  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action?: string) {
    let details: Any;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return page(res, 400, 'Expired', '<h1>Sign-in expired</h1><p>Go back to the application and start again.</p>');
    }
    if (details.uid !== uid) return page(res, 400, 'Error', '<h1>Interaction mismatch</h1>');
    const { prompt, params } = details;
    const formAction = `${issuerPath}/interaction/${uid}/login`;
    if (prompt.name === 'consent') {
      // Only reached with an explicit prompt=consent; loadExistingGrant already granted all.
      return provider.interactionFinished(req, res, { consent: { grantId: details.grantId } }, { mergeWithLastSubmission: true });
    }
    if (req.method === 'GET' && !action) return loginPage(res, formAction, params.client_id, params.login_hint);
    if (req.method !== 'POST' || action !== 'login') return page(res, 405, 'Error', '<h1>Method not allowed</h1>');
    const form = await readForm(req);
    const username = form.get('username') ?? '';
    const user = await verify(username, form.get('password') ?? '');
    if (!user) return loginPage(res, formAction, params.client_id, username, 'Invalid username or password.');
    return provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
  }

  handler = (req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0];
    if (issuerPath && path !== issuerPath && !path.startsWith(`${issuerPath}/`)) {
      res.writeHead(404).end();
      return;
    }
    const m = /^\/interaction\/([\w-]+)(?:\/(\w+))?$/.exec(path.slice(issuerPath.length));
    if (m) {
      interaction(req, res, m[1], m[2]).catch((err) => {
        console.error('[oidc] interaction error', err);
        if (!res.headersSent) page(res, 500, 'Error', '<h1>Internal error</h1>');
      });
      return;
    }
    // Mounting under a prefix: oidc-provider derives its mount path from originalUrl vs url.
    if (issuerPath) {
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(issuerPath.length) || '/';
    }
    callback(req, res);
  };

  return {
    issuer,
    port,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections(); // keep-alive sockets (fetch/undici) would otherwise linger
    }),
  };
}
