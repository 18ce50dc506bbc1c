import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLoopbackOrigin, isLoopbackUrl } from './loopback.js';

describe('loopback origins and redirect URIs (development)', () => {
  test('any port of 127.0.0.1, localhost and [::1], http or https', () => {
    for (const origin of ['http://127.0.0.1:5173', 'http://127.0.0.1:8080', 'http://localhost:3000', 'http://localhost', 'http://[::1]:8000', 'https://localhost:8443']) {
      assert.equal(isLoopbackOrigin(origin), true, origin);
    }
  });

  test('not other hosts, look-alikes, paths, other schemes or the opaque origin', () => {
    for (const origin of [
      'http://evil.example',
      'http://127.0.0.2:8080',
      'http://localhost.evil.example',
      'http://127.0.0.1.evil.example',
      'http://127.0.0.1:5173/',
      'http://127.0.0.1:5173/page',
      'ws://127.0.0.1:5173',
      'file://',
      'null',
      '',
      null,
      undefined,
    ]) {
      assert.equal(isLoopbackOrigin(origin), false, String(origin));
    }
  });

  test('redirect URIs: any loopback page, never user info or a fragment', () => {
    for (const uri of ['http://127.0.0.1:8080/', 'http://localhost:3000/login.html?x=1', 'http://[::1]:9/a/b']) assert.equal(isLoopbackUrl(uri), true, uri);
    for (const uri of ['https://app.example.com/', 'http://user@127.0.0.1:8080/', 'http://127.0.0.1:8080/#x', 'javascript:alert(1)', 'http://localhost.evil.example/', '']) {
      assert.equal(isLoopbackUrl(uri), false, uri);
    }
  });
});
