// node --import tsx --test demo/server/server.node.test.ts
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { json, readJson, type Backend } from './kit/index.js';
import { MAX_BODY_BYTES, startReferenceServer, type ReferenceServer } from './server.js';
import { waitFor } from '../../test/support/wait.js';

const APP = 'http://localhost:5173';
const EVIL = 'http://evil.example';

/** A tiny backend that exercises what the core offers an emulation. */
function testBackend(name: string, withNotFound: boolean): Backend {
  return {
    name,
    accounts: [{ identifier: `${name}-user`, password: 'pw', note: 'signs in' }],
    async seed(ctx) {
      const meta = ctx.store.collection<{ count: number }>(`${name}.meta`);
      meta.put('seeds', { count: (meta.get('seeds')?.count ?? 0) + 1 });
    },
    async handle(request, path, ctx) {
      const url = new URL(request.url);
      if (path.startsWith('/echo') && request.method === 'GET') {
        return json(200, { path, method: request.method, url: request.url, baseUrl: ctx.baseUrl, query: url.searchParams.get('q'), header: request.headers.get('x-big')?.length ?? 0 });
      }
      if (path === '/records' && request.method === 'POST') {
        const body = await readJson(request);
        if (!body || typeof body.id !== 'string') return json(400, { error: 'bad_json' });
        ctx.store.collection(`${name}.records`).put(body.id, body);
        return json(201, { ok: true });
      }
      const record = /^\/records\/([^/]+)$/.exec(path);
      if (record && request.method === 'GET') {
        const value = ctx.store.collection(`${name}.records`).get(record[1]!);
        return value ? json(200, value) : json(404, { error: 'no_record' });
      }
      if (path === '/size' && request.method === 'POST') return json(200, { bytes: (await request.arrayBuffer()).byteLength });
      if (path === '/send' && request.method === 'POST') {
        const body = (await readJson(request)) ?? {};
        const message = ctx.outbox.deliver({ backend: name, channel: 'sms', to: String(body.to), purpose: 'login', code: String(body.code ?? '123456'), text: 'Your code' });
        return json(200, { id: message.id });
      }
      if (path === '/boom') throw new Error('kaboom');
      if (path === '/cookies') {
        const headers = new Headers({ 'content-type': 'text/plain', 'retry-after': '7' });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        return new Response('cookies', { headers });
      }
      if (path === '/token') return json(200, { token: await ctx.jwt.sign({ sub: 'u1' }, 3600, ctx.now()) });
      if (path === '/verify') return json(200, { payload: await ctx.jwt.verify(url.searchParams.get('t') ?? '') });
      return undefined;
    },
    ...(withNotFound ? { notFound: () => json(404, { code: 'TEST_NOT_FOUND' }) } : {}),
    async introspect(token) {
      return token.startsWith(`${name}-tok-`) ? { userId: token.slice(`${name}-tok-`.length) } : null;
    },
  };
}

const quiet = { log: () => {} };

/**
 * Sends raw bytes on a fresh TCP connection; resolves with what came back before the server closed it,
 * or before `timeoutMs` (by default only a bound for a server that never closes: keep it generous).
 */
function raw(port: number, data: string | Buffer, { end = true, timeoutMs = 30_000 } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(data, () => {
      if (end) socket.end();
    });
  });
}

/** A request through node:http (lets a test send chunked bodies, odd methods, big headers). */
function nodeRequest(url: string, options: { method?: string; headers?: Record<string, string>; chunks?: Buffer[] }): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const chunk of options.chunks ?? []) req.write(chunk);
    req.end();
  });
}

describe('reference server core', () => {
  let server: ReferenceServer;
  const logged: string[] = [];

  before(async () => {
    server = await startReferenceServer({
      allowedOrigins: [APP],
      backends: [testBackend('test', true), testBackend('plain', false)],
      log: (message) => logged.push(message),
    });
  });
  after(async () => {
    // Prompt means well below the 5 s keep-alive timeout of the sockets fetch left open; the margin
    // is for a loaded machine.
    const started = Date.now();
    await server.close();
    assert.ok(Date.now() - started < 4000, `close took ${Date.now() - started} ms`);
  });

  describe('routing', () => {
    test('a backend sees the mount-stripped path and its own baseUrl', async () => {
      const res = await fetch(`${server.url}/test/echo/a/b?q=1`);
      assert.equal(res.status, 200);
      const body = await res.json();
      assert.equal(body.path, '/echo/a/b');
      assert.equal(body.baseUrl, `${server.url}/test`);
      assert.equal(body.url, `${server.url}/test/echo/a/b?q=1`);
      assert.equal(body.query, '1');
      assert.equal(server.context('test').baseUrl, `${server.url}/test`);
    });

    test('the URL is printed-friendly and on 127.0.0.1', () => {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(server.url, `http://127.0.0.1:${server.port}`);
    });

    test('404s: the backend\'s own notFound, else JSON; unknown mounts', async () => {
      let res = await fetch(`${server.url}/test/nothing-here`);
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { code: 'TEST_NOT_FOUND' });
      res = await fetch(`${server.url}/test`);
      assert.equal(res.status, 404, 'the bare mount is path "/" for the backend');
      res = await fetch(`${server.url}/plain/nothing-here`);
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error, 'not_found');
      res = await fetch(`${server.url}/testx/echo`);
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error, 'not_found');
      res = await fetch(`${server.url}/__nope`);
      assert.equal(res.status, 404);
    });

    test('GET / lists the mounts', async () => {
      const body = await (await fetch(`${server.url}/`)).json();
      assert.deepEqual(body.backends.map((b: { name: string }) => b.name), ['test', 'plain']);
      assert.equal(body.passkeys, `${server.url}/passkeys`);
    });

    test('a handler that throws is a JSON 500, logged, and the server goes on', async () => {
      const res = await fetch(`${server.url}/test/boom`);
      assert.equal(res.status, 500);
      assert.equal((await res.json()).error, 'internal_error');
      assert.ok(logged.some((l) => l.includes('/test/boom')));
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 200);
    });

    test('several Set-Cookie headers survive; other headers pass', async () => {
      const res = await fetch(`${server.url}/test/cookies`);
      assert.deepEqual(res.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/']);
      assert.equal(res.headers.get('retry-after'), '7');
      assert.equal(await res.text(), 'cookies');
    });

    test('HEAD gets headers and no body', async () => {
      const res = await nodeRequest(`${server.url}/__outbox`, { method: 'HEAD' });
      assert.equal(res.status, 200);
      assert.equal(res.body, '');
    });
  });

  describe('CORS', () => {
    test('an allowed origin may read, with Vary and exposed headers', async () => {
      const res = await fetch(`${server.url}/test/cookies`, { headers: { origin: APP } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), APP);
      assert.match(res.headers.get('vary') ?? '', /Origin/);
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /retry-after/);
      assert.doesNotMatch(res.headers.get('access-control-expose-headers') ?? '', /set-cookie/);
    });

    test('no Origin (curl, the relay): served, no CORS grant', async () => {
      const res = await fetch(`${server.url}/test/echo`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.match(res.headers.get('vary') ?? '', /Origin/);
    });

    test('a foreign origin is refused without a grant, and the backend never runs', async () => {
      const res = await fetch(`${server.url}/test/records`, { method: 'POST', headers: { origin: EVIL, 'content-type': 'text/plain' }, body: JSON.stringify({ id: 'csrf' }) });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal((await fetch(`${server.url}/test/records/csrf`)).status, 404);
    });

    test('preflight from an allowed origin: 204 with methods and the asked headers', async () => {
      const res = await fetch(`${server.url}/test/records`, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-custom' },
      });
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), APP);
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /DELETE/);
      assert.equal(res.headers.get('access-control-allow-headers'), 'authorization, content-type, x-custom');
      assert.match(res.headers.get('vary') ?? '', /Origin/);
    });

    test('preflight from a foreign origin: 403 without a grant', async () => {
      const res = await fetch(`${server.url}/test/records`, { method: 'OPTIONS', headers: { origin: EVIL, 'access-control-request-method': 'POST' } });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('access-control-allow-methods'), null);
    });

    test('admin endpoints follow the same policy (the demo page reads the outbox)', async () => {
      const res = await fetch(`${server.url}/__outbox`, { headers: { origin: APP } });
      assert.equal(res.headers.get('access-control-allow-origin'), APP);
      assert.equal((await fetch(`${server.url}/__outbox`, { headers: { origin: EVIL } })).status, 403);
    });

    test('the server\'s own origin counts as same-origin', async () => {
      const res = await fetch(`${server.url}/test/echo`, { headers: { origin: server.url } });
      assert.equal(res.status, 200);
    });

    test('another loopback page is foreign unless loopbackOrigins is on; then any port may call, others still may not', async () => {
      const page = 'http://127.0.0.1:8123';
      assert.equal((await fetch(`${server.url}/test/echo`, { headers: { origin: page } })).status, 403);
      const open = await startReferenceServer({ ...quiet, allowedOrigins: [], loopbackOrigins: true, backends: [testBackend('test', true)] });
      try {
        for (const origin of [page, 'http://localhost:3000', 'http://[::1]:8080', 'https://localhost:8443']) {
          const res = await fetch(`${open.url}/test/echo`, { headers: { origin } });
          assert.equal(res.status, 200, origin);
          assert.equal(res.headers.get('access-control-allow-origin'), origin);
          const pre = await fetch(`${open.url}/test/records`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
          assert.equal(pre.headers.get('access-control-allow-origin'), origin, `preflight from ${origin}`);
        }
        for (const origin of [EVIL, 'http://127.0.0.2:8080', 'http://localhost.evil.example', 'null']) {
          const res = await fetch(`${open.url}/test/records`, { method: 'POST', headers: { origin, 'content-type': 'text/plain' }, body: '{"id":"x"}' });
          assert.equal(res.status, 403, origin);
        }
      } finally {
        await open.close();
      }
    });
  });

  describe('faults', () => {
    const addFault = async (rule: Record<string, unknown>) => {
      const res = await fetch(`${server.url}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule) });
      assert.equal(res.status, 201, await res.clone().text());
      return res.json();
    };
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    test('status: the handler does not run, CORS still applies', async () => {
      server.faults.clear();
      const rule = await addFault({ method: 'POST', path: '/test/records', status: 503 });
      assert.match(rule.id, /^fault_/);
      const res = await post('/test/records', { id: 'never' }, { origin: APP });
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('access-control-allow-origin'), APP);
      assert.equal((await res.json()).error, 'fault_injected');
      assert.equal(res.headers.get('x-fault-injected'), rule.id);
      assert.equal((await fetch(`${server.url}/test/records/never`)).status, 404, 'no side effect');
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 200, 'other routes untouched');
      const listed = await (await fetch(`${server.url}/__faults`)).json();
      assert.equal(listed.length, 1);
      assert.equal(listed[0].hits, 1);
      assert.equal((await fetch(`${server.url}/__faults`, { method: 'DELETE' })).status, 204);
      assert.equal((await post('/test/records', { id: 'after' })).status, 201);
    });

    test('delay: answers late, then normally', async () => {
      server.faults.clear();
      server.faults.add({ path: '/test/echo*', delayMs: 300, times: 1 });
      const started = Date.now();
      const res = await fetch(`${server.url}/test/echo/slow`);
      assert.equal(res.status, 200);
      assert.ok(Date.now() - started >= 280, `took ${Date.now() - started} ms`);
      // Its one time used, the rule is gone: the next request meets no delay (no timing needed to tell).
      assert.deepEqual(server.faults.list(), []);
      assert.equal((await fetch(`${server.url}/test/echo/slow`)).status, 200);
    });

    test('malformed body: status kept, JSON unreadable', async () => {
      server.faults.clear();
      server.faults.add({ path: '/test/echo', body: 'malformed', times: 1 });
      const res = await fetch(`${server.url}/test/echo`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /json/);
      await assert.rejects(res.json(), SyntaxError);
    });

    test('HTML error page, with a status', async () => {
      server.faults.clear();
      server.faults.add({ path: '/test/*', status: 502, body: 'html', times: 1 });
      const res = await fetch(`${server.url}/test/echo`);
      assert.equal(res.status, 502);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), /<html>/);
    });

    test('empty body', async () => {
      server.faults.clear();
      server.faults.add({ method: 'GET', path: '/test/echo', status: 200, body: 'empty', times: 1 });
      const res = await fetch(`${server.url}/test/echo`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '');
    });

    test('dropped connection: the client sees a socket error', async () => {
      server.faults.clear();
      server.faults.add({ path: '/test/echo', drop: true, times: 1 });
      await assert.rejects(fetch(`${server.url}/test/echo`), (error: Error) => error instanceof TypeError);
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 200, 'times: 1 expired');
    });

    test('times, method and backend-relative paths', async () => {
      server.faults.clear();
      server.faults.add({ backend: 'test', method: 'GET', path: '/echo', status: 429, times: 2 });
      assert.equal((await post('/test/size', {})).status, 200, 'other method');
      assert.equal((await fetch(`${server.url}/plain/echo`)).status, 200, 'other backend');
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 429);
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 429);
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 200);
      assert.deepEqual(server.faults.list(), []);
    });

    test('admin routes are never faulted; bad rules are 400', async () => {
      server.faults.clear();
      server.faults.add({ path: '/*', status: 500 });
      assert.equal((await fetch(`${server.url}/__faults`)).status, 200);
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 500);
      const one = server.faults.list()[0]!;
      assert.equal((await fetch(`${server.url}/__faults/${one.id}`, { method: 'DELETE' })).status, 204);
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 200);
      for (const bad of [{ path: 'no-slash', status: 500 }, { path: '/x' }, { path: '/x', status: 99 }, { path: '/x', body: 'weird' }, { path: '/x', status: 500, extra: 1 }, 'nope']) {
        const res = await fetch(`${server.url}/__faults`, { method: 'POST', body: JSON.stringify(bad) });
        assert.equal(res.status, 400, JSON.stringify(bad));
      }
      assert.equal((await fetch(`${server.url}/__faults`, { method: 'POST', body: '{not json' })).status, 400);
      assert.throws(() => server.faults.add({ path: '/x' }), TypeError);
    });
  });

  describe('bad input never crashes', () => {
    test('a body over 64 KiB is a 413 (declared length and chunked)', async () => {
      let res = await fetch(`${server.url}/test/size`, { method: 'POST', body: Buffer.alloc(MAX_BODY_BYTES + 1, 97), headers: { origin: APP } });
      assert.equal(res.status, 413);
      assert.equal(res.headers.get('access-control-allow-origin'), APP);
      assert.equal((await res.json()).error, 'payload_too_large');
      const chunked = await nodeRequest(`${server.url}/test/size`, { method: 'POST', chunks: Array.from({ length: 10 }, () => Buffer.alloc(10_000, 98)) });
      assert.equal(chunked.status, 413);
      res = await fetch(`${server.url}/test/size`, { method: 'POST', body: Buffer.alloc(MAX_BODY_BYTES, 97) });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).bytes, MAX_BODY_BYTES);
    });

    test('invalid JSON reaches the backend, which answers its own error', async () => {
      const res = await fetch(`${server.url}/test/records`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id": "x",,,' });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: 'bad_json' });
    });

    test('a request aborted mid-body', async () => {
      await raw(server.port, 'POST /test/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"id":"half', { end: false, timeoutMs: 100 });
      await raw(server.port, 'POST /test/size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100\r\nabc', { end: true, timeoutMs: 100 });
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 200);
    });

    test('garbage on the wire, odd targets and methods', async () => {
      assert.match(await raw(server.port, 'HELLO THERE\r\n\r\n'), /^HTTP\/1\.1 400/);
      assert.match(await raw(server.port, Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10])), /^HTTP\/1\.1 400|^$/);
      assert.match(await raw(server.port, 'GET http://evil.example/test/echo/abs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /"path":"\/echo\/abs"/);
      assert.match(await raw(server.port, 'GET //test/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 404/);
      assert.match(await raw(server.port, 'GET /test/echo/%zz%%? HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 200/);
      const trace = await nodeRequest(`${server.url}/test/echo`, { method: 'TRACE' });
      assert.equal(trace.status, 405);
      const badOrigin = await nodeRequest(`${server.url}/test/echo`, { headers: { origin: 'null' } });
      assert.equal(badOrigin.status, 403);
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 200);
    });

    test('a huge header within Node\'s limit is served; beyond it, 431', async () => {
      const big = await nodeRequest(`${server.url}/test/echo`, { headers: { 'x-big': 'a'.repeat(12_000) } });
      assert.equal(big.status, 200);
      assert.equal(JSON.parse(big.body).header, 12_000);
      assert.match(await raw(server.port, `GET /test/echo HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`), /^HTTP\/1\.1 431/);
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 200);
    });

    test('many concurrent requests, some dropped by the client', async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => {
          const controller = new AbortController();
          if (i % 5 === 0) controller.abort();
          return fetch(`${server.url}/test/echo/${i}`, { signal: controller.signal }).then((r) => r.status);
        }),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled' && r.value === 200).length, 40);
      assert.equal((await fetch(`${server.url}/test/echo`)).status, 200);
    });
  });

  describe('outbox and accounts', () => {
    test('list newest first, filter by backend and recipient, clear', async () => {
      assert.equal((await fetch(`${server.url}/__outbox`, { method: 'DELETE' })).status, 204);
      const send = (backend: string, to: string, code: string) => fetch(`${server.url}/${backend}/send`, { method: 'POST', body: JSON.stringify({ to, code }) });
      await send('test', '+15550001', '111111');
      await send('plain', '+15550001', '222222');
      await send('test', '+15550002', '333333');
      let list = await (await fetch(`${server.url}/__outbox`)).json();
      assert.deepEqual(list.map((m: { code: string }) => m.code), ['333333', '222222', '111111']);
      list = await (await fetch(`${server.url}/__outbox?backend=test`)).json();
      assert.deepEqual(list.map((m: { code: string }) => m.code), ['333333', '111111']);
      list = await (await fetch(`${server.url}/__outbox?to=%2B15550001`)).json();
      assert.deepEqual(list.map((m: { code: string }) => m.code), ['222222', '111111']);
      list = await (await fetch(`${server.url}/__outbox?backend=plain&to=%2B15550001`)).json();
      assert.deepEqual(list.map((m: { code: string }) => m.code), ['222222']);
      assert.equal(server.outbox.latestCode('+15550002'), '333333');
      assert.equal((await fetch(`${server.url}/__outbox`, { method: 'DELETE' })).status, 204);
      assert.deepEqual(await (await fetch(`${server.url}/__outbox`)).json(), []);
      assert.equal(server.outbox.list().length, 0);
    });

    test('GET /__accounts lists each backend\'s demo accounts', async () => {
      const body = await (await fetch(`${server.url}/__accounts`)).json();
      assert.deepEqual(body.map((b: { backend: string }) => b.backend), ['test', 'plain']);
      assert.equal(body[0].accounts[0].identifier, 'test-user');
    });
  });
});

describe('persistence', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'reference-server-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('records, outbox, seeds and JWT keys survive a restart', async () => {
    const options = { ...quiet, dataDir: dir, allowedOrigins: [APP], backends: [testBackend('test', true)] };
    let server = await startReferenceServer(options);
    assert.equal((await fetch(`${server.url}/test/records`, { method: 'POST', body: JSON.stringify({ id: 'kept', value: 42 }) })).status, 201);
    await fetch(`${server.url}/test/send`, { method: 'POST', body: JSON.stringify({ to: 'a@example.test', code: '424242' }) });
    const { token } = await (await fetch(`${server.url}/test/token`)).json();
    // A keep-alive connection is open: close must still be prompt (well below its 5 s timeout).
    const started = Date.now();
    await server.close();
    assert.ok(Date.now() - started < 4000, `close took ${Date.now() - started} ms`);

    server = await startReferenceServer(options);
    try {
      assert.deepEqual(await (await fetch(`${server.url}/test/records/kept`)).json(), { id: 'kept', value: 42 });
      assert.equal(server.outbox.latestCode('a@example.test'), '424242');
      assert.equal(server.store.collection<{ count: number }>('test.meta').get('seeds')?.count, 2, 'seeded at each start');
      const verified = await (await fetch(`${server.url}/test/verify?t=${encodeURIComponent(token)}`)).json();
      assert.equal(verified.payload?.sub, 'u1', 'a token issued before the restart still verifies');
    } finally {
      await server.close();
    }
  });

  test('without dataDir everything is in memory', async () => {
    const options = { ...quiet, allowedOrigins: [APP], backends: [testBackend('test', true)] };
    let server = await startReferenceServer(options);
    await fetch(`${server.url}/test/records`, { method: 'POST', body: JSON.stringify({ id: 'gone' }) });
    await server.close();
    server = await startReferenceServer(options);
    try {
      assert.equal((await fetch(`${server.url}/test/records/gone`)).status, 404);
    } finally {
      await server.close();
    }
  });

  test('close() is prompt with a delayed request in flight; start rejects a taken port and bad names', async () => {
    const server = await startReferenceServer({ ...quiet, allowedOrigins: [], backends: [testBackend('test', true)] });
    const rule = server.faults.add({ path: '/test/echo', delayMs: 60_000 });
    const pending = fetch(`${server.url}/test/echo`).catch((error) => error);
    await waitFor(() => server.faults.list().find((r) => r.id === rule.id)?.hits === 1, 'the request is in its delay');
    await assert.rejects(startReferenceServer({ ...quiet, port: server.port, allowedOrigins: [], backends: [] }));
    await assert.rejects(startReferenceServer({ ...quiet, allowedOrigins: [], backends: [testBackend('passkeys', false)] }));
    await assert.rejects(startReferenceServer({ ...quiet, allowedOrigins: [], backends: [testBackend('a', false), testBackend('a', false)] }));
    // Far below the minute the request would wait: close() did not wait for it (a loaded machine
    // may be slow, never that slow).
    const started = Date.now();
    await server.close();
    assert.ok(Date.now() - started < 20_000, `close took ${Date.now() - started} ms`);
    assert.ok((await pending) instanceof Error);
  });
});
