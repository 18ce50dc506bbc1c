// The relay against a stub of each backend over real HTTP on 127.0.0.1: allowlist, credentials,
// CORS, limits, timeouts, redirects, and that no secret ever reaches the browser or the log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRelay, type RelayLimits, type RelayOptions } from './index.js';
import { FIXTURES } from '../../test/relay/fixtures.js';
import {
  ALLOWED_ORIGIN,
  FOREIGN_ORIGIN,
  Journal,
  call,
  isRelayError,
  modes,
  sendJson,
  startStub,
  type CallInit,
  type Stub,
} from '../../test/relay/harness.js';

const RESPONSE_HEADERS = new Set([
  'content-type',
  'retry-after',
  'cache-control',
  'x-content-type-options',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'vary',
  'location',
  'allow',
]);

function pad(init: CallInit, bytes: number): CallInit {
  const filler = 'x'.repeat(bytes);
  if (init.json !== undefined) return { ...init, json: { ...(init.json as object), pad: filler } };
  return { ...init, form: { ...init.form, pad: filler } };
}

for (const make of FIXTURES) {
  const fixture = make();
  describe(`relay for ${fixture.provider}`, () => {
    let stub: Stub;
    let evil: Stub;
    const journal = new Journal();
    const relayWith = (limits?: RelayLimits) => createRelay({ ...fixture.options(stub.url), limits, log: journal.log } as RelayOptions);
    const pathOf = (path: string) => new URL(path, 'http://x').pathname;

    before(async () => {
      stub = await startStub(fixture.respond);
      evil = await startStub((_req, res) => sendJson(res, 200, { reached: 'the wrong host' }));
    });
    after(async () => {
      await stub.close();
      await evil.close();
    });

    it('forwards each allowlisted path with its credential and drops the browser’s', async () => {
      const relay = relayWith();
      for (const route of fixture.routes) {
        const start = stub.requests.length;
        const seen = await call(journal, relay, route.path, route.init);
        assert.equal(seen.status, route.status ?? 200, `${route.name}: ${seen.status} ${seen.text}`);
        assert.equal(seen.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN, route.name);
        assert.equal(seen.headers.get('cache-control'), 'no-store', route.name);
        seen.headers.forEach((_value, name) => assert.ok(RESPONSE_HEADERS.has(name), `${route.name}: response header ${name} passed through`));
        const hits = stub.requests.slice(start).filter((r) => r.path === pathOf(route.path));
        assert.ok(hits.length >= 1, `${route.name} never reached the upstream`);
        route.check(hits.at(-1)!);
      }
    });

    it('answers 404 for any other path, traversal or encoded trick, without calling upstream', async () => {
      const relay = relayWith();
      const known = pathOf(fixture.routes[0]!.path);
      const start = stub.requests.length;
      const paths = [
        '/',
        '/nope',
        `${known}/`,
        `${known}/extra`,
        `${known}.json`,
        known.toUpperCase(),
        `${known}/../../admin`,
        `${known}/%2e%2e/%2e%2e/admin`,
        known.replace(/\/(?=[^/]*$)/, '%2F'),
        known.replace(/\/(?=[^/]*$)/, '%5C'),
        `/${known}`,
        `//evil.example.net${known}`,
        `/http://evil.example.net${known}`,
        `/https:%2F%2Fevil.example.net${known}`,
        `/@evil.example.net${known}`,
        `/..%2f..%2fetc/passwd`,
        '/admin/users',
      ];
      for (const path of paths) {
        for (const method of ['GET', 'POST']) {
          const init: CallInit = method === 'POST' ? { json: { a: 1 } } : {};
          const seen = await call(journal, relay, path, { ...init, method });
          assert.equal(seen.status, 404, `${method} ${path} → ${seen.status}`);
          assert.ok(isRelayError(seen, 'not_found'), `${path}: ${seen.text}`);
        }
      }
      assert.equal(stub.requests.length, start, 'the upstream was called');
      assert.equal(evil.requests.length, 0);
    });

    it('answers 405 for another method and 415 for another body type', async () => {
      const relay = relayWith();
      const start = stub.requests.length;
      const post = fixture.routes.find((r) => r.init.json !== undefined || r.init.form !== undefined)!;
      const wrongMethod = await call(journal, relay, pathOf(post.path), { method: 'PUT', body: '{}', contentType: 'application/json' });
      assert.equal(wrongMethod.status, 405);
      assert.ok(isRelayError(wrongMethod, 'method_not_allowed'));
      assert.match(wrongMethod.headers.get('allow') ?? '', /POST/);
      const wrongType = await call(journal, relay, pathOf(post.path), { body: 'a=1', contentType: 'text/plain' });
      assert.equal(wrongType.status, 415);
      assert.ok(isRelayError(wrongType, 'unsupported_media_type'));
      assert.equal(stub.requests.length, start);
    });

    it('refuses a foreign or missing Origin with 403 and answers preflight for allowed origins only', async () => {
      const relay = relayWith();
      const start = stub.requests.length;
      const { path, init } = fixture.signIn('origin-check');
      for (const origin of [FOREIGN_ORIGIN, 'null', `${ALLOWED_ORIGIN}.evil.example.net`, 'http://app.example.com', null]) {
        const seen = await call(journal, relay, path, { ...init, origin });
        assert.equal(seen.status, 403, `origin ${origin}`);
        assert.ok(isRelayError(seen, 'origin_not_allowed'));
        assert.equal(seen.headers.get('access-control-allow-origin'), null);
      }
      assert.equal(stub.requests.length, start, 'a refused origin reached the upstream');

      const preflight = await call(journal, relay, path, {
        method: 'OPTIONS',
        headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': fixture.preflightHeaders.join(',') },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
      assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
      const allowedHeaders = (preflight.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
      for (const header of fixture.preflightHeaders) assert.ok(allowedHeaders.includes(header), `${header} not allowed by preflight`);
      assert.ok(!allowedHeaders.includes('authorization') && !allowedHeaders.includes('cookie'));
      assert.equal(preflight.headers.get('access-control-allow-credentials'), null);
      assert.match(preflight.headers.get('vary') ?? '', /Origin/);

      const foreignPreflight = await call(journal, relay, path, { method: 'OPTIONS', origin: FOREIGN_ORIGIN, headers: { 'access-control-request-method': 'POST' } });
      assert.equal(foreignPreflight.status, 403);
      assert.equal(foreignPreflight.headers.get('access-control-allow-origin'), null);
      const unknownPreflight = await call(journal, relay, '/nope', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } });
      assert.equal(unknownPreflight.status, 404);
      assert.equal(stub.requests.length, start, 'a preflight reached the upstream');

      // Same-origin pages send no Origin on a GET; the browser vouches with Sec-Fetch-Site.
      const sameOrigin = await call(journal, relay, path, { ...init, origin: null, headers: { ...init.headers, 'sec-fetch-site': 'same-origin' } });
      assert.notEqual(sameOrigin.status, 403);
      assert.equal(sameOrigin.headers.get('access-control-allow-origin'), null);
    });

    it('answers 413 for a body over the limit, without calling upstream', async () => {
      const start = stub.requests.length;
      const { path, init } = fixture.signIn('big-body');
      const byDefault = await call(journal, relayWith(), path, pad(init, 17 * 1024));
      assert.equal(byDefault.status, 413);
      assert.ok(isRelayError(byDefault, 'payload_too_large'));
      assert.equal(byDefault.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
      const configured = await call(journal, relayWith({ maxBodyBytes: 200 }), path, pad(init, 300));
      assert.equal(configured.status, 413);
      assert.equal(stub.requests.length, start);
      const fits = await call(journal, relayWith({ maxBodyBytes: 2048 }), path, pad(init, 300));
      assert.notEqual(fits.status, 413);
    });

    it('answers 429 with Retry-After for a burst from one client', async () => {
      const relay = relayWith({ perClient: { max: 3, windowMs: 60_000 } });
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        const { path, init } = fixture.signIn(`burst-${i}@example.com`);
        last = await call(journal, relay, path, { ...init, clientAddress: '198.51.100.1' });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses.map((s) => s === 429), [false, false, false, true, true]);
      assert.ok(isRelayError(last!, 'rate_limited'));
      const retryAfter = Number(last!.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.match(last!.headers.get('access-control-expose-headers') ?? '', /Retry-After/i);
      const other = fixture.signIn('burst-other@example.com');
      const otherClient = await call(journal, relay, other.path, { ...other.init, clientAddress: '198.51.100.2' });
      assert.notEqual(otherClient.status, 429, 'another client address has its own budget');
    });

    it('answers 429 per identifier for failed sign-ins and for sends, whatever the client address', async () => {
      const relay = relayWith({ signInsPerIdentifier: { max: 2, windowMs: 600_000 }, sendsPerIdentifier: { max: 1, windowMs: 600_000 } });
      const failed = fixture.failedSignIn('13800000001');
      const seen = [];
      for (let i = 0; i < 3; i++) seen.push(await call(journal, relay, failed.path, { ...failed.init, clientAddress: `198.51.100.${10 + i}` }));
      assert.deepEqual(seen.map((s) => s.status === 429), [false, false, true]);
      assert.ok(Number(seen[2]!.headers.get('retry-after')) > 500);
      const owner = fixture.signIn('13800000001');
      const locked = await call(journal, relay, owner.path, { ...owner.init, clientAddress: '198.51.100.13' });
      assert.equal(locked.status, 429, 'once the failures are at the limit, the right password waits too');
      const someoneElse = fixture.signIn('13800000002');
      assert.notEqual((await call(journal, relay, someoneElse.path, { ...someoneElse.init, clientAddress: '198.51.100.20' })).status, 429);
      if (fixture.send) {
        const send = fixture.send('13800000003');
        const first = await call(journal, relay, send.path, { ...send.init, clientAddress: '198.51.100.30' });
        const second = await call(journal, relay, send.path, { ...send.init, clientAddress: '198.51.100.31' });
        assert.equal(first.status, 200, first.text);
        assert.equal(second.status, 429);
        assert.ok(isRelayError(second, 'rate_limited'));
      }
    });

    it('never counts a sign-in the backend accepted against its identifier', async () => {
      const relay = relayWith({ perClient: false, signInsPerIdentifier: { max: 2, windowMs: 600_000 }, signInsPerIdentifierAndClient: { max: 2, windowMs: 600_000 } });
      const { path, init } = fixture.signIn('13800000005');
      for (let i = 0; i < 6; i++) {
        const seen = await call(journal, relay, path, { ...init, clientAddress: '198.51.100.50' });
        assert.equal(seen.status, 200, `sign-in ${i + 1}: ${seen.text}`);
      }
    });

    it('does not let strangers’ wrong passwords from 10 addresses lock the owner out (default limits)', async () => {
      const relay = relayWith();
      const failed = fixture.failedSignIn('13800000006');
      for (let i = 0; i < 10; i++) {
        const seen = await call(journal, relay, failed.path, { ...failed.init, clientAddress: `203.0.113.${100 + i}` });
        assert.notEqual(seen.status, 429, `failure ${i + 1}`);
      }
      const owner = fixture.signIn('13800000006');
      const seen = await call(journal, relay, owner.path, { ...owner.init, clientAddress: '198.51.100.60' });
      assert.equal(seen.status, 200, seen.text);
    });

    it('counts a sign-in as it arrives, so parallel guesses cannot all slip past before the first fails', async () => {
      const relay = relayWith({ signInsPerIdentifier: { max: 3, windowMs: 600_000 } });
      const failed = fixture.failedSignIn('13800000008');
      const start = stub.requests.length;
      const seen = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call(journal, relay, failed.path, { ...failed.init, clientAddress: `203.0.113.${150 + i}` })),
      );
      assert.equal(seen.filter((s) => s.status !== 429).length, 3);
      const guesses = stub.requests.slice(start).filter((r) => r.path === new URL(failed.path, 'http://x').pathname);
      assert.equal(guesses.length, 3, 'only 3 guesses reached the backend');
    });

    it('limits failures per identifier and address (10), and per identifier from all addresses (30), by default', async () => {
      const relay = relayWith();
      const failed = fixture.failedSignIn('13800000007');
      const owner = fixture.signIn('13800000007');
      const fromOne: number[] = [];
      for (let i = 0; i < 11; i++) fromOne.push((await call(journal, relay, failed.path, { ...failed.init, clientAddress: '203.0.113.200' })).status);
      assert.deepEqual(fromOne.map((s) => s === 429), [...new Array(10).fill(false), true], 'the 11th failure from one address');
      const stillOwner = await call(journal, relay, owner.path, { ...owner.init, clientAddress: '198.51.100.70' });
      assert.equal(stillOwner.status, 200, 'the owner, elsewhere, is not locked out by one address');
      // 10 counted so far: 20 more from many addresses reach the identifier's limit.
      for (let i = 0; i < 20; i++) {
        const seen = await call(journal, relay, failed.path, { ...failed.init, clientAddress: `203.0.113.${i + 1}` });
        assert.notEqual(seen.status, 429, `failure ${11 + i}`);
      }
      const refused = await call(journal, relay, owner.path, { ...owner.init, clientAddress: '198.51.100.71' });
      assert.equal(refused.status, 429, 'after 30 failures the identifier waits for its window');
      assert.ok(isRelayError(refused, 'rate_limited'));
    });

    it('answers 504 with a JSON error when the upstream hangs', async () => {
      const relay = relayWith({ timeoutMs: 300 });
      stub.override = modes.hang();
      try {
        const { path, init } = fixture.signIn('hang@example.com');
        const seen = await call(journal, relay, path, init);
        assert.equal(seen.status, 504);
        assert.ok(isRelayError(seen, 'upstream_timeout'), seen.text);
        assert.ok(seen.ms >= 250 && seen.ms < 2000, `took ${seen.ms} ms`);
        assert.equal(seen.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
      } finally {
        stub.override = undefined;
      }
    });

    it('answers 502 for an upstream answer over the size cap', async () => {
      const relay = relayWith();
      for (const mode of [modes.huge(), modes.hugeChunked()]) {
        // Alibaba's token call must still succeed: only the forwarded call is oversized.
        stub.override = (req, res) => (req.path.endsWith('/oauth/token') && req.body.includes('client_credentials') ? fixture.respond(req, res) : mode(req, res));
        try {
          const { path, init } = fixture.signIn('huge@example.com');
          const seen = await call(journal, relay, path, init);
          assert.equal(seen.status, 502, seen.text.slice(0, 200));
          assert.ok(isRelayError(seen, 'bad_gateway'));
        } finally {
          stub.override = undefined;
        }
      }
    });

    it('never follows or passes on a redirect to another host', async () => {
      const relay = relayWith();
      const passThroughToken = (mode: ReturnType<typeof modes.redirect>) => (req: Parameters<typeof mode>[0], res: Parameters<typeof mode>[1]) =>
        req.path.endsWith('/oauth/token') && req.body.includes('client_credentials') ? fixture.respond(req, res) : mode(req, res);
      const { path, init } = fixture.signIn('redirect@example.com');
      for (const location of [`${evil.url}/steal`, '//evil.example.net/x', 'https://evil.example.net/x']) {
        stub.override = passThroughToken(modes.redirect(location));
        try {
          const seen = await call(journal, relay, path, init);
          assert.equal(seen.status, 502, `${location}: ${seen.text}`);
          assert.ok(isRelayError(seen, 'bad_gateway'));
          assert.equal(seen.headers.get('location'), null);
        } finally {
          stub.override = undefined;
        }
      }
      stub.override = passThroughToken(modes.redirect('/moved/here'));
      try {
        const same = await call(journal, relay, path, init);
        assert.equal(same.status, 302);
        assert.equal(same.headers.get('location'), `${stub.url}/moved/here`);
      } finally {
        stub.override = undefined;
      }
      assert.equal(evil.requests.length, 0, 'the relay followed a redirect');
    });

    it('cannot be steered to another host by headers, query or body', async () => {
      const relay = relayWith();
      const start = stub.requests.length;
      const { path, init } = fixture.signIn('steer@example.com');
      const evilHost = new URL(evil.url).host;
      const steering = {
        host: evilHost,
        'x-forwarded-host': evilHost,
        'x-forwarded-proto': 'http',
        'x-original-url': `${evil.url}/x`,
        'x-rewrite-url': `${evil.url}/x`,
        forwarded: `host=${evilHost}`,
      };
      const body = init.json !== undefined ? { ...init, json: { ...(init.json as object), url: evil.url, redirect_uri: evil.url } } : { ...init, form: { ...init.form, url: evil.url } };
      await call(journal, relay, `${path}?url=${encodeURIComponent(evil.url)}&upstream=${encodeURIComponent(evil.url)}`, {
        ...body,
        headers: { ...init.headers, ...steering },
      });
      const hits = stub.requests.slice(start);
      assert.ok(hits.length >= 1);
      for (const hit of hits) {
        assert.equal(hit.headers.host, new URL(stub.url).host);
        assert.equal(hit.query.get('url'), null);
        for (const name of Object.keys(steering)) if (name !== 'host') assert.equal(hit.headers[name], undefined, `${name} forwarded`);
      }
      assert.equal(evil.requests.length, 0, 'the evil host was reached');
    });

    it('withholds an upstream answer that echoes the credential', async () => {
      if (fixture.secrets().length === 0) return; // Zhuyun: the relay adds no secret
      const relay = relayWith();
      const echo = modes.echo();
      stub.override = (req, res) => (req.path.endsWith('/oauth/token') && req.body.includes('client_credentials') ? fixture.respond(req, res) : echo(req, res));
      try {
        for (const route of fixture.routes) {
          const seen = await call(journal, relay, route.path, route.init);
          const echoed = stub.requests.at(-1)!;
          const carried = fixture.secrets().some((s) => JSON.stringify({ h: echoed.headers, q: echoed.query.toString(), b: echoed.body }).includes(s));
          if (carried) {
            assert.equal(seen.status, 502, `${route.name} echoed a secret with status ${seen.status}`);
            assert.ok(isRelayError(seen, 'bad_gateway'));
          }
        }
      } finally {
        stub.override = undefined;
      }
    });

    it('logs method, path, status and duration only, and no secret ever left the relay', () => {
      assert.ok(journal.logs.length >= journal.responses.length - 1);
      for (const entry of journal.logs) {
        assert.deepEqual(Object.keys(entry).sort(), ['durationMs', 'method', 'path', 'status']);
        assert.equal(typeof entry.durationMs, 'number');
        assert.ok(!entry.path.includes('?'));
      }
      const everything = journal.everything();
      for (const secret of fixture.secrets()) {
        assert.ok(!everything.includes(secret), `a secret (${secret.slice(0, 4)}…) reached the browser or the log`);
      }
      assert.ok(!everything.includes('S3cr3t'));
    });
  });
}
