// node --import tsx --test src/providers/janrain/*.node.test.ts
// Recorded edge cases and every §5.5 row, answered by a tiny node:http stub standing in for the relay.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../../test/support/http-server.js';
import { testEnvironment } from '../../../test/support/environment.js';
import { AuthClient } from '../../core/client.js';
import { createHttp } from '../../core/util/http.js';
import type { AuthErrorCode, Session } from '../../contract/index.js';
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

/**
 * PROVIDERS.md §5.5, row by row: a Janrain-shaped failure body (HTTP 200, `stat: "error"`, the
 * shape of §5.4) and the code it must map to. Written out, not read from the implementation's
 * table, so that a wrong row there fails here.
 */
const ROWS: Array<[body: Record<string, unknown>, expected: AuthErrorCode]> = [
  // "210 invalid_credentials, 213 password_incorrect | invalid_credentials"
  [{ stat: 'error', code: 210, error: 'invalid_credentials', error_description: 'some fields are invalid', request_id: 'q1' }, 'invalid_credentials'],
  [{ stat: 'error', code: 213, error: 'password_incorrect', error_description: 'password is incorrect', request_id: 'q2' }, 'invalid_credentials'],
  // "212 no_such_account | user_not_found"
  [{ stat: 'error', code: 212, error: 'no_such_account', error_description: 'no account with that email address', request_id: 'q3' }, 'user_not_found'],
  // "211 no_password | invalid_credentials"
  [{ stat: 'error', code: 211, error: 'no_password', error_description: 'the account has no password', request_id: 'q4' }, 'invalid_credentials'],
  // "390 invalid_form_fields, 100 missing_argument, 200 invalid_argument, 201 duplicate_argument, 340–363 | invalid_request"
  [{ stat: 'error', code: 390, error: 'invalid_form_fields', error_description: 'some fields are invalid', request_id: 'q5' }, 'invalid_request'],
  [{ stat: 'error', code: 100, error: 'missing_argument', error_description: 'missing required argument: form', request_id: 'q6' }, 'invalid_request'],
  [{ stat: 'error', code: 200, error: 'invalid_argument', error_description: 'response_type must be token or code', request_id: 'q7' }, 'invalid_request'],
  [{ stat: 'error', code: 201, error: 'duplicate_argument', error_description: 'argument given more than once: locale', request_id: 'q8' }, 'invalid_request'],
  [{ stat: 'error', code: 340, error: 'invalid_argument', error_description: 'x', request_id: 'q9' }, 'invalid_request'],
  [{ stat: 'error', code: 351, error: 'invalid_argument', error_description: 'x', request_id: 'q10' }, 'invalid_request'],
  [{ stat: 'error', code: 363, error: 'invalid_argument', error_description: 'x', request_id: 'q11' }, 'invalid_request'],
  // "380 email_address_in_use | invalid_request" in §5.5; issue #10 made it user_exists (errors.ts says so).
  [{ stat: 'error', code: 380, error: 'email_address_in_use', error_description: 'the email address is already in use', request_id: 'q12' }, 'user_exists'],
  // "414 access_token_expired, 413 no_access_grant | session_expired"
  [{ stat: 'error', code: 414, error: 'access_token_expired', error_description: 'x', request_id: 'q13' }, 'session_expired'],
  [{ stat: 'error', code: 413, error: 'no_access_grant', error_description: 'x', request_id: 'q14' }, 'session_expired'],
  // "415 authorization_code_expired, 416 verification_code_expired, 417 creation_token_expired | code_expired"
  [{ stat: 'error', code: 415, error: 'authorization_code_expired', error_description: 'x', request_id: 'q15' }, 'code_expired'],
  [{ stat: 'error', code: 416, error: 'verification_code_expired', error_description: 'x', request_id: 'q16' }, 'code_expired'],
  [{ stat: 'error', code: 417, error: 'creation_token_expired', error_description: 'x', request_id: 'q17' }, 'code_expired'],
  // "402 invalid_client_credentials, 403 client_permission_error, 205 invalid_auth_method, 221–226 (flow_error), 420 redirect_uri_mismatch, 480 api_feature_disabled | config"
  [{ stat: 'error', code: 402, error: 'invalid_client_credentials', error_description: 'x', request_id: 'q18' }, 'config'],
  [{ stat: 'error', code: 403, error: 'client_permission_error', error_description: 'x', request_id: 'q19' }, 'config'],
  [{ stat: 'error', code: 205, error: 'invalid_auth_method', error_description: 'x', request_id: 'q20' }, 'config'],
  [{ stat: 'error', code: 221, error: 'unknown_application', error_description: 'x', request_id: 'q21' }, 'config'],
  [{ stat: 'error', code: 224, error: 'unknown_client', error_description: 'unknown client_id: x', request_id: 'q22' }, 'config'],
  [{ stat: 'error', code: 226, error: 'flow_error', error_description: 'flow not found: other', request_id: 'q23' }, 'config'],
  [{ stat: 'error', code: 420, error: 'redirect_uri_mismatch', error_description: 'x', request_id: 'q24' }, 'config'],
  [{ stat: 'error', code: 480, error: 'api_feature_disabled', error_description: 'x', request_id: 'q25' }, 'config'],
  // "510 api_limit_error | rate_limited"
  [{ stat: 'error', code: 510, error: 'api_limit_error', error_description: 'x', request_id: 'q26' }, 'rate_limited'],
  // "500 unexpected_error, 540 triggered_error | server"
  [{ stat: 'error', code: 500, error: 'unexpected_error', error_description: 'x', request_id: 'q27' }, 'server'],
  [{ stat: 'error', code: 540, error: 'triggered_error', error_description: 'x', request_id: 'q28' }, 'server'],
];

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
    return janrainProvider(settings()).refresh!(session(), { http: createHttp(), lang: 'en' }).then(() => null, (e) => e);
  }

  test('every row of the §5.5 table maps as written (HTTP 200, stat: "error")', async () => {
    for (const [body, expected] of ROWS) {
      const error = await signInWith(jr(body));
      assert.equal(error?.code, expected, `code ${body.code}`);
      assert.equal(error?.providerCode, body.code);
      assert.equal(error?.status, 200);
      assert.ok(!JSON.stringify(error).includes('pw-secret-1'));
      assert.ok(!JSON.stringify(error).includes(String(body.error_description)) || body.error_description === 'x', 'no vendor text');
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

  test('100/200 with argument_name of a form field → invalid on our field; wire parameters are not fields', async () => {
    const missing = await signInWith(failure(100, 'missing_argument', { argument_name: 'signInEmailAddress' }));
    assert.deepEqual(missing?.invalid, { email: 'required' });
    const invalid = await signInWith(failure(200, 'invalid_argument', { argument_name: 'currentPassword' }));
    assert.deepEqual(invalid?.invalid, { password: 'invalid' });
    const wire = await signInWith(failure(100, 'missing_argument', { argument_name: 'client_id' }));
    assert.equal(wire?.invalid, undefined);
  });

  test('390 invalid_fields (strings or arrays, any locale) → invalid codes per field, never the vendor text', async () => {
    const strings = await signInWith(failure(390, 'invalid_form_fields', { invalid_fields: { currentPassword: 'Required.', odd: 42 } }));
    assert.deepEqual(strings?.invalid, { password: 'invalid' });
    const registration = await signInWith(failure(390, 'invalid_form_fields', {
      invalid_fields: {
        emailAddress: ['Please enter a valid email address.'],
        newPassword: ['Passwords must be at least 8 characters.'],
        newPasswordConfirm: ['Passwords do not match.'],
        displayName: ['This value is too long.'],
        registrationForm: ['Something about the whole form.'],
      },
    }));
    assert.deepEqual(registration?.invalid, { email: 'invalid', password: 'invalid', confirmPassword: 'invalid', name: 'invalid' });
    const zh = await signInWith(failure(390, 'invalid_form_fields', { invalid_fields: { signInEmailAddress: ['请输入有效的电子邮件地址。'] } }));
    assert.deepEqual(zh?.invalid, { email: 'invalid' });
    for (const error of [strings, registration, zh]) {
      assert.doesNotMatch(JSON.stringify(error), /Required\.|valid email|at least 8|do not match|too long|whole form|电子邮件/);
    }
    // The form's own name is a form-level message, not a field.
    const formLevel = await signInWith(failure(210, 'invalid_credentials', { invalid_fields: { signInForm: ['Incorrect username or password.'] } }));
    assert.equal(formLevel?.invalid, undefined);
  });

  test('380 → user_exists with the email taken, whether or not the body names the field', async () => {
    const named = await signInWith(failure(380, 'email_address_in_use', { invalid_fields: { emailAddress: ['Email address is already in use.'] } }));
    assert.equal(named?.code, 'user_exists');
    assert.deepEqual(named?.invalid, { email: 'taken' });
    const bare = await signInWith(failure(380, 'email_address_in_use'));
    assert.deepEqual(bare?.invalid, { email: 'taken' });
  });

  test('attempts left in a 210 description become remainingAttempts; the text is not kept', async () => {
    const error = await signInWith(failure(210, 'invalid_credentials', { error_description: 'some fields are invalid (2 attempts left)' }));
    assert.equal(error?.remainingAttempts, 2);
    assert.doesNotMatch(JSON.stringify(error), /some fields are invalid|\(2 attempts left\)/);
    assert.equal((await signInWith(failure(210, 'invalid_credentials')))?.remainingAttempts, undefined);
  });

  test('refresh: 414/413/415/416/417 all mean session_expired; 510 rate_limited; a success keeps the user', async () => {
    for (const [code, name] of [[414, 'access_token_expired'], [413, 'no_access_grant'], [415, 'authorization_code_expired'], [416, 'verification_code_expired'], [417, 'creation_token_expired']] as const) {
      const error = await refreshWith(failure(code, name));
      assert.equal(error?.code, 'session_expired', String(code));
    }
    assert.equal((await refreshWith(failure(510, 'api_limit_error')))?.code, 'rate_limited');
    assert.equal((await refreshWith({ status: 200, body: 'oops' }))?.code, 'server');
    next = jr({ stat: 'ok', access_token: 'a2', refresh_token: 'r2', expires_in: 3600 });
    const tokens = await janrainProvider(settings()).refresh!(session(), { http: createHttp(), lang: 'en' });
    assert.deepEqual(tokens, { access_token: 'a2', token_type: 'Bearer', refresh_token: 'r2', expires_in: 3600 });
  });

  test('a sign-in whose relay exchange failed with 415 → code_expired (sign in again)', async () => {
    const error = await signInWith(failure(415, 'authorization_code_expired'));
    assert.equal(error?.code, 'code_expired');
  });
});
