// node --import tsx --test src/providers/janrain/*.node.test.ts
// Recorded edge cases and every §5.5 row, answered by a tiny node:http stub standing in for the relay.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../../test/support/http-server.js';
import { testEnvironment } from '../../../test/support/environment.js';
import { AuthClient } from '../../core/client.js';
import { createHttp } from '../../core/http.js';
import type { Session } from '../../core/session.js';
import { JANRAIN_ERRORS } from './errors.js';
import { janrainProvider } from './janrain.js';

interface Canned {
  status: number;
  body: string;
  headers?: Record<string, string>;
}
const jr = (body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): Canned => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const failure = (code: number, error: string, extra: Record<string, unknown> = {}) =>
  jr({ stat: 'error', code, error, error_description: 'x', request_id: 'r1', ...extra });

describe('janrain provider: recorded answers', () => {
  let next: Canned = jr({});
  let stub: Awaited<ReturnType<typeof startServer>>;
  const clients: AuthClient[] = [];
  before(async () => {
    stub = await startServer((_req, res) => {
      res.writeHead(next.status, next.headers ?? {});
      res.end(next.body);
    });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await stub.close();
  });

  const settings = () => ({ baseUrl: stub.url, clientId: 'login', flow: 'standard', flowVersion: '1', locale: 'en-US', redirectUri: 'http://127.0.0.1:5173/' });
  function client() {
    const c = new AuthClient({ provider: janrainProvider(settings()), storage: 'memory', environment: testEnvironment(null), autoRefresh: false });
    clients.push(c);
    return c;
  }
  async function signInWith(answer: Canned) {
    next = answer;
    return (await client().signInWithPassword({ email: 'jane@example.com', password: 'pw-secret-1' })).error;
  }
  const session = (): Session => ({ access_token: 'a', token_type: 'Bearer', expires_in: 60, expires_at: 0, refresh_token: 'r', user: { id: 'u' }, provider: 'janrain' });
  async function refreshWith(answer: Canned) {
    next = answer;
    return janrainProvider(settings()).refresh!(session(), { http: createHttp() }).then(() => null, (e) => e);
  }

  test('every row of the §5.5 table maps as written (HTTP 200, stat: "error")', async () => {
    for (const [code, row] of Object.entries(JANRAIN_ERRORS)) {
      const error = await signInWith(failure(Number(code), row.error));
      assert.equal(error?.code, row.code, `code ${code}`);
      assert.equal(error?.providerCode, Number(code));
      assert.equal(error?.status, 200);
      assert.ok(!error!.message.includes('pw-secret-1'));
    }
    // The ranges: 221–226 config, 340–363 invalid_request.
    for (const [code, kind] of [[221, 'config'], [225, 'config'], [340, 'invalid_request'], [363, 'invalid_request']] as const) {
      assert.equal((await signInWith(failure(code, 'whatever')))?.code, kind, `code ${code}`);
    }
  });

  test('unknown codes fall back: Janrain 1xx–4xx → invalid_request, 5xx → server; name-only bodies map by name', async () => {
    assert.equal((await signInWith(failure(399, 'brand_new')))?.code, 'invalid_request');
    const unknown = await signInWith(failure(599, 'brand_new_server_error'));
    assert.equal(unknown?.code, 'server');
    assert.equal(unknown?.providerCode, 599);
    const byName = await signInWith(jr({ stat: 'error', error: 'no_such_account', request_token: 't' }));
    assert.equal(byName?.code, 'user_not_found');
    assert.equal(byName?.providerCode, 'no_such_account');
    assert.equal((await signInWith(jr({ stat: 'error', code: '212', error: 'no_such_account' })))?.code, 'user_not_found');
  });

  test('a malformed JSON body, an empty body and JSON that is not Janrain → server', async () => {
    for (const answer of [
      { status: 200, body: '{"stat":"ok","access_tok', headers: { 'content-type': 'application/json' } },
      { status: 200, body: '' },
      jr({ hello: 'world' }),
      jr({ stat: 'ok', capture_user: { uuid: 'u' } }),
    ]) {
      const error = await signInWith(answer);
      assert.equal(error?.code, 'server', answer.body);
    }
  });

  test('an HTML error page from a gateway → server with its status', async () => {
    const error = await signInWith({ status: 502, body: '<html><body>Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } });
    assert.equal(error?.code, 'server');
    assert.equal(error?.status, 502);
    const ok200 = await signInWith({ status: 200, body: '<!doctype html><p>maintenance</p>', headers: { 'content-type': 'text/html' } });
    assert.equal(ok200?.code, 'server');
  });

  test('429 with Retry-After (the relay\'s limit) → rate_limited with retryAfter, not resent', async () => {
    const hits = stub.hits.length;
    const error = await signInWith(jr({ error: 'rate_limited', error_description: 'slow down' }, 429, { 'retry-after': '7' }));
    assert.equal(error?.code, 'rate_limited');
    assert.equal(error?.retryAfter, 7);
    assert.equal(error?.status, 429);
    assert.equal(stub.hits.length, hits + 1, 'a sign-in is never resent on its own');
  });

  test('the relay\'s own refusals map by their error name', async () => {
    const cases: Array<[string, number, string]> = [
      ['bad_gateway', 502, 'server'],
      ['upstream_timeout', 504, 'timeout'],
      ['not_found', 404, 'config'],
      ['invalid_request', 400, 'invalid_request'],
      ['payload_too_large', 413, 'invalid_request'],
      ['mystery', 418, 'invalid_request'],
    ];
    for (const [name, status, kind] of cases) {
      const error = await signInWith(jr({ error: name, error_description: 'x' }, status));
      assert.equal(error?.code, kind, name);
      assert.equal(error?.providerCode, name);
    }
  });

  test('100 with argument_name of a form field → fields; invalid_fields as strings are read too', async () => {
    const error = await signInWith(failure(100, 'missing_argument', { argument_name: 'signInEmailAddress' }));
    assert.ok(error?.fields?.email && error.fields.signInEmailAddress);
    const wire = await signInWith(failure(100, 'missing_argument', { argument_name: 'client_id' }));
    assert.equal(wire?.fields, undefined);
    const strings = await signInWith(failure(390, 'invalid_form_fields', { invalid_fields: { currentPassword: 'Required.', odd: 42 } }));
    assert.deepEqual(strings?.fields, { currentPassword: 'Required.', password: 'Required.' });
  });

  test('refresh: 414/413/415/416/417 all mean session_expired; 510 rate_limited; a success keeps the user', async () => {
    for (const [code, name] of [[414, 'access_token_expired'], [413, 'no_access_grant'], [415, 'authorization_code_expired'], [416, 'verification_code_expired'], [417, 'creation_token_expired']] as const) {
      const error = await refreshWith(failure(code, name));
      assert.equal(error?.code, 'session_expired', String(code));
    }
    assert.equal((await refreshWith(failure(510, 'api_limit_error')))?.code, 'rate_limited');
    assert.equal((await refreshWith({ status: 200, body: 'oops' }))?.code, 'server');
    next = jr({ stat: 'ok', access_token: 'a2', refresh_token: 'r2', expires_in: 3600 });
    const tokens = await janrainProvider(settings()).refresh!(session(), { http: createHttp() });
    assert.deepEqual(tokens, { access_token: 'a2', token_type: 'Bearer', refresh_token: 'r2', expires_in: 3600 });
  });

  test('a sign-in whose relay exchange failed with 415 → code_expired (sign in again)', async () => {
    const error = await signInWith(failure(415, 'authorization_code_expired'));
    assert.equal(error?.code, 'code_expired');
  });
});
