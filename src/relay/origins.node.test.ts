// `allowedOrigins` as a function: a rule instead of a list (preview deployments; any port of
// localhost in development, as `npm start` does). Preflights answer without calling upstream.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRelay } from './index.js';

const PATH = '/api/v2/sdk/login/mobile-pwd';
const UPSTREAM = 'http://127.0.0.1:9';

function preflight(relay: ReturnType<typeof createRelay>, origin: string) {
  return relay(new Request(`http://relay.test${PATH}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } }));
}

describe('relay allowedOrigins as a function', () => {
  it('allows what the function allows, echoing the page origin', async () => {
    const seen: string[] = [];
    const relay = createRelay({
      provider: 'zhuyun-idaas',
      upstream: UPSTREAM,
      allowedOrigins: (origin) => {
        seen.push(origin);
        return /^http:\/\/(127\.0\.0\.1|localhost):\d+$/.test(origin);
      },
    });
    for (const origin of ['http://127.0.0.1:8080', 'http://localhost:3000', 'HTTP://LOCALHOST:3001']) {
      const res = await preflight(relay, origin);
      assert.equal(res.status, 204, origin);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
    }
    assert.deepEqual(seen, ['http://127.0.0.1:8080', 'http://localhost:3000', 'http://localhost:3001'], 'the function sees serialized, lower-case origins');
  });

  it('refuses what it refuses, what is not an http(s) origin (never asking), and answers other than `true`', async () => {
    const asked: string[] = [];
    const relay = createRelay({
      provider: 'zhuyun-idaas',
      upstream: UPSTREAM,
      allowedOrigins: (origin) => {
        asked.push(origin);
        if (origin === 'https://throws.example') throw new Error('boom');
        return (origin === 'https://truthy.example' ? 'yes' : origin === 'https://ok.example') as boolean;
      },
    });
    for (const origin of ['https://evil.example', 'https://throws.example', 'https://truthy.example', 'null', 'https://ok.example/', 'file://', 'chrome-extension://abc', 'not a url']) {
      const res = await preflight(relay, origin);
      assert.equal(res.status, 403, origin);
      assert.equal(res.headers.get('access-control-allow-origin'), null, origin);
    }
    assert.deepEqual(asked, ['https://evil.example', 'https://throws.example', 'https://truthy.example']);
    assert.equal((await preflight(relay, 'https://ok.example')).status, 204);
  });

  it('a list still takes exact origins only', () => {
    assert.throws(() => createRelay({ provider: 'zhuyun-idaas', upstream: UPSTREAM, allowedOrigins: ['http://localhost:*'] }), /not an origin/);
    assert.throws(() => createRelay({ provider: 'zhuyun-idaas', upstream: UPSTREAM, allowedOrigins: 'http://localhost:3000' as never }), /allowedOrigins/);
  });
});
