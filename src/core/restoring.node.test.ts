// `client.restoring`: start-up found a stored session and has not settled it yet. The elements
// show a busy card then instead of the sign-in form (a returning person saw the form flash).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { key, make, stored } from '../../test/support/client.js';
import { AuthError } from '../contract/index.js';
import { memoryStorage } from './storage.js';

/** `restoring` and `state.status` at each notice the elements hear, from the client's creation on. */
function watch(options: Parameters<typeof make>[0]) {
  const { client, provider } = make(options);
  const seen: string[] = [];
  client.subscribe(() => seen.push(`${client.state.status}${client.restoring ? ' (restoring)' : ''}`));
  return { client, provider, seen, first: client.restoring };
}

describe('client.restoring', () => {
  test('a stored session: restoring (and the elements told) from its read until it is settled, then signed in', async () => {
    const provider = fakeAdapter();
    const storage = memoryStorage();
    storage.setItem(key(provider), JSON.stringify(stored(provider)));
    const { client, seen, first } = watch({ provider, storage });
    assert.equal(first, false, 'not before the storage was read');
    await client.ready;
    assert.equal(client.restoring, false);
    assert.equal(client.state.status, 'signed-in');
    assert.deepEqual(seen.slice(0, 2), ['loading (restoring)', 'signed-in'], 'a notice while restoring, then the state');
    client.destroy();
  });

  test('a stored session whose refresh fails: restoring ends signed out', async () => {
    const provider = fakeAdapter();
    provider.refreshWith.push(new AuthError('session_expired'));
    const storage = memoryStorage();
    storage.setItem(key(provider), JSON.stringify(stored(provider, 600, 700)));
    const { client, seen } = watch({ provider, storage });
    await client.ready;
    assert.equal(client.restoring, false);
    assert.equal(client.state.status, 'signed-out');
    assert.equal(seen[0], 'loading (restoring)');
    assert.ok(!seen.slice(1).some((s) => s.includes('restoring')), 'restoring only until the session is settled');
    client.destroy();
  });

  test('nothing stored: never restoring', async () => {
    const { client, seen } = watch({});
    await client.ready;
    assert.equal(client.state.status, 'signed-out');
    assert.ok(!seen.some((s) => s.includes('restoring')), seen.join(', '));
    client.destroy();
  });
});
