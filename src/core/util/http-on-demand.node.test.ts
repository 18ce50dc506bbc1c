import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError } from '../../contract/index.js';
import { createHttp } from './http.js';
import { httpOnDemand } from './http-on-demand.js';

// http's code is a chunk that loads when the client starts (or with the first request): offline,
// a request fails as `network` (`chunk_not_loaded`), typed, and the next one loads it again.

const answer = () => Promise.resolve(new Response('{"ok":true}', { status: 200, headers: { 'content-type': 'application/json' } }));

describe('httpOnDemand', () => {
  it('loads its code once, with the options given, for every request', async () => {
    let loads = 0;
    const http = httpOnDemand({ fetch: answer }, async () => (loads++, { createHttp }));
    const [first, second] = await Promise.all([http({ url: 'https://id.example/a' }), http({ url: 'https://id.example/b' })]);
    assert.deepEqual([first.status, second.status, first.body], [200, 200, { ok: true }]);
    await http.load();
    assert.equal(loads, 1);
  });

  it('offline: the request fails as network (chunk_not_loaded); the next one tries again', async () => {
    let loads = 0;
    const http = httpOnDemand({ fetch: answer }, async () => {
      if (++loads === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return { createHttp };
    });
    const failed = await http({ url: 'https://id.example/a' }).then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(failed instanceof AuthError, 'a typed error');
    assert.deepEqual([failed.code, failed.providerCode], ['network', 'chunk_not_loaded']);
    assert.equal((await http({ url: 'https://id.example/a' })).status, 200);
    assert.equal(loads, 2);
  });
});
