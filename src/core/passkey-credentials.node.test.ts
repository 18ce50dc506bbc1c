import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthError, type Http, type HttpRequest } from '../contract/index.js';
import { listPasskeys, removePasskey } from './passkey-credentials.js';

/** An Http that answers `status` and `body` and records what it was asked. */
function answering(status: number, body: unknown) {
  const asked: HttpRequest[] = [];
  const http: Http = async (request) => {
    asked.push(request);
    return { status, headers: new Headers(), body, text: body === undefined ? '' : JSON.stringify(body) };
  };
  return { http, asked };
}

describe('passkey credentials (the site\'s passkey service)', () => {
  test('list: Hanko names and ISO times, or epoch ms, or { credentials }; entries without an id are left out', async () => {
    const { http, asked } = answering(200, [
      { id: 'k1', name: ' Phone ', created_at: '2026-12-01T08:00:00Z', last_used_at: '2026-12-02T08:00:00Z' },
      { id: 'k2', createdAt: 1764576000000, name: '' },
      { name: 'no id' },
      { id: 'k3', created_at: 'yesterday' },
    ]);
    const { data, error } = await listPasskeys({ http, url: 'https://site.test/passkeys/credentials', accessToken: 'tok' });
    assert.equal(error, null);
    assert.deepEqual(data, [
      { id: 'k1', name: 'Phone', createdAt: Date.parse('2026-12-01T08:00:00Z'), lastUsedAt: Date.parse('2026-12-02T08:00:00Z') },
      { id: 'k2', createdAt: 1764576000000 },
      { id: 'k3' },
    ]);
    assert.equal(asked[0]!.method, 'GET');
    assert.equal(asked[0]!.headers!.authorization, 'Bearer tok');
    const wrapped = await listPasskeys({ http: answering(200, { credentials: [{ id: 'k9' }] }).http, url: 'https://site.test/c', accessToken: 't' });
    assert.deepEqual(wrapped.data, [{ id: 'k9' }]);
  });

  test('list: a malformed answer is server; a refusal is an AuthError with the status', async () => {
    const malformed = await listPasskeys({ http: answering(200, { nope: true }).http, url: 'https://site.test/c', accessToken: 't' });
    assert.ok(malformed.error instanceof AuthError);
    assert.deepEqual([malformed.error.code, malformed.error.providerCode], ['server', 'malformed_credentials']);
    const refused = await listPasskeys({ http: answering(401, { error: 'unauthorized' }).http, url: 'https://site.test/c', accessToken: 't' });
    assert.ok(refused.error instanceof AuthError);
    assert.equal(refused.error.status, 401);
    const down = await listPasskeys({ http: async () => { throw new TypeError('fetch failed'); }, url: 'https://site.test/c', accessToken: 't' });
    assert.equal(down.error?.code, 'network');
  });

  test('remove: DELETE {url}/{id} with the id encoded; already gone (404) counts as removed; 500 does not', async () => {
    const { http, asked } = answering(204, undefined);
    assert.deepEqual(await removePasskey({ http, url: 'https://site.test/passkeys/credentials/', accessToken: 'tok', id: 'a/b+c' }), { data: true, error: null });
    assert.equal(asked[0]!.url, 'https://site.test/passkeys/credentials/a%2Fb%2Bc');
    assert.equal(asked[0]!.method, 'DELETE');
    assert.equal((await removePasskey({ http: answering(404, {}).http, url: 'https://site.test/c', accessToken: 't', id: 'x' })).error, null);
    const failed = await removePasskey({ http: answering(500, {}).http, url: 'https://site.test/c', accessToken: 't', id: 'x' });
    assert.ok(failed.error instanceof AuthError);
  });
});
