// toNodeHandler end to end: a real node:http server on 127.0.0.1 in front of the relay, in front
// of a stub backend. Client address, proxy trust, raw request-line tricks, body limits,
// streaming back, and cancelling the upstream call when the browser goes away.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createRelay, type RelayHandler, type RelayOptions } from './index.js';
import { toNodeHandler, type NodeHandlerOptions } from './node.js';
import { tencentFixture, zhuyunFixture, ZHUYUN_DEVICE, CIAM_BASIC } from '../../test/relay/fixtures.js';
import { ALLOWED_ORIGIN, FOREIGN_ORIGIN, Journal, SECRET, startStub, type Stub } from '../../test/relay/harness.js';

async function listen(handler: RelayHandler, options?: NodeHandlerOptions): Promise<{ url: string; port: number; server: Server }> {
  const server = createServer(toNodeHandler(handler, options));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, server };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Sends bytes as they are (no client-side URL normalization) and returns the raw answer. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('raw request timed out')));
  });
}

describe('toNodeHandler', () => {
  let zhuyun: Stub;
  let ciam: Stub;
  let evil: Stub;
  const journal = new Journal();
  const servers: Server[] = [];
  const zy = zhuyunFixture();
  const tc = tencentFixture();
  const seenByClient: string[] = [];

  before(async () => {
    zhuyun = await startStub(zy.respond);
    ciam = await startStub(tc.respond);
    evil = await startStub((_req, res) => {
      res.end('wrong host');
    });
  });
  after(async () => {
    await Promise.all(servers.map(close));
    await Promise.all([zhuyun.close(), ciam.close(), evil.close()]);
  });

  async function relayServer(options: RelayOptions, nodeOptions?: NodeHandlerOptions) {
    const s = await listen(createRelay({ ...options, log: journal.log }), nodeOptions);
    servers.push(s.server);
    return s;
  }

  /**
   * A reverse proxy like nginx with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`:
   * it appends the address it received the request from (or `asSeen`, to stand for a proxy on
   * another machine) to whatever the caller sent.
   */
  async function appendingProxy(port: number, asSeen?: string): Promise<string> {
    const server = createServer((req, res) => {
      const seen = asSeen ?? req.socket.remoteAddress ?? '';
      const prior = req.headers['x-forwarded-for'];
      const headers = { ...req.headers, 'x-forwarded-for': prior ? `${prior}, ${seen}` : seen };
      const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async function browser(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, init);
    const text = await response.clone().text();
    const headers: string[] = [];
    response.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
    seenByClient.push(text, ...headers);
    return response;
  }

  const zhuyunLogin = (extra: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json', ...ZHUYUN_DEVICE, ...extra },
    body: JSON.stringify({ mobile: '15200000000', password: 'pw' }),
  });

  it('forwards through a real server with the socket address as X-device-ip', async () => {
    const { url } = await relayServer(zy.options(zhuyun.url));
    const response = await browser(`${url}/api/v2/sdk/login/mobile-pwd`, zhuyunLogin({ 'x-forwarded-for': '203.0.113.50' }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await response.json(), { session_token: 'zy-st', expire: 432000, status: 'SUCCESS', id_token: 'zy-idt' });
    const upstream = zhuyun.requests.at(-1)!;
    assert.equal(upstream.headers['x-device-ip'], '127.0.0.1', 'X-Forwarded-For is ignored without trustProxy');
    assert.equal(upstream.headers['x-forwarded-for'], undefined);
  });

  it('with trustProxy, takes the hop its own proxy appended, never one the caller wrote', async () => {
    const relay = await relayServer(zy.options(zhuyun.url), { trustProxy: 1 });
    const nginx = await appendingProxy(relay.port);
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const spoofed = `198.51.100.${i + 1}, 203.0.113.${i + 1}`;
      const response = await browser(`${nginx}/api/v2/sdk/login/mobile-pwd`, zhuyunLogin({ 'x-forwarded-for': spoofed }));
      statuses.push(response.status);
    }
    assert.deepEqual(statuses.map((s) => s === 429), [...new Array(30).fill(false), ...new Array(10).fill(true)], 'one caller, one budget');
    const upstream = zhuyun.requests.at(-1)!;
    assert.equal(upstream.headers['x-device-ip'], '127.0.0.1', 'Zhuyun gets the address the proxy saw');
  });

  it('counts hops from the right: trustProxy: 2 behind two appending proxies, true as 1', async () => {
    const two = await relayServer(zy.options(zhuyun.url), { trustProxy: 2 });
    // browser → outer → inner → relay; the inner proxy stands on another machine than the outer one.
    const inner = await appendingProxy(two.port, '192.0.2.10');
    const outer = await appendingProxy(Number(new URL(inner).port));
    await browser(`${outer}/api/v2/sdk/login/mobile-pwd`, zhuyunLogin({ 'x-forwarded-for': '203.0.113.66' }));
    // The relay reads "203.0.113.66 (the caller's), 127.0.0.1 (outer's), 192.0.2.10 (inner's)".
    assert.equal(zhuyun.requests.at(-1)!.headers['x-device-ip'], '127.0.0.1');

    const one = await relayServer(zy.options(zhuyun.url), { trustProxy: true });
    await browser(`${one.url}/api/v2/sdk/login/mobile-pwd`, zhuyunLogin({ 'x-forwarded-for': '203.0.113.50, 10.0.0.1' }));
    assert.equal(zhuyun.requests.at(-1)!.headers['x-device-ip'], '10.0.0.1', 'the rightmost entry');
    await browser(`${one.url}/api/v2/sdk/login/mobile-pwd`, zhuyunLogin({ 'x-forwarded-for': 'not-an-ip' }));
    assert.equal(zhuyun.requests.at(-1)!.headers['x-device-ip'], '127.0.0.1', 'a malformed hop falls back to the socket');
    for (const trustProxy of [-1, 1.5, '1', {}]) {
      assert.throws(() => toNodeHandler(createRelay(zy.options(zhuyun.url)), { trustProxy } as unknown as NodeHandlerOptions), /trustProxy/);
    }
  });

  it('adds Basic on /otp/send and keeps the secret out of the answer', async () => {
    const { url } = await relayServer(tc.options(ciam.url));
    const response = await browser(`${url}/otp/send`, {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json', authorization: 'Basic Zm9vOmJhcg==', cookie: 'a=b' },
      body: JSON.stringify({ usage: 'login', phone_number: '13612345678', auth_source_id: 'SMS' }),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { otp_token: 'otp-token-1', expires_in: 300 });
    assert.equal(ciam.requests.at(-1)!.headers.authorization, `Basic ${CIAM_BASIC}`);
    assert.equal(ciam.requests.at(-1)!.headers.cookie, undefined);
  });

  it('answers preflight and refuses a foreign origin', async () => {
    const { url } = await relayServer(tc.options(ciam.url));
    const preflight = await browser(`${url}/otp/send`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
    const foreign = await browser(`${url}/otp/send`, { method: 'POST', headers: { origin: FOREIGN_ORIGIN, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(foreign.status, 403);
    assert.equal((await foreign.json()).error, 'origin_not_allowed');
  });

  it('refuses absolute-form, dot-segment, encoded and backslash request targets with 400', async () => {
    const { port } = await relayServer(zy.options(zhuyun.url));
    const start = zhuyun.requests.length;
    const targets = [
      `${evil.url}/api/v2/sdk/login/mobile-pwd`,
      'http://evil.example.net/api/v2/sdk/login/mobile-pwd',
      '//evil.example.net/api/v2/sdk/login/mobile-pwd',
      '/api/v2/sdk/x/../login/mobile-pwd',
      '/api/v2/sdk/login/./mobile-pwd',
      '/api/v2/sdk/login%2fmobile-pwd',
      '/api/v2/sdk/%2e%2e/sdk/login/mobile-pwd',
      '/api\\v2\\sdk\\login\\mobile-pwd',
      '*',
    ];
    const body = JSON.stringify({ mobile: '15200000000', password: 'pw' });
    for (const target of targets) {
      const answer = await raw(
        port,
        `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${ALLOWED_ORIGIN}\r\nContent-Type: application/json\r\n` +
          `X-client-id: zy-client\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      const status = Number(answer.split(' ')[1]);
      assert.ok(status === 400 || status === 404, `${target} → ${answer.split('\r\n')[0]}`);
      seenByClient.push(answer);
    }
    assert.equal(zhuyun.requests.length, start, 'the upstream was called');
    assert.equal(evil.requests.length, 0, 'the evil host was called');
  });

  it('answers 413 for a large body, declared or chunked, and keeps serving', async () => {
    const { url, port } = await relayServer(tc.options(ciam.url));
    const start = ciam.requests.length;
    const big = JSON.stringify({ usage: 'login', phone_number: '1', pad: 'x'.repeat(2 * 1024 * 1024) });
    const declared = await browser(`${url}/otp/send`, { method: 'POST', headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' }, body: big });
    assert.equal(declared.status, 413);
    assert.equal((await declared.json()).error, 'payload_too_large');

    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/otp/send', method: 'POST', headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const piece = 'x'.repeat(8 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 64) {
          sent += 1;
          if (!req.write(piece)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    assert.equal(chunked, 413);
    assert.equal(ciam.requests.length, start);

    const after = await browser(`${url}/otp/send`, {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ usage: 'login', phone_number: '13612345679', auth_source_id: 'SMS' }),
    });
    assert.equal(after.status, 200, 'the server still serves');
  });

  it('answers 504 for a hung upstream, and cancels the upstream call when the browser leaves', async () => {
    const { url } = await relayServer({ ...tc.options(ciam.url), limits: { timeoutMs: 300 } });
    ciam.override = () => new Promise<void>(() => {});
    try {
      const started = Date.now();
      const hung = await browser(`${url}/otp/send`, {
        method: 'POST',
        headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ usage: 'login', phone_number: '13612345670' }),
      });
      assert.equal(hung.status, 504);
      assert.deepEqual(await hung.json(), { error: 'upstream_timeout', error_description: 'The backend did not answer in time.' });
      assert.ok(Date.now() - started < 2000);
    } finally {
      ciam.override = undefined;
    }

    const { url: slowUrl } = await relayServer({ ...tc.options(ciam.url), limits: { timeoutMs: 5000 } });
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    ciam.override = (_req, res) => new Promise<void>(() => res.on('close', upstreamClosed));
    try {
      const leaving = new AbortController();
      const pending = fetch(`${slowUrl}/otp/send`, {
        method: 'POST',
        headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ usage: 'login', phone_number: '13612345671' }),
        signal: leaving.signal,
      }).catch(() => 'aborted');
      await new Promise((resolve) => setTimeout(resolve, 150));
      const startedAbort = Date.now();
      leaving.abort();
      assert.equal(await pending, 'aborted');
      await closed;
      assert.ok(Date.now() - startedAbort < 2000, 'the upstream call outlived the browser');
    } finally {
      ciam.override = undefined;
    }
  });

  it('never let a secret reach the client or the log', () => {
    const everything = [journal.everything(), ...seenByClient].join('\n');
    assert.ok(!everything.includes(SECRET));
    assert.ok(!everything.includes(CIAM_BASIC));
    for (const entry of journal.logs) assert.deepEqual(Object.keys(entry).sort(), ['durationMs', 'method', 'path', 'status']);
  });
});
