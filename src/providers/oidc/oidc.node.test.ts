import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOidcServer, type OidcServer } from '../../../demo/server/oidc.js';
import { completeOidcLogin, completeOidcLogout } from '../../../test/support/oidc-login.js';
import { fakeClock } from '../../../test/support/clock.js';
import { testEnvironment, until } from '../../../test/support/environment.js';
import type { AuthChangeEvent, AuthError } from '../../contract/index.js';
import { AuthClient } from '../../core/client.js';
import { createHttp } from '../../core/util/http.js';
import { memoryStorage, type StorageAdapter } from '../../core/storage.js';
import { oidcProvider } from './oidc.js';

const APP = 'http://127.0.0.1:5199/app';
const CALLBACK = 'http://127.0.0.1:5199/callback';
const alice = { username: 'alice', password: 'correct horse' };

describe('oidc provider against oidc-provider', () => {
  let server: OidcServer;
  before(async () => {
    server = await startOidcServer({
      clients: [{ clientId: 'spa', redirectUris: [CALLBACK], postLogoutRedirectUris: [APP] }],
      users: [{ id: 'alice-id', username: 'alice', password: alice.password, email: 'alice@example.com', name: 'Alice' }],
      accessTokenTtl: 4,
    });
  });
  after(() => server.close());

  function client(options: { storage?: StorageAdapter; url?: string; issuer?: string } = {}) {
    const env = testEnvironment(options.url ?? APP);
    const events: AuthChangeEvent[] = [];
    const c = new AuthClient({
      provider: oidcProvider({ issuer: options.issuer ?? server.issuer, clientId: 'spa', redirectUri: CALLBACK }),
      storage: options.storage ?? memoryStorage(),
      environment: env,
      autoRefresh: false,
    });
    c.onAuthStateChange((event) => void events.push(event));
    return { client: c, env, events };
  }

  async function signIn(storage = memoryStorage()) {
    const first = client({ storage });
    const started = await first.client.signInWithOAuth();
    assert.equal(started.error, null);
    const callback = await completeOidcLogin(first.env.navigations[0]!, alice);
    first.client.destroy();
    return { storage, callback, authorizeUrl: first.env.navigations[0]! };
  }

  test('redirect: the authorization URL carries PKCE S256, state and nonce', async () => {
    const { client: c, env } = client();
    const { data } = await c.signInWithOAuth();
    assert.equal(env.navigations[0], data.url);
    const url = new URL(data.url!);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.match(url.searchParams.get('code_challenge')!, /^[\w-]{43}$/);
    assert.match(url.searchParams.get('state')!, /^[\w-]{43}$/);
    assert.match(url.searchParams.get('nonce')!, /^[\w-]{43}$/);
    assert.equal(url.searchParams.get('redirect_uri'), CALLBACK);
    c.destroy();
  });

  test('return to the callback: the session is made on start-up and the URL cleaned', async () => {
    const { storage, callback } = await signIn();
    const back = client({ storage, url: callback });
    await back.client.ready;
    await until(() => back.events.length >= 2);
    assert.deepEqual(back.events, ['INITIAL_SESSION', 'SIGNED_IN']);
    const session = back.client.state.session!;
    assert.equal(session.user.id, 'alice-id');
    assert.equal(session.user.email, 'alice@example.com');
    assert.equal(session.provider, 'oidc');
    assert.equal(session.expires_in, 4);
    assert.ok(session.refresh_token && session.id_token);
    const cleaned = new URL(back.env.current!);
    assert.equal(cleaned.searchParams.get('code'), null);
    assert.equal(cleaned.searchParams.get('state'), null);
    back.client.destroy();
  });

  test('a replayed state is refused with an AuthError', async () => {
    const { storage, callback } = await signIn();
    const first = client({ storage });
    assert.equal((await first.client.handleRedirectCallback(callback)).error, null);
    const again = await first.client.handleRedirectCallback(callback);
    assert.equal(again.error?.code, 'invalid_request');
    assert.equal(again.error?.providerCode, 'state_replayed');
    first.client.destroy();
  });

  test('a tampered or missing state is refused and no session is made', async () => {
    const { storage, callback } = await signIn();
    const c = client({ storage });
    await c.client.ready;
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'x'.repeat(43));
    const result = await c.client.handleRedirectCallback(tampered.toString());
    assert.equal(result.error?.providerCode, 'state_mismatch');
    const missing = new URL(callback);
    missing.searchParams.delete('state');
    assert.equal((await c.client.handleRedirectCallback(missing.toString())).error?.providerCode, 'state_mismatch');
    assert.equal(c.client.state.session, null);
    c.client.destroy();
  });

  test('a tampered state in the address bar at start-up is reported, not signed in', async () => {
    const { storage, callback } = await signIn();
    const tampered = new URL(callback);
    tampered.searchParams.set('state', 'forged');
    const c = client({ storage, url: tampered.toString() });
    const errors: string[] = [];
    c.client.subscribe((n) => n.type === 'error' && errors.push(n.error.providerCode as string));
    await c.client.ready;
    assert.deepEqual(errors, ['state_mismatch']);
    assert.equal(c.client.state.status, 'signed-out');
    assert.equal(new URL(c.env.current!).searchParams.get('code'), null);
    c.client.destroy();
  });

  test('a code used twice (second client, forged pending state) fails as code_expired', async () => {
    const { storage, callback } = await signIn();
    const snapshot = new Map<string, string>();
    const copy: StorageAdapter = { getItem: (k) => snapshot.get(k) ?? null, setItem: (k, v) => void snapshot.set(k, v), removeItem: (k) => void snapshot.delete(k) };
    for (const k of ['auth-elements:oidc:' + server.issuer + ':spa:oauth']) snapshot.set(k, storage.getItem(k) as string);
    const a = client({ storage });
    assert.equal((await a.client.handleRedirectCallback(callback)).error, null);
    const b = client({ storage: copy });
    const replay = await b.client.handleRedirectCallback(callback);
    assert.equal(replay.error?.code, 'code_expired');
    assert.equal(replay.error?.providerCode, 'invalid_grant');
    a.client.destroy();
    b.client.destroy();
  });

  test('an error in the callback (access_denied) is a calm cancel', async () => {
    const c = client();
    const { data } = await c.client.signInWithOAuth();
    const state = new URL(data.url!).searchParams.get('state')!;
    const result = await c.client.handleRedirectCallback(`${CALLBACK}?error=access_denied&error_description=User%20cancelled&state=${state}`);
    assert.equal(result.error?.code, 'cancelled');
    c.client.destroy();
  });

  test('refresh_token grant, rotation, userinfo', async () => {
    const { storage, callback } = await signIn();
    const c = client({ storage });
    await c.client.handleRedirectCallback(callback);
    const before = c.client.state.session!;
    const { data, error } = await c.client.refreshSession();
    assert.equal(error, null);
    assert.notEqual(data.session!.access_token, before.access_token);
    assert.notEqual(data.session!.refresh_token, before.refresh_token);
    assert.equal(data.session!.user.id, 'alice-id');
    assert.deepEqual(c.events.slice(-1), ['TOKEN_REFRESHED']);
    const user = await c.client.getUser();
    assert.equal(user.data.user?.name, 'Alice');
    c.client.destroy();
  });

  test('an automatic refresh happens before the 4-second token expires', async (t) => {
    // The client and the OpenID provider (same process) share the fake clock: the token's
    // 4 s pass when the test says so, however long the sign-in took.
    const clock = fakeClock(t);
    const { storage, callback } = await signIn();
    const env = testEnvironment(callback);
    const c = new AuthClient({ provider: oidcProvider({ issuer: server.issuer, clientId: 'spa', redirectUri: CALLBACK }), storage, environment: env });
    const events: string[] = [];
    c.onAuthStateChange((e) => void events.push(e));
    await until(() => events.includes('SIGNED_IN'), undefined, 'SIGNED_IN from the callback');
    const first = c.state.session!;
    assert.equal(first.expires_in, 4);
    clock.tick(2000); // the refresh time: half the lifetime before expiry
    await until(() => events.includes('TOKEN_REFRESHED'), undefined, 'TOKEN_REFRESHED');
    assert.ok(Date.now() / 1000 < first.expires_at, 'refreshed before the old token expired');
    assert.notEqual(c.state.session!.access_token, first.access_token);
    assert.ok(c.state.session!.expires_at > Date.now() / 1000);
    c.destroy();
  });

  test('a refresh token the server no longer knows signs out (session_expired)', async () => {
    const { storage, callback } = await signIn();
    const c = client({ storage });
    await c.client.handleRedirectCallback(callback);
    const stale = c.client.state.session!;
    await c.client.refreshSession(); // rotates: the old refresh token is now dead
    const d = client({ storage: memoryStorage() });
    await d.client.ready;
    await d.client.setSession({ ...stale });
    const result = await d.client.refreshSession();
    assert.equal(result.error?.code, 'session_expired');
    assert.equal(d.client.state.status, 'signed-out');
    c.client.destroy();
    d.client.destroy();
  });

  test('sign-out revokes, clears and visits end-session back to the app', async () => {
    const { storage, callback } = await signIn();
    const c = client({ storage });
    await c.client.handleRedirectCallback(callback);
    const session = c.client.state.session!;
    await c.client.signOut({ redirectTo: APP });
    assert.equal(c.client.state.status, 'signed-out');
    assert.deepEqual(c.events.slice(-1), ['SIGNED_OUT']);
    const endSession = new URL(c.env.navigations.at(-1)!);
    assert.equal(endSession.searchParams.get('id_token_hint'), session.id_token);
    assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), APP);
    const landed = await completeOidcLogout(endSession.toString());
    assert.ok(landed.startsWith(APP));
    // The revoked refresh token no longer works.
    const d = client();
    await d.client.setSession({ ...session });
    assert.equal((await d.client.refreshSession()).error?.code, 'session_expired');
    c.client.destroy();
    d.client.destroy();
  });

  test('a wrong issuer, an unreachable one and a secret in the page are config/network errors', async () => {
    const wrong = client({ issuer: `${server.issuer}/nope` });
    const notFound = (await wrong.client.signInWithOAuth()).error;
    assert.deepEqual([notFound?.code, notFound?.status], ['config', 404]);
    const unreachable = client({ issuer: 'http://127.0.0.1:9' });
    assert.equal((await unreachable.client.signInWithOAuth()).error?.code, 'network');
    const secret = new AuthClient({ provider: oidcProvider({ issuer: server.issuer, clientId: 'spa', clientSecret: 's3cret' } as never), storage: 'memory', environment: testEnvironment(APP) });
    const refused = await secret.signInWithOAuth();
    assert.deepEqual([refused.error?.code, refused.error?.providerCode], ['config', 'secret_in_browser']);
    assert.ok(!refused.error?.message.includes('s3cret'));
    for (const c of [wrong.client, unreachable.client, secret]) c.destroy();
  });

  test('settings: each refused configuration names its setting in providerCode, before any request', async () => {
    const refusal = (settings: Parameters<typeof oidcProvider>[0]) => {
      const error = oidcProvider(settings).configError;
      return [error?.code, error?.providerCode];
    };
    assert.deepEqual(refusal({ issuer: server.issuer } as never), ['config', 'missing_setting:clientId']);
    assert.deepEqual(refusal({ clientId: 'spa' }), ['config', 'missing_setting:issuer']);
    assert.deepEqual(refusal({ issuer: 'not a url', clientId: 'spa' }), ['config', 'bad_setting:issuer']);
    assert.deepEqual(refusal({ baseUrl: 'ftp://id.example.com', clientId: 'spa' }), ['config', 'bad_setting:baseUrl']);
    assert.deepEqual(refusal({ issuer: server.issuer, clientId: 'spa', scope: 42 } as never), ['config', 'bad_setting:scope']);
    // `baseUrl` is an alias of `issuer`, trimmed like it.
    const alias = oidcProvider({ baseUrl: `${server.issuer}/`, clientId: 'spa' });
    assert.equal(alias.configError, undefined);
    assert.equal(alias.key, `oidc:${server.issuer}:spa`);
    // Through the client: the code and the setting, words by i18n, and nothing sent.
    let calls = 0;
    const counting: typeof fetch = (input, init) => (calls++, fetch(input, init));
    const missing = new AuthClient({ provider: oidcProvider({ clientId: 'spa' }), storage: 'memory', environment: testEnvironment(APP), http: { fetch: counting } });
    const { error } = await missing.signInWithOAuth();
    assert.deepEqual([error?.code, error?.providerCode], ['config', 'missing_setting:issuer']);
    assert.notEqual(error?.message, 'config', 'the client words the error');
    assert.equal(calls, 0);
    missing.destroy();
  });

  test('an adapter error is a code and parameters, never a sentence', async () => {
    const adapter = oidcProvider({ issuer: server.issuer, clientId: 'spa' });
    const ctx = { http: createHttp(), lang: 'en' } as const;
    const params = new URLSearchParams({ code: 'x', iss: 'https://elsewhere.example' });
    await assert.rejects(adapter.exchangeCode!({ code: 'x', codeVerifier: 'v'.repeat(43), redirectUri: CALLBACK, params }, ctx), (error: AuthError) => {
      assert.deepEqual([error.code, error.providerCode, error.message], ['invalid_request', 'issuer_mismatch', 'invalid_request']);
      return true;
    });
    const session = { access_token: 'not-a-token', token_type: 'Bearer', expires_in: 60, expires_at: 0, user: { id: 'alice-id' }, provider: 'oidc' } as const;
    await assert.rejects(adapter.getUser!(session, ctx), (error: AuthError) => {
      assert.deepEqual([error.code, error.status, error.message], ['session_expired', 401, 'session_expired']);
      return true;
    });
  });
});

describe('oidc provider: profile claims only at userinfo (a conforming provider)', () => {
  let server: OidcServer;
  before(async () => {
    server = await startOidcServer({
      clients: [{ clientId: 'spa', redirectUris: [CALLBACK] }],
      users: [{ id: 'bob-id', username: 'bob', password: 'bob pass', email: 'bob@example.com', name: 'Bob' }],
      idTokenClaims: false,
    });
  });
  after(() => server.close());

  test('the person is completed from userinfo at sign-in, and keeps it through a refresh', async () => {
    const storage = memoryStorage();
    const first = new AuthClient({ provider: oidcProvider({ issuer: server.issuer, clientId: 'spa', redirectUri: CALLBACK }), storage, environment: testEnvironment(APP), autoRefresh: false });
    const started = await first.signInWithOAuth();
    const callback = await completeOidcLogin(started.data.url!, { username: 'bob', password: 'bob pass' });
    const done = await first.handleRedirectCallback(callback);
    assert.equal(done.error, null);
    const session = done.data.session!;
    const idClaims = JSON.parse(Buffer.from(session.id_token!.split('.')[1]!, 'base64url').toString());
    assert.equal(idClaims.name, undefined, 'the id token carries no name');
    assert.equal(session.user.id, 'bob-id');
    assert.equal(session.user.name, 'Bob');
    assert.equal(session.user.email, 'bob@example.com');
    const refreshed = await first.refreshSession();
    assert.equal(refreshed.error, null);
    assert.equal(refreshed.data.session!.user.name, 'Bob');
    first.destroy();
  });
});
