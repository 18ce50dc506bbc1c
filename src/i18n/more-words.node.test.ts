// A language's words beyond the first views are a chunk of their own (i18n/index.ts): loading a
// language brings its first words only; the rest come when asked for (`more`), for the language
// and for English, its fallback.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { languageReady, loadLanguage, t } from './index.js';

describe('the words beyond the first views', () => {
  test('come only when asked for, with English', async () => {
    await loadLanguage('en');
    assert.equal(t('en', 'signIn'), 'Sign in', 'a first word');
    assert.equal(languageReady('en', true), false, 'the rest did not come with the first words');
    assert.equal(t('en', 'manageAccount'), '', 'a word of the rest is empty until its chunk is here');
    await loadLanguage('zh-CN', true);
    assert.equal(languageReady('zh-CN', true), true);
    assert.equal(languageReady('en', true), true, 'English\'s rest came too: the fallback');
    assert.equal(t('zh-CN', 'manageAccount'), '管理账号');
    assert.equal(t('en', 'manageAccount'), 'Manage account');
    assert.equal(t('zh-CN', 'signIn'), '登录', 'and the first words of Chinese');
  });
});
