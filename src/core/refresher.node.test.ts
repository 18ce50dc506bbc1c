// The refresh's code on demand (./refresher.ts): none of it before a refresh is asked for, the
// timer from the start, and a chunk that cannot load keeps the session and is tried again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { fakeClock } from '../../test/support/clock.js';
import { testEnvironment } from '../../test/support/environment.js';
import { AuthError } from '../contract/index.js';
import { Refresher } from './refresher.js';
import { SessionStore } from './session-store.js';
import { memoryStorage } from './storage.js';
import { chunkOnce } from './util/once.js';
import { isSession, toSession } from './util/session.js';

/** A Refresher over a fake adapter and a store holding a session of `lifetime` s; `offline` loads fail. */
function setUp(lifetime: number) {
  const adapter = fakeAdapter({ lifetime });
  const store = new SessionStore(memoryStorage(), false, 'test', isSession);
  const session = toSession(adapter.tokens(lifetime), 'oidc');
  store.set(session);
  const net = { offline: true, loads: 0 };
  const load = chunkOnce(async () => {
    net.loads++;
    if (net.offline) throw new TypeError('Failed to fetch dynamically imported module');
    return import('./refresh-coordinator.js');
  });
  const reported: AuthError[] = [];
  const refresher = new Refresher(
    { store, adapter, environment: testEnvironment(), context: () => ({ http: async () => { throw new Error('the fake adapter sends nothing'); }, lang: 'en' }), auto: true, report: (error) => void reported.push(error), timing: { retryBase: 1000, retryCap: 1000 } },
    load,
  );
  return { adapter, store, session, net, refresher, reported };
}

describe('Refresher: the refresh code on demand', () => {
  test('says whether a session is due without its code', () => {
    const soon = setUp(2); // margin: min(60, 1) = 1 s, so not due for another second
    assert.equal(soon.refresher.due(soon.session), false);
    const now = setUp(1); // margin 0.5 s of 1 s: due only at half its life
    assert.equal(now.refresher.due({ ...now.session, expires_at: Date.now() / 1000 }), true);
    assert.equal(soon.net.loads + now.net.loads, 0, 'no chunk for a question the session answers');
  });

  test('offline, a refresh is a network error that keeps the session; the timer tries again and the code then comes', async (t) => {
    const clock = fakeClock(t);
    const { adapter, store, session, net, refresher, reported } = setUp(2);
    refresher.scheduler.start();
    await assert.rejects(refresher.refresh(true), (error: unknown) => error instanceof AuthError && error.code === 'network' && error.providerCode === 'chunk_not_loaded');
    assert.equal(store.state.session?.access_token, session.access_token, 'the session stands');
    assert.equal(adapter.calls.refresh, 0);
    assert.deepEqual(reported, [], 'nothing ended, nothing to report');
    net.offline = false;
    // The backoff (retryBase 1 s, jittered down to half) fires the timer's refresh, which loads the code.
    await clock.advanceUntil(() => adapter.calls.refresh === 1, 'the retried refresh');
    assert.equal(net.loads, 2, 'loaded once more, and once only');
    await clock.advanceUntil(() => store.state.session?.access_token !== session.access_token, 'the new session');
    refresher.scheduler.stop();
  });

  test('prepare() brings the code once; refresh() then uses it', async () => {
    const { adapter, net, refresher } = setUp(3600);
    net.offline = false;
    refresher.prepare();
    refresher.prepare();
    await refresher.refresh(true);
    assert.equal(net.loads, 1);
    assert.equal(adapter.calls.refresh, 1);
  });
});
