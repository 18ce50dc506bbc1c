// The client's actions wait for the words of its language (each language is a chunk): an action
// that fails at once, called before start-up brought the words, still reports a worded error,
// and a `retryAfter` in it reads as a duration in words.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment } from '../../test/support/environment.js';
import { AuthError, type ClientNotice } from '../contract/index.js';
import { AuthClient } from '../core/client.js';
import { memoryStorage } from '../core/storage.js';
import { languageReady } from './index.js';

describe('the client waits for its words', () => {
  test('an error reported before start-up had the words is worded', async () => {
    assert.equal(languageReady('en'), false);
    const provider = { ...fakeAdapter(), signInAnonymously: undefined, signInWithPassword: () => Promise.reject(new AuthError('rate_limited', { retryAfter: 300 })) };
    const client = new AuthClient({ provider, storage: memoryStorage(), environment: testEnvironment(), lang: 'en' });
    const notices: ClientNotice[] = [];
    client.subscribe((notice) => void notices.push(notice));
    // Both called before anything was awaited: no words yet.
    const [anonymous, password] = await Promise.all([client.signInAnonymously(), client.signInWithPassword({ email: 'a@example.com', password: 'x' })]);
    assert.equal(anonymous.error?.code, 'unsupported');
    assert.match(anonymous.error!.message, /^[A-Z].+\.$/, `worded: ${anonymous.error!.message}`);
    assert.equal(password.error?.message.endsWith('Try again in 5 minutes.'), true, password.error?.message);
    const shown = notices.filter((n) => n.type === 'error').map((n) => (n.type === 'error' ? n.error.message : ''));
    assert.deepEqual(shown, [anonymous.error!.message, password.error!.message], 'the elements get the same words');
    client.destroy();
  });
});
