// The fault matrix (issue 20): every flow of every backend, through the client, against each
// fault a backend or the proxy in front of it can produce — 500, a 502 HTML page, 429 with
// Retry-After, no answer (timeout), a reset connection, truncated JSON, an empty body, a 200
// that carries the backend's error. For each: a typed AuthError (sign-out: the local sign-out,
// by design), no uncaught error, the stored session untouched, and no request sent again sooner
// than Retry-After. The happy steps before the faulted request go to the reference server's
// emulations (and the relay where the backend needs one); only the faulted request is diverted
// (test/support/fault-injection.ts). The matrix is printed as a table.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { alibabaIdaasBackend, CLIENT_ID as ALIBABA_CLIENT, CLIENT_SECRET as ALIBABA_SECRET, IDAAS_APP_ID } from '../../demo/server/alibaba-idaas/index.js';
import { cloudbaseBackend } from '../../demo/server/cloudbase/index.js';
import { janrainBackend } from '../../demo/server/janrain/index.js';
import { startOidcServer } from '../../demo/server/oidc.js';
import { tencentCiamBackend } from '../../demo/server/tencent-ciam/index.js';
import { zhuyunIdaasBackend } from '../../demo/server/zhuyun-idaas/index.js';
import type { Backend } from '../../demo/server/kit/index.js';
import { isAuthError, type Adapter, type AuthError, type AuthErrorCode, type PasswordCredentials } from '../../src/contract/index.js';
import { AuthClient } from '../../src/core/client.js';
import { memoryStorage } from '../../src/core/storage.js';
import { createRelay, toNodeHandler, type RelayOptions } from '../../src/relay/index.js';
import { alibabaIdaasProvider } from '../../src/providers/alibaba-idaas/alibaba-idaas.js';
import { cloudbaseProvider } from '../../src/providers/cloudbase/cloudbase.js';
import { janrainProvider } from '../../src/providers/janrain/janrain.js';
import { oidcProvider } from '../../src/providers/oidc/oidc.js';
import { tencentCiamProvider } from '../../src/providers/tencent-ciam/tencent-ciam.js';
import { zhuyunIdaasProvider } from '../../src/providers/zhuyun-idaas/zhuyun-idaas.js';
import { mountBackend } from '../support/backend-harness.js';
import { testEnvironment } from '../support/environment.js';
import { FAULTS, faultyFetch, RETRY_AFTER, startFaultServer, type Fault, type FaultServer } from '../support/fault-injection.js';
import { completeOidcLogin } from '../support/oidc-login.js';

const ORIGIN = 'http://127.0.0.1:5173';
const APP = `${ORIGIN}/app`;
const PASSWORD = 'demo-password';
/**
 * The client's timeout per request in the `timeout` column, which waits this long for an answer
 * that never comes. Every other cell's client waits up to LONG: a bound for a hang, not a guess
 * at how fast the machine is.
 */
const TIMEOUT = 1500;
const LONG = 30_000;

/** What each fault must come out as (the 200 error body: any typed error). */
const EXPECTED: Record<Fault, AuthErrorCode[] | null> = {
  '500': ['server'],
  '502 html': ['server'],
  '429 retry-after': ['rate_limited'],
  timeout: ['timeout'],
  reset: ['network'],
  'truncated json': ['server'],
  'empty body': ['server'],
  '200 error body': null,
};

type Result = { error: AuthError | null };
interface Flow {
  name: string;
  /** The URL of the request that gets the fault. */
  target: string;
  /** Happy steps first (a code sent, a sign-in started); returns what `run` needs. */
  prepare?: (client: AuthClient) => Promise<string | void>;
  run: (client: AuthClient, prepared: string | void) => Promise<Result>;
  /** Sign-out clears the session even when the backend fails: that is what it checks. */
  signOut?: boolean;
  /** Codes this flow may report for a fault besides the usual ones. */
  also?: Partial<Record<Fault, AuthErrorCode[]>>;
}
interface Subject {
  name: string;
  create: () => Adapter;
  /** A session from a real sign-in, as storage holds it. */
  session: string;
  /** The backend's own error envelope, answered with status 200. */
  errorBody: string;
  flows: Flow[];
  close: () => Promise<void>;
}

const closers: Array<() => Promise<void>> = [];
const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
async function relay(provider: 'tencent-ciam' | 'alibaba-idaas' | 'janrain', upstream: string, credentials: { clientId: string; clientSecret: string }) {
  const limits = { perClient: false, perClientOther: false, signInsPerIdentifier: false, sendsPerIdentifier: false } as const;
  const options = { provider, upstream, credentials, allowedOrigins: [ORIGIN], limits } as RelayOptions;
  return listen(createServer(toNodeHandler(createRelay(options))));
}
async function mount(backend: Backend) {
  const mounted = await mountBackend(backend, { policies: { sendIntervalSeconds: 0, accessTokenTtlSeconds: 3600 } });
  closers.push(() => mounted.close());
  return mounted.url;
}
/** Signs in once for real and returns the stored session text. */
async function realSession(create: () => Adapter, signIn: (client: AuthClient) => Promise<Result>): Promise<string> {
  const storage = memoryStorage();
  const { fetch } = faultyFetch({ url: '', close: async () => {} }, ORIGIN);
  const client = new AuthClient({ provider: create(), storage, environment: testEnvironment(APP), autoRefresh: false, http: { fetch } });
  const { error } = await signIn(client);
  client.destroy();
  assert.equal(error, null, 'the real sign-in before the faults');
  return (await storage.getItem(`auth-elements:${client.adapter.key}:session`)) as string;
}
/** `signInWithOAuth` without leaving the page; the state of the callback to come. */
async function started(client: AuthClient, provider?: string): Promise<string> {
  const { data, error } = await client.signInWithOAuth({ provider, options: { skipBrowserRedirect: true } });
  assert.equal(error, null, 'the start of the redirect sign-in');
  return new URL(data.url!).searchParams.get('state')!;
}
const callback = (state: string | void) => `${APP}?code=fault-matrix-code&state=${state}`;
const exchange = (target: string, provider?: string): Flow => ({ name: 'OAuth code exchange', target, prepare: (c) => started(c, provider), run: (c, state) => c.handleRedirectCallback(callback(state)) });
const refresh = (target: string): Flow => ({ name: 'refresh', target, run: (c) => c.refreshSession() });
const getUser = (target: string): Flow => ({ name: 'getUser', target, run: (c) => c.getUser() });
const signOut = (target: string): Flow => ({ name: 'sign-out', target, run: (c) => c.signOut(), signOut: true });
const sendCode = (target: string, phone: string): Flow => ({ name: 'code send', target, run: (c) => c.signInWithOtp({ phone }) });
const verifyCode = (target: string, phone: string): Flow => ({
  name: 'code verify',
  target,
  prepare: async (c) => void assert.equal((await c.signInWithOtp({ phone })).error, null, 'the code send before the verify'),
  run: (c) => c.verifyOtp({ token: '123456' }),
});

/** A backend whose real session comes from a password sign-in, its first flow. */
async function withPassword(name: string, create: () => Adapter, credentials: PasswordCredentials, target: string, errorBody: string, flows: Flow[]): Promise<Subject> {
  const signIn = (c: AuthClient) => c.signInWithPassword(credentials);
  return { name, create, errorBody, close: async () => {}, session: await realSession(create, signIn), flows: [{ name: 'password sign-in', target, run: signIn }, ...flows] };
}

const SUBJECTS: Array<() => Promise<Subject>> = [
  async () => {
    const base = await mount(cloudbaseBackend);
    const api = `${base}/auth/v1`;
    const create = () => cloudbaseProvider({ env: 'demo-env', baseUrl: base, providers: ['github'], deviceId: 'device-faults' });
    return withPassword('cloudbase', create, { username: 'demo', password: PASSWORD }, `${api}/signin`, '{"error":"internal","error_code":13,"error_description":"boom"}', [
      sendCode(`${api}/verification`, '+8613800000000'),
      verifyCode(`${api}/verification/verify`, '+8613800000000'),
      { name: 'sign-up', target: `${api}/verification`, run: (c) => c.signUp({ email: 'faults@example.com', password: 'Passw0rd!' }) },
      refresh(`${api}/token`), signOut(`${api}/revoke`), getUser(`${api}/user/me`), exchange(`${api}/provider/token`, 'github'),
    ]);
  },
  async () => {
    const base = await mount(tencentCiamBackend);
    const relayUrl = await relay('tencent-ciam', base, { clientId: 'ciam-demo-client', clientSecret: 'ciam-demo-secret' });
    const create = () => tencentCiamProvider({ baseUrl: base, relayUrl, clientId: 'ciam-demo-spa', authSourceId: 'pwd-source', smsAuthSourceId: 'sms-source', emailAuthSourceId: 'email-source', redirectUri: APP });
    return withPassword('tencent-ciam', create, { username: 'demo', password: PASSWORD }, `${base}/oauth2/token`, '{"error":"server_error","error_description":"boom"}', [
      sendCode(`${relayUrl}/otp/send`, '+8613800000001'), verifyCode(`${relayUrl}/oauth2/token`, '+8613800000001'),
      refresh(`${base}/oauth2/token`), signOut(`${base}/oauth2/revoke`), getUser(`${base}/oauth2/userinfo`), exchange(`${base}/oauth2/token`),
    ]);
  },
  async () => {
    const upstream = await mount(alibabaIdaasBackend);
    const relayUrl = await relay('alibaba-idaas', upstream, { clientId: ALIBABA_CLIENT, clientSecret: ALIBABA_SECRET });
    const ciam = `${relayUrl}/api/bff/v1.2/developer/ciam`;
    const create = () => alibabaIdaasProvider({ baseUrl: relayUrl, idaasAppId: IDAAS_APP_ID, socialSources: [{ enterpriseAuthId: 'ciamlocalsocial', authorizeUrl: `${upstream}/social-source/authorize` }] });
    const error = 'Operation.Failure.Service.Internal.Error';
    return withPassword('alibaba-idaas', create, { username: 'demo', password: PASSWORD }, `${ciam}/login/pwd`, JSON.stringify({ success: false, code: error, message: error }), [
      sendCode(`${ciam}/login/obtain_code`, '+8613800000020'), verifyCode(`${ciam}/login/verify_code`, '+8613800000020'),
      { name: 'sign-up', target: `${ciam}/register/obtain_code`, run: (c) => c.signUp({ phone: '+8613900000999', password: 'Passw0rd!' }) },
      refresh(`${ciam}/oauth/token`), exchange(`${ciam}/login/social`, 'ciamlocalsocial'),
    ]);
  },
  async () => {
    const base = await mount(zhuyunIdaasBackend);
    const create = () => zhuyunIdaasProvider({ baseUrl: base, clientId: 'zhuyun-demo-client' });
    return withPassword('zhuyun-idaas', create, { phone: '+8613800000010', password: PASSWORD }, `${base}/api/v2/sdk/login/mobile-pwd`, '{"error_code":"SYS.0001","error_msg":"boom"}', []);
  },
  async () => {
    const upstream = await mount(janrainBackend);
    const relayUrl = await relay('janrain', upstream, { clientId: 'janrain-api-client', clientSecret: 'janrain-api-secret' });
    const create = () => janrainProvider({ baseUrl: relayUrl, clientId: 'janrain-login-client', flow: 'standard', flowVersion: '20240101', locale: 'en-US', redirectUri: `${ORIGIN}/account` });
    return withPassword('janrain', create, { email: 'demo@janrain.example', password: PASSWORD }, `${relayUrl}/oauth/auth_native_traditional`, '{"stat":"error","code":500,"error":"unexpected_error","error_description":"boom"}', [
      { name: 'sign-up', target: `${relayUrl}/oauth/register_native_traditional`, run: (c) => c.signUp({ email: 'faults@janrain.example', password: 'Passw0rd!1' }) },
      refresh(`${relayUrl}/oauth/token`),
    ]);
  },
  async () => {
    const server = await startOidcServer({
      clients: [{ clientId: 'spa', redirectUris: [APP], postLogoutRedirectUris: [APP] }],
      users: [{ id: 'alice-id', username: 'alice', password: 'correct horse', email: 'alice@example.com', name: 'Alice' }],
      accessTokenTtl: 3600,
    });
    const create = () => oidcProvider({ issuer: server.issuer, clientId: 'spa', redirectUri: APP });
    const doc = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    const session = await realSession(create, async (c) => {
      const { data } = await c.signInWithOAuth({ options: { skipBrowserRedirect: true } });
      return c.handleRedirectCallback(await completeOidcLogin(data.url!, { username: 'alice', password: 'correct horse' }));
    });
    return {
      name: 'oidc', create, session, close: () => server.close(),
      errorBody: '{"error":"server_error","error_description":"boom"}',
      flows: [
        {
          name: 'discovery (sign-in start)',
          target: `${server.issuer}/.well-known/openid-configuration`,
          run: (c) => c.signInWithOAuth({ options: { skipBrowserRedirect: true } }),
          // A 200 that is no discovery document is what a wrong issuer gives (a site's own page).
          also: { 'truncated json': ['config'], 'empty body': ['config'] },
        },
        refresh(doc.token_endpoint!), signOut(doc.revocation_endpoint!), getUser(doc.userinfo_endpoint!), exchange(doc.token_endpoint!),
      ],
    };
  },
];

let cells = 0;

/** One cell: a fresh client (a fresh page) holding the real session, one flow, one fault. */
async function cell(subject: Subject, flow: Flow, fault: Fault, faults: FaultServer): Promise<string> {
  const storage = memoryStorage();
  const provider = subject.create();
  // Each cell is a page of its own: its own storage key, so no other cell hears it as a tab.
  const storageKey = `fault-cell-${++cells}`;
  const key = `${storageKey}:${provider.key}:session`;
  storage.setItem(key, subject.session);
  const sleeps: number[] = [];
  const { fetch, state } = faultyFetch(faults, ORIGIN);
  const client = new AuthClient({ provider, storage, storageKey, environment: testEnvironment(APP), autoRefresh: false, http: { fetch, timeout: fault === 'timeout' ? TIMEOUT : LONG, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 } });
  try {
    await client.ready;
    const prepared = await flow.prepare?.(client);
    state.armed = { target: flow.target, fault, errorBody: subject.errorBody };
    const { error } = await flow.run(client, prepared);
    assert.ok(state.hits > 0, 'the faulted request was sent');
    // Every request sent again waited out Retry-After first (the http layer's own retries).
    const waited = sleeps.filter((ms) => ms >= RETRY_AFTER * 1000).length;
    if (fault === '429 retry-after') assert.ok(state.hits - 1 <= waited, `${state.hits} requests after ${waited} waits of Retry-After`);
    if (flow.signOut) {
      assert.equal(error, null, 'sign-out reports no error');
      assert.equal(await storage.getItem(key), null, 'the local sign-out happened anyway');
      assert.equal(client.state.status, 'signed-out');
      return 'signed out';
    }
    assert.ok(error && isAuthError(error), `a typed AuthError, got ${String(error)}`);
    const expected = EXPECTED[fault];
    if (expected) assert.ok([...expected, ...(flow.also?.[fault] ?? [])].includes(error.code), `${error.code} (${String(error.providerCode)}), expected ${expected.join(' or ')}`);
    if (fault === '429 retry-after') assert.equal(error.retryAfter, RETRY_AFTER, 'the wait travels with the error');
    assert.equal(await storage.getItem(key), subject.session, 'the stored session is untouched');
    assert.equal(client.state.session?.access_token, JSON.parse(subject.session).access_token, 'the session held is untouched');
    if (flow.name === 'refresh' && fault === '429 retry-after') {
      const hits = state.hits;
      const again = await client.refreshSession();
      await client.getSession();
      assert.equal(again.error?.code, 'rate_limited', 'a refresh during the wait is refused');
      assert.equal(state.hits, hits, 'and sends nothing');
    }
    return `${error.code}${error.retryAfter !== undefined ? ` ${error.retryAfter}s` : ''}`;
  } finally {
    state.armed = null;
    client.destroy();
  }
}

describe('fault matrix: every flow of every backend through the client', () => {
  let faults: FaultServer;
  const rows: Array<{ backend: string; flow: string; cells: Record<string, string> }> = [];
  const uncaught: unknown[] = [];
  const record = (error: unknown) => void uncaught.push(error);
  before(async () => {
    faults = await startFaultServer();
    process.on('unhandledRejection', record);
    process.on('uncaughtException', record);
  });
  after(async () => {
    process.off('unhandledRejection', record);
    process.off('uncaughtException', record);
    await faults.close();
    for (const close of closers.splice(0).reverse()) await close();
    const widths = [Math.max(...rows.map((r) => `${r.backend} · ${r.flow}`.length)), ...FAULTS.map((f) => Math.max(f.length, ...rows.map((r) => r.cells[f]!.length)))];
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(['', 'fault matrix (cell: the AuthError code the client reported)', line(['flow', ...FAULTS]), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line([`${r.backend} · ${r.flow}`, ...FAULTS.map((f) => r.cells[f]!)]))].join('\n'));
  });

  for (const setup of SUBJECTS) {
    test(`backend ${SUBJECTS.indexOf(setup) + 1} of ${SUBJECTS.length}`, async (t) => {
      const subject = await setup();
      closers.push(subject.close);
      t.diagnostic(subject.name);
      const failures: string[] = [];
      const table = subject.flows.map((flow) => ({ flow, row: { backend: subject.name, flow: flow.name, cells: {} as Record<string, string> } }));
      rows.push(...table.map(({ row }) => row));
      const run = (columns: readonly Fault[]) => Promise.all(table.flatMap(({ flow, row }) => columns.map(async (fault) => {
        try {
          row.cells[fault] = await cell(subject, flow, fault, faults);
        } catch (error) {
          row.cells[fault] = `✗ ${(error as Error).message.split('\n')[0]}`.slice(0, 60);
          failures.push(`${subject.name} · ${flow.name} · ${fault}: ${(error as Error).message}`);
        }
      })));
      // The timeout column last, on a quiet server: its short timeout applies to its happy steps too.
      await run(FAULTS.filter((fault) => fault !== 'timeout'));
      await run(['timeout']);
      assert.deepEqual(uncaught, [], 'no uncaught error');
      assert.deepEqual(failures, []);
    });
  }
});
