import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { json, startServer } from '../../test/support/http-server.js';
import { createHttp, parseRetryAfter } from './util/http.js';
import { isAuthError } from '../contract/index.js';

describe('http', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let flaky = 0;
  before(async () => {
    server = await startServer(async (req, res) => {
      const path = new URL(req.url!, 'http://x').pathname;
      if (path === '/ok') return json(res, 200, { ok: true });
      if (path === '/html') {
        res.writeHead(502, { 'content-type': 'text/html' });
        return res.end('<html><body>Bad gateway</body></html>');
      }
      if (path === '/html-200') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('<html>oops</html>');
      }
      if (path === '/empty') {
        res.writeHead(200);
        return res.end();
      }
      if (path === '/busy-then-ok') {
        if (flaky++ < 1) return json(res, 429, { error: 'slow down' }, { 'retry-after': '1' });
        return json(res, 200, { ok: true, after: flaky });
      }
      if (path === '/busy-long') return json(res, 429, { error: 'slow down' }, { 'retry-after': '120' });
      if (path === '/unavailable') return json(res, 503, {});
      if (path === '/hang') return; // never answers
      if (path === '/huge') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ blob: 'x'.repeat(5000) }));
      }
      if (path === '/echo') return json(res, 200, { method: req.method, type: req.headers['content-type'], body: await Promise.resolve(''), accept: req.headers.accept });
      json(res, 404, { error: 'not_found' });
    });
  });
  after(() => server.close());

  const fast = (extra = {}) => createHttp({ backoff: { base: 1, cap: 5 }, sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 20))), ...extra });

  test('parses JSON', async () => {
    const res = await fast()({ url: `${server.url}/ok` });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ok: true });
  });

  test('an HTML error page is not an exception: status kept, body undefined', async () => {
    const res = await fast()({ url: `${server.url}/html` });
    assert.equal(res.status, 502);
    assert.equal(res.body, undefined);
    assert.match(res.text, /Bad gateway/);
  });

  test('HTML behind a JSON content type and an empty body parse to undefined', async () => {
    assert.equal((await fast()({ url: `${server.url}/html-200` })).body, undefined);
    assert.equal((await fast()({ url: `${server.url}/empty` })).body, undefined);
  });

  test('429 with Retry-After is retried no sooner than asked, for a safe call', async () => {
    flaky = 0;
    const waits: number[] = [];
    const http = fast({ sleep: async (ms: number) => void waits.push(ms) });
    const res = await http({ url: `${server.url}/busy-then-ok` });
    assert.equal(res.status, 200);
    assert.ok(waits[0]! >= 1000, `waited ${waits[0]} ms`);
  });

  test('a POST is not retried unless it opts in', async () => {
    flaky = 0;
    const res = await fast()({ url: `${server.url}/busy-then-ok`, method: 'POST', body: { a: 1 } });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '1');
  });

  test('a Retry-After longer than the client will wait is handed back at once', async () => {
    const waits: number[] = [];
    const before = server.hits.length;
    const res = await fast({ sleep: async (ms: number) => void waits.push(ms) })({ url: `${server.url}/busy-long` });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '120');
    assert.equal(server.hits.length - before, 1);
    assert.deepEqual(waits, [], 'no wait before handing it back');
  });

  test('503 is retried with backoff up to the attempt limit', async () => {
    const before = server.hits.length;
    const res = await fast({ attempts: 3 })({ url: `${server.url}/unavailable` });
    assert.equal(res.status, 503);
    assert.equal(server.hits.length - before, 3);
  });

  test('a network failure becomes AuthError network, after retries', async () => {
    let calls = 0;
    const http = fast({ fetch: async () => { calls++; throw new TypeError('Failed to fetch'); } });
    await assert.rejects(http({ url: 'http://127.0.0.1:9/x' }), (e: unknown) => isAuthError(e) && e.code === 'network');
    assert.equal(calls, 3);
  });

  test('a hung server times out as AuthError timeout', async () => {
    await assert.rejects(fast()({ url: `${server.url}/hang`, timeout: 200 }), (e: unknown) => isAuthError(e) && e.code === 'timeout');
  });

  test('an aborted request is AuthError cancelled and is not retried', async () => {
    const controller = new AbortController();
    const pending = fast()({ url: `${server.url}/hang`, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (e: unknown) => isAuthError(e) && e.code === 'cancelled');
  });

  test('a body over the cap is refused', async () => {
    await assert.rejects(fast({ maxBytes: 1000 })({ url: `${server.url}/huge` }), (e: unknown) => isAuthError(e) && e.code === 'server' && e.providerCode === 'answer_too_large');
  });

  test('bodies: object as JSON, URLSearchParams as a form', async () => {
    const seen: Array<string | undefined> = [];
    const http = fast({ fetch: async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push((init!.headers as Record<string, string>)['content-type']);
      return new Response('{}', { headers: { 'content-type': 'application/json' } });
    } });
    await http({ url: 'http://127.0.0.1/x', body: { a: 1 } });
    await http({ url: 'http://127.0.0.1/x', body: new URLSearchParams({ a: '1' }) });
    assert.deepEqual(seen, ['application/json', 'application/x-www-form-urlencoded']);
  });

  test('parseRetryAfter reads seconds and dates', () => {
    assert.equal(parseRetryAfter('7'), 7);
    // An HTTP date has whole seconds: measured from a fixed now, not from whenever this line runs.
    const now = Date.UTC(2026, 0, 1, 12, 0, 0, 250);
    assert.equal(parseRetryAfter(new Date(now + 30_000).toUTCString(), now), 30);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(null), undefined);
  });
});
