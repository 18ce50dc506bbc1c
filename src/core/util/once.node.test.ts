import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError } from '../../contract/index.js';
import { chunkOnce, onceUnlessFailed } from './once.js';

describe('onceUnlessFailed', () => {
  it('runs the load once for calls at the same time and keeps what it brought', async () => {
    let calls = 0;
    const load = onceUnlessFailed(async () => ++calls);
    assert.deepEqual(await Promise.all([load(), load()]), [1, 1]);
    assert.equal(await load(), 1);
    assert.equal(calls, 1);
  });

  it('forgets a failed load: the next call runs it again', async () => {
    let calls = 0;
    const load = onceUnlessFailed(async () => {
      if (++calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'here';
    });
    await assert.rejects(load(), TypeError);
    assert.equal(await load(), 'here');
    assert.equal(await load(), 'here');
    assert.equal(calls, 2);
  });
});

describe('chunkOnce', () => {
  it('a chunk that cannot load is a typed network error (chunk_not_loaded); the next call loads it', async () => {
    let calls = 0;
    const load = chunkOnce(async () => {
      if (++calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'code';
    });
    const failed = await load().then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(failed instanceof AuthError);
    assert.deepEqual([failed.code, failed.providerCode, failed.cause instanceof TypeError], ['network', 'chunk_not_loaded', true]);
    assert.deepEqual(await Promise.all([load(), load()]), ['code', 'code']);
    assert.equal(calls, 2);
  });
});
