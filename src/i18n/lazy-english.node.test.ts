// English is a chunk like Chinese (i18n/index.ts). In this process nothing has loaded it yet: a
// sentence asked for before the words arrive is empty (an error says its code); once they are
// here, the same calls give the words (client-words.node.test.ts: the client waits for them).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthError } from '../contract/index.js';
import { describeError, formatDuration, languageReady, loadLanguage, t } from './index.js';

describe('English on demand', () => {
  test('before the words: nothing worded; once loaded: the words', async () => {
    assert.equal(languageReady('en'), false, 'English is not in the initial code');
    assert.equal(t('en', 'signIn'), '');
    assert.equal(formatDuration('en', 300), '');
    assert.equal(describeError('en', new AuthError('network')), 'network', 'an error still says which');
    await loadLanguage('zh-CN');
    assert.equal(languageReady('en'), true, 'Chinese brings English, its fallback');
    assert.equal(t('en', 'signIn'), 'Sign in');
    assert.equal(formatDuration('en', 300), '5 minutes');
    assert.equal(formatDuration('zh-CN', 300), '5 分钟');
  });
});
