// Issue 20, M5: a token endpoint that answers 429 with `Retry-After: 30` is not asked again
// before those 30 seconds, whoever asks: getSession(), a tab becoming visible, the refresh
// timer, an explicit refresh, or another tab starting up from the shared storage. The session
// stands meanwhile. Real HTTP to a stub OIDC provider; time on a fake clock.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { fakeClock } from '../../test/support/clock.js';
import { testEnvironment, until } from '../../test/support/environment.js';
import { json, startServer } from '../../test/support/http-server.js';
import { fakeJwt } from '../../test/support/fake-adapter.js';
import type { Session } from '../contract/index.js';
import { AuthClient } from './client.js';
import type { StorageAdapter } from './storage.js';
import { oidcProvider } from '../providers/oidc/oidc.js';

const WAIT = 30;

describe('Retry-After holds every refresh off (M5)', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  /** Refresh requests the token endpoint received, and whether it is throttling. */
  let refreshes = 0;
  let throttling = true;
  before(async () => {
    server = await startServer((req, res, body) => {
      if (req.url === '/.well-known/openid-configuration') return json(res, 200, { issuer: server.url, authorization_endpoint: `${server.url}/authorize`, token_endpoint: `${server.url}/token` });
      if (req.url === '/token' && new URLSearchParams(body).get('grant_type') === 'refresh_token') {
        refreshes++;
        if (throttling) return json(res, 429, { error: 'slow_down' }, { 'retry-after': String(WAIT) });
        return json(res, 200, { access_token: `fresh-${refreshes}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `r-${refreshes}` });
      }
      json(res, 404, {});
    });
  });
  after(() => server.close());
  beforeEach(() => {
    refreshes = 0;
    throttling = true;
  });

  /** A session of this provider that is due for refresh (10 s left of an hour). */
  function dueSession(): Session {
    const now = Math.floor(Date.now() / 1000);
    return { access_token: 'old', token_type: 'Bearer', expires_in: 3600, expires_at: now + 10, refresh_token: 'r-0', id_token: fakeJwt({ sub: 'u' }), user: { id: 'u' }, provider: 'oidc' };
  }

  function sharedStorage(): StorageAdapter & { map: Map<string, string> } {
    const map = new Map<string, string>();
    return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
  }

  const provider = () => oidcProvider({ issuer: server.url, clientId: 'spa', redirectUri: 'https://app.example/cb' });

  function tab(t: TestContext, storage: StorageAdapter, autoRefresh: boolean) {
    const env = testEnvironment('https://app.example/');
    const client = new AuthClient({ provider: provider(), storage, environment: env, autoRefresh, refresh: { retryBase: 1000, retryCap: 2000 } });
    t.after(() => client.destroy());
    return { client, env, key: `auth-elements:${client.adapter.key}:session` };
  }

  async function seeded(t: TestContext, autoRefresh: boolean) {
    const storage = sharedStorage();
    storage.setItem(`auth-elements:${provider().key}:session`, JSON.stringify(dueSession()));
    const first = tab(t, storage, autoRefresh);
    await first.client.ready;
    return { storage, ...first };
  }

  test('start-up gets the 429; ten getSession() calls after it send nothing; after 30 s one request goes', async (t) => {
    const clock = fakeClock(t);
    const { client } = await seeded(t, false);
    assert.equal(refreshes, 1, 'start-up asked once');
    assert.equal(client.state.session?.access_token, 'old', 'the session stands');
    for (let i = 0; i < 10; i++) {
      const { data, error } = await client.getSession();
      assert.equal(error, null);
      assert.equal(data.session?.access_token, 'old');
    }
    assert.equal(refreshes, 1, 'no request while the wait runs');
    const early = await client.refreshSession();
    assert.equal(early.error?.code, 'rate_limited', 'an explicit refresh is told to wait');
    assert.ok(early.error!.retryAfter! > 0 && early.error!.retryAfter! <= WAIT, `retryAfter ${early.error?.retryAfter}`);
    assert.equal(refreshes, 1);
    clock.tick(WAIT * 1000 - 1000);
    await client.getSession();
    assert.equal(refreshes, 1, 'one second before the end of the wait, still nothing');
    throttling = false;
    clock.tick(1000);
    const { data } = await client.getSession();
    assert.equal(refreshes, 2);
    assert.equal(data.session?.access_token, 'fresh-2');
  });

  test('ten visibility changes and the refresh timer send nothing before the wait is over', async (t) => {
    const clock = fakeClock(t);
    const { client, env } = await seeded(t, true);
    const failedAt = Date.now();
    assert.equal(refreshes, 1);
    for (let i = 0; i < 10; i++) {
      env.setHidden(true);
      env.setHidden(false);
      clock.tick(100);
    }
    // Backoff alone would have retried within 2 s; the wait says 30.
    await clock.advanceUntil(() => Date.now() >= failedAt + (WAIT - 1) * 1000, 'almost 30 s later', 500);
    assert.equal(refreshes, 1, 'visibility and the timer waited');
    throttling = false;
    await clock.advanceUntil(() => client.state.session?.access_token !== 'old', 'the refresh after the wait', 250);
    assert.equal(refreshes, 2, 'exactly one request, after the wait');
  });

  test('another tab starting from the shared storage during the wait sends nothing and keeps the session', async (t) => {
    fakeClock(t);
    const { storage, key } = await seeded(t, false);
    assert.equal(refreshes, 1);
    const other = tab(t, storage, true);
    const events: string[] = [];
    other.client.onAuthStateChange((event, session) => void events.push(`${event}:${session?.access_token}`));
    await other.client.ready;
    await until(() => events.length > 0, undefined, 'INITIAL_SESSION');
    assert.equal(refreshes, 1, 'the second tab honoured the first tab\'s wait');
    assert.deepEqual(events, ['INITIAL_SESSION:old']);
    assert.equal(JSON.parse(storage.getItem(key) as string).access_token, 'old');
    await other.client.getSession();
    assert.equal(refreshes, 1);
  });
});
