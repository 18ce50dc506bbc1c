// Node side of the rig: tsx loads TypeScript test support, and the server registry works.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servers } from '../support/servers.js';

describe('node test rig', () => {
  it('imports TypeScript from test/support through tsx', () => {
    assert.equal(typeof servers.echo, 'function');
  });

  it('runs the echo server on 127.0.0.1 and closes it', async () => {
    const server = await servers.echo({});
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      const response = await fetch(new URL('ping', server.url));
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.deepEqual(await response.json(), { ok: true, method: 'GET', url: '/ping' });
    } finally {
      await server.close();
    }
  });
});
