// Property tests (fast-check) over every adapter's reading of answers: whatever a backend (or a
// proxy in front of it) sends — any status, any JSON, shapes that look almost right, tokens
// that are not strings, `javascript:` addresses — an adapter call either resolves to something
// well formed or rejects with an AuthError (or a StepRequired asking for a step). It never
// throws anything else, never yields tokens without an access token, and never hands the client
// an address it would refuse to navigate to. Through the client, no session without a token.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { testEnvironment } from '../../test/support/environment.js';
import { isAuthError, isStep, isStepRequired, type Adapter, type AdapterContext, type Session, type StepRequest } from '../contract/index.js';
import { AuthClient } from '../core/client.js';
import { memoryStorage } from '../core/storage.js';
import { isSession } from '../core/util/session.js';
import { navigableUrl } from '../core/util/url.js';
import { base64url } from '../core/util/pkce.js';
import { createHttp } from '../core/util/http.js';
import { alibabaIdaasProvider } from './alibaba-idaas/alibaba-idaas.js';
import { cloudbaseProvider } from './cloudbase/cloudbase.js';
import { janrainProvider } from './janrain/janrain.js';
import { oidcProvider } from './oidc/oidc.js';
import { tencentCiamProvider } from './tencent-ciam/tencent-ciam.js';
import { zhuyunIdaasProvider } from './zhuyun-idaas/zhuyun-idaas.js';

const BASE = 'https://idp.example';
const RUNS = Number(process.env.PROPERTY_RUNS ?? 120);

// ── arbitrary answers ───────────────────────────────────────────────────────

/** Field names the six backends use, so that generated bodies look almost right. */
const KEYS = [
  'access_token', 'refresh_token', 'id_token', 'expires_in', 'token_type', 'sub', 'user', 'error', 'error_code', 'error_description', 'error_msg', 'code', 'message',
  'stat', 'status', 'success', 'data', 'verification_id', 'verification_token', 'is_user', 'uri', 'provider_token', 'state_token', 'session_token', 'expire',
  'capture_user', 'uuid', 'otp_token', 'flowType', 'fId', 'types', 'captchaCode', 'captchaImage', 'authorization_code', 'remaining_attempts', 'retry_after', 'lockedUntil',
  'issuer', 'authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'end_session_endpoint', 'revocation_endpoint', 'minLength', 'maxLength', 'regEx', 'tip', 'invalid_fields',
  'constructor', '__proto__', 'toString', 'valueOf',
];
const WORDS = ['SUCCESS', 'PASSWORD_WARN', 'PASSWORD_EXPIRED', 'ACCESS_DENIED', 'ok', 'error', 'invalid_grant', 'invalid_password', 'NEED_AGREE_CONSENT', 'javascript:alert(1)', 'https://idp.example/authorize', 'http://evil.example/', '<img src=x onerror=alert(1)>', '', ' ', 'constructor', '__proto__', '(a+)+b'];

const claims = fc.dictionary(fc.constantFrom('sub', 'exp', 'iat', 'nonce', 'api', 'name', 'email', 'phone_number', 'iss', 'constructor'), fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.jsonValue({ maxDepth: 1 })), { maxKeys: 5 });
const jwt = claims.map((c) => `${base64url(new TextEncoder().encode('{"alg":"none"}'))}.${base64url(new TextEncoder().encode(JSON.stringify(c)))}.sig`);
const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(...WORDS), jwt);
const { shaped } = fc.letrec<{ shaped: Record<string, unknown> }>((tie) => ({
  shaped: fc.dictionary(fc.constantFrom(...KEYS), fc.oneof({ depthSize: 'small' }, leaf, tie('shaped'), fc.array(leaf, { maxLength: 3 })), { maxKeys: 8 }),
}));
const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>';
/** The text of an answer: JSON that looks almost right, any JSON, or no JSON at all. */
const text = fc.oneof(
  { weight: 5, arbitrary: shaped.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.jsonValue().map((value) => JSON.stringify(value) ?? '') },
  { weight: 1, arbitrary: shaped.map((value) => JSON.stringify(value).slice(0, -3)) },
  { weight: 1, arbitrary: fc.constantFrom('', HTML, 'null', '[]', '{}', 'OK') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const status = fc.oneof(fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 423, 429, 500, 502, 503), fc.integer({ min: 200, max: 599 }));
const retryAfter = fc.option(fc.oneof(fc.nat().map(String), fc.string({ maxLength: 8 }), fc.constantFrom('1e9', '-5', 'Infinity', 'Wed, 21 Oct 2099 07:28:00 GMT')), { nil: undefined });
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', undefined);

interface Answer { status: number; text: string; headers: Record<string, string> }
const answer = fc.record({ status, text, retryAfter, contentType }).map(({ status, text, retryAfter, contentType }): Answer => ({
  status,
  text,
  headers: { ...(retryAfter === undefined ? {} : { 'retry-after': retryAfter }), ...(contentType ? { 'content-type': contentType } : {}) },
}));
/** What a discovery document may say: right, or with hostile or broken endpoints. */
const endpoint = fc.oneof(fc.constant(`${BASE}/endpoint`), fc.constantFrom('javascript:alert(1)//', 'http://evil.example/x', 'data:text/html,x', '', 'not a url'), fc.string({ maxLength: 10 }));
const discovery = fc.oneof(
  fc.record({ issuer: fc.constant(BASE), authorization_endpoint: endpoint, token_endpoint: endpoint, userinfo_endpoint: fc.option(endpoint, { nil: undefined }), end_session_endpoint: fc.option(endpoint, { nil: undefined }), revocation_endpoint: fc.option(endpoint, { nil: undefined }) })
    .map((doc): Answer => ({ status: 200, text: JSON.stringify(doc), headers: { 'content-type': 'application/json' } })),
  answer,
);
const answers = fc.record({ discovery, rest: fc.array(answer, { minLength: 1, maxLength: 4 }) });
const json = (text: string): Answer => ({ status: 200, text, headers: { 'content-type': 'application/json' } });
/** Answers fast-check once found and that every run tries first (seed -2117817774: a profile with its own `access_token`). */
const KNOWN: Array<[{ discovery: Answer; rest: Answer[] }, string]> = [
  [{ discovery: json(''), rest: [json('{"access_token":[],"sub":"SUCCESS"}'), json('{}')] }, 'en'],
];

/** A `fetch` that answers discovery with its own answer and every other request in turn. */
function replay({ discovery, rest }: { discovery: Answer; rest: Answer[] }): typeof fetch {
  let next = 0;
  return async (input) => {
    const { status, text, headers } = String(input).endsWith('/.well-known/openid-configuration') ? discovery : rest[Math.min(next++, rest.length - 1)]!;
    return new Response(status === 204 || status === 205 || status === 304 ? null : text, { status, headers });
  };
}

/** The client's own http layer (size cap, JSON parsing, retries) over the replay, without waits. */
const httpOver = (given: { discovery: Answer; rest: Answer[] }) => createHttp({ fetch: replay(given), sleep: async () => {}, timeout: 5_000 });

// ── what each adapter is asked ──────────────────────────────────────────────

const SESSION = (provider: Session['provider']): Session => ({ access_token: 'at', token_type: 'Bearer', expires_in: 600, expires_at: Math.floor(Date.now() / 1000) + 600, refresh_token: 'rt', id_token: 'x.e30.s', user: { id: 'u' }, provider });
const AUTHORIZE = { state: 's', nonce: 'n', codeChallenge: 'c', codeChallengeMethod: 'S256' as const, redirectUri: 'https://app.example/cb', source: 'github' };
const EXCHANGE = { code: 'c', codeVerifier: 'v', redirectUri: 'https://app.example/cb', source: 'github', params: new URLSearchParams('code=c&state=s') };
const CREDENTIALS = { username: 'demo', email: 'demo@example.com', phone: '+8613800000000', password: 'pw' };
type Call = (adapter: Adapter, ctx: AdapterContext) => Promise<unknown>;

const common: Record<string, Call> = {
  password: (a, ctx) => a.signInWithPassword!(CREDENTIALS, ctx),
  'send sms': (a, ctx) => a.sendOtp!({ channel: 'sms', phone: '+8613800000000' }, ctx),
  'send email': (a, ctx) => a.sendOtp!({ channel: 'email', email: 'demo@example.com' }, ctx),
  'sign-up': (a, ctx) => a.signUp!({ email: 'new@example.com', password: 'pw' }, ctx),
  authorize: (a, ctx) => a.authorizationUrl!(AUTHORIZE, ctx),
  exchange: (a, ctx) => a.exchangeCode!(EXCHANGE, ctx),
  refresh: (a, ctx) => a.refresh!(SESSION(a.type), ctx),
  'sign-out': (a, ctx) => a.signOut!(SESSION(a.type), { redirectTo: 'https://app.example/' }, ctx),
  'get user': (a, ctx) => a.getUser!(SESSION(a.type), ctx),
  anonymous: (a, ctx) => a.signInAnonymously!(ctx),
  recovery: (a, ctx) => a.startRecovery!({ email: 'demo@example.com' }, ctx),
};
const verify = (context: unknown): Call => (a, ctx) => a.verifyOtp!({ channel: 'sms', context }, '123456', ctx);
const step = <K extends StepRequest['kind']>(s: Extract<StepRequest, { kind: K }>) => s;

const ADAPTERS: Array<[string, () => Adapter, Record<string, Call>]> = [
  ['oidc', () => oidcProvider({ issuer: BASE, clientId: 'spa', redirectUri: AUTHORIZE.redirectUri }), {}],
  ['cloudbase', () => cloudbaseProvider({ env: 'e', baseUrl: BASE, providers: ['github'] }), { verify: verify({ verificationId: 'v', isUser: true, channel: 'sms', phone_number: '+86 13800000000' }), 'verify sign-up': verify({ verificationId: 'v', isUser: false, channel: 'email', email: 'e@x', signUp: { password: 'pw' } }) }],
  ['tencent-ciam', () => tencentCiamProvider({ baseUrl: BASE, clientId: 'c', authSourceId: 'p', smsAuthSourceId: 's', emailAuthSourceId: 'e' }), { verify: verify({ otpToken: 't', channel: 'sms', authSourceId: 's', recipient: '13800000000', autoSignup: false }) }],
  ['alibaba-idaas', () => alibabaIdaasProvider({ baseUrl: BASE, idaasAppId: 'app', socialSources: [{ enterpriseAuthId: 'github', authorizeUrl: `${BASE}/social` }] }), {
    verify: verify({ purpose: 'login', type: 'SMS', phoneRegion: '86', phoneNumber: '13800000000' }),
    'second factor': (a, ctx) => a.verifySecondFactor!(step({ kind: 'second_factor', methods: ['sms'], context: { fId: 'f', types: ['SMS'] } }), '123456', { channel: 'sms', context: { fId: 'f', type: 'SMS' } }, ctx),
    'send second factor': (a, ctx) => a.sendSecondFactor!(step({ kind: 'second_factor', methods: ['sms'], context: { fId: 'f', types: ['SMS'] } }), 'sms', ctx),
    captcha: (a, ctx) => a.newCaptcha!(step({ kind: 'captcha', context: {} }), ctx),
  }],
  ['zhuyun-idaas', () => zhuyunIdaasProvider({ baseUrl: BASE, clientId: 'c' }), {
    'change password': (a, ctx) => a.changePassword!(step({ kind: 'password_change', required: true, context: { stateToken: 's' } }), { oldPassword: 'old', newPassword: 'New-pass1' }, ctx),
    'skip change': (a, ctx) => a.skipPasswordChange!(step({ kind: 'password_change', required: false, context: { stateToken: 's' } }), ctx),
  }],
  ['janrain', () => janrainProvider({ baseUrl: BASE, clientId: 'c', flow: 'standard', flowVersion: '1', locale: 'en-US', redirectUri: 'https://app.example/account' }), {}],
];

/** A user as getUser returns it: an id, and whatever else the profile held (any field name). */
function wellFormedUser(name: string, value: unknown): void {
  assert.equal(typeof value, 'object', `${name}: ${typeof value}`);
  assert.ok(value !== null, `${name}: null`);
  const id = (value as { id?: unknown }).id;
  assert.equal(typeof id, 'string', `${name}: a user id that is not a string`);
  assert.ok((id as string).length > 0, `${name}: an empty user id`);
}

/** What a resolved call may be: checks it, or says what is wrong. */
function wellFormed(name: string, value: unknown): void {
  if (typeof value === 'string') {
    // Only authorizationUrl answers with a string: the address the browser is sent to.
    assert.equal(navigableUrl(value), value, `${name}: a URL the client would refuse`);
    return;
  }
  if (value === null || value === undefined) return;
  assert.equal(typeof value, 'object', `${name}: ${typeof value}`);
  const record = value as Record<string, unknown>;
  if ('redirectUrl' in record && record.redirectUrl !== undefined) navigableUrl(record.redirectUrl);
  if ('kind' in record) {
    assert.ok(isStep(record as unknown as StepRequest), `${name}: a step without a kind`);
    return;
  }
  if ('access_token' in record) {
    assert.equal(typeof record.access_token, 'string', `${name}: access_token ${typeof record.access_token}`);
    assert.ok((record.access_token as string).length > 0, `${name}: an empty access token`);
    if (record.user !== undefined) assert.equal(typeof (record.user as { id?: unknown }).id, 'string', `${name}: user without an id`);
    return;
  }
  if ('channel' in record) {
    assert.ok(record.channel === 'sms' || record.channel === 'email', `${name}: channel ${String(record.channel)}`);
    return;
  }
  if ('id' in record) {
    assert.equal(typeof record.id, 'string', `${name}: a user id that is not a string`);
    return;
  }
  // signOut's `{}`, a captcha step's data and alibaba's loginPageConfig are plain objects.
}

describe('adapters read any answer safely (fast-check)', () => {
  for (const [type, create, extra] of ADAPTERS) {
    const sample = create();
    const calls = Object.entries({ ...common, ...extra }).filter(([, call]) => {
      try {
        void call(sample, { http: async () => { throw new Error('probe'); }, lang: 'en' }).catch(() => {});
        return true;
      } catch {
        return false; // the adapter has no such method
      }
    });
    for (const [name, call] of calls) {
      test(`${type}: ${name}`, async () => {
        await fc.assert(
          fc.asyncProperty(answers, fc.constantFrom('en', 'zh-CN'), async (given, lang) => {
            const adapter = create();
            let value: unknown;
            try {
              value = await call(adapter, { http: httpOver(given), lang: lang as 'en' | 'zh-CN' });
            } catch (error) {
              if (isStepRequired(error)) return assert.ok(isStep(error.step), 'StepRequired without a step');
              assert.ok(isAuthError(error), `${type} ${name} threw ${String((error as Error)?.stack ?? error)}`);
              return;
            }
            // A profile may hold a field named like a token's (a user's own `access_token`): what a
            // getUser answer must be is a user, whatever else it carries.
            (name === 'get user' ? wellFormedUser : wellFormed)(`${type} ${name}`, value);
          }),
          { numRuns: RUNS, examples: KNOWN },
        );
      });
    }
  }
});

describe('through the client: no session without a token (fast-check)', () => {
  for (const [type, create] of ADAPTERS) {
    test(`${type}: password sign-in, refresh and getSession on any answer`, async () => {
      await fc.assert(
        fc.asyncProperty(answers, async (given) => {
          const client = new AuthClient({ provider: create(), storage: memoryStorage(), environment: testEnvironment('https://app.example/'), autoRefresh: false, http: { fetch: replay(given), sleep: async () => {} } });
          try {
            await client.ready;
            const signIn = await client.signInWithPassword(CREDENTIALS);
            const refresh = await client.refreshSession();
            const current = await client.getSession();
            for (const result of [signIn, refresh, current]) {
              if (result.error) assert.ok(isAuthError(result.error), `${type}: an error that is no AuthError`);
              const session = result.data.session;
              if (session) assert.ok(isSession(session) && session.access_token.length > 0, `${type}: ${JSON.stringify(session)}`);
            }
            const state = client.state.session;
            if (state) assert.ok(isSession(state) && state.access_token.length > 0 && state.user.id !== undefined);
          } finally {
            client.destroy();
          }
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    });
  }
});

test('fields that shadow toString or valueOf are read as if absent (a TypeError before)', async () => {
  const hostile = '{"access_token":"at","expires_in":{"toString":0,"valueOf":0},"error_code":{"toString":0,"valueOf":0},"sub":"u"}';
  const http = httpOver({ discovery: { status: 200, text: hostile, headers: { 'content-type': 'application/json' } }, rest: [{ status: 200, text: hostile, headers: { 'content-type': 'application/json' } }] });
  for (const [type, create] of ADAPTERS) {
    const adapter = create();
    if (!adapter.refresh) continue;
    await adapter.refresh(SESSION(adapter.type), { http, lang: 'en' }).then(
      (tokens) => assert.equal(tokens.access_token, 'at', type),
      (error) => assert.ok(isAuthError(error), `${type}: ${String(error)}`),
    );
  }
});
