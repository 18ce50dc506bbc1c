// Alibaba Cloud IDaaS CIAM (PROVIDERS.md §2). Every authentication call needs the application's
// app token (client_credentials, scope APPLICATION_API), which can drive a login for any user:
// the relay fetches it, caches it until shortly before it expires, renews it once for all
// waiting requests, and adds it to each allowlisted call. The browser never sees it.
import { RelayFailure } from '../failure.js';
import type { IdentifierSpec } from './identifiers.js';
import { field, invalid, jsonBody, okJson, parseJsonObject } from './shared.js';
import type { Backend, BackendContext, Route, UpstreamCall, UpstreamResponse } from './types.js';

export const ALIBABA_BASE = '/api/bff/v1.2/developer/ciam';
const TOKEN_PATH = `${ALIBABA_BASE}/oauth/token`;
/**
 * The code sends and their verification [T]: `type` says which field the backend reads (SMS →
 * `phoneNumber` with `phoneRegion`, default 86; EMAIL → `email`); seed 000.
 */
const FIELD_OF_TYPE = new Map([
  ['SMS', 'phoneNumber'],
  ['EMAIL', 'email'],
]);
const CONTACT: IdentifierSpec = {
  fields: { phoneNumber: 'phone', email: 'email' },
  reads: (body) => FIELD_OF_TYPE.get(field(body, 'type')?.trim().toUpperCase() ?? ''),
  region: (body) => field(body, 'phoneRegion'),
};
/** Password login: the user name may be a phone number or an email [S]. */
const USERNAME: IdentifierSpec = { fields: { username: 'login' }, reads: () => 'username' };
/** Second factor: the flow, which names one person's sign-in. */
const FLOW: IdentifierSpec = { fields: { fId: 'opaque' }, reads: () => 'fId' };

/** Renew this long before `expires_in` runs out (or at half the lifetime when that is shorter). */
const RENEW_MARGIN_S = 60;
/** `expires_in` missing from the token answer: assume this lifetime. [?] the field is not documented for CIAM. */
const DEFAULT_LIFETIME_S = 600;

export interface AlibabaCredentials {
  clientId: string;
  clientSecret: string;
  appTokenIn?: 'query' | 'header';
}

export function alibabaBackend(credentials: AlibabaCredentials): Backend {
  const { clientId, clientSecret } = credentials;
  // The header by default: the seed says `Authorization: Bearer` [S] and the docs "bearerToken"
  // [C]; a token in the query string would land in every upstream access log, and it can sign in
  // any user. The query form (`?access_token=`, what the community SDK sends [T]) stays an option.
  const appTokenIn = credentials.appTokenIn ?? 'header';
  let cached: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  // Tokens this relay has held: never relayed back, even after renewal.
  const issued: string[] = [];

  const routes: Route[] = [
    // Password login [T]+[S]: username, password, optional fId, response_type, captcha fields.
    { method: 'POST', path: `${ALIBABA_BASE}/login/pwd`, kind: 'signin', body: 'json', identifier: USERNAME },
    // One-time codes [T]: type SMS|EMAIL, phoneRegion, phoneNumber or email.
    { method: 'POST', path: `${ALIBABA_BASE}/login/obtain_code`, kind: 'send', body: 'json', identifier: CONTACT },
    { method: 'POST', path: `${ALIBABA_BASE}/login/verify_code`, kind: 'signin', body: 'json', identifier: CONTACT },
    { method: 'POST', path: `${ALIBABA_BASE}/register/obtain_code`, kind: 'send', body: 'json', identifier: CONTACT },
    { method: 'POST', path: `${ALIBABA_BASE}/register/submit`, kind: 'signin', body: 'json', identifier: CONTACT },
    // Password recovery: a code, then the code with `newPassword` [S]; the paths are [?] (the
    // adapter's RECOVERY_PATHS in src/providers/alibaba-idaas/codes.ts).
    { method: 'POST', path: `${ALIBABA_BASE}/forget/obtain_code`, kind: 'send', body: 'json', identifier: CONTACT },
    { method: 'POST', path: `${ALIBABA_BASE}/forget/submit`, kind: 'signin', body: 'json', identifier: CONTACT },
    // Social login completion [T]+[S]: enterpriseAuthId, code, state.
    { method: 'POST', path: `${ALIBABA_BASE}/login/social`, kind: 'signin', body: 'json' },
    // Second factor [T]: both steps name the flow by fId, which is what we limit on.
    { method: 'POST', path: `${ALIBABA_BASE}/prepare_second_factor`, kind: 'send', body: 'json', identifier: FLOW },
    { method: 'POST', path: `${ALIBABA_BASE}/verify_second_factor`, kind: 'signin', body: 'json', identifier: FLOW },
    // What the login form should show [C], and the image captcha [T].
    { method: 'GET', path: `${ALIBABA_BASE}/config/loginpage`, kind: 'other', body: 'none', query: ['idaasAppId', 'userType'] },
    { method: 'GET', path: `${ALIBABA_BASE}/captcha`, kind: 'other', body: 'none' },
    // Session refresh: only grant_type=refresh_token, the body rebuilt here with the client
    // credentials (the seed's token parameters; JSON like the client_credentials call [S]).
    {
      method: 'POST',
      path: TOKEN_PATH,
      kind: 'other',
      body: 'json',
      prepare(body) {
        if (field(body, 'grant_type') !== 'refresh_token') throw invalid('Only grant_type=refresh_token is relayed.');
        const refreshToken = field(body, 'refresh_token');
        if (!refreshToken) throw invalid('refresh_token is required.');
        return jsonBody({ client_id: clientId, client_secret: clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken });
      },
    },
  ];

  // The client_credentials call exactly as PROVIDERS.md §2.1 gives it [S + T]: JSON body.
  async function fetchToken(ctx: BackendContext): Promise<string> {
    const call: UpstreamCall = {
      method: 'POST',
      path: TOKEN_PATH,
      headers: new Headers({ 'content-type': 'application/json', accept: 'application/json' }),
      body: jsonBody({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials', scope: 'APPLICATION_API' }).raw,
    };
    // Its own deadline: one renewal serves many requests, so no single browser may cancel it.
    const res = await ctx.fetch(call, ctx.timeoutSignal());
    const parsed = parseJsonObject(res.body);
    // The answer is OAuth-shaped [T]; accept it inside the CIAM `data` envelope too [?].
    const data = parsed && typeof parsed.data === 'object' && parsed.data !== null ? (parsed.data as Record<string, unknown>) : undefined;
    const token = parsed?.access_token ?? data?.access_token;
    if (res.status < 200 || res.status >= 300 || typeof token !== 'string' || !token) {
      throw new RelayFailure('bad_gateway', 'The relay could not authenticate to the backend.');
    }
    const rawLifetime = Number(parsed?.expires_in ?? data?.expires_in);
    const lifetime = Number.isFinite(rawLifetime) && rawLifetime > 0 ? rawLifetime : DEFAULT_LIFETIME_S;
    const margin = Math.min(RENEW_MARGIN_S, lifetime / 2);
    cached = { token, renewAt: Date.now() + (lifetime - margin) * 1000 };
    issued.push(token);
    if (issued.length > 4) issued.shift();
    return token;
  }

  /** The cached token, or the one renewal in flight (started by whoever asked first). */
  async function appToken(ctx: BackendContext): Promise<string> {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    if (!inflight) {
      inflight = fetchToken(ctx).finally(() => {
        inflight = undefined;
      });
      inflight.catch(() => {}); // a renewal nobody awaits any more must not be an unhandled rejection
    }
    return abortable(inflight, ctx.signal);
  }

  function withToken(call: UpstreamCall, token: string): UpstreamCall {
    const headers = new Headers(call.headers);
    const query = new URLSearchParams(call.query);
    // [?] PROVIDERS.md §2.6 q2: which forms the backend accepts is not documented beyond
    // "bearerToken" [C]. RFC 6750 forbids sending both, so one is chosen by `appTokenIn`.
    if (appTokenIn === 'header') headers.set('authorization', `Bearer ${token}`);
    else query.set('access_token', token);
    return { ...call, headers, query };
  }

  return {
    routes,
    headers: [],
    secrets: () => [clientSecret, ...issued],
    // The CIAM envelope says `success: true` [C], also when a next step (2FA) follows.
    signInAccepted: (answer) => okJson(answer)?.success === true,
    async send(call, ctx) {
      if (call.path === TOKEN_PATH) return ctx.fetch(call); // refresh: credentials are in the body
      const token = await appToken(ctx);
      const first = await ctx.fetch(withToken(call, token));
      if (!tokenRefused(first)) return first;
      // The backend no longer takes the token (revoked, rotated, clock skew): renew once, retry once.
      if (cached?.token === token) cached = undefined;
      const renewed = await appToken(ctx);
      const second = await ctx.fetch(withToken(call, renewed));
      // Still refused: the relay's own credential is at fault, not the person's, so the browser
      // must not read it as an expired session.
      if (tokenRefused(second)) throw new RelayFailure('bad_gateway', 'The relay could not authenticate to the backend.');
      return second;
    },
  };
}

/** 401, or the OAuth `invalid_token` error [C]. The CIAM envelope's code for it is [?]. */
function tokenRefused(res: UpstreamResponse): boolean {
  if (res.status === 401) return true;
  return parseJsonObject(res.body)?.error === 'invalid_token';
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
