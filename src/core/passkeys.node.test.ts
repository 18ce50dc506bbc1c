// node --import tsx --test src/core/passkeys.node.test.ts
// The passkey helpers without a browser: URL resolution, error classification, the server
// contract, and the ceremonies with a fake http and a fake @simplewebauthn/browser.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthError, type Http, type HttpRequest, type HttpResponse } from '../contract/index.js';
import { classifyWebAuthnError, readAuthenticationResult, readRegistrationResult } from './passkey-ceremony.js';
import { responseError } from './passkey-response.js';
import { conditionalMediationAvailable, missingUrls, registerPasskey, requestAssertion, verifyAssertion } from './passkey-calls.js';
import { authenticationUrls, registrationUrls, webAuthnSupported, type WebAuthnBrowser } from './passkeys.js';

const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: new Headers(headers),
  body,
  text: body === undefined ? '' : JSON.stringify(body),
});

function domError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A fake http answering by URL, recording every request. */
function fakeHttp(answers: Record<string, HttpResponse | Error | ((request: HttpRequest) => HttpResponse)>) {
  const requests: HttpRequest[] = [];
  const http: Http = async (request) => {
    requests.push(request);
    const answer = answers[String(request.url)];
    if (!answer) throw new Error(`unexpected ${request.url}`);
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(request) : answer;
  };
  return { http, requests };
}

function fakeWebAuthn(behaviour: { register?: () => Promise<unknown>; authenticate?: (options: unknown) => Promise<unknown> } = {}) {
  const calls: Array<{ kind: string; options: unknown }> = [];
  let cancelled = 0;
  const library: WebAuthnBrowser = {
    startRegistration: async (options) => {
      calls.push({ kind: 'register', options });
      return (behaviour.register?.() ?? { id: 'cred-1', rawId: 'cred-1', type: 'public-key', response: {}, clientExtensionResults: {} }) as never;
    },
    startAuthentication: async (options) => {
      calls.push({ kind: 'authenticate', options });
      return (behaviour.authenticate?.(options) ?? { id: 'cred-1', rawId: 'cred-1', type: 'public-key', response: {}, clientExtensionResults: {} }) as never;
    },
    WebAuthnAbortService: { cancelCeremony: () => void cancelled++ },
  };
  return { load: async () => library, calls, cancelled: () => cancelled };
}

const CREATION = { challenge: 'c1', rp: { id: 'localhost', name: 'x' }, user: { id: 'u', name: 'n', displayName: 'n' }, pubKeyCredParams: [] };
const REQUEST = { challenge: 'c2', rpId: 'localhost', allowCredentials: [] };
const urls = { optionsUrl: 'https://site.test/o', verifyUrl: 'https://site.test/v' };

describe('passkey URLs', () => {
  test('attributes win over the configuration; both URLs or none', () => {
    const settings = { optionsUrl: '/r/o', verifyUrl: '/r/v', authenticationOptionsUrl: '/a/o', authenticationVerifyUrl: '/a/v' };
    assert.deepEqual(registrationUrls({}, settings), { optionsUrl: '/r/o', verifyUrl: '/r/v' });
    assert.deepEqual(registrationUrls({ optionsUrl: '/x' }, settings), { optionsUrl: '/x', verifyUrl: '/r/v' });
    assert.deepEqual(authenticationUrls({}, settings), { optionsUrl: '/a/o', verifyUrl: '/a/v' });
    assert.deepEqual(authenticationUrls({ verifyUrl: '/y' }, settings), { optionsUrl: '/a/o', verifyUrl: '/y' });
    assert.equal(registrationUrls({ optionsUrl: '/x' }, {}), null);
    assert.equal(authenticationUrls({}, { optionsUrl: '/r/o', verifyUrl: '/r/v' }), null, 'registration URLs are not sign-in URLs');
    assert.equal(authenticationUrls({ optionsUrl: '', verifyUrl: '' }, null), null);
    assert.equal(missingUrls('authentication').code, 'config');
    assert.equal(missingUrls('authentication').providerCode, 'missing_passkey_urls');
  });

  test('in Node: no WebAuthn, no conditional mediation, and the import touched no DOM', async () => {
    assert.equal(webAuthnSupported(), false);
    assert.equal(await conditionalMediationAvailable(), false);
  });
});

describe('classifyWebAuthnError', () => {
  test('dismissed, timed out or aborted: calm "cancelled" (code cancelled, not shown in red)', () => {
    for (const error of [domError('NotAllowedError'), domError('AbortError'), Object.assign(domError('Error'), { code: 'ERROR_CEREMONY_ABORTED' })]) {
      const result = classifyWebAuthnError(error, 'authentication');
      assert.equal(result.calm, 'cancelled');
      assert.equal(result.error!.code, 'cancelled');
    }
  });

  test('an authenticator that already holds the passkey: calm "exists" on registration only', () => {
    assert.equal(classifyWebAuthnError(domError('InvalidStateError'), 'registration').calm, 'exists');
    assert.equal(classifyWebAuthnError(Object.assign(domError('InvalidStateError'), { code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' }), 'registration').calm, 'exists');
    assert.equal(classifyWebAuthnError(domError('InvalidStateError'), 'authentication').calm, null);
  });

  test('real failures are AuthErrors with the browser name kept', () => {
    const security = classifyWebAuthnError(Object.assign(domError('SecurityError'), { code: 'ERROR_INVALID_RP_ID' }), 'registration');
    assert.equal(security.calm, null);
    assert.equal(security.error!.code, 'config');
    assert.equal(security.error!.providerCode, 'ERROR_INVALID_RP_ID');
    assert.equal(classifyWebAuthnError(domError('NotSupportedError'), 'registration').error!.code, 'unsupported');
    assert.equal(classifyWebAuthnError(new Error('WebAuthn is not supported in this browser'), 'authentication').error!.code, 'unsupported');
    assert.equal(classifyWebAuthnError(domError('UnknownError'), 'authentication').error!.code, 'server');
  });
});

describe('responseError', () => {
  test('maps statuses per ceremony and keeps the server code', () => {
    const refused = responseError(res(401, { verified: false, error: 'unauthorized' }), 'registration');
    assert.equal(refused.code, 'session_expired');
    assert.equal(refused.providerCode, 'unauthorized');
    assert.equal(refused.status, 401);
    assert.equal(responseError(res(400, { verified: false, error: 'unknown_credential', message: 'nope' }), 'authentication').code, 'invalid_credentials');
    assert.equal(responseError(res(400, { verified: false, error: 'verification_failed' }), 'registration').code, 'invalid_request');
    assert.equal(responseError(res(502, '<html>'), 'registration').code, 'server');
    const limited = responseError(res(429, {}, { 'retry-after': '7' }), 'authentication');
    assert.equal(limited.code, 'rate_limited');
    assert.equal(limited.retryAfter, 7);
  });
});

describe('the verify contracts', () => {
  test('registration: `{ verified: true, credentialId? }`', () => {
    assert.deepEqual(readRegistrationResult({ verified: true, credentialId: 'abc' }, 'sent'), { credentialId: 'abc' });
    assert.deepEqual(readRegistrationResult({ verified: true }, 'sent'), { credentialId: 'sent' });
    assert.ok(readRegistrationResult({ verified: false }, 'sent') instanceof AuthError);
    assert.ok(readRegistrationResult('yes', 'sent') instanceof AuthError);
  });

  test('sign-in: `{ verified: true, session: { access_token, …, user: { id } } }` → tokens for setSession', () => {
    const tokens = readAuthenticationResult({
      verified: true,
      backend: 'x',
      session: { access_token: 'at', token_type: 'Bearer', expires_in: 300, refresh_token: 'rt', id_token: 'it', user: { id: 42, name: 'Ann' }, extra: 'ignored' },
    });
    assert.deepEqual(tokens, { access_token: 'at', token_type: 'Bearer', expires_in: 300, refresh_token: 'rt', id_token: 'it', user: { id: '42', name: 'Ann' } });
    assert.deepEqual(readAuthenticationResult({ verified: true, session: { access_token: 'at', expires_in: 'soon', user: { id: 'u' } } }), { access_token: 'at', user: { id: 'u' } });
  });

  test('sign-in answers without a usable session are server errors; unverified ones are wrong credentials', () => {
    const noSession = readAuthenticationResult({ verified: true, userId: 'u' }) as AuthError;
    assert.equal(noSession.code, 'server');
    assert.equal(noSession.providerCode, 'no_session');
    assert.equal((readAuthenticationResult({ verified: true, session: { access_token: 'at' } }) as AuthError).providerCode, 'no_user');
    assert.equal((readAuthenticationResult({ verified: true, session: { access_token: '', user: { id: 'u' } } }) as AuthError).providerCode, 'no_session');
    assert.equal((readAuthenticationResult({ verified: false, error: 'x' }) as AuthError).code, 'invalid_credentials');
    assert.equal((readAuthenticationResult(null) as AuthError).code, 'server');
  });
});

describe('registerPasskey', () => {
  test('options and verify with the bearer, never retried; the attestation is what gets verified', async () => {
    const { http, requests } = fakeHttp({ [urls.optionsUrl]: res(200, CREATION), [urls.verifyUrl]: res(200, { verified: true, credentialId: 'cred-1' }) });
    const webauthn = fakeWebAuthn();
    const result = await registerPasskey({ http, urls, accessToken: 'tok', webauthn: webauthn.load });
    assert.deepEqual(result, { data: { credentialId: 'cred-1' }, error: null });
    assert.deepEqual(requests.map((r) => [r.url, r.method, r.headers?.authorization, r.retry]), [
      [urls.optionsUrl, 'POST', 'Bearer tok', false],
      [urls.verifyUrl, 'POST', 'Bearer tok', false],
    ]);
    assert.deepEqual(webauthn.calls, [{ kind: 'register', options: { optionsJSON: CREATION } }]);
    assert.equal((requests[1]!.body as { id: string }).id, 'cred-1');
  });

  test('a dismissed prompt is calm and nothing is verified', async () => {
    const { http, requests } = fakeHttp({ [urls.optionsUrl]: res(200, CREATION) });
    const webauthn = fakeWebAuthn({ register: () => Promise.reject(domError('NotAllowedError')) });
    const result = await registerPasskey({ http, urls, accessToken: 'tok', webauthn: webauthn.load });
    assert.equal(result.calm, 'cancelled');
    assert.equal(requests.length, 1);
  });

  test('options that are not registration options (a wrong URL) fail before any ceremony', async () => {
    const { http } = fakeHttp({ [urls.optionsUrl]: res(200, { hello: 'world' }) });
    const webauthn = fakeWebAuthn();
    const result = await registerPasskey({ http, urls, accessToken: 'tok', webauthn: webauthn.load });
    assert.equal(result.error!.code, 'server');
    assert.equal(result.calm, null);
    assert.equal(webauthn.calls.length, 0);
  });

  test('a network failure or a library that does not load is an AuthError', async () => {
    const { http } = fakeHttp({ [urls.optionsUrl]: new AuthError('network', 'down') });
    assert.equal((await registerPasskey({ http, urls, accessToken: 't', webauthn: fakeWebAuthn().load })).error!.code, 'network');
    const ok = fakeHttp({ [urls.optionsUrl]: res(200, CREATION) });
    const broken = await registerPasskey({ http: ok.http, urls, accessToken: 't', webauthn: () => Promise.reject(new TypeError('Failed to fetch dynamically imported module')) });
    assert.equal(broken.error!.code, 'network');
  });
});

describe('requestAssertion / verifyAssertion', () => {
  test('autofill asks the library for conditional UI', async () => {
    const { http } = fakeHttp({ [urls.optionsUrl]: res(200, REQUEST) });
    const webauthn = fakeWebAuthn();
    const result = await requestAssertion({ http, urls, autofill: true, webauthn: webauthn.load });
    assert.equal(result.error, null);
    assert.deepEqual(webauthn.calls, [{ kind: 'authenticate', options: { optionsJSON: REQUEST, useBrowserAutofill: true } }]);
  });

  test('aborted before the ceremony: the library is never called and nothing is said', async () => {
    const abort = new AbortController();
    const { http } = fakeHttp({
      [urls.optionsUrl]: () => {
        abort.abort();
        return res(200, REQUEST);
      },
    });
    const webauthn = fakeWebAuthn();
    const result = await requestAssertion({ http, urls, signal: abort.signal, webauthn: webauthn.load });
    assert.equal(result.error!.code, 'cancelled');
    assert.equal(result.calm, null, 'quiet: the person did not dismiss anything');
    assert.equal(webauthn.calls.length, 0);
  });

  test('aborted during the ceremony: the ceremony is cancelled through the library', async () => {
    const abort = new AbortController();
    const { http } = fakeHttp({ [urls.optionsUrl]: res(200, REQUEST) });
    const webauthn = fakeWebAuthn({
      authenticate: () => {
        queueMicrotask(() => abort.abort());
        return new Promise((_, reject) => setTimeout(() => reject(domError('AbortError')), 10));
      },
    });
    const result = await requestAssertion({ http, urls, signal: abort.signal, webauthn: webauthn.load });
    assert.equal(webauthn.cancelled(), 1);
    assert.equal(result.calm, null);
    assert.equal(result.error!.code, 'cancelled');
  });

  test('verify returns the session tokens, or maps the refusal', async () => {
    const assertion = { id: 'cred-1', rawId: 'cred-1', type: 'public-key', response: {}, clientExtensionResults: {} } as never;
    const ok = fakeHttp({ [urls.verifyUrl]: res(200, { verified: true, session: { access_token: 'at', user: { id: 'u' } } }) });
    assert.deepEqual(await verifyAssertion({ http: ok.http, urls, assertion }), { data: { access_token: 'at', user: { id: 'u' } }, error: null });
    assert.equal(ok.requests[0]!.headers?.authorization, undefined, 'no bearer for sign-in');
    const refused = fakeHttp({ [urls.verifyUrl]: res(400, { verified: false, error: 'unknown_credential' }) });
    const result = await verifyAssertion({ http: refused.http, urls, assertion });
    assert.equal(result.error!.code, 'invalid_credentials');
    assert.equal(result.error!.providerCode, 'unknown_credential');
  });
});
