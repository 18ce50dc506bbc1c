// node --import tsx --test demo/server/kit/tokens.node.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClock } from './clock.js';
import { createJwt, sha256 } from './tokens.js';

test('kit: a JWT is dated and judged by the injected clock, not the wall clock', async () => {
  const clock = createManualClock(Date.UTC(2030, 0, 1));
  const jwt = createJwt({ now: clock.now });
  const token = await jwt.sign({ sub: 'u1' }, 60);
  const claims = await jwt.verify(token);
  assert.equal(claims?.iat, Date.UTC(2030, 0, 1) / 1000, 'issued "in 2030", yet valid');
  clock.advance(59_999);
  assert.equal((await jwt.verify(token))?.sub, 'u1');
  clock.advance(1);
  assert.equal(await jwt.verify(token), null, 'expired at exp');
});

test('kit: sha256 in hex (default) or base64url', () => {
  assert.equal(sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha256('abc', 'base64url'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
});
