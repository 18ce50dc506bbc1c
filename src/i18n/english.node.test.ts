// The ESM index's `formatDuration` and `describeError` answer at once, in English, with no words
// loaded yet (i18n/english.ts brings English with them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthError } from '../contract/index.js';
import { describeError, formatDuration } from '../index.js';
import { languageReady } from './index.js';

test('the public formatters speak English without waiting', () => {
  assert.equal(languageReady('en'), false);
  assert.equal(formatDuration('en', 300), '5 minutes');
  assert.equal(describeError('en', new AuthError('rate_limited', { retryAfter: 45 })), 'Too many tries. Please wait a moment. Try again in 45 seconds.');
});
